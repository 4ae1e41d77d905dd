//! Near-duplicate wording across authors (issue 5, in progress): each
//! mention's sketch is computed once when it is stored, and read back for
//! detection.

use crate::common::{comment_source, comments_page, crawl_once, Fixture, BRANDS};
use hearsay::campaigns::sketch::SketchExt;
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
