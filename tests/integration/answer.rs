//! The answer, tracked, as a user drives it: urgency computed when read,
//! `mark`, `label` overrides that outlive reclassification and reindexing,
//! mutes, a brand's own reply marking its thread answered, and the
//! intent:/flag:/status: search fields.

use crate::common::{comment_source, crawl_once, dated_thread, hearsay, json_lines, Fixture};
use chrono::{Duration, Utc};
use serde_json::Value;
use std::path::Path;

fn ok(config: &Path, args: &[&str]) -> String {
    let out = hearsay(config, args);
    assert!(
        out.status.success(),
        "hearsay {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const BRAND: &str = r#"
[[brands]]
name = "Nordlys"
aliases = ["Нордлис"]
authors = ["Nordlys_Care"]
"#;

const QUESTION: &str = "How do I reset my Nordlys card PIN in the app? Anyone know?";
const OLD_QUESTION: &str = "Does Nordlys charge a fee for paying by card abroad? Anyone know?";
const ANCIENT_QUESTION: &str = "Can I open a Nordlys savings account for my kid? Anyone know?";
const COMPLAINT: &str =
    "Nordlys charged me twice for order 4411 on 12 November and support ignores my emails";

fn id_of(list: &[Value], text: &str) -> String {
    list.iter()
        .find(|m| m["text"].as_str() == Some(text))
        .unwrap_or_else(|| panic!("no mention with text {text}: {list:?}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn texts(list: &[Value]) -> Vec<&str> {
    let mut t: Vec<&str> = list.iter().filter_map(|m| m["text"].as_str()).collect();
    t.sort();
    t
}

#[tokio::test(flavor = "multi_thread")]
async fn urgency_is_now_inside_the_window_overdue_after_and_never_for_backlog() {
    let fx = Fixture::new().await;
    fx.html(
        "/t",
        &dated_thread(&[
            ("q1", "mia", QUESTION, 10),
            ("q2", "bo", OLD_QUESTION, 180),
            // Older than the first crawl's backlog: stored, never urgent.
            ("q3", "kim", ANCIENT_QUESTION, 60 * 24 * 10),
        ]),
    );
    let path = fx.config_file(&format!("{BRAND}{}", comment_source("forum", "/t")));
    crawl_once(&hearsay::config::Config::load(&path).unwrap()).await;

    let now = json_lines(&path, &["mentions", "--urgency", "now", "--json"]);
    assert_eq!(texts(&now), vec![QUESTION], "{now:?}");
    let q = &now[0];
    assert_eq!(q["intent"], "question");
    assert_eq!(q["status"], "new");
    assert_eq!(q["urgency"], "now");
    assert_eq!(q["status_by"], Value::Null);
    // `now` counts from the mention's own time.
    let since: chrono::DateTime<Utc> = q["urgency_since"].as_str().unwrap().parse().unwrap();
    let age = Utc::now() - since;
    assert!(
        age > Duration::minutes(9) && age < Duration::minutes(30),
        "{age}"
    );

    let overdue = json_lines(&path, &["mentions", "--urgency", "overdue", "--json"]);
    assert_eq!(texts(&overdue), vec![OLD_QUESTION], "{overdue:?}");
    // Overdue since the window closed: an hour after it was posted.
    let since: chrono::DateTime<Utc> = overdue[0]["urgency_since"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let late = Utc::now() - since;
    assert!(
        late > Duration::minutes(110) && late < Duration::minutes(130),
        "{late}"
    );

    let none = json_lines(&path, &["mentions", "--urgency", "none", "--json"]);
    assert_eq!(
        texts(&none),
        vec![ANCIENT_QUESTION],
        "backlog is never urgent"
    );
    assert_eq!(none[0]["backlog"], true);

    // The table shows it too.
    let table = ok(&path, &["mentions"]);
    assert!(table.contains("now ·"), "{table}");
    assert!(table.contains("overdue ·"), "{table}");
}

#[tokio::test(flavor = "multi_thread")]
async fn mark_records_who_and_when_ends_urgency_and_is_a_search_field() {
    let fx = Fixture::new().await;
    fx.html(
        "/t",
        &dated_thread(&[("q1", "mia", QUESTION, 5), ("c1", "ole", COMPLAINT, 5)]),
    );
    let path = fx.config_file(&format!("{BRAND}{}", comment_source("forum", "/t")));
    crawl_once(&hearsay::config::Config::load(&path).unwrap()).await;
    let all = json_lines(&path, &["mentions", "--json"]);
    let q = id_of(&all, QUESTION);

    let shown = ok(
        &path,
        &[
            "mark",
            &q,
            "answered",
            "--by",
            "anna",
            "--note",
            "ticket 77",
        ],
    );
    assert!(shown.contains("new → answered by anna"), "{shown}");
    let answered = json_lines(&path, &["mentions", "--status", "answered", "--json"]);
    assert_eq!(texts(&answered), vec![QUESTION]);
    let m = &answered[0];
    assert_eq!(m["status_by"], "anna");
    assert_eq!(m["status_note"], "ticket 77");
    assert!(m["status_at"].as_str().is_some(), "{m}");
    assert_eq!(m["urgency"], "none", "answered is no longer urgent");
    let still_new = json_lines(&path, &["mentions", "--status", "new", "--json"]);
    assert_eq!(texts(&still_new), vec![COMPLAINT]);

    // The index learns the status and the labels.
    let found = json_lines(&path, &["search", "status:answered", "--json"]);
    assert_eq!(texts(&found), vec![QUESTION]);
    let complaints = json_lines(&path, &["search", "intent:complaint", "--json"]);
    assert_eq!(texts(&complaints), vec![COMPLAINT]);
    let questions = json_lines(
        &path,
        &["search", "nordlys", "--intent", "question", "--json"],
    );
    assert_eq!(texts(&questions), vec![QUESTION]);
    let owed = json_lines(
        &path,
        &[
            "mentions",
            "--flag",
            "needs_reply",
            "--status",
            "new",
            "--json",
        ],
    );
    assert_eq!(texts(&owed), vec![COMPLAINT]);

    // An unknown id is "not found" (exit 6), an unknown status a usage error.
    assert_eq!(
        hearsay(&path, &["mark", "nope", "resolved"]).status.code(),
        Some(6)
    );
    assert_eq!(hearsay(&path, &["mark", &q, "done"]).status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn overrides_survive_a_new_version_reclassification_and_reindex() {
    let fx = Fixture::new().await;
    fx.html("/t", &dated_thread(&[("c1", "ole", COMPLAINT, 5)]));
    let path = fx.config_file(&format!("{BRAND}{}", comment_source("forum", "/t")));
    let config = hearsay::config::Config::load(&path).unwrap();
    crawl_once(&config).await;
    let id = id_of(&json_lines(&path, &["mentions", "--json"]), COMPLAINT);

    let out = ok(
        &path,
        &[
            "label",
            &id,
            "--intent",
            "praise",
            "--flag",
            "+troll",
            "--flag",
            "-needs_reply",
            "--by",
            "anna",
        ],
    );
    assert!(out.contains("praise · troll"), "{out}");

    // The author edits the post: a new version, classified again.
    let edited = format!("{COMPLAINT}. Still nothing after a week.");
    fx.html("/t", &dated_thread(&[("c1", "ole", &edited, 5)]));
    crawl_once(&config).await;
    let m = json_lines(&path, &["mention", &id, "--json"]).remove(0);
    assert_eq!(m["versions"], 2, "{m}");
    assert_eq!(m["text"], edited.as_str());
    assert_eq!(m["intent"], "praise", "{m}");
    let flags: Vec<&str> = m["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        flags.contains(&"troll") && !flags.contains(&"needs_reply"),
        "{flags:?}"
    );
    assert!(
        m["reasons"]["intent"].as_str().unwrap().contains("anna"),
        "{m}"
    );

    ok(&path, &["reindex"]);
    let trolls = json_lines(&path, &["search", "flag:troll", "--json"]);
    assert_eq!(trolls.len(), 1);
    assert_eq!(trolls[0]["intent"], "praise");

    // Not about us: out of lists and search, kept in the store.
    ok(&path, &["label", &id, "--not-about-us"]);
    assert!(json_lines(&path, &["mentions", "--json"]).is_empty());
    assert!(json_lines(&path, &["search", "nordlys", "--json"]).is_empty());
    assert_eq!(json_lines(&path, &["mention", &id, "--json"]).len(), 1);
    // A flag needs its sign.
    assert!(!hearsay(&path, &["label", &id, "--flag", "troll"])
        .status
        .success());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_muted_author_leaves_lists_and_search_until_unmuted() {
    let fx = Fixture::new().await;
    fx.html(
        "/t",
        &dated_thread(&[("q1", "mia", QUESTION, 5), ("c1", "Ole", COMPLAINT, 5)]),
    );
    let path = fx.config_file(&format!("{BRAND}{}", comment_source("forum", "/t")));
    crawl_once(&hearsay::config::Config::load(&path).unwrap()).await;

    ok(&path, &["mute", "author", "ole", "--note", "known troll"]);
    assert_eq!(
        texts(&json_lines(&path, &["mentions", "--json"])),
        vec![QUESTION]
    );
    assert_eq!(
        texts(&json_lines(&path, &["search", "nordlys", "--json"])),
        vec![QUESTION]
    );
    let with = json_lines(&path, &["mentions", "--muted", "--json"]);
    assert_eq!(with.len(), 2);
    let muted = with.iter().find(|m| m["text"] == COMPLAINT).unwrap();
    assert_eq!(muted["muted"], true);
    assert_eq!(muted["urgency"], "none", "a muted author is never urgent");
    let list = json_lines(&path, &["mute", "--json"]);
    assert_eq!(list[0]["value"], "ole");
    assert_eq!(list[0]["note"], "known troll");

    ok(&path, &["unmute", "author", "OLE"]);
    assert_eq!(json_lines(&path, &["mentions", "--json"]).len(), 2);
    assert_eq!(
        hearsay(&path, &["unmute", "author", "ole"]).status.code(),
        Some(6)
    );
}

/// Regression: author keys were lowercased by SQLite's ASCII-only `lower()`
/// and mutes by Rust, so a Cyrillic author could not be muted at all.
#[tokio::test(flavor = "multi_thread")]
async fn a_cyrillic_author_is_muted_in_any_case() {
    let fx = Fixture::new().await;
    let ru = "Нордлис опять списал комиссию без предупреждения, верните деньги";
    fx.html(
        "/t",
        &dated_thread(&[("q1", "mia", QUESTION, 5), ("c1", "Олег", ru, 5)]),
    );
    let path = fx.config_file(&format!("{BRAND}{}", comment_source("forum", "/t")));
    crawl_once(&hearsay::config::Config::load(&path).unwrap()).await;
    ok(&path, &["mute", "author", "ОЛЕГ"]);
    assert_eq!(
        texts(&json_lines(&path, &["mentions", "--json"])),
        vec![QUESTION]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_brands_own_reply_in_the_thread_marks_it_answered() {
    let fx = Fixture::new().await;
    fx.html(
        "/a",
        &dated_thread(&[
            ("c1", "ole", COMPLAINT, 30),
            (
                "r1",
                "nordlys_care",
                "Hi Ole, Nordlys here: we refunded the double charge, sorry!",
                20,
            ),
        ]),
    );
    fx.html("/b", &dated_thread(&[("q1", "mia", QUESTION, 30)]));
    let path = fx.config_file(&format!(
        "{BRAND}{}{}",
        comment_source("thread-a", "/a"),
        comment_source("thread-b", "/b")
    ));
    crawl_once(&hearsay::config::Config::load(&path).unwrap()).await;

    let all = json_lines(&path, &["mentions", "--json"]);
    // The brand's own post is not a mention of it.
    assert_eq!(texts(&all), vec![QUESTION, COMPLAINT], "{all:?}");
    let c = all.iter().find(|m| m["text"] == COMPLAINT).unwrap();
    assert_eq!(c["status"], "answered", "{c}");
    assert_eq!(c["status_by"], "nordlys_care");
    assert_eq!(c["urgency"], "none");
    let q = all.iter().find(|m| m["text"] == QUESTION).unwrap();
    assert_eq!(q["status"], "new", "another thread stays unanswered");
    assert_eq!(q["urgency"], "now");
}

#[tokio::test(flavor = "multi_thread")]
async fn each_mention_gets_a_playbook_draft_in_its_language_and_form_of_address() {
    let fx = Fixture::new().await;
    let ru =
        "Нордлис списал деньги дважды за заказ 4411 12 ноября, а поддержка не отвечает уже неделю";
    let fjord =
        "Fjordbank charged me twice for order 5512 on 3 November and nobody answers my emails";
    fx.html(
        "/t",
        &dated_thread(&[
            ("c1", "oleg", ru, 5),
            ("q1", "mia", QUESTION, 5),
            ("f1", "sam", fjord, 5),
        ]),
    );
    let path = fx.config_file(&format!(
        r#"
[[brands]]
name = "Nordlys"
aliases = ["Нордлис"]
product = "Nordlys app"
contact_email = "care@nordlys.example"
hours = "8-20"

[[brands]]
name = "Fjordbank"
{}"#,
        comment_source("forum", "/t")
    ));
    crawl_once(&hearsay::config::Config::load(&path).unwrap()).await;
    let all = json_lines(&path, &["mentions", "--json"]);
    let by_text = |t: &str| all.iter().find(|m| m["text"] == t).unwrap().clone();

    let c = by_text(ru);
    let s = &c["suggestion"];
    assert!(s["rule"].as_str().unwrap().starts_with("complaint"), "{s}");
    let text = s["text"].as_str().unwrap();
    assert!(
        text.contains("care@nordlys.example"),
        "the complaint moves to e-mail: {text}"
    );
    assert!(
        text.contains("Вы") || text.contains("Вас") || text.contains("Вам"),
        "formal «Вы»: {text}"
    );
    let lower = format!(" {} ", text.to_lowercase());
    assert!(
        !lower.contains(" ты ") && !lower.contains(" тебе "),
        "never «ты»: {text}"
    );
    assert_eq!(s["missing_slots"], serde_json::json!([]));

    let q = by_text(QUESTION);
    assert!(
        q["suggestion"]["rule"]
            .as_str()
            .unwrap()
            .starts_with("question"),
        "{q}"
    );

    // A brand without a contact: no half-draft, the slot to fill is named.
    let f = by_text(fjord);
    let missing = f["suggestion"]["missing_slots"].as_array().unwrap();
    assert!(missing.contains(&Value::from("contact")), "{f}");
    let note = f["suggestion"]["text"].as_str().unwrap();
    assert!(note.contains("contact_email"), "{f}");

    // Resolved: the "it is solved" reply for the same thread; answered: nothing to draft.
    let id = c["id"].as_str().unwrap();
    ok(&path, &["mark", id, "resolved", "--by", "anna"]);
    let after = json_lines(&path, &["mention", id, "--json"]).remove(0);
    assert!(
        after["suggestion"]["rule"]
            .as_str()
            .unwrap()
            .starts_with("resolved"),
        "{after}"
    );
    let qid = q["id"].as_str().unwrap();
    ok(&path, &["mark", qid, "answered"]);
    let after = json_lines(&path, &["mention", qid, "--json"]).remove(0);
    assert_eq!(after["suggestion"], Value::Null);
    // The text view shows the draft and says it is one.
    let shown = ok(&path, &["mention", id]);
    assert!(shown.contains("Suggested reply (a draft"), "{shown}");
}

#[test]
fn check_refuses_templates_that_mix_forms_of_address() {
    let dir = tempfile::tempdir().unwrap();
    let responses = dir.path().join("responses");
    std::fs::create_dir_all(&responses).unwrap();
    let ru = std::fs::read_to_string("config/responses/ru.ftl").unwrap();
    // An edit that slips into «ты» in the formal complaint draft.
    let broken = ru.replacen("complaint-formal =", "complaint-formal = Ты знаешь, что", 1);
    assert_ne!(broken, ru);
    std::fs::write(responses.join("ru.ftl"), broken).unwrap();
    let config = dir.path().join("hearsay.toml");
    std::fs::write(&config, "[storage]\ndir = \"data\"\n").unwrap();
    let out = hearsay(&config, &["check"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ru.ftl") && err.contains("complaint-formal"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn reclassify_labels_what_has_no_labels_and_keeps_corrections() {
    let fx = Fixture::new().await;
    fx.html(
        "/t",
        &dated_thread(&[("c1", "ole", COMPLAINT, 50), ("c2", "mia", QUESTION, 5)]),
    );
    let path = fx.config_file(&format!("{BRAND}{}", comment_source("forum", "/t")));
    let config = hearsay::config::Config::load(&path).unwrap();
    crawl_once(&config).await;
    let list = json_lines(&path, &["mentions", "--json"]);
    let (complaint, question) = (id_of(&list, COMPLAINT), id_of(&list, QUESTION));
    ok(
        &path,
        &["label", &question, "--intent", "praise", "--by", "anna"],
    );

    // A store written before classification (or by `rematch`): no labels.
    let conn = rusqlite::Connection::open(config.state_path()).unwrap();
    conn.execute("UPDATE items SET labels = NULL, classified = NULL", [])
        .unwrap();
    drop(conn);
    let bare = json_lines(&path, &["mention", &complaint, "--json"]).remove(0);
    assert!(bare["intent"].is_null(), "{bare}");

    let out = ok(&path, &["reclassify"]);
    assert!(out.contains("classified 2 mention(s)"), "{out}");
    let m = json_lines(&path, &["mention", &complaint, "--json"]).remove(0);
    assert_eq!(m["intent"], "complaint", "{m}");
    let q = json_lines(&path, &["mention", &question, "--json"]).remove(0);
    assert_eq!(q["intent"], "praise", "the correction stays: {q}");
    // The index follows: the intent field is searchable.
    let found = json_lines(&path, &["search", "intent:complaint", "--json"]);
    assert_eq!(texts(&found), [COMPLAINT]);

    // Nothing left unlabelled; --all labels every mention again.
    assert!(ok(&path, &["reclassify"]).contains("classified 0 mention(s)"));
    assert!(ok(&path, &["reclassify", "--all"]).contains("classified 2 mention(s)"));
    let q = json_lines(&path, &["mention", &question, "--json"]).remove(0);
    assert_eq!(q["intent"], "praise", "{q}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mention_found_by_rematch_is_classified() {
    let fx = Fixture::new().await;
    fx.html(
        "/t",
        &dated_thread(&[(
            "c1",
            "ole",
            "Kvikbank charged me twice for order 4411 on 12 November and support ignores my emails",
            5,
        )]),
    );
    let path = fx.config_file(&format!("{BRAND}{}", comment_source("forum", "/t")));
    let config = hearsay::config::Config::load(&path).unwrap();
    crawl_once(&config).await;
    assert!(json_lines(&path, &["mentions", "--json"]).is_empty());
    // The brand adds an alias: the stored comment becomes a mention.
    let edited = std::fs::read_to_string(&path).unwrap().replace(
        "aliases = [\"Нордлис\"]",
        "aliases = [\"Нордлис\", \"Kvikbank\"]",
    );
    std::fs::write(&path, edited).unwrap();
    let out = ok(&path, &["rematch"]);
    assert!(
        out.contains("1 became mentions") && out.contains("1 classified"),
        "{out}"
    );
    let list = json_lines(&path, &["mentions", "--json"]);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["intent"], "complaint", "{}", list[0]);
    assert_eq!(
        list[0]["lang"], "en",
        "its language is detected once it matters"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_complaint_about_the_instructions_gets_the_calm_manual_reply() {
    let fx = Fixture::new().await;
    let text = "Nordlys charged me a 40 kr fee on order 4411 abroad and nobody told me, the instructions in the app say nothing about it. Really annoyed";
    fx.html("/t", &dated_thread(&[("c1", "ole", text, 5)]));
    let path = fx.config_file(&format!("{BRAND}{}", comment_source("forum", "/t")));
    let config = hearsay::config::Config::load(&path).unwrap();
    crawl_once(&config).await;
    let list = json_lines(&path, &["mentions", "--json"]);
    let m = &list[0];
    assert_eq!(m["intent"], "complaint", "{m}");
    assert!(m["reasons"]["manual"].is_string(), "{m}");
    let s = &m["suggestion"];
    assert!(
        s["rule"].as_str().unwrap().starts_with("complaint_manual"),
        "{s}"
    );
    let reply = s["text"].as_str().unwrap().to_lowercase();
    for condescending in ["read the manual", "rtfm", "should have read", "obviously"] {
        assert!(!reply.contains(condescending), "{condescending}: {reply}");
    }
}
