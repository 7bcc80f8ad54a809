//! LimeSurvey survey structure (LSS, XML). The mapping is described in the
//! parent module.

use super::logic::{self, Cond};
use super::{choices, comparison, join, literal, localize, plain, question, yes_no, Builder, Format, ImportError};
use super::{Imported, Operand};
use crate::lang::Lang;
use crate::survey::{Choice, ConditionOp, Localized, Question, QuestionType, ShowIf};
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
    /// A subquestion's axis: `0` rows, `1` the columns of an array of numbers or texts.
    scale: String,
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
    // An export of a survey with no questions yet has no questions table,
    // but its survey settings: it imports as an empty draft.
    let has = |table: &str| root.children().any(|n| n.has_tag_name(table));
    if !has("questions") && !has("surveys") && !has("surveys_languagesettings") {
        return Err(ImportError::not_a_survey(Format::Lss, "it has no questions and no survey settings"));
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
            scale: field(r, "scale_id"),
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
        let id = r.get("aid").cloned().unwrap_or_else(|| {
            // Without an id, an option is its question, code and scale (dual scales repeat codes).
            format!("{}:{}:{}", field(&r, "qid"), field(&r, "code"), field(&r, "scale_id"))
        });
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
    // Equations may name a question by its SGQA code, `{survey}X{group}X{qid}`.
    let sid = table("surveys").first().map(|r| field(r, "sid")).unwrap_or_default();
    let sgqa = top.iter().map(|q| (format!("{sid}X{}X{}", q.gid, q.qid), q.code.clone())).collect();
    let mut lss = Lss { b: Builder::default(), base, main_lang, sgqa };
    for q in top {
        let mut subs: Vec<&Q> = questions.iter().filter(|s| s.parent == q.qid).collect();
        subs.sort_by_key(|s| s.order);
        let axis = |cols: bool| -> Vec<(String, Localized)> {
            let on = subs.iter().filter(|s| (s.scale == "1") == cols);
            on.map(|s| (s.code.clone(), lss.text(q_texts.get(&s.qid)))).collect()
        };
        let (subs, cols) = (axis(false), axis(true));
        let scale = |first: bool| -> Vec<(String, Localized)> {
            let mut opts: Vec<&Answer> =
                answers.iter().filter(|a| a.qid == q.qid && (a.scale.is_empty() || a.scale == "0") == first).collect();
            opts.sort_by_key(|a| a.order);
            opts.iter().map(|a| (a.code.clone(), lss.text(a_texts.get(&a.id)))).collect()
        };
        let (opts, second) = (scale(true), scale(false));
        let attrs = attrs.get(&q.qid).cloned().unwrap_or_default();
        let texts = q_texts.get(&q.qid);
        lss.question(q, lss.text(texts), lss.html(texts), Parts { subs, cols, opts, second, attrs });
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
    /// SGQA code (`123X4X56`) → question code.
    sgqa: Vec<(String, String)>,
}

/// A question's parts, each as (code, label).
struct Parts {
    subs: Vec<(String, Localized)>,
    /// Columns of an array of numbers or texts.
    cols: Vec<(String, Localized)>,
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
            ";" | ":" => return self.grid(q, &name, question, &text, &parts),
            "1" if !parts.second.is_empty() => return self.dual(q, &name, question, &text, &parts),
            "F" | "H" | "1" if parts.opts.len() == 1 => {
                // One point to mark, or not, per row: a multiple choice among the rows.
                question.kind = QuestionType::MultipleChoice;
                question.text = join(&question.text, &parts.opts[0].1);
                (question.choices, values) = choices(labelled(&parts.subs));
            }
            "F" | "H" | "A" | "B" | "C" | "E" | "1" => {
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
        if q.other && matches!(kind, "L" | "!" | "M" | "P") {
            question.other = true;
        } else if q.other {
            notes.push("its \"Other\" option is not imported".into());
        }
        match self.relevance(q) {
            Ok(shown) => question.show_if = shown,
            Err(n) => notes.push(n),
        }
        let picks: Vec<(String, Localized)> =
            question.choices.iter().map(|c| (c.key.clone(), c.label.clone())).collect();
        self.b.push(question, &q.code, &name, kind, values);
        self.b.set_rows(rows);
        for n in notes {
            self.b.note(n);
        }
        // Comment boxes become text questions after the list.
        let comment = Localized { en: "Comment".into(), es: "Comentario".into() };
        match kind {
            "O" => self.b.comment(comment, None),
            "P" => picks.into_iter().for_each(|(key, label)| self.b.comment(label, Some(&key))),
            _ => {}
        }
    }

    /// Multiple numerical input: a numeric question per field.
    fn numbers(&mut self, q: &Q, name: &str, mut base: Question, text: &Localized, parts: &Parts) {
        let shown = self.relevance(q);
        base.show_if = shown.clone().ok().flatten();
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
        if let Err(n) = shown {
            self.b.note(n);
        }
    }
}

impl Lss {
    /// The question's relevance as a `show_if`; `Err` with the report's
    /// reason when Rapport cannot keep it.
    fn relevance(&self, q: &Q) -> Result<Option<ShowIf>, String> {
        let relevance = q.relevance.trim();
        if relevance.is_empty() || relevance == "1" {
            return Ok(None);
        }
        let found = logic::parse(relevance, &|s| leaf(s, &self.sgqa)).and_then(|c| self.b.show_if(&c));
        found.map(Some).ok_or_else(|| {
            format!(
                "relevance \"{relevance}\" is not a condition Rapport can keep; imported without it, so the question is always shown"
            )
        })
    }

    /// An array of texts (`;`): a multiple short text per row, its fields the
    /// columns. An array of numbers (`:`): a multiple choice per row when its
    /// cells are checkboxes, a matrix per column when they are dropdowns of a
    /// small scale, else a numeric question per cell.
    fn grid(&mut self, q: &Q, name: &str, mut base: Question, text: &Localized, parts: &Parts) {
        let shown = self.relevance(q);
        base.show_if = shown.clone().ok().flatten();
        if parts.subs.is_empty() || parts.cols.is_empty() {
            return self.b.skip(name, &q.kind, "an array without rows or columns");
        }
        let attr = |a: &str, default: f64| parts.attr(a).and_then(|v| v.parse::<f64>().ok()).unwrap_or(default);
        let labelled = |list: &[(String, Localized)]| -> Labelled {
            list.iter().map(|(c, l)| (c.clone(), c.clone(), l.clone())).collect()
        };
        let (lo, hi, step) =
            (attr("multiflexible_min", 1.0), attr("multiflexible_max", 10.0), attr("multiflexible_step", 1.0));
        let checkbox = parts.attr("multiflexible_checkbox") == Some("1");
        let boxes = parts.attr("input_boxes") == Some("1");
        let small_scale = step == 1.0 && (lo == 0.0 || lo == 1.0) && hi.fract() == 0.0 && (2.0..=10.0).contains(&hi);
        let mut first = true;
        let mut push = |b: &mut Builder, question: Question, source: String, values, rows| {
            if std::mem::take(&mut first) {
                b.push(question, &source, name, &q.kind, values);
            } else {
                b.push_part(question, &source, name, &q.kind, values);
            }
            b.set_rows(rows);
        };
        if q.kind == ":" && !checkbox && !boxes && small_scale {
            for (code, label) in &parts.cols {
                let key = self.b.keys.unique(&format!("{}_{code}", q.code), &format!("q{}", q.qid));
                let mut m = Question { key, kind: QuestionType::Matrix, text: join(text, label), ..base.clone() };
                m.scale_min = Some(lo as i64);
                m.scale_max = Some(hi as i64);
                let (rows_, rows) = choices(labelled(&parts.subs));
                m.rows = rows_;
                let values = (lo as i64..=hi as i64).map(|p| (p.to_string(), p.to_string())).collect();
                // `Q_row_col` names one cell: conditions on it read its row of this matrix.
                push(&mut self.b, m, format!("{}_{code}", q.code), values, rows);
            }
            return;
        }
        for (row, label) in &parts.subs {
            let text = join(text, label);
            let source = format!("{}_{row}", q.code);
            if q.kind == ";" || checkbox {
                let key = self.b.keys.unique(&source, &format!("q{}", q.qid));
                let kind = if checkbox { QuestionType::MultipleChoice } else { QuestionType::MultiText };
                let mut one = Question { key, kind, text, ..base.clone() };
                let (list, map) = choices(labelled(&parts.cols));
                let (values, rows) = if checkbox {
                    one.choices = list;
                    (map, Vec::new())
                } else {
                    one.rows = list;
                    (Vec::new(), map)
                };
                push(&mut self.b, one, source, values, rows);
                continue;
            }
            for (col, col_label) in &parts.cols {
                let key = self.b.keys.unique(&format!("{source}_{col}"), &format!("q{}", q.qid));
                let mut n = Question { key, kind: QuestionType::Numeric, text: join(&text, col_label), ..base.clone() };
                n.decimals = (parts.attr("num_value_int_only") != Some("1")).then_some(6);
                push(&mut self.b, n, format!("{source}_{col}"), Vec::new(), Vec::new());
            }
        }
        if let Err(n) = shown {
            self.b.note(n);
        }
    }

    /// A dual-scale array: a matrix per scale, on the same rows.
    fn dual(&mut self, q: &Q, name: &str, mut base: Question, text: &Localized, parts: &Parts) {
        let shown = self.relevance(q);
        base.show_if = shown.clone().ok().flatten();
        let headers = [parts.attr("dualscale_headerA"), parts.attr("dualscale_headerB")];
        for (i, scale) in [&parts.opts, &parts.second].into_iter().enumerate() {
            if !(1..=10).contains(&scale.len()) {
                let why = format!("a scale of {} points; a matrix scale has 2 to 10", scale.len());
                return self.b.skip(name, &q.kind, why);
            }
            let key = self.b.keys.unique(&format!("{}_{}", q.code, i), &format!("q{}", q.qid));
            let header = headers[i].map_or_else(|| (i + 1).to_string(), plain);
            let rows_src: Labelled = parts.subs.iter().map(|(c, l)| (c.clone(), c.clone(), l.clone())).collect();
            if let [(_, point)] = scale.as_slice() {
                // One point to mark, or not, per row: a multiple choice among the rows.
                let header = Localized { en: header.clone(), es: header };
                let mut one = Question {
                    key,
                    kind: QuestionType::MultipleChoice,
                    text: join(&join(text, &header), point),
                    ..base.clone()
                };
                let values;
                (one.choices, values) = choices(rows_src);
                if i == 0 {
                    self.b.push(one, &q.code, name, &q.kind, values);
                } else {
                    self.b.push_part(one, &q.code, name, &q.kind, values);
                }
                continue;
            }
            let mut m = Question {
                key,
                kind: QuestionType::Matrix,
                text: join(text, &Localized { en: header.clone(), es: header }),
                ..base.clone()
            };
            m.scale_min = Some(1);
            m.scale_max = Some(scale.len() as i64);
            m.choices = scale
                .iter()
                .enumerate()
                .map(|(p, (_, label))| Choice { key: format!("p{}", p + 1), label: label.clone() })
                .collect();
            let values = scale.iter().enumerate().map(|(p, (code, _))| (code.clone(), (p + 1).to_string())).collect();
            let (rows_, rows) = choices(rows_src);
            m.rows = rows_;
            // LimeSurvey names a row of scale 1 `Q_row#0`, of scale 2 `Q_row#1`.
            let rows = rows.into_iter().map(|(code, key)| (format!("{code}#{i}"), key)).collect();
            if i == 0 {
                self.b.push(m, &q.code, name, &q.kind, values);
            } else {
                self.b.push_part(m, &q.code, name, &q.kind, values);
            }
            self.b.set_rows(rows);
        }
        if let Err(n) = shown {
            self.b.note(n);
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
/// `!is_empty(Q3)`, `Q1_SQ001.NAOK == "A2"` (a row or a checked choice),
/// `123X4X56.NAOK == "Y"` (by SGQA code), `Q1 ge 3`.
fn leaf(s: &str, sgqa: &[(String, String)]) -> Option<Cond> {
    let variable = |v: &str| -> Option<String> {
        let v = v.trim().trim_start_matches('{').trim_end_matches('}');
        let v = [".NAOK", ".value", ".code"].iter().find_map(|sfx| v.strip_suffix(sfx)).unwrap_or(v);
        if v.is_empty() || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        // The longest SGQA prefix: `123X4X56A` is subquestion `A` of qid 56.
        let named = sgqa.iter().filter(|(g, _)| v.starts_with(g.as_str())).max_by_key(|(g, _)| g.len());
        Some(match named {
            Some((g, code)) if v.len() == g.len() => code.clone(),
            Some((g, code)) => format!("{code}_{}", &v[g.len()..]),
            None => v.to_string(),
        })
    };
    let s = logic::strip_parens(s);
    let negated = s.strip_prefix('!').map(str::trim_start);
    if let Some(arg) = negated.and_then(|r| r.strip_prefix("is_empty(")).and_then(|r| r.strip_suffix(')')) {
        return Some(Cond::Leaf(variable(arg)?, ConditionOp::Answered, Operand::None));
    }
    // LimeSurvey also writes operators as words.
    let spaced = format!(" {s} ");
    let words =
        [(" eq ", " == "), (" ne ", " != "), (" lt ", " < "), (" le ", " <= "), (" gt ", " > "), (" ge ", " >= ")];
    let s = words.iter().fold(spaced, |acc, (w, op)| acc.replace(w, op));
    let (left, op, right) = comparison(s.trim())?;
    Some(Cond::Leaf(variable(left)?, op, literal(right)?))
}

#[cfg(test)]
#[path = "tests/lss.rs"]
mod tests;
