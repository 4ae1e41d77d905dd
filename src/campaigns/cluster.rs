//! Groups mentions that say nearly the same thing within a time window:
//! LSH band keys give candidate pairs, a similarity check confirms them, and
//! union-find joins confirmed pairs into groups.
//!
//! Each band is one sorted array of plain `u64`s, the band key's high bits
//! and the mention's rank in time order in the low bits: equal keys end up
//! side by side, already in time order, and a sort of integers is the
//! cheapest way to get there (a hash map per band was slower, and sorting
//! 16-byte pairs of all bands at once took 320 MB at a million mentions).
//! Bands are sorted on all cores ([`on_all_cores`](super::on_all_cores)).
//! Within a run of equal keys only mentions close enough in time are
//! paired, each with at most [`MAX_LINKS`] earlier ones, so a text repeated
//! ten thousand times costs linear time, not quadratic; and a pair needs a
//! seed end (detection's seeds are the negative mentions). The pairs of all
//! bands are deduplicated, then decided on all cores. Fewer key bits than
//! 64 only add candidates, which confirmation rejects.

use super::sketch::BANDS;
use chrono::{DateTime, Duration, Utc};

/// Earlier run members a mention is paired with. Union-find needs one
/// confirmed link to join a group; more only cost time.
pub const MAX_LINKS: usize = 4;

/// Which mentions a pass links, and how it gets at them.
pub struct Mentions<At, Band, Seed> {
    /// How many: mentions are the indices `0..n`.
    pub n: usize,
    /// A mention's time.
    pub at: At,
    /// Its key in band `b` (from [`band_keys`](super::sketch::band_keys)). Read
    /// through closures so callers keep mentions in whatever layout they
    /// have (columns, a subset by index) without copying sketches.
    pub band: Band,
    /// Banded pairs need at least one seed end (e.g. a negative mention,
    /// when only waves of anger are wanted): two others are never a
    /// candidate, and never cost a check.
    pub seed: Seed,
}

/// Groups of mention indices `0..n` (each sorted, at least two members)
/// whose members are linked by confirmed pairs at most `window` apart.
/// `extra` are candidate pairs the caller found another way (banding
/// misses texts that share less than half their wording). A candidate
/// pair is decided by `quick(a, b)` (e.g. exact Jaccard of stored shingle
/// sets ≥ 0.5) on all cores, or, where it answers `None` (what it needs is
/// not at hand), by `slow(a, b)` on this thread.
pub fn groups<At, Band, Seed>(
    mentions: Mentions<At, Band, Seed>,
    window: Duration,
    extra: &[(usize, usize)],
    quick: impl Fn(usize, usize) -> Option<bool> + Sync,
    mut slow: impl FnMut(usize, usize) -> bool,
) -> Vec<Vec<usize>>
where
    At: Fn(usize) -> DateTime<Utc>,
    Band: Fn(usize, usize) -> u64 + Sync,
    Seed: Fn(usize) -> bool,
{
    let Mentions { n, at, band, seed } = mentions;
    let rank_bits = usize::BITS - n.leading_zeros();
    assert!(rank_bits <= 32, "fewer than 4 billion mentions");
    // Mentions in time order: `order[r]` is the r-th, `times[r]` its time,
    // `rank[i]` where mention `i` is.
    let mut order: Vec<u32> = (0..n as u32).collect();
    let stamps: Vec<i64> = (0..n).map(|i| at(i).timestamp_millis()).collect();
    order.sort_unstable_by_key(|&i| (stamps[i as usize], i));
    let times: Vec<i64> = order.iter().map(|&i| stamps[i as usize]).collect();
    drop(stamps);
    let mut rank = vec![0u32; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    let seeds: Vec<bool> = order.iter().map(|&i| seed(i as usize)).collect();
    let window = window.num_milliseconds();
    let bands: Vec<usize> = (0..BANDS).collect();
    let run = Run {
        times: &times,
        seeds: &seeds,
        rank_bits,
        window,
    };
    let mut pairs: Vec<u64> = super::on_all_cores(&bands, |&b| {
        // Keys in mention order (a band column read front to back; in time
        // order every read was a cache miss), each tagged with its rank:
        // the sort puts them in time order within a key anyway.
        run.pairs((0..n).map(|i| (band(i, b), rank[i])))
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

/// What the pairing of one band's runs needs, by time rank.
struct Run<'r> {
    times: &'r [i64],
    seeds: &'r [bool],
    rank_bits: u32,
    window: i64,
}

impl Run<'_> {
    /// Candidate pairs of one band (`(key, time rank)` of each mention),
    /// as `earlier << 32 | later` ranks.
    fn pairs(&self, keys: impl Iterator<Item = (u64, u32)>) -> Vec<u64> {
        let mut out = Vec::new();
        let low = if self.rank_bits == 0 {
            0
        } else {
            u64::MAX >> (64 - self.rank_bits)
        };
        let mut packed: Vec<u64> = keys.map(|(k, r)| (k & !low) | u64::from(r)).collect();
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
                    if self.times[later as usize] - self.times[earlier as usize] > self.window {
                        break;
                    }
                    if self.seeds[later as usize] || self.seeds[earlier as usize] {
                        out.push(earlier << 32 | later);
                    }
                }
            }
            start = end;
        }
        out
    }
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

    /// `groups` over test entries, pairs seeded by `seed`.
    fn grouped(
        es: &[Entry],
        seed: &dyn Fn(usize) -> bool,
        window: Duration,
        extra: &[(usize, usize)],
        quick: impl Fn(usize, usize) -> Option<bool> + Sync,
        slow: impl FnMut(usize, usize) -> bool,
    ) -> Vec<Vec<usize>> {
        let mentions = Mentions {
            n: es.len(),
            at: |i: usize| es[i].at,
            band: |i: usize, b: usize| es[i].sketch.bands()[b],
            seed,
        };
        groups(mentions, window, extra, quick, slow)
    }

    fn groups_of(
        es: &[Entry],
        window: Duration,
        confirm: impl Fn(usize, usize) -> bool + Sync,
    ) -> Vec<Vec<usize>> {
        grouped(
            es,
            &|_| true,
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
        let g = grouped(
            &es,
            &|_| true,
            Duration::hours(48),
            &[(0, 1)],
            |_, _| None,
            low,
        );
        assert_eq!(g, vec![vec![0, 1]]);
    }

    #[test]
    fn copies_join_only_through_a_seed() {
        let (es, _) = entries(&[(SMEAR, 0), (SMEAR, 1), (SMEAR, 2)]);
        let checked = std::sync::Mutex::new(Vec::new());
        let joined = |seed: fn(usize) -> bool| {
            grouped(
                &es,
                &seed,
                Duration::hours(48),
                &[],
                |a, b| {
                    checked.lock().unwrap().push((a, b));
                    Some(true)
                },
                |_, _| unreachable!("every pair decided quickly"),
            )
        };
        assert!(joined(|_| false).is_empty());
        assert!(checked.lock().unwrap().is_empty(), "no seed, no check");
        // The middle copy links both others; the first and last are never compared.
        assert_eq!(joined(|i| i == 1), vec![vec![0, 1, 2]]);
        assert!(!checked.lock().unwrap().contains(&(0, 2)));
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
