//! Property tests of the survey importers (QSF, SurveyJS, LSS): whatever the
//! file holds, an import answers `Ok` or an `ImportError` and never panics,
//! and what it returns is bounded by the file and keeps the importer's
//! promises (keys of a-z0-9_ made unique, conditions only on earlier
//! questions, rating scales of 3 to 10).
//!
//! Inputs are arbitrary text, generated near-valid documents (JSON with random
//! nesting and types, XML-ish LimeSurvey tables), and the test fixtures with a
//! few random edits.

use proptest::prelude::*;
use rapport_core::survey::{is_key, QuestionType};
use rapport_core::survey_import::{import, import_any, Format, ImportError, Imported};
use serde_json::{json, Map, Value};

const QSF: &str = include_str!("fixtures/survey.qsf");
const SURVEYJS: &str = include_str!("fixtures/survey.surveyjs.json");
const LSS: &str = include_str!("fixtures/survey.lss");

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

/// How many questions a file can hold at most: one per JSON object, or one
/// per LimeSurvey `<row`.
fn capacity(format: Format, source: &str) -> usize {
    match format {
        Format::Qsf | Format::SurveyJs => source.matches('{').count(),
        // An array of numbers may become a question per cell: rows × columns.
        Format::Lss => source.matches("<row").count().pow(2),
    }
}

/// The promises of an import, checked on whatever it returned.
fn check(format: Format, source: &str, result: Result<Imported, ImportError>) -> Result<(), TestCaseError> {
    let imported = match result {
        Ok(imported) => imported,
        // A refused file is an answer too; its message names the format.
        Err(e) => {
            prop_assert!(!e.to_string().is_empty());
            return Ok(());
        }
    };
    let capacity = capacity(format, source);
    prop_assert!(
        imported.questions.len() <= capacity,
        "{} questions from a file with room for {capacity}",
        imported.questions.len()
    );
    prop_assert!(imported.report.len() <= 10 * (capacity + 1), "{} report entries", imported.report.len());
    let mut keys: Vec<&str> = Vec::new();
    for q in &imported.questions {
        prop_assert!(is_key(&q.key), "question key {:?}", q.key);
        prop_assert!(!keys.contains(&q.key.as_str()), "duplicate key {:?}", q.key);
        let mut choice_keys: Vec<&str> = Vec::new();
        for c in &q.choices {
            prop_assert!(is_key(&c.key), "choice key {:?}", c.key);
            prop_assert!(!choice_keys.contains(&c.key.as_str()), "duplicate choice {:?}", c.key);
            choice_keys.push(&c.key);
        }
        prop_assert!(q.choices.len() <= source.len());
        match q.kind {
            QuestionType::Rating => prop_assert!(q.scale_max.is_some_and(|m| (3..=10).contains(&m)), "{q:?}"),
            QuestionType::Matrix => {
                let (lo, hi) = q.matrix_scale();
                prop_assert!((0..=1).contains(&lo) && (2..=10).contains(&hi) && !q.rows.is_empty(), "{q:?}")
            }
            _ => prop_assert_eq!(q.scale_max, None),
        }
        if let Some(c) = &q.show_if {
            for part in c.parts() {
                let target = part.question_key();
                prop_assert!(keys.contains(&target), "{} shown if {} (not earlier)", q.key, part.question);
            }
        }
        keys.push(&q.key);
    }
    // Whatever the file, an import with a question validates: what does not
    // fit a Rapport survey is reported, not passed on.
    if imported.questions.iter().any(|q| !q.kind.is_display()) {
        if let Err(e) = imported.draft(1).validate() {
            prop_assert!(false, "the imported draft does not validate: {e}");
        }
    }
    prop_assert!(imported.counts.kept <= imported.counts.in_file);
    Ok(())
}

/// Imports `source` as `format`, and as whatever format it is detected as.
fn import_both(format: Format, source: &str) -> Result<(), TestCaseError> {
    check(format, source, import(format, source))?;
    match import_any(source) {
        Ok((detected, imported)) => {
            prop_assert_eq!(Format::detect(source), Some(detected));
            check(detected, source, Ok(imported))?;
        }
        Err(ImportError::UnknownFormat) => prop_assert_eq!(Format::detect(source), None),
        Err(_) => prop_assert!(Format::detect(source).is_some()),
    }
    Ok(())
}

// ---------------------------------------------------------------- generators

/// Short texts that matter to the importers: HTML, entities, condition
/// syntax, accents, NUL, and arbitrary text.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 _.-]{0,12}",
        2 => "[<>/&;#x0-9a-z\"' =!{}()\\[\\]\\\\]{0,16}",
        1 => prop::sample::select(vec![
            "<p>How <b>likely</b>&nbsp;are you?</p>",
            "&iquest;Qu&eacute; tal?",
            "&#0;&#x110000;&#xD800;&#99999999999;&;&#;&#x;",
            "Ñandú ¿qué? — “ok”",
            "a < b & c > d",
            "\u{0}",
            "<",
            "&",
            "",
            "   ",
        ])
        .prop_map(String::from),
        1 => any::<String>(),
    ]
    .boxed()
}

/// Names that other elements refer to, so that conditions sometimes match.
fn name() -> BoxedStrategy<String> {
    prop_oneof![
        3 => prop::sample::select(vec!["q1", "q2", "q3", "Q1", "QID1", "QID2", "QID3", "nps", "1", "2", "A1", ""])
            .prop_map(String::from),
        1 => text(),
    ]
    .boxed()
}

fn number() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => (-2i64..12).prop_map(Value::from),
        1 => any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        1 => any::<i64>().prop_map(Value::from),
        1 => (-2i64..12).prop_map(|n| Value::from(n.to_string())),
    ]
    .boxed()
}

/// Any JSON value, nested up to a few levels.
fn any_json() -> BoxedStrategy<Value> {
    let leaf =
        prop_oneof![Just(Value::Null), any::<bool>().prop_map(Value::from), number(), text().prop_map(Value::from),];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((name(), inner), 0..5)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
    .boxed()
}

/// Mostly `good`, sometimes (one time in 60) any JSON value in its place: a
/// type error, which makes the whole element unreadable.
fn or_junk(good: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop_oneof![60 => good, 1 => any_json()].boxed()
}

/// An object with each of `fields` present or not, most of them as likely
/// as not.
fn object(fields: Vec<(&'static str, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    object_p(fields.into_iter().map(|(k, s)| (k, 0.5, s)).collect())
}

/// An object with each of `fields` present with the given probability.
fn object_p(fields: Vec<(&'static str, f64, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    let fields: Vec<_> =
        fields.into_iter().map(|(k, p, s)| prop::option::weighted(p, or_junk(s)).prop_map(move |v| (k, v))).collect();
    fields
        .prop_map(|members| Value::Object(members.into_iter().filter_map(|(k, v)| Some((k.to_string(), v?))).collect()))
        .boxed()
}

/// The names conditions refer to: mostly those of generated questions.
fn target() -> BoxedStrategy<String> {
    prop_oneof![4 => prop::sample::select(vec!["q1", "q2", "Q1", "Q2"]).prop_map(String::from), 1 => name()].boxed()
}

/// A condition as SurveyJS or LimeSurvey writes them, or something like one.
fn condition() -> BoxedStrategy<String> {
    let op = prop::sample::select(vec!["=", "==", "!=", "<>", "<=", ">=", "<", ">", " contains ", " notempty", ""]);
    let value = prop::sample::select(vec!["A1", "A2", "Y", "N", "1", "2", "x", "true"]);
    let literal = prop_oneof![
        3 => (-2i64..12).prop_map(|n| n.to_string()),
        2 => value.clone().prop_map(|n| format!("'{n}'")),
        2 => value.prop_map(|n| format!("\"{n}\"")),
        1 => Just("true".to_string()),
        1 => text(),
    ];
    prop_oneof![
        3 => (target(), op.clone(), literal.clone()).prop_map(|(n, op, l)| format!("{{{n}}} {op} {l}")),
        3 => (target(), prop::sample::select(vec!["", ".NAOK", ".value", ".code"]), op, literal, 0usize..3).prop_map(
            |(n, sfx, op, l, parens)| format!("{}{n}{sfx} {op} {l}{}", "(".repeat(parens), ")".repeat(parens))
        ),
        1 => target().prop_map(|n| format!("!is_empty({n})")),
        1 => text(),
    ]
    .boxed()
}

fn localized() -> BoxedStrategy<Value> {
    prop_oneof![
        text().prop_map(Value::from),
        (text(), text(), text()).prop_map(|(d, en, es)| json!({"default": d, "en": en, "es": es})),
        Just(Value::Null),
    ]
    .boxed()
}

/// A SurveyJS element: a question of any type, or a panel of elements.
fn surveyjs_element() -> BoxedStrategy<Value> {
    let kind = prop::sample::select(vec![
        "rating",
        "rating",
        "radiogroup",
        "dropdown",
        "checkbox",
        "tagbox",
        "boolean",
        "text",
        "comment",
        "html",
        "matrix",
        "file",
        "",
        "unknown",
    ]);
    let value = prop_oneof![
        3 => prop::sample::select(vec!["A1", "A2", "Y", "N", "1", "2", "x"]).prop_map(Value::from),
        1 => any_json(),
    ];
    let choice =
        prop_oneof![value.clone(), (value, localized()).prop_map(|(v, t)| json!({"value": v, "text": t}))].boxed();
    let float = |common: std::ops::Range<i64>| {
        prop_oneof![
            4 => common.prop_map(Value::from),
            1 => any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        ]
        .boxed()
    };
    let flag = |p: f64| prop::bool::weighted(p).prop_map(Value::from).boxed();
    let question = object_p(vec![
        ("type", 0.97, kind.prop_map(Value::from).boxed()),
        ("name", 0.9, prop_oneof![3 => target(), 1 => name()].prop_map(Value::from).boxed()),
        ("title", 0.7, localized()),
        ("isRequired", 0.5, flag(0.5)),
        ("visible", 0.2, flag(0.5)),
        ("visibleIf", 0.5, condition().prop_map(Value::from).boxed()),
        ("requiredIf", 0.1, condition().prop_map(Value::from).boxed()),
        ("choices", 0.7, prop::collection::vec(choice, 0..6).prop_map(Value::Array).boxed()),
        ("rateMin", 0.6, float(0..2)),
        ("rateMax", 0.6, float(3..11)),
        ("rateStep", 0.2, float(1..2)),
        ("rateCount", 0.2, float(2..12)),
        (
            "rateValues",
            0.15,
            prop::collection::vec(prop_oneof![number(), number().prop_map(|n| json!({"value": n}))], 0..12)
                .prop_map(Value::Array)
                .boxed(),
        ),
        ("autoGenerate", 0.1, flag(0.5)),
        ("labelTrue", 0.3, localized()),
        ("valueTrue", 0.2, any_json()),
        ("hasOther", 0.2, flag(0.5)),
        ("showCommentArea", 0.2, flag(0.5)),
        ("validators", 0.1, prop::collection::vec(any_json(), 0..2).prop_map(Value::Array).boxed()),
        ("choicesByUrl", 0.05, any_json()),
        ("choicesFromQuestion", 0.05, name().prop_map(Value::from).boxed()),
    ]);
    question
        .prop_recursive(3, 24, 4, |inner| {
            (
                object_p(vec![
                    ("name", 0.5, name().prop_map(Value::from).boxed()),
                    ("visibleIf", 0.3, condition().prop_map(Value::from).boxed()),
                    ("visible", 0.1, any::<bool>().prop_map(Value::from).boxed()),
                ]),
                prop::collection::vec(inner, 0..4),
            )
                .prop_map(|(mut panel, elements)| {
                    if let Value::Object(o) = &mut panel {
                        o.insert("type".into(), "panel".into());
                        o.insert("elements".into(), Value::Array(elements));
                    }
                    panel
                })
        })
        .boxed()
}

fn surveyjs_document() -> BoxedStrategy<Value> {
    let elements = || prop::collection::vec(surveyjs_element(), 0..6).prop_map(Value::Array).boxed();
    let page =
        object_p(vec![("visibleIf", 0.2, condition().prop_map(Value::from).boxed()), ("elements", 0.9, elements())]);
    object_p(vec![
        ("title", 0.7, localized()),
        ("description", 0.5, localized()),
        ("locale", 0.5, prop::sample::select(vec!["en", "es", "es-MX", "de", ""]).prop_map(Value::from).boxed()),
        ("pages", 0.7, prop::collection::vec(page, 0..3).prop_map(Value::Array).boxed()),
        ("elements", 0.5, elements()),
        ("questions", 0.2, elements()),
    ])
}

fn qsf_question() -> BoxedStrategy<Value> {
    let qid =
        prop::sample::select(vec!["QID1", "QID2", "QID3", "QID4", "QID5", "QID6", ""]).prop_map(Value::from).boxed();
    let choice_id = prop::sample::select(vec!["1", "2", "3", "4", "x"]);
    let choices = prop_oneof![
        prop::collection::vec(
            (choice_id.clone(), text(), any_json())
                .prop_map(|(id, d, te)| (id, json!({"Display": d, "TextEntry": te}))),
            0..6
        )
        .prop_map(|c| Value::Object(c.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        prop::collection::vec(text().prop_map(|d| json!({"Display": d})), 0..12).prop_map(Value::Array),
    ]
    .boxed();
    let order = prop::collection::vec(prop_oneof![choice_id.prop_map(Value::from), number()], 0..6)
        .prop_map(Value::Array)
        .boxed();
    let logic = (
        prop::sample::select(vec!["Question", "Question", "Question", "EmbeddedField"]),
        qid.clone(),
        prop::sample::select(vec!["SelectableChoice", "SelectableChoice", "ChoiceTextEntryValue", ""]),
        prop::sample::select(vec!["1", "2", "x"]),
        prop::sample::select(vec!["Selected", "NotSelected", "NotEmpty", "EqualTo", "LessThanOrEqual", "Odd"]),
        text(),
        any::<bool>(),
    )
        .prop_map(|(kind, qid, what, choice, op, right, two)| {
            let expr = json!({
                "LogicType": kind,
                "LeftOperand": format!("q://{}/{what}/{choice}", qid.as_str().unwrap_or("")),
                "Operator": op,
                "RightOperand": right,
            });
            let group = if two { json!({"0": expr, "1": expr, "Type": "If"}) } else { json!({"0": expr}) };
            json!({"0": group, "Type": "BooleanExpression"})
        })
        .boxed();
    let choice = |options: Vec<&'static str>| prop::sample::select(options).prop_map(Value::from).boxed();
    let payload = object_p(vec![
        ("QuestionID", 0.9, qid.clone()),
        ("DataExportTag", 0.6, prop_oneof![3 => target(), 1 => name()].prop_map(Value::from).boxed()),
        ("QuestionType", 0.95, choice(vec!["MC", "MC", "TE", "Slider", "Matrix", "NPS", "DB", "RO", "Timing", ""])),
        (
            "Selector",
            0.9,
            choice(vec!["SAVR", "MAVR", "DL", "NPS", "SL", "ML", "FORM", "STAR", "HSLIDER", "Likert", "TB", ""]),
        ),
        ("SubSelector", 0.3, choice(vec!["SingleAnswer", "MultipleAnswer", "TX", ""])),
        ("QuestionText", 0.8, text().prop_map(Value::from).boxed()),
        ("Choices", 0.8, choices.clone()),
        ("ChoiceOrder", 0.4, order.clone()),
        ("Answers", 0.3, choices),
        ("AnswerOrder", 0.2, order),
        (
            "Configuration",
            0.4,
            object(vec![
                ("StarCount", number()),
                ("CSSliderMin", number()),
                ("CSSliderMax", number()),
                ("NumDecimals", number()),
            ]),
        ),
        ("Validation", 0.5, choice(vec!["ON", "OFF"]).prop_map(|f| json!({"Settings": {"ForceResponse": f}})).boxed()),
        (
            "Language",
            0.4,
            (text(), text())
                .prop_map(|(t, c)| json!({"ES": {"QuestionText": t, "Choices": {"1": {"Display": c}}}}))
                .boxed(),
        ),
        ("DisplayLogic", 0.4, logic),
        ("SkipLogic", 0.1, any_json()),
    ]);
    (qid, payload)
        .prop_map(|(qid, payload)| json!({"Element": "SQ", "PrimaryAttribute": qid, "Payload": payload}))
        .boxed()
}

fn qsf_flow() -> BoxedStrategy<Value> {
    let block_id = prop::sample::select(vec!["BL_1", "BL_2", "BL_3", ""]);
    let leaf = (prop::sample::select(vec!["Block", "Standard", "Default", "EmbeddedData", "EndSurvey"]), block_id)
        .prop_map(|(t, id)| json!({"Type": t, "ID": id}));
    leaf.prop_recursive(4, 24, 4, |inner| {
        (prop::sample::select(vec!["Branch", "Group", "Randomizer"]), prop::collection::vec(inner, 0..4))
            .prop_map(|(t, flow)| json!({"Type": t, "Flow": flow}))
    })
    .boxed()
}

fn qsf_document() -> BoxedStrategy<Value> {
    let block = (
        prop::sample::select(vec!["BL_1", "BL_2", "BL_3"]),
        prop::sample::select(vec!["Default", "Standard", "Trash"]),
        prop::collection::vec(
            (
                prop::sample::select(vec!["Question", "Question", "Page Break"]),
                prop::sample::select(vec!["QID1", "QID2", "QID3", "QID4", "QID5", "QID6"]),
            )
                .prop_map(|(t, q)| json!({"Type": t, "QuestionID": q})),
            0..5,
        ),
    )
        .prop_map(|(id, t, elements)| json!({"ID": id, "Type": t, "BlockElements": elements}));
    let blocks = prop_oneof![
        prop::collection::vec(block.clone(), 0..4).prop_map(Value::Array),
        prop::collection::vec(block, 0..4)
            .prop_map(|b| Value::Object(b.into_iter().enumerate().map(|(i, b)| (i.to_string(), b)).collect())),
    ];
    let others = (
        blocks.prop_map(|p| json!({"Element": "BL", "Payload": p})),
        prop::collection::vec(qsf_flow(), 0..4).prop_map(|f| json!({"Element": "FL", "Payload": {"Flow": f}})),
    );
    (
        object(vec![
            ("SurveyName", text().prop_map(Value::from).boxed()),
            ("SurveyLanguage", prop::sample::select(vec!["EN", "ES", "es-ES", "DE", ""]).prop_map(Value::from).boxed()),
        ]),
        prop::collection::vec(qsf_question(), 0..8),
        prop::option::of(others),
        any::<bool>(),
    )
        .prop_map(|(entry, mut elements, others, entry_present)| {
            if let Some((bl, fl)) = others {
                elements.push(bl);
                elements.push(fl);
            }
            let mut root = json!({"SurveyElements": elements});
            if entry_present {
                root["SurveyEntry"] = entry;
            }
            root
        })
        .boxed()
}

/// A text for XML, escaped or in CDATA, without the characters XML 1.0
/// forbids (documents that break XML come from `xml_ish_text_as_lss`, cut
/// documents and the mutated fixture).
fn xml_text() -> BoxedStrategy<String> {
    let clean = |s: String| -> String {
        s.chars()
            .filter(|c| matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && !matches!(c, '\u{fffe}' | '\u{ffff}')))
            .collect()
    };
    prop_oneof![
        2 => text().prop_map(move |s| clean(s).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")),
        1 => text().prop_map(move |s| format!("<![CDATA[{}]]>", clean(s).replace("]]>", ""))),
    ]
    .boxed()
}

fn lss_row() -> BoxedStrategy<String> {
    let field = |name: &'static str, values: BoxedStrategy<String>| {
        prop::option::weighted(0.75, values).prop_map(move |v| v.map(|v| format!("<{name}>{v}</{name}>")))
    };
    let pick = |v: Vec<&'static str>| prop::sample::select(v).prop_map(String::from).boxed();
    let ids = || pick(vec!["0", "1", "2", "3", "1", "2", "3", "x", ""]);
    (
        (
            field("qid", ids()),
            field("parent_qid", ids()),
            field("gid", ids()),
            field("type", pick(vec!["L", "!", "O", "M", "P", "Y", "S", "T", "U", "5", "X", "N", "F", "|", ""])),
            field("title", prop_oneof![4 => pick(vec!["Q1", "Q2", "SQ001", "A1", ""]), 1 => xml_text()].boxed()),
            field("mandatory", pick(vec!["Y", "N"])),
            field("other", pick(vec!["Y", "N"])),
        ),
        (
            field("question_order", prop_oneof![ids(), any::<i64>().prop_map(|n| n.to_string()).boxed()].boxed()),
            field("relevance", condition().prop_map(|c| c.replace('&', "&amp;").replace('<', "&lt;")).boxed()),
            field("language", pick(vec!["en", "es", "es-MX", "de", ""])),
            field("question", xml_text()),
            field("aid", ids()),
            field("code", pick(vec!["A1", "A2", "Y", "N", ""])),
            field("answer", xml_text()),
        ),
        (
            field("sortorder", ids()),
            field("scale_id", pick(vec!["0", "1", ""])),
            field("group_order", ids()),
            field("surveyls_language", pick(vec!["en", "es"])),
            field("surveyls_title", xml_text()),
            field("surveyls_description", xml_text()),
        ),
    )
        .prop_map(|(a, b, c)| {
            let (a1, a2, a3, a4, a5, a6, a7) = a;
            let (b1, b2, b3, b4, b5, b6, b7) = b;
            let (c1, c2, c3, c4, c5, c6) = c;
            let fields = [a1, a2, a3, a4, a5, a6, a7, b1, b2, b3, b4, b5, b6, b7, c1, c2, c3, c4, c5, c6];
            format!("<row>{}</row>", fields.into_iter().flatten().collect::<String>())
        })
        .boxed()
}

fn lss_document() -> BoxedStrategy<String> {
    let table = prop::sample::select(vec![
        "subquestions",
        "answers",
        "question_l10ns",
        "answer_l10ns",
        "groups",
        "surveys",
        "surveys_languagesettings",
        "other",
    ]);
    let rows = || prop::collection::vec(lss_row(), 0..6);
    let tables = prop::collection::vec((table, rows()), 0..6);
    (rows(), tables, prop::bool::weighted(0.8), prop::option::weighted(0.15, any::<prop::sample::Index>()))
        .prop_map(|(questions, tables, doctype, cut)| {
            let mut body = String::new();
            if doctype {
                body.push_str("<LimeSurveyDocType>Survey</LimeSurveyDocType>");
            }
            body.push_str(&format!("<questions><rows>{}</rows></questions>", questions.concat()));
            for (name, rows) in tables {
                body.push_str(&format!("<{name}><rows>{}</rows></{name}>", rows.concat()));
            }
            let doc = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document>{body}</document>");
            match cut {
                // Sometimes the document is cut short (at a character boundary).
                Some(i) => {
                    let mut at = i.index(doc.len() + 1);
                    while !doc.is_char_boundary(at) {
                        at -= 1;
                    }
                    doc[..at].to_string()
                }
                None => doc,
            }
        })
        .boxed()
}

/// A fixture with a few edits: ranges removed, structural tokens inserted.
fn mutated(fixture: &'static str) -> BoxedStrategy<String> {
    let token = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        "\"",
        ",",
        ":",
        "null",
        "0",
        "-1e999",
        "\\u0000",
        "<",
        ">",
        "</row>",
        "<row>",
        "<![CDATA[",
        "]]>",
        "&amp;",
        "&#0;",
        "&",
        "<questions>",
        "\u{feff}",
        "\u{0}",
        "é",
    ]);
    let edit = (any::<prop::sample::Index>(), 0usize..40, prop::option::of(token));
    prop::collection::vec(edit, 1..3)
        .prop_map(move |edits| {
            let mut s = fixture.to_string();
            for (at, remove, insert) in edits {
                let mut start = at.index(s.len() + 1);
                while !s.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = (start + remove).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(start..end, insert.unwrap_or(""));
            }
            s
        })
        .boxed()
}

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_text_in_any_format(source in any::<String>()) {
        for format in Format::ALL {
            import_both(format, &source)?;
        }
    }

    #[test]
    fn any_json_as_qsf_or_surveyjs(doc in any_json()) {
        let source = doc.to_string();
        import_both(Format::Qsf, &source)?;
        import_both(Format::SurveyJs, &source)?;
    }

    #[test]
    fn generated_surveyjs_documents(doc in surveyjs_document()) {
        import_both(Format::SurveyJs, &doc.to_string())?;
    }

    #[test]
    fn generated_qsf_documents(doc in qsf_document()) {
        import_both(Format::Qsf, &doc.to_string())?;
    }

    #[test]
    fn generated_lss_documents(doc in lss_document()) {
        import_both(Format::Lss, &doc)?;
    }

    #[test]
    fn xml_ish_text_as_lss(parts in prop::collection::vec(prop_oneof![
        prop::sample::select(vec![
            "<document>", "</document>", "<questions>", "</questions>", "<rows>", "</rows>", "<row>", "</row>",
            "<qid>1</qid>", "<type>L</type>", "<title>Q1</title>", "<question>Hi</question>", "<!DOCTYPE x>",
            "<?xml version=\"1.0\"?>", "<!-- c -->", "<![CDATA[", "]]>", "&amp;", "&lt;", "&x;", "<a b='1'/>",
        ]).prop_map(String::from),
        text(),
    ], 0..40)) {
        import_both(Format::Lss, &parts.concat())?;
    }

    #[test]
    fn mutated_fixtures(
        qsf in mutated(QSF),
        surveyjs in mutated(SURVEYJS),
        lss in mutated(LSS),
    ) {
        import_both(Format::Qsf, &qsf)?;
        import_both(Format::SurveyJs, &surveyjs)?;
        import_both(Format::Lss, &lss)?;
    }
}

#[test]
fn the_fixtures_meet_the_properties() {
    for (format, source) in [(Format::Qsf, QSF), (Format::SurveyJs, SURVEYJS), (Format::Lss, LSS)] {
        let imported = import(format, source).unwrap();
        assert!(imported.questions.len() >= 5, "{format}");
        check(format, source, Ok(imported)).unwrap();
    }
}
