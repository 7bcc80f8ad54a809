//! Exporting a survey as SurveyJS JSON (B7): the most open of the formats
//! Rapport imports, so a survey can move to another tool and back.
//!
//! Texts are SurveyJS localisable strings, `{"default": English, "es":
//! Spanish}` (a plain string when there is no Spanish). What SurveyJS has
//! no property for is kept in properties of Rapport's own, which SurveyJS
//! ignores and the import reads back: `rapportType` (`csat`, `ces`: a 1-5 or
//! 1-7 rating that is one of the product's scores) and `rapportDecimals`
//! (decimals a number may have). A matrix's "not applicable" is a column
//! valued `na`; a slider is a range text box with `minRateDescription` and
//! `maxRateDescription` at its ends.

use crate::survey::{ConditionOp, Localized, Question, QuestionType, ShowIf, NOT_APPLICABLE};
use serde_json::{json, Map, Value};

/// A localisable string.
fn text(l: &Localized) -> Value {
    if l.es.trim().is_empty() {
        Value::from(l.en.as_str())
    } else {
        json!({ "default": l.en, "es": l.es })
    }
}

fn item(value: impl Into<Value>, label: &Localized) -> Value {
    json!({ "value": value.into(), "text": text(label) })
}

/// A value as a SurveyJS expression literal.
fn literal(v: &Value) -> String {
    match v {
        Value::String(s) => format!("'{}'", s.replace('\'', "")),
        Value::Array(items) => format!("[{}]", items.iter().map(literal).collect::<Vec<_>>().join(", ")),
        Value::Null => "''".into(),
        other => other.to_string(),
    }
}

/// One comparison as `visibleIf` writes it.
fn comparison(c: &ShowIf) -> String {
    let q = format!("{{{}}}", c.question);
    let op = match c.op {
        ConditionOp::Answered => return format!("{q} notempty"),
        ConditionOp::Eq => "=",
        ConditionOp::Ne => "!=",
        ConditionOp::Lt => "<",
        ConditionOp::Lte => "<=",
        ConditionOp::Gt => ">",
        ConditionOp::Gte => ">=",
        ConditionOp::Includes => "contains",
        ConditionOp::AnyOf => "anyof",
    };
    format!("{q} {op} {}", literal(&c.value))
}

/// A `show_if` as a SurveyJS `visibleIf` expression.
pub fn visible_if(c: &ShowIf) -> String {
    let own = comparison(c);
    match (&c.and, &c.or) {
        (Some(a), _) => format!("({own}) and ({})", comparison(a)),
        (None, Some(o)) => format!("({own}) or ({})", comparison(o)),
        _ => own,
    }
}

/// One question as a SurveyJS element.
fn element(q: &Question) -> Value {
    let mut e = Map::new();
    e.insert("name".into(), Value::from(q.key.as_str()));
    let choices = || Value::Array(q.choices.iter().map(|c| item(c.key.as_str(), &c.label)).collect());
    let kind = match q.kind {
        QuestionType::Nps | QuestionType::Csat | QuestionType::Ces | QuestionType::Rating => {
            let (lo, hi) = q.kind.bounds(q.scale_max).unwrap_or((1, 5));
            e.insert("rateMin".into(), lo.into());
            e.insert("rateMax".into(), hi.into());
            if matches!(q.kind, QuestionType::Csat | QuestionType::Ces) {
                e.insert("rapportType".into(), q.kind.key().into());
            }
            "rating"
        }
        QuestionType::SingleChoice | QuestionType::MultipleChoice | QuestionType::Ranking => {
            e.insert("choices".into(), choices());
            if q.other {
                e.insert("showOtherItem".into(), true.into());
            }
            match q.kind {
                QuestionType::SingleChoice => "radiogroup",
                QuestionType::MultipleChoice => "checkbox",
                _ => "ranking",
            }
        }
        QuestionType::Text => "comment",
        QuestionType::Matrix => {
            let (lo, hi) = q.matrix_scale();
            let mut columns: Vec<Value> = (lo..=hi)
                .map(|p| match q.choices.get((p - lo) as usize) {
                    Some(c) => item(p, &c.label),
                    None => Value::from(p),
                })
                .collect();
            if q.not_applicable {
                let na = Localized { en: "Not applicable".into(), es: "No aplica".into() };
                columns.push(item(NOT_APPLICABLE, &na));
            }
            e.insert("columns".into(), Value::Array(columns));
            e.insert("rows".into(), q.rows.iter().map(|r| item(r.key.as_str(), &r.label)).collect());
            "matrix"
        }
        QuestionType::Numeric => {
            e.insert("inputType".into(), "number".into());
            q.min.map(|m| e.insert("min".into(), m.into()));
            q.max.map(|m| e.insert("max".into(), m.into()));
            e.insert("rapportDecimals".into(), q.decimals.unwrap_or(0).into());
            "text"
        }
        QuestionType::Slider => {
            e.insert("inputType".into(), "range".into());
            e.insert("min".into(), q.min.unwrap_or(0.0).into());
            e.insert("max".into(), q.max.unwrap_or(100.0).into());
            e.insert("step".into(), q.slider_step().into());
            "text"
        }
        QuestionType::Date => {
            e.insert("inputType".into(), "date".into());
            "text"
        }
        QuestionType::MultiText => {
            let items = q.rows.iter().map(|r| json!({ "name": r.key, "title": text(&r.label) }));
            e.insert("items".into(), items.collect());
            "multipletext"
        }
        QuestionType::TextBlock => {
            e.insert("html".into(), text(&q.text));
            "html"
        }
        QuestionType::Consent => {
            e.insert("renderAs".into(), "checkbox".into());
            "boolean"
        }
    };
    e.insert("type".into(), kind.into());
    if !q.kind.is_display() {
        e.insert("title".into(), text(&q.text));
    }
    if q.required {
        e.insert("isRequired".into(), true.into());
    }
    if let Some(l) = &q.low_label {
        e.insert("minRateDescription".into(), text(l));
    }
    if let Some(l) = &q.high_label {
        e.insert("maxRateDescription".into(), text(l));
    }
    if let Some(c) = &q.show_if {
        e.insert("visibleIf".into(), visible_if(c).into());
    }
    Value::Object(e)
}

/// A survey as a SurveyJS definition: one page with every question.
pub fn to_surveyjs(title: &Localized, intro: &Localized, questions: &[Question]) -> Value {
    let mut survey = Map::new();
    survey.insert("title".into(), text(title));
    if !intro.en.trim().is_empty() {
        survey.insert("description".into(), text(intro));
    }
    let elements: Vec<Value> = questions.iter().map(element).collect();
    survey.insert("pages".into(), json!([{ "name": "page1", "elements": elements }]));
    Value::Object(survey)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::{Choice, SurveyDraft};
    use crate::survey_import::{import, Format};

    fn l(en: &str, es: &str) -> Localized {
        Localized { en: en.into(), es: es.into() }
    }

    fn c(key: &str, en: &str, es: &str) -> Choice {
        Choice { key: key.into(), label: l(en, es) }
    }

    /// A survey with every type, conditions of every kind, "other" and "not applicable".
    fn rich() -> Vec<Question> {
        let q = |key: &str, kind, en: &str| Question::new(key, kind, l(en, &format!("{en} (es)")));
        let mut out = vec![q("welcome", QuestionType::TextBlock, "<p>Welcome, <strong>thanks</strong>.</p>")];
        let mut nps = q("nps", QuestionType::Nps, "Recommend us?");
        nps.required = true;
        out.push(nps);
        out.push(q("csat", QuestionType::Csat, "Satisfied?"));
        out.push(q("ces", QuestionType::Ces, "Easy?"));
        let mut rating = q("stars", QuestionType::Rating, "Stars?");
        rating.scale_max = Some(7);
        out.push(rating);
        let mut plan = q("plan", QuestionType::SingleChoice, "Plan?");
        plan.choices = vec![c("basic", "Basic", "Básico"), c("pro", "Pro", "Pro")];
        plan.other = true;
        out.push(plan);
        let mut why = q("why", QuestionType::MultipleChoice, "Why?");
        why.choices =
            vec![c("price", "Price", "Precio"), c("speed", "Speed", "Rapidez"), c("staff", "Staff", "Personal")];
        why.other = true;
        why.show_if = Some(ShowIf::new("nps", ConditionOp::Lte, json!(6)));
        out.push(why);
        let mut grid = q("visit", QuestionType::Matrix, "Rate your visit");
        grid.rows = vec![c("staff", "Staff", "Personal"), c("price", "Price", "Precio")];
        grid.choices = vec![c("p1", "Bad", "Mal"), c("p2", "OK", "Bien"), c("p3", "Great", "Genial")];
        grid.scale_min = Some(1);
        grid.not_applicable = true;
        out.push(grid);
        let mut grid0 = q("effort", QuestionType::Matrix, "Effort, 0 to 4");
        grid0.rows = vec![c("web", "Web", "Web")];
        grid0.scale_min = Some(0);
        grid0.scale_max = Some(4);
        out.push(grid0);
        let mut n = q("orders", QuestionType::Numeric, "Orders a month?");
        (n.min, n.max, n.decimals) = (Some(0.0), Some(100.0), Some(1));
        n.show_if = Some(ShowIf {
            and: Some(Box::new(ShowIf::new("plan", ConditionOp::AnyOf, json!(["basic", "pro"])))),
            ..ShowIf::new("visit.staff", ConditionOp::Gte, json!(2))
        });
        out.push(n);
        let mut s = q("spend", QuestionType::Slider, "Spend?");
        (s.min, s.max, s.step) = (Some(0.0), Some(500.0), Some(10.0));
        s.low_label = Some(l("Nothing", "Nada"));
        s.high_label = Some(l("A lot", "Mucho"));
        s.show_if = Some(ShowIf {
            or: Some(Box::new(ShowIf::new("why", ConditionOp::Includes, json!("price")))),
            ..ShowIf::new("orders", ConditionOp::Gt, json!(3))
        });
        out.push(s);
        let mut rank = q("rank", QuestionType::Ranking, "Order these");
        rank.choices = vec![c("a", "A", "A"), c("b", "B", "B"), c("c", "C", "C")];
        out.push(rank);
        out.push(q("when", QuestionType::Date, "When?"));
        let mut mt = q("contact", QuestionType::MultiText, "Your details");
        mt.rows = vec![c("city", "City", "Ciudad"), c("zip", "Postcode", "Código postal")];
        out.push(mt);
        let mut text = q("comments", QuestionType::Text, "Anything else?");
        text.show_if = Some(ShowIf::new("contact.city", ConditionOp::Answered, Value::Null));
        out.push(text);
        let mut consent = q("agree", QuestionType::Consent, "I agree to be contacted");
        consent.required = true;
        out.push(consent);
        out
    }

    fn validated(title: &Localized, intro: &Localized, questions: Vec<Question>) -> Vec<Question> {
        let draft = SurveyDraft {
            touchpoint_id: Some(1),
            title: Some(title.clone()),
            intro: Some(intro.clone()),
            questions,
            fatigue_days: None,
        };
        draft.validate().unwrap_or_else(|e| panic!("{e}")).questions
    }

    #[test]
    fn a_survey_exported_then_imported_keeps_every_question() {
        let (title, intro) = (l("Visit", "Visita"), l("Two minutes.", "Dos minutos."));
        let original = validated(&title, &intro, rich());
        let json = to_surveyjs(&title, &intro, &original);
        let back = import(Format::SurveyJs, &json.to_string()).unwrap();
        assert_eq!(back.report, vec![], "{json:#}");
        assert_eq!((back.title.clone(), back.intro.clone()), (title.clone(), intro.clone()));
        let again = validated(&title, &intro, back.questions);
        for (a, b) in original.iter().zip(&again) {
            assert_eq!(a, b, "{}", a.key);
        }
        assert_eq!(original.len(), again.len());
        assert_eq!(back.counts.kept, back.counts.in_file);
    }

    #[test]
    fn conditions_read_as_surveyjs_writes_them() {
        let c = ShowIf {
            or: Some(Box::new(ShowIf::new("plan", ConditionOp::AnyOf, json!(["a", "b"])))),
            ..ShowIf::new("grid.row", ConditionOp::Lte, json!(2))
        };
        assert_eq!(visible_if(&c), "({grid.row} <= 2) or ({plan} anyof ['a', 'b'])");
        assert_eq!(visible_if(&ShowIf::new("why", ConditionOp::Answered, Value::Null)), "{why} notempty");
    }
}
