//! Coordinated campaigns and organic waves (issue 5, in progress): which
//! mentions say nearly the same thing across authors and sites, how fast,
//! and whether that looks like an attack or like anger after a real failure.
//!
//! So far: [`sketch`] (each mention's wording as a MinHash, stored at
//! ingest), [`cluster`] (LSH candidates, confirmation, union-find within a
//! time window), [`detect`] (signals, score and kind of each group, with its
//! shared phrases) and [`spikes`] (volume and tone against hourly and daily
//! baselines). Next: loading from the store after each crawl, the hard
//! (paraphrased) attacks, fitting the weights on the wave generator's
//! training seeds, and the `campaigns` / `spikes` commands.

pub mod cluster;
pub mod detect;
pub mod sketch;
pub mod spikes;
pub mod view;
