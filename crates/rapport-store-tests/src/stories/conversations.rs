//! Stories of case conversations, on both backends: a reply is stored and
//! its e-mail enqueued to the customer in one transaction; the first reply
//! stops the first-response clock once; a note is never e-mailed; the
//! customer's answer is appended, clears waiting and reopens a closed case;
//! a sender other than the customer, or another organization, stores nothing.

use super::{add_person, add_stage, add_touchpoint, conflict, invalid, not_found, org};
use chrono::{Duration, SubsecRound, Utc};
use rapport_core::case::conversation::templates::{builtin, CaseReplyTemplateDraft};
use rapport_core::case::conversation::{CaseMailStatus, MessageKind};
use rapport_core::case::resolved::{Step, StepDraft};
use rapport_core::case::root_cause::RootCauseInput;
use rapport_core::case::{CaseDraft, CaseStatus};
use rapport_core::customer::CustomerUpsert;
use rapport_core::Id;
use rapport_store::conversations::{NewCaseMessage, REPLY_EVENT};
use rapport_store::Store;
use serde_json::{json, Map};

fn reply(body: &str) -> NewCaseMessage {
    NewCaseMessage {
        kind: MessageKind::Reply,
        subject: Some("Lo sentimos".into()),
        body: body.into(),
        lang: Some("es".into()),
        payload: Some(json!({"mail": {"subject": "Lo sentimos", "text": body, "reply_to": "reply+1.1.x@in.example"}})),
    }
}

fn note(body: &str) -> NewCaseMessage {
    NewCaseMessage { kind: MessageKind::Note, subject: None, body: body.into(), lang: None, payload: None }
}

async fn open(s: &dyn Store, o: Id, customer: &str, tp: Id, agent: Id) -> Id {
    let draft: CaseDraft = serde_json::from_value(
        json!({"title": "Llegó tarde", "customer": customer, "touchpoint_id": tp, "assignee_id": agent}),
    )
    .unwrap();
    s.open_case(o, &draft.validate().unwrap(), "user:1", Utc::now()).await.unwrap().id
}

async fn thread(s: &dyn Store, o: Id, case: Id) -> Vec<(MessageKind, String)> {
    s.list_case_messages(o, case, None, 500).await.unwrap().into_iter().map(|m| (m.kind, m.body)).collect()
}

pub async fn conversations_story(s: &dyn Store) {
    let o = org(s, "talk").await.id;
    let other = org(s, "talk-other").await.id;
    let agent = add_person(s, o, "Agent").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let tp = add_touchpoint(s, o, "Delivery", stage, Some(agent)).await;
    let ana = CustomerUpsert {
        external_id: "ana".into(),
        email: Some("ana@example.com".into()),
        name: Some("Ana".into()),
        attributes: json!({"language": "es"}).as_object().unwrap().clone(),
    };
    s.upsert_customer(o, &ana).await.unwrap();
    let mute = CustomerUpsert { external_id: "mute".into(), email: None, name: None, attributes: Map::new() };
    s.upsert_customer(o, &mute).await.unwrap();
    let case = open(s, o, "ana", tp, agent).await;
    let silent = open(s, o, "mute", tp, agent).await;
    let t0 = Utc::now().trunc_subsecs(3);

    let who = s.case_contact(o, case).await.unwrap();
    assert_eq!(
        (who.email.as_deref(), who.name.as_deref(), who.waiting_since),
        (Some("ana@example.com"), Some("Ana"), None)
    );
    not_found(s.case_contact(other, case).await);

    // A note: stored, never enqueued, the clock still runs.
    s.fan_out(Utc::now(), 100).await.unwrap();
    let n = s.add_case_message(o, case, &note("Called the courier."), "user:1", t0).await.unwrap();
    assert_eq!((n.kind, n.delivery), (MessageKind::Note, None));
    assert_eq!(s.fan_out(Utc::now(), 100).await.unwrap(), 0, "a note enqueues nothing");
    let opened_deliveries = s.list_deliveries(o, None, 100).await.unwrap().len();
    assert!(s.get_case(o, case).await.unwrap().first_responded_at.is_none());

    // The first reply: stored and enqueued to the customer's e-mail together;
    // the clock stops; the case waits on the customer.
    let r = s.add_case_message(o, case, &reply("Lamentamos el retraso."), "user:1", t0).await.unwrap();
    assert_eq!((r.kind, r.delivery), (MessageKind::Reply, Some(CaseMailStatus::Pending)));
    assert_eq!(s.fan_out(Utc::now(), 100).await.unwrap(), 1);
    let deliveries = s.list_deliveries(o, None, 100).await.unwrap();
    assert_eq!(deliveries.len(), opened_deliveries + 1);
    let mail = deliveries.iter().find(|d| d.event == REPLY_EVENT).expect("the reply's e-mail");
    assert_eq!(mail.recipient.as_deref(), Some("ana@example.com"));
    let claimed = s.claim_deliveries(Utc::now(), Utc::now() + Duration::minutes(1), 100).await.unwrap();
    let sent = claimed.iter().find(|d| d.event == REPLY_EVENT).unwrap();
    assert_eq!(sent.payload["mail"]["text"], "Lamentamos el retraso.");
    s.delivery_succeeded(sent.id, Utc::now()).await.unwrap();
    let listed = s.list_case_messages(o, case, None, 10).await.unwrap();
    assert_eq!(listed.last().unwrap().delivery, Some(CaseMailStatus::Delivered));
    let k = s.get_case(o, case).await.unwrap();
    assert_eq!(k.first_responded_at, Some(t0));
    assert_eq!(k.history.last().unwrap().action, "reply_sent");
    assert_eq!(s.case_contact(o, case).await.unwrap().waiting_since, Some(t0));

    // A second reply does not move the first-response time.
    let later = t0 + Duration::minutes(5);
    s.add_case_message(o, case, &reply("Le proponemos un reembolso."), "user:1", later).await.unwrap();
    assert_eq!(s.get_case(o, case).await.unwrap().first_responded_at, Some(t0));

    // No e-mail: a 422 on kind, nothing stored or enqueued.
    invalid(s.add_case_message(o, silent, &reply("Hola"), "user:1", later).await, "kind");
    assert!(thread(s, o, silent).await.is_empty());
    assert_eq!(s.fan_out(Utc::now(), 100).await.unwrap(), 1, "only the second reply");
    // Another organization's case is not found.
    not_found(s.add_case_message(other, case, &note("x"), "user:1", later).await);
    not_found(s.list_case_messages(other, case, None, 10).await);

    // The customer's answer: only from their address; stored, waiting cleared.
    let before = thread(s, o, case).await;
    invalid(s.receive_customer_reply(o, case, "mallory@example.com", None, "hi", later).await, "from");
    not_found(s.receive_customer_reply(other, case, "ana@example.com", None, "hi", later).await);
    assert_eq!(thread(s, o, case).await, before);
    let answer = s
        .receive_customer_reply(o, case, "ANA@example.com", Some("Re: Lo sentimos"), "Acepto, gracias.", later)
        .await
        .unwrap();
    assert_eq!((answer.kind, answer.author.as_str()), (MessageKind::Customer, "ANA@example.com"));
    assert_eq!(s.case_contact(o, case).await.unwrap().waiting_since, None);
    let kinds: Vec<MessageKind> = thread(s, o, case).await.into_iter().map(|m| m.0).collect();
    assert_eq!(kinds, vec![MessageKind::Note, MessageKind::Reply, MessageKind::Reply, MessageKind::Customer]);
    // Keyset paging, oldest first.
    let first = s.list_case_messages(o, case, None, 2).await.unwrap();
    let rest = s.list_case_messages(o, case, Some(first[1].id), 10).await.unwrap();
    assert_eq!((first.len(), rest.len()), (2, 2));
    assert!(first[1].id < rest[0].id);

    // Closed, then the customer writes again: the case reopens.
    let cause = s
        .create_root_cause(o, &RootCauseInput { name: "Courier".into(), description: None, preventable: true })
        .await
        .unwrap()
        .id;
    for st in Step::ALL {
        let v = match st {
            Step::Open => json!({"proposal": "p"}),
            Step::Verify => json!({"agreed": true}),
            Step::Eliminate => json!({"action": "a"}),
            Step::Document => json!({"root_cause_id": cause, "root_cause_note": "n"}),
            _ => json!({}),
        };
        let step = serde_json::from_value::<StepDraft>(v).unwrap().validate(st).unwrap();
        s.record_step(o, case, &step, "user:1", Utc::now()).await.unwrap();
    }
    s.close_case(o, case, "user:1", Utc::now()).await.unwrap();
    // No reply on a closed case (reopen it first); a note is fine.
    conflict(s.add_case_message(o, case, &reply("x"), "user:1", Utc::now()).await, "status");
    s.add_case_message(o, case, &note("Closed with a refund."), "user:1", Utc::now()).await.unwrap();
    s.receive_customer_reply(o, case, "ana@example.com", None, "Otra vez tarde.", Utc::now()).await.unwrap();
    let k = s.get_case(o, case).await.unwrap();
    assert_eq!(k.status, CaseStatus::Open);
    let actions: Vec<&str> = k.history.iter().rev().take(2).map(|h| h.action.as_str()).collect();
    assert_eq!(actions, vec!["reopened_by_customer", "customer_replied"]);

    // Templates: the organization's replaces the built-in one; reset goes back.
    assert!(s.list_reply_templates(o).await.unwrap().is_empty());
    let mine = CaseReplyTemplateDraft {
        subject_en: Some("Sorry, {{name}}".into()),
        body_en: Some("Hi {{name}}".into()),
        subject_es: Some("Perdón, {{name}}".into()),
        body_es: Some("Hola {{name}}".into()),
    }
    .validate(Step::Respond)
    .unwrap();
    s.save_reply_template(o, &mine, Utc::now()).await.unwrap();
    s.save_reply_template(o, &mine, Utc::now()).await.unwrap();
    assert_eq!(s.list_reply_templates(o).await.unwrap(), vec![mine]);
    assert!(s.list_reply_templates(other).await.unwrap().is_empty());
    s.reset_reply_template(o, Step::Respond).await.unwrap();
    assert!(s.list_reply_templates(o).await.unwrap().is_empty());
    assert!(!builtin(Step::Respond).custom);
}
