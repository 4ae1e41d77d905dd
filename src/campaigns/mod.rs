//! Coordinated campaigns and organic waves (issue 5): which mentions say
//! nearly the same thing across authors and sites, how fast, and whether
//! that looks like an attack or like anger after a real failure.
//!
//! [`sketch`] (each mention's wording as a MinHash and a shingle set, stored
//! at ingest), [`cluster`] (LSH candidates, confirmation, union-find within
//! a time window), [`detect`] (spam repeats, signals, score and kind of each
//! group, with its shared phrases; run over the store after each crawl),
//! [`spikes`] (volume and tone against hourly and daily baselines) and
//! [`view`] (a campaign as people read it).

pub mod cluster;
pub mod detect;
pub mod sketch;
pub mod spikes;
pub mod view;

/// `f` of each item, in order, spread over the machine's cores (scoped
/// threads, a contiguous chunk each): detection's passes over a window's
/// bands, millions of candidate pairs and thousands of groups.
pub(crate) fn on_all_cores<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, |p| p.get());
    let chunk = items.len().div_ceil(workers).max(1);
    if items.len() <= chunk {
        return items.iter().map(f).collect();
    }
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a detection worker does not panic"))
            .collect()
    })
}
