//! Classification through a real crawl: labels stored with each mention,
//! and repeats across threads.

use crate::common::{comment_source, comments_page, crawl_once, Fixture, BRANDS};
use hearsay::classify::Flag;
use hearsay::store::{MentionFilter, SqliteStore, StateStore};

#[tokio::test(flavor = "multi_thread")]
async fn the_same_text_under_another_thread_is_spam_and_the_first_is_kept() {
    let fx = Fixture::new().await;
    let smear = "Nordlys stole my savings, never trust this bank, everyone run away now";
    fx.html(
        "/thread-a",
        &comments_page(
            &[
                ("a1", "angry_bob", smear),
                ("a2", "mia", "Nordlys app works fine for me"),
            ],
            None,
        ),
    );
    fx.html(
        "/thread-b",
        &comments_page(
            &[(
                "b1",
                "Angry_Bob",
                "NORDLYS stole my savings — never trust this bank, everyone run away now!!!",
            )],
            None,
        ),
    );
    let config = fx.config(&format!(
        "{BRANDS}{}{}",
        comment_source("thread-a", "/thread-a"),
        comment_source("thread-b", "/thread-b")
    ));
    crawl_once(&config).await;
    let st = SqliteStore::open(&config.state_path()).unwrap();
    let all = st.mentions(&MentionFilter::default(), None).unwrap();
    assert_eq!(all.len(), 3);
    let by_bob: Vec<_> = all
        .iter()
        .filter(|m| {
            m.author
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case("angry_bob"))
        })
        .collect();
    assert_eq!(by_bob.len(), 2);
    let spam: Vec<_> = by_bob
        .iter()
        .filter(|m| m.labels.as_ref().unwrap().has(Flag::Spam))
        .collect();
    assert_eq!(spam.len(), 1, "one repeat flagged, the first kept");
    let first = by_bob
        .iter()
        .find(|m| !m.labels.as_ref().unwrap().has(Flag::Spam))
        .unwrap();
    let reason = &spam[0].labels.as_ref().unwrap().reasons["spam"];
    assert!(
        reason.contains(first.id.as_str()),
        "the reason names the first post: {reason}"
    );
    let mia = all
        .iter()
        .find(|m| m.author.as_deref() == Some("mia"))
        .unwrap();
    assert!(!mia.labels.as_ref().unwrap().has(Flag::Spam));
    assert!(
        mia.labels.as_ref().unwrap().reasons.contains_key("intent"),
        "every label carries its reason"
    );
}

/// The floors, scored on the held-out mentions only (written by
/// other authors, never read while tuning): obscenity precision ≥ 0.95 and
/// recall ≥ 0.85, intent accuracy ≥ 0.85, in every language. The last
/// measurement is guarded too, so a change that loses it fails.
#[test]
fn held_out_floors_hold_in_every_language() {
    use hearsay::classify::eval;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/classify/heldout");
    let examples = eval::load(&dir).unwrap();
    let classifier = hearsay::classify::Classifier::built_in().unwrap();
    let report = eval::score(&examples, &eval::predict(&classifier, &examples));
    assert_eq!(report.langs.len(), 4, "{:?}", report.langs.keys());
    for (lang, r) in &report.langs {
        assert!(r.n >= 100, "{lang}: {} held-out mentions", r.n);
        let obscene = &r.flags["obscene"];
        assert!(
            obscene.precision() >= 0.95 && obscene.recall() >= 0.85,
            "{lang}: obscene precision {:.2}, recall {:.2}",
            obscene.precision(),
            obscene.recall()
        );
        // The last measurement (2026-11-24: naive Bayes joined the intent
        // model, ninth English and Chinese author sets; BENCHMARKS.md).
        let last = match lang.as_str() {
            "da" => 0.88,
            "en" => 0.87,
            "ru" => 0.86,
            "zh" => 0.86,
            _ => 0.85,
        };
        assert!(
            r.intent_accuracy >= 0.85 && r.intent_accuracy >= last,
            "{lang}: intent accuracy {:.3}, floor 0.85, last measured {last}",
            r.intent_accuracy
        );
    }
}

/// The shipped Chinese lexicon: 妈的 swears, 妈妈的 ("mum's") does not;
/// Cantonese and Taiwanese swearing counts, 幹嘛 and 能幹 do not.
#[test]
fn shipped_chinese_lexicon_tells_mums_phone_from_swearing() {
    use hearsay::classify::{Classifier, Context, Flag};
    use hearsay::model::Lang;
    let classifier = Classifier::built_in().unwrap();
    let obscene = |text: &str| {
        classifier
            .classify("", text, Lang::Zh, &Context::default())
            .has(Flag::Obscene)
    };
    for text in [
        "妈的又崩了",
        "客服他妈的不回消息",
        "我妈妈的手机坏了，还能转账么",
    ] {
        let expected = !text.contains("妈妈");
        assert_eq!(obscene(text), expected, "{text}");
    }
    assert!(!obscene("妈妈的银行卡被冻结了"));
    for text in [
        "這個價也太扯 幹",
        "幹！又斷線",
        "班友食屎啦，一個月斷兩次網",
    ] {
        assert!(obscene(text), "{text}");
    }
    for text in ["你幹嘛這樣", "他很能幹", "客服靠北 又斷線"] {
        assert!(!obscene(text), "{text}");
    }
}
