//! Tests of the lss importer.

use crate::survey::{ConditionOp, QuestionType};
use crate::survey_import::expect::*;
use crate::survey_import::{import as import_as, Format, ImportError, Imported};
use serde_json::json;

const FIXTURE: &str = include_str!("../../../tests/fixtures/survey.lss");

fn import(source: &str) -> Imported {
    import_as(Format::Lss, source).unwrap()
}

#[test]
fn fixture_questions() {
    let got = import(FIXTURE);
    assert_eq!(got.title, l("Acme Market: delivery experience", "Acme Market: experiencia de entrega"));
    assert_eq!(got.intro, l("Two minutes to help us deliver better.", "Dos minutos para ayudarnos a entregar mejor."));
    among(
        &got.questions,
        &[
            required(with_choices(
                q("channel", QuestionType::SingleChoice, "How did you place your order?", "¿Cómo hizo su pedido?"),
                &[
                    ("a1", "Website", "Sitio web"),
                    ("a2", "Mobile app", "Aplicación móvil"),
                    ("a3", "Phone", "Teléfono"),
                ],
            )),
            rating(
                "satisfaction",
                5,
                "How satisfied are you with your delivery?",
                "¿Qué tan satisfecho está con su entrega?",
            ),
            with_other(with_choices(
                q("improve", QuestionType::MultipleChoice, "What could we improve?", "¿Qué podríamos mejorar?"),
                &[
                    ("sq001", "Delivery speed", "Rapidez de la entrega"),
                    ("sq002", "Packaging", "Embalaje"),
                    ("sq003", "Order tracking", "Seguimiento del pedido"),
                ],
            )),
            shown_if(
                q(
                    "reason",
                    QuestionType::Text,
                    "What went wrong with your delivery?",
                    "¿Qué salió mal con su entrega?",
                ),
                "satisfaction",
                ConditionOp::Lte,
                json!(3),
            ),
            with_choices(
                q("region", QuestionType::SingleChoice, "Which region do you live in?", "¿En qué región vive?"),
                &[("n", "North", "Norte"), ("c", "Centre", "Centro"), ("s", "South", "Sur")],
            ),
            with_choices(
                q(
                    "contact",
                    QuestionType::SingleChoice,
                    "May we contact you about your answers?",
                    "¿Podemos contactarle sobre sus respuestas?",
                ),
                &[("yes", "Yes", "Sí"), ("no", "No", "No")],
            ),
            shown_if(
                required(q("email", QuestionType::Text, "Your e-mail address", "Su correo electrónico")),
                "contact",
                ConditionOp::Eq,
                json!("yes"),
            ),
            {
                let mut x = q(
                    "comments",
                    QuestionType::Text,
                    "Anything else you would like to tell us?",
                    "¿Algo más que quiera contarnos?",
                );
                x.show_if = Some(crate::survey::ShowIf {
                    and: Some(Box::new(crate::survey::ShowIf::new("channel", ConditionOp::Eq, json!("a1")))),
                    ..crate::survey::ShowIf::new("satisfaction", ConditionOp::Gte, json!(4))
                });
                x
            },
        ],
        &[
            ("intro", QuestionType::TextBlock),
            ("channel", QuestionType::SingleChoice),
            ("satisfaction", QuestionType::Rating),
            ("improve", QuestionType::MultipleChoice),
            ("reason", QuestionType::Text),
            ("region", QuestionType::SingleChoice),
            ("contact", QuestionType::SingleChoice),
            ("email", QuestionType::Text),
            ("orders", QuestionType::Numeric),
            ("aspects", QuestionType::Matrix),
            ("comments", QuestionType::Text),
        ],
    );
}

#[test]
fn fixture_report() {
    // Every question of the fixture has a Rapport equivalent now.
    report(&import(FIXTURE).report, &[]);
    assert_eq!(import(FIXTURE).counts, crate::survey_import::Counts { in_file: 11, kept: 11 });
}

#[test]
fn fixture_validates() {
    valid(import(FIXTURE).draft(5));
}

/// LimeSurvey 3 exports carry the language and text in each row.
#[test]
fn limesurvey_3_layout() {
    let row = |fields: &[(&str, &str)]| {
        let cells: String = fields.iter().map(|(k, v)| format!("<{k}><![CDATA[{v}]]></{k}>")).collect();
        format!("<row>{cells}</row>")
    };
    let question = |lang: &str, text: &str| {
        row(&[("qid", "1"), ("parent_qid", "0"), ("gid", "1"), ("type", "L"), ("title", "Q1"), ("question", text)]
            .into_iter()
            .chain([("mandatory", "Y"), ("question_order", "0"), ("language", lang)])
            .collect::<Vec<_>>())
    };
    let answer = |code: &str, order: &str, lang: &str, text: &str| {
        row(&[
            ("qid", "1"),
            ("code", code),
            ("answer", text),
            ("sortorder", order),
            ("language", lang),
            ("scale_id", "0"),
        ])
    };
    let xml = format!(
        "<?xml version=\"1.0\"?><document><LimeSurveyDocType>Survey</LimeSurveyDocType><DBVersion>366</DBVersion>\
         <surveys><rows>{}</rows></surveys>\
         <surveys_languagesettings><rows>{}{}</rows></surveys_languagesettings>\
         <questions><rows>{}{}</rows></questions><answers><rows>{}{}{}{}</rows></answers></document>",
        row(&[("sid", "9"), ("language", "es")]),
        row(&[("surveyls_language", "es"), ("surveyls_title", "Encuesta"), ("surveyls_welcometext", "<p>Hola</p>")]),
        row(&[("surveyls_language", "en"), ("surveyls_title", "Survey")]),
        question("es", "¿Volvería?"),
        question("en", "Would you come back?"),
        answer("N", "2", "es", "No"),
        answer("Y", "1", "es", "Sí"),
        answer("Y", "1", "en", "Yes"),
        answer("N", "2", "en", "No"),
    );
    let got = import(&xml);
    assert_eq!(got.title, l("Survey", "Encuesta"));
    assert_eq!(got.intro, l("Hola", "Hola"), "welcome text when there is no description");
    let want = q("q1", QuestionType::SingleChoice, "Would you come back?", "¿Volvería?");
    assert_eq!(got.questions, [required(with_choices(want, &[("y", "Yes", "Sí"), ("n", "No", "No")]))]);
    assert!(got.report.is_empty());
}

#[test]
fn relevance_equations() {
    use crate::survey_import::logic::{parse, Cond};
    use crate::survey_import::lss::leaf as with_codes;
    use crate::survey_import::Operand;
    let sgqa = [("9X1X56".to_string(), "Q5".to_string())];
    let leaf = |s: &str| with_codes(s, &sgqa);
    let one = |q: &str, op, v: Operand| Some(Cond::Leaf(q.to_string(), op, v));
    assert_eq!(parse("((Q1.NAOK == \"A1\"))", &leaf), one("Q1", ConditionOp::Eq, Operand::Text("A1".into())));
    assert_eq!(parse("NPS > 8", &leaf), one("NPS", ConditionOp::Gt, Operand::Num(8.0)));
    assert_eq!(parse("!is_empty(Q3.NAOK)", &leaf), one("Q3", ConditionOp::Answered, Operand::None));
    assert!(matches!(parse("(Q1 == 1) or (Q2 == 2)", &leaf), Some(Cond::Or(..))));
    assert_eq!(parse("is_empty(Q3)", &leaf), None);
    assert_eq!(parse("sum(Q1, Q2) > 3", &leaf), None);
    assert_eq!(parse("9X1X56.NAOK ge 2", &leaf), one("Q5", ConditionOp::Gte, Operand::Num(2.0)));
    assert_eq!(parse("9X1X56SQ1 == \"Y\"", &leaf), one("Q5_SQ1", ConditionOp::Eq, Operand::Text("Y".into())));
    assert_eq!(parse("! is_empty(Q3)", &leaf), one("Q3", ConditionOp::Answered, Operand::None));
}

#[test]
fn xml_that_is_not_a_limesurvey_survey_is_an_error() {
    let e = import_as(Format::Lss, "<html><body/></html>").unwrap_err();
    assert_eq!(e, ImportError::NotASurvey { format: Format::Lss, detail: "its root element is not <document>".into() });
    let e = import_as(Format::Lss, "<document><answers/></document>").unwrap_err();
    assert_eq!(e.to_string(), "this is not a LimeSurvey LSS survey: it has no questions and no survey settings");
    // An export of a survey without questions yet is an empty draft.
    let empty = import_as(Format::Lss, "<document><surveys/></document>").expect("an empty survey");
    assert!(empty.questions.is_empty());
    let e = import_as(Format::Lss, "<document><questions></document>").unwrap_err();
    assert!(e.to_string().starts_with("this is not a valid LimeSurvey LSS file: expected 'questions' tag"), "{e}");
}

/// A table's rows, each a list of (field, value).
type Rows<'a> = Vec<Vec<(&'a str, &'a str)>>;

/// A LimeSurvey 3 document of the given tables.
fn lss(tables: &[(&str, Rows<'_>)]) -> String {
    let row = |fields: &Vec<(&str, &str)>| {
        let cells: String = fields.iter().map(|(k, v)| format!("<{k}><![CDATA[{v}]]></{k}>")).collect();
        format!("<row>{cells}</row>")
    };
    let body: String = tables
        .iter()
        .map(|(name, rows)| format!("<{name}><rows>{}</rows></{name}>", rows.iter().map(row).collect::<String>()))
        .collect();
    format!("<?xml version=\"1.0\"?><document><LimeSurveyDocType>Survey</LimeSurveyDocType>{body}</document>")
}

#[test]
fn arrays_numbers_and_texts_map_to_the_new_types() {
    let q = |qid: &'static str, kind: &'static str, code: &'static str, text: &'static str, order: &'static str| {
        vec![
            ("qid", qid),
            ("parent_qid", "0"),
            ("gid", "1"),
            ("type", kind),
            ("title", code),
            ("question", text),
            ("question_order", order),
            ("language", "en"),
        ]
    };
    let sub = |qid: &'static str, parent: &'static str, code: &'static str, text: &'static str, scale: &'static str| {
        vec![
            ("qid", qid),
            ("parent_qid", parent),
            ("gid", "1"),
            ("title", code),
            ("question", text),
            ("scale_id", scale),
            ("language", "en"),
        ]
    };
    let answer =
        |qid: &'static str, code: &'static str, text: &'static str, order: &'static str, scale: &'static str| {
            vec![
                ("qid", qid),
                ("code", code),
                ("answer", text),
                ("sortorder", order),
                ("scale_id", scale),
                ("language", "en"),
            ]
        };
    let mut questions = vec![
        q("1", "X", "intro", "<p>Welcome</p>", "1"),
        q("2", "F", "grid", "Rate us", "2"),
        q("3", "N", "age", "&nbsp;", "3"),
        q("4", "Q", "contact", "Your details", "4"),
        q("5", "R", "rank", "Order these", "5"),
        q("6", "D", "when", "When?", "6"),
        q("7", "G", "gender", "Gender", "7"),
        q("8", "P", "why", "Why?", "8"),
        q("9", "T", "more", "More?", "9"),
        q("10", "1", "dual", "Importance and satisfaction", "10"),
        q("11", ";", "texts", "Texts", "11"),
    ];
    questions[8].push(("relevance", "((grid_SQ1.NAOK <= 2) or why_A.NAOK == \"Y\")"));
    let subs = vec![
        sub("21", "2", "SQ1", "Staff", "0"),
        sub("22", "2", "SQ2", "Price", "0"),
        sub("41", "4", "city", "City", "0"),
        sub("81", "8", "A", "Price", "0"),
        sub("82", "8", "B", "Speed", "0"),
        sub("101", "10", "r1", "Delivery", "0"),
        sub("111", "11", "r1", "Row", "0"),
        sub("112", "11", "c1", "Col 1", "1"),
        sub("113", "11", "c2", "Col 2", "1"),
    ];
    let answers = vec![
        answer("2", "A1", "Bad", "1", "0"),
        answer("2", "A2", "Good", "2", "0"),
        answer("2", "A3", "Great", "3", "0"),
        answer("5", "x", "X", "1", "0"),
        answer("5", "y", "Y", "2", "0"),
        answer("10", "1", "Low", "1", "0"),
        answer("10", "2", "High", "2", "0"),
        answer("10", "1", "Bad", "1", "1"),
        answer("10", "2", "Good", "2", "1"),
    ];
    let source = lss(&[("questions", questions), ("subquestions", subs), ("answers", answers)]);
    let got = import(&source);
    use QuestionType::*;
    let kinds: Vec<(&str, QuestionType)> = got.questions.iter().map(|q| (q.key.as_str(), q.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("intro", TextBlock),
            ("grid", Matrix),
            ("age", Numeric),
            ("contact", MultiText),
            ("rank", Ranking),
            ("when", Date),
            ("gender", SingleChoice),
            ("why", MultipleChoice),
            ("why_a", Text),
            ("why_b", Text),
            ("more", Text),
            ("dual_0", Matrix),
            ("dual_1", Matrix),
            ("texts_r1", MultiText),
        ]
    );
    let by = |key: &str| got.questions.iter().find(|q| q.key == key).unwrap();
    assert_eq!(by("age").text.en, "Age", "a question without text takes it from its key");
    assert_eq!(by("grid").matrix_scale(), (1, 3));
    let more = by("more").show_if.clone().unwrap();
    assert_eq!((more.question.as_str(), more.op, more.value.clone()), ("grid.sq1", ConditionOp::Lte, json!(2)));
    assert_eq!(more.or.unwrap().value, json!("a"), "a checked choice of a multiple choice");
    assert_eq!(by("why_a").show_if.clone().unwrap().op, ConditionOp::Includes, "a choice's comment box");
    assert_eq!(got.report, vec![]);
    valid(got.draft(1));
}
