//! Campaign detection's input as columns: every mention of a detection
//! window with its sketch and who posted it, without its text.

use super::WaveItem;
use crate::campaigns::sketch::{band_keys, BANDS};
use crate::model::Lang;
use chrono::{DateTime, Utc};

/// Every mention of a detection window, column by column: what candidate
/// generation reads for each one, without its text.
///
/// Why columns and not a `Vec<WaveItem>`: at a million mentions the texts,
/// titles and brand matches are most of a gigabyte and tens of millions of
/// small allocations, yet only the few mentions that end up in a candidate
/// pair or a group are ever read in full ([`StateStore::wave_items_by_keys`]).
/// Of each sketch only its LSH band keys are kept, one `Vec<u32>` per band
/// (80 bytes a mention, against 400 for the sketch: detection sorts each
/// band's keys and never looks at the sketch again); voices and sites are
/// interned to `u32`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WaveSketches {
    /// The store's key of each mention, to read it in full later.
    pub keys: Vec<i64>,
    /// Effective time: published if plausible, else first seen.
    pub at: Vec<DateTime<Utc>>,
    /// Index into `voices`: who posted it (see [`WaveSketches::voice_of`]).
    pub voice: Vec<u32>,
    /// Distinct voices: a lowercased author, or `site:` and the host.
    pub voices: Vec<String>,
    /// Index into `sites`.
    pub site: Vec<u32>,
    pub sites: Vec<String>,
    pub lang: Vec<Lang>,
    /// The classifier (or a person) called it negative.
    pub negative: Vec<bool>,
    /// The text's repeat fingerprint (`classify::repeats::fingerprint`) as a
    /// number, 0 for none: one voice's posts sharing it are a spam repeat.
    pub print: Vec<u64>,
    /// `bands[b][i]`: the high half of mention `i`'s key in LSH band `b`
    /// ([`band_keys`]); a chance match of the low half only adds a candidate
    /// pair, which the shingle sets then reject.
    pub bands: [Vec<u32>; BANDS],
    /// Every mention's stored shingle set back to back (`campaigns::sketch::compact`),
    /// ending at `shingle_end[i]`; empty for one stored before sets were kept
    /// (`has_shingles[i]` false), which detection shingles from its text.
    pub shingles: Vec<u32>,
    pub shingle_end: Vec<u32>,
    pub has_shingles: Vec<bool>,
}

impl WaveSketches {
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Mention `i`'s key in band `b`, in the high half of a `u64` (the low
    /// half is free for whatever a caller packs beside it).
    pub fn band(&self, i: usize, b: usize) -> u64 {
        u64::from(self.bands[b][i]) << 32
    }

    /// The stored shingle set of mention `i`, if it has one.
    pub fn stored_shingles(&self, i: usize) -> Option<&[u32]> {
        if !self.has_shingles[i] {
            return None;
        }
        let start = if i == 0 {
            0
        } else {
            self.shingle_end[i - 1] as usize
        };
        Some(&self.shingles[start..self.shingle_end[i] as usize])
    }

    /// Who posted it, as campaign detection tells voices apart: the author
    /// (trimmed, lowercased) when known, else the site.
    pub fn voice_of(author: Option<&str>, site: &str) -> String {
        match author.map(str::trim) {
            Some(a) if !a.is_empty() => a.to_lowercase(),
            _ => format!("site:{site}"),
        }
    }

    /// Appends one mention; voices and sites are interned through `interner`.
    pub fn push(&mut self, interner: &mut WaveInterner, row: WaveRow<'_>) {
        debug_assert_eq!(row.sketch.len(), crate::model::SKETCH_HASHES);
        let site = intern(&mut interner.sites, &mut self.sites, row.site);
        let voice = match row.author {
            Some(a) if !a.trim().is_empty() => match interner.authors.get(a) {
                Some(&v) => v,
                None => {
                    let name = Self::voice_of(Some(a), row.site);
                    let v = intern(&mut interner.voices, &mut self.voices, &name);
                    interner.authors.insert(a.into(), v);
                    v
                }
            },
            _ => {
                let slot = site as usize;
                if interner.site_voices.len() <= slot {
                    interner.site_voices.resize(slot + 1, None);
                }
                *interner.site_voices[slot].get_or_insert_with(|| {
                    let name = Self::voice_of(None, row.site);
                    intern(&mut interner.voices, &mut self.voices, &name)
                })
            }
        };
        self.keys.push(row.key);
        self.at.push(row.at);
        self.voice.push(voice);
        self.site.push(site);
        self.lang.push(row.lang);
        self.negative.push(row.negative);
        self.print.push(row.fingerprint.map_or(0, print_number));
        for (column, key) in self.bands.iter_mut().zip(band_keys(row.sketch)) {
            column.push((key >> 32) as u32);
        }
        self.has_shingles.push(row.shingles.is_some());
        if let Some(bytes) = row.shingles {
            self.shingles.extend(
                bytes
                    .chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        self.shingle_end.push(
            u32::try_from(self.shingles.len()).expect("fewer than 4 billion shingles in a window"),
        );
    }

    /// Appends `other`, read apart with its own interner: its voices and
    /// sites are interned again through `interner` (that of `self`), once
    /// per distinct value, not per mention.
    pub fn append(&mut self, interner: &mut WaveInterner, other: WaveSketches) {
        let voices: Vec<u32> = other
            .voices
            .iter()
            .map(|v| intern(&mut interner.voices, &mut self.voices, v))
            .collect();
        let sites: Vec<u32> = other
            .sites
            .iter()
            .map(|s| intern(&mut interner.sites, &mut self.sites, s))
            .collect();
        let offset = u32::try_from(self.shingles.len()).expect("fewer than 4 billion shingles");
        self.keys.extend(other.keys);
        self.at.extend(other.at);
        self.voice
            .extend(other.voice.iter().map(|&v| voices[v as usize]));
        self.site
            .extend(other.site.iter().map(|&s| sites[s as usize]));
        self.lang.extend(other.lang);
        self.negative.extend(other.negative);
        self.print.extend(other.print);
        for (column, theirs) in self.bands.iter_mut().zip(other.bands) {
            column.extend(theirs);
        }
        self.shingles.extend(other.shingles);
        self.shingle_end
            .extend(other.shingle_end.iter().map(|&e| e + offset));
        self.has_shingles.extend(other.has_shingles);
    }

    /// The columns of mentions already read in full (tests, the scoring
    /// harness); each key is the item's index in `items`.
    pub fn from_items(items: &[WaveItem]) -> WaveSketches {
        let mut out = WaveSketches::default();
        let mut interner = WaveInterner::default();
        for (i, it) in items.iter().enumerate() {
            let print = crate::classify::repeats::fingerprint(&it.text);
            let row = WaveRow {
                key: i as i64,
                at: it.at,
                author: it.author.as_deref(),
                site: &it.site,
                lang: it.lang,
                negative: it.negative,
                sketch: &it.sketch.0,
                shingles: None,
                fingerprint: print.as_deref(),
            };
            out.push(&mut interner, row);
        }
        out
    }
}

/// One mention as [`WaveSketches::push`] takes it, borrowed from a stored row.
pub struct WaveRow<'a> {
    pub key: i64,
    pub at: DateTime<Utc>,
    pub author: Option<&'a str>,
    pub site: &'a str,
    pub lang: Lang,
    pub negative: bool,
    pub sketch: &'a [u32],
    /// The stored shingle set as little-endian `u32` bytes.
    pub shingles: Option<&'a [u8]>,
    /// The stored repeat fingerprint (hex).
    pub fingerprint: Option<&'a str>,
}

/// A hex fingerprint as a number, never 0 (which means none).
fn print_number(hex: &str) -> u64 {
    u64::from_str_radix(hex, 16).map_or(0, |v| v.max(1))
}

/// Lookup tables while [`WaveSketches`] is filled: an author string seen
/// before costs a hash lookup, not an allocation.
#[derive(Default)]
pub struct WaveInterner {
    /// Raw author → voice. (foldhash, not SipHash: SipHash was a tenth of
    /// the window read. Seeded per process, as names come from the pages
    /// crawled and an unseeded hash would let them be chosen to collide.)
    authors: foldhash::HashMap<Box<str>, u32>,
    /// Voice string → voice.
    voices: foldhash::HashMap<Box<str>, u32>,
    sites: foldhash::HashMap<Box<str>, u32>,
    /// Site → its voice, for mentions without an author.
    site_voices: Vec<Option<u32>>,
}

fn intern(map: &mut foldhash::HashMap<Box<str>, u32>, list: &mut Vec<String>, s: &str) -> u32 {
    if let Some(&v) = map.get(s) {
        return v;
    }
    let v = u32::try_from(list.len()).expect("fewer than 4 billion distinct values");
    map.insert(s.into(), v);
    list.push(s.to_string());
    v
}
