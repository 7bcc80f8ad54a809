//! LimeSurvey survey structure (LSS, XML). The mapping is described in the
//! parent module.

use super::{choices, comparison, literal, localize, plain, question, yes_no, Builder, Format, ImportError};
use super::{Imported, Operand};
use crate::lang::Lang;
use crate::survey::{ConditionOp, Localized, QuestionType};
use std::collections::BTreeMap;

/// One `<row>` of a table: field name → text.
type Row = BTreeMap<String, String>;

/// Texts of one thing (question, answer, survey) by language code.
type Texts = Vec<(String, String)>;

struct Q {
    qid: String,
    parent: String,
    gid: String,
    kind: String,
    code: String,
    mandatory: bool,
    other: bool,
    order: i64,
    relevance: String,
}

struct Answer {
    id: String,
    qid: String,
    code: String,
    order: i64,
    scale: String,
}

pub(super) fn import(source: &str) -> Result<Imported, ImportError> {
    let doc = roxmltree::Document::parse(source).map_err(|e| ImportError::syntax(Format::Lss, e))?;
    let root = doc.root_element();
    if !root.has_tag_name("document") {
        return Err(ImportError::not_a_survey(Format::Lss, "its root element is not <document>"));
    }
    if !root.children().any(|n| n.has_tag_name("questions")) {
        return Err(ImportError::not_a_survey(Format::Lss, "it has no questions table"));
    }
    let table = |name: &str| rows(&doc, name);
    let field = |r: &Row, f: &str| r.get(f).cloned().unwrap_or_default();
    let number = |r: &Row, f: &str| r.get(f).and_then(|v| v.trim().parse::<i64>().ok()).unwrap_or(0);

    let base = table("surveys").first().map(|r| field(r, "language")).unwrap_or_default();
    let main_lang = if base.is_empty() { Some(Lang::En) } else { Lang::parse(&base) };

    // Questions and subquestions; LimeSurvey 3 repeats a row per language,
    // with the text in it.
    let mut questions: Vec<Q> = Vec::new();
    let mut q_texts: BTreeMap<String, Texts> = BTreeMap::new();
    for r in table("questions").iter().chain(table("subquestions").iter()) {
        let qid = field(r, "qid");
        if let (Some(lang), Some(text)) = (r.get("language"), r.get("question")) {
            q_texts.entry(qid.clone()).or_default().push((lang.clone(), text.clone()));
        }
        if questions.iter().any(|q| q.qid == qid) {
            continue;
        }
        questions.push(Q {
            parent: field(r, "parent_qid"),
            gid: field(r, "gid"),
            kind: field(r, "type"),
            code: field(r, "title"),
            mandatory: field(r, "mandatory") == "Y",
            other: field(r, "other") == "Y",
            order: number(r, "question_order"),
            relevance: field(r, "relevance"),
            qid,
        });
    }
    for r in table("question_l10ns") {
        q_texts.entry(field(&r, "qid")).or_default().push((field(&r, "language"), field(&r, "question")));
    }

    // Answer options; LimeSurvey 4+ keeps their texts in answer_l10ns by aid.
    let mut answers: Vec<Answer> = Vec::new();
    let mut a_texts: BTreeMap<String, Texts> = BTreeMap::new();
    for r in table("answers") {
        let id = r.get("aid").cloned().unwrap_or_else(|| format!("{}:{}", field(&r, "qid"), field(&r, "code")));
        if let (Some(lang), Some(text)) = (r.get("language"), r.get("answer")) {
            a_texts.entry(id.clone()).or_default().push((lang.clone(), text.clone()));
        }
        if !answers.iter().any(|a| a.id == id) {
            let (qid, code, order, scale) =
                (field(&r, "qid"), field(&r, "code"), number(&r, "sortorder"), field(&r, "scale_id"));
            answers.push(Answer { id, qid, code, order, scale });
        }
    }
    for r in table("answer_l10ns") {
        a_texts.entry(field(&r, "aid")).or_default().push((field(&r, "language"), field(&r, "answer")));
    }

    let mut group_order: Vec<(String, i64)> = Vec::new();
    for r in table("groups") {
        let gid = field(&r, "gid");
        if !group_order.iter().any(|(g, _)| *g == gid) {
            group_order.push((gid, number(&r, "group_order")));
        }
    }
    let rank = |gid: &str| group_order.iter().find(|(g, _)| g == gid).map_or(i64::MAX, |(_, o)| *o);
    let is_top = |q: &&Q| q.parent.is_empty() || q.parent == "0";
    let mut top: Vec<&Q> = questions.iter().filter(is_top).collect();
    top.sort_by_key(|q| (rank(&q.gid), q.gid.parse::<i64>().unwrap_or(0), q.order));

    let mut lss = Lss { b: Builder::default(), base, main_lang };
    for q in top {
        let mut subs: Vec<&Q> = questions.iter().filter(|s| s.parent == q.qid).collect();
        subs.sort_by_key(|s| s.order);
        let subs: Vec<(String, Localized)> =
            subs.iter().map(|s| (s.code.clone(), lss.text(q_texts.get(&s.qid)))).collect();
        let mut opts: Vec<&Answer> =
            answers.iter().filter(|a| a.qid == q.qid && (a.scale.is_empty() || a.scale == "0")).collect();
        opts.sort_by_key(|a| a.order);
        let opts: Vec<(String, Localized)> =
            opts.iter().map(|a| (a.code.clone(), lss.text(a_texts.get(&a.id)))).collect();
        lss.question(q, lss.text(q_texts.get(&q.qid)), subs, opts);
    }

    let settings = table("surveys_languagesettings");
    let survey_text =
        |f: &str| -> Texts { settings.iter().map(|r| (field(r, "surveyls_language"), field(r, f))).collect() };
    let title = lss.text(Some(&survey_text("surveyls_title")));
    let mut intro = lss.text(Some(&survey_text("surveyls_description")));
    if intro.en.is_empty() {
        intro = lss.text(Some(&survey_text("surveyls_welcometext")));
    }
    Ok(lss.b.finish(title, intro))
}

/// The rows of a top-level table such as `<questions><rows><row>...`.
fn rows(doc: &roxmltree::Document<'_>, table: &str) -> Vec<Row> {
    let tables = doc.root_element().children().filter(|n| n.has_tag_name(table));
    let row_nodes =
        tables.flat_map(|t| t.children().filter(|n| n.has_tag_name("rows"))).flat_map(|rows| rows.children());
    row_nodes
        .filter(|n| n.has_tag_name("row"))
        .map(|row| {
            let fields = row.children().filter(|f| f.is_element());
            fields
                .map(|f| {
                    (
                        f.tag_name().name().to_string(),
                        f.descendants().filter(|d| d.is_text()).filter_map(|d| d.text()).collect(),
                    )
                })
                .collect()
        })
        .collect()
}

struct Lss {
    b: Builder,
    /// The survey's main language code.
    base: String,
    main_lang: Option<Lang>,
}

impl Lss {
    fn text(&self, texts: Option<&Texts>) -> Localized {
        let texts = texts.map(Vec::as_slice).unwrap_or_default();
        let main = texts.iter().find(|(l, _)| *l == self.base).map_or("", |(_, t)| t.as_str());
        localize(&plain(main), self.main_lang, texts.iter().map(|(l, t)| (l.as_str(), plain(t))))
    }

    /// A question with its subquestions and answer options, each as (code, label).
    fn question(&mut self, q: &Q, text: Localized, subs: Vec<(String, Localized)>, opts: Vec<(String, Localized)>) {
        let name = if q.code.is_empty() { format!("qid {}", q.qid) } else { q.code.clone() };
        let mut notes: Vec<&str> = Vec::new();
        let labelled =
            |list: Vec<(String, Localized)>| list.into_iter().map(|(code, l)| (code.clone(), code, l)).collect();
        let (kind_to, items, scale_max) = match q.kind.as_str() {
            "L" | "!" | "O" => (QuestionType::SingleChoice, labelled(opts), None),
            "M" | "P" => (QuestionType::MultipleChoice, labelled(subs), None),
            "Y" => (QuestionType::SingleChoice, Vec::new(), None),
            "S" | "T" | "U" => (QuestionType::Text, Vec::new(), None),
            "5" => (QuestionType::Rating, Vec::new(), Some(5)),
            "X" => return self.b.skip(&name, &q.kind, "display text, not a question"),
            other => return self.b.skip(&name, other, format!("{} questions are not supported", type_name(other))),
        };
        match q.kind.as_str() {
            "O" => notes.push("its comment box is not imported"),
            "P" => notes.push("the comment boxes of its choices are not imported"),
            _ => {}
        }
        if q.other && matches!(q.kind.as_str(), "L" | "!" | "M" | "P") {
            notes.push("its \"Other\" choice with a text box is not imported");
        }
        let key = self.b.keys.unique(&q.code, &format!("q{}", q.qid));
        let mut question = question(key, kind_to, text, q.mandatory);
        question.scale_max = scale_max;
        let mut values = Vec::new();
        if q.kind == "Y" {
            (question.choices, values) = yes_no(Localized::default(), Localized::default(), &["Y"], &["N"]);
        } else if !items.is_empty() {
            (question.choices, values) = choices(items);
        }
        let mut dropped = None;
        match parse_relevance(&q.relevance) {
            Ok(None) => {}
            found => match found.ok().flatten().and_then(|(target, op, v)| self.b.condition(&target, op, &v)) {
                Some(c) => question.show_if = Some(c),
                None => dropped = Some(format!(
                    "relevance \"{}\" is not a simple condition on an earlier question; imported without it, so the question is always shown",
                    q.relevance.trim()
                )),
            },
        }
        self.b.push(question, &q.code, values);
        for n in notes {
            self.b.skip(&name, &q.kind, n);
        }
        if let Some(n) = dropped {
            self.b.skip(&name, &q.kind, n);
        }
    }
}

fn type_name(kind: &str) -> String {
    let name = match kind {
        "N" => "numerical input",
        "K" => "multiple numerical input",
        "Q" => "multiple short text",
        "A" | "B" | "C" | "E" | "F" | "H" | "1" | ":" | ";" => "array",
        "R" => "ranking",
        "D" => "date/time",
        "G" => "gender",
        "I" => "language switch",
        "|" => "file upload",
        "*" => "equation",
        other => return format!("type \"{other}\""),
    };
    name.to_string()
}

/// A relevance equation: `Ok(None)` when always shown, `Ok(Some(..))` for one
/// comparison or `!is_empty(Q)`, `Err` for anything else.
#[allow(clippy::type_complexity)]
fn parse_relevance(expr: &str) -> Result<Option<(String, ConditionOp, Operand)>, ()> {
    let mut s = expr.trim();
    if s.is_empty() || s == "1" {
        return Ok(None);
    }
    while let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')).filter(|i| balanced(i)) {
        s = inner.trim();
    }
    let variable = |v: &str| -> Result<String, ()> {
        let v = v.trim();
        let v = [".NAOK", ".value", ".code"].iter().find_map(|sfx| v.strip_suffix(sfx)).unwrap_or(v);
        let ok = !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ok {
            Ok(v.to_string())
        } else {
            Err(())
        }
    };
    if let Some(arg) = s.strip_prefix("!is_empty(").and_then(|r| r.strip_suffix(')')) {
        return Ok(Some((variable(arg)?, ConditionOp::Answered, Operand::None)));
    }
    let (left, op, right) = comparison(s).ok_or(())?;
    Ok(Some((variable(left)?, op, literal(right).ok_or(())?)))
}

/// Whether parentheses balance without closing below zero.
fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::super::expect::*;
    use super::super::{import as import_as, Format, ImportError, Imported};
    use crate::survey::{ConditionOp, QuestionType};
    use serde_json::json;

    const FIXTURE: &str = include_str!("../../tests/fixtures/survey.lss");

    fn import(source: &str) -> Imported {
        import_as(Format::Lss, source).unwrap()
    }

    #[test]
    fn fixture_questions() {
        let got = import(FIXTURE);
        assert_eq!(got.title, l("Acme Market: delivery experience", "Acme Market: experiencia de entrega"));
        assert_eq!(
            got.intro,
            l("Two minutes to help us deliver better.", "Dos minutos para ayudarnos a entregar mejor.")
        );
        questions(
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
                with_choices(
                    q("improve", QuestionType::MultipleChoice, "What could we improve?", "¿Qué podríamos mejorar?"),
                    &[
                        ("sq001", "Delivery speed", "Rapidez de la entrega"),
                        ("sq002", "Packaging", "Embalaje"),
                        ("sq003", "Order tracking", "Seguimiento del pedido"),
                    ],
                ),
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
                q(
                    "comments",
                    QuestionType::Text,
                    "Anything else you would like to tell us?",
                    "¿Algo más que quiera contarnos?",
                ),
            ],
        );
    }

    #[test]
    fn fixture_report() {
        report(
            &import(FIXTURE).report,
            &[
                skipped("INTRO", "X", "display text, not a question"),
                skipped("IMPROVE", "M", "its \"Other\" choice with a text box is not imported"),
                skipped("ORDERS", "N", "numerical input questions are not supported"),
                skipped("ASPECTS", "F", "array questions are not supported"),
                skipped(
                    "COMMENTS",
                    "U",
                    "relevance \"SATISFACTION.NAOK >= 4 and CHANNEL.NAOK == \"A1\"\" is not a simple condition on an earlier question; imported without it, so the question is always shown",
                ),
            ],
        );
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
            row(&[
                ("surveyls_language", "es"),
                ("surveyls_title", "Encuesta"),
                ("surveyls_welcometext", "<p>Hola</p>")
            ]),
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
        use super::parse_relevance as p;
        use super::Operand;
        let ok = |q: &str, op, v: Operand| Ok(Some((q.to_string(), op, v)));
        assert_eq!(p(" 1 "), Ok(None));
        assert_eq!(p(""), Ok(None));
        assert_eq!(p("((Q1.NAOK == \"A1\"))"), ok("Q1", ConditionOp::Eq, Operand::Text("A1".into())));
        assert_eq!(p("NPS > 8"), ok("NPS", ConditionOp::Gt, Operand::Num(8.0)));
        assert_eq!(p("!is_empty(Q3.NAOK)"), ok("Q3", ConditionOp::Answered, Operand::None));
        assert_eq!(p("(Q1 == 1) or (Q2 == 2)"), Err(()));
        assert_eq!(p("is_empty(Q3)"), Err(()));
        assert_eq!(p("sum(Q1, Q2) > 3"), Err(()));
    }

    #[test]
    fn xml_that_is_not_a_limesurvey_survey_is_an_error() {
        let e = import_as(Format::Lss, "<html><body/></html>").unwrap_err();
        assert_eq!(
            e,
            ImportError::NotASurvey { format: Format::Lss, detail: "its root element is not <document>".into() }
        );
        let e = import_as(Format::Lss, "<document><surveys/></document>").unwrap_err();
        assert_eq!(e.to_string(), "this is not a LimeSurvey LSS survey: it has no questions table");
        let e = import_as(Format::Lss, "<document><questions></document>").unwrap_err();
        assert!(e.to_string().starts_with("this is not a valid LimeSurvey LSS file: expected 'questions' tag"), "{e}");
    }
}
