//! Near-duplicate wording across authors (issue 5): each
//! mention's sketch is computed once when it is stored, and read back for
//! detection.

use crate::common::{
    comment_source, comments_page, crawl_once, dated_thread, json_lines, Fixture, BRANDS,
};
use hearsay::campaigns::sketch::{band_keys, SketchExt, BANDS};
use hearsay::store::{SqliteStore, StateStore};

#[tokio::test(flavor = "multi_thread")]
async fn mentions_are_stored_with_a_sketch_that_finds_reworded_copies() {
    let fx = Fixture::new().await;
    let smear = "Nordlys froze my account for no reason and kept my salary for three weeks, support copies the same answer, stay away";
    let copy = "NORDLYS froze my account for no reason 😡 and kept my salary for three weeks, support copies the same answer, stay away!!";
    let other = "Paid my rent with the Nordlys app this morning, the new transfer screen is quick and clear";
    fx.html(
        "/a",
        &comments_page(
            &[
                ("a1", "troll_1", smear),
                ("a2", "mia", other),
                (
                    "a3",
                    "ole",
                    "Weather is nice today, going for a walk by the harbour",
                ),
            ],
            None,
        ),
    );
    fx.html("/b", &comments_page(&[("b1", "troll_2", copy)], None));
    let config = fx.config(&format!(
        "{BRANDS}{}{}",
        comment_source("a", "/a"),
        comment_source("b", "/b")
    ));
    crawl_once(&config).await;
    let st = SqliteStore::open(&config.state_path()).unwrap();
    let since = chrono::Utc::now() - chrono::Duration::days(365);
    let sketches = st.sketches_since(since).unwrap();
    assert_eq!(
        sketches.len(),
        3,
        "the three mentions, not the weather comment"
    );
    let id_of = |t: &str| {
        st.mentions(&Default::default(), None)
            .unwrap()
            .into_iter()
            .find(|m| m.text == t)
            .unwrap()
            .id
    };
    let sketch_of =
        |id: &hearsay::model::MentionId| sketches.iter().find(|(i, _, _)| i == id).unwrap().2;
    let copy_id = id_of(copy);
    let (s, c, o) = (
        sketch_of(&id_of(smear)),
        sketch_of(&copy_id),
        sketch_of(&id_of(other)),
    );
    assert!(s.similarity(&c) > 0.8, "{}", s.similarity(&c));
    assert!(s.similarity(&o) < 0.2, "{}", s.similarity(&o));
    let shares_band = |a: &hearsay::model::Sketch, b: &hearsay::model::Sketch| {
        a.bands().iter().zip(b.bands().iter()).any(|(x, y)| x == y)
    };
    assert!(shares_band(&s, &c));
    assert!(!shares_band(&s, &o));

    // A recrawl of the same text keeps the sketches; an edit replaces one.
    crawl_once(&config).await;
    assert_eq!(st.sketches_since(since).unwrap(), sketches);
    let edit = "Actually they fixed it, salary arrived today, thanks Nordlys support team for the quick help";
    fx.html("/b", &comments_page(&[("b1", "troll_2", edit)], None));
    crawl_once(&config).await;
    let after = st.sketches_since(since).unwrap();
    assert_eq!(after.len(), 3);
    let edited = after.iter().find(|(id, _, _)| *id == copy_id).unwrap().2;
    assert_ne!(edited, c, "the edited comment has a new sketch");
    assert!(edited.similarity(&s) < 0.2);

    // A damaged sketch stops detection's window read with an error naming
    // the mention; here from the later half of the window (it starts a year
    // back), read through the second connection.
    assert_eq!(st.wave_sketches(since).unwrap().len(), 3);
    let raw = rusqlite::Connection::open(config.state_path()).unwrap();
    raw.execute(
        "UPDATE items SET sketch = x'0102' WHERE id = ?1",
        [copy_id.as_str()],
    )
    .unwrap();
    let err = st.wave_sketches(since).unwrap_err().to_string();
    assert!(
        err.contains(&format!("sketch of {}", copy_id.as_str())) && err.contains("2 bytes"),
        "{err}"
    );
}

fn found(
    members: &[&hearsay::model::MentionId],
    kind: hearsay::model::CampaignKind,
) -> hearsay::model::Campaign {
    let now = chrono::Utc::now();
    hearsay::model::Campaign {
        id: String::new(),
        kind,
        score: 0.7,
        members: members.iter().map(|m| (*m).clone()).collect(),
        first_seen: now - chrono::Duration::hours(2),
        last_seen: now,
        signals: [(
            "authors".to_string(),
            hearsay::model::Signal {
                value: 0.8,
                weight: 2.0,
            },
        )]
        .into(),
        summary: "Nordlys froze my account".into(),
        phrases: vec!["froze my account".into()],
    }
}

#[test]
fn campaigns_keep_their_id_merge_into_the_older_and_are_new_exactly_once() {
    use hearsay::model::{CampaignKind, MentionId};
    use hearsay::store::CampaignStore;
    let dir = tempfile::tempdir().unwrap();
    let st = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    let now = chrono::Utc::now();
    let m: Vec<MentionId> = (0..6)
        .map(|i| MentionId::from_raw(format!("m{i}")))
        .collect();

    let first = st
        .save_campaigns(
            &[
                found(&[&m[0], &m[1]], CampaignKind::Coordinated),
                found(&[&m[3], &m[4]], CampaignKind::SpamRepeat),
            ],
            now,
        )
        .unwrap();
    assert_eq!(first.len(), 2);
    let new = st.take_new_campaigns().unwrap();
    assert_eq!(new.len(), 2, "both are new once");
    assert!(st.take_new_campaigns().unwrap().is_empty(), "and only once");

    // The next run: the first group grew; its id stays and it is not new again.
    let again = st
        .save_campaigns(
            &[found(&[&m[0], &m[1], &m[2]], CampaignKind::Coordinated)],
            now,
        )
        .unwrap();
    assert_eq!(again, vec![first[0].clone()]);
    assert!(st.take_new_campaigns().unwrap().is_empty());
    assert_eq!(st.campaign(&first[0]).unwrap().unwrap().members.len(), 3);

    // A group bridging both: the older id survives, the other redirects to it.
    let merged = st
        .save_campaigns(
            &[found(&[&m[2], &m[3], &m[5]], CampaignKind::Coordinated)],
            now,
        )
        .unwrap();
    assert_eq!(merged, vec![first[0].clone()]);
    let via_old = st.campaign(&first[1]).unwrap().unwrap();
    assert_eq!(via_old.id, first[0], "the absorbed id redirects");
    assert_eq!(via_old.members.len(), 6, "{:?}", via_old.members);
    let live = st.campaigns(None, None).unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(
        st.campaigns(None, Some(CampaignKind::SpamRepeat))
            .unwrap()
            .len(),
        0
    );
    assert!(st.campaign("c-nope").unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_fresh_authors_repeating_a_smear_is_flagged_coordinated_with_evidence() {
    let fx = Fixture::new().await;
    let day = 24 * 60;
    fx.html(
        "/old",
        &dated_thread(&[
            (
                "o1",
                "ann",
                "Paid my rent with the Nordlys app, the new transfer screen is quick",
                10 * day,
            ),
            (
                "o2",
                "bo",
                "Does Nordlys charge a fee for card payments in Sweden, anyone know",
                9 * day,
            ),
            (
                "o3",
                "cy",
                "Nordlys support sorted out my mortgage question within the hour",
                8 * day,
            ),
        ]),
    );
    let smear = "Nordlys froze my account for no reason and kept my salary for three weeks, they are thieves, stay away from this bank";
    let variants = [
        smear.to_string(),
        format!("{smear}!!! 😡"),
        smear.to_uppercase(),
        format!("{smear} https://bit.ly/nordscam"),
    ];
    for (t, range) in [("/t1", 0..3), ("/t2", 3..6), ("/t3", 6..8)] {
        let comments: Vec<(String, String, String, i64)> = range
            .map(|k| {
                (
                    format!("a{k}"),
                    format!("fresh_{k}"),
                    variants[k % 4].clone(),
                    40 - k as i64 * 3,
                )
            })
            .collect();
        let mut refs: Vec<(&str, &str, &str, i64)> = comments
            .iter()
            .map(|(i, a, x, m)| (i.as_str(), a.as_str(), x.as_str(), *m))
            .collect();
        // A regular's own words in each thread (the same text thrice would be spam).
        let regular = match t {
            "/t1" => "Nothing wrong on my side, the Nordlys card paid for lunch",
            "/t2" => "Have you tried calling them instead of writing? Worked for my sister",
            _ => "My salary arrived on time this month, so it is not everyone",
        };
        refs.push(("r1", "ann", regular, 30));
        fx.html(t, &dated_thread(&refs));
    }
    let path = fx.config_file(&format!(
        "{BRANDS}{}{}{}{}",
        comment_source("old", "/old"),
        comment_source("t1", "/t1"),
        comment_source("t2", "/t2"),
        comment_source("t3", "/t3")
    ));
    let config = hearsay::config::Config::load(&path).unwrap();
    crawl_once(&config).await;

    let list = json_lines(&path, &["campaigns", "--json"]);
    assert_eq!(list.len(), 1, "{list:#?}");
    let c = &list[0];
    assert_eq!(c["kind"], "coordinated", "{c:#}");
    assert_eq!(c["status"], "active");
    assert_eq!(c["members"].as_array().unwrap().len(), 8);
    assert_eq!(c["authors"].as_array().unwrap().len(), 8);
    for field in [
        "id",
        "score",
        "sites",
        "langs",
        "first_seen",
        "last_seen",
        "timeline",
        "signals",
    ] {
        assert!(!c[field].is_null(), "{field} in {c:#}");
    }
    assert_eq!(c["signals"]["fresh_voices"]["value"], 1.0);
    assert!(
        c["summary"]["phrases"][0]
            .as_str()
            .unwrap()
            .contains("froze my account"),
        "{c:#}"
    );
    assert!(c["suggestion"].as_str().unwrap().contains("order number"));
    let id = c["id"].as_str().unwrap().to_string();

    // The next crawl finds the same campaign under the same id.
    crawl_once(&config).await;
    let again = json_lines(&path, &["campaigns", "--json", "--kind", "coordinated"]);
    assert_eq!(again.len(), 1);
    assert_eq!(again[0]["id"], id.as_str());
    let shown = crate::common::hearsay(&path, &["campaign", &id]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        text.contains("Suggested answer") && text.contains("fresh_voices"),
        "{text}"
    );
    assert!(json_lines(&path, &["campaigns", "--json", "--kind", "organic"]).is_empty());

    // Eight angry mentions in the last hour against a quiet baseline: a spike.
    let spikes = json_lines(&path, &["spikes", "--json"]);
    assert!(
        spikes
            .iter()
            .any(|s| s["span"] == "hour" && s["count"].as_u64() >= Some(8)),
        "{spikes:#?}"
    );
    // The crawls recorded it as one episode, new once (for the alerts).
    let st = SqliteStore::open(&config.state_path()).unwrap();
    let new = hearsay::store::CampaignStore::take_new_spikes(&st).unwrap();
    assert_eq!(
        new.iter().filter(|s| s.span == "hour").count(),
        1,
        "{new:#?}"
    );
    assert_eq!(new[0].brand, "Nordlys");
    assert!(hearsay::store::CampaignStore::take_new_spikes(&st)
        .unwrap()
        .is_empty());
    crawl_once(&config).await;
    assert!(
        hearsay::store::CampaignStore::take_new_spikes(&st)
            .unwrap()
            .is_empty(),
        "the same episode"
    );
}

/// Wave corpora of a fixed set of evaluation seeds, each served as feeds
/// and review pages, crawled, detected and scored against its truth: the
/// issue's targets on the pooled counts (F1 ≥ 0.9 easy and medium, ≥ 0.8
/// hard, no organic storm flagged coordinated), spam repeats found, and the
/// window read in columns equal to the mentions read in full.
#[tokio::test(flavor = "multi_thread")]
async fn wave_corpora_crawled_end_to_end_meet_the_issue_targets() {
    use hearsay::demo::waves::{Score, EVAL_SEEDS};
    let mut sum = Score::default();
    for seed in EVAL_SEEDS.start..EVAL_SEEDS.start + 4 {
        sum.add(&crawl_and_score(seed, seed == EVAL_SEEDS.start).await);
    }
    assert_eq!(sum.organic_flagged_coordinated, 0, "{sum:?}");
    assert_eq!(sum.organic_storms, 8);
    assert!(sum.easy.f1() >= 0.9, "easy: {sum:?}");
    assert!(sum.medium.f1() >= 0.9, "medium: {sum:?}");
    assert!(sum.hard.f1() >= 0.8, "hard: {sum:?}");
    assert!(sum.spam.f1() >= 0.9, "spam repeats: {sum:?}");
    assert!(sum.mention.precision() >= 0.95, "{sum:?}");
}

/// One evaluation seed's corpus crawled into a fresh store and scored;
/// `columns` also checks the window's columns against the full read.
async fn crawl_and_score(seed: u64, columns: bool) -> hearsay::demo::waves::Score {
    use hearsay::demo::waves::{generate, score, serve_routes, sources_toml, Found, WaveSpec};
    use hearsay::store::CampaignStore;
    let fx = Fixture::new().await;
    let mut spec = WaveSpec::seeded(seed);
    // Dated up to now, so the crawl's 30-day detection window holds it.
    spec.start = chrono::Utc::now() - chrono::Duration::days(i64::from(spec.days));
    let corpus = generate(&spec);
    for (path, reply) in serve_routes(&corpus, &fx.base()) {
        fx.web.route(&path, reply);
    }
    let config = fx.config(&format!(
        "{BRANDS}{}",
        sources_toml(&corpus, &fx.base()).replace(&fx.base(), "{base}")
    ));
    let report = crawl_once(&config).await;
    assert_eq!(report.failed(), 0, "{report:?}");

    let st = SqliteStore::open(&config.state_path()).unwrap();
    if columns {
        // Read in two halves at once (`wave_sketches`), the same rows as one full read.
        let since = chrono::Utc::now() - chrono::Duration::days(40);
        let wave = st.wave_sketches(since).unwrap();
        let full = st.wave_items(since).unwrap();
        assert!(full.len() > 1000);
        let mut a: Vec<_> = (0..wave.len())
            .map(|i| {
                (
                    wave.at[i],
                    wave.voices[wave.voice[i] as usize].clone(),
                    wave.sites[wave.site[i] as usize].clone(),
                    wave.negative[i],
                    (0..BANDS).map(|b| wave.band(i, b)).collect::<Vec<_>>(),
                )
            })
            .collect();
        let mut b: Vec<_> = full
            .iter()
            .map(|m| {
                (
                    m.at,
                    hearsay::store::WaveSketches::voice_of(m.author.as_deref(), &m.site),
                    m.site.clone(),
                    m.negative,
                    band_keys(&m.sketch.0).map(|k| k >> 32 << 32).to_vec(),
                )
            })
            .collect();
        a.sort();
        b.sort();
        assert!(a == b, "columns differ from the full read");
    }
    // Store ids are hashes of the permalink https://<site>/p/<post id>.
    let post_of: std::collections::HashMap<hearsay::model::MentionId, String> = st
        .mentions(&Default::default(), None)
        .unwrap()
        .into_iter()
        .map(|m| (m.id, m.url.rsplit('/').next().unwrap_or("").to_string()))
        .collect();
    let campaigns = st.campaigns(None, None).unwrap();
    let found: Vec<Found<'_>> = campaigns
        .iter()
        .map(|c| Found {
            kind: c.kind,
            members: c
                .members
                .iter()
                .filter_map(|m| post_of.get(m).map(String::as_str))
                .collect(),
        })
        .collect();
    score(&corpus, &found)
}
