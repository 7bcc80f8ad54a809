//! E1. Training modules on the intent statement and how to deliver it,
//! assigned by role, department or touchpoint, with short quizzes.
//!
//! A module is a title and a Markdown body in English and Spanish (rendered
//! by [`crate::markdown::to_html`], at most [`DOCUMENT_MAX`] bytes each), an
//! audience (everyone, account roles, departments, touchpoints: the people
//! who deliver a touchpoint are its owner, its department's people and the
//! agents routed to it), a due period in days after assignment and an
//! optional quiz. A quiz is single- and multiple-choice questions with their
//! correct choices and a pass mark in percent; a multiple-choice question is
//! right only when exactly its correct choices are chosen.
//!
//! A person completes a module by passing its quiz (any number of tries) or,
//! without a quiz, by acknowledging it. Each assignment keeps the number of
//! attempts, the **best** score and the **last** score; it is complete from
//! the first passing attempt on, and a later failed attempt does not undo
//! it.
//!
//! The built-in intent module ([`intent_module`]) is generated from the
//! current intent statement and each touchpoint's description and owner
//! (the journey model has no separate "perfect behaviours" field: a
//! touchpoint's description is where its delivery notes are written).

use crate::lang::Lang;
use crate::markdown::DOCUMENT_MAX;
use crate::role::Role;
use crate::validate::{no_nul, required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 200;
pub const QUESTION_MAX: usize = 1_000;
pub const CHOICE_MAX: usize = 500;
pub const QUESTIONS_MAX: usize = 50;
pub const CHOICES_MAX: usize = 10;
pub const AUDIENCE_MAX: usize = 100;
pub const DEPARTMENT_MAX: usize = 200;
pub const DUE_DAYS_MAX: i64 = 365;
/// Days a new intent module is due in.
pub const INTENT_DUE_DAYS: i64 = 14;
/// An overdue assignment is reminded at most once in this many days.
pub const REMIND_EVERY_DAYS: i64 = 3;

/// Who a module is assigned to: the union of its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingAudience))]
pub struct Audience {
    /// Every active person (the intent module).
    #[serde(default)]
    pub everyone: bool,
    /// The people linked to accounts with these roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// The people of these departments (as written on people, ignoring case).
    #[serde(default)]
    pub departments: Vec<String>,
    /// The people who deliver these touchpoints.
    #[serde(default)]
    pub touchpoints: Vec<Id>,
}

impl Audience {
    pub fn is_empty(&self) -> bool {
        !self.everyone && self.roles.is_empty() && self.departments.is_empty() && self.touchpoints.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingChoice))]
pub struct Choice {
    pub text_en: String,
    pub text_es: String,
    pub correct: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingQuestion))]
pub struct Question {
    pub text_en: String,
    pub text_es: String,
    /// Several choices may be right (and all of them must be chosen).
    pub multiple: bool,
    pub choices: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingQuiz))]
pub struct Quiz {
    pub questions: Vec<Question>,
    /// The least score, in percent, that passes.
    pub pass_mark: i64,
}

/// What a module is: one the organization wrote, or the one generated from
/// the intent statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingModuleKind))]
#[serde(rename_all = "snake_case")]
pub enum ModuleKind {
    Custom,
    Intent,
}

impl ModuleKind {
    pub fn key(self) -> &'static str {
        match self {
            ModuleKind::Custom => "custom",
            ModuleKind::Intent => "intent",
        }
    }

    pub fn parse(s: &str) -> Option<ModuleKind> {
        [ModuleKind::Custom, ModuleKind::Intent].into_iter().find(|k| k.key() == s)
    }
}

/// A validated module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleInput {
    pub title_en: String,
    pub title_es: String,
    pub body_en: String,
    pub body_es: String,
    pub audience: Audience,
    pub due_days: i64,
    pub quiz: Option<Quiz>,
}

/// A module as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingModule))]
pub struct Module {
    pub id: Id,
    pub kind: ModuleKind,
    pub title_en: String,
    pub title_es: String,
    pub body_en: String,
    pub body_es: String,
    pub audience: Audience,
    pub due_days: i64,
    pub quiz: Option<Quiz>,
    /// Raised when the intent module is regenerated: assignments of an
    /// earlier revision no longer count.
    pub revision: i64,
    /// The intent version the intent module was generated from.
    pub intent_version: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Module {
    /// The title in `lang`, falling back to the other language.
    pub fn title(&self, lang: Lang) -> &str {
        pick(lang, &self.title_en, &self.title_es)
    }

    /// The body in `lang` (the other language when empty).
    pub fn body(&self, lang: Lang) -> &str {
        pick(lang, &self.body_en, &self.body_es)
    }
}

/// The text in `lang`, or in the other language when it is empty.
pub fn pick<'a>(lang: Lang, en: &'a str, es: &'a str) -> &'a str {
    match lang {
        Lang::Es if !es.trim().is_empty() => es,
        Lang::En if en.trim().is_empty() => es,
        Lang::Es => en,
        Lang::En => en,
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingChoiceDraft))]
pub struct ChoiceDraft {
    pub text_en: Option<String>,
    pub text_es: Option<String>,
    #[serde(default)]
    pub correct: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingQuestionDraft))]
pub struct QuestionDraft {
    pub text_en: Option<String>,
    pub text_es: Option<String>,
    #[serde(default)]
    pub multiple: bool,
    #[serde(default)]
    pub choices: Vec<ChoiceDraft>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingQuizDraft))]
pub struct QuizDraft {
    #[serde(default)]
    pub questions: Vec<QuestionDraft>,
    pub pass_mark: Option<i64>,
}

/// A module as written in a form or a request.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingModuleDraft))]
pub struct ModuleDraft {
    pub title_en: Option<String>,
    pub title_es: Option<String>,
    /// Markdown.
    pub body_en: Option<String>,
    /// Markdown.
    pub body_es: Option<String>,
    #[serde(default)]
    pub audience: Audience,
    /// Days after assignment; 14 when left out.
    pub due_days: Option<i64>,
    pub quiz: Option<QuizDraft>,
}

/// Both languages of a text: at least one is required, each bounded.
fn two_texts(e: &mut FieldErrors, field: &str, en: Option<&str>, es: Option<&str>, max: usize) -> (String, String) {
    let mut one = |lang: &str, v: Option<&str>| -> String {
        let name = format!("{field}_{lang}");
        let v = v.map(str::trim).unwrap_or("");
        if !no_nul(e, &name, v) {
            return String::new();
        }
        if v.len() > max {
            e.add(name, "too_long", format!("must be at most {max} bytes"));
            return String::new();
        }
        v.to_string()
    };
    let (a, b) = (one("en", en), one("es", es));
    if a.is_empty() && b.is_empty() && !e.0.keys().any(|k| k.starts_with(field)) {
        e.add(format!("{field}_en"), "required", "write it in English or Spanish (or both)");
    }
    (a, b)
}

impl QuizDraft {
    pub fn validate(&self, e: &mut FieldErrors) -> Option<Quiz> {
        if self.questions.is_empty() {
            e.add("quiz.questions", "required", "a quiz has at least one question");
            return None;
        }
        if self.questions.len() > QUESTIONS_MAX {
            e.add("quiz.questions", "too_many", format!("at most {QUESTIONS_MAX} questions"));
            return None;
        }
        let pass_mark = match self.pass_mark {
            None => 80,
            Some(m) if (1..=100).contains(&m) => m,
            Some(_) => {
                e.add("quiz.pass_mark", "out_of_range", "must be a percentage from 1 to 100");
                80
            }
        };
        let mut questions = Vec::with_capacity(self.questions.len());
        for (i, q) in self.questions.iter().enumerate() {
            let f = format!("quiz.questions[{i}]");
            let (text_en, text_es) =
                two_texts(e, &format!("{f}.text"), q.text_en.as_deref(), q.text_es.as_deref(), QUESTION_MAX);
            if q.choices.len() < 2 {
                e.add(format!("{f}.choices"), "too_few_choices", "a question has at least two choices");
            } else if q.choices.len() > CHOICES_MAX {
                e.add(format!("{f}.choices"), "too_many", format!("at most {CHOICES_MAX} choices"));
            }
            let mut choices = Vec::new();
            for (j, c) in q.choices.iter().take(CHOICES_MAX).enumerate() {
                let (text_en, text_es) = two_texts(
                    e,
                    &format!("{f}.choices[{j}].text"),
                    c.text_en.as_deref(),
                    c.text_es.as_deref(),
                    CHOICE_MAX,
                );
                choices.push(Choice { text_en, text_es, correct: c.correct });
            }
            let right = choices.iter().filter(|c| c.correct).count();
            if q.choices.len() >= 2 && right == 0 {
                e.add(format!("{f}.choices"), "no_correct_choice", "mark the correct choice");
            } else if !q.multiple && right > 1 {
                e.add(format!("{f}.choices"), "several_correct", "a single-choice question has one correct choice");
            }
            questions.push(Question { text_en, text_es, multiple: q.multiple, choices });
        }
        Some(Quiz { questions, pass_mark })
    }
}

impl ModuleDraft {
    pub fn validate(&self) -> Result<ModuleInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let (title_en, title_es) =
            two_texts(&mut e, "title", self.title_en.as_deref(), self.title_es.as_deref(), TITLE_MAX);
        let (body_en, body_es) =
            two_texts(&mut e, "body", self.body_en.as_deref(), self.body_es.as_deref(), DOCUMENT_MAX);
        let due_days = match self.due_days {
            None => 14,
            Some(d) if (1..=DUE_DAYS_MAX).contains(&d) => d,
            Some(_) => {
                e.add("due_days", "out_of_range", format!("must be from 1 to {DUE_DAYS_MAX} days"));
                14
            }
        };
        let a = &self.audience;
        let mut audience = Audience {
            everyone: a.everyone,
            roles: a.roles.clone(),
            departments: Vec::new(),
            touchpoints: a.touchpoints.clone(),
        };
        if a.roles.len() + a.departments.len() + a.touchpoints.len() > AUDIENCE_MAX {
            e.add("audience", "too_many", format!("at most {AUDIENCE_MAX} roles, departments and touchpoints"));
        }
        for (i, d) in a.departments.iter().take(AUDIENCE_MAX).enumerate() {
            let d = required_text(&mut e, &format!("audience.departments[{i}]"), Some(d), DEPARTMENT_MAX);
            if !d.is_empty() && !audience.departments.iter().any(|x: &String| x.eq_ignore_ascii_case(&d)) {
                audience.departments.push(d);
            }
        }
        audience.roles.sort_by_key(|r| r.as_str());
        audience.roles.dedup();
        audience.touchpoints.sort_unstable();
        audience.touchpoints.dedup();
        if audience.is_empty() {
            e.add("audience", "required", "choose who takes it: everyone, roles, departments or touchpoints");
        }
        let quiz = self.quiz.as_ref().and_then(|q| q.validate(&mut e));
        e.into_result(ModuleInput { title_en, title_es, body_en, body_es, audience, due_days, quiz })
    }
}

/// The quiz as a plain text area, for forms that work without JavaScript:
/// a question per `?` line (`??` when several choices are right), its
/// choices below it, `*` marking a correct one and `-` a wrong one; English
/// and Spanish separated by ` | `. Blank lines and lines starting with `#`
/// are skipped. A line that is none of these is an error naming `field`
/// with its line number.
///
/// ```text
/// ? What do you do first? | ¿Qué hace primero?
/// * Apologise | Disculparse
/// - Explain the rules | Explicar las normas
/// ```
pub fn parse_quiz_text(text: &str, pass_mark: Option<i64>, field: &str) -> Result<Option<QuizDraft>, FieldErrors> {
    let split = |rest: &str| -> (Option<String>, Option<String>) {
        let mut parts = rest.splitn(2, '|');
        let en = parts.next().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let es = parts.next().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        (en, es)
    };
    let mut questions: Vec<QuestionDraft> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if questions.len() > QUESTIONS_MAX {
            return Err(FieldErrors::single(field, "too_many", format!("at most {QUESTIONS_MAX} questions")));
        }
        if let Some(rest) = line.strip_prefix("??") {
            let (text_en, text_es) = split(rest);
            questions.push(QuestionDraft { text_en, text_es, multiple: true, choices: Vec::new() });
        } else if let Some(rest) = line.strip_prefix('?') {
            let (text_en, text_es) = split(rest);
            questions.push(QuestionDraft { text_en, text_es, multiple: false, choices: Vec::new() });
        } else if let (Some(mark @ ('*' | '-')), Some(q)) = (line.chars().next(), questions.last_mut()) {
            let (text_en, text_es) = split(&line[1..]);
            q.choices.push(ChoiceDraft { text_en, text_es, correct: mark == '*' });
        } else {
            return Err(FieldErrors::single(
                field,
                "invalid",
                format!("line {}: start a question with ? (or ??) and each choice with * (correct) or -", n + 1),
            ));
        }
    }
    Ok((!questions.is_empty()).then_some(QuizDraft { questions, pass_mark }))
}

/// The quiz written back as [`parse_quiz_text`] reads it (the edit form).
pub fn quiz_text(quiz: &Quiz) -> String {
    let mut out = String::new();
    let both = |en: &str, es: &str| if es.is_empty() { en.to_string() } else { format!("{en} | {es}") };
    for q in &quiz.questions {
        out.push_str(if q.multiple { "?? " } else { "? " });
        out.push_str(&both(&q.text_en, &q.text_es));
        out.push('\n');
        for c in &q.choices {
            out.push_str(if c.correct { "* " } else { "- " });
            out.push_str(&both(&c.text_en, &c.text_es));
            out.push('\n');
        }
    }
    out
}

/// The choices a person made, one list of choice indexes per question.
pub type Answers = Vec<Vec<usize>>;

/// How a quiz attempt went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingQuizResult))]
pub struct QuizResult {
    pub correct: i64,
    pub total: i64,
    /// Rounded down, in percent.
    pub score: i64,
    pub pass_mark: i64,
    pub passed: bool,
    /// The questions answered wrongly (or not at all), from 0.
    pub wrong: Vec<usize>,
}

/// Scores an attempt. A question is right when the chosen set is exactly
/// its correct choices (for a single-choice question, the one correct
/// choice). Choices out of range are errors naming `answers[i]`; a missing
/// answer is wrong. The score is rounded down, so 79.9% does not pass 80.
pub fn score(quiz: &Quiz, answers: &[Vec<usize>]) -> Result<QuizResult, FieldErrors> {
    let mut e = FieldErrors::new();
    if answers.len() > quiz.questions.len() {
        e.add("answers", "too_many", "more answers than questions");
    }
    let mut wrong = Vec::new();
    for (i, q) in quiz.questions.iter().enumerate() {
        let mut chosen: Vec<usize> = answers.get(i).cloned().unwrap_or_default();
        chosen.sort_unstable();
        chosen.dedup();
        if chosen.iter().any(|&c| c >= q.choices.len()) {
            e.add(format!("answers[{i}]"), "unknown_choice", "no such choice");
            continue;
        }
        if !q.multiple && chosen.len() > 1 {
            e.add(format!("answers[{i}]"), "one_choice", "choose one answer");
            continue;
        }
        let right: Vec<usize> = q.choices.iter().enumerate().filter(|(_, c)| c.correct).map(|(j, _)| j).collect();
        if chosen != right {
            wrong.push(i);
        }
    }
    let total = quiz.questions.len() as i64;
    let correct = total - wrong.len() as i64;
    let score = if total == 0 { 100 } else { correct * 100 / total };
    e.into_result(QuizResult {
        correct,
        total,
        score,
        pass_mark: quiz.pass_mark,
        passed: score >= quiz.pass_mark,
        wrong,
    })
}

/// Where an assignment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingStatus))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Completed,
    /// Not complete, due date not passed.
    Open,
    /// Not complete, due date passed.
    Overdue,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Completed => "completed",
            Status::Open => "open",
            Status::Overdue => "overdue",
        }
    }

    pub fn of(completed_at: Option<DateTime<Utc>>, due_at: DateTime<Utc>, now: DateTime<Utc>) -> Status {
        match completed_at {
            Some(_) => Status::Completed,
            None if now > due_at => Status::Overdue,
            None => Status::Open,
        }
    }
}

/// When an assignment made at `at` is due.
pub fn due_at(at: DateTime<Utc>, due_days: i64) -> DateTime<Utc> {
    at + Duration::days(due_days)
}

/// Whether an overdue assignment reminded last at `reminded_at` is
/// reminded again at `now`.
pub fn remind_due(status: Status, reminded_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    status == Status::Overdue && reminded_at.is_none_or(|r| now - r >= Duration::days(REMIND_EVERY_DAYS))
}

/// A touchpoint as the intent module describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TouchpointNotes {
    pub name: String,
    pub stage: String,
    pub description: Option<String>,
    pub owner: Option<String>,
}

/// The headings of the intent module in one language.
struct Headings {
    title: &'static str,
    statement: &'static str,
    version: &'static str,
    how: &'static str,
    owner: &'static str,
    stage: &'static str,
    no_notes: &'static str,
    acknowledge: &'static str,
}

const EN: Headings = Headings {
    title: "Our intent: the experience we deliver",
    statement: "The intent statement",
    version: "Version",
    how: "How we deliver it, touchpoint by touchpoint",
    owner: "Owner",
    stage: "Stage",
    no_notes: "No delivery notes yet: ask the owner.",
    acknowledge: "Read it through, then confirm you have read it.",
};

const ES: Headings = Headings {
    title: "Nuestra intención: la experiencia que ofrecemos",
    statement: "La declaración de intención",
    version: "Versión",
    how: "Cómo la ofrecemos, punto de contacto a punto de contacto",
    owner: "Responsable",
    stage: "Etapa",
    no_notes: "Aún no hay notas de servicio: pregunte al responsable.",
    acknowledge: "Léalo entero y confirme que lo ha leído.",
};

fn intent_body(h: &Headings, version: i64, statement: &str, touchpoints: &[TouchpointNotes]) -> String {
    let mut out = format!("## {} ({} {version})\n\n", h.statement, h.version);
    for line in statement.trim().lines() {
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!("\n## {}\n\n", h.how));
    for t in touchpoints {
        out.push_str(&format!("### {}\n\n", t.name.trim()));
        out.push_str(&format!("*{}: {}*", h.stage, t.stage.trim()));
        if let Some(o) = t.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            out.push_str(&format!(" · *{}: {o}*", h.owner));
        }
        out.push_str("\n\n");
        match t.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => out.push_str(d),
            None => out.push_str(h.no_notes),
        }
        out.push_str("\n\n");
    }
    out.push_str(h.acknowledge);
    out.push('\n');
    // A statement plus a very large journey could pass the bound: cut on a
    // character boundary (the end is the least important part).
    if out.len() > DOCUMENT_MAX {
        let mut end = DOCUMENT_MAX;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    out
}

/// The built-in intent module of intent `version`: the statement as
/// written, then each touchpoint (in journey order) with its stage, owner
/// and delivery notes (its description), with headings in English and in
/// Spanish; assigned to everyone, no quiz (people acknowledge it).
pub fn intent_module(version: i64, statement: &str, touchpoints: &[TouchpointNotes]) -> ModuleInput {
    ModuleInput {
        title_en: EN.title.to_string(),
        title_es: ES.title.to_string(),
        body_en: intent_body(&EN, version, statement, touchpoints),
        body_es: intent_body(&ES, version, statement, touchpoints),
        audience: Audience { everyone: true, ..Audience::default() },
        due_days: INTENT_DUE_DAYS,
        quiz: None,
    }
}

/// One person's assignment of one revision of a module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingAssignment))]
pub struct Assignment {
    pub id: Id,
    pub module_id: Id,
    pub person_id: Id,
    pub revision: i64,
    pub assigned_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// The first passing attempt, or the acknowledgement without a quiz.
    pub completed_at: Option<DateTime<Utc>>,
    pub attempts: i64,
    /// The best quiz score, in percent.
    pub best_score: Option<i64>,
    /// The last quiz score, in percent.
    pub last_score: Option<i64>,
    /// The last overdue reminder.
    pub reminded_at: Option<DateTime<Utc>>,
    pub status: Status,
}

/// A person who delivers a touchpoint without having completed a module
/// for it (a module whose audience names the touchpoint).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingGap))]
pub struct Gap {
    pub touchpoint_id: Id,
    pub touchpoint: String,
    pub person_id: Id,
    pub person: String,
    pub module_id: Id,
    pub module_title_en: String,
    pub module_title_es: String,
    /// `open` or `overdue`; none when the person has no assignment of it yet
    /// (it comes with the next assignment run).
    pub status: Option<Status>,
    pub due_at: Option<DateTime<Utc>>,
}

/// One line of the progress report (per person, department or touchpoint),
/// counting the current assignments (the module's current revision) of
/// active people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrainingProgressRow))]
pub struct ProgressRow {
    /// The person's or touchpoint's id; none for a department.
    pub id: Option<Id>,
    /// The person's or touchpoint's name, or the department ("" for none).
    pub name: String,
    pub assigned: i64,
    pub completed: i64,
    pub overdue: i64,
    /// Completed ÷ assigned, in percent (rounded down); 0 with none.
    pub completion: i64,
    /// The mean of the best scores of the quizzes attempted; none without.
    pub average_score: Option<f64>,
}

impl ProgressRow {
    pub fn new(id: Option<Id>, name: String, assigned: i64, completed: i64, overdue: i64, score: Option<f64>) -> Self {
        let completion = if assigned > 0 { completed * 100 / assigned } else { 0 };
        ProgressRow { id, name, assigned, completed, overdue, completion, average_score: score }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(t: &str, correct: bool) -> ChoiceDraft {
        ChoiceDraft { text_en: Some(t.into()), text_es: Some(t.into()), correct }
    }

    fn draft() -> ModuleDraft {
        ModuleDraft {
            title_en: Some("Handling a late delivery".into()),
            title_es: Some("Cómo gestionar una entrega tardía".into()),
            body_en: Some("# Say sorry\n\n![Map](/media/1)".into()),
            body_es: None,
            audience: Audience { departments: vec!["Support".into(), "support".into()], ..Default::default() },
            due_days: Some(7),
            quiz: Some(QuizDraft {
                questions: vec![
                    QuestionDraft {
                        text_en: Some("First?".into()),
                        text_es: Some("¿Primero?".into()),
                        multiple: false,
                        choices: vec![choice("Apologise", true), choice("Blame", false)],
                    },
                    QuestionDraft {
                        text_en: Some("Which?".into()),
                        text_es: None,
                        multiple: true,
                        choices: vec![choice("A", true), choice("B", true), choice("C", false)],
                    },
                ],
                pass_mark: Some(100),
            }),
        }
    }

    #[test]
    fn a_module_validates_and_dedups_its_audience() {
        let m = draft().validate().unwrap();
        assert_eq!(m.audience.departments, vec!["Support".to_string()]);
        assert_eq!(m.due_days, 7);
        assert_eq!(m.body_es, "");
        let q = m.quiz.unwrap();
        assert_eq!(q.questions.len(), 2);
        assert_eq!(q.questions[1].text_es, "");
    }

    #[test]
    fn errors_name_their_fields() {
        let mut d = draft();
        d.title_en = None;
        d.title_es = Some(" ".into());
        d.due_days = Some(0);
        d.audience = Audience::default();
        let q = d.quiz.as_mut().unwrap();
        q.pass_mark = Some(101);
        q.questions[0].choices[1].correct = true;
        q.questions[1].choices = vec![choice("A", true)];
        q.questions[1].text_en = Some("x".repeat(QUESTION_MAX + 1));
        let e = d.validate().unwrap_err();
        for (field, code) in [
            ("title_en", "required"),
            ("due_days", "out_of_range"),
            ("audience", "required"),
            ("quiz.pass_mark", "out_of_range"),
            ("quiz.questions[0].choices", "several_correct"),
            ("quiz.questions[1].choices", "too_few_choices"),
            ("quiz.questions[1].text_en", "too_long"),
        ] {
            assert_eq!(e.get(field).map(|x| x.code), Some(code), "{field}: {e:?}");
        }
        let mut d = draft();
        d.body_en = Some("x".repeat(DOCUMENT_MAX + 1));
        assert_eq!(d.validate().unwrap_err().get("body_en").unwrap().code, "too_long");
        let mut d = draft();
        d.quiz = Some(QuizDraft::default());
        assert_eq!(d.validate().unwrap_err().get("quiz.questions").unwrap().code, "required");
        let mut d = draft();
        d.quiz.as_mut().unwrap().questions[0].choices[0].correct = false;
        assert_eq!(d.validate().unwrap_err().get("quiz.questions[0].choices").unwrap().code, "no_correct_choice");
    }

    #[test]
    fn multiple_choice_needs_the_exact_set() {
        let q = draft().validate().unwrap().quiz.unwrap();
        let r = score(&q, &[vec![0], vec![1, 0]]).unwrap();
        assert_eq!((r.correct, r.score, r.passed, r.wrong.clone()), (2, 100, true, vec![]));
        let r = score(&q, &[vec![0], vec![0]]).unwrap();
        assert_eq!((r.correct, r.score, r.passed, r.wrong.clone()), (1, 50, false, vec![1]));
        let r = score(&q, &[vec![0], vec![0, 1, 2]]).unwrap();
        assert_eq!(r.wrong, vec![1], "a superset is wrong");
        let r = score(&q, &[vec![1]]).unwrap();
        assert_eq!((r.score, r.wrong.clone()), (0, vec![0, 1]), "a missing answer is wrong");
        assert_eq!(score(&q, &[vec![0, 1], vec![]]).unwrap_err().get("answers[0]").unwrap().code, "one_choice");
        assert_eq!(score(&q, &[vec![5]]).unwrap_err().get("answers[0]").unwrap().code, "unknown_choice");
        assert!(score(&q, &[vec![0], vec![0], vec![0]]).unwrap_err().get("answers").is_some());
    }

    #[test]
    fn scores_round_down_against_the_pass_mark() {
        let mut q = draft().validate().unwrap().quiz.unwrap();
        q.pass_mark = 67;
        let third = q.questions[0].clone();
        q.questions.push(third);
        // 2 of 3 = 66.6…% → 66, below 67.
        let r = score(&q, &[vec![0], vec![0, 1], vec![1]]).unwrap();
        assert_eq!((r.score, r.passed), (66, false));
        q.pass_mark = 66;
        assert!(score(&q, &[vec![0], vec![0, 1], vec![1]]).unwrap().passed);
    }

    #[test]
    fn quizzes_are_written_as_plain_text() {
        let text =
            "# A comment\n? First? | ¿Primero?\n* Apologise | Disculparse\n- Blame\n\n?? Which?\n* A\n* B\n- C\n";
        let draft = parse_quiz_text(text, Some(80), "quiz_text").unwrap().unwrap();
        assert_eq!(draft.questions.len(), 2);
        assert_eq!(draft.questions[0].text_es.as_deref(), Some("¿Primero?"));
        assert!(draft.questions[1].multiple);
        assert_eq!(draft.questions[1].choices.iter().filter(|c| c.correct).count(), 2);
        let quiz = draft.validate(&mut FieldErrors::new()).unwrap();
        let again = parse_quiz_text(&quiz_text(&quiz), Some(80), "q").unwrap().unwrap();
        assert_eq!(again.validate(&mut FieldErrors::new()).unwrap(), quiz, "round trip");
        assert_eq!(parse_quiz_text("  \n", None, "q").unwrap().map(|q| q.questions.len()), None);
        let e = parse_quiz_text("? Q\nmaybe\n", None, "quiz_text").unwrap_err();
        assert!(e.get("quiz_text").unwrap().message.contains("line 2"));
        assert!(parse_quiz_text("* orphan", None, "quiz_text").is_err());
    }

    #[test]
    fn status_and_reminders() {
        let now = Utc::now();
        let due = now - Duration::days(1);
        assert_eq!(Status::of(None, due, now), Status::Overdue);
        assert_eq!(Status::of(None, now + Duration::days(1), now), Status::Open);
        assert_eq!(Status::of(Some(now), due, now), Status::Completed);
        assert!(remind_due(Status::Overdue, None, now));
        assert!(!remind_due(Status::Overdue, Some(now - Duration::days(1)), now));
        assert!(remind_due(Status::Overdue, Some(now - Duration::days(REMIND_EVERY_DAYS)), now));
        assert!(!remind_due(Status::Open, None, now));
    }

    #[test]
    fn texts_fall_back_to_the_other_language() {
        assert_eq!(pick(Lang::Es, "Hello", ""), "Hello");
        assert_eq!(pick(Lang::Es, "Hello", "Hola"), "Hola");
        assert_eq!(pick(Lang::En, "", "Hola"), "Hola");
    }

    #[test]
    fn the_intent_module_has_the_statement_and_each_touchpoint() {
        let tps = vec![
            TouchpointNotes {
                name: "Delivery".into(),
                stage: "Receive".into(),
                description: Some("Call before you arrive.".into()),
                owner: Some("Ana".into()),
            },
            TouchpointNotes { name: "Returns".into(), stage: "Use".into(), description: None, owner: None },
        ];
        let m = intent_module(3, "We make coffee easy.\nEvery time.", &tps);
        assert!(m.audience.everyone);
        assert!(m.quiz.is_none());
        assert!(m.body_en.contains("## The intent statement (Version 3)"), "{}", m.body_en);
        assert!(m.body_en.contains("> We make coffee easy.\n> Every time."));
        assert!(m.body_en.contains("### Delivery") && m.body_en.contains("Call before you arrive."));
        assert!(m.body_en.contains("*Owner: Ana*"));
        assert!(m.body_en.contains("No delivery notes yet"));
        assert!(m.body_es.contains("## La declaración de intención (Versión 3)"));
        assert!(m.body_es.contains("Call before you arrive."), "the organization's text as written");
        assert!(m.title_es.starts_with("Nuestra intención"));
        let html = crate::markdown::to_html(&m.body_en);
        assert!(html.contains("<h3>Delivery</h3>"), "{html}");
        let big = vec![tps[0].clone(); 5_000];
        assert!(intent_module(1, "x", &big).body_en.len() <= DOCUMENT_MAX);
    }
}
