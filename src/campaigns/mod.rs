//! Coordinated campaigns and organic waves (issue 5, in progress): which
//! mentions say nearly the same thing across authors and sites, how fast,
//! and whether that looks like an attack or like anger after a real failure.
//!
//! So far: [`sketch`] (each mention's wording as a MinHash, stored at
//! ingest), [`cluster`] (LSH candidates, confirmation, union-find within a
//! time window) and [`spikes`] (volume and tone against hourly and daily
//! baselines). Scoring, kinds, persistence and the commands come next.

pub mod cluster;
pub mod sketch;
pub mod spikes;
