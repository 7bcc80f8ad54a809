//! Demo data for case conversations: a Spanish-speaking detractor writes
//! "Llegó una semana tarde. Quiero un reembolso." on the support chat
//! survey; the case that opens (routed to the demo agent) holds the
//! apology sent from the built-in Respond template in Spanish, an internal
//! note, and the customer's answer received by e-mail. (No SMTP server in
//! the demo: the reply's e-mail shows as not delivered.)

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use rapport_core::case::conversation::templates::{builtin, ReplyValues};
use rapport_core::case::conversation::MessageKind;
use rapport_core::case::resolved::Step;
use rapport_core::customer::CustomerUpsert;
use rapport_core::lang::Lang;
use rapport_core::Id;
use rapport_store::conversations::NewCaseMessage;
use rapport_store::{CaseFilter, NewResponse, Store};
use serde_json::{json, Map};
use std::collections::HashMap;

/// The customer of the demo conversation.
pub const CUSTOMER: &str = "cust-0150";
/// Their comment, on the case page.
pub const COMMENT: &str = "Llegó una semana tarde. Quiero un reembolso.";

pub async fn seed(
    store: &dyn Store,
    org: Id,
    _people: &HashMap<&str, Id>,
    touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    // The customer speaks Spanish: replies default to it.
    let c = store.get_customer(org, CUSTOMER).await.context("the demo conversation's customer")?;
    let mut attributes = c.attributes.clone();
    attributes.insert("language".into(), json!("es"));
    let upsert =
        CustomerUpsert { external_id: c.external_id.clone(), email: c.email.clone(), name: c.name.clone(), attributes };
    store.upsert_customer(org, &upsert).await?;

    let tp = touchpoints["Support chat"];
    let survey = store.list_surveys(org).await?.into_iter().find(|s| s.touchpoint_id == tp).map(|s| s.id);
    let mut answers = Map::new();
    answers.insert("nps".into(), json!(1));
    let response = NewResponse {
        key: Some("demo-conversation".into()),
        survey_id: survey,
        touchpoint_id: tp,
        customer: Some(CUSTOMER.into()),
        at: now - Duration::hours(26),
        answers: if survey.is_some() { answers } else { Map::new() },
        comment: Some(COMMENT.into()),
        channel: Some("survey".into()),
        language: Some(Lang::Es),
    };
    store.ingest_responses(org, &[response]).await?;
    let filter = CaseFilter { customer: Some(CUSTOMER.into()), limit: 10, ..Default::default() };
    let case = store.list_cases(org, &filter).await?.into_iter().next().context("the detractor's case opened")?;

    let agent = "Kevin O'Brien";
    // The demo agent's account (Kevin), as the API names its writers.
    let actor = "agent@demo.example";
    let name = c.name.clone().unwrap_or_default();
    let settings = store.org_settings(org).await?;
    let case_no = case.id.to_string();
    let values = ReplyValues { name: &name, case: &case_no, agent, company: &settings.name };
    let (subject, body) = builtin(Step::Respond).render(Lang::Es, &values);
    let mail = json!({"mail": {"subject": subject, "text": body, "from_name": format!("{agent} · {}", settings.name)}});
    let reply = NewCaseMessage {
        kind: MessageKind::Reply,
        subject: Some(subject.clone()),
        body,
        lang: Some("es".into()),
        payload: Some(mail),
    };
    store.add_case_message(org, case.id, &reply, actor, now - Duration::hours(24)).await?;
    let note = NewCaseMessage {
        kind: MessageKind::Note,
        subject: None,
        body: "El mensajero confirma 7 días de retraso. Reembolso del envío aprobado.".into(),
        lang: None,
        payload: None,
    };
    store.add_case_message(org, case.id, &note, actor, now - Duration::hours(23)).await?;
    let email = c.email.clone().context("demo customers have an e-mail")?;
    let answer = "Gracias por responder tan rápido. Acepto el reembolso del envío.";
    store
        .receive_customer_reply(
            org,
            case.id,
            &email,
            Some(&format!("Re: {subject}")),
            answer,
            now - Duration::hours(20),
        )
        .await?;
    Ok(())
}
