//! D1/D2. The case's conversation on its page: the customer's own words
//! (every linked response with all its answers, its comment highlighted
//! with sentiment and themes, and linked events), the thread (oldest
//! first, refreshed while the page is open by `/assets/conversation.js`
//! from `/cases/{id}/thread?after=`), and the reply and note forms with the
//! templates of each RESOLVED step in the customer's language.

use super::actor;
use super::page::{refused, who};
use crate::api::act::reply::{compose, language_of};
use crate::error::AppError;
use crate::web::answers::answer_pairs;
use crate::web::form::FormData;
use crate::web::{Page, WebPath, WebResult};
use axum::extract::Query;
use chrono::{SubsecRound, Utc};
use minijinja::context;
use rapport_core::case::conversation::templates::{effective, ReplyValues};
use rapport_core::case::conversation::{CaseMessage, CaseMessageDraft, MessageKind};
use rapport_core::case::Case;
use rapport_core::lang::Lang;
use rapport_core::role::Permission;
use rapport_core::Id;
use serde::{Deserialize, Serialize};

/// A linked response as the case page shows it.
#[derive(Serialize)]
struct WordsView {
    id: Id,
    at: String,
    survey: Option<String>,
    answers: Vec<(String, String)>,
    comment: Option<String>,
    language: Option<&'static str>,
    sentiment: Option<&'static str>,
    score: Option<f64>,
    themes: Vec<String>,
}

/// A linked event.
#[derive(Serialize)]
struct EventView {
    kind: String,
    amount: Option<f64>,
    at: String,
}

/// A message of the thread.
#[derive(Serialize)]
pub(super) struct MessageView {
    id: Id,
    kind: &'static str,
    by: String,
    at: String,
    subject: Option<String>,
    body: String,
    delivery: Option<&'static str>,
}

/// A step's template, rendered for this customer in both languages, for
/// the reply form's choice (and its script's preview).
#[derive(Serialize)]
struct TemplateView {
    step: &'static str,
    number: usize,
    subject_en: String,
    body_en: String,
    subject_es: String,
    body_es: String,
}

/// Everything the page shows of the conversation.
#[derive(Serialize)]
pub(super) struct ConversationView {
    words: Vec<WordsView>,
    events: Vec<EventView>,
    thread: Vec<MessageView>,
    last: Option<Id>,
    email: Option<String>,
    language: &'static str,
    waiting_since: Option<String>,
    templates: Vec<TemplateView>,
}

fn message_view(page: &Page, m: &CaseMessage) -> MessageView {
    let by = match m.kind {
        MessageKind::Customer => m.author.clone(),
        _ => who(page, &m.author),
    };
    MessageView {
        id: m.id,
        kind: m.kind.key(),
        by,
        at: m.created_at.to_rfc3339(),
        subject: m.subject.clone(),
        body: m.body.clone(),
        delivery: m.delivery.map(|d| d.key()),
    }
}

/// The most linked items the page reads (the rest are on the timeline).
const ITEMS_SHOWN: usize = 20;
/// The most messages the page shows at once (the API pages the rest).
const THREAD_SHOWN: i64 = 200;

pub(super) async fn view(page: &Page, case: &Case) -> Result<ConversationView, crate::web::WebError> {
    let store = page.store();
    let org = page.org();
    let theme_names: Vec<(Id, String)> = store.list_themes(org).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let mut words = Vec::new();
    let mut events = Vec::new();
    for item in case.items.iter().take(ITEMS_SHOWN) {
        if item.kind == "response" {
            let Ok(r) = store.get_response(org, item.id).await else { continue };
            let survey = match r.survey_id {
                Some(sid) => store.get_survey(org, sid).await.ok(),
                None => None,
            };
            let found = store.response_themes(org, r.id).await?;
            let themes = theme_names
                .iter()
                .filter(|(t, _)| found.matched.contains(t) || found.tagged.contains(t))
                .map(|(_, n)| n.clone())
                .collect();
            words.push(WordsView {
                id: r.id,
                at: r.at.to_rfc3339(),
                survey: survey.as_ref().map(|s| s.title.get(page.lang()).to_string()),
                answers: answer_pairs(survey.as_ref(), &r.answers, page.lang()),
                comment: r.comment.clone(),
                language: r.language.map(|l| l.code()),
                sentiment: r.text.as_ref().map(|t| t.label.key()),
                score: r.text.as_ref().map(|t| t.score),
                themes,
            });
        } else if let Ok(e) = store.get_event(org, item.id).await {
            events.push(EventView { kind: e.kind, amount: e.amount, at: item.at.to_rfc3339() });
        }
    }
    let messages = store.list_case_messages(org, case.id, None, THREAD_SHOWN).await?;
    let contact = store.case_contact(org, case.id).await?;
    let settings = store.org_settings(org).await?;
    let language = language_of(&contact, settings.default_language);
    let agent = page.p.user.as_ref().map_or_else(|| page.p.actor.clone(), |u| u.email.clone());
    let agent = match page.p.user.as_ref().and_then(|u| u.person_id) {
        Some(person) => store.get_person(org, person).await.map(|p| p.name).unwrap_or(agent),
        None => agent,
    };
    let name = contact.name.clone().unwrap_or_default();
    let case_no = case.id.to_string();
    let values = ReplyValues { name: &name, case: &case_no, agent: &agent, company: &settings.name };
    let templates = effective(&store.list_reply_templates(org).await?)
        .into_iter()
        .map(|t| {
            let (subject_en, body_en) = t.render(Lang::En, &values);
            let (subject_es, body_es) = t.render(Lang::Es, &values);
            TemplateView { step: t.step.key(), number: t.step.number(), subject_en, body_en, subject_es, body_es }
        })
        .collect();
    Ok(ConversationView {
        words,
        events,
        last: messages.last().map(|m| m.id),
        thread: messages.iter().map(|m| message_view(page, m)).collect(),
        email: contact.email,
        language: language.code(),
        waiting_since: contact.waiting_since.map(|t| t.to_rfc3339()),
        templates,
    })
}

/// A reply or a note from the case page; refused forms come back with
/// their errors next to the fields.
pub(super) async fn post(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::WorkCases)?;
    let kind = form.filled("kind").unwrap_or("note").to_string();
    let draft = CaseMessageDraft {
        kind: Some(kind.clone()),
        subject: form.text("subject"),
        body: form.text("body"),
        template: form.text("template"),
        lang: form.text("lang"),
    };
    let r = async {
        let input = draft.validate().map_err(AppError::Invalid)?;
        let message = compose(&page.state, &page.p, id, &input).await?;
        let now = Utc::now().trunc_subsecs(6);
        page.store().add_case_message(page.org(), id, &message, &actor(&page), now).await?;
        if message.payload.is_some() {
            page.state.outbox_wake.notify_one();
        }
        Ok(())
    };
    let which = if kind == "reply" { "reply" } else { "note" };
    refused(&page, id, which, &form, r.await).await
}

#[derive(Debug, Deserialize)]
pub(super) struct After {
    after: Option<String>,
}

/// The messages after `after` (an id), as list items for the page's script.
pub(super) async fn thread(page: Page, WebPath(id): WebPath<Id>, Query(q): Query<After>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let after = q.after.as_deref().and_then(|a| a.trim().parse::<Id>().ok());
    let messages = page.store().list_case_messages(page.org(), id, after, THREAD_SHOWN).await?;
    let views: Vec<MessageView> = messages.iter().map(|m| message_view(&page, m)).collect();
    page.render("cases/_thread_items.html", context! { thread => views })
}
