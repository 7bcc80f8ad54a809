//! Stories of the CX council (A8), on both backends: members across
//! departments and the one missing; a meeting created with its drafted
//! agenda, edited and reordered; minutes; decisions linked to an idea, a
//! sprint and an intent version (another organization's refused, naming
//! the field); action items per owner (open ones only) and ticked done;
//! another organization sees none of it.

use super::{add_stage, conflict, intent, invalid, not_found, org, touchpoint};
use crate::say;
use chrono::{NaiveDate, TimeZone, Utc};
use rapport_core::improve::{IdeaDraft, IdeaSource, SprintDraft};
use rapport_core::person::PersonInput;
use rapport_core::plan::council::agenda::{CouncilAgendaKind, DraftItem};
use rapport_core::plan::council::{
    coverage, CouncilActionInput, CouncilAgendaItemInput, CouncilDecisionInput, CouncilMeetingInput,
    CouncilMeetingStatus, CouncilMemberInput, CouncilRole,
};
use rapport_core::Id;
use rapport_store::council::ActionFilter;
use rapport_store::Store;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn person(s: &dyn Store, org: Id, name: &str, department: &str) -> Id {
    let p = PersonInput {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        department: Some(department.into()),
        role: None,
        joined_on: d(2024, 1, 1),
    };
    s.create_person(org, &p).await.unwrap().id
}

fn meeting(title: &str) -> CouncilMeetingInput {
    CouncilMeetingInput {
        title: title.into(),
        starts_at: Utc.with_ymd_and_hms(2026, 12, 10, 9, 0, 0).unwrap(),
        duration_minutes: 90,
        location: Some("Roastery, room 2".into()),
        status: CouncilMeetingStatus::Planned,
    }
}

fn custom(title: &str, position: Option<i64>) -> CouncilAgendaItemInput {
    CouncilAgendaItemInput { kind: CouncilAgendaKind::Custom, title: title.into(), link: None, position }
}

fn act(text: &str, owner: Id, due: NaiveDate) -> CouncilActionInput {
    CouncilActionInput { text: text.into(), owner_id: owner, due_on: due, done: false }
}

fn decision(text: &str) -> CouncilDecisionInput {
    CouncilDecisionInput { text: text.into(), idea_id: None, sprint_id: None, intent_version_id: None }
}

pub async fn council_story(s: &dyn Store) {
    let o = org(s, "council").await.id;
    let other = org(s, "council-other").await.id;
    let ana = person(s, o, "Ana", "Operations").await;
    let ben = person(s, o, "Ben", "Marketing").await;
    let cy = person(s, o, "Cy", "Customer service").await;
    let _fin = person(s, o, "Fay", "Finance").await;
    let stranger = person(s, other, "Zed", "Operations").await;

    say("members from three departments; Finance has none");
    let chair =
        s.add_council_member(o, &CouncilMemberInput { person_id: ana, role: CouncilRole::Chair }).await.unwrap();
    s.add_council_member(o, &CouncilMemberInput { person_id: ben, role: CouncilRole::Member }).await.unwrap();
    let sec = s.add_council_member(o, &CouncilMemberInput { person_id: cy, role: CouncilRole::Member }).await.unwrap();
    s.set_council_role(o, sec.id, CouncilRole::Secretary).await.unwrap();
    conflict(
        s.add_council_member(o, &CouncilMemberInput { person_id: ana, role: CouncilRole::Member }).await,
        "person_id",
    );
    invalid(
        s.add_council_member(o, &CouncilMemberInput { person_id: stranger, role: CouncilRole::Member }).await,
        "person_id",
    );
    let members = s.list_council_members(o).await.unwrap();
    let roles: Vec<(Id, CouncilRole)> = members.iter().map(|m| (m.person_id, m.role)).collect();
    assert_eq!(roles, vec![(ana, CouncilRole::Chair), (ben, CouncilRole::Member), (cy, CouncilRole::Secretary)]);
    let c = coverage(&s.list_people(o).await.unwrap(), &members);
    assert_eq!((c.missing.clone(), c.covered_count, c.total), (vec!["Finance".to_string()], 3, 4));
    assert!(s.list_council_members(other).await.unwrap().is_empty());
    not_found(s.set_council_role(other, chair.id, CouncilRole::Member).await);

    say("a meeting with its drafted agenda, then edited: added, moved, removed");
    let drafted = vec![
        DraftItem {
            kind: CouncilAgendaKind::CriterionMissed,
            title: "NPS at least 30".into(),
            link: Some("/intent".into()),
        },
        DraftItem {
            kind: CouncilAgendaKind::IdeaAwaitingReview,
            title: "Oat milk".into(),
            link: Some("/ideas/1".into()),
        },
    ];
    let m = s.create_council_meeting(o, &meeting("December council"), &drafted).await.unwrap();
    assert_eq!((m.title.as_str(), m.duration_minutes, m.minutes.as_str()), ("December council", 90, ""));
    let agenda = s.council_agenda(o, m.id).await.unwrap();
    let got: Vec<(i64, CouncilAgendaKind, &str)> =
        agenda.iter().map(|i| (i.position, i.kind, i.title.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (0, CouncilAgendaKind::CriterionMissed, "NPS at least 30"),
            (1, CouncilAgendaKind::IdeaAwaitingReview, "Oat milk")
        ]
    );
    let first = s.add_council_agenda_item(o, m.id, &custom("Welcome", Some(0))).await.unwrap();
    s.add_council_agenda_item(o, m.id, &custom("Any other business", None)).await.unwrap();
    let moved = s.update_council_agenda_item(o, agenda[1].id, &custom("Oat milk trial", Some(1))).await.unwrap();
    assert_eq!(moved.kind, CouncilAgendaKind::IdeaAwaitingReview, "editing keeps the kind");
    s.delete_council_agenda_item(o, first.id).await.unwrap();
    let titles: Vec<(i64, String)> =
        s.council_agenda(o, m.id).await.unwrap().into_iter().map(|i| (i.position, i.title)).collect();
    assert_eq!(
        titles,
        vec![(0, "Oat milk trial".into()), (1, "NPS at least 30".into()), (2, "Any other business".into())]
    );
    not_found(s.council_agenda(other, m.id).await);
    not_found(s.delete_council_agenda_item(other, moved.id).await);

    say("minutes, and the meeting held");
    s.set_council_minutes(o, m.id, "# Minutes\n\nWe agreed.").await.unwrap();
    let mut held = meeting("December council");
    held.status = CouncilMeetingStatus::Held;
    let m2 = s.update_council_meeting(o, m.id, &held).await.unwrap();
    assert_eq!((m2.status, m2.minutes.as_str()), (CouncilMeetingStatus::Held, "# Minutes\n\nWe agreed."));
    not_found(s.get_council_meeting(other, m.id).await);

    say("decisions linked to an idea, a sprint and an intent version; a foreign one refused");
    let stage = add_stage(s, o, "Buy", None).await;
    let tp = s.create_touchpoint(o, &touchpoint("Counter", stage, Some(ana))).await.unwrap().id;
    let draft = IdeaDraft { title: Some("Oat milk".into()), body: None, touchpoint_id: Some(tp), experience_id: None };
    let idea = s.create_idea(o, ben, &draft.validate(IdeaSource::Web).unwrap()).await.unwrap();
    let sd = SprintDraft {
        touchpoint_id: Some(tp),
        name: Some("Faster counter".into()),
        start: Some(d(2026, 11, 2)),
        leader_id: Some(ana),
        ..Default::default()
    };
    let sprint = s.create_sprint(o, &sd).await.unwrap();
    let version = s.create_intent_version(o, &intent("Warm and quick", vec![]), None, None).await.unwrap();
    let other_stage = add_stage(s, other, "Buy", None).await;
    let other_tp = s.create_touchpoint(other, &touchpoint("Their counter", other_stage, None)).await.unwrap().id;
    let their_draft =
        IdeaDraft { title: Some("Theirs".into()), body: None, touchpoint_id: Some(other_tp), experience_id: None };
    let their_idea = s.create_idea(other, stranger, &their_draft.validate(IdeaSource::Web).unwrap()).await.unwrap();
    let their_version = s.create_intent_version(other, &intent("Theirs", vec![]), None, None).await.unwrap();

    let d1 = s
        .add_council_decision(o, m.id, &CouncilDecisionInput { idea_id: Some(idea.id), ..decision("Trial oat milk") })
        .await
        .unwrap();
    assert_eq!(d1.idea_id, Some(idea.id));
    let d2 = CouncilDecisionInput { sprint_id: Some(sprint.id), intent_version_id: Some(version.id), ..decision("Go") };
    s.add_council_decision(o, m.id, &d2).await.unwrap();
    invalid(
        s.add_council_decision(o, m.id, &CouncilDecisionInput { idea_id: Some(their_idea.id), ..decision("No") }).await,
        "idea_id",
    );
    invalid(
        s.add_council_decision(
            o,
            m.id,
            &CouncilDecisionInput { intent_version_id: Some(their_version.id), ..decision("No") },
        )
        .await,
        "intent_version_id",
    );
    invalid(
        s.add_council_decision(
            o,
            m.id,
            &CouncilDecisionInput { sprint_id: Some(i64::from(i32::MAX)), ..decision("No") },
        )
        .await,
        "sprint_id",
    );
    let decisions = s.council_decisions(o, m.id).await.unwrap();
    let linked: Vec<(Option<Id>, Option<Id>, Option<Id>)> =
        decisions.iter().map(|d| (d.idea_id, d.sprint_id, d.intent_version_id)).collect();
    assert_eq!(linked, vec![(Some(idea.id), None, None), (None, Some(sprint.id), Some(version.id))]);
    not_found(s.add_council_decision(other, m.id, &decision("Sneaky")).await);

    say("action items per owner: open ones only, soonest due first; ticked done");
    let a1 = s.add_council_action(o, m.id, &act("Price the oat milk", ben, d(2026, 12, 20))).await.unwrap();
    let a2 = s.add_council_action(o, m.id, &act("Brief the baristas", ben, d(2026, 12, 15))).await.unwrap();
    let a3 = s.add_council_action(o, m.id, &act("Write the FAQ", cy, d(2026, 12, 18))).await.unwrap();
    invalid(s.add_council_action(o, m.id, &act("Elsewhere", stranger, d(2026, 12, 18))).await, "owner_id");
    let open_of = |owner: Id| ActionFilter { owner: Some(owner), open_only: true, ..ActionFilter::default() };
    let bens: Vec<Id> = s.list_council_actions(o, &open_of(ben)).await.unwrap().iter().map(|a| a.id).collect();
    assert_eq!(bens, vec![a2.id, a1.id]);
    let ticked = s.set_council_action_done(o, a2.id, true).await.unwrap();
    assert!(ticked.done && ticked.done_at.is_some());
    let bens: Vec<Id> = s.list_council_actions(o, &open_of(ben)).await.unwrap().iter().map(|a| a.id).collect();
    assert_eq!(bens, vec![a1.id]);
    let all = ActionFilter { meeting: Some(m.id), ..ActionFilter::default() };
    let every: Vec<(Id, bool)> =
        s.list_council_actions(o, &all).await.unwrap().iter().map(|a| (a.id, a.done)).collect();
    assert_eq!(every, vec![(a3.id, false), (a1.id, false), (a2.id, true)], "open first, then done");
    let untick = s.set_council_action_done(o, a2.id, false).await.unwrap();
    assert!(!untick.done && untick.done_at.is_none());
    let mut edit = act("Write the barista FAQ", ana, d(2026, 12, 19));
    edit.done = true;
    let edited = s.update_council_action(o, a3.id, &edit).await.unwrap();
    assert_eq!((edited.owner_id, edited.done, edited.text.as_str()), (ana, true, "Write the barista FAQ"));
    not_found(s.set_council_action_done(other, a1.id, true).await);
    assert!(s.list_council_actions(other, &ActionFilter::default()).await.unwrap().is_empty());

    say("deleting the meeting takes its agenda, decisions and actions");
    let m3 = s.create_council_meeting(o, &meeting("January"), &[]).await.unwrap();
    s.add_council_action(o, m3.id, &act("Book the room", ana, d(2027, 1, 5))).await.unwrap();
    s.delete_council_meeting(o, m3.id).await.unwrap();
    assert_eq!(s.list_council_meetings(o, 0).await.unwrap().len(), 1);
    assert_eq!(s.list_council_actions(o, &ActionFilter::default()).await.unwrap().len(), 3);
    not_found(s.delete_council_meeting(other, m.id).await);
    s.remove_council_member(o, chair.id).await.unwrap();
    not_found(s.remove_council_member(o, chair.id).await);
}
