//! LimeSurvey survey structure (LSS, XML). The mapping is described in the
//! parent module.

use super::logic::{self, Cond};
use super::{choices, comparison, join, literal, localize, plain, question, yes_no, Builder, Format, ImportError};
use super::{Imported, Operand};
use crate::lang::Lang;
use crate::survey::{Choice, ConditionOp, Localized, Question, QuestionType};
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

    let mut attrs: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for r in table("question_attributes") {
        attrs.entry(field(&r, "qid")).or_default().push((field(&r, "attribute"), field(&r, "value")));
    }
    let mut lss = Lss { b: Builder::default(), base, main_lang };
    for q in top {
        let mut subs: Vec<&Q> = questions.iter().filter(|s| s.parent == q.qid).collect();
        subs.sort_by_key(|s| s.order);
        let subs: Vec<(String, Localized)> =
            subs.iter().map(|s| (s.code.clone(), lss.text(q_texts.get(&s.qid)))).collect();
        let scale = |first: bool| -> Vec<(String, Localized)> {
            let mut opts: Vec<&Answer> =
                answers.iter().filter(|a| a.qid == q.qid && (a.scale.is_empty() || a.scale == "0") == first).collect();
            opts.sort_by_key(|a| a.order);
            opts.iter().map(|a| (a.code.clone(), lss.text(a_texts.get(&a.id)))).collect()
        };
        let (opts, second) = (scale(true), scale(false));
        let attrs = attrs.get(&q.qid).cloned().unwrap_or_default();
        let texts = q_texts.get(&q.qid);
        lss.question(q, lss.text(texts), lss.html(texts), Parts { subs, opts, second, attrs });
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

/// A question's parts, each as (code, label).
struct Parts {
    subs: Vec<(String, Localized)>,
    opts: Vec<(String, Localized)>,
    /// Answer options of a dual-scale array's second scale.
    second: Vec<(String, Localized)>,
    /// Question attributes (`hidden`, `num_value_int_only`...).
    attrs: Vec<(String, String)>,
}

impl Parts {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(a, _)| a == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }
}

type Labelled = Vec<(String, String, Localized)>;

impl Lss {
    fn text(&self, texts: Option<&Texts>) -> Localized {
        self.localized(texts, plain)
    }

    /// Texts kept as HTML, for text blocks (cleaned when the survey is saved).
    fn html(&self, texts: Option<&Texts>) -> Localized {
        self.localized(texts, |t| t.trim().to_string())
    }

    fn localized(&self, texts: Option<&Texts>, clean: fn(&str) -> String) -> Localized {
        let texts = texts.map(Vec::as_slice).unwrap_or_default();
        let main = texts.iter().find(|(l, _)| *l == self.base).map_or("", |(_, t)| t.as_str());
        localize(&clean(main), self.main_lang, texts.iter().map(|(l, t)| (l.as_str(), clean(t))))
    }

    /// A question with its subquestions, answer options and attributes.
    fn question(&mut self, q: &Q, text: Localized, html: Localized, parts: Parts) {
        let name = if q.code.is_empty() { format!("qid {}", q.qid) } else { q.code.clone() };
        let kind = q.kind.as_str();
        if parts.attr("hidden") == Some("1") || q.relevance.trim() == "0" {
            return self.b.info(&name, kind, "hidden (always hidden in LimeSurvey), so never asked");
        }
        let labelled = |list: &[(String, Localized)]| -> Labelled {
            list.iter().map(|(c, l)| (c.clone(), c.clone(), l.clone())).collect()
        };
        let mut question = question(String::new(), QuestionType::Text, text.clone(), q.mandatory);
        let mut values = Vec::new();
        let mut rows = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        match kind {
            "L" | "!" | "O" => {
                question.kind = QuestionType::SingleChoice;
                (question.choices, values) = choices(labelled(&parts.opts));
            }
            "M" | "P" => {
                question.kind = QuestionType::MultipleChoice;
                (question.choices, values) = choices(labelled(&parts.subs));
            }
            "Y" => {
                question.kind = QuestionType::SingleChoice;
                (question.choices, values) = yes_no(Localized::default(), Localized::default(), &["Y"], &["N"]);
            }
            "G" => {
                question.kind = QuestionType::SingleChoice;
                (question.choices, values) = choices(fixed(&[("F", "Female", "Mujer"), ("M", "Male", "Hombre")]));
            }
            "S" | "T" | "U" => {}
            "5" => {
                question.kind = QuestionType::Rating;
                question.scale_max = Some(5);
            }
            "X" => {
                question.kind = QuestionType::TextBlock;
                question.text = html;
                question.required = false;
            }
            "N" => {
                question.kind = QuestionType::Numeric;
                question.min = parts.attr("min_num_value_n").and_then(|v| v.parse().ok());
                question.max = parts.attr("max_num_value_n").and_then(|v| v.parse().ok());
                // LimeSurvey takes decimals unless told whole numbers only.
                question.decimals = (parts.attr("num_value_int_only") != Some("1")).then_some(6);
            }
            "D" => question.kind = QuestionType::Date,
            "R" => {
                question.kind = QuestionType::Ranking;
                (question.choices, values) = choices(labelled(&parts.opts));
            }
            "Q" => {
                question.kind = QuestionType::MultiText;
                (question.rows, rows) = choices(labelled(&parts.subs));
            }
            "K" => return self.numbers(q, &name, question, &text, &parts),
            "F" | "H" | "A" | "B" | "C" | "E" | "1" => {
                if kind == "1" && !parts.second.is_empty() {
                    let why = "a dual-scale array asks two scales per row; a Rapport matrix has one";
                    return self.b.skip(&name, kind, why);
                }
                let scale: Labelled = match kind {
                    "A" => points(5),
                    "B" => points(10),
                    "C" => fixed(&[("Y", "Yes", "Sí"), ("U", "Uncertain", "No sé"), ("N", "No", "No")]),
                    "E" => {
                        fixed(&[("I", "Increase", "Aumentar"), ("S", "Same", "Igual"), ("D", "Decrease", "Disminuir")])
                    }
                    _ => labelled(&parts.opts),
                };
                if !(2..=10).contains(&scale.len()) {
                    let why = format!("an array with a scale of {} points; a matrix scale has 2 to 10", scale.len());
                    return self.b.skip(&name, kind, why);
                }
                question.kind = QuestionType::Matrix;
                question.scale_min = Some(1);
                question.scale_max = Some(scale.len() as i64);
                // Scale points are answered by number: the source code → its point.
                values =
                    scale.iter().enumerate().map(|(i, (code, _, _))| (code.clone(), (i + 1).to_string())).collect();
                if !matches!(kind, "A" | "B") {
                    let labels = scale.into_iter().enumerate();
                    question.choices =
                        labels.map(|(i, (_, _, label))| Choice { key: format!("p{}", i + 1), label }).collect();
                }
                (question.rows, rows) = choices(labelled(&parts.subs));
            }
            "*" => return self.b.info(&name, kind, "an equation (a calculated value), not a question"),
            "I" => return self.b.info(&name, kind, "a language switch, not a question"),
            other => return self.b.skip(&name, other, format!("{} questions are not supported", type_name(other))),
        }
        question.key = self.b.keys.unique(&q.code, &format!("q{}", q.qid));
        match kind {
            "O" => notes.push("its comment box is not imported".into()),
            "P" => notes.push("the comment boxes of its choices are not imported".into()),
            _ => {}
        }
        if q.other && matches!(kind, "L" | "!" | "M" | "P") {
            question.other = true;
        } else if q.other {
            notes.push("its \"Other\" option is not imported".into());
        }
        let relevance = q.relevance.trim();
        if !relevance.is_empty() && relevance != "1" {
            match logic::parse(relevance, &leaf).and_then(|c| self.b.show_if(&c)) {
                Some(c) => question.show_if = Some(c),
                None => notes.push(format!(
                    "relevance \"{relevance}\" is not a condition Rapport can keep; imported without it, so the question is always shown"
                )),
            }
        }
        self.b.push(question, &q.code, &name, kind, values);
        self.b.set_rows(rows);
        for n in notes {
            self.b.note(n);
        }
    }

    /// Multiple numerical input: a numeric question per field.
    fn numbers(&mut self, q: &Q, name: &str, base: Question, text: &Localized, parts: &Parts) {
        if parts.subs.is_empty() {
            return self.b.skip(name, &q.kind, "a multiple numerical input without fields");
        }
        for (i, (code, label)) in parts.subs.iter().enumerate() {
            let key = self.b.keys.unique(&format!("{}_{code}", q.code), &format!("q{}_{}", q.qid, i + 1));
            let mut n = Question { key, kind: QuestionType::Numeric, text: join(text, label), ..base.clone() };
            n.decimals = (parts.attr("num_value_int_only") != Some("1")).then_some(6);
            let source = format!("{}_{code}", q.code);
            if i == 0 {
                self.b.push(n, &source, name, &q.kind, Vec::new());
            } else {
                self.b.push_part(n, &source, name, &q.kind, Vec::new());
            }
        }
        if !q.relevance.trim().is_empty() && q.relevance.trim() != "1" {
            self.b.note("its relevance is not imported on its fields");
        }
    }
}

/// Scale points 1..n, labelled by their number.
fn points(n: usize) -> Labelled {
    (1..=n).map(|i| (i.to_string(), i.to_string(), Localized { en: i.to_string(), es: i.to_string() })).collect()
}

fn fixed(items: &[(&str, &str, &str)]) -> Labelled {
    let l = |en: &str, es: &str| Localized { en: en.into(), es: es.into() };
    items.iter().map(|(c, en, es)| (c.to_string(), c.to_string(), l(en, es))).collect()
}

fn type_name(kind: &str) -> String {
    let name = match kind {
        ":" => "array of numbers",
        ";" => "array of texts",
        "|" => "file upload",
        other => return format!("type \"{other}\""),
    };
    name.to_string()
}

/// One comparison of a relevance equation: `Q1.NAOK <= 6`, `Q2 == "A1"`,
/// `!is_empty(Q3)`, `Q1_SQ001.NAOK == "A2"` (a row).
fn leaf(s: &str) -> Option<Cond> {
    let variable = |v: &str| -> Option<String> {
        let v = v.trim().trim_start_matches('{').trim_end_matches('}');
        let v = [".NAOK", ".value", ".code"].iter().find_map(|sfx| v.strip_suffix(sfx)).unwrap_or(v);
        (!v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then(|| v.to_string())
    };
    let s = logic::strip_parens(s);
    if let Some(arg) = s.strip_prefix("!is_empty(").and_then(|r| r.strip_suffix(')')) {
        return Some(Cond::Leaf(variable(arg)?, ConditionOp::Answered, Operand::None));
    }
    let (left, op, right) = comparison(s)?;
    Some(Cond::Leaf(variable(left)?, op, literal(right)?))
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
        assert_eq!(import(FIXTURE).counts, super::super::Counts { in_file: 11, kept: 11 });
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
        use super::super::logic::{parse, Cond};
        use super::{leaf, Operand};
        let one = |q: &str, op, v: Operand| Some(Cond::Leaf(q.to_string(), op, v));
        assert_eq!(parse("((Q1.NAOK == \"A1\"))", &leaf), one("Q1", ConditionOp::Eq, Operand::Text("A1".into())));
        assert_eq!(parse("NPS > 8", &leaf), one("NPS", ConditionOp::Gt, Operand::Num(8.0)));
        assert_eq!(parse("!is_empty(Q3.NAOK)", &leaf), one("Q3", ConditionOp::Answered, Operand::None));
        assert!(matches!(parse("(Q1 == 1) or (Q2 == 2)", &leaf), Some(Cond::Or(..))));
        assert_eq!(parse("is_empty(Q3)", &leaf), None);
        assert_eq!(parse("sum(Q1, Q2) > 3", &leaf), None);
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
