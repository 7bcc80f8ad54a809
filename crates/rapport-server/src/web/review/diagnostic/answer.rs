//! The questionnaire: twenty radio groups 1–5 with an optional comment
//! each, prefilled with the signed-in person's answers; saving some or all
//! of them. Works without JavaScript; a refused field is shown beside its
//! question.

use crate::api::ideas::acting_person;
use crate::error::AppError;
use crate::web::form::{outcome, FormData};
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::http::StatusCode;
use minijinja::context;
use rapport_core::review::diagnostic::round::{validate_answers, DiagnosticAnswerDraft};
use rapport_core::review::diagnostic::{text_key, DiagnosticArea, QUESTIONS};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use std::collections::BTreeMap;

pub(super) async fn show(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    render(&page, id, None, BTreeMap::new(), StatusCode::OK).await
}

/// The form's values: `score-<key>` and `comment-<key>`, from what was
/// sent or else from the stored answers.
async fn render(
    page: &Page,
    id: Id,
    sent: Option<&FormData>,
    errors: BTreeMap<String, String>,
    status: StatusCode,
) -> WebResult {
    page.require(Permission::Contribute)?;
    let round = page.store().get_diagnostic_round(page.org(), id).await?;
    let me = acting_person(&page.p, None, "person_id").ok();
    let mut v: BTreeMap<String, String> = BTreeMap::new();
    match sent {
        Some(form) => v = form.values(),
        None => {
            for a in page.store().diagnostic_answers(page.org(), &[id]).await? {
                if Some(a.person_id) == me {
                    v.insert(format!("score-{}", a.question), a.score.to_string());
                    v.insert(format!("comment-{}", a.question), a.comment.unwrap_or_default());
                }
            }
        }
    }
    let name = match me {
        Some(p) => Some(page.store().get_person(page.org(), p).await?.name),
        None => None,
    };
    let areas: Vec<_> = DiagnosticArea::ALL
        .iter()
        .map(|a| {
            let questions: Vec<_> = a
                .questions()
                .map(|q| {
                    context! {
                        key => q.key, number => q.number, text => page.t(&text_key(q)),
                        score => v.get(&format!("score-{}", q.key)), comment => v.get(&format!("comment-{}", q.key)),
                        score_error => errors.get(&format!("score-{}", q.key)),
                        comment_error => errors.get(&format!("comment-{}", q.key)),
                    }
                })
                .collect();
            context! { key => a.key(), questions => questions }
        })
        .collect();
    page.render_status(
        status,
        "review/diagnostic/answer.html",
        context! {
            round => context! { id => round.id, name => &round.name, closed => round.is_closed() },
            person => name, areas => areas, errors => errors, scale => [1, 2, 3, 4, 5],
        },
    )
}

pub(super) async fn save(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    // The questions given a score or a comment, in order; errors name
    // `answers[i]`, shown beside question `keys[i]`.
    let mut keys: Vec<&str> = Vec::new();
    let mut drafts: Vec<DiagnosticAnswerDraft> = Vec::new();
    let mut parsed = FieldErrors::new();
    for q in QUESTIONS.iter() {
        let score = form.filled(&format!("score-{}", q.key));
        let comment = form.text(&format!("comment-{}", q.key)).filter(|c| !c.trim().is_empty());
        if score.is_none() && comment.is_none() {
            continue;
        }
        let score = match score.map(|s| s.trim().parse::<i64>()) {
            Some(Ok(s)) => Some(s),
            Some(Err(_)) => {
                parsed.add(format!("score-{}", q.key), "invalid", "must be a whole number from 1 to 5");
                None
            }
            None => None,
        };
        keys.push(q.key);
        drafts.push(DiagnosticAnswerDraft { question: Some(q.key.into()), score, comment });
    }
    let r = async {
        let person = acting_person(&page.p, None, "person_id")?;
        let answers = validate_answers(Some(&drafts)).map_err(|e| rename(e, &keys));
        let answers = crate::web::form::checked(parsed, answers)?;
        page.store().answer_diagnostic(page.org(), id, person, &answers, chrono::Utc::now()).await?;
        Ok::<_, AppError>(())
    };
    match outcome(r.await)? {
        Ok(()) => see_other(&format!("/diagnostic/rounds/{id}/answer?ok=saved")),
        Err((status, e)) => {
            let mut errors = page.errors(&e);
            // A closed round (409 on `round`): say so in the diagnostic's words.
            if e.get("round").is_some() {
                errors.insert("round".into(), page.t("diagnostic-error-closed"));
            }
            render(&page, id, Some(&form), errors, status).await
        }
    }
}

/// `answers[i].score` → `score-<keys[i]>` (and likewise for the comment);
/// `answers` itself (nothing answered) stays.
fn rename(e: FieldErrors, keys: &[&str]) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (field, err) in e.0 {
        let named = field
            .strip_prefix("answers[")
            .and_then(|rest| rest.split_once("]."))
            .and_then(|(i, what)| Some(format!("{what}-{}", keys.get(i.parse::<usize>().ok()?)?)));
        out.add(named.unwrap_or(field), err.code, err.message);
    }
    out
}
