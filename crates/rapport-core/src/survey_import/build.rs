//! Collecting an import's questions and report, and fitting the result to
//! what a Rapport survey accepts: whatever a file holds, the draft an import
//! returns validates, and every question it had to give up is in the report.

use super::logic::Cond;
use super::{Counts, Imported, Operand, Skipped};
use crate::survey::{
    Choice, ConditionOp, Localized, Question, QuestionType, ShowIf, SurveyDraft, MAX_QUESTIONS, MAX_QUESTION_TEXT,
    MAX_TEXT_BLOCK,
};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

const MAX_KEY: usize = 40;

/// Hands out unique keys made of a-z, 0-9 and '_'.
#[derive(Default)]
pub(super) struct Keys {
    pub(super) taken: HashSet<String>,
    /// Per base, the suffix to try next: every smaller one is taken, so a file
    /// of thousands of same-named questions costs no more than distinct ones.
    next: HashMap<String, usize>,
}

impl Keys {
    /// A key from `raw`, else from `fallback`, made unique with `_2`, `_3`...
    pub(super) fn unique(&mut self, raw: &str, fallback: &str) -> String {
        let mut base = slug(raw);
        if base.is_empty() {
            base = slug(fallback);
        }
        if base.is_empty() {
            base = "q".into();
        }
        let mut key = base.clone();
        if self.taken.contains(&key) {
            let n = self.next.entry(base.clone()).or_insert(2);
            loop {
                let suffix = format!("_{n}");
                key = format!("{}{suffix}", cut(&base, MAX_KEY - suffix.len()));
                *n += 1;
                if !self.taken.contains(&key) {
                    break;
                }
            }
        }
        self.taken.insert(key.clone());
        key
    }
}

/// Lower-case a-z0-9 with single '_' between words, at most 40 characters.
pub(super) fn slug(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars().map(fold) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    cut(&out, MAX_KEY).to_string()
}

/// At most `max` bytes of an ASCII key, without a trailing '_'.
fn cut(key: &str, max: usize) -> &str {
    key[..key.len().min(max)].trim_end_matches('_')
}

/// Spanish and other Latin accents to their plain letter.
fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        c => c,
    }
}

/// A question being built, with what conditions on it need from the source.
pub(super) struct Built {
    pub(super) question: Question,
    /// Its id or name in the source file, as conditions refer to it.
    pub(super) source: String,
    /// Its name in the report.
    name: String,
    kind: String,
    /// Source choice (or scale point) value → choice key (or point number).
    pub(super) values: Vec<(String, String)>,
    /// Source row code → row key, for conditions on one row.
    pub(super) rows: Vec<(String, String)>,
    /// The source element it comes from: one element may give several questions.
    element: usize,
    /// Imported as it was: no part of it was left out.
    exact: bool,
}

/// Collects an import's questions and report.
#[derive(Default)]
pub(super) struct Builder {
    pub(super) built: Vec<Built>,
    pub(super) keys: Keys,
    report: Vec<Skipped>,
    /// Question elements of the file that were not imported at all.
    lost: usize,
    elements: usize,
}

impl Builder {
    /// A question of the file that could not be imported.
    pub(super) fn skip(&mut self, element: &str, kind: &str, reason: impl Into<String>) {
        self.lost += 1;
        self.info(element, kind, reason);
    }

    /// A report entry that loses no question: the trash, a calculated value,
    /// something about the survey as a whole.
    pub(super) fn info(&mut self, element: &str, kind: &str, reason: impl Into<String>) {
        self.report.push(Skipped { element: element.into(), kind: kind.into(), reason: reason.into() });
    }

    /// Part of the last question pushed was left out (a condition, a comment box).
    pub(super) fn note(&mut self, reason: impl Into<String>) {
        let Some(last) = self.built.last_mut() else { return };
        last.exact = false;
        let (name, kind) = (last.name.clone(), last.kind.clone());
        self.info(&name, &kind, reason);
    }

    /// A question from one source element (`name` in the report, `source` in conditions).
    pub(super) fn push(
        &mut self,
        question: Question,
        source: &str,
        name: &str,
        kind: &str,
        values: Vec<(String, String)>,
    ) {
        self.elements += 1;
        self.push_part(question, source, name, kind, values);
    }

    /// Another question from the same source element as the last one.
    pub(super) fn push_part(
        &mut self,
        question: Question,
        source: &str,
        name: &str,
        kind: &str,
        values: Vec<(String, String)>,
    ) {
        let (name, kind, source) = (name.to_string(), kind.to_string(), source.to_string());
        let element = self.elements;
        self.built.push(Built { question, source, name, kind, values, rows: Vec::new(), element, exact: true });
    }

    /// A text box that goes with the last question pushed (a comment box, a
    /// choice's "please specify") as a text question right after it; with
    /// `choice`, asked only when that choice is picked.
    pub(super) fn comment(&mut self, label: Localized, choice: Option<&str>) {
        // The question it goes with: the last one pushed that is not itself a comment.
        let Some(last) = self.built.iter().rev().find(|b| !b.source.ends_with("#comment")) else { return };
        let q = &last.question;
        let key = self.keys.unique(&format!("{}_{}", q.key, choice.unwrap_or("comment")), "comment");
        let mut c = Question::new(&key, QuestionType::Text, super::join(&q.text, &label));
        c.show_if = match choice {
            Some(k) => {
                let op = if q.kind == QuestionType::MultipleChoice { ConditionOp::Includes } else { ConditionOp::Eq };
                Some(ShowIf::new(&q.key, op, Value::from(k)))
            }
            None => q.show_if.clone(),
        };
        let (name, kind, source) = (last.name.clone(), last.kind.clone(), format!("{}#comment", last.source));
        self.push_part(c, &source, &name, &kind, Vec::new());
    }

    /// Source row codes of the last question pushed, paired with its row keys.
    pub(super) fn set_rows(&mut self, rows: Vec<(String, String)>) {
        if let Some(last) = self.built.last_mut() {
            last.rows = rows;
        }
    }

    /// A `show_if` from a parsed condition, when Rapport can express it: one
    /// comparison, "any of" on one question, or two joined by and/or.
    pub(super) fn show_if(&self, cond: &Cond) -> Option<ShowIf> {
        match cond {
            Cond::Leaf(target, op, operand) => self.condition(target, *op, operand),
            Cond::And(a, b) | Cond::Or(a, b) => {
                if let Some(any) = self.any_of(cond) {
                    return Some(any);
                }
                let (a, b) = (self.simple(a)?, self.simple(b)?);
                let joined = Some(Box::new(b));
                Some(if matches!(cond, Cond::And(..)) {
                    ShowIf { and: joined, ..a }
                } else {
                    ShowIf { or: joined, ..a }
                })
            }
        }
    }

    /// One comparison, or "any of" on one question.
    fn simple(&self, cond: &Cond) -> Option<ShowIf> {
        match cond {
            Cond::Leaf(target, op, operand) => self.condition(target, *op, operand),
            Cond::Or(..) => self.any_of(cond),
            Cond::And(..) => None,
        }
    }

    /// `q = a or q = b or ...` on one choice question as `q any_of [a, b]`.
    fn any_of(&self, cond: &Cond) -> Option<ShowIf> {
        let mut leaves = Vec::new();
        if !cond.or_leaves(&mut leaves) || leaves.len() < 2 {
            return None;
        }
        let mut values = Vec::new();
        let mut question = None;
        for (target, op, operand) in leaves {
            if !matches!(op, ConditionOp::Eq | ConditionOp::Includes | ConditionOp::AnyOf) {
                return None;
            }
            let c = self.condition(target, *op, operand)?;
            if question.as_ref().is_some_and(|q| *q != c.question) {
                return None;
            }
            question = Some(c.question);
            match c.value {
                Value::Array(a) => values.extend(a),
                v => values.push(v),
            }
        }
        Some(ShowIf::new(&question?, ConditionOp::AnyOf, Value::Array(values)))
    }

    /// The question (and row) a source name refers to.
    fn target(&self, target: &str) -> Option<(&Built, Option<&str>)> {
        if let Some(b) = self.built.iter().find(|b| b.source == target) {
            return Some((b, None));
        }
        // A row of a matrix: `Q1_SQ001` (LimeSurvey), `matrix.row` (SurveyJS).
        self.built.iter().find_map(|b| {
            let rest = target.strip_prefix(b.source.as_str())?.strip_prefix(['_', '.'])?;
            let row = b.rows.iter().find(|(code, _)| code == rest)?;
            Some((b, Some(row.1.as_str())))
        })
    }

    /// A `show_if` on an earlier question named `target` in the source, when
    /// Rapport can express it for that question's type.
    pub(super) fn condition(&self, target: &str, op: ConditionOp, operand: &Operand) -> Option<ShowIf> {
        use ConditionOp::*;
        // `!= ""` is how LimeSurvey asks "answered".
        if op == Ne && matches!(operand, Operand::Text(t) if t.is_empty()) {
            return self.condition(target, Answered, &Operand::None);
        }
        // `Q_SQ == "Y"`: choice SQ of multiple-choice Q is checked.
        let checked = self.built.iter().find_map(|b| {
            let rest = target.strip_prefix(b.source.as_str())?.strip_prefix('_')?;
            let key = b.values.iter().find(|(s, _)| s == rest)?.1.clone();
            (b.question.kind == QuestionType::MultipleChoice).then(|| (b.question.key.clone(), key))
        });
        if let Some((question, choice)) = checked {
            let yes = matches!(operand, Operand::Text(t) if t == "Y");
            return match op {
                Eq if yes => Some(ShowIf::new(&question, Includes, Value::from(choice))),
                Answered => Some(ShowIf::new(&question, Includes, Value::from(choice))),
                _ => None,
            };
        }
        let (b, row) = self.target(target)?;
        let q = &b.question;
        let choice = |v: &Operand| {
            let v = v.text()?;
            b.values.iter().find(|(s, _)| *s == v).map(|(_, k)| Value::from(k.as_str()))
        };
        let number = |v: &Operand| -> Option<Value> {
            let n = match v {
                Operand::Num(n) => *n,
                Operand::Text(s) => s.trim().parse().ok()?,
                _ => return None,
            };
            Some(if n.fract() == 0.0 { Value::from(n as i64) } else { Value::from(n) })
        };
        let choices = |v: &Operand| -> Option<Value> {
            match v {
                Operand::List(items) => items.iter().map(choice).collect::<Option<Vec<_>>>().map(Value::Array),
                one => choice(one),
            }
        };
        let numeric =
            q.kind.bounds(q.scale_max).is_some() || matches!(q.kind, QuestionType::Numeric | QuestionType::Slider);
        let (question, op, value) = match (q.kind, op, row) {
            (_, Answered, None) => (q.key.clone(), Answered, Value::Null),
            (QuestionType::Matrix, op, Some(row)) => {
                let point = |v: &Operand| {
                    let text = v.text()?;
                    match b.values.iter().find(|(s, _)| *s == text) {
                        Some((_, p)) => p.parse::<i64>().ok().map(Value::from),
                        None => number(v),
                    }
                };
                let value = match (op, operand) {
                    (Answered, _) => Value::Null,
                    (AnyOf, Operand::List(items)) => Value::Array(items.iter().map(point).collect::<Option<_>>()?),
                    (Includes, _) => return None,
                    (_, v) => point(v)?,
                };
                (format!("{}.{row}", q.key), op, value)
            }
            (QuestionType::MultiText, Answered, Some(row)) => (format!("{}.{row}", q.key), Answered, Value::Null),
            (_, _, Some(_)) => return None,
            (_, Includes, _) if q.kind != QuestionType::MultipleChoice => return None,
            (_, op, None) if numeric => match (op, operand) {
                (AnyOf, Operand::List(items)) => {
                    (q.key.clone(), AnyOf, Value::Array(items.iter().map(number).collect::<Option<_>>()?))
                }
                (AnyOf, _) => return None,
                (op, v) => (q.key.clone(), op, number(v)?),
            },
            (QuestionType::SingleChoice, Eq | Ne, None) => (q.key.clone(), op, choice(operand)?),
            (QuestionType::SingleChoice | QuestionType::MultipleChoice, AnyOf, None) => {
                (q.key.clone(), AnyOf, choices(operand)?)
            }
            (QuestionType::MultipleChoice, Eq | Includes, None) => (q.key.clone(), Includes, choice(operand)?),
            (QuestionType::Text, Eq | Ne, None) => (q.key.clone(), op, Value::from(operand.text()?)),
            (QuestionType::Consent, Eq | Ne, None) => match operand {
                Operand::Bool(v) => (q.key.clone(), op, Value::Bool(*v)),
                Operand::Text(t) if t == "true" || t == "false" => (q.key.clone(), op, Value::Bool(t == "true")),
                _ => return None,
            },
            _ => return None,
        };
        Some(ShowIf::new(&question, op, value))
    }

    /// The import, fitted to what a survey accepts (see [`fit`]).
    pub(super) fn finish(mut self, mut title: Localized, mut intro: Localized) -> Imported {
        no_nul(&mut title);
        no_nul(&mut intro);
        if title.en.trim().is_empty() {
            title.en = title.es.clone();
        }
        let title = if title.en.trim().is_empty() {
            Localized { en: "Imported survey".into(), es: "Encuesta importada".into() }
        } else {
            Localized { en: clip(&title.en, 200), es: clip(&title.es, 200) }
        };
        if intro.en.chars().count() > 2000 || intro.es.chars().count() > 2000 {
            // A long welcome text reads as the survey's first text block.
            let key = self.keys.unique("intro", "intro");
            let block = Question::new(&key, QuestionType::TextBlock, std::mem::take(&mut intro));
            self.built.insert(
                0,
                Built {
                    question: block,
                    source: String::new(),
                    name: "description".into(),
                    kind: "intro".into(),
                    values: vec![],
                    rows: vec![],
                    element: 0,
                    exact: true,
                },
            );
        }
        self.fit();
        let mut in_file: HashSet<usize> = HashSet::new();
        let mut inexact: HashSet<usize> = HashSet::new();
        for b in &self.built {
            in_file.insert(b.element);
            if !b.exact {
                inexact.insert(b.element);
            }
        }
        let kept = in_file.len() - inexact.len();
        let counts = Counts { in_file: in_file.len() + self.lost, kept };
        let questions = self.built.into_iter().map(|b| b.question).collect();
        Imported { title, intro, questions, report: self.report, counts }
    }

    /// Fixes what the file has that a survey does not accept: empty texts,
    /// choice questions with fewer than two choices, limits. What cannot be
    /// fixed is dropped with the validation's reason.
    fn fit(&mut self) {
        let mut i = 0;
        while i < self.built.len() {
            if let Some(reason) = fit_question(&mut self.built[i]) {
                let b = self.built.remove(i);
                self.lost += 1;
                self.info(&b.name, &b.kind, reason);
                continue;
            }
            i += 1;
        }
        if self.built.len() > MAX_QUESTIONS {
            for b in self.built.split_off(MAX_QUESTIONS) {
                self.lost += 1;
                self.info(&b.name, &b.kind, format!("a survey holds at most {MAX_QUESTIONS} questions"));
            }
        }
        // Whatever else validation finds is dropped with its reason; each
        // round removes a question or a condition, so this ends.
        for _ in 0..=2 * self.built.len() {
            let draft = SurveyDraft {
                touchpoint_id: Some(1),
                title: Some(Localized { en: "t".into(), es: "t".into() }),
                intro: None,
                questions: self
                    .built
                    .iter()
                    .map(|b| {
                        let mut q = b.question.clone();
                        super::fill_question(&mut q);
                        q
                    })
                    .collect(),
                fatigue_days: None,
            };
            let Err(errors) = draft.validate() else { return };
            let Some((field, e)) = errors.0.iter().find(|(f, _)| f.starts_with("questions[")) else { return };
            let Some(i) = field["questions[".len()..].split(']').next().and_then(|n| n.parse::<usize>().ok()) else {
                return;
            };
            let what = field.split_once("].").map_or("", |(_, w)| w);
            if what.starts_with("show_if") {
                let b = &mut self.built[i];
                b.question.show_if = None;
                b.exact = false;
                let (name, kind) = (b.name.clone(), b.kind.clone());
                self.info(&name, &kind, format!("its condition is not kept ({what} {})", e.message));
            } else {
                let b = self.built.remove(i);
                self.lost += 1;
                self.info(&b.name, &b.kind, format!("not a valid Rapport question: {what} {}", e.message));
            }
        }
    }
}

/// At most `max` characters.
pub(super) fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// "q1_price" → "Q1 price", for questions the file gives no text.
fn from_key(key: &str) -> String {
    let text = key.replace('_', " ");
    let mut c = text.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Without NUL characters, which no text may hold (a decoded `&#0;`).
fn no_nul(l: &mut Localized) {
    for t in [&mut l.en, &mut l.es] {
        if t.contains('\0') {
            *t = t.replace('\0', "");
        }
    }
}

/// Fixes one question in place, or says why it cannot be kept.
fn fit_question(b: &mut Built) -> Option<String> {
    let q = &mut b.question;
    no_nul(&mut q.text);
    q.choices.iter_mut().chain(q.rows.iter_mut()).for_each(|c| no_nul(&mut c.label));
    q.low_label.iter_mut().chain(q.high_label.iter_mut()).for_each(no_nul);
    if q.kind.is_display() {
        if q.text.en.trim().is_empty() && q.text.es.trim().is_empty() {
            return Some("an empty text block".into());
        }
        let cut = |s: &mut String| {
            if s.chars().count() > MAX_TEXT_BLOCK {
                *s = clip(s, MAX_TEXT_BLOCK);
            }
        };
        cut(&mut q.text.en);
        cut(&mut q.text.es);
        return None;
    }
    if q.text.en.trim().is_empty() {
        // LimeSurvey allows a question without text; its code still says what it asks.
        q.text.en = if q.text.es.trim().is_empty() { from_key(&q.key) } else { q.text.es.clone() };
    }
    for t in [&mut q.text.en, &mut q.text.es] {
        if t.chars().count() > MAX_QUESTION_TEXT {
            *t = clip(t, MAX_QUESTION_TEXT);
        }
    }
    for c in q.choices.iter_mut().chain(q.rows.iter_mut()) {
        if c.label.en.trim().is_empty() {
            c.label.en = if c.label.es.trim().is_empty() { from_key(&c.key) } else { c.label.es.clone() };
        }
        c.label.en = clip(&c.label.en, 1000);
        c.label.es = clip(&c.label.es, 1000);
    }
    if q.other {
        // "other" is the key of "Other, please specify": a listed choice of that name gets another.
        for c in q.choices.iter_mut().filter(|c| c.key == crate::survey::OTHER) {
            c.key = "other_choice".into();
            for v in b.values.iter_mut().filter(|(_, k)| k == crate::survey::OTHER) {
                v.1 = "other_choice".into();
            }
        }
    }
    if matches!(q.kind, QuestionType::SingleChoice | QuestionType::MultipleChoice)
        && q.choices.len() + usize::from(q.other) < 2
    {
        match q.choices.first() {
            // A lone checkbox is a consent ("I agree to the terms").
            Some(c) if q.kind == QuestionType::MultipleChoice || q.choices.len() == 1 => {
                let label = c.label.clone();
                if !q.text.en.contains(label.en.trim()) {
                    q.text = super::join(&q.text, &label);
                }
                let choice = c.key.clone();
                q.kind = QuestionType::Consent;
                q.choices.clear();
                b.values =
                    b.values.iter().filter(|(_, k)| *k == choice).map(|(s, _)| (s.clone(), "true".into())).collect();
            }
            _ => {
                return Some(
                    "a choice question without choices of its own (they are carried forward or computed)".into(),
                )
            }
        }
    }
    if q.kind == QuestionType::Ranking && q.choices.len() < 2 {
        return Some("a ranking of fewer than two items".into());
    }
    None
}

/// The choices a question keeps, with their source values.
pub(super) fn keyed(items: Vec<(String, String, Localized)>) -> (Vec<Choice>, Vec<(String, String)>) {
    let mut keys = Keys::default();
    let mut values = Vec::new();
    let choices = items
        .into_iter()
        .enumerate()
        .map(|(i, (value, hint, label))| {
            let key = keys.unique(&hint, &format!("choice_{}", i + 1));
            values.push((value, key.clone()));
            Choice { key, label }
        })
        .collect();
    (choices, values)
}
