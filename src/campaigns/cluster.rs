//! Groups mentions that say nearly the same thing within a time window:
//! LSH band keys give candidate pairs, a similarity check confirms them, and
//! union-find joins confirmed pairs into groups.
//!
//! Each band is one sorted array of plain `u64`s, the band key's high bits
//! and the mention's rank in time order in the low bits: equal keys end up
//! side by side, already in time order, and a sort of integers is the
//! cheapest way to get there (a hash map per band was slower, and sorting
//! 16-byte pairs of all bands at once took 320 MB at a million mentions).
//! Bands are sorted on all cores ([`on_all_cores`](super::on_all_cores)). Within a run of equal keys only mentions
//! close enough in time are paired, each with at most [`MAX_LINKS`] earlier
//! ones, so a text repeated ten thousand times costs linear time, not
//! quadratic. The pairs of all bands are deduplicated, then decided on all
//! cores.
//! Fewer key bits than 64 only add candidates, which confirmation rejects.

use super::sketch::BANDS;
use chrono::{DateTime, Duration, Utc};

/// Earlier run members a mention is paired with. Union-find needs one
/// confirmed link to join a group; more only cost time.
pub const MAX_LINKS: usize = 4;

/// Groups of mention indices `0..n` (each sorted, at least two members)
/// whose members are linked by confirmed pairs at most `window` apart.
/// `at(i)` is a mention's time, `band(i, b)` its key in band `b`
/// ([`band_key`](super::sketch::band_key)); they are read through
/// closures so callers keep mentions in whatever layout they have (columns,
/// a subset by index) without copying sketches. `extra` are candidate
/// pairs the caller found another way (banding misses texts that share less
/// than half their wording). A candidate pair is decided by `quick(a, b)`
/// (e.g. exact Jaccard of stored shingle sets ≥ 0.5) on all cores, or, where
/// it answers `None` (what it needs is not at hand), by `slow(a, b)` on this
/// thread.
pub fn groups(
    n: usize,
    at: impl Fn(usize) -> DateTime<Utc>,
    band: impl Fn(usize, usize) -> u64 + Sync,
    window: Duration,
    extra: &[(usize, usize)],
    quick: impl Fn(usize, usize) -> Option<bool> + Sync,
    mut slow: impl FnMut(usize, usize) -> bool,
) -> Vec<Vec<usize>> {
    let rank_bits = usize::BITS - n.leading_zeros();
    assert!(rank_bits <= 32, "fewer than 4 billion mentions");
    // Mentions in time order: `order[r]` is the r-th, `times[r]` its time.
    let mut order: Vec<u32> = (0..n as u32).collect();
    let stamps: Vec<i64> = (0..n).map(|i| at(i).timestamp_millis()).collect();
    order.sort_unstable_by_key(|&i| (stamps[i as usize], i));
    let times: Vec<i64> = order.iter().map(|&i| stamps[i as usize]).collect();
    drop(stamps);
    let window = window.num_milliseconds();
    let bands: Vec<usize> = (0..BANDS).collect();
    let mut pairs: Vec<u64> = super::on_all_cores(&bands, |&b| {
        band_pairs(
            order.iter().map(|&i| band(i as usize, b)),
            &times,
            rank_bits,
            window,
        )
    })
    .into_iter()
    .flatten()
    .collect();
    pairs.sort_unstable();
    pairs.dedup();

    let banded: Vec<(usize, usize)> = pairs
        .iter()
        .map(|&pair| {
            (
                order[(pair >> 32) as usize] as usize,
                order[(pair & u64::from(u32::MAX)) as usize] as usize,
            )
        })
        .collect();
    drop(pairs);
    // Every pair's verdict on all cores first: union-find would spare only
    // the few pairs already joined through others.
    let extra_verdicts = super::on_all_cores(extra, |&(a, b)| quick(a, b));
    let verdicts = super::on_all_cores(&banded, |&(a, b)| quick(a, b));

    let mut sets = UnionFind::new(n);
    // Extra pairs rejected, so banding's do not ask again (few: a HashSet
    // looked up for every banded pair was a tenth of the pass).
    let mut rejected = std::collections::HashSet::new();
    for (&(a, b), verdict) in extra.iter().zip(extra_verdicts) {
        if sets.find(a) != sets.find(b) {
            if verdict.unwrap_or_else(|| slow(a, b)) {
                sets.union(a, b);
            } else {
                rejected.insert((a.min(b), a.max(b)));
            }
        }
    }
    let mut looked_up = 0usize;
    let candidates = banded.len();
    for (&(a, b), verdict) in banded.iter().zip(verdicts) {
        // A rejection needs no lookup (most pairs, and two finds each were
        // a tenth of the pass at a million mentions).
        if verdict == Some(false) {
            continue;
        }
        if sets.find(a) == sets.find(b)
            || (!rejected.is_empty() && rejected.contains(&(a.min(b), a.max(b))))
        {
            continue;
        }
        looked_up += 1;
        if verdict.unwrap_or_else(|| slow(a, b)) {
            sets.union(a, b);
        }
    }
    tracing::debug!(
        candidates,
        looked_up,
        extra = extra.len(),
        "campaigns: pairs checked"
    );

    // Only mentions in a set of two or more: at a million mentions, a map
    // entry and a vector for every singleton cost more than the rest.
    let mut by_root: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for i in 0..n {
        let root = sets.find(i);
        if sets.size[root] > 1 {
            by_root.entry(root).or_default().push(i);
        }
    }
    let mut out: Vec<Vec<usize>> = by_root.into_values().collect();
    out.sort_by_key(|g| g[0]);
    out
}

/// Candidate pairs of one band (`keys` by time rank), as `earlier << 32 | later` ranks.
fn band_pairs(
    keys: impl Iterator<Item = u64>,
    times: &[i64],
    rank_bits: u32,
    window: i64,
) -> Vec<u64> {
    let mut out = Vec::new();
    let low = if rank_bits == 0 {
        0
    } else {
        u64::MAX >> (64 - rank_bits)
    };
    let mut packed: Vec<u64> = keys
        .enumerate()
        .map(|(r, k)| (k & !low) | r as u64)
        .collect();
    packed.sort_unstable();
    let mut start = 0;
    while start < packed.len() {
        let key = packed[start] & !low;
        let mut end = start + 1;
        while end < packed.len() && packed[end] & !low == key {
            end += 1;
        }
        // Ranks ascend within a run: earlier in time comes first.
        for pos in start + 1..end {
            let later = packed[pos] & low;
            for &e in packed[start..pos].iter().rev().take(MAX_LINKS) {
                let earlier = e & low;
                if times[later as usize] - times[earlier as usize] > window {
                    break;
                }
                out.push(earlier << 32 | later);
            }
        }
        start = end;
    }
    out
}

/// Disjoint sets with path halving and union by size.
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaigns::sketch::{jaccard, minhash, shingles, SketchExt};
    use crate::model::Lang;

    /// One mention as the tests give it: time and sketch.
    struct Entry {
        at: DateTime<Utc>,
        sketch: crate::model::Sketch,
    }

    fn entries(texts: &[(&str, i64)]) -> (Vec<Entry>, Vec<Vec<u64>>) {
        let t0 = chrono::Utc::now();
        let sets: Vec<Vec<u64>> = texts.iter().map(|(t, _)| shingles(t, Lang::En)).collect();
        let entries = texts
            .iter()
            .zip(&sets)
            .map(|((_, hours), s)| Entry {
                at: t0 + Duration::hours(*hours),
                sketch: minhash(s).unwrap(),
            })
            .collect();
        (entries, sets)
    }

    fn groups_of(
        es: &[Entry],
        window: Duration,
        confirm: impl Fn(usize, usize) -> bool + Sync,
    ) -> Vec<Vec<usize>> {
        groups(
            es.len(),
            |i| es[i].at,
            |i, b| es[i].sketch.bands()[b],
            window,
            &[],
            |a, b| Some(confirm(a, b)),
            |_, _| unreachable!("every pair decided quickly"),
        )
    }

    const SMEAR: &str = "Nordlys bank froze my account for no reason and kept my salary for three weeks, support copies the same answer, stay away";

    #[test]
    fn copies_within_the_window_group_and_the_rest_stay_alone() {
        let (es, sets) = entries(&[
            (SMEAR, 0),
            ("Loved the new Nordlys app update, transfers are quicker and the card screen is clearer now", 1),
            (&format!("{SMEAR}!!! 😡"), 2),
            (&format!("NORDLYS {SMEAR}"), 5),
            ("The harbour festival in Aarhus drew a big crowd of families this weekend despite the rain", 6),
            // The same text a month later is another wave, not this one.
            (SMEAR, 24 * 30),
        ]);
        let g = groups_of(&es, Duration::hours(48), |a, b| {
            jaccard(&sets[a], &sets[b]) >= 0.5
        });
        assert_eq!(g, vec![vec![0, 2, 3]]);
    }

    #[test]
    fn extra_pairs_join_what_banding_misses() {
        let (es, sets) = entries(&[
            (SMEAR, 0),
            (
                "Nordlys froze my salary for weeks and support only pastes one reply, avoid them",
                1,
            ),
        ]);
        let low = |a: usize, b: usize| jaccard(&sets[a], &sets[b]) >= 0.05;
        assert!(groups_of(&es, Duration::hours(48), low).is_empty());
        let g = groups(
            2,
            |i| es[i].at,
            |i, b| es[i].sketch.bands()[b],
            Duration::hours(48),
            &[(0, 1)],
            |_, _| None,
            low,
        );
        assert_eq!(g, vec![vec![0, 1]]);
    }

    #[test]
    fn a_rejected_pair_does_not_join() {
        let (es, _) = entries(&[(SMEAR, 0), (SMEAR, 1)]);
        assert!(groups_of(&es, Duration::hours(48), |_, _| false).is_empty());
    }

    #[test]
    fn thousands_of_copies_are_one_group_in_linear_checks() {
        let texts: Vec<(&str, i64)> = (0..5000).map(|i| (SMEAR, i % 24)).collect();
        let (es, _) = entries(&texts);
        let checks = std::sync::atomic::AtomicUsize::new(0);
        let g = groups_of(&es, Duration::hours(48), |_, _| {
            checks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            true
        });
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].len(), 5000);
        // Each copy with its MAX_LINKS latest predecessors, once over all bands.
        let checks = checks.into_inner();
        assert!(checks <= 5000 * MAX_LINKS, "{checks} checks");
    }
}
