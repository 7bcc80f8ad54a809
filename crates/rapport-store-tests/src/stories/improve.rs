//! Improvement-loop stories: an idea by e-mail is voted, reviewed and
//! approved, taken up by a 20-workday sprint whose proposal the leader
//! approves, the change is announced to the people who deliver the
//! touchpoint and acknowledged, and the sprint's before/after is stored.

use super::listening::{obj, response, survey_input};
use super::{add_person, add_stage, by, conflict, invalid, not_found, org, touchpoint};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rapport_core::calendar::{Holiday, WorkCalendar};
use rapport_core::case::resolved::{Step, StepDraft};
use rapport_core::case::root_cause::RootCauseInput;
use rapport_core::case::routing::RoutingRuleDraft;
use rapport_core::case::CaseDraft;
use rapport_core::customer::CustomerUpsert;
use rapport_core::improve::comms::CommsDraft;
use rapport_core::improve::sprint::{ProposalDraft, SprintUpdateDraft};
use rapport_core::improve::{AnnouncementKind, IdeaDraft, IdeaSource, IdeaStatus, InboundMail, SprintDraft};
use rapport_core::measure::Scale;
use rapport_core::person::PersonInput;
use rapport_core::webhook::WebhookDraft;
use rapport_core::Id;
use rapport_store::{IdeaFilter, Notice, NoticeKind, Store};
use serde_json::{json, Map};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
}

async fn person_in(s: &dyn Store, org: Id, name: &str, department: &str) -> Id {
    let p = PersonInput {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        department: Some(department.into()),
        role: None,
        joined_on: d(2024, 1, 1),
    };
    s.create_person(org, &p).await.unwrap().id
}

fn idea(title: &str, tp: Option<Id>) -> rapport_core::improve::IdeaInput {
    IdeaDraft { title: Some(title.into()), body: None, touchpoint_id: tp, experience_id: None }
        .validate(IdeaSource::Web)
        .unwrap()
}

/// The acceptance story of issue #6.
pub async fn improvement_loop(s: &dyn Store) {
    let o = org(s, "improve").await.id;
    let other = org(s, "improve-other").await.id;
    let owner = person_in(s, o, "Olga", "Service").await;
    let colleague = person_in(s, o, "Sam", "Service").await;
    let agent = person_in(s, o, "Rafa", "Field").await;
    let outsider = person_in(s, o, "Nina", "Sales").await;
    let author = person_in(s, o, "Ana", "Sales").await;
    let leader = person_in(s, o, "Leo", "Sales").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let mut input = touchpoint("Checkout", stage, Some(owner));
    input.department = Some("Service".into());
    let tp = s.create_touchpoint(o, &input).await.unwrap().id;
    let routed: RoutingRuleDraft =
        serde_json::from_value(json!({"name": "Checkout", "touchpoint_id": tp, "assignee_id": agent})).unwrap();
    s.create_routing_rule(o, &routed.validate().unwrap()).await.unwrap();
    // A holiday inside the sprint: Monday 17 March 2025.
    let cal = WorkCalendar {
        holidays: vec![Holiday { day: d(2025, 3, 17), name: "Holiday".into() }],
        ..WorkCalendar::default()
    };
    s.set_work_calendar(o, &cal, None).await.unwrap();

    // Scored responses before (February, detractors) and during the sprint (promoters).
    let survey = s.create_survey(o, &survey_input(tp, "After checkout"), "improve-survey").await.unwrap();
    let mut batch = Vec::new();
    for i in 0..40u32 {
        let mut before = response(Some(&format!("b{i}")), Some(survey.id), tp, None, at(d(2025, 2, 3 + i % 20)));
        before.answers = obj(json!({"nps": if i % 4 == 0 { 9 } else { 4 }}));
        let mut after = response(Some(&format!("a{i}")), Some(survey.id), tp, None, at(d(2025, 3, 4 + i % 20)));
        after.answers = obj(json!({"nps": if i % 4 == 0 { 5 } else { 10 }}));
        batch.push(before);
        batch.push(after);
    }
    s.ingest_responses(o, &batch).await.unwrap();

    // An idea by e-mail, from a known person's address.
    let mail = InboundMail {
        from: Some("\"Ana\" <ANA@example.com>".into()),
        subject: Some("Re: One-page checkout".into()),
        text: Some("Put it all on one page.\n\nOn Monday, Bob wrote:\n> old".into()),
    };
    let parsed = mail.parse().unwrap();
    let sender = s.list_people(o).await.unwrap().into_iter().find(|p| p.email.eq_ignore_ascii_case(&parsed.sender));
    assert_eq!(sender.as_ref().map(|p| p.id), Some(author));
    let input = parsed.draft().validate(IdeaSource::Email).unwrap();
    let idea1 = s.create_idea(o, author, &input).await.unwrap();
    assert_eq!((idea1.title.as_str(), idea1.body.as_deref()), ("One-page checkout", Some("Put it all on one page.")));
    assert_eq!((idea1.source, idea1.status, idea1.touchpoint_id), (IdeaSource::Email, IdeaStatus::New, None));

    // Votes: one per person.
    s.vote_idea(o, idea1.id, colleague).await.unwrap();
    let voted = s.vote_idea(o, idea1.id, outsider).await.unwrap();
    assert_eq!(voted.votes, 2);
    conflict(s.vote_idea(o, idea1.id, colleague).await, "person_id");
    assert_eq!(s.get_idea(o, idea1.id).await.unwrap().idea.votes, 2);
    s.comment_idea(o, idea1.id, leader, "Yes please").await.unwrap();
    let detail = s.get_idea(o, idea1.id).await.unwrap();
    assert_eq!(detail.voters, {
        let mut v = vec![colleague, outsider];
        v.sort();
        v
    });
    assert_eq!(detail.comment_list.len(), 1);
    assert_eq!(s.idea_of_the_day(o, Utc::now().date_naive()).await.unwrap().map(|i| i.id), Some(idea1.id));

    // Review: skipping review is refused; an unfiled idea cannot be approved.
    invalid(s.set_idea_status(o, idea1.id, IdeaStatus::Approved, None, "user:1").await, "status");
    s.set_idea_status(o, idea1.id, IdeaStatus::UnderReview, None, "user:1").await.unwrap();
    invalid(s.set_idea_status(o, idea1.id, IdeaStatus::Approved, None, "user:1").await, "touchpoint_id");
    invalid(s.file_idea(o, idea1.id, None, None).await, "touchpoint_id");
    assert_eq!(s.file_idea(o, idea1.id, Some(tp), None).await.unwrap().touchpoint_id, Some(tp));

    // A duplicate from the web is merged into it: voters move as a union, comments stay.
    let dup = s.create_idea(o, leader, &idea("Single-page checkout", Some(tp))).await.unwrap();
    s.vote_idea(o, dup.id, colleague).await.unwrap();
    s.vote_idea(o, dup.id, agent).await.unwrap();
    s.comment_idea(o, dup.id, agent, "Same as the e-mailed one").await.unwrap();
    let merged = s.merge_idea(o, dup.id, idea1.id).await.unwrap();
    assert_eq!(merged.votes, 3, "voters move as a union");
    let gone = s.get_idea(o, dup.id).await.unwrap();
    assert_eq!((gone.idea.merged_into, gone.idea.votes, gone.comment_list.len()), (Some(idea1.id), 0, 1));
    invalid(s.vote_idea(o, dup.id, leader).await, "idea");
    invalid(s.merge_idea(o, dup.id, idea1.id).await, "target_id");
    let listed = s.list_ideas(o, &IdeaFilter::default()).await.unwrap();
    assert_eq!(listed.iter().map(|i| i.id).collect::<Vec<_>>(), vec![idea1.id], "merged duplicates are left out");
    let filed = idea1.clone();

    let mut rx = s.subscribe();
    let approved = s.set_idea_status(o, filed.id, IdeaStatus::Approved, Some("Good one"), "user:1").await.unwrap();
    assert_eq!(approved.status, IdeaStatus::Approved);
    let notice = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        loop {
            let n = rx.recv().await.unwrap();
            if n.org == o && n.kind == NoticeKind::Idea {
                return n;
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(notice.id, filed.id);
    // The author is e-mailed through the outbox.
    assert!(s.fan_out(Utc::now(), 100).await.unwrap() >= 1);

    // A sprint: 20 workdays from Monday 3 March, skipping the holiday.
    let draft = SprintDraft {
        touchpoint_id: Some(tp),
        name: Some("Checkout redesign".into()),
        start: Some(d(2025, 3, 3)),
        leader_id: Some(leader),
        team_ids: Some(vec![colleague]),
        idea_ids: Some(vec![filed.id]),
        ..Default::default()
    };
    let sprint = s.create_sprint(o, &draft).await.unwrap();
    assert_eq!(sprint.end, d(2025, 3, 31));
    assert_eq!(sprint.end, cal.sprint_end(d(2025, 3, 3), 20));
    assert_eq!(sprint.team_ids, vec![leader, colleague]);
    assert_eq!(sprint.phases.len(), 3);
    let baseline = sprint.baseline.clone().unwrap();
    assert_eq!(baseline.tally(Scale::Nps).n, 40, "the baseline holds the 30 days before the start");
    assert_eq!(s.get_idea(o, filed.id).await.unwrap().idea.status, IdeaStatus::InSprint);
    assert_eq!(s.get_sprint(o, sprint.id).await.unwrap(), sprint);
    // The length never changes; the scope does.
    let longer = SprintUpdateDraft { end: Some(d(2025, 4, 30)), ..Default::default() };
    invalid(s.update_sprint(o, sprint.id, &longer, d(2025, 3, 5)).await, "end");
    let renamed = SprintUpdateDraft { name: Some("Checkout, one page".into()), ..Default::default() };
    assert_eq!(s.update_sprint(o, sprint.id, &renamed, d(2025, 3, 5)).await.unwrap().end, sprint.end);

    // Scope changes move ideas: dropped back to planned, taken up again.
    let dropped = SprintUpdateDraft { idea_ids: Some(vec![]), ..Default::default() };
    assert!(s.update_sprint(o, sprint.id, &dropped, d(2025, 3, 5)).await.unwrap().idea_ids.is_empty());
    assert_eq!(s.get_idea(o, filed.id).await.unwrap().idea.status, IdeaStatus::Planned);
    let again = SprintUpdateDraft { idea_ids: Some(vec![filed.id]), ..Default::default() };
    assert_eq!(s.update_sprint(o, sprint.id, &again, d(2025, 3, 5)).await.unwrap().idea_ids, vec![filed.id]);
    assert_eq!(s.get_idea(o, filed.id).await.unwrap().idea.status, IdeaStatus::InSprint);
    let hook = WebhookDraft {
        name: Some("Changes".into()),
        url: Some("http://127.0.0.1:9/changes".into()),
        events: Some(vec!["announcement.proposal_approved".into()]),
        ..Default::default()
    };
    let hook = s.create_webhook(o, &hook.validate().unwrap(), "secret", &by("webhook.create")).await.unwrap();
    s.fan_out(Utc::now(), 1000).await.unwrap();

    // The proposal: only the leader approves; then it is announced.
    invalid(s.approve_proposal(o, sprint.id, Some(leader)).await, "proposal");
    let doc = ProposalDraft { document: Some("One page, three fields.".into()) }.validate().unwrap();
    s.submit_proposal(o, sprint.id, colleague, &doc).await.unwrap();
    invalid(s.approve_proposal(o, sprint.id, Some(colleague)).await, "approver");
    invalid(s.approve_proposal(o, sprint.id, None).await, "approver");
    let approved = s.approve_proposal(o, sprint.id, Some(leader)).await.unwrap();
    assert_eq!(approved.proposal.as_ref().unwrap().approved_by, Some(leader));
    conflict(s.submit_proposal(o, sprint.id, colleague, "again").await, "proposal");

    let feed = s.list_announcements(o, Some(agent)).await.unwrap();
    let ann = feed.iter().find(|a| a.kind == AnnouncementKind::ProposalApproved).unwrap().clone();
    assert_eq!(ann.subject_id, sprint.id);
    assert_eq!(ann.touchpoint_id, Some(tp));
    assert_eq!(ann.recipients, vec![owner, colleague, agent], "owner, department, routed agents");
    assert!(s.list_announcements(o, Some(outsider)).await.unwrap().iter().all(|a| a.id != ann.id));
    assert_eq!(ann.message.args.get("by").map(String::as_str), Some("Leo"));

    // The webhook hears of it, and each recipient is e-mailed.
    s.fan_out(Utc::now(), 1000).await.unwrap();
    let hooked = s.list_deliveries(o, Some(hook.id), 100).await.unwrap();
    assert_eq!(hooked.iter().map(|d| d.event.as_str()).collect::<Vec<_>>(), vec!["announcement.proposal_approved"]);
    let mut mailed: Vec<String> = s
        .list_deliveries(o, None, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|d| d.event == "announcement.proposal_approved" && d.channel == "email")
        .filter_map(|d| d.recipient)
        .collect();
    mailed.sort();
    assert_eq!(mailed, vec!["olga@example.com", "rafa@example.com", "sam@example.com"]);

    // Acknowledgements: only recipients, once each; pending shrinks to nothing.
    invalid(s.acknowledge_announcement(o, ann.id, outsider).await, "person_id");
    let after1 = s.acknowledge_announcement(o, ann.id, agent).await.unwrap();
    assert_eq!(after1.pending(), vec![owner, colleague]);
    conflict(s.acknowledge_announcement(o, ann.id, agent).await, "person_id");
    s.acknowledge_announcement(o, ann.id, owner).await.unwrap();
    let done = s.acknowledge_announcement(o, ann.id, colleague).await.unwrap();
    assert!(done.pending().is_empty());
    assert_eq!(s.get_announcement(o, ann.id).await.unwrap(), done);

    // Finishing: refused before the last day; then before/after is stored.
    invalid(s.finish_sprint(o, sprint.id, d(2025, 3, 28)).await, "end");
    let finished = s.finish_sprint(o, sprint.id, d(2025, 4, 1)).await.unwrap();
    let outcome = finished.outcome.clone().unwrap();
    assert_eq!(outcome.before.tally(Scale::Nps).n, 40);
    assert_eq!(outcome.after.tally(Scale::Nps).n, 40);
    let nps = outcome.metrics.iter().find(|m| m.metric == rapport_core::metric::Metric::Nps).unwrap();
    assert!(nps.after.value.unwrap() > nps.before.value.unwrap(), "{nps:?}");
    assert_eq!(s.get_sprint(o, sprint.id).await.unwrap().outcome, Some(outcome));

    // Implementing the idea announces it too.
    let implemented = s.set_idea_status(o, filed.id, IdeaStatus::Implemented, None, "user:1").await.unwrap();
    assert_eq!(implemented.status, IdeaStatus::Implemented);
    let kinds: Vec<AnnouncementKind> =
        s.list_announcements(o, Some(owner)).await.unwrap().iter().map(|a| a.kind).collect();
    assert_eq!(kinds[0], AnnouncementKind::IdeaImplemented);
    let rows = s.idea_rows(o).await.unwrap();
    assert_eq!(rows.len(), 1, "merged duplicates do not count twice");
    assert!(rows[0].implemented_on.is_some());

    // Isolation: another organization sees nothing and touches nothing.
    not_found(s.get_idea(other, filed.id).await);
    not_found(s.get_sprint(other, sprint.id).await);
    not_found(s.get_announcement(other, ann.id).await);
    not_found(s.vote_idea(other, filed.id, outsider).await);
    not_found(s.acknowledge_announcement(other, ann.id, owner).await);
    assert!(s.list_ideas(other, &IdeaFilter::default()).await.unwrap().is_empty());
    assert!(s.list_sprints(other).await.unwrap().is_empty());
    assert!(s.list_announcements(other, None).await.unwrap().is_empty());
    invalid(s.create_idea(other, author, &idea("Elsewhere", Some(tp))).await, "author_id");
}

pub async fn idea_reviews(s: &dyn Store) {
    let o = org(s, "ideas").await.id;
    let author = add_person(s, o, "Ana").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let tp = s.create_touchpoint(o, &touchpoint("Checkout", stage, None)).await.unwrap().id;
    let i = s.create_idea(o, author, &idea("Free shipping", Some(tp))).await.unwrap();
    s.set_idea_status(o, i.id, IdeaStatus::UnderReview, None, "user:1").await.unwrap();
    invalid(s.set_idea_status(o, i.id, IdeaStatus::Rejected, None, "user:1").await, "reason");
    invalid(s.set_idea_status(o, i.id, IdeaStatus::Rejected, Some("  "), "user:1").await, "reason");
    let rejected = s.set_idea_status(o, i.id, IdeaStatus::Rejected, Some("Too costly"), "user:1").await.unwrap();
    assert_eq!((rejected.status, rejected.status_reason.as_deref()), (IdeaStatus::Rejected, Some("Too costly")));
    invalid(s.vote_idea(o, i.id, author).await, "idea");
    let by_status = IdeaFilter { status: Some(IdeaStatus::Rejected), ..Default::default() };
    assert_eq!(s.list_ideas(o, &by_status).await.unwrap().len(), 1);
    let by_author = IdeaFilter { author: Some(author + 1000), ..Default::default() };
    assert!(s.list_ideas(o, &by_author).await.unwrap().is_empty());
    // The author is told by e-mail.
    s.fan_out(Utc::now(), 100).await.unwrap();
    let deliveries = s.list_deliveries(o, None, 100).await.unwrap();
    assert!(!deliveries.is_empty(), "the author is e-mailed");
}

/// Adding or removing a touchpoint and a new intent version are announced.
pub async fn change_announcements(s: &dyn Store) {
    let o = org(s, "announce").await.id;
    let owner = add_person(s, o, "Olga").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let tp = s.create_touchpoint(o, &touchpoint("Checkout", stage, Some(owner))).await.unwrap();
    let feed = s.list_announcements(o, Some(owner)).await.unwrap();
    assert_eq!(feed.len(), 1);
    assert_eq!(
        (feed[0].kind, feed[0].subject_id, feed[0].recipients.clone()),
        (AnnouncementKind::TouchpointAdded, tp.id, vec![owner])
    );
    assert_eq!(feed[0].message.args.get("subject").map(String::as_str), Some("Checkout"));
    s.create_intent_version(o, &super::intent("Be easy", vec![]), Some("user:1"), None).await.unwrap();
    s.delete_touchpoint(o, tp.id, &by("touchpoint.delete")).await.unwrap();
    let kinds: Vec<AnnouncementKind> = s.list_announcements(o, None).await.unwrap().iter().map(|a| a.kind).collect();
    assert_eq!(
        kinds,
        vec![AnnouncementKind::TouchpointRemoved, AnnouncementKind::IntentVersion, AnnouncementKind::TouchpointAdded]
    );
    let removed = &s.list_announcements(o, None).await.unwrap()[0];
    assert_eq!(removed.recipients, vec![owner], "those who delivered it are told");
}

/// The next announcement notice for `org` (other notices skipped), within
/// five seconds; `after` names what should have published it.
async fn next_announcement(rx: &mut tokio::sync::broadcast::Receiver<Notice>, org: Id, after: &str) -> Id {
    let wait = async {
        loop {
            match rx.recv().await {
                Ok(n) if n.org == org && n.kind == NoticeKind::Announcement => return n.id,
                Ok(_) => {}
                Err(e) => panic!("notices: {e}"),
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), wait)
        .await
        .unwrap_or_else(|_| panic!("no announcement notice within five seconds after {after}"))
}

/// Adding and removing a touchpoint each publish their announcement to the
/// store's subscribers once committed (removal once did not, on SQLite).
pub async fn touchpoint_announcement_notices(s: &dyn Store) {
    let o = org(s, "tp-notices").await.id;
    let stage = add_stage(s, o, "Buy", None).await;
    let mut rx = s.subscribe();
    let tp = s.create_touchpoint(o, &touchpoint("Checkout", stage, None)).await.unwrap();
    let added = s.get_announcement(o, next_announcement(&mut rx, o, "create_touchpoint").await).await.unwrap();
    assert_eq!((added.kind, added.subject_id), (AnnouncementKind::TouchpointAdded, tp.id));
    assert_eq!(added.kind.key(), "touchpoint_added");

    assert!(s.list_surveys(o).await.unwrap().is_empty(), "a touchpoint without surveys may go");
    s.delete_touchpoint(o, tp.id, &by("touchpoint.delete")).await.unwrap();
    let removed = s.get_announcement(o, next_announcement(&mut rx, o, "delete_touchpoint").await).await.unwrap();
    assert_eq!(
        (removed.kind, removed.subject_id, removed.touchpoint_id),
        (AnnouncementKind::TouchpointRemoved, tp.id, Some(tp.id))
    );
    assert_eq!(removed.kind.key(), "touchpoint_removed");
    assert_eq!(removed.message.args.get("subject").map(String::as_str), Some("Checkout"));
    not_found(s.get_touchpoint(o, tp.id).await);
}

/// From a recurring root cause, one action creates an idea linked to its closed cases.
pub async fn idea_from_root_cause(s: &dyn Store) {
    let o = org(s, "rootidea").await.id;
    let other = org(s, "rootidea-other").await.id;
    let agent = add_person(s, o, "Agent").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let tp = s.create_touchpoint(o, &touchpoint("Delivery", stage, Some(agent))).await.unwrap().id;
    let cause = s
        .create_root_cause(o, &RootCauseInput { name: "Late courier".into(), description: None, preventable: true })
        .await
        .unwrap();
    let mut closed = Vec::new();
    for ext in ["c-1", "c-2", "c-3"] {
        let c = CustomerUpsert { external_id: ext.into(), email: None, name: None, attributes: Map::new() };
        s.upsert_customer(o, &c).await.unwrap();
        let draft: CaseDraft = serde_json::from_value(
            json!({"title": "Late", "customer": ext, "touchpoint_id": tp, "assignee_id": agent}),
        )
        .unwrap();
        let case = s.open_case(o, &draft.validate().unwrap(), "user:1", Utc::now()).await.unwrap();
        if ext != "c-3" {
            for st in Step::ALL {
                let v = match st {
                    Step::Open => json!({"proposal": "p"}),
                    Step::Verify => json!({"agreed": true}),
                    Step::Eliminate => json!({"action": "a"}),
                    Step::Document => json!({"root_cause_id": cause.id, "root_cause_note": "n"}),
                    _ => json!({}),
                };
                let step = serde_json::from_value::<StepDraft>(v).unwrap().validate(st).unwrap();
                s.record_step(o, case.id, &step, "user:1", Utc::now()).await.unwrap();
            }
            s.close_case(o, case.id, "user:1", Utc::now()).await.unwrap();
            closed.push(case.id);
        }
    }
    let made = s.create_idea_from_root_cause(o, cause.id, agent, &idea("Change courier", Some(tp))).await.unwrap();
    assert_eq!(made.case_ids, closed, "the open case is not linked");
    assert_eq!(made.root_cause_id, Some(cause.id));
    assert_eq!(s.get_idea(o, made.idea.id).await.unwrap(), made);
    not_found(s.create_idea_from_root_cause(other, cause.id, agent, &idea("x", Some(tp))).await);
}

pub async fn comms_plan(s: &dyn Store) {
    let o = org(s, "comms").await.id;
    let other = org(s, "comms-other").await.id;
    let owner = add_person(s, o, "Olga").await;
    let today = d(2025, 3, 10);
    let item = |title: &str, date: NaiveDate| {
        CommsDraft {
            title: Some(title.into()),
            audience: Some("Store staff".into()),
            channel: Some("intranet".into()),
            date: Some(date),
            owner_id: Some(owner),
            status: None,
        }
        .validate(None, today)
        .unwrap()
    };
    let a = s.create_comms(o, &item("New checkout", today)).await.unwrap();
    let b = s.create_comms(o, &item("Training", d(2025, 3, 12))).await.unwrap();
    invalid(s.create_comms(other, &item("Elsewhere", today)).await, "owner_id");
    let all = s.list_comms(o).await.unwrap();
    assert_eq!(all.iter().map(|i| i.id).collect::<Vec<_>>(), vec![a.id, b.id]);
    let due: Vec<Id> = rapport_core::improve::due_on(&all, today).iter().map(|i| i.id).collect();
    assert_eq!(due, vec![a.id]);
    let mut sent = item("New checkout", today);
    sent.status = rapport_core::improve::CommsStatus::Sent;
    assert_eq!(s.update_comms(o, a.id, &sent).await.unwrap().status, rapport_core::improve::CommsStatus::Sent);
    assert!(rapport_core::improve::due_on(&s.list_comms(o).await.unwrap(), today).is_empty());
    not_found(s.get_comms(other, a.id).await);
    not_found(s.delete_comms(other, a.id, &by("comms.delete")).await);
    s.delete_comms(o, b.id, &by("comms.delete")).await.unwrap();
    assert_eq!(s.list_comms(o).await.unwrap().len(), 1);
}
