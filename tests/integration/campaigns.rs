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
