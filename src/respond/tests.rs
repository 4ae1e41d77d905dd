//! The shipped templates (config/responses/*.ftl) under the playbook's rules:
//! real Fluent files, real config parsing, no fakes.

use super::lint::mixed_forms;
use super::rules::{choose, Rule};
use super::*;
use crate::config::Config;
use crate::model::{Flag, Intent, Sentiment};
use std::collections::{BTreeMap, BTreeSet};

/// A brand as the config file gives it: `Nordlys` plus `extra` lines.
fn brand(extra: &str) -> BrandConfig {
    let text = format!("[[brands]]\nname = \"Nordlys\"\n{extra}");
    Config::parse(&text, Path::new("config/test.toml"))
        .expect("test brand parses")
        .brands
        .remove(0)
}

const SLOTS_SET: &str = "product = \"Nordlys Budget\"\ncontact_email = \"help@nordlys.example\"\ncontact_phone = \"+45 70 10 20 30\"\nhours = \"9:00–21:00\"\n";

/// A brand with every slot set, in `form` for Russian and Chinese.
fn full_brand(form: Address) -> BrandConfig {
    brand(&format!(
        "{SLOTS_SET}[brands.address]\nru = \"{0}\"\nzh = \"{0}\"\n",
        form.as_str()
    ))
}

fn labels(intent: Intent, sentiment: Sentiment, flags: &[Flag]) -> Labels {
    Labels {
        sentiment,
        sentiment_score: 0.0,
        intent,
        flags: flags.iter().copied().collect::<BTreeSet<_>>(),
        reasons: BTreeMap::new(),
    }
}

/// Labels (and the resolved bit) that call for `rule`.
fn labels_for(rule: Rule) -> (Labels, bool) {
    use Flag::*;
    use Intent as I;
    use Sentiment::*;
    let (l, resolved) = match rule {
        Rule::Obscene => (
            labels(I::Complaint, Negative, &[Obscene, NeedsReply]),
            false,
        ),
        Rule::Ad => (labels(I::Other, Neutral, &[Ad, Spam]), false),
        Rule::Spam => (labels(I::Complaint, Negative, &[Spam]), false),
        Rule::Insult => (labels(I::Complaint, Negative, &[Insult, NeedsReply]), false),
        Rule::Troll => (labels(I::Other, Negative, &[Troll]), false),
        Rule::SuspectedFake => (
            labels(I::Complaint, Negative, &[SuspectedFake, NeedsReply]),
            false,
        ),
        Rule::Incident => (labels(I::Incident, Negative, &[NeedsReply]), false),
        Rule::Complaint => (labels(I::Complaint, Negative, &[NeedsReply]), false),
        Rule::ComplaintManual => {
            let mut l = labels(I::Complaint, Negative, &[NeedsReply]);
            l.reasons
                .insert("manual".into(), "«read the manual»".into());
            (l, false)
        }
        Rule::Resolved => (labels(I::Complaint, Negative, &[NeedsReply]), true),
        Rule::Question => (labels(I::Question, Neutral, &[NeedsReply]), false),
        Rule::Constructive => (labels(I::Other, Neutral, &[Constructive]), false),
        Rule::Praise => (labels(I::Praise, Positive, &[]), false),
        Rule::Acknowledge => (labels(I::Other, Neutral, &[NeedsReply]), false),
    };
    (l, resolved)
}

fn suggest(
    r: &Responder,
    lang: Lang,
    brand: &BrandConfig,
    labels: &Labels,
    resolved: bool,
    waited: Option<chrono::Duration>,
) -> Option<Suggestion> {
    r.suggest(&Request {
        lang,
        brand,
        author: Some("Анна"),
        labels,
        resolved,
        waited,
    })
}

/// Words that mean removing, hiding or banning, per language.
fn removal_words(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Ru => &["удал", "скры", "скро", "блок", "бан"],
        Lang::Zh => &["删除", "隐藏", "封禁", "屏蔽"],
        Lang::Da => &["slet", "fjern", "skjul", "bloker", "lukke for"],
        Lang::En | Lang::Other => &["remov", "delet", "hide", "hidden", "ban ", "block"],
    }
}

#[test]
fn shipped_templates_lint_clean() {
    let problems = Responder::built_in().lint();
    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{}", list.join("\n"));
}

#[test]
fn every_rule_renders_in_every_language_and_form_with_all_slots() {
    let r = Responder::built_in();
    for form in Address::BOTH {
        let b = full_brand(form);
        for lang in Lang::ALL {
            for rule in Rule::ALL {
                let (l, resolved) = labels_for(rule);
                assert_eq!(choose(&l, resolved), Some(rule));
                let s = suggest(&r, lang, &b, &l, resolved, Some(chrono::Duration::hours(3)))
                    .unwrap_or_else(|| panic!("{lang} {rule:?}: no suggestion"));
                let at = format!("{lang} {} {rule:?}:\n{}", form.as_str(), s.text);
                assert!(s.missing_slots.is_empty(), "{at}");
                assert!(s.rule.starts_with(&format!("{}: ", rule.id())), "{at}");
                assert!(s.rule.contains("[PLAYBOOK: "), "{at}");
                assert!(
                    !s.text.contains('{') && !s.text.starts_with("No draft"),
                    "{at}"
                );
                let checked = if lang == Lang::Other { Lang::En } else { lang };
                let form_used = b.address_for(checked);
                assert_eq!(
                    mixed_forms(checked, form_used, &s.text),
                    Vec::<String>::new(),
                    "{at}"
                );
            }
        }
    }
}

#[test]
fn forms_of_address_hold_in_russian_and_chinese() {
    let r = Responder::built_in();
    let (l, _) = labels_for(Rule::Complaint);
    let formal = suggest(&r, Lang::Ru, &full_brand(Address::Formal), &l, false, None).unwrap();
    assert!(
        formal.text.starts_with("Анна, здравствуйте!"),
        "{}",
        formal.text
    );
    assert!(formal.text.contains("лично Вам"), "{}", formal.text);
    let informal = suggest(
        &r,
        Lang::Ru,
        &full_brand(Address::Informal),
        &l,
        false,
        None,
    )
    .unwrap();
    assert!(
        informal.text.starts_with("Привет, Анна!"),
        "{}",
        informal.text
    );
    assert!(informal.text.contains("лично тебе"), "{}", informal.text);
    let zh_formal = suggest(&r, Lang::Zh, &full_brand(Address::Formal), &l, false, None).unwrap();
    assert!(zh_formal.text.contains('您') && !zh_formal.text.contains('你'));
    let zh_informal = suggest(
        &r,
        Lang::Zh,
        &full_brand(Address::Informal),
        &l,
        false,
        None,
    )
    .unwrap();
    assert!(zh_informal.text.contains('你') && !zh_informal.text.contains('您'));
    // The default brand: Russian «Вы», Chinese 您, Danish du.
    let plain = brand(SLOTS_SET);
    assert!(suggest(&r, Lang::Ru, &plain, &l, false, None)
        .unwrap()
        .text
        .contains("Вам"));
    assert!(suggest(&r, Lang::Zh, &plain, &l, false, None)
        .unwrap()
        .text
        .contains('您'));
    assert!(suggest(&r, Lang::Da, &plain, &l, false, None)
        .unwrap()
        .text
        .contains(" dig "));
}

#[test]
fn russian_plurals_come_out_right() {
    let r = Responder::built_in();
    let b = full_brand(Address::Formal);
    let (l, _) = labels_for(Rule::Complaint);
    let waited = |minutes: i64| {
        suggest(
            &r,
            Lang::Ru,
            &b,
            &l,
            false,
            Some(chrono::Duration::minutes(minutes)),
        )
        .unwrap()
        .text
    };
    for (hours, phrase) in [
        (1, "ждать 1 час."),
        (2, "ждать 2 часа."),
        (5, "ждать 5 часов."),
        (21, "ждать 21 час."),
        (22, "ждать 22 часа."),
        (11, "ждать 11 часов."),
    ] {
        let text = waited(hours * 60 + 5);
        assert!(text.contains(phrase), "{hours}h: {text}");
    }
    assert!(waited(3 * 24 * 60).contains("ждать 3 дня."));
    assert!(waited(5 * 24 * 60).contains("ждать 5 дней."));
    let on_time = waited(30);
    assert!(
        !on_time.contains("пришлось ждать"),
        "within the hour: no apology: {on_time}"
    );
    assert!(on_time.contains("в течение 24 часов"), "{on_time}");
    let question = labels_for(Rule::Question).0;
    let q = suggest(&r, Lang::Ru, &b, &question, false, None).unwrap();
    assert!(q.text.contains("в течение 2 часов"), "{}", q.text);

    // A shorter window apologises in minutes: 1 минуту, 2 минуты, 5 минут, 21 минуту.
    let quick = Responder::built_in().with_window(Duration::from_secs(10));
    for (minutes, phrase) in [
        (1, "ждать 1 минуту."),
        (2, "ждать 2 минуты."),
        (5, "ждать 5 минут."),
        (21, "ждать 21 минуту."),
    ] {
        let text = suggest(
            &quick,
            Lang::Ru,
            &b,
            &l,
            false,
            Some(chrono::Duration::minutes(minutes)),
        )
        .unwrap()
        .text;
        assert!(text.contains(phrase), "{minutes} min: {text}");
    }
    let en = |h: i64| {
        suggest(
            &r,
            Lang::En,
            &b,
            &l,
            false,
            Some(chrono::Duration::minutes(h * 60 + 1)),
        )
        .unwrap()
        .text
    };
    assert!(en(1).contains("waiting 1 hour.") && en(2).contains("waiting 2 hours."));
    let da = suggest(
        &r,
        Lang::Da,
        &b,
        &l,
        false,
        Some(chrono::Duration::minutes(61)),
    )
    .unwrap();
    assert!(da.text.contains("ventet 1 time."), "{}", da.text);
}

#[test]
fn a_missing_contact_is_named_not_half_rendered() {
    let r = Responder::built_in();
    let no_contact = brand("product = \"Nordlys Budget\"\nhours = \"9–21\"\n");
    let (l, _) = labels_for(Rule::Complaint);
    for lang in [Lang::Ru, Lang::Zh, Lang::Da, Lang::En] {
        let s = suggest(&r, lang, &no_contact, &l, false, None).unwrap();
        assert_eq!(s.missing_slots, ["contact"], "{lang}");
        assert!(s.rule.starts_with("complaint: "));
        assert!(
            s.text.contains("contact_email / contact_phone"),
            "{lang}: {}",
            s.text
        );
        assert!(
            !s.text.contains("лично"),
            "not a half-rendered draft: {}",
            s.text
        );
    }
    let ru = suggest(&r, Lang::Ru, &no_contact, &l, false, None).unwrap();
    assert!(ru.text.starts_with("Черновик не составлен"), "{}", ru.text);
    // Either half of the contact is enough; both are joined.
    let (email, phone) = (
        brand("contact_email = \"help@nordlys.example\"\nhours = \"9–21\"\n"),
        brand("contact_phone = \"+45 70 10 20 30\"\nhours = \"9–21\"\n"),
    );
    let e = suggest(&r, Lang::Ru, &email, &l, false, None).unwrap();
    assert!(e.missing_slots.is_empty() && e.text.contains("help@nordlys.example"));
    let p = suggest(&r, Lang::Ru, &phone, &l, false, None).unwrap();
    assert!(p.missing_slots.is_empty() && p.text.contains("+45 70 10 20 30"));
    let both = suggest(&r, Lang::Ru, &full_brand(Address::Formal), &l, false, None).unwrap();
    assert!(
        both.text
            .contains("help@nordlys.example, тел. +45 70 10 20 30"),
        "{}",
        both.text
    );
    // Two slots missing: both named, in name order.
    let bare = brand("");
    let s = suggest(&r, Lang::En, &bare, &l, false, None).unwrap();
    assert_eq!(s.missing_slots, ["contact", "hours"]);
    let praise = suggest(
        &r,
        Lang::En,
        &bare,
        &labels_for(Rule::Praise).0,
        false,
        None,
    )
    .unwrap();
    assert_eq!(praise.missing_slots, ["product"]);
    assert!(praise.text.contains("product"), "{}", praise.text);
}

#[test]
fn one_rule_per_mention_the_most_important() {
    use Flag::*;
    use Intent as I;
    use Sentiment::*;
    /// Labels, resolved, and the rule id wanted (`None`: no draft).
    type Case = (
        Intent,
        Sentiment,
        &'static [Flag],
        bool,
        Option<&'static str>,
    );
    let cases: &[Case] = &[
        (
            I::Complaint,
            Negative,
            &[Obscene, Insult, Spam],
            false,
            Some("obscene"),
        ),
        (I::Other, Neutral, &[Ad, Spam], false, Some("ad")),
        (I::Complaint, Negative, &[Spam, Insult], false, Some("spam")),
        (I::Other, Negative, &[Insult, Troll], false, Some("insult")),
        (I::Other, Negative, &[Troll], false, Some("troll")),
        (
            I::Complaint,
            Negative,
            &[SuspectedFake, NeedsReply],
            false,
            Some("suspected_fake"),
        ),
        (
            I::Incident,
            Negative,
            &[NeedsReply],
            false,
            Some("incident"),
        ),
        (
            I::Complaint,
            Negative,
            &[Constructive, NeedsReply],
            false,
            Some("complaint"),
        ),
        (
            I::Question,
            Neutral,
            &[Constructive, NeedsReply],
            false,
            Some("question"),
        ),
        (
            I::Praise,
            Positive,
            &[Constructive],
            false,
            Some("constructive"),
        ),
        (I::Praise, Positive, &[], false, Some("praise")),
        (I::Other, Neutral, &[NeedsReply], false, Some("acknowledge")),
        // Nothing owed: an `other` mention, however negative, gets no draft at all.
        (I::Other, Negative, &[], false, None),
        (I::Other, Neutral, &[], false, None),
        // Resolved: concerns get the "solved" reply; moderation and praise stand.
        (
            I::Complaint,
            Negative,
            &[NeedsReply],
            true,
            Some("resolved"),
        ),
        (I::Question, Neutral, &[NeedsReply], true, Some("resolved")),
        (I::Complaint, Negative, &[Obscene], true, Some("obscene")),
        (I::Other, Negative, &[Troll], true, Some("troll")),
        (I::Praise, Positive, &[], true, Some("praise")),
    ];
    let r = Responder::built_in();
    let b = full_brand(Address::Formal);
    for (intent, sentiment, flags, resolved, want) in cases {
        let l = labels(*intent, *sentiment, flags);
        let got = suggest(&r, Lang::En, &b, &l, *resolved, None);
        let got_id = got
            .as_ref()
            .map(|s| s.rule.split(':').next().unwrap().to_string());
        assert_eq!(
            got_id.as_deref(),
            *want,
            "{intent:?} {sentiment:?} {flags:?} resolved={resolved}"
        );
    }
    let (manual, _) = labels_for(Rule::ComplaintManual);
    let s = suggest(&r, Lang::En, &b, &manual, false, None).unwrap();
    assert!(s.rule.starts_with("complaint_manual: "));
    for condescending in ["manual", "rtfm", "should have", "obviously", "simply"] {
        assert!(!s.text.to_lowercase().contains(condescending), "{}", s.text);
    }
}

#[test]
fn a_negative_comment_is_never_removed_for_being_negative() {
    let r = Responder::built_in();
    let negative = labels(Intent::Complaint, Sentiment::Negative, &[Flag::NeedsReply]);
    let furious = Labels {
        sentiment_score: -1.0,
        ..negative.clone()
    };
    for form in Address::BOTH {
        let b = full_brand(form);
        for lang in Lang::ALL {
            for l in [&negative, &furious] {
                let s = suggest(&r, lang, &b, l, false, None).unwrap();
                assert!(s.rule.starts_with("complaint: "), "{lang}: {}", s.rule);
                for word in removal_words(lang) {
                    assert!(
                        !s.text.to_lowercase().contains(word),
                        "{lang} «{word}»: {}",
                        s.text
                    );
                }
            }
            // Only obscenity, spam repeats and ads ever remove; no other rule says so.
            for rule in Rule::ALL.into_iter().filter(|r| !r.removes()) {
                let (l, resolved) = labels_for(rule);
                let s = suggest(&r, lang, &b, &l, resolved, None).unwrap();
                for word in removal_words(lang) {
                    assert!(
                        !s.text.to_lowercase().contains(word),
                        "{lang} {rule:?} «{word}»: {}",
                        s.text
                    );
                }
            }
        }
    }
    let removing: Vec<Rule> = Rule::ALL.into_iter().filter(|r| r.removes()).collect();
    assert_eq!(removing, [Rule::Obscene, Rule::Ad, Rule::Spam]);
}

#[test]
fn obscene_and_spam_drafts_name_the_community_rule() {
    let r = Responder::built_in();
    let b = full_brand(Address::Formal);
    let rule_named = |lang: Lang| -> &'static [&'static str] {
        match lang {
            Lang::Ru => &["правило нашего сообщества «"],
            Lang::Zh => &["社区规则“"],
            Lang::Da => &["fællesskabsregel"],
            _ => &["community rule"],
        }
    };
    for lang in [Lang::Ru, Lang::Zh, Lang::Da, Lang::En] {
        for rule in [Rule::Obscene, Rule::Spam] {
            let (l, _) = labels_for(rule);
            let s = suggest(&r, lang, &b, &l, false, None).unwrap();
            for words in rule_named(lang) {
                assert!(s.text.contains(words), "{lang} {rule:?}: {}", s.text);
            }
            // A note to the moderator, then the message to the author, by name.
            let lines: Vec<&str> = s.text.lines().collect();
            assert_eq!(lines.len(), 2, "{lang} {rule:?}: {}", s.text);
            assert!(lines[1].contains("Анна"), "{lang}: {}", s.text);
        }
        let ad = suggest(&r, lang, &b, &labels_for(Rule::Ad).0, false, None).unwrap();
        assert_eq!(
            ad.text.lines().count(),
            1,
            "ads: no explanation owed: {}",
            ad.text
        );
        assert!(!ad.text.contains("Анна"));
    }
}

#[test]
fn insult_drafts_never_repeat_the_insult() {
    let r = Responder::built_in();
    let b = full_brand(Address::Formal);
    let cases = [
        (
            Lang::Ru,
            "«идиоты», «клоуны», «ворюги»",
            ["идиот", "клоун", "ворюг"],
        ),
        (
            Lang::En,
            "«idiots», «clowns», «crooks»",
            ["idiot", "clown", "crook"],
        ),
    ];
    for (lang, quoted, words) in cases {
        let mut l = labels(
            Intent::Complaint,
            Sentiment::Negative,
            &[Flag::Insult, Flag::NeedsReply],
        );
        l.reasons.insert(
            "insult".into(),
            format!("abuse aimed at a person or the company: {quoted}"),
        );
        for resolved in [false, true] {
            let s = suggest(&r, lang, &b, &l, resolved, None).unwrap();
            let all = format!("{}\n{}", s.text, s.rule).to_lowercase();
            for word in words {
                assert!(!all.contains(word), "{lang} «{word}»: {all}");
            }
        }
        let s = suggest(&r, lang, &b, &l, false, None).unwrap();
        assert!(s.rule.starts_with("insult: "));
    }
}

#[test]
fn unknown_authors_own_posts_and_other_languages() {
    let r = Responder::built_in();
    let b = full_brand(Address::Formal);
    let (l, _) = labels_for(Rule::Complaint);
    for author in [None, Some("  ")] {
        let s = r
            .suggest(&Request {
                lang: Lang::Ru,
                brand: &b,
                author,
                labels: &l,
                resolved: false,
                waited: None,
            })
            .unwrap();
        assert!(s.text.starts_with("Здравствуйте! Спасибо"), "{}", s.text);
    }
    let own = brand("authors = [\"Поддержка Nordlys\"]\n");
    let reply = Request {
        lang: Lang::Ru,
        brand: &own,
        author: Some("поддержка nordlys"),
        labels: &l,
        resolved: false,
        waited: None,
    };
    assert_eq!(
        r.suggest(&reply),
        None,
        "the brand does not answer its own post"
    );
    let other = suggest(&r, Lang::Other, &b, &l, false, None).unwrap();
    let en = suggest(&r, Lang::En, &b, &l, false, None).unwrap();
    assert_eq!(
        other, en,
        "a language without templates is answered in English"
    );
}

#[test]
fn suggestion_serialises_as_the_json_contract() {
    let s = Suggestion {
        text: "t".into(),
        rule: "complaint: …".into(),
        missing_slots: vec!["contact".into()],
    };
    assert_eq!(
        serde_json::to_value(&s).unwrap(),
        serde_json::json!({"text": "t", "rule": "complaint: …", "missing_slots": ["contact"]})
    );
}

#[test]
fn an_edited_file_overrides_the_built_in() {
    let dir = tempfile::tempdir().unwrap();
    let edited = built_in_text(Lang::Ru).replace(
        "Спасибо, что написали об этом, и простите: так быть не должно.",
        "Спасибо, что написали, — нам очень жаль.",
    );
    std::fs::write(dir.path().join("ru.ftl"), edited).unwrap();
    let r = Responder::load(dir.path()).unwrap();
    assert!(r.lint().is_empty(), "{:?}", r.lint());
    let b = full_brand(Address::Formal);
    let (l, _) = labels_for(Rule::Complaint);
    let ru = suggest(&r, Lang::Ru, &b, &l, false, None).unwrap();
    assert!(ru.text.contains("нам очень жаль"), "{}", ru.text);
    // Languages without a file in the folder keep the built-in templates.
    let en = suggest(&r, Lang::En, &b, &l, false, None).unwrap();
    assert_eq!(
        en,
        suggest(&Responder::built_in(), Lang::En, &b, &l, false, None).unwrap()
    );
    // A folder that does not exist at all: every language built in.
    assert!(Responder::load(&dir.path().join("nowhere")).is_ok());
}

#[test]
fn a_broken_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zh.ftl");
    std::fs::write(&path, "hello = 您好！\n\ncomplaint-formal = { $contact\n").unwrap();
    let err = Responder::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("zh.ftl:3:") && err.contains("not valid Fluent"),
        "{err}"
    );
    std::fs::write(&path, "hello = 您好！\nhello = 你好！\n").unwrap();
    let err = Responder::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("zh.ftl") && err.contains("`hello` is defined twice"),
        "{err}"
    );
}

#[test]
fn the_lint_fails_on_mixed_forms_and_missing_slots() {
    let dir = tempfile::tempdir().unwrap();
    let bad_ru = concat!(
        "complaint-formal = { $hello } Напиши нам: { $contcat }.\n",
        "praise-formal = { $hello } Рады, что тебе нравится { $product }.\n",
        "praise-informal = { $hello } Спасибо, что Вы с нами!\n",
        "question-formal = { $hello } Спасибо, вы правы.\n",
        "hello-formal = Здравствуйте!\n",
        "hello-named-formal = { $author }, здравствуйте!\n",
    );
    std::fs::write(dir.path().join("ru.ftl"), bad_ru).unwrap();
    std::fs::write(
        dir.path().join("zh.ftl"),
        built_in_text(Lang::Zh).replace("感谢您的提问", "感谢你的提问"),
    )
    .unwrap();
    let r = Responder::load(dir.path()).unwrap();
    let problems: Vec<String> = r.lint().iter().map(ToString::to_string).collect();
    let has = |message: &str, words: &str| {
        problems
            .iter()
            .any(|p| p.contains(&format!("`{message}`")) && p.contains(words))
    };
    let all = problems.join("\n");
    assert!(has("complaint-formal", "$contcat"), "{all}");
    assert!(has("praise-formal", "informal «тебе»"), "{all}");
    assert!(has("praise-informal", "formal «Вы»"), "{all}");
    assert!(has("question-formal", "«вы» in lower case"), "{all}");
    assert!(has("question-formal", "informal 你"), "{all}");
    assert!(has("complaint-informal", "missing"), "{all}");
    assert!(
        problems
            .iter()
            .all(|p| p.contains("ru.ftl") || p.contains("zh.ftl")),
        "{all}"
    );
}

#[test]
fn mixed_forms_are_found_on_word_boundaries() {
    assert!(mixed_forms(
        Lang::Ru,
        Address::Formal,
        "Тысяча спасибо, Вам и Вашей семье."
    )
    .is_empty());
    assert_eq!(
        mixed_forms(Lang::Ru, Address::Formal, "Спасибо, ТЫ лучший").len(),
        1
    );
    assert_eq!(
        mixed_forms(Lang::Ru, Address::Formal, "Спасибо, твоё мнение").len(),
        1
    );
    assert!(mixed_forms(
        Lang::Ru,
        Address::Informal,
        "Привет! Выход есть, ваттметр тоже."
    )
    .is_empty());
    assert_eq!(
        mixed_forms(Lang::Ru, Address::Informal, "Привет! Как Ваши дела?").len(),
        1
    );
    assert!(mixed_forms(
        Lang::Da,
        Address::Informal,
        "Hej! De har ret, og vi giver dem besked."
    )
    .is_empty());
    assert_eq!(
        mixed_forms(Lang::Da, Address::Informal, "Hej! Tak for Deres besked.").len(),
        1
    );
}

#[test]
fn every_shipped_config_loads_its_templates_lint_clean() {
    let mut n = 0;
    for entry in std::fs::read_dir("config").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let config = Config::load(&path).unwrap_or_else(|e| panic!("{e:#}"));
        let r = Responder::load(&config.replies.templates)
            .unwrap_or_else(|e| panic!("{}: {e:#}", path.display()))
            .with_window(config.replies.window);
        let problems: Vec<String> = r.lint().iter().map(ToString::to_string).collect();
        assert!(
            problems.is_empty(),
            "{}: {}",
            path.display(),
            problems.join("\n")
        );
        // Every shipped brand with slots set gets full drafts, never a note.
        for b in config.brands.iter().filter(|b| b.contact_email.is_some()) {
            for rule in Rule::ALL {
                let (l, resolved) = labels_for(rule);
                for lang in Lang::ALL {
                    let s = suggest(&r, lang, b, &l, resolved, None).unwrap();
                    assert!(s.missing_slots.is_empty(), "{} {lang} {rule:?}", b.name);
                }
            }
        }
        n += 1;
    }
    assert!(n >= 2);
}

#[test]
fn the_responder_can_be_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Responder>();
}
