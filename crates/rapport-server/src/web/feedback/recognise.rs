//! `POST /feedback/{id}/recognise`: passes a WOW moment to the person who
//! made it (or their lead), by e-mail through the outbox (event
//! `wow.recognised`, which webhooks may also subscribe to), with a note.
//! Anyone who contributes (every role but viewer) may; the moment must be
//! one, and the person active in the organization.

use super::super::form::FormData;
use super::super::{see_other, Page, WebPath, WebResult};
use crate::error::AppError;
use rapport_core::feedback::written_text;
use rapport_core::role::Permission;
use rapport_core::text::{self, FlagKind};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde_json::json;

/// Characters of the sender's note kept.
const NOTE_MAX: usize = 1_000;

pub(super) async fn recognise(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    let store = page.store();
    let r = store.get_response(page.org(), id).await?;
    let survey = match r.survey_id {
        Some(id) => store.get_survey(page.org(), id).await.ok(),
        None => None,
    };
    let asked = survey.as_ref().map_or(&[][..], |s| &s.questions[..]);
    let comment = written_text(r.comment.as_deref(), asked, &r.answers).unwrap_or_default();
    if !text::analyze(&comment, r.language).has(FlagKind::Wow) {
        return Err(AppError::Invalid(FieldErrors::single(
            "person_id",
            "invalid",
            "this response is not a WOW moment",
        ))
        .into());
    }
    let mut e = FieldErrors::new();
    let person = form.id("person_id", &mut e);
    let Some(person) = person.filter(|_| e.is_empty()) else {
        e.add("person_id", "required", "choose someone");
        return Err(AppError::Invalid(e).into());
    };
    let person = store.get_person(page.org(), person).await?;
    if !person.is_active() {
        return Err(AppError::Invalid(FieldErrors::single("person_id", "invalid", "has left")).into());
    }
    let note: String = form.text("note").unwrap_or_default().chars().filter(|c| *c != '\0').take(NOTE_MAX).collect();
    let from = page.p.actor.clone();
    let summary = if note.is_empty() {
        format!("\u{201c}{comment}\u{201d}\n\n— {from}")
    } else {
        format!("\u{201c}{comment}\u{201d}\n\n{note}\n— {from}")
    };
    let payload = json!({
        "title": page.t("recognise-title"),
        "summary": summary,
        "url": format!("/feedback/{id}"),
        "email_to": [person.email],
        "response_id": id,
        "person_id": person.id,
    });
    store.enqueue_event(page.org(), "wow.recognised", &payload).await?;
    page.state.outbox_wake.notify_one();
    see_other(&format!("/feedback/{id}?ok=recognised"))
}
