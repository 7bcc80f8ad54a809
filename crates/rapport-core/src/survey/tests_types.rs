//! Unit tests of the question types beyond scales, choices and text: how a
//! draft of each is checked, how its answers are checked, and skip logic
//! that reads them.

use super::*;
use serde_json::{json, Map, Value};

fn l(en: &str, es: &str) -> Localized {
    Localized { en: en.into(), es: es.into() }
}

fn c(key: &str) -> Choice {
    Choice { key: key.into(), label: l(key, key) }
}

fn q(key: &str, kind: QuestionType) -> Question {
    Question::new(key, kind, l("Q", "P"))
}

fn draft(questions: Vec<Question>) -> SurveyDraft {
    SurveyDraft { touchpoint_id: Some(1), title: Some(l("T", "T")), intro: None, questions, fatigue_days: None }
}

fn survey(questions: Vec<Question>) -> Survey {
    let input = draft(questions).validate().expect("a valid draft");
    Survey {
        id: 1,
        touchpoint_id: 1,
        title: input.title,
        intro: input.intro,
        questions: input.questions,
        fatigue_days: 0,
        status: SurveyStatus::Published,
        token: "t".into(),
        created_at: chrono::Utc::now(),
    }
}

fn answers(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

fn code(s: &Survey, v: Value, field: &str) -> &'static str {
    let e = s.check_answers(&answers(v)).expect_err("refused");
    e.get(field).unwrap_or_else(|| panic!("no error on {field}: {e}")).code
}

fn matrix() -> Question {
    let mut m = q("aspects", QuestionType::Matrix);
    m.rows = vec![c("staff"), c("price")];
    m.not_applicable = true;
    m
}

#[test]
fn matrix_rows_take_a_point_of_one_scale_or_na() {
    let mut m = matrix();
    m.scale_min = Some(0);
    m.scale_max = Some(10);
    let s = survey(vec![m]);
    let ok = s.check_answers(&answers(json!({"aspects": {"staff": "10", "price": "na"}}))).unwrap();
    assert_eq!(ok["aspects"], json!({"staff": 10, "price": "na"}));
    assert_eq!(code(&s, json!({"aspects": {"staff": 11}}), "answers.aspects.staff"), "out_of_range");
    assert_eq!(code(&s, json!({"aspects": {"staff": 2.5}}), "answers.aspects.staff"), "out_of_range");
    assert_eq!(code(&s, json!({"aspects": {"decor": 3}}), "answers.aspects.decor"), "unknown_id");
    assert_eq!(code(&s, json!({"aspects": [3]}), "answers.aspects"), "invalid_type");
}

#[test]
fn a_required_matrix_needs_every_row_and_labelled_points_set_the_scale() {
    let mut m = matrix();
    m.required = true;
    m.not_applicable = false;
    m.choices = vec![c("disagree"), c("neutral"), c("agree")];
    let s = survey(vec![m]);
    assert_eq!(s.questions[0].matrix_scale(), (1, 3), "three labelled points: 1 to 3");
    assert_eq!(code(&s, json!({"aspects": {"staff": 3}}), "answers.aspects.price"), "required");
    assert_eq!(code(&s, json!({"aspects": {"staff": 3, "price": "na"}}), "answers.aspects.price"), "out_of_range");
    assert_eq!(code(&s, json!({}), "answers.aspects"), "required");
}

#[test]
fn matrix_drafts() {
    let mut no_rows = q("m", QuestionType::Matrix);
    no_rows.scale_max = Some(11);
    no_rows.scale_min = Some(2);
    let e = draft(vec![no_rows]).validate().unwrap_err();
    assert_eq!(e.get("questions[0].rows").unwrap().code, "required");
    assert_eq!(e.get("questions[0].scale_min").unwrap().code, "out_of_range");
    assert_eq!(e.get("questions[0].scale_max").unwrap().code, "out_of_range");
    let mut dup = matrix();
    dup.rows.push(c("staff"));
    let e = draft(vec![dup]).validate().unwrap_err();
    assert_eq!(e.get("questions[0].rows[2].key").unwrap().code, "invalid_key");
}

#[test]
fn numbers_respect_bounds_and_decimals() {
    let mut n = q("age", QuestionType::Numeric);
    n.min = Some(18.0);
    n.max = Some(120.0);
    let mut kg = q("kg", QuestionType::Numeric);
    kg.decimals = Some(1);
    let s = survey(vec![n, kg]);
    let ok = s.check_answers(&answers(json!({"age": "42", "kg": "72,5"}))).unwrap();
    assert_eq!(ok["age"], json!(42));
    assert_eq!(ok["kg"], json!(72.5), "a decimal comma reads as a point");
    assert_eq!(code(&s, json!({"age": 17}), "answers.age"), "out_of_range");
    assert_eq!(code(&s, json!({"age": 121}), "answers.age"), "out_of_range");
    assert_eq!(code(&s, json!({"age": 40.5}), "answers.age"), "too_precise");
    assert_eq!(code(&s, json!({"kg": 72.55}), "answers.kg"), "too_precise");
    assert_eq!(code(&s, json!({"age": "forty"}), "answers.age"), "invalid_type");
    assert_eq!(code(&s, json!({"age": "NaN"}), "answers.age"), "invalid_type");
    let mut bad = q("n", QuestionType::Numeric);
    bad.min = Some(5.0);
    bad.max = Some(1.0);
    bad.decimals = Some(7);
    let e = draft(vec![bad]).validate().unwrap_err();
    assert_eq!(e.get("questions[0].max").unwrap().code, "out_of_range");
    assert_eq!(e.get("questions[0].decimals").unwrap().code, "out_of_range");
}

#[test]
fn sliders_take_whole_steps() {
    let mut sl = q("effort", QuestionType::Slider);
    sl.min = Some(0.0);
    sl.max = Some(1.0);
    sl.step = Some(0.1);
    let s = survey(vec![sl]);
    let ok = s.check_answers(&answers(json!({"effort": "0.3"}))).unwrap();
    assert_eq!(ok["effort"], json!(0.3), "no float noise (0.30000000000000004)");
    assert_eq!(code(&s, json!({"effort": 0.35}), "answers.effort"), "out_of_range");
    assert_eq!(code(&s, json!({"effort": 1.1}), "answers.effort"), "out_of_range");
    let mut bad = q("s", QuestionType::Slider);
    bad.min = Some(0.0);
    bad.max = Some(1e9);
    bad.step = Some(1.0);
    let e = draft(vec![bad.clone()]).validate().unwrap_err();
    assert_eq!(e.get("questions[0].step").unwrap().code, "out_of_range", "a billion points is not a slider");
    bad.max = Some(f64::INFINITY);
    assert_eq!(draft(vec![bad]).validate().unwrap_err().get("questions[0].max").unwrap().code, "out_of_range");
}

#[test]
fn a_ranking_orders_every_item_once() {
    let mut r = q("order", QuestionType::Ranking);
    r.choices = vec![c("a"), c("b"), c("c")];
    let s = survey(vec![r]);
    let ok = s.check_answers(&answers(json!({"order": ["c", "a", "b"]}))).unwrap();
    assert_eq!(ok["order"], json!(["c", "a", "b"]));
    assert_eq!(code(&s, json!({"order": ["a", "a", "b"]}), "answers.order"), "duplicate");
    assert_eq!(code(&s, json!({"order": ["a", "b"]}), "answers.order"), "incomplete");
    assert_eq!(code(&s, json!({"order": ["a", "b", "z"]}), "answers.order"), "invalid_choice");
    let mut one = q("one", QuestionType::Ranking);
    one.choices = vec![c("a")];
    assert_eq!(draft(vec![one]).validate().unwrap_err().get("questions[0].choices").unwrap().code, "required");
}

#[test]
fn dates_must_exist() {
    let s = survey(vec![q("on", QuestionType::Date)]);
    assert_eq!(s.check_answers(&answers(json!({"on": "2024-02-29"}))).unwrap()["on"], json!("2024-02-29"));
    for bad in ["2026-02-29", "2026-13-01", "2026-2-1", "01/02/2026", "2026-02-01T00:00:00Z", "+12026-01-01"] {
        assert_eq!(code(&s, json!({ "on": bad }), "answers.on"), "invalid_date", "{bad}");
    }
    assert_eq!(code(&s, json!({"on": 20260101}), "answers.on"), "invalid_date");
}

#[test]
fn short_texts_by_field() {
    let mut m = q("where", QuestionType::MultiText);
    m.rows = vec![c("city"), c("store")];
    let s = survey(vec![m]);
    let ok = s.check_answers(&answers(json!({"where": {"city": " Lyon ", "store": ""}}))).unwrap();
    assert_eq!(ok["where"], json!({"city": "Lyon"}));
    let long = "x".repeat(1001);
    assert_eq!(code(&s, json!({"where": {"city": long}}), "answers.where.city"), "too_long");
    assert_eq!(code(&s, json!({"where": {"city": 3}}), "answers.where.city"), "invalid_type");
}

#[test]
fn text_blocks_are_cleaned_and_take_no_answer() {
    let mut b = q("intro", QuestionType::TextBlock);
    b.text = l(
        "<h2>Hello</h2><p onclick=\"x()\">Read <a href=\"javascript:alert(1)\">this</a> \
         and <a href=\"https://example.com\">that</a></p><script>alert(1)</script><img src=x>",
        "<p>Hola</p>",
    );
    b.required = true;
    let s = survey(vec![b, q("nps", QuestionType::Nps)]);
    let text = &s.questions[0].text.en;
    assert!(text.starts_with("<h2>Hello</h2><p>Read <a"), "{text}");
    for gone in ["onclick", "javascript:", "<script", "<img"] {
        assert!(!text.contains(gone), "{gone} kept: {text}");
    }
    assert!(text.contains("href=\"https://example.com\"") && text.contains("noopener"), "{text}");
    assert!(!s.questions[0].required, "a text block is never required");
    assert_eq!(code(&s, json!({"intro": "x"}), "answers.intro"), "unknown_id");
    let long = "é".repeat(MAX_TEXT_BLOCK + 1);
    let mut huge = q("huge", QuestionType::TextBlock);
    huge.text = l(&long, "x");
    assert_eq!(draft(vec![huge]).validate().unwrap_err().get("questions[0].text.en").unwrap().code, "too_long");
    let only_blocks = draft(vec![q("intro", QuestionType::TextBlock)]).validate().expect("a draft may ask nothing yet");
    let e = check_publishable(&only_blocks.questions).unwrap_err();
    assert_eq!(e.get("questions").unwrap().code, "required", "a published survey asks something");
    assert!(check_publishable(&[q("intro", QuestionType::TextBlock), q("nps", QuestionType::Nps)]).is_ok());
}

#[test]
fn consent_must_be_given_when_required() {
    let mut yes = q("agree", QuestionType::Consent);
    yes.required = true;
    let s = survey(vec![yes, q("news", QuestionType::Consent)]);
    let ok = s.check_answers(&answers(json!({"agree": "on", "news": false}))).unwrap();
    assert_eq!(ok["agree"], json!(true));
    assert_eq!(ok["news"], json!(false));
    assert_eq!(code(&s, json!({"agree": false}), "answers.agree"), "required");
    assert_eq!(code(&s, json!({"agree": "maybe"}), "answers.agree"), "invalid_type");
}

#[test]
fn other_please_specify() {
    let mut one = q("heard", QuestionType::SingleChoice);
    one.choices = vec![c("friend")];
    one.other = true;
    let mut many = q("used", QuestionType::MultipleChoice);
    many.choices = vec![c("app"), c("web")];
    many.other = true;
    let s = survey(vec![one.clone(), many]);
    let ok = s
        .check_answers(&answers(
            json!({"heard": "other", "heard.other": " Radio ", "used": ["app", "other"], "used.other": "kiosk"}),
        ))
        .unwrap();
    assert_eq!(ok["heard.other"], json!("Radio"));
    assert_eq!(ok["used"], json!(["app", "other"]));
    assert_eq!(code(&s, json!({"heard": "other"}), "answers.heard.other"), "required");
    // The text is kept only with the choice "other".
    let ok = s.check_answers(&answers(json!({"heard": "friend", "heard.other": "ignored"}))).unwrap();
    assert!(!ok.contains_key("heard.other"));
    assert_eq!(code(&s, json!({"nps.other": "x"}), "answers.nps.other"), "unknown_id");
    // "other" is a reserved key when offered; without it, it is a choice like any.
    one.choices.push(c("other"));
    assert_eq!(draft(vec![one.clone()]).validate().unwrap_err().get("questions[0].choices").unwrap().code, "duplicate");
    one.other = false;
    assert!(draft(vec![one]).validate().is_ok());
}

#[test]
fn skip_logic_reads_rows_lists_and_two_conditions() {
    let mut low = q("why_low", QuestionType::Text);
    let mut cond = ShowIf::new("aspects.staff", ConditionOp::Lte, json!(2));
    cond.or = Some(Box::new(ShowIf::new("visits", ConditionOp::Gt, json!(10))));
    low.show_if = Some(cond);
    let mut pick = q("plan", QuestionType::SingleChoice);
    pick.choices = vec![c("free"), c("pro"), c("team")];
    let mut paid = q("paid_why", QuestionType::Text);
    let mut both = ShowIf::new("plan", ConditionOp::AnyOf, json!(["pro", "team"]));
    both.and = Some(Box::new(ShowIf::new("visits", ConditionOp::Gte, json!(1))));
    paid.show_if = Some(both);
    let s = survey(vec![matrix(), q("visits", QuestionType::Numeric), low, pick, paid]);
    let shown = |v: Value| -> Vec<String> {
        let a = answers(v);
        s.visible(&a).map(|q| q.key.clone()).collect()
    };
    assert!(shown(json!({"aspects": {"staff": 1}})).contains(&"why_low".to_string()));
    assert!(shown(json!({"visits": 11})).contains(&"why_low".to_string()), "or");
    assert!(!shown(json!({"aspects": {"staff": 4}, "visits": 3})).contains(&"why_low".to_string()));
    assert!(!shown(json!({"aspects": {"staff": "na"}})).contains(&"why_low".to_string()), "N/A is not low");
    assert!(shown(json!({"plan": "team", "visits": 1})).contains(&"paid_why".to_string()));
    assert!(!shown(json!({"plan": "team"})).contains(&"paid_why".to_string()), "and");
    assert!(!shown(json!({"plan": "free", "visits": 2})).contains(&"paid_why".to_string()));
    // Hidden by its conditions, an answer is dropped, not stored.
    let kept = s.check_answers(&answers(json!({"visits": 2, "why_low": "x", "paid_why": "y"}))).unwrap();
    assert!(!kept.contains_key("why_low") && !kept.contains_key("paid_why"));
}

#[test]
fn conditions_are_checked_when_saved() {
    let mut a = q("a", QuestionType::Text);
    let mut deep = ShowIf::new("aspects", ConditionOp::Answered, Value::Null);
    let mut inner = ShowIf::new("aspects.staff", ConditionOp::Eq, json!(1));
    inner.and = Some(Box::new(ShowIf::new("aspects.price", ConditionOp::Eq, json!(1))));
    deep.or = Some(Box::new(inner));
    a.show_if = Some(deep);
    let mut b = q("b", QuestionType::Text);
    b.show_if = Some(ShowIf::new("aspects.decor", ConditionOp::Answered, Value::Null));
    let mut both = ShowIf::new("aspects", ConditionOp::Answered, Value::Null);
    both.and = Some(Box::new(ShowIf::new("later", ConditionOp::Answered, Value::Null)));
    both.or = Some(Box::new(ShowIf::new("aspects", ConditionOp::Answered, Value::Null)));
    let mut d = q("d", QuestionType::Text);
    d.show_if = Some(both);
    let e = draft(vec![matrix(), a, b, d, q("later", QuestionType::Text)]).validate().unwrap_err();
    assert_eq!(e.get("questions[1].show_if.or").unwrap().code, "too_deep");
    assert_eq!(e.get("questions[2].show_if.question").unwrap().code, "unknown_id", "no such row");
    assert_eq!(e.get("questions[3].show_if").unwrap().code, "invalid", "and with or");
    assert_eq!(e.get("questions[3].show_if.and.question").unwrap().code, "unknown_id", "a later question");
}

#[test]
fn limits_fit_real_surveys() {
    let many: Vec<Question> = (0..MAX_QUESTIONS).map(|i| q(&format!("q{i}"), QuestionType::Text)).collect();
    assert!(draft(many.clone()).validate().is_ok(), "{MAX_QUESTIONS} questions");
    let mut too_many = many;
    too_many.push(q("one_more", QuestionType::Text));
    assert_eq!(draft(too_many).validate().unwrap_err().get("questions").unwrap().code, "too_many");
    let mut countries = q("country", QuestionType::SingleChoice);
    countries.choices = (0..MAX_CHOICES).map(|i| c(&format!("c{i}"))).collect();
    assert!(draft(vec![countries.clone()]).validate().is_ok());
    countries.choices.push(c("extra"));
    assert_eq!(draft(vec![countries]).validate().unwrap_err().get("questions[0].choices").unwrap().code, "too_many");
    let mut consent = q("consent_text", QuestionType::Consent);
    consent.text = l(&"a".repeat(MAX_QUESTION_TEXT), "b");
    assert!(draft(vec![consent]).validate().is_ok(), "a long consent text in the question");
}

#[test]
fn every_type_has_a_name_and_round_trips_through_json() {
    for t in QuestionType::ALL {
        assert_eq!(QuestionType::parse(t.key()), Some(t));
        assert_eq!(serde_json::to_value(t).unwrap(), json!(t.key()));
    }
    for op in ConditionOp::ALL {
        assert_eq!(ConditionOp::parse(op.key()), Some(op));
        assert_eq!(serde_json::to_value(op).unwrap(), json!(op.key()));
    }
    let m = survey(vec![matrix()]).questions.remove(0);
    let back: Question = serde_json::from_value(serde_json::to_value(&m).unwrap()).unwrap();
    assert_eq!(back, m);
}

#[test]
fn scored_items_include_matrix_rows_and_sliders() {
    let mut sl = q("effort", QuestionType::Slider);
    sl.min = Some(0.0);
    sl.max = Some(10.0);
    let s = survey(vec![q("nps", QuestionType::Nps), matrix(), sl, q("why", QuestionType::Text)]);
    let items = scored_items(&s.questions);
    let keys: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, ["nps", "aspects.staff", "aspects.price", "effort"]);
    assert_eq!((items[1].min, items[1].max), (Some(1.0), Some(5.0)));
    assert_eq!(items[1].label.en, "Q: staff");
    let a = answers(json!({"nps": 9, "aspects": {"staff": 4, "price": "na"}, "effort": 2.5}));
    assert_eq!(item_value(&a, "aspects.staff"), Some(4.0));
    assert_eq!(item_value(&a, "aspects.price"), None, "N/A is not a number");
    assert_eq!(item_value(&a, "effort"), Some(2.5));
}

#[test]
fn answers_in_the_shape_of_the_answers_table_fold_into_their_questions() {
    let mut r = q("order", QuestionType::Ranking);
    r.choices = vec![c("a"), c("b"), c("c")];
    let mut heard = q("heard", QuestionType::SingleChoice);
    heard.choices = vec![c("friend")];
    heard.other = true;
    let s = survey(vec![matrix(), r, heard]);
    let flat = json!({"aspects.staff": "4", "aspects.price": "na", "order.a": 2, "order.b": "3", "order.c": 1,
                      "heard": "other", "heard.other": "Radio"});
    let ok = s.check_answers(&answers(flat)).unwrap();
    assert_eq!(ok["aspects"], json!({"staff": 4, "price": "na"}));
    assert_eq!(ok["order"], json!(["c", "a", "b"]));
    assert_eq!(ok["heard.other"], json!("Radio"), "an 'other' text is not folded");
    let tie = json!({"order.a": 1, "order.b": 1, "order.c": 2});
    assert_eq!(code(&s, tie, "answers.order"), "duplicate");
    let gap = json!({"order.a": 1, "order.b": 2, "order.c": 4});
    assert_eq!(code(&s, gap, "answers.order"), "out_of_range");
    // A CSV of the answers table reads back as the answers it came from.
    let cols = answer_columns(&s.questions);
    let row: Map<String, Value> =
        cols.iter().filter_map(|c| answer_cell(&s.questions, &ok, c).map(|v| (c.name.clone(), v))).collect();
    assert_eq!(s.check_answers(&row).unwrap(), ok);
}
