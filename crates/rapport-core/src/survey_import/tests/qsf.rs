//! Tests of the qsf importer.

use crate::survey::{ConditionOp, QuestionType};
use crate::survey_import::expect::*;
use crate::survey_import::{import as import_as, Format, ImportError, Imported};
use serde_json::{json, Value};

const FIXTURE: &str = include_str!("../../../tests/fixtures/survey.qsf");

fn import(source: &str) -> Imported {
    import_as(Format::Qsf, source).unwrap()
}

/// A QSF with the given question payloads in one block, in order.
fn qsf(language: &str, payloads: Value) -> String {
    let sq = payloads
        .as_array()
        .unwrap()
        .iter()
        .map(|p| json!({"Element": "SQ", "PrimaryAttribute": p["QuestionID"], "Payload": p}));
    json!({"SurveyEntry": {"SurveyName": "S", "SurveyLanguage": language}, "SurveyElements": sq.collect::<Vec<_>>()})
        .to_string()
}

#[test]
fn fixture_questions() {
    let got = import(FIXTURE);
    assert_eq!(got.title, l("Acme Market: delivery experience", ""));
    assert_eq!(got.intro, l("", ""));
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
                ConditionOp::AnyOf,
                json!([5, 6]),
            ),
            required(with_choices(
                q("q4", QuestionType::SingleChoice, "How did you place your order?", "¿Cómo hizo su pedido?"),
                &[
                    ("website", "Website", "Sitio web"),
                    ("mobile_app", "Mobile app", "Aplicación móvil"),
                    ("phone", "Phone", "Teléfono"),
                ],
            )),
            with_other(with_choices(
                q(
                    "q5",
                    QuestionType::MultipleChoice,
                    "What could we improve? Select all that apply.",
                    "¿Qué podríamos mejorar? Seleccione todas las que correspondan.",
                ),
                &[
                    ("order_tracking", "Order tracking", "Seguimiento del pedido"),
                    ("delivery_speed", "Delivery speed", "Rapidez de la entrega"),
                    ("packaging", "Packaging", "Embalaje"),
                ],
            )),
            shown_if(
                q(
                    "agent",
                    QuestionType::Text,
                    "If you remember it, what was the name of the person who took your call?",
                    "Si lo recuerda, ¿cómo se llamaba la persona que atendió su llamada?",
                ),
                "q4",
                ConditionOp::Eq,
                json!("phone"),
            ),
            with_choices(
                q("region", QuestionType::SingleChoice, "Which region do you live in?", "¿En qué región vive?"),
                &[("north", "North", "Norte"), ("centre", "Centre", "Centro"), ("south", "South", "Sur")],
            ),
            rating(
                "packaging",
                5,
                "How would you rate the packaging of your order?",
                "¿Cómo valoraría el embalaje de su pedido?",
            ),
        ],
        &[
            ("intro", QuestionType::TextBlock),
            ("nps", QuestionType::Nps),
            ("nps_reason", QuestionType::Text),
            ("q4", QuestionType::SingleChoice),
            ("q5", QuestionType::MultipleChoice),
            ("ease", QuestionType::Slider),
            ("ontime", QuestionType::Matrix),
            ("q8", QuestionType::Matrix),
            ("agent", QuestionType::Text),
            ("region", QuestionType::SingleChoice),
            ("packaging", QuestionType::Rating),
        ],
    );
}

#[test]
fn fixture_report() {
    report(
        &import(FIXTURE).report,
        &[
            skipped("Q11", "Timing/PageTimer", "timing: recorded, not asked"),
            skipped(
                "Packaging",
                "Slider/STAR",
                "shown only in a branch of the survey flow; imported without the branch condition",
            ),
            skipped("Q12", "MC/SAVR", "in the trash, not part of the survey"),
        ],
    );
}

#[test]
fn fixture_validates_once_the_spanish_title_is_given() {
    // QSF has no translated survey name: the caller supplies the Spanish title.
    let mut draft = import(FIXTURE).draft(7);
    assert_eq!(draft.touchpoint_id, Some(7));
    draft.title.as_mut().unwrap().es = "Acme Market: experiencia de entrega".into();
    valid(draft);
}

#[test]
fn without_blocks_the_file_order_is_kept() {
    let src = qsf(
        "EN",
        json!([
            {"QuestionID": "QID2", "DataExportTag": "Q2", "QuestionType": "TE", "Selector": "ESTB", "QuestionText": "Comments", "Language": []},
            {"QuestionID": "QID1", "DataExportTag": "Q1", "QuestionType": "NPS", "Selector": "NPS", "QuestionText": "Recommend?"}
        ]),
    );
    let keys: Vec<String> = import(&src).questions.into_iter().map(|q| q.key).collect();
    assert_eq!(keys, ["q2", "q1"]);
}

#[test]
fn numeric_display_logic_and_skip_logic() {
    let logic = |operand: &str, op: &str, right: &str| json!({"0": {"0": {"LogicType": "Question", "LeftOperand": operand, "Operator": op, "RightOperand": right, "Type": "Expression"}, "Type": "If"}, "Type": "BooleanExpression"});
    let src = qsf(
        "EN",
        json!([
            {"QuestionID": "QID1", "DataExportTag": "stars", "QuestionType": "Slider", "Selector": "HSLIDER",
             "Configuration": {"CSSliderMin": 1, "CSSliderMax": 10, "NumDecimals": "0"}, "Choices": {"1": {"Display": "Overall"}},
             "QuestionText": "Rate us", "SkipLogic": [{"ChoiceLocator": "q://QID1/SelectableChoice/1", "SkipToDestination": "ENDOFSURVEY"}]},
            {"QuestionID": "QID2", "DataExportTag": "low", "QuestionType": "TE", "Selector": "SL", "QuestionText": "Why?",
             "DisplayLogic": logic("q://QID1/ChoiceNumericEntryValue/1", "LessThanOrEqual", "4")},
            {"QuestionID": "QID3", "DataExportTag": "later", "QuestionType": "TE", "Selector": "SL", "QuestionText": "More?",
             "DisplayLogic": logic("q://QID4/ChoiceTextEntryValue", "NotEmpty", "")}
        ]),
    );
    let got = import(&src);
    let mut slider = q("stars", QuestionType::Slider, "Rate us — Overall", "");
    (slider.min, slider.max, slider.step) = (Some(1.0), Some(10.0), Some(1.0));
    assert_eq!(got.questions[0], slider);
    assert_eq!(
        got.questions[1],
        shown_if(q("low", QuestionType::Text, "Why?", ""), "stars", ConditionOp::Lte, json!(4))
    );
    assert_eq!(got.questions[2].show_if, None, "QID4 is not an earlier question");
    let reasons: Vec<&str> = got.report.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons[0], "skip logic is not imported");
    assert!(reasons[1].starts_with("display logic is not a condition Rapport can keep"), "{reasons:?}");
}

#[test]
fn unsupported_shapes_are_reported_with_their_reason() {
    let src = qsf(
        "EN",
        json!([
            {"QuestionID": "QID1", "QuestionType": "Slider", "Selector": "HSLIDER", "Configuration": {"CSSliderMin": 0, "CSSliderMax": 100},
             "Choices": {"1": {"Display": "x"}}},
            {"QuestionID": "QID2", "DataExportTag": "Q2", "QuestionType": "Slider", "Selector": "HSLIDER", "Choices": {"1": {}, "2": {}}},
            {"QuestionID": "QID3", "DataExportTag": "Q3", "QuestionType": "Matrix", "Selector": "Likert", "SubSelector": "MultipleAnswer"},
            {"QuestionID": "QID4", "DataExportTag": "Q4", "QuestionType": "Matrix", "Selector": "Bipolar"},
            {"QuestionID": "QID5", "DataExportTag": "Q5", "QuestionType": "TE", "Selector": "FORM"},
            {"QuestionID": "QID6", "DataExportTag": "Q6", "QuestionType": "RO", "Selector": "DND"},
            {"QuestionID": "QID7", "DataExportTag": "Q7", "QuestionType": "MC", "Selector": "GRB"},
            {"QuestionID": "QID8", "DataExportTag": "Q8", "QuestionType": "Gizmo"},
            {"QuestionID": "QID9", "DataExportTag": "Q9", "QuestionType": "Matrix", "Selector": "Likert", "SubSelector": "SingleAnswer",
             "Choices": {"1": {"Display": "Only"}}, "Answers": {"1": {}, "2": {}}},
            {"QuestionID": "QID10", "QuestionType": 5}
        ]),
    );
    let got = import(&src);
    // The sliders (one per statement) and the one-statement matrix are kept now.
    let kinds: Vec<QuestionType> = got.questions.iter().map(|q| q.kind).collect();
    assert_eq!(kinds, [QuestionType::Slider, QuestionType::Slider, QuestionType::Slider, QuestionType::Matrix]);
    let report: Vec<(&str, &str)> = got.report.iter().map(|s| (s.element.as_str(), s.reason.as_str())).collect();
    assert!(report.iter().all(|(e, r)| !e.is_empty() && !r.is_empty()));
    assert!(report.contains(&("QID10", "not a readable question: invalid type: integer `5`, expected a string")));
    assert!(report.iter().any(|(e, r)| *e == "Q7" && r.contains("GRB")), "{report:?}");
    assert!(report.iter().any(|(e, _)| *e == "Q8"), "{report:?}");
}

#[test]
fn a_spanish_survey_keeps_its_texts_in_both_languages_until_translated() {
    let src = qsf(
        "ES",
        json!([{"QuestionID": "QID1", "DataExportTag": "Q1", "QuestionType": "MC", "Selector": "SAHR", "QuestionText": "¿Volvería?",
                "Choices": {"1": {"Display": "Sí"}, "2": {"Display": "No"}},
                "Language": {"EN": {"QuestionText": "Would you come back?", "Choices": {"1": {"Display": "Yes"}}}}}]),
    );
    let got = import(&src);
    assert_eq!(got.title, l("S", "S"));
    let want = q("q1", QuestionType::SingleChoice, "Would you come back?", "¿Volvería?");
    assert_eq!(got.questions, [with_choices(want, &[("yes", "Yes", "Sí"), ("no", "No", "No")])]);
}

#[test]
fn a_json_file_that_is_not_a_qsf_is_an_error() {
    let e = import_as(Format::Qsf, r#"{"pages": []}"#).unwrap_err();
    assert_eq!(e, ImportError::NotASurvey { format: Format::Qsf, detail: "it has no SurveyElements list".into() });
    assert_eq!(e.to_string(), "this is not a Qualtrics QSF survey: it has no SurveyElements list");
    let e = import_as(Format::Qsf, r#"{"SurveyElements": [{"Element": 3}]}"#).unwrap_err();
    assert!(
        e.to_string().starts_with("this is not a Qualtrics QSF survey: its SurveyElements are not readable"),
        "{e}"
    );
}
