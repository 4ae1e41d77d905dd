//! Coordinated campaigns and organic waves (issue 5, in progress): which
//! mentions say nearly the same thing across authors and sites, how fast,
//! and whether that looks like an attack or like anger after a real failure.
//!
//! So far: [`sketch`], the near-duplicate sketches (MinHash + LSH bands)
//! that clustering will compare.

pub mod sketch;
