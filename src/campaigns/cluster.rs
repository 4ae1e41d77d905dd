//! Groups mentions that say nearly the same thing within a time window:
//! LSH band keys give candidate pairs, a similarity check confirms them, and
//! union-find joins confirmed pairs into groups.
//!
//! The band keys of all mentions go into one sorted array rather than a
//! hash map per band: at a million mentions that is 20 million 16-byte
//! entries (320 MB) sorted once, instead of 20 million heap-allocated
//! buckets. Equal keys end up side by side; within a run only mentions close
//! enough in time are compared, each with at most [`MAX_LINKS`] earlier ones,
//! so a text repeated ten thousand times costs linear time, not quadratic.

use super::sketch::BANDS;
use chrono::{DateTime, Duration, Utc};

/// Earlier run members a mention is compared with. Union-find needs one
/// confirmed link to join a group; more only cost time.
pub const MAX_LINKS: usize = 4;

/// Groups of mention indices `0..n` (each sorted, at least two members)
/// whose members are linked by confirmed pairs at most `window` apart.
/// `at(i)` is a mention's time, `bands(i)` its band keys
/// ([`band_keys`](super::sketch::band_keys)); they are read through
/// closures so callers keep mentions in whatever layout they have (columns,
/// a subset by index) without copying sketches. `extra` are candidate
/// pairs the caller found another way (banding misses texts that share less
/// than half their wording). `confirm(a, b)` decides a candidate pair (e.g.
/// exact Jaccard of the texts ≥ 0.5).
pub fn groups(
    n: usize,
    at: impl Fn(usize) -> DateTime<Utc>,
    bands: impl Fn(usize) -> [u64; BANDS],
    window: Duration,
    extra: &[(usize, usize)],
    mut confirm: impl FnMut(usize, usize) -> bool,
) -> Vec<Vec<usize>> {
    let mut keys: Vec<(u64, u32)> = Vec::with_capacity(n * BANDS);
    for i in 0..n {
        let idx = u32::try_from(i).expect("fewer than 4 billion mentions");
        keys.extend(bands(i).into_iter().map(|k| (k, idx)));
    }
    // By key alone first (plain integer compares, no time looked up), then
    // each run of equal keys by time, so "earlier" is a slice behind; the
    // order is that of sorting by (key, time, index) at once.
    keys.sort_unstable();

    let mut sets = UnionFind::new(n);
    let mut tried = std::collections::HashSet::new();
    for &(a, b) in extra {
        if sets.find(a) != sets.find(b) && tried.insert((a.min(b), a.max(b))) && confirm(a, b) {
            sets.union(a, b);
        }
    }
    let mut start = 0;
    while start < keys.len() {
        let mut end = start + 1;
        while end < keys.len() && keys[end].0 == keys[start].0 {
            end += 1;
        }
        let run = &mut keys[start..end];
        start = end;
        if run.len() < 2 {
            continue;
        }
        run.sort_unstable_by_key(|&(_, i)| (at(i as usize), i));
        for (pos, &(_, b)) in run.iter().enumerate() {
            let b = b as usize;
            let mut linked = 0;
            for &(_, a) in run[..pos].iter().rev() {
                let a = a as usize;
                if at(b) - at(a) > window || linked == MAX_LINKS {
                    break;
                }
                if sets.find(a) == sets.find(b) {
                    linked += 1;
                    continue;
                }
                // The same pair meets again in other bands: decide it once.
                if tried.insert((a.min(b), a.max(b))) && confirm(a, b) {
                    sets.union(a, b);
                    linked += 1;
                }
            }
        }
    }

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
        confirm: impl FnMut(usize, usize) -> bool,
    ) -> Vec<Vec<usize>> {
        groups(
            es.len(),
            |i| es[i].at,
            |i| es[i].sketch.bands(),
            window,
            &[],
            confirm,
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
            |i| es[i].sketch.bands(),
            Duration::hours(48),
            &[(0, 1)],
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
        let mut checks = 0;
        let g = groups_of(&es, Duration::hours(48), |_, _| {
            checks += 1;
            true
        });
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].len(), 5000);
        assert!(checks < 5000 * 2, "{checks} checks");
    }
}
