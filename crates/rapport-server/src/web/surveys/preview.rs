//! The builder's preview: a survey as the respondent sees it, through the
//! public page's own rendering (`web::survey_public::preview`), in English
//! or Spanish; the builder frames it at a phone's width (390 px) or a
//! desktop's.
//!
//! Policy:
//! - only those who may edit surveys see it (`EditPlan`), drafts included;
//! - `GET /surveys/{id}/preview` shows the saved survey (what the builder
//!   shows without JavaScript); `POST` with the builder's form shows the
//!   survey as typed, saving nothing (the builder's script puts it in the
//!   frame after each pause in typing);
//! - its form posts nowhere, and only Rapport's own pages may frame it.

use super::draft_of;
use super::fields::questions_of;
use crate::web::form::FormData;
use crate::web::{Page, WebPath, WebResult};
use axum::extract::Query;
use rapport_core::lang::Lang;
use rapport_core::role::Permission;
use rapport_core::survey::{sanitize_html, Survey, SurveyStatus};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Deserialize;

/// The frame's widths (CSS pixels): a common phone, a laptop.
pub(super) const PHONE_PX: u32 = 390;
pub(super) const DESKTOP_PX: u32 = 1024;

#[derive(Debug, Default, Deserialize)]
pub(super) struct PreviewQuery {
    lang: Option<String>,
}

fn lang_of(v: Option<&str>) -> Lang {
    v.and_then(Lang::parse).unwrap_or(Lang::En)
}

pub(super) async fn saved(page: Page, WebPath(id): WebPath<Id>, Query(q): Query<PreviewQuery>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let survey = page.store().get_survey(page.org(), id).await?;
    crate::web::survey_public::preview(&page.state, &page.viewer, &page.p.org, &survey, lang_of(q.lang.as_deref()))
        .await
}

pub(super) async fn typed(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let saved = page.store().get_survey(page.org(), id).await?;
    let lang = lang_of(form.get("preview_lang"));
    let survey = as_typed(&form, saved);
    crate::web::survey_public::preview(&page.state, &page.viewer, &page.p.org, &survey, lang).await
}

/// The survey as the form holds it: cleaned by the core's validation when
/// it passes; otherwise as typed, text blocks cleaned all the same (the
/// preview shows their HTML).
fn as_typed(form: &FormData, saved: Survey) -> Survey {
    let (draft, _) = draft_of(form, &mut FieldErrors::new());
    let (title, intro) = (draft.title.clone().unwrap_or_default(), draft.intro.clone().unwrap_or_default());
    let questions = match draft.validate() {
        Ok(input) => input.questions,
        Err(_) => {
            let (mut qs, _) = questions_of(form, &mut FieldErrors::new());
            for q in qs.iter_mut().filter(|q| q.kind.is_display()) {
                q.text.en = sanitize_html(&q.text.en);
                q.text.es = sanitize_html(&q.text.es);
            }
            qs
        }
    };
    Survey { title, intro, questions, status: SurveyStatus::Draft, ..saved }
}
