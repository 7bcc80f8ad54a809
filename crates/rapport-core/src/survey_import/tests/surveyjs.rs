//! Tests of the surveyjs importer.

use crate::survey::{ConditionOp, QuestionType};
use crate::survey_import::expect::*;
use crate::survey_import::{import as import_as, Format, ImportError, Imported};
use serde_json::{json, Value};

const FIXTURE: &str = include_str!("../../../tests/fixtures/survey.surveyjs.json");

fn import(source: &str) -> Imported {
    import_as(Format::SurveyJs, source).unwrap()
}

fn elements(elements: Value) -> Imported {
    import(&json!({ "elements": elements }).to_string())
}

#[test]
fn fixture_questions() {
    let got = import(FIXTURE);
    assert_eq!(got.title, l("Your delivery with Acme Market", "Su entrega con Acme Market"));
    assert_eq!(got.intro, l("Two minutes to help us deliver better.", "Dos minutos para ayudarnos a entregar mejor."));
    let channels =
        [("web", "Website", "Sitio web"), ("app", "Mobile app", "Aplicación móvil"), ("phone", "Phone", "Teléfono")];
    among(
        &got.questions,
        &[
            required(q(
                "nps",
                QuestionType::Nps,
                "How likely are you to recommend Acme Market to a friend or colleague?",
                "¿Qué tan probable es que recomiende Acme Market a un amigo o colega?",
            )),
            shown_if(
                q(
                    "nps_reason",
                    QuestionType::Text,
                    "What is the main reason for your score?",
                    "¿Cuál es el motivo principal de su puntuación?",
                ),
                "nps",
                ConditionOp::Lte,
                json!(6),
            ),
            rating(
                "satisfaction",
                5,
                "How satisfied are you with your delivery?",
                "¿Qué tan satisfecho está con su entrega?",
            ),
            rating(
                "effort",
                7,
                "Acme Market made it easy to get my order.",
                "Acme Market me facilitó recibir mi pedido.",
            ),
            required(with_choices(
                q("channel", QuestionType::SingleChoice, "How did you place your order?", "¿Cómo hizo su pedido?"),
                &channels,
            )),
            with_choices(
                q("region", QuestionType::SingleChoice, "Which region do you live in?", "¿En qué región vive?"),
                &[("north", "North", "Norte"), ("centre", "Centre", "Centro"), ("south", "South", "Sur")],
            ),
            with_other(with_choices(
                q("improve", QuestionType::MultipleChoice, "What could we improve?", "¿Qué podríamos mejorar?"),
                &[
                    ("speed", "Delivery speed", "Rapidez de la entrega"),
                    ("packaging", "Packaging", "Embalaje"),
                    ("tracking", "Order tracking", "Seguimiento del pedido"),
                ],
            )),
            with_choices(
                q("products", QuestionType::MultipleChoice, "Which products did you buy?", "¿Qué productos compró?"),
                &[("1", "Fresh food", "Alimentos frescos"), ("2", "Pantry", "Despensa"), ("3", "Household", "Hogar")],
            ),
            shown_if(
                q(
                    "phone_agent",
                    QuestionType::Text,
                    "If you remember it, what was the name of the person who took your call?",
                    "Si lo recuerda, ¿cómo se llamaba la persona que atendió su llamada?",
                ),
                "channel",
                ConditionOp::Eq,
                json!("phone"),
            ),
            with_choices(
                q(
                    "contact_ok",
                    QuestionType::SingleChoice,
                    "May we contact you about your answers?",
                    "¿Podemos contactarle sobre sus respuestas?",
                ),
                &[("yes", "Yes, you may", "Sí, pueden"), ("no", "No, thanks", "No, gracias")],
            ),
            shown_if(
                required(q("email", QuestionType::Text, "Your e-mail address", "Su correo electrónico")),
                "contact_ok",
                ConditionOp::Eq,
                json!("yes"),
            ),
            shown_if(
                q(
                    "best_time",
                    QuestionType::Text,
                    "When is the best time to reach you?",
                    "¿Cuándo es el mejor momento para contactarle?",
                ),
                "email",
                ConditionOp::Answered,
                Value::Null,
            ),
            {
                let mut x = q(
                    "anything_else",
                    QuestionType::Text,
                    "Anything else you would like to tell us?",
                    "¿Algo más que quiera contarnos?",
                );
                x.show_if = Some(crate::survey::ShowIf {
                    and: Some(Box::new(crate::survey::ShowIf::new("channel", ConditionOp::Eq, json!("web")))),
                    ..crate::survey::ShowIf::new("nps", ConditionOp::Gte, json!(9))
                });
                x
            },
        ],
        &[
            ("welcome", QuestionType::TextBlock),
            ("nps", QuestionType::Nps),
            ("nps_reason", QuestionType::Text),
            ("satisfaction", QuestionType::Rating),
            ("effort", QuestionType::Rating),
            ("quality", QuestionType::Slider),
            ("channel", QuestionType::SingleChoice),
            ("region", QuestionType::SingleChoice),
            ("improve", QuestionType::MultipleChoice),
            ("products", QuestionType::MultipleChoice),
            ("phone_agent", QuestionType::Text),
            ("contact_ok", QuestionType::SingleChoice),
            ("email", QuestionType::Text),
            ("aspects", QuestionType::Matrix),
            ("best_time", QuestionType::Text),
            ("anything_else", QuestionType::Text),
        ],
    );
}

#[test]
fn fixture_report() {
    report(
        &import(FIXTURE).report,
        &[
            skipped(
                "best_time",
                "comment",
                "the visibleIf \"{contact_ok} = true\" of its page or panel is not imported; only its own condition is",
            ),
            skipped("photo", "file", "file uploads are not supported"),
            skipped("nps_group", "expression", "a calculated value, not a question"),
        ],
    );
}

#[test]
fn fixture_validates() {
    valid(import(FIXTURE).draft(3));
}

#[test]
fn rating_scales() {
    let got = elements(json!([
        {"type": "rating", "name": "a"},
        {"type": "rating", "name": "b", "rateMin": 1, "rateMax": 10},
        {"type": "rating", "name": "c", "rateMin": 0, "rateCount": 11},
        {"type": "rating", "name": "d", "rateValues": [3, 4, 5], "autoGenerate": true},
        {"type": "rating", "name": "e", "rateValues": [1, 2, 3, 4]},
        {"type": "rating", "name": "f", "rateMin": 0, "rateMax": 100, "rateStep": 10},
        {"type": "rating", "name": "g", "rateValues": ["Easy", "Average", "Hard"]},
        {"type": "rating", "name": "h", "rateMin": 1, "rateMax": 2}
    ]));
    let kinds: Vec<(&str, QuestionType, Option<i64>)> =
        got.questions.iter().map(|q| (q.key.as_str(), q.kind, q.scale_max)).collect();
    assert_eq!(
        kinds,
        [
            ("a", QuestionType::Rating, Some(5)),
            ("b", QuestionType::Rating, Some(10)),
            ("c", QuestionType::Nps, None),
            ("d", QuestionType::Rating, Some(5)),
            ("e", QuestionType::Rating, Some(4)),
            ("f", QuestionType::Slider, None),
            ("g", QuestionType::SingleChoice, None),
            ("h", QuestionType::Slider, None),
        ]
    );
    // Without a title, SurveyJS shows the name.
    assert_eq!(got.questions[0].text, l("a", ""));
    assert!(got.report.is_empty(), "{:?}", got.report);
}

#[test]
fn conditions() {
    let got = elements(json!([
        {"type": "checkbox", "name": "topics", "choices": ["Price", "Speed"]},
        {"type": "boolean", "name": "ok", "valueTrue": "Y", "valueFalse": "N"},
        {"type": "text", "name": "a", "visibleIf": "{topics} contains 'Speed'"},
        {"type": "text", "name": "b", "visibleIf": "{ok} = 'N'"},
        {"type": "text", "name": "c", "visibleIf": "{ok} = false"},
        {"type": "text", "name": "d", "visibleIf": "{a} != \"x\""},
        {"type": "text", "name": "e", "visibleIf": "{later} notempty"},
        {"type": "text", "name": "f", "visibleIf": "{topics} = 'Speed'"},
        {"type": "text", "name": "g", "visibleIf": "{topics} contains 'Colour'"},
        {"type": "text", "name": "later"}
    ]));
    let show: Vec<Option<(String, ConditionOp, Value)>> =
        got.questions.iter().skip(2).map(|q| q.show_if.clone().map(|c| (c.question, c.op, c.value))).collect();
    let c = |q: &str, op, v: Value| Some((q.to_string(), op, v));
    assert_eq!(
        show,
        [
            c("topics", ConditionOp::Includes, json!("speed")),
            c("ok", ConditionOp::Eq, json!("no")),
            c("ok", ConditionOp::Eq, json!("no")),
            c("a", ConditionOp::Ne, json!("x")),
            None,
            c("topics", ConditionOp::Includes, json!("speed")),
            None,
            None,
        ]
    );
    assert_eq!(got.questions[0].choices[1].label, l("Speed", ""));
    assert_eq!(got.questions[1].choices[0].label, l("Yes", "Sí"));
    let dropped: Vec<&str> = got.report.iter().map(|s| s.element.as_str()).collect();
    assert_eq!(dropped, ["e", "g"]);
}

#[test]
fn extras_hidden_questions_and_unreadable_elements_are_reported() {
    let got = import(
        &json!({
            "locale": "es",
            "questions": [
                {"type": "radiogroup", "name": "p", "title": {"default": "¿Plan?", "en": "Plan?"}, "choices": ["a", "b"],
                 "hasNone": true, "showSelectAllItem": true, "hasComment": true, "requiredIf": "{x} = 1",
                 "validators": [{"type": "expression"}]},
                {"type": "text", "name": "secret", "visible": false},
                {"type": "dropdown", "name": "city", "choicesByUrl": {"url": "https://example.com/cities"}},
                {"type": "radiogroup", "name": "copy", "choicesFromQuestion": "p"},
                {"type": "text", "name": "broken", "isRequired": "yes"},
                {"type": "signaturepad"},
                {"type": "panel", "name": "old", "visible": false, "elements": [{"type": "text", "name": "x"}]}
            ]
        })
        .to_string(),
    );
    // The comment box is a text question of its own, after the choice.
    let keys: Vec<(&str, QuestionType)> = got.questions.iter().map(|q| (q.key.as_str(), q.kind)).collect();
    assert_eq!(keys, [("p", QuestionType::SingleChoice), ("p_comment", QuestionType::Text)]);
    assert_eq!(got.questions[0].text, l("Plan?", "¿Plan?"), "default is in the survey's locale");
    assert_eq!(got.questions[1].text, l("Plan? — Comment", "¿Plan? — Comentario"));
    let report: Vec<(&str, &str, &str)> =
        got.report.iter().map(|s| (s.element.as_str(), s.kind.as_str(), s.reason.as_str())).collect();
    assert_eq!(
        report,
        [
            ("p", "radiogroup", "its \"None\" choice is not imported"),
            ("p", "radiogroup", "its \"Select all\" choice is not imported"),
            ("p", "radiogroup", "its validators are not imported"),
            ("p", "radiogroup", "its requiredIf condition is not imported"),
            ("secret", "text", "hidden (visible: false), so never asked"),
            ("city", "dropdown", "its choices come from a web service; Rapport needs a fixed list"),
            ("copy", "radiogroup", "its choices come from another question; Rapport needs a fixed list"),
            ("broken", "text", "not a readable SurveyJS element: invalid type: string \"yes\", expected a boolean"),
            ("#1", "signaturepad", "signatures are not supported"),
            ("old", "panel", "hidden (visible: false), so never asked; the questions in it are not imported either"),
        ]
    );
}

#[test]
fn page_conditions_apply_to_their_questions() {
    let got = import(
        &json!({"pages": [
            {"name": "p1", "elements": [{"type": "rating", "name": "nps", "rateMin": 0, "rateMax": 10}]},
            {"name": "p2", "visibleIf": "{nps} < 7", "elements": [{"type": "comment", "name": "why"}]}
        ]})
        .to_string(),
    );
    assert_eq!(got.questions[1], shown_if(q("why", QuestionType::Text, "why", ""), "nps", ConditionOp::Lt, json!(7)));
    assert!(got.report.is_empty());
}

#[test]
fn json_that_is_not_a_surveyjs_survey_is_an_error() {
    let e = import_as(Format::SurveyJs, r#"{"title": "x"}"#).unwrap_err();
    assert_eq!(
        e,
        ImportError::NotASurvey { format: Format::SurveyJs, detail: "it has no pages, elements or questions".into() }
    );
    let e = import_as(Format::SurveyJs, "{\"pages\": [}").unwrap_err();
    assert_eq!(e.to_string(), "this is not a valid SurveyJS JSON file: expected value at line 1 column 12");
}

#[test]
fn grids_numbers_and_blocks_map_to_the_new_types() {
    let got = elements(json!([
        {"type": "html", "name": "intro", "html": "<p>Hi</p>"},
        {"type": "matrix", "name": "visit", "title": "Your visit", "columns": [1, 2, 3, 4, 5, {"value": "na", "text": "N/A"}],
         "rows": [{"value": "staff", "text": "Staff"}, "price"]},
        {"type": "matrixdropdown", "name": "likes", "columns": [{"name": "score", "cellType": "radiogroup"}],
         "choices": [0, 1, 2, 3], "rows": ["a", "b"]},
        {"type": "multipletext", "name": "contact", "items": [{"name": "city", "title": "City"}, {"name": "zip"}]},
        {"type": "ranking", "name": "order", "choices": ["x", "y", "z"]},
        {"type": "boolean", "name": "agree", "title": "Terms", "renderAs": "checkbox", "label": "I agree", "isRequired": true},
        {"type": "text", "name": "kids", "inputType": "number", "min": 0, "max": 20},
        {"type": "text", "name": "when", "inputType": "date"},
        {"type": "slider", "name": "spend", "min": 0, "max": 500, "step": 10},
        {"type": "checkbox", "name": "why", "choices": ["price", "speed"], "showOtherItem": true},
        {"type": "comment", "name": "more", "visibleIf": "{visit.staff} <= 2 or {why} anyof ['price', 'speed']"},
        {"type": "comment", "name": "last", "visibleIf": "{kids} > 2 and {agree} = true"}
    ]));
    let kinds: Vec<(&str, QuestionType)> = got.questions.iter().map(|q| (q.key.as_str(), q.kind)).collect();
    use QuestionType::*;
    assert_eq!(
        kinds,
        [
            ("intro", TextBlock),
            ("visit", Matrix),
            ("likes", Matrix),
            ("contact", MultiText),
            ("order", Ranking),
            ("agree", Consent),
            ("kids", Numeric),
            ("when", Date),
            ("spend", Slider),
            ("why", MultipleChoice),
            ("more", Text),
            ("last", Text),
        ]
    );
    let q = |key: &str| got.questions.iter().find(|q| q.key == key).unwrap();
    assert_eq!((q("visit").matrix_scale(), q("visit").not_applicable, q("visit").choices.len()), ((1, 5), true, 0));
    assert_eq!(q("likes").matrix_scale(), (0, 3), "columns valued 0.. keep their numbers");
    assert_eq!(q("agree").text, l("Terms — I agree", ""));
    assert!(q("why").other);
    assert_eq!((q("kids").min, q("kids").max), (Some(0.0), Some(20.0)));
    let more = q("more").show_if.clone().unwrap();
    assert_eq!((more.question.as_str(), more.op, more.value.clone()), ("visit.staff", ConditionOp::Lte, json!(2)));
    let or = more.or.unwrap();
    assert_eq!((or.question.as_str(), or.op, or.value), ("why", ConditionOp::AnyOf, json!(["price", "speed"])));
    let last = q("last").show_if.clone().unwrap();
    assert_eq!(last.and.unwrap().value, json!(true));
    assert_eq!(got.report, vec![]);
    assert_eq!(got.counts.in_file, got.counts.kept);
    valid(got.draft(1));
}

#[test]
fn odd_files_still_import() {
    // No title, a question without text, a lone checkbox, a list without choices.
    let got = elements(json!([
        {"type": "text", "name": "q1_price", "title": "&nbsp;"},
        {"type": "checkbox", "name": "ok", "title": "Terms", "choices": ["I agree"]},
        {"type": "radiogroup", "name": "copied", "choices": []},
        {"type": "radiogroup", "name": "plan", "choices": ["other", "basic"], "showOtherItem": true}
    ]));
    assert_eq!(got.title, l("Imported survey", "Encuesta importada"));
    let q = |key: &str| got.questions.iter().find(|q| q.key == key).unwrap();
    assert_eq!(q("q1_price").text.en, "&nbsp;", "SurveyJS titles are plain text");
    assert_eq!(q("ok").kind, QuestionType::Consent);
    assert!(got.questions.iter().all(|q| q.key != "copied"));
    let keys: Vec<&str> = q("plan").choices.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["other_choice", "basic"], "\"other\" is kept for \"Other, please specify\"");
    assert_eq!(got.counts, crate::survey_import::Counts { in_file: 4, kept: 3 });
    valid(got.draft(1));
}
