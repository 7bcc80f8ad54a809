//! Audit lines are written by the write they record, in its transaction: a
//! committed change leaves exactly its line, a failed one leaves neither the
//! change nor a line, and a line that cannot be written undoes the change.

use super::listening::survey_input;
use super::{add_person, add_segment, add_stage, add_touchpoint, conflict, criterion, intent, invalid, not_found, org};
use rapport_core::intent::Scope;
use rapport_core::survey::SurveyStatus;
use rapport_core::webhook::{WebhookFormat, WebhookInput};
use rapport_core::Id;
use rapport_store::{Audit, Store};

const ANA: &str = "ana@example.com";

fn hook(name: &str) -> WebhookInput {
    WebhookInput {
        name: name.into(),
        url: format!("http://127.0.0.1:9/{name}"),
        format: WebhookFormat::Json,
        events: vec!["*".into()],
        active: true,
    }
}

/// The organization's audit trail, oldest first, as (actor, action, subject).
async fn trail(s: &dyn Store, org: Id) -> Vec<(String, String, String)> {
    let mut lines = s.list_audit(org, 1000).await.unwrap();
    lines.reverse();
    lines.into_iter().map(|a| (a.actor, a.action, a.subject)).collect()
}

fn line(actor: &str, action: &str, subject: &str) -> (String, String, String) {
    (actor.to_string(), action.to_string(), subject.to_string())
}

pub async fn audited_writes(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "other").await.id;
    let ana = add_person(s, o, "Ana").await;
    let ben = add_person(s, o, "Ben").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let tp = add_touchpoint(s, o, "Checkout", stage, Some(ana)).await;
    let pro = add_segment(s, o, "Pro").await;
    let mut expected = Vec::new();

    // A committed write leaves exactly its line, named in advance or after
    // the id the write created.
    s.delete_segment(o, pro, &Audit::new(ANA, "segment.delete", format!("segment:{pro}"))).await.unwrap();
    not_found(s.get_segment(o, pro).await);
    expected.push(line(ANA, "segment.delete", &format!("segment:{pro}")));
    assert_eq!(trail(s, o).await, expected);

    let hook_line = Audit::created(ANA, "webhook.create", "webhook:");
    let created = s.create_webhook(o, &hook("ops"), "k", &hook_line).await.unwrap();
    expected.push(line(ANA, "webhook.create", &format!("webhook:{}", created.id)));
    let survey_line = Audit::created(ANA, "survey.create", "survey:");
    let survey = s.create_survey_audited(o, &survey_input(tp, "Exit"), "tok-1", &survey_line).await.unwrap();
    expected.push(line(ANA, "survey.create", &format!("survey:{}", survey.id)));
    let version = intent("Known at every step", vec![criterion(Scope::Organization)]);
    let version_line = Audit::created(ANA, "intent.version", "intent:v");
    let v = s.create_intent_version(o, &version, Some(ANA), Some(&version_line)).await.unwrap();
    assert_eq!(v.version, 1);
    expected.push(line(ANA, "intent.version", "intent:v1"));
    let moved = s.handover(o, ana, ben, Some(&Audit::new(ANA, "person.handover", "person:a->person:b"))).await.unwrap();
    assert_eq!(moved.touchpoints, 1);
    expected.push(line(ANA, "person.handover", "person:a->person:b"));
    assert_eq!(trail(s, o).await, expected, "one line per write, in order");
    assert!(trail(s, other).await.is_empty(), "each line in its own organization");

    // A write without a line (the demo seed, imports) leaves none.
    s.set_mission(o, Some("Gear that gets people outside."), None).await.unwrap();
    assert_eq!(trail(s, o).await, expected);

    // A write that fails inside its transaction leaves neither the change
    // nor a line: a stage still holding a touchpoint, a person still owning
    // one, a handover to someone who left, another organization's row.
    conflict(s.delete_stage(o, stage, &Audit::new(ANA, "stage.delete", format!("stage:{stage}"))).await, "id");
    assert_eq!(s.list_stages(o).await.unwrap().len(), 1);
    conflict(s.delete_person(o, ben, &Audit::new(ANA, "person.delete", format!("person:{ben}"))).await, "id");
    s.get_person(o, ben).await.unwrap();
    s.deactivate_person(o, ana, super::day(3), None).await.unwrap();
    let back = Audit::new(ANA, "person.handover", "person:b->person:a");
    invalid(s.handover(o, ben, ana, Some(&back)).await, "to");
    assert_eq!(s.get_touchpoint(o, tp).await.unwrap().owner_id, Some(ben));
    not_found(s.delete_touchpoint(other, tp, &Audit::new(ANA, "touchpoint.delete", format!("touchpoint:{tp}"))).await);
    s.get_touchpoint(o, tp).await.unwrap();
    assert_eq!(trail(s, o).await, expected, "no line for a failed write");
    assert!(trail(s, other).await.is_empty());

    // A line that cannot be written undoes the change it records: the
    // change and its line commit together or not at all.
    let nobody = Audit::new("", "survey.published", format!("survey:{}", survey.id));
    let vip = add_segment(s, o, "VIP").await;
    invalid(s.delete_segment(o, vip, &Audit::new("", "segment.delete", format!("segment:{vip}"))).await, "audit");
    s.get_segment(o, vip).await.unwrap();
    invalid(s.delete_survey(o, survey.id, &Audit::new(ANA, "", "survey")).await, "audit");
    s.get_survey(o, survey.id).await.unwrap();
    invalid(s.delete_webhook(o, created.id, &Audit::new(" ", "webhook.delete", "webhook")).await, "audit");
    s.get_webhook(o, created.id).await.unwrap();
    invalid(s.create_webhook(o, &hook("late"), "k2", &Audit::created("", "webhook.create", "webhook:")).await, "audit");
    assert_eq!(s.list_webhooks(o).await.unwrap().len(), 1, "no webhook without its line");
    invalid(s.set_survey_status_audited(o, survey.id, SurveyStatus::Published, &nobody).await, "audit");
    assert_eq!(s.get_survey(o, survey.id).await.unwrap().status, survey.status);
    let before = s.work_calendar(o).await.unwrap();
    let mut madrid = before.clone();
    madrid.time_zone = "Europe/Madrid".into();
    invalid(s.set_work_calendar(o, &madrid, Some(&Audit::new("", "calendar.update", "calendar"))).await, "audit");
    assert_eq!(s.work_calendar(o).await.unwrap(), before, "the calendar is unchanged");
    assert_eq!(trail(s, o).await, expected, "no line either");
    s.set_work_calendar(o, &madrid, Some(&Audit::new(ANA, "calendar.update", "calendar"))).await.unwrap();
    expected.push(line(ANA, "calendar.update", "calendar"));
    assert_eq!(trail(s, o).await, expected, "the calendar and its line together");

    // The standalone line (what changes nothing else) obeys the same rule.
    invalid(s.record_audit(o, &Audit::new("", "demo.seed", "organization:demo")).await, "audit");
    s.record_audit(o, &Audit::new("demo", "demo.seed", "organization:demo")).await.unwrap();
    expected.push(line("demo", "demo.seed", "organization:demo"));
    assert_eq!(trail(s, o).await, expected);
}
