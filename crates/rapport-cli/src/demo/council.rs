//! Demo data for the CX council (A8): Aurora's council draws members from
//! six departments (Logistics has nobody on it, so coverage shows it
//! missing); last month's meeting was held, with minutes, decisions linked
//! to an idea, a sprint and the intent statement, and action items (some
//! owned by people who have demo accounts: the leader, the owner, the
//! agent and the member); next week's meeting has the agenda Rapport
//! drafts from the program (ideas awaiting review, sprints ending,
//! announcements not yet acknowledged), plus one item of the chair's.

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, DurationRound, Utc};
use rapport_core::improve::IdeaStatus;
use rapport_core::plan::council::agenda::{draft, AgendaFacts, AnnouncementFact, IdeaFact, SprintFact};
use rapport_core::plan::council::{
    CouncilActionInput, CouncilAgendaItemDraft, CouncilDecisionInput, CouncilMeetingDraft, CouncilMemberDraft,
};
use rapport_core::Id;
use rapport_store::{IdeaFilter, Store};
use std::collections::HashMap;

const MEMBERS: [(&str, &str); 7] = [
    ("lucia.fernandez@aurora.example", "chair"),
    ("daniel.okafor@aurora.example", "member"),
    ("jamal.price@aurora.example", "member"),
    ("hugo.martin@aurora.example", "member"),
    ("emily.chen@aurora.example", "member"),
    ("rosa.jimenez@aurora.example", "secretary"),
    ("grace.liu@aurora.example", "member"),
];

const MINUTES: &str = "# November council\n\n\
Present: Lucía (chair), Daniel, Jamal, Hugo, Emily, Rosa (minutes), Grace.\n\n\
## Where we stand\n\
- Café NPS is steady; **subscription delivery** keeps missing its goal (late couriers in the north).\n\
- Customer care closed 40% more cases about damaged bags than in October.\n\n\
## Discussed\n\
1. The oat-milk idea from the Centro café: trial it for four weeks.\n\
2. The checkout sprint: keep the scope, finish on time.\n\
3. The intent statement's new wording: approved.\n";

fn person(people: &HashMap<&str, Id>, email: &str) -> Result<Id> {
    people.get(email).copied().with_context(|| format!("demo person {email}"))
}

pub async fn seed(
    store: &dyn Store,
    org: Id,
    people: &HashMap<&str, Id>,
    _touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    for (email, role) in MEMBERS {
        let d = CouncilMemberDraft { person_id: Some(person(people, email)?), role: Some(role.into()) };
        store.add_council_member(org, &d.validate(true).context("council member")?).await?;
    }

    // Last month's meeting, held, at 10:00 UTC.
    let day = now.duration_trunc(Duration::days(1)).unwrap_or(now);
    let past = CouncilMeetingDraft {
        title: Some("November CX council".into()),
        starts_at: Some(day - Duration::days(24) + Duration::hours(10)),
        duration_minutes: Some(90),
        location: Some("Roastery meeting room".into()),
        status: Some("held".into()),
    };
    let past = store.create_council_meeting(org, &past.validate().context("past meeting")?, &[]).await?;
    for title in ["Intent criteria and goals", "Damaged bags: root cause", "Ideas from the cafés", "Checkout sprint"] {
        let item = CouncilAgendaItemDraft { title: Some(title.into()), link: None, position: None };
        store.add_council_agenda_item(org, past.id, &item.validate().context("agenda item")?).await?;
    }
    store.set_council_minutes(org, past.id, MINUTES).await?;

    let ideas = store.list_ideas(org, &IdeaFilter { limit: 200, ..IdeaFilter::default() }).await?;
    let sprints = store.list_sprints(org).await?;
    let intent = store.current_intent(org).await?;
    let decisions = [
        (
            "Trial oat milk at no extra charge in the Centro café for four weeks.",
            ideas.first().map(|i| i.id),
            None,
            None,
        ),
        (
            "Keep the checkout sprint's scope; report the outcome at the January council.",
            None,
            sprints.first().map(|s| s.id),
            None,
        ),
        ("Adopt the new intent statement.", None, None, intent.as_ref().map(|i| i.id)),
    ];
    for (text, idea_id, sprint_id, intent_version_id) in decisions {
        let d = CouncilDecisionInput { text: text.into(), idea_id, sprint_id, intent_version_id };
        store.add_council_decision(org, past.id, &d).await?;
    }
    let today = now.date_naive();
    let actions = [
        ("Agree a two-hour delivery window with the northern courier.", "daniel.okafor@aurora.example", 5, false),
        ("Brief the Centro baristas on the oat-milk trial.", "ana.torres@aurora.example", 3, false),
        ("Tag every damaged-bag case with its root cause.", "kevin.obrien@aurora.example", -2, false),
        ("Share the new intent statement with every team.", "lucia.fernandez@aurora.example", -10, true),
        ("Price the oat-milk trial.", "grace.liu@aurora.example", 8, false),
        ("Test a stronger bag with the roastery.", "hugo.martin@aurora.example", 12, false),
    ];
    for (text, email, due_in, done) in actions {
        let a = CouncilActionInput {
            text: text.into(),
            owner_id: person(people, email)?,
            due_on: today + Duration::days(due_in),
            done,
        };
        store.add_council_action(org, past.id, &a).await?;
    }

    // Next week's meeting, its agenda drafted from the program.
    let mut facts = AgendaFacts::default();
    for i in ideas.iter().filter(|i| matches!(i.status, IdeaStatus::New | IdeaStatus::UnderReview)) {
        let awaiting_review = i.merged_into.is_none();
        facts.ideas.push(IdeaFact {
            id: i.id,
            title: i.title.clone(),
            votes: i.votes,
            awaiting_review,
            created_at: i.created_at,
        });
    }
    for s in &sprints {
        facts.sprints.push(SprintFact { id: s.id, name: s.name.clone(), end: s.end, finished: s.outcome.is_some() });
    }
    for a in store.page_announcements(org, None, None, 100).await? {
        let pending = a.pending().len() as i64;
        facts.announcements.push(AnnouncementFact { id: a.id, title: a.message.english().0, pending });
    }
    let next = CouncilMeetingDraft {
        title: Some("December CX council".into()),
        starts_at: Some(day + Duration::days(7) + Duration::hours(10)),
        duration_minutes: Some(90),
        location: Some("https://meet.aurora.example/cx-council".into()),
        status: None,
    };
    let next = next.validate().context("next meeting")?;
    let next = store.create_council_meeting(org, &next, &draft(&facts, today)).await?;
    let item = CouncilAgendaItemDraft {
        title: Some("Review last month's action items".into()),
        link: None,
        position: Some(0),
    };
    store.add_council_agenda_item(org, next.id, &item.validate().context("agenda item")?).await?;
    Ok(())
}
