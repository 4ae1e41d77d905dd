//! Behaviour of the matcher as a whole; normalisation, keys and the query
//! parser have their own tests next to their code.

use super::*;

fn brand(name: &str, aliases: &[&str], exclude: &[&str], query: Option<&str>) -> BrandConfig {
    let mut all = vec![name.to_string()];
    all.extend(aliases.iter().map(|a| a.to_string()));
    BrandConfig {
        name: name.into(),
        aliases: all,
        exclude: exclude.iter().map(|e| e.to_string()).collect(),
        query: query.map(str::to_string),
        ..Default::default()
    }
}

fn nordlys() -> Matcher {
    Matcher::new(&[brand("Nordlys", &["Нордлис", "诺德利斯"], &[], None)]).unwrap()
}

/// Surface forms found in `text` (title empty).
fn surfaces(m: &Matcher, text: &str) -> Vec<String> {
    m.find("", text).into_iter().map(|x| x.text).collect()
}

fn assert_found(m: &Matcher, text: &str, surface: &str) {
    assert_eq!(surfaces(m, text), [surface], "in {text:?}");
}

fn assert_none(m: &Matcher, text: &str) {
    assert_eq!(surfaces(m, text), Vec::<String>::new(), "in {text:?}");
}

#[test]
fn aliases_in_any_script_with_case_diacritics_and_yo_folded() {
    let m = nordlys();
    assert_found(&m, "I love Nordlys.", "Nordlys");
    assert_found(&m, "Я пользуюсь НОРДЛИС давно", "НОРДЛИС");
    assert_found(&m, "我喜欢诺德利斯", "诺德利斯");
    assert_found(&m, "Nórdlýs is great", "Nórdlýs");
    let birch = Matcher::new(&[brand("Берёза", &[], &[], None)]).unwrap();
    assert_found(&birch, "банк береза", "береза");
    let plain = Matcher::new(&[brand("Береза", &[], &[], None)]).unwrap();
    assert_found(&plain, "банк Берёза", "Берёза");
}

#[test]
fn russian_word_forms_match_and_include_the_ending() {
    let m = nordlys();
    for form in [
        "Нордлиса",
        "Нордлису",
        "Нордлисом",
        "Нордлисе",
        "Нордлисы",
        "Нордлисов",
    ] {
        assert_found(&m, &format!("Я доволен {form}, правда."), form);
    }
    assert_found(&m, "перешёл на Nordlys'ом", "Nordlys'ом");
    assert_found(&m, "у Nordlys-а новое", "Nordlys-а");
    assert_found(&m, "с Nordlysом", "Nordlysом");
    // A name that loses its last vowel in declension.
    let lada = Matcher::new(&[brand("Лада", &[], &[], None)]).unwrap();
    for form in ["Лада", "Лады", "Ладу", "Ладой", "Ладе"] {
        assert_found(&lada, &format!("про {form} говорят"), form);
    }
    assert_none(&lada, "ладно");
}

#[test]
fn english_and_danish_forms_but_not_other_words() {
    let m = nordlys();
    assert_found(&m, "Nordlys's app", "Nordlys's");
    assert_found(&m, "the Nordlys' app", "Nordlys");
    assert_found(&m, "Nordlysen er god", "Nordlysen");
    assert_found(&m, "Nordlys-appen", "Nordlys");
    assert_found(&m, "#Nordlys2024 trip", "Nordlys");
    assert_none(&m, "We sailed the Nordlysfjord");
    assert_none(&m, "nordlysning");
    assert_none(&m, "supernordlys");
    // Two separate words are not the name.
    assert_none(&m, "nord lys");
}

#[test]
fn chinese_alias_found_without_spaces() {
    let m = nordlys();
    assert_found(&m, "我昨天用了诺德利斯的app", "诺德利斯");
    // A Latin alias glued to Han text is still a word.
    assert_found(&m, "我用Nordlys的app", "Nordlys");
}

#[test]
fn multi_word_aliases_accept_any_space_or_hyphen() {
    let m = Matcher::new(&[brand("Acme Bank", &[], &[], None)]).unwrap();
    assert_found(&m, "I use acme  bank daily", "acme  bank");
    assert_found(&m, "ACME-bank rocks", "ACME-bank");
    assert_found(&m, "Acme\nBank", "Acme\nBank");
    assert_none(&m, "acme is a company");
}

#[test]
fn homoglyphs_mixed_in_one_word() {
    let m = nordlys();
    assert_found(&m, "Nоrdlys is bad", "Nоrdlys"); // Cyrillic о
    assert_found(&m, "это Нордлuс", "Нордлuс"); // Latin u
    assert_found(&m, "это HOPДЛИС", "HOPДЛИС"); // Latin H, O, P
    assert_found(&m, "NordIys", "NordIys"); // capital I for l
    assert_found(&m, "Nοrdlys", "Nοrdlys"); // Greek omicron
}

#[test]
fn digits_for_letters_inside_words() {
    let m = nordlys();
    assert_found(&m, "N0rdly5 scam", "N0rdly5");
    assert_found(&m, "h4te N0rdlys", "N0rdlys");
    assert_found(&m, "Н0рдлис", "Н0рдлис");
    assert_found(&m, "N0rdly$ again", "N0rdly$");
}

#[test]
fn separators_between_single_letters() {
    let m = nordlys();
    assert_found(&m, "avoid N.o.r.d.l.y.s!", "N.o.r.d.l.y.s");
    assert_found(&m, "avoid N-o-r-d-l-y-s", "N-o-r-d-l-y-s");
    assert_found(&m, "avoid N o r d l y s now", "N o r d l y s");
    assert_found(&m, "Н.о.р.д.л.и.с", "Н.о.р.д.л.и.с");
    assert_none(&m, "Nord. Lys");
    assert_none(&m, "No.rd.lys");
}

#[test]
fn zero_width_emoji_and_fullwidth() {
    let m = nordlys();
    for masked in [
        "Nord\u{200B}lys",
        "Nor\u{200C}d\u{200D}lys",
        "Nord\u{2060}lys",
        "\u{FEFF}Nordlys",
        "Nord\u{00AD}lys",
        "Nord🔥lys",
        "N🤬o🤬r🤬d🤬l🤬y🤬s",
        "Ｎｏｒｄｌｙｓ",
    ] {
        let text = format!("I hate {masked} so much");
        let found = m.find("", &text);
        assert_eq!(found.len(), 1, "in {text:?}");
        assert!(
            masked.ends_with(&found[0].text),
            "{masked:?} vs {:?}",
            found[0].text
        );
    }
}

#[test]
fn repeated_letters_collapse_on_both_sides() {
    let m = nordlys();
    assert_found(&m, "Nordlyyys!!!", "Nordlyyys");
    assert_found(&m, "Нооордлис", "Нооордлис");
    // The alias's own double letter still matches single, double and tripled.
    let hallo = Matcher::new(&[brand("Hallo", &[], &[], None)]).unwrap();
    assert_found(&hallo, "say Hallo", "Hallo");
    assert_found(&hallo, "say Halo", "Halo");
    assert_found(&hallo, "say Halllooo", "Halllooo");
}

#[test]
fn offsets_point_at_the_original_surface() {
    let m = nordlys();
    let title = "Про Нордлисом";
    let text = "x N.o.r.d.l.y.s, 诺德利斯 and Ｎｏｒｄｌｙｓ";
    let found = m.find(title, text);
    assert_eq!(found.len(), 4);
    assert_eq!(found[0].field, MatchField::Title);
    for f in &found {
        let src = if f.field == MatchField::Title {
            title
        } else {
            text
        };
        assert!(src.is_char_boundary(f.start) && src.is_char_boundary(f.end));
        assert_eq!(&src[f.start..f.end], f.text);
        assert_eq!(f.brand, "Nordlys");
    }
    let texts: Vec<&str> = found.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Нордлисом", "N.o.r.d.l.y.s", "诺德利斯", "Ｎｏｒｄｌｙｓ"]
    );
}

#[test]
fn exclude_phrases_hide_only_their_own_occurrences() {
    let m = Matcher::new(&[brand("Nordlys", &[], &["nordlys hotel"], None)]).unwrap();
    assert!(m.find("", "We stayed at the Nordlys Hotel").is_empty());
    assert!(m.find("Nordlys-hotellet", "").is_empty());
    let found = m.find("", "Nordlys Hotel was fine but the Nordlys app crashed");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].start, "Nordlys Hotel was fine but the ".len());
}

#[test]
fn boolean_query_refines_a_brand() {
    let q = r#""nordlys" AND (app OR tariff OR тариф) NOT hotel"#;
    let m = Matcher::new(&[brand("Nordlys", &["Нордлис"], &[], Some(q))]).unwrap();
    assert!(m.find("", "Nordlys is lovely tonight").is_empty());
    assert_eq!(m.find("", "Nordlys app crashed").len(), 1);
    assert_eq!(m.find("New tariffs", "from Nordlys").len(), 1);
    assert_eq!(
        m.find("", "Нордлис с новым тарифом").len(),
        0,
        "\"nordlys\" term needs Latin"
    );
    assert!(m.find("", "Nordlys app at the hotel").is_empty());
    let ru = r#"нордлис AND тариф"#;
    let m = Matcher::new(&[brand("Nordlys", &["Нордлис"], &[], Some(ru))]).unwrap();
    assert_eq!(surfaces(&m, "Нордлису подняли тарифы"), ["Нордлису"]);
    assert!(m.find("", "Нордлису подняли цены").is_empty());
}

#[test]
fn validate_query_reports_position() {
    assert!(validate_query(r#""nordlys" AND (app OR tariff)"#).is_ok());
    assert_eq!(
        validate_query("nordlys AND (app OR").unwrap_err(),
        "OR at character 18 has nothing on its right"
    );
    assert_eq!(
        validate_query("(nordlys").unwrap_err(),
        "`(` at character 1 is never closed"
    );
    let bad = brand("Nordlys", &[], &[], Some("app)"));
    assert!(matches!(
        Matcher::new(&[bad]),
        Err(MatcherError::BadQuery { .. })
    ));
}

#[test]
fn several_brands_and_overlaps() {
    let brands = [
        brand("Acme", &[], &[], None),
        brand("Acme Bank", &[], &[], None),
        brand("Nordlys", &["Нордлис"], &[], None),
    ];
    let m = Matcher::new(&brands).unwrap();
    let found = m.find("Nordlys vs Acme", "Acme Bank is not Acme; Нордлис too");
    let pairs: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.brand.as_str(), f.text.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("Nordlys", "Nordlys"),
            ("Acme", "Acme"),
            ("Acme Bank", "Acme Bank"),
            ("Acme", "Acme"),
            ("Nordlys", "Нордлис"),
        ]
    );
    assert_eq!(m.brands_in(&found), ["Acme", "Acme Bank", "Nordlys"]);
    assert!(m.brands_in(&m.find("", "nothing here")).is_empty());
}

#[test]
fn bad_aliases_are_config_errors() {
    let err = Matcher::new(&[brand("Nordlys", &["!!!"], &[], None)]).unwrap_err();
    assert!(err.to_string().contains("`!!!`"), "{err}");
    let err = Matcher::new(&[brand("Nordlys", &[], &["--"], None)]).unwrap_err();
    assert!(err.to_string().contains("exclude phrase"), "{err}");
}

#[test]
fn a_long_text_with_many_aliases_is_scanned_once() {
    let brands = [
        brand(
            "Nordlys",
            &["Нордлис", "诺德利斯"],
            &["nordlys hotel"],
            None,
        ),
        brand("Acme Bank", &["Акме Банк", "艾克米"], &[], None),
        brand("Blåbær", &["Блобер", "蓝莓"], &[], None),
    ];
    let m = Matcher::new(&brands).unwrap();
    let filler = "Lorem ipsum dolor sit amet, съешь же ещё этих мягких булок 我们今天去公园. ";
    let mut text = String::new();
    while text.len() < 5_000 {
        text.push_str(filler);
        text.push_str("N0rdlys ");
    }
    let expected = text.matches("N0rdlys").count();
    text.push_str("Blabaer and Акме-Банк");
    let found = m.find("", &text);
    assert_eq!(
        found.iter().filter(|f| f.brand == "Nordlys").count(),
        expected
    );
    assert_eq!(m.brands_in(&found), ["Nordlys", "Acme Bank", "Blåbær"]);
}

#[test]
fn never_panics_on_tricky_input() {
    let m = Matcher::new(&[
        brand(
            "Nordlys",
            &["Нордлис", "诺德利斯", "Acme Bank"],
            &["x y"],
            Some("a OR NOT b"),
        ),
        brand("Лада", &["ab"], &[], None),
    ])
    .unwrap();
    let long_a = "a".repeat(10_000);
    let long_mix = "Nо".repeat(5_000);
    let tricky = [
        "",
        " ",
        "\u{301}\u{301}\u{301}",
        "\u{200B}\u{200D}\u{FEFF}\u{00AD}",
        "Nоrdлис诺德🔥",
        "👨‍👩‍👧‍👦🏳️‍🌈",
        "İstanbul ﬃ ẞ ǅ ﷺ",
        "\u{0}\u{FFFF}\u{10FFFF}",
        "N.",
        ".N.o.",
        "'-'-'",
        "한국어 ひらがな ｶﾀｶﾅ",
        "ab'",
        "Лад",
        long_a.as_str(),
        long_mix.as_str(),
    ];
    for title in tricky {
        for text in tricky {
            for f in m.find(title, text) {
                let src = if f.field == MatchField::Title {
                    title
                } else {
                    text
                };
                assert_eq!(src.get(f.start..f.end), Some(f.text.as_str()));
            }
        }
        let _ = normalize(title);
        let _ = validate_query(title);
    }
}

#[test]
fn matcher_is_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Matcher>();
    let m = std::sync::Arc::new(nordlys());
    let worker = {
        let m = std::sync::Arc::clone(&m);
        std::thread::spawn(move || m.find("", "Нордлисом").len())
    };
    assert_eq!(worker.join().unwrap(), 1);
}
