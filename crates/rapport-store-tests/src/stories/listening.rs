//! Listening stories: surveys, listening posts, customers, ingestion, the
//! feedback lists, the timeline, notices and erasure.

use super::{add_person, add_stage, add_touchpoint, by, conflict, invalid, not_found, org};
use crate::{say, Dump};
use chrono::{DateTime, Duration, Utc};
use rapport_core::customer::CustomerUpsert;
use rapport_core::feedback::{EventDraft, EventInput};
use rapport_core::lang::Lang;
use rapport_core::listening::{ListeningPostDraft, ListeningPostInput};
use rapport_core::survey::{Survey, SurveyDraft, SurveyInput, SurveyStatus};
use rapport_core::Id;
use rapport_store::{CaseFilter, CaseKey, CustomerList, IdeaFilter, TimeKey, TimelineKey};
use rapport_store::{FeedbackFilter, Ingested, NewResponse, Notice, NoticeKind, Store, TimelineItem};
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::time::Instant;
use tokio::sync::broadcast::error::RecvError;

// ---- Inputs -------------------------------------------------------------

pub(super) fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
}

pub(super) fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

/// An NPS survey with a free-text "why" and a choice of plan.
pub(super) fn survey_input(touchpoint: Id, title: &str) -> SurveyInput {
    let draft: SurveyDraft = serde_json::from_value(json!({
        "touchpoint_id": touchpoint,
        "title": {"en": title, "es": format!("{title} (es)")},
        "intro": {"en": "Two questions", "es": "Dos preguntas"},
        "fatigue_days": 30,
        "questions": [
            {"key": "nps", "type": "nps", "required": true,
             "text": {"en": "Would you recommend us?", "es": "¿Nos recomendaría?"}},
            {"key": "why", "type": "text", "text": {"en": "Why?", "es": "¿Por qué?"}},
            {"key": "plan", "type": "single_choice", "text": {"en": "Plan", "es": "Plan"},
             "choices": [{"key": "pro", "label": {"en": "Pro", "es": "Pro"}},
                         {"key": "free", "label": {"en": "Free", "es": "Gratis"}}]}
        ]
    }))
    .unwrap();
    draft.validate().unwrap()
}

fn post_input(name: &str, priority: i64, touchpoint: Option<Id>, governed_by: Option<Id>) -> ListeningPostInput {
    ListeningPostDraft {
        name: Some(name.into()),
        channel: Some("survey".into()),
        touchpoint_id: touchpoint,
        priority: Some(priority),
        governed_by,
        response_hours: Some(24),
        notes: Some(format!("{name} notes")),
    }
    .validate()
    .unwrap()
}

/// A stage, a touchpoint and a survey on it.
pub(super) async fn setup(s: &dyn Store, org: Id, token: &str) -> (Id, Survey) {
    let stage = add_stage(s, org, "Buy", None).await;
    let tp = add_touchpoint(s, org, "Checkout", stage, None).await;
    let survey = s.create_survey(org, &survey_input(tp, "After checkout"), token).await.unwrap();
    (tp, survey)
}

pub(super) fn response(
    key: Option<&str>,
    survey: Option<Id>,
    tp: Id,
    customer: Option<&str>,
    when: DateTime<Utc>,
) -> NewResponse {
    NewResponse {
        key: key.map(Into::into),
        survey_id: survey,
        touchpoint_id: tp,
        customer: customer.map(Into::into),
        at: when,
        answers: if survey.is_some() { obj(json!({"nps": 9, "plan": "pro"})) } else { Map::new() },
        comment: None,
        channel: Some("web".into()),
        language: Some(Lang::Es),
    }
}

pub(super) fn event(key: Option<&str>, kind: &str, customer: &str, when: &str, tp: Option<Id>) -> EventInput {
    let draft: EventDraft = serde_json::from_value(json!({
        "id": key, "type": kind, "customer": customer, "at": when, "touchpoint": tp,
        "amount": 12.5, "attributes": {"order": "o-1"}
    }))
    .unwrap();
    draft.validate().unwrap()
}

fn filter(limit: i64) -> FeedbackFilter {
    FeedbackFilter { limit, ..Default::default() }
}

fn stored(out: &[Ingested]) -> Vec<Id> {
    out.iter().filter(|o| o.is_stored()).map(|o| o.id()).collect()
}

// ---- Stories ------------------------------------------------------------

/// Every server sharing the database signs with the first secret stored.
pub async fn installation_secret(s: &dyn Store) {
    assert_eq!(s.installation_secret("first").await.unwrap(), "first");
    assert_eq!(s.installation_secret("second").await.unwrap(), "first");
    let (a, b) = tokio::join!(s.installation_secret("x"), s.installation_secret("y"));
    assert_eq!((a.unwrap(), b.unwrap()), ("first".into(), "first".into()));
}

pub async fn surveys(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "other").await.id;
    let (tp, survey) = setup(s, o, "tok-a").await;
    let (their_tp, theirs) = setup(s, other, "tok-b").await;

    assert_eq!(survey.status, SurveyStatus::Draft);
    assert_eq!(survey.token, "tok-a");
    assert_eq!(survey.questions, survey_input(tp, "x").questions);
    assert_eq!(survey.title.es, "After checkout (es)");
    assert_eq!(s.get_survey(o, survey.id).await.unwrap(), survey);
    invalid(s.create_survey(o, &survey_input(their_tp, "Theirs"), "tok-c").await, "touchpoint_id");
    conflict(s.create_survey(o, &survey_input(tp, "Same token"), "tok-b").await, "token");
    let b = s.create_survey(o, &survey_input(tp, "before delivery"), "tok-d").await.unwrap();
    let titles: Vec<String> = s.list_surveys(o).await.unwrap().into_iter().map(|x| x.title.en).collect();
    assert_eq!(titles, ["After checkout", "before delivery"], "by title, ignoring case");

    let (found_org, found) = s.survey_by_token("tok-b").await.unwrap().unwrap();
    assert_eq!((found_org.id, found), (other, theirs.clone()));
    assert_eq!(s.survey_by_token("nope").await.unwrap(), None);

    let mut changed = survey_input(tp, "Renamed");
    changed.fatigue_days = 7;
    changed.questions.truncate(1);
    let updated = s.update_survey(o, b.id, &changed, None).await.unwrap();
    assert_eq!((updated.title.en.as_str(), updated.fatigue_days, updated.questions.len()), ("Renamed", 7, 1));
    assert_eq!(
        (updated.token.as_str(), updated.status, updated.created_at),
        ("tok-d", SurveyStatus::Draft, b.created_at)
    );
    invalid(s.update_survey(o, b.id, &survey_input(their_tp, "x"), None).await, "touchpoint_id");
    let published = s.set_survey_status(o, b.id, SurveyStatus::Published).await.unwrap();
    assert_eq!(published.status, SurveyStatus::Published);
    assert_eq!(s.set_survey_status(o, b.id, SurveyStatus::Closed).await.unwrap().status, SurveyStatus::Closed);

    // Another organization's survey cannot be read, changed or deleted.
    not_found(s.get_survey(o, theirs.id).await);
    not_found(s.update_survey(o, theirs.id, &survey_input(tp, "x"), None).await);
    not_found(s.set_survey_status(o, theirs.id, SurveyStatus::Closed).await);
    not_found(s.delete_survey(o, theirs.id, &by("survey.delete")).await);

    // A touchpoint with surveys stays; an answered survey stays.
    conflict(s.delete_touchpoint(o, tp, &by("touchpoint.delete")).await, "id");
    s.ingest_responses(o, &[response(None, Some(survey.id), tp, None, at("2026-03-01T10:00:00Z"))]).await.unwrap();
    conflict(s.delete_survey(o, survey.id, &by("survey.delete")).await, "id");
    s.delete_survey(o, b.id, &by("survey.delete")).await.unwrap();
    not_found(s.get_survey(o, b.id).await);
    assert_eq!(s.list_surveys(o).await.unwrap().len(), 1);
    assert_eq!(s.survey_by_token("tok-d").await.unwrap(), None);
}

pub async fn listening_posts(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "other").await.id;
    let ana = add_person(s, o, "Ana").await;
    let ben = add_person(s, o, "Ben").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let tp = add_touchpoint(s, o, "Checkout", stage, None).await;
    let their_person = add_person(s, other, "Eve").await;
    let their_stage = add_stage(s, other, "Buy", None).await;
    let their_tp = add_touchpoint(s, other, "Checkout", their_stage, None).await;

    let low = s.create_listening_post(o, &post_input("zeta reviews", 2, None, None)).await.unwrap();
    let nps = s.create_listening_post(o, &post_input("NPS after checkout", 5, Some(tp), Some(ana))).await.unwrap();
    let chat = s.create_listening_post(o, &post_input("chat", 5, Some(tp), None)).await.unwrap();
    assert_eq!((nps.touchpoint_id, nps.governed_by, nps.priority), (Some(tp), Some(ana), 5));
    assert_eq!(nps.notes.as_deref(), Some("NPS after checkout notes"));
    assert_eq!(s.get_listening_post(o, nps.id).await.unwrap(), nps);
    let order: Vec<Id> = s.list_listening_posts(o).await.unwrap().into_iter().map(|p| p.id).collect();
    assert_eq!(order, [chat.id, nps.id, low.id], "most important first, then by name");

    invalid(s.create_listening_post(o, &post_input("x", 3, Some(their_tp), None)).await, "touchpoint_id");
    invalid(s.create_listening_post(o, &post_input("x", 3, None, Some(their_person))).await, "governed_by");
    invalid(s.update_listening_post(o, low.id, &post_input("x", 3, None, Some(their_person))).await, "governed_by");
    let moved = s.update_listening_post(o, low.id, &post_input("Reviews", 3, Some(tp), Some(ben))).await.unwrap();
    assert_eq!((moved.name.as_str(), moved.priority, moved.governed_by), ("Reviews", 3, Some(ben)));
    not_found(s.get_listening_post(other, nps.id).await);
    not_found(s.update_listening_post(other, nps.id, &post_input("x", 3, None, None)).await);
    not_found(s.delete_listening_post(other, nps.id, &by("listening_post.delete")).await);

    // Whoever governs a post is held like an owner: no deleting, a handover moves it.
    conflict(s.delete_person(o, ana, &by("person.delete")).await, "id");
    let h = s.handover(o, ana, ben, None).await.unwrap();
    assert_eq!((h.experiences, h.touchpoints, h.listening_posts), (0, 0, 1));
    assert_eq!(s.get_listening_post(o, nps.id).await.unwrap().governed_by, Some(ben));
    s.delete_person(o, ana, &by("person.delete")).await.unwrap();

    // Deleting the touchpoint leaves its posts covering nothing.
    s.delete_touchpoint(o, tp, &by("touchpoint.delete")).await.unwrap();
    assert!(s.list_listening_posts(o).await.unwrap().iter().all(|p| p.touchpoint_id.is_none()));
    s.delete_listening_post(o, chat.id, &by("listening_post.delete")).await.unwrap();
    not_found(s.get_listening_post(o, chat.id).await);
    assert_eq!(s.list_listening_posts(o).await.unwrap().len(), 2);
    assert!(s.list_listening_posts(other).await.unwrap().is_empty());
}

pub async fn customers_in_bulk(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "other").await.id;
    let upsert = |id: &str, email: Option<&str>, name: Option<&str>, plan: &str| CustomerUpsert {
        external_id: id.into(),
        email: email.map(Into::into),
        name: name.map(Into::into),
        attributes: obj(json!({ "plan": plan })),
    };
    let existing = s.upsert_customer(o, &upsert("c-1", None, None, "free")).await.unwrap();
    let batch = [
        upsert("c-2", Some("Zoe.Ruiz@Example.com"), Some("Zoë Ruiz"), "pro"),
        upsert("c-1", Some("ana@example.com"), Some("Ana 100%"), "pro"),
        upsert("c-3", None, Some("Bo_Li"), "free"),
        upsert("c-2", Some("zoe@example.com"), Some("Zoe Ruiz"), "vip"),
    ];
    let ids = s.upsert_customers(o, &batch).await.unwrap();
    assert_eq!(ids.len(), 4);
    assert_eq!(ids[1], existing.id, "an existing customer keeps its id");
    assert_eq!(ids[0], ids[3], "one customer per external id");
    let zoe = s.get_customer(o, "c-2").await.unwrap();
    assert_eq!((zoe.id, zoe.email.as_deref()), (ids[0], Some("zoe@example.com")), "the last item wins");
    assert_eq!(zoe.attributes, obj(json!({"plan": "vip"})));
    let ana = s.get_customer(o, "c-1").await.unwrap();
    assert_eq!((ana.created_at, ana.attributes["plan"].clone()), (existing.created_at, json!("pro")));
    assert!(s.upsert_customers(o, &[]).await.unwrap().is_empty());
    not_found(s.get_customer(o, "c-9").await);
    not_found(s.get_customer(other, "c-1").await);

    let search = |q: &'static str, limit: i64| async move {
        let found = s.search_customers(o, q, limit).await.unwrap();
        found.into_iter().map(|c| c.external_id).collect::<Vec<String>>()
    };
    assert_eq!(search("C-", 10).await, ["c-1", "c-2", "c-3"], "external id, ignoring case");
    assert_eq!(search("ZOE@", 10).await, ["c-2"], "e-mail, ignoring case");
    assert_eq!(search("ruiz", 10).await, ["c-2"], "name");
    assert_eq!(search("100%", 10).await, ["c-1"], "a word, not a pattern");
    assert_eq!(search("li_bo", 10).await, ["c-3"], "punctuation separates words, in any order");
    assert!(search("b_x", 10).await.is_empty(), "every word must begin one of the customer's");
    assert_eq!(search("", 2).await, ["c-1", "c-2"], "at most the limit");
    assert!(s.search_customers(other, "c-", 10).await.unwrap().is_empty());
}

/// Items are stored once per key, across calls and within one batch; each
/// answer names the row its item is on.
pub async fn ingestion(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "other").await.id;
    let (tp, survey) = setup(s, o, "tok-a").await;
    let (their_tp, theirs) = setup(s, other, "tok-b").await;
    let t0 = at("2026-03-01T10:00:00Z");
    let mut first = response(Some("r-1"), Some(survey.id), tp, Some("c-1"), t0);
    first.answers = obj(json!({"nps": 10, "why": "quick", "plan": "free"}));
    first.comment = Some("Great".into());
    let mut same_key = response(Some("r-1"), Some(survey.id), tp, Some("c-9"), t0);
    same_key.answers = obj(json!({"nps": 0}));
    let items = vec![
        first.clone(),
        response(None, Some(survey.id), tp, Some("c-2"), t0 + Duration::hours(1)),
        same_key,
        response(Some("r-3"), None, tp, None, t0 + Duration::nanoseconds(1_234_567_891)),
    ];
    let out = s.ingest_responses(o, &items).await.unwrap();
    let ids = stored(&out);
    assert_eq!(ids.len(), 3);
    assert_eq!(out[2], Ingested::Duplicate(out[0].id()), "the same key later in the batch");
    for (item, outcome) in items.iter().zip(&out) {
        let Ingested::Stored(id) = outcome else { continue };
        let r = s.get_response(o, *id).await.unwrap();
        assert_eq!(
            (&r.key, r.survey_id, r.touchpoint_id, &r.customer),
            (&item.key, item.survey_id, tp, &item.customer)
        );
        assert_eq!(
            (&r.answers, &r.comment, &r.channel, r.language),
            (&item.answers, &item.comment, &item.channel, item.language)
        );
    }
    assert_eq!(
        s.get_response(o, out[3].id()).await.unwrap().at,
        t0 + Duration::microseconds(1_234_567),
        "microseconds"
    );
    assert!(s.get_customer(o, "c-9").await.is_err(), "a duplicate stores nothing, not even its customer");
    let bare = s.get_customer(o, "c-2").await.unwrap();
    assert!(bare.attributes.is_empty() && bare.email.is_none(), "unknown customers are created bare");

    // Sent again: the keyed ones are duplicates of the first rows; an item
    // without a key cannot be recognised and is stored again.
    let again = s.ingest_responses(o, &items).await.unwrap();
    assert_eq!(again[0], Ingested::Duplicate(out[0].id()));
    assert!(again[1].is_stored() && again[1] != out[1]);
    assert_eq!((again[2], again[3]), (Ingested::Duplicate(out[0].id()), Ingested::Duplicate(out[3].id())));
    assert_eq!(s.list_responses(o, &filter(100)).await.unwrap().total, 4);
    assert!(s.ingest_responses(o, &[]).await.unwrap().is_empty());

    // Naming another organization's survey or touchpoint stores nothing.
    let ok = response(Some("r-ok"), Some(survey.id), tp, Some("c-new"), t0);
    let bad = vec![ok.clone(), response(Some("r-x"), Some(theirs.id), tp, None, t0)];
    invalid(s.ingest_responses(o, &bad).await, "items[1].survey_id");
    let bad = vec![response(None, None, their_tp, None, t0), ok.clone()];
    invalid(s.ingest_responses(o, &bad).await, "items[0].touchpoint_id");
    assert!(s.get_customer(o, "c-new").await.is_err());
    assert!(s.ingest_responses(o, &[ok]).await.unwrap()[0].is_stored(), "r-ok was not stored before");

    // Keys are per organization, and rows are invisible elsewhere.
    let theirs_out =
        s.ingest_responses(other, &[response(Some("r-1"), None, their_tp, Some("c-1"), t0)]).await.unwrap();
    assert!(theirs_out[0].is_stored());
    not_found(s.get_response(other, out[0].id()).await);
    not_found(s.get_response(o, theirs_out[0].id()).await);
    not_found(s.ingest_responses(o + other + 99, &items).await);

    // Events, the same way.
    let events = vec![
        event(Some("e-1"), "purchase", "c-1", "2026-03-02T09:00:00+01:00", Some(tp)),
        event(Some("e-1"), "refund", "c-1", "2026-03-02T10:00:00Z", None),
        event(None, "custom:trial-start", "c-7", "2026-03-03T10:00:00Z", None),
    ];
    let out = s.ingest_events(o, &events).await.unwrap();
    assert_eq!(out[1], Ingested::Duplicate(out[0].id()));
    let e = s.get_event(o, out[0].id()).await.unwrap();
    assert_eq!((e.kind.as_str(), e.customer.as_deref(), e.touchpoint_id), ("purchase", Some("c-1"), Some(tp)));
    assert_eq!((e.at, e.amount, e.key.as_deref()), (at("2026-03-02T08:00:00Z"), Some(12.5), Some("e-1")));
    assert_eq!(e.attributes, obj(json!({"order": "o-1"})));
    assert_eq!(s.get_event(o, out[2].id()).await.unwrap().kind, "custom:trial-start");
    assert!(s.get_customer(o, "c-7").await.is_ok());
    let again = s.ingest_events(o, &events[..1]).await.unwrap();
    assert_eq!(again, [Ingested::Duplicate(out[0].id())]);
    invalid(
        s.ingest_events(o, &[event(None, "contact", "c-1", "2026-03-02T10:00:00Z", Some(their_tp))]).await,
        "items[0].touchpoint",
    );
    not_found(s.get_event(other, out[0].id()).await);
    assert_eq!(s.list_events(o, &filter(10)).await.unwrap().total, 2);
}

/// The lists behind `GET /responses` and `GET /events`: filters, newest
/// first, pages and the total; and the fatigue rule's question.
pub async fn feedback_lists(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "other").await.id;
    let (tp, survey) = setup(s, o, "tok-a").await;
    let stage = add_stage(s, o, "Use", None).await;
    let tp2 = add_touchpoint(s, o, "Onboarding", stage, None).await;
    let survey2 = s.create_survey(o, &survey_input(tp2, "Onboarding"), "tok-c").await.unwrap();
    // Sub-second times order correctly too (SQLite keeps them as text).
    let times = [
        "2026-03-01T10:00:00Z",
        "2026-03-01T10:00:00.5Z",
        "2026-03-01T10:00:00.123456Z",
        "2026-03-02T08:00:00Z",
        "2026-03-03T08:00:00Z",
        "2026-02-28T23:59:59.999Z",
    ];
    let who = ["c-1", "c-2", "c-1", "c-1", "c-2", "c-1"];
    let items: Vec<NewResponse> = times
        .iter()
        .zip(who)
        .enumerate()
        .map(|(i, (t, c))| {
            let (tp, sv) = if i % 2 == 0 { (tp, survey.id) } else { (tp2, survey2.id) };
            response(Some(&format!("k{i}")), Some(sv), tp, Some(c), at(t))
        })
        .collect();
    let ids: Vec<Id> = s.ingest_responses(o, &items).await.unwrap().into_iter().map(Ingested::id).collect();
    s.ingest_responses(other, &[response(None, None, tp, Some("c-1"), at(times[0]))]).await.unwrap_err();
    let (otp, _) = setup(s, other, "tok-b").await;
    s.ingest_responses(other, &[response(None, None, otp, Some("c-1"), at(times[0]))]).await.unwrap();

    let list = |f: FeedbackFilter| async move {
        let page = s.list_responses(o, &f).await.unwrap();
        (page.items.into_iter().map(|r| r.id).collect::<Vec<Id>>(), page.total)
    };
    let newest_first = vec![ids[4], ids[3], ids[1], ids[2], ids[0], ids[5]];
    assert_eq!(list(filter(100)).await, (newest_first.clone(), 6));
    let second = TimeKey { at: at(times[3]), id: ids[3] };
    assert_eq!(list(FeedbackFilter { after: Some(second), ..filter(3) }).await, (newest_first[2..5].to_vec(), 6));
    assert_eq!(list(filter(0)).await, (vec![], 6));
    let by = |c: &str| FeedbackFilter { customer: Some(c.into()), ..filter(100) };
    assert_eq!(list(by("c-2")).await, (vec![ids[4], ids[1]], 2));
    assert_eq!(list(FeedbackFilter { limit: 1, ..by("c-1") }).await, (vec![ids[3]], 4));
    assert_eq!(list(by("nobody")).await, (vec![], 0));
    assert_eq!(list(FeedbackFilter { touchpoint: Some(tp2), ..filter(100) }).await, (vec![ids[3], ids[1], ids[5]], 3));
    assert_eq!(
        list(FeedbackFilter { survey: Some(survey.id), ..filter(100) }).await,
        (vec![ids[4], ids[2], ids[0]], 3)
    );
    let window = FeedbackFilter {
        from: Some(at("2026-03-01T10:00:00.123456Z")),
        to: Some(at("2026-03-02T08:00:00Z")),
        ..filter(100)
    };
    assert_eq!(list(window).await, (vec![ids[1], ids[2]], 2), "from is inclusive, to exclusive");
    let both = FeedbackFilter { customer: Some("c-1".into()), touchpoint: Some(tp), ..filter(100) };
    assert_eq!(list(both).await, (vec![ids[2], ids[0]], 2));
    assert_eq!(s.list_responses(other, &filter(100)).await.unwrap().total, 1);

    // The fatigue rule asks when a customer last answered a survey.
    assert_eq!(s.last_response_at(o, survey.id, "c-1").await.unwrap(), Some(at(times[2])));
    assert_eq!(s.last_response_at(o, survey2.id, "c-1").await.unwrap(), Some(at(times[3])));
    assert_eq!(s.last_response_at(o, survey2.id, "nobody").await.unwrap(), None);
    assert_eq!(s.last_response_at(other, survey.id, "c-1").await.unwrap(), None);

    let events = [
        event(Some("e1"), "purchase", "c-1", "2026-03-01T10:00:00Z", Some(tp)),
        event(Some("e2"), "referral", "c-2", "2026-03-04T10:00:00Z", None),
        event(Some("e3"), "renewal", "c-1", "2026-03-05T10:00:00Z", Some(tp2)),
    ];
    let eids: Vec<Id> = s.ingest_events(o, &events).await.unwrap().into_iter().map(Ingested::id).collect();
    let list = |f: FeedbackFilter| async move {
        let page = s.list_events(o, &f).await.unwrap();
        (page.items.into_iter().map(|e| e.id).collect::<Vec<Id>>(), page.total)
    };
    assert_eq!(list(filter(2)).await, (vec![eids[2], eids[1]], 3));
    assert_eq!(list(by("c-1")).await, (vec![eids[2], eids[0]], 2));
    assert_eq!(list(FeedbackFilter { touchpoint: Some(tp), ..filter(10) }).await, (vec![eids[0]], 1));
    assert_eq!(list(FeedbackFilter { survey: Some(survey.id), ..filter(10) }).await.1, 3, "no survey filter on events");
    let window = FeedbackFilter { from: Some(at("2026-03-04T10:00:00Z")), ..filter(10) };
    assert_eq!(list(window).await, (vec![eids[2], eids[1]], 2));
    // A customer at a touchpoint (on SQLite, the customer's events looked up
    // first), the survey still ignored.
    let at_tp = |customer: &str| FeedbackFilter { touchpoint: Some(tp), ..by(customer) };
    assert_eq!(list(at_tp("c-1")).await, (vec![eids[0]], 1));
    assert_eq!(list(at_tp("c-2")).await, (vec![], 0));
    assert_eq!(list(FeedbackFilter { survey: Some(survey.id), ..by("c-1") }).await, (vec![eids[2], eids[0]], 2));
    assert_eq!(s.list_events(other, &filter(10)).await.unwrap().total, 0);
    assert_eq!(s.list_events(other, &FeedbackFilter { touchpoint: Some(tp), ..filter(10) }).await.unwrap().total, 0);
}

/// One customer's responses and events, newest first.
pub async fn timeline(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "other").await.id;
    let (tp, survey) = setup(s, o, "tok-a").await;
    let r = s
        .ingest_responses(
            o,
            &[
                response(None, Some(survey.id), tp, Some("c-1"), at("2026-03-01T10:00:00Z")),
                response(None, Some(survey.id), tp, Some("c-2"), at("2026-03-02T10:00:00Z")),
                response(None, None, tp, Some("c-1"), at("2026-03-03T10:00:00Z")),
            ],
        )
        .await
        .unwrap();
    let e = s
        .ingest_events(
            o,
            &[
                event(None, "purchase", "c-1", "2026-03-02T10:00:00Z", Some(tp)),
                event(None, "contact", "c-1", "2026-03-03T10:00:00Z", None),
                event(None, "purchase", "c-2", "2026-03-04T10:00:00Z", None),
            ],
        )
        .await
        .unwrap();
    let ids = |items: Vec<TimelineItem>| -> Vec<(char, Id)> {
        items
            .into_iter()
            .map(|i| match i {
                TimelineItem::Response(r) => ('r', r.id),
                TimelineItem::Event(e) => ('e', e.id),
            })
            .collect()
    };
    let all = s.timeline(o, "c-1", 50).await.unwrap();
    assert!(all.windows(2).all(|w| w[0].at() >= w[1].at()));
    assert_eq!(ids(all), [('e', e[1].id()), ('r', r[2].id()), ('e', e[0].id()), ('r', r[0].id())]);
    assert_eq!(ids(s.timeline(o, "c-1", 2).await.unwrap()), [('e', e[1].id()), ('r', r[2].id())]);
    assert_eq!(ids(s.timeline(o, "c-2", 50).await.unwrap()), [('e', e[2].id()), ('r', r[1].id())]);
    not_found(s.timeline(o, "nobody", 50).await);
    not_found(s.timeline(other, "c-1", 50).await);
}

/// Receives notices until `want` have come or a second has passed.
/// Announcements (of the touchpoints a setup adds) are not ingestion's and
/// are skipped.
async fn receive(rx: &mut tokio::sync::broadcast::Receiver<Notice>, want: usize) -> Vec<Notice> {
    let mut got = Vec::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(1);
    while got.len() < want {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Ok(n)) if n.kind == NoticeKind::Announcement => {}
            Ok(Ok(n)) => got.push(n),
            Ok(Err(e)) => panic!("notices: {e}"),
            Err(_) => break,
        }
    }
    got
}

/// Each committed response and event is announced, within a second; what
/// is not stored is not.
pub async fn notices(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "other").await.id;
    let (tp, survey) = setup(s, o, "tok-a").await;
    let mut rx = s.subscribe();
    let items: Vec<NewResponse> = (0..5)
        .map(|i| response(Some(&format!("k{i}")), Some(survey.id), tp, Some("c-1"), at("2026-03-01T10:00:00Z")))
        .collect();
    let out = s.ingest_responses(o, &items).await.unwrap();
    let ev = s.ingest_events(o, &[event(None, "purchase", "c-1", "2026-03-01T10:00:00Z", None)]).await.unwrap();
    let mut want: HashSet<Notice> =
        out.iter().map(|x| Notice { org: o, kind: NoticeKind::Response, id: x.id() }).collect();
    want.insert(Notice { org: o, kind: NoticeKind::Event, id: ev[0].id() });
    let got = receive(&mut rx, want.len()).await;
    assert_eq!(got.iter().copied().collect::<HashSet<Notice>>(), want);
    assert_eq!(got.len(), want.len(), "each once");

    // Duplicates and refused batches announce nothing; other organizations'
    // notices carry their id.
    s.ingest_responses(o, &items).await.unwrap();
    invalid(
        s.ingest_responses(o, &[response(None, None, tp + 999, None, at("2026-03-01T10:00:00Z"))]).await,
        "items[0].touchpoint_id",
    );
    let (otp, _) = setup(s, other, "tok-b").await;
    let theirs =
        s.ingest_responses(other, &[response(None, None, otp, None, at("2026-03-01T10:00:00Z"))]).await.unwrap();
    let got = receive(&mut rx, 1).await;
    assert_eq!(got, [Notice { org: other, kind: NoticeKind::Response, id: theirs[0].id() }]);
    assert!(receive(&mut rx, 1).await.is_empty());
}

/// 20,000 responses in one call, then the same again: all duplicates.
pub async fn bulk_ingestion(s: &dyn Store) {
    const N: usize = 20_000;
    let o = org(s, "acme").await.id;
    let (tp, survey) = setup(s, o, "tok-a").await;
    let t0 = at("2026-01-01T00:00:00Z");
    let items: Vec<NewResponse> = (0..N)
        .map(|i| {
            let mut r = response(
                Some(&format!("bulk-{i}")),
                Some(survey.id),
                tp,
                Some(&format!("cust-{}", i % 2_000)),
                t0 + Duration::seconds(i as i64 * 37),
            );
            r.answers = obj(json!({"nps": i % 11, "why": format!("reason {i}")}));
            r.comment = (i % 3 == 0).then(|| format!("comment {i}"));
            r
        })
        .collect();
    let mut rx = s.subscribe();
    let started = Instant::now();
    let out = s.ingest_responses(o, &items).await.unwrap();
    let first = started.elapsed();
    let ids = stored(&out);
    assert_eq!(ids.len(), N);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), N);
    for i in [0, 1, 999, 1_000, 7_777, N - 1] {
        let r = s.get_response(o, out[i].id()).await.unwrap();
        assert_eq!(r.key, items[i].key, "item {i} is on the row its answer names");
        assert_eq!((r.at, &r.answers, &r.comment), (items[i].at, &items[i].answers, &items[i].comment));
    }
    assert_eq!(s.list_customers(o).await.unwrap().len(), 2_000);
    assert_eq!(s.list_responses(o, &filter(1)).await.unwrap().total, N as i64);

    // More notices than a receiver holds: it is told how many it missed.
    let (mut heard, mut missed) = (0, 0);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(2);
    while heard + missed < N as u64 {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Ok(n)) if n.kind == NoticeKind::Response => heard += 1,
            // The setup's touchpoint was announced to its people.
            Ok(Ok(_)) => {}
            Ok(Err(RecvError::Lagged(n))) => missed += n,
            Ok(Err(e)) => panic!("notices: {e}"),
            Err(_) => break,
        }
    }
    // A lagging receiver's count of missed notices may include the setup's
    // touchpoint announcement (relayed late on PostgreSQL), never more: then
    // one response's notice is still to come.
    heard += receive(&mut rx, 1).await.len() as u64;
    assert!(
        (N as u64..=N as u64 + 1).contains(&(heard + missed)),
        "one notice per stored response: {heard} + {missed}"
    );

    let started = Instant::now();
    let again = s.ingest_responses(o, &items).await.unwrap();
    let second = started.elapsed();
    assert!(again.iter().zip(&out).all(|(a, b)| *a == Ingested::Duplicate(b.id())));
    assert_eq!(s.list_responses(o, &filter(1)).await.unwrap().total, N as i64, "the count is unchanged");
    let late = receive(&mut rx, 1).await;
    assert!(late.is_empty(), "none for duplicates: {late:?}");
    say(&format!(
        "{}: {N} responses ingested in {:.0?} ({:.0}/s); sent again (all duplicates) in {:.0?}",
        s.backend(),
        first,
        N as f64 / first.as_secs_f64(),
        second
    ));
}

/// Erasing a customer leaves no trace of them in any table, and keeps their
/// scores and behaviour in anonymous form.
pub async fn erase(s: &dyn Store, dump: Dump) {
    const EMAIL: &str = "Erin.Quill@Example.org";
    const EXTERNAL: &str = "cust-eq-5150";
    let o = org(s, "acme").await.id;
    let (tp, survey) = setup(s, o, "tok-a").await;
    s.upsert_customer(
        o,
        &CustomerUpsert {
            external_id: EXTERNAL.into(),
            email: Some(EMAIL.into()),
            name: Some("Erin Quill".into()),
            attributes: obj(json!({"plan": "pro", "contact": EMAIL, "phone": "+34 600 000 000"})),
        },
    )
    .await
    .unwrap();
    let mut said =
        response(Some(&format!("{EXTERNAL}-nps")), Some(survey.id), tp, Some(EXTERNAL), at("2026-03-01T10:00:00Z"));
    said.answers = obj(json!({"nps": 4, "why": format!("write to {EMAIL}"), "plan": "pro"}));
    said.comment = Some(format!("I am {EXTERNAL}, mail {EMAIL}"));
    let plain = response(None, None, tp, Some(EXTERNAL), at("2026-03-02T10:00:00Z"));
    let kept = response(Some("keep-1"), Some(survey.id), tp, Some("cust-other"), at("2026-03-02T10:00:00Z"));
    let r = s.ingest_responses(o, &[said, plain, kept]).await.unwrap();
    let mut bought = event(Some(&format!("{EXTERNAL}-order")), "purchase", EXTERNAL, "2026-03-03T10:00:00Z", Some(tp));
    bought.attributes = obj(json!({"email": EMAIL, "order": "o-1"}));
    let e = s
        .ingest_events(o, &[bought, event(None, "purchase", "cust-other", "2026-03-03T10:00:00Z", None)])
        .await
        .unwrap();

    let traces = |rows: Vec<(String, String)>| -> Vec<(String, String)> {
        let (email, external) = (EMAIL.to_lowercase(), EXTERNAL.to_lowercase());
        rows.into_iter()
            .filter(|(_, row)| {
                let row = row.to_lowercase();
                row.contains(&email) || row.contains(&external)
            })
            .collect()
    };
    let before: HashSet<String> = traces(dump().await).into_iter().map(|(table, _)| table).collect();
    for table in ["customers", "responses", "events"] {
        assert!(before.contains(table), "the scan sees {table}: {before:?}");
    }

    not_found(s.erase_customer(o, "nobody", "ana@example.com").await);
    let erased = s.erase_customer(o, EXTERNAL, "ana@example.com").await.unwrap();
    assert_eq!((erased.responses, erased.events), (2, 1));
    let left = traces(dump().await);
    assert!(left.is_empty(), "personal data left after erasing: {left:?}");

    // Scores, choices, times and behaviour stay, unlinked.
    let a = s.get_response(o, r[0].id()).await.unwrap();
    assert_eq!((a.customer, a.key, a.comment), (None, None, None));
    assert_eq!(a.answers, obj(json!({"nps": 4, "plan": "pro"})));
    assert_eq!((a.survey_id, a.touchpoint_id, a.at), (Some(survey.id), tp, at("2026-03-01T10:00:00Z")));
    let b = s.get_event(o, e[0].id()).await.unwrap();
    assert_eq!((b.customer, b.key, b.attributes), (None, None, Map::new()));
    assert_eq!((b.kind.as_str(), b.amount, b.touchpoint_id), ("purchase", Some(12.5), Some(tp)));
    assert_eq!(s.list_responses(o, &filter(10)).await.unwrap().total, 3);
    assert_eq!(s.list_events(o, &filter(10)).await.unwrap().total, 2);
    not_found(s.get_customer(o, EXTERNAL).await);
    not_found(s.timeline(o, EXTERNAL, 10).await);
    // Others keep everything.
    let other = s.get_response(o, r[2].id()).await.unwrap();
    assert_eq!((other.customer.as_deref(), other.key.as_deref()), (Some("cust-other"), Some("keep-1")));
    assert_eq!(s.timeline(o, "cust-other", 10).await.unwrap().len(), 2);

    let audit = s.list_audit(o, 1).await.unwrap();
    assert_eq!((audit[0].action.as_str(), audit[0].actor.as_str()), ("customer.erase", "ana@example.com"));
    assert_eq!(audit[0].subject, format!("customer:{}", erased.customer_id));
    not_found(s.erase_customer(o, EXTERNAL, "ana@example.com").await);
}

// ---- Keyset paging --------------------------------------------------------

type Read<'a, K, T> = Box<dyn FnMut(Option<K>, i64) -> futures_like::Boxed<'a, Vec<T>> + Send + 'a>;

mod futures_like {
    pub type Boxed<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
}

/// Reads a whole list `page` items at a time, each page after the key of
/// the last item of the one before, and checks it against reading it at
/// once: the same items in the same order, none twice, none missing.
async fn walk<'a, T, K>(whole: Vec<T>, page: i64, key: impl Fn(&T) -> K, mut read: Read<'a, K, T>) -> usize
where
    T: PartialEq + std::fmt::Debug,
{
    let mut seen: Vec<T> = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let got = read(after.take(), page).await;
        assert!(got.len() as i64 <= page, "a page holds at most the limit");
        pages += 1;
        let full = got.len() as i64 == page;
        after = got.last().map(&key);
        seen.extend(got);
        if !full {
            break;
        }
        assert!(pages < 1000, "the walk does not end");
    }
    assert_eq!(seen.len(), whole.len(), "no gaps, no duplicates");
    assert_eq!(seen, whole, "the pages read as the whole list, in its order");
    pages
}

/// Keyset paging of every list that grows with the business, on data with
/// ties in the sort keys (the same instant many times), and the kept counts
/// behind their totals.
pub async fn list_paging(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "other").await.id;
    let (tp, survey) = setup(s, o, "tok-a").await;
    let (otp, _) = setup(s, other, "tok-b").await;

    // 120 responses over 7 instants (ties), 3 customers, 2 in another org.
    let base = at("2026-03-01T10:00:00.000001Z");
    let items: Vec<NewResponse> = (0..120)
        .map(|i| {
            let when = base + Duration::milliseconds((i * 37 % 7) as i64 * 250);
            let who = format!("c-{}", i % 3);
            response(Some(&format!("k{i}")), Some(survey.id), tp, Some(&who), when)
        })
        .collect();
    s.ingest_responses(o, &items[..70]).await.unwrap();
    s.ingest_responses(o, &items[70..]).await.unwrap();
    s.ingest_responses(o, &items[..10]).await.unwrap();
    s.ingest_responses(other, &[response(None, None, otp, Some("c-1"), base), response(None, None, otp, None, base)])
        .await
        .unwrap();
    let all = |f: FeedbackFilter| async move { s.list_responses(o, &f).await.unwrap() };
    let whole = all(FeedbackFilter { limit: 1000, ..Default::default() }).await;
    assert_eq!((whole.items.len(), whole.total, whole.total_is_estimate), (120, 120, false), "duplicates uncounted");
    assert!(whole.items.windows(2).all(|w| TimeKey::of_response(&w[0]) > TimeKey::of_response(&w[1])));
    let read: Read<'_, TimeKey, _> = Box::new(move |after, limit| {
        Box::pin(async move {
            let f = FeedbackFilter { after, limit, ..Default::default() };
            let page = s.list_responses(o, &f).await.unwrap();
            assert_eq!(page.total, 120, "the total ignores where the page starts");
            page.items
        })
    });
    assert_eq!(walk(whole.items.clone(), 50, TimeKey::of_response, read).await, 3, "50 + 50 + 20");
    let read: Read<'_, TimeKey, _> = Box::new(move |after, limit| {
        Box::pin(async move { all(FeedbackFilter { after, limit, ..Default::default() }).await.items })
    });
    walk(whole.items.clone(), 7, TimeKey::of_response, read).await;
    // Filtered: by customer, with the count stopping where asked.
    let theirs = |after, limit| FeedbackFilter { customer: Some("c-1".into()), after, limit, ..Default::default() };
    let c1 = all(theirs(None, 1000)).await;
    assert_eq!((c1.items.len(), c1.total), (40, 40));
    let capped = all(FeedbackFilter { count_at_most: Some(25), ..theirs(None, 5) }).await;
    assert_eq!((capped.items.len(), capped.total, capped.total_is_estimate), (5, 25, true));
    let exact = all(FeedbackFilter { count_at_most: Some(40), ..theirs(None, 5) }).await;
    assert_eq!((exact.total, exact.total_is_estimate), (40, false));
    let read: Read<'_, TimeKey, _> =
        Box::new(move |after, limit| Box::pin(async move { all(theirs(after, limit)).await.items }));
    walk(c1.items, 15, TimeKey::of_response, read).await;
    assert_eq!(s.list_responses(other, &filter(10)).await.unwrap().total, 2, "counted per organization");

    // Events: the same, with ties.
    let events: Vec<EventInput> = (0..30)
        .map(|i| {
            let when = (base + Duration::seconds(i % 4)).to_rfc3339();
            event(Some(&format!("e{i}")), "purchase", &format!("c-{}", i % 3), &when, None)
        })
        .collect();
    s.ingest_events(o, &events).await.unwrap();
    s.ingest_events(o, &events[..3]).await.unwrap();
    let whole = s.list_events(o, &filter(1000)).await.unwrap();
    assert_eq!((whole.items.len(), whole.total), (30, 30));
    let read: Read<'_, TimeKey, _> = Box::new(move |after, limit| {
        Box::pin(async move { s.list_events(o, &FeedbackFilter { after, ..filter(limit) }).await.unwrap().items })
    });
    walk(whole.items, 4, TimeKey::of_event, read).await;

    // The timeline: responses and events of the same instants interleave.
    let whole = s.timeline(o, "c-1", 1000).await.unwrap();
    assert_eq!(whole.len(), 50);
    assert!(whole.windows(2).all(|w| w[0].key() > w[1].key()), "newest first, events before responses");
    let read: Read<'_, TimelineKey, _> =
        Box::new(move |after, limit| Box::pin(async move { s.timeline_page(o, "c-1", after, limit).await.unwrap() }));
    walk(whole, 6, TimelineItem::key, read).await;

    // Customers: three created bare by ingestion, then 120 upserted (three of
    // them the same), in pages by external id, forwards and backwards.
    assert_eq!(s.customer_count(o).await.unwrap(), 3);
    let upsert = |id: String| CustomerUpsert {
        external_id: id.clone(),
        email: Some(format!("{id}@example.com")),
        name: Some(format!("Name {id}")),
        attributes: Map::new(),
    };
    let batch: Vec<CustomerUpsert> = (0..117).map(|i| upsert(format!("c-{:03}", i * 7 % 117))).collect();
    s.upsert_customers(o, &batch).await.unwrap();
    s.upsert_customers(o, &batch[..10]).await.unwrap();
    s.upsert_customer(o, &upsert("c-1".into())).await.unwrap();
    s.upsert_customer(o, &upsert("Z-last".into())).await.unwrap();
    assert_eq!(s.customer_count(o).await.unwrap(), 121, "updates are not counted twice");
    let whole = s.page_customers(o, &CustomerList::default()).await.unwrap();
    assert_eq!(whole.len(), 121);
    assert!(whole.windows(2).all(|w| w[0].external_id.as_bytes() < w[1].external_id.as_bytes()), "byte order");
    assert_eq!(whole, s.list_customers(o).await.unwrap());
    let read: Read<'_, String, _> = Box::new(move |after, limit| {
        Box::pin(
            async move { s.page_customers(o, &CustomerList { after, limit, ..Default::default() }).await.unwrap() },
        )
    });
    walk(whole.clone(), 50, |c| c.external_id.clone(), read).await;
    let before = |id: &str, limit| CustomerList { before: Some(id.into()), limit, ..Default::default() };
    let previous = s.page_customers(o, &before(&whole[60].external_id, 50)).await.unwrap();
    assert_eq!(previous, whole[10..60].to_vec(), "the previous page: the nearest before, in order");
    assert_eq!(s.page_customers(o, &before(&whole[3].external_id, 50)).await.unwrap(), whole[..3].to_vec());
    let search = |after, limit| CustomerList { text: Some(" NAME C-0 ".into()), after, limit, ..Default::default() };
    let found = s.page_customers(o, &search(None, 0)).await.unwrap();
    assert_eq!(found.len(), 100, "c-000 to c-099 by name");
    let read: Read<'_, String, _> = Box::new(move |after, limit| {
        Box::pin(async move { s.page_customers(o, &search(after, limit)).await.unwrap() })
    });
    walk(found, 30, |c| c.external_id.clone(), read).await;
    s.erase_customer(o, "c-050", "user:1").await.unwrap();
    assert_eq!(s.customer_count(o).await.unwrap(), 120, "erasure takes one away");
    assert_eq!(s.customer_count(other).await.unwrap(), 1);

    // Cases: the queue order has ties (cases opened at the same time).
    let opened = at("2026-03-02T09:00:00Z");
    let mut case_ids = Vec::new();
    for i in 0..12 {
        let draft = rapport_core::case::CaseDraft {
            customer: Some(format!("c-{:03}", i)),
            touchpoint_id: Some(tp),
            title: Some(format!("Case {i}")),
            ..Default::default()
        };
        let now = opened + Duration::hours(i % 3);
        case_ids.push(s.open_case(o, &draft.validate().unwrap(), "user:1", now).await.unwrap().id);
    }
    let whole = s.list_cases(o, &CaseFilter::default()).await.unwrap();
    assert_eq!(whole.len(), 12);
    assert!(whole.windows(2).all(|w| CaseKey::of(&w[0]) < CaseKey::of(&w[1])), "the queue order is the key's");
    let read: Read<'_, CaseKey, _> = Box::new(move |after, limit| {
        Box::pin(async move { s.list_cases(o, &CaseFilter { after, limit, ..Default::default() }).await.unwrap() })
    });
    walk(whole, 5, CaseKey::of, read).await;

    // Ideas, newest first.
    let author = add_person(s, o, "Ana").await;
    for i in 0..9 {
        let idea = rapport_core::improve::IdeaDraft {
            title: Some(format!("Idea {i}")),
            body: None,
            touchpoint_id: Some(tp),
            experience_id: None,
        };
        s.create_idea(o, author, &idea.validate(rapport_core::improve::IdeaSource::Web).unwrap()).await.unwrap();
    }
    let whole = s.list_ideas(o, &IdeaFilter::default()).await.unwrap();
    assert_eq!(whole.len(), 9);
    let read: Read<'_, TimeKey, _> = Box::new(move |after, limit| {
        Box::pin(async move { s.list_ideas(o, &IdeaFilter { after, limit, ..Default::default() }).await.unwrap() })
    });
    walk(whole, 4, |i| TimeKey { at: i.created_at, id: i.id }, read).await;

    // Deliveries and announcements, newest first by id.
    for i in 0..11 {
        s.enqueue_event(o, "list.test", &json!({"email_to": [format!("p{i}@example.com")]})).await.unwrap();
    }
    s.fan_out(Utc::now(), 100).await.unwrap();
    let whole = s.list_deliveries(o, None, 1000).await.unwrap();
    assert_eq!(whole.len(), 11);
    let read: Read<'_, Id, _> =
        Box::new(move |after, limit| Box::pin(async move { s.page_deliveries(o, None, after, limit).await.unwrap() }));
    walk(whole, 4, |d| d.id, read).await;
    let exp = super::add_experience(s, o, "First purchase", Some(author)).await;
    let stage = add_stage(s, o, "More", None).await;
    for i in 0..7 {
        let more = add_touchpoint(s, o, &format!("Step {i}"), stage, Some(author)).await;
        s.add_interaction(o, exp, more, None).await.unwrap();
    }
    let whole = s.list_announcements(o, None).await.unwrap();
    assert!(whole.len() >= 7, "{}", whole.len());
    assert!(whole.iter().any(|a| !a.recipients.is_empty()));
    for a in &whole {
        assert_eq!(a, &s.get_announcement(o, a.id).await.unwrap(), "recipients read with the page");
    }
    let read: Read<'_, Id, _> = Box::new(move |after, limit| {
        Box::pin(async move { s.page_announcements(o, None, after, limit).await.unwrap() })
    });
    walk(whole.clone(), 3, |a| a.id, read).await;
    let mine = s.page_announcements(o, Some(author), Some(whole[1].id), 2).await.unwrap();
    assert_eq!(mine, whole[2..4].to_vec(), "a person's feed pages too");
}
