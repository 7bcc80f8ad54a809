//! The demo organization `demo`: Aurora Coffee Roasters, a fictional roaster
//! with cafés and a coffee subscription, selling in English and Spanish.
//!
//! Seeding is deterministic for a given "now" (fixed names and seeded random
//! generators; the year of feedback and behaviour is dated back from now) and
//! goes only through the `Store` trait, after the same validation the API
//! applies. It runs once: when the organization exists, nothing is touched.
//!
//! Submodules: `surveys` (the survey seeds and comments), `profile` (who the
//! customers are over the year), `responses` and `events` (the generated data).

mod case_queue;
mod cases;
mod conversations;
mod council;
mod diagnostic;
mod distribution;
mod empathy;
mod events;
mod gaps;
mod knowledge;
mod perfect_behaviours;
mod profile;
mod recognition;
mod responses;
mod staffing;
mod surveys;
mod training;

use anyhow::{ensure, Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rapport_core::customer::CustomerUpsert;
use rapport_core::experience::{ExperienceDraft, Period};
use rapport_core::intent::{Comparator, CriterionDraft, IntentDraft, Scope};
use rapport_core::journey::{Importance, StageDraft, TouchpointDraft};
use rapport_core::listening::ListeningPostDraft;
use rapport_core::metric::Metric;
use rapport_core::org::NewOrganization;
use rapport_core::person::PersonDraft;
use rapport_core::role::Role;
use rapport_core::segment::{Combine, Condition, SegmentDraft, SegmentRule};
use rapport_core::survey::SurveyStatus;
use rapport_core::Id;
use rapport_server::auth::password;
use rapport_server::ingest::{self, CustomerDraft};
use rapport_store::{Audit, NewUser, Store, StoreError};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use surveys::{survey_draft, SURVEYS};

pub const ORG_SLUG: &str = "demo";
pub const ORG_NAME: &str = "Aurora Coffee Roasters";
pub const ADMIN_EMAIL: &str = "admin@demo.example";
pub const PASSWORD: &str = "rapport-demo";
/// Enough customers for a year of ~14,000 answers that respect the 30-day
/// fatigue rule, and segments large enough to compare.
pub const CUSTOMERS: usize = 1_200;
const ACTOR: &str = "demo-seed";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeded {
    Created,
    AlreadyThere,
}

/// The sign-in accounts: e-mail, role, and the person (by e-mail) they are.
const ACCOUNTS: [(&str, Role, Option<&str>); 6] = [
    (ADMIN_EMAIL, Role::Admin, None),
    ("leader@demo.example", Role::Leader, Some("lucia.fernandez@aurora.example")),
    ("owner@demo.example", Role::Owner, Some("daniel.okafor@aurora.example")),
    ("agent@demo.example", Role::Agent, Some("kevin.obrien@aurora.example")),
    ("member@demo.example", Role::Member, Some("ana.torres@aurora.example")),
    ("viewer@demo.example", Role::Viewer, Some("grace.liu@aurora.example")),
];

/// What `serve --demo` prints above the listening line; `survey_token` is
/// the token of a published demo survey, shown as an anonymous survey link.
pub fn sign_in_instructions(base_url: &str, survey_token: Option<&str>) -> String {
    let others: Vec<&str> = ACCOUNTS[1..].iter().map(|(e, _, _)| *e).collect();
    let survey = survey_token
        .map(|t| format!("Answer a demo survey, no sign-in needed: {base_url}/s/{t} (add ?lang=es for Spanish).\n"))
        .unwrap_or_default();
    format!(
        "Demo organization {ORG_SLUG:?} ({ORG_NAME}). Sign in at {base_url}/sign-in with\n  \
         organization: {ORG_SLUG}\n  \
         e-mail:       {ADMIN_EMAIL}\n  \
         password:     {PASSWORD}\n\
         Other roles, same password: {}.\n\
         {survey}\
         WARNING: these are public demo credentials; do not keep real data in a --demo installation.",
        others.join(", ")
    )
}

/// The token of the demo's first published survey, for the anonymous link
/// `sign_in_instructions` shows.
pub async fn survey_token(store: &dyn Store) -> Result<Option<String>> {
    let Some(org) = store.org_by_slug(ORG_SLUG).await? else { return Ok(None) };
    let surveys = store.list_surveys(org.id).await?;
    Ok(surveys.into_iter().find(|s| s.status == SurveyStatus::Published).map(|s| s.token))
}

/// Name, e-mail, department, job role, joined on (y, m, d).
type PersonSeed = (&'static str, &'static str, &'static str, &'static str, (i32, u32, u32));

const PEOPLE: [PersonSeed; 18] = [
    ("Lucía Fernández", "lucia.fernandez@aurora.example", "Leadership", "Customer experience director", (2019, 3, 4)),
    ("Daniel Okafor", "daniel.okafor@aurora.example", "E-commerce", "Head of e-commerce", (2020, 1, 13)),
    ("Marta Ruiz", "marta.ruiz@aurora.example", "E-commerce", "Subscriptions manager", (2021, 5, 3)),
    ("Tom Becker", "tom.becker@aurora.example", "E-commerce", "Web product owner", (2022, 2, 14)),
    ("Sofía Castillo", "sofia.castillo@aurora.example", "Cafés", "Café operations manager", (2018, 9, 1)),
    ("Jamal Price", "jamal.price@aurora.example", "Cafés", "Head barista", (2019, 6, 17)),
    ("Ana Torres", "ana.torres@aurora.example", "Cafés", "Café team lead, Centro", (2023, 4, 10)),
    ("Hugo Martín", "hugo.martin@aurora.example", "Roastery", "Roastery manager", (2017, 11, 6)),
    ("Priya Nair", "priya.nair@aurora.example", "Roastery", "Quality and packing lead", (2021, 8, 23)),
    ("Carlos Mendoza", "carlos.mendoza@aurora.example", "Logistics", "Logistics coordinator", (2020, 10, 5)),
    ("Emily Chen", "emily.chen@aurora.example", "Marketing", "Marketing manager", (2019, 1, 21)),
    ("Diego Herrera", "diego.herrera@aurora.example", "Marketing", "Community and social media lead", (2022, 7, 11)),
    ("Pablo Navarro", "pablo.navarro@aurora.example", "Marketing", "CRM and loyalty specialist", (2023, 1, 9)),
    ("Rosa Jiménez", "rosa.jimenez@aurora.example", "Customer care", "Customer care manager", (2018, 4, 16)),
    ("Kevin O'Brien", "kevin.obrien@aurora.example", "Customer care", "Support agent", (2024, 2, 5)),
    ("Valeria Soto", "valeria.soto@aurora.example", "Customer care", "Bilingual support agent", (2023, 9, 18)),
    ("Grace Liu", "grace.liu@aurora.example", "Finance", "Finance analyst", (2021, 3, 29)),
    // Left the company; what he owned was handed over (see `seed_program`).
    ("Oliver Grant", "oliver.grant@aurora.example", "Marketing", "Social media coordinator", (2020, 6, 1)),
];
const LEAVER: &str = "oliver.grant@aurora.example";
const LEAVER_SUCCESSOR: &str = "diego.herrera@aurora.example";
const LEFT_ON: (i32, u32, u32) = (2026, 1, 30);

const STAGES: [&str; 5] = ["Discover", "Buy", "Receive and brew", "Enjoy and renew", "Get help"];

/// Segment keys used below, in creation order.
const SEGMENTS: [&str; 6] = ["subscribers", "new", "regulars", "spanish", "high_value", "online"];

struct TouchpointSeed {
    name: &'static str,
    description: &'static str,
    stage: usize,
    channel: &'static str,
    department: &'static str,
    owner: &'static str,
    /// (segment key, importance 1-5)
    importance: &'static [(&'static str, i64)],
}

const TOUCHPOINTS: [TouchpointSeed; 16] = [
    TouchpointSeed {
        name: "Website and coffee finder",
        description: "The quiz that suggests a coffee by taste and brewing method.",
        stage: 0,
        channel: "web",
        department: "E-commerce",
        owner: "tom.becker@aurora.example",
        importance: &[("new", 5), ("online", 4), ("spanish", 3)],
    },
    TouchpointSeed {
        name: "Social media and reviews",
        description: "Instagram, reviews and the roastery's newsletter.",
        stage: 0,
        channel: "web",
        department: "Marketing",
        owner: LEAVER,
        importance: &[("new", 4), ("spanish", 3)],
    },
    TouchpointSeed {
        name: "Café tasting bar",
        description: "Free tastings of the month's coffees in every café.",
        stage: 0,
        channel: "store",
        department: "Cafés",
        owner: "jamal.price@aurora.example",
        importance: &[("regulars", 4), ("new", 3)],
    },
    TouchpointSeed {
        name: "Online checkout",
        description: "Basket, delivery options and payment.",
        stage: 1,
        channel: "web",
        department: "E-commerce",
        owner: "daniel.okafor@aurora.example",
        importance: &[("new", 5), ("online", 5), ("high_value", 4)],
    },
    TouchpointSeed {
        name: "Subscription sign-up",
        description: "Choosing coffee, grind, size and delivery rhythm.",
        stage: 1,
        channel: "web",
        department: "E-commerce",
        owner: "marta.ruiz@aurora.example",
        importance: &[("subscribers", 5), ("online", 4)],
    },
    TouchpointSeed {
        name: "Café counter order",
        description: "Ordering and paying at the counter, in English or Spanish.",
        stage: 1,
        channel: "store",
        department: "Cafés",
        owner: "ana.torres@aurora.example",
        importance: &[("regulars", 5), ("spanish", 4)],
    },
    TouchpointSeed {
        name: "Order confirmation e-mail",
        description: "Confirms the order, the roast date and the delivery window.",
        stage: 2,
        channel: "email",
        department: "E-commerce",
        owner: "tom.becker@aurora.example",
        importance: &[("new", 4), ("online", 3)],
    },
    TouchpointSeed {
        name: "Roasting and packing",
        description: "Roasted to order, packed within 48 hours.",
        stage: 2,
        channel: "field",
        department: "Roastery",
        owner: "priya.nair@aurora.example",
        importance: &[("subscribers", 4), ("high_value", 4)],
    },
    TouchpointSeed {
        name: "Delivery",
        description: "Carrier hand-off, tracking messages and the doorstep.",
        stage: 2,
        channel: "mail",
        department: "Logistics",
        owner: "carlos.mendoza@aurora.example",
        importance: &[("subscribers", 5), ("new", 5), ("online", 5)],
    },
    TouchpointSeed {
        name: "Unboxing and brew guide",
        description: "The box, the tasting card and the bilingual brew guide.",
        stage: 2,
        channel: "mail",
        department: "Marketing",
        owner: "emily.chen@aurora.example",
        importance: &[("new", 4), ("spanish", 4)],
    },
    TouchpointSeed {
        name: "Renewal reminder",
        description: "The e-mail three days before the next subscription charge.",
        stage: 3,
        channel: "email",
        department: "E-commerce",
        owner: "marta.ruiz@aurora.example",
        importance: &[("subscribers", 5)],
    },
    TouchpointSeed {
        name: "Subscription management page",
        description: "Pause, skip, swap coffees or cancel.",
        stage: 3,
        channel: "web",
        department: "E-commerce",
        owner: "tom.becker@aurora.example",
        importance: &[("subscribers", 5), ("high_value", 3)],
    },
    TouchpointSeed {
        name: "Loyalty rewards app",
        description: "Stamps, birthday drinks and early access to rare lots.",
        stage: 3,
        channel: "mobile_app",
        department: "Marketing",
        owner: "pablo.navarro@aurora.example",
        importance: &[("regulars", 5), ("high_value", 4)],
    },
    TouchpointSeed {
        name: "Support chat",
        description: "Chat on the website and in the app, 8:00-20:00.",
        stage: 4,
        channel: "chat",
        department: "Customer care",
        owner: "valeria.soto@aurora.example",
        importance: &[("online", 4), ("spanish", 4), ("subscribers", 4)],
    },
    TouchpointSeed {
        name: "Phone support",
        description: "The customer care line, in English and Spanish.",
        stage: 4,
        channel: "phone",
        department: "Customer care",
        owner: "kevin.obrien@aurora.example",
        importance: &[("high_value", 5), ("spanish", 3)],
    },
    TouchpointSeed {
        name: "Replacement and refund",
        description: "Replacing a damaged or late bag, or refunding it.",
        stage: 4,
        channel: "mail",
        department: "Customer care",
        owner: "rosa.jimenez@aurora.example",
        importance: &[("subscribers", 5), ("high_value", 5), ("new", 4)],
    },
];

struct ExperienceSeed {
    name: &'static str,
    definition: &'static str,
    segments: &'static [&'static str],
    metric: Metric,
    target: f64,
    period: Period,
    leader: &'static str,
    interactions: &'static [&'static str],
}

const EXPERIENCES: [ExperienceSeed; 3] = [
    ExperienceSeed {
        name: "First order",
        definition: "Someone who has never bought from us, online or in a café, and places a first order.",
        segments: &["new", "online"],
        metric: Metric::RepeatPurchaseRate,
        target: 35.0,
        period: Period::Quarter,
        leader: "daniel.okafor@aurora.example",
        interactions: &[
            "Website and coffee finder",
            "Online checkout",
            "Order confirmation e-mail",
            "Delivery",
            "Unboxing and brew guide",
        ],
    },
    ExperienceSeed {
        name: "Subscription renewal",
        definition: "A subscriber approaching their next delivery, from the reminder to the cup.",
        segments: &["subscribers"],
        metric: Metric::ChurnRate,
        target: 4.0,
        period: Period::Month,
        leader: "marta.ruiz@aurora.example",
        interactions: &[
            "Renewal reminder",
            "Subscription management page",
            "Roasting and packing",
            "Delivery",
            "Loyalty rewards app",
        ],
    },
    ExperienceSeed {
        name: "Support resolution",
        definition: "A customer with a problem (late, damaged or wrong coffee) who contacts us in any channel.",
        segments: &["subscribers", "high_value", "spanish"],
        metric: Metric::RepeatPurchaseRate,
        target: 60.0,
        period: Period::Quarter,
        leader: "rosa.jimenez@aurora.example",
        interactions: &["Support chat", "Phone support", "Replacement and refund"],
    },
];

/// Seeds the demo organization unless it exists, with history up to now.
pub async fn seed(store: &dyn Store) -> Result<Seeded> {
    seed_at(store, Utc::now()).await
}

/// Seeds the demo organization unless it exists, dating its year of
/// responses and events back from `now`.
pub async fn seed_at(store: &dyn Store, now: DateTime<Utc>) -> Result<Seeded> {
    if store.org_by_slug(ORG_SLUG).await?.is_some() {
        return Ok(Seeded::AlreadyThere);
    }
    let new = NewOrganization::parse(ORG_SLUG, ORG_NAME)?;
    let org = match store.create_org(&new).await {
        Ok(org) => org,
        // Another server sharing the database is seeding it right now.
        Err(StoreError::Conflict { .. }) => return Ok(Seeded::AlreadyThere),
        Err(e) => return Err(e.into()),
    };
    seed_program(store, org.id, now).await?;
    Ok(Seeded::Created)
}

fn date((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid calendar date")
}

async fn seed_program(store: &dyn Store, org: Id, now: DateTime<Utc>) -> Result<()> {
    store
        .set_mission(
            org,
            Some(
                "We roast coffee that brings people together, and we make every cup, order and visit \
                 feel as personal as our neighbourhood cafés.",
            ),
            None,
        )
        .await?;

    let mut people: HashMap<&str, Id> = HashMap::new();
    for (name, email, department, role, joined) in PEOPLE {
        let draft = PersonDraft {
            name: Some(name.into()),
            email: Some(email.into()),
            department: Some(department.into()),
            role: Some(role.into()),
            joined_on: Some(date(joined)),
        };
        let input = draft.validate(date(LEFT_ON)).with_context(|| format!("person {name}"))?;
        people.insert(email, store.create_person(org, &input).await?.id);
    }

    let mut segments: HashMap<&str, Id> = HashMap::new();
    for (key, draft) in SEGMENTS.iter().zip(segment_drafts()) {
        let input = draft.validate().with_context(|| format!("segment {key}"))?;
        segments.insert(key, store.create_segment(org, &input).await?.id);
    }

    let mut stages = Vec::new();
    for name in STAGES {
        let input = StageDraft { name: Some(name.into()), position: None }.validate()?;
        stages.push(store.create_stage(org, &input).await?.id);
    }

    let mut touchpoints: HashMap<&str, Id> = HashMap::new();
    for t in &TOUCHPOINTS {
        let draft = TouchpointDraft {
            name: Some(t.name.into()),
            description: Some(t.description.into()),
            stage_id: Some(stages[t.stage]),
            position: None,
            channel: Some(t.channel.into()),
            department: Some(t.department.into()),
            owner_id: Some(people[t.owner]),
            importance: t
                .importance
                .iter()
                .map(|(seg, importance)| Importance { segment_id: segments[seg], importance: *importance })
                .collect(),
        };
        let input = draft.validate().with_context(|| format!("touchpoint {}", t.name))?;
        touchpoints.insert(t.name, store.create_touchpoint(org, &input).await?.id);
    }

    let mut experiences = Vec::new();
    for x in &EXPERIENCES {
        let draft = ExperienceDraft {
            name: Some(x.name.into()),
            customer_definition: Some(x.definition.into()),
            segment_ids: x.segments.iter().map(|s| segments[s]).collect(),
            goal_metric: Some(x.metric),
            goal_target: Some(x.target),
            goal_period: Some(x.period),
            goal_behaviour_id: None,
            leader_id: Some(people[x.leader]),
        };
        let input = draft.validate().with_context(|| format!("experience {}", x.name))?;
        let id = store.create_experience(org, &input).await?.id;
        if experiences.is_empty() {
            // History: the first-order plan once counted social media as a key
            // interaction, and dropped it when the team saw it did not drive orders.
            let social = touchpoints["Social media and reviews"];
            store.add_interaction(org, id, social, None).await?;
            store.remove_interaction(org, id, social, None).await?;
        }
        for tp in x.interactions {
            store.add_interaction(org, id, touchpoints[tp], None).await?;
        }
        experiences.push(id);
    }
    // A person who left, and whose touchpoint was handed over: coverage stays 100%.
    store.deactivate_person(org, people[LEAVER], date(LEFT_ON), None).await?;
    store.handover(org, people[LEAVER], people[LEAVER_SUCCESSOR], None).await?;

    let criterion = |metric, scope, comparator, threshold, margin| CriterionDraft {
        metric: Some(metric),
        scope: Some(scope),
        comparator: Some(comparator),
        threshold: Some(threshold),
        margin: Some(margin),
        behaviour_id: None,
    };
    let v1 = IntentDraft {
        statement: Some(
            "Every customer feels the warmth of a neighbourhood café, whether they order online or visit us.".into(),
        ),
        criteria: vec![criterion(Metric::Nps, Scope::Organization, Comparator::AtLeast, 40.0, 5.0)],
    };
    let v2 = IntentDraft {
        statement: Some(
            "Every customer, in English or in Spanish, feels the warmth of a neighbourhood café: coffee that \
             arrives fresh and on time, a subscription that bends to their life, and problems solved the \
             first time they tell us."
                .into(),
        ),
        criteria: vec![
            criterion(Metric::Nps, Scope::Organization, Comparator::AtLeast, 45.0, 5.0),
            criterion(Metric::RepeatPurchaseRate, Scope::Experience(experiences[0]), Comparator::AtLeast, 35.0, 3.0),
            criterion(Metric::ChurnRate, Scope::Experience(experiences[1]), Comparator::AtMost, 4.0, 1.0),
            criterion(Metric::Csat, Scope::Experience(experiences[2]), Comparator::AtLeast, 85.0, 3.0),
            criterion(Metric::Ces, Scope::Touchpoint(touchpoints["Support chat"]), Comparator::AtLeast, 5.5, 0.3),
        ],
    };
    for draft in [v1, v2] {
        let input = draft.validate().context("intent statement")?;
        store.create_intent_version(org, &input, Some(ACTOR), None).await?;
    }

    let hash = password::hash(PASSWORD);
    for (email, role, person) in ACCOUNTS {
        let user = NewUser {
            email: email.to_string(),
            role,
            password_hash: hash.clone(),
            person_id: person.map(|p| people[p]),
        };
        store.create_user(org, &user).await.with_context(|| format!("account {email}"))?;
    }

    // Customers in one batch through the ingestion service, like an import.
    let drafts = customers(CUSTOMERS).into_iter().map(|c| CustomerDraft {
        external_id: Some(c.external_id),
        email: c.email,
        name: c.name,
        attributes: c.attributes,
    });
    let report = ingest::customers(store, org, drafts.map(Ok).enumerate().collect())
        .await
        .map_err(|e| anyhow::Error::new(e).context("demo customers"))?;
    ensure!(report.rejected == 0, "demo customers rejected: {:?}", report.items.iter().find(|i| i.errors.is_some()));
    seed_themes(store, org).await?;
    seed_listening(store, org, &people, &touchpoints, now).await?;
    cases::seed(store, org, &people, &touchpoints, now).await?;
    training::seed(store, org, &people, &touchpoints, now).await?;
    knowledge::seed(store, org, &people, &touchpoints, now).await?;
    recognition::seed(store, org, &people, &touchpoints, now).await?;
    staffing::seed(store, org, &people, &touchpoints, now).await?;
    distribution::seed(store, org, &people, &touchpoints, now).await?;
    conversations::seed(store, org, &people, &touchpoints, now).await?;
    case_queue::seed(store, org, &people, &touchpoints, now).await?;
    empathy::seed(store, org, &people, &touchpoints, now).await?;
    perfect_behaviours::seed(store, org, &people, &touchpoints, now).await?;
    council::seed(store, org, &people, &touchpoints, now).await?;
    diagnostic::seed(store, org, &people, &touchpoints, now).await?;
    gaps::seed(store, org, &people, &touchpoints, now).await?;
    store.record_audit(org, &Audit::new(ACTOR, "demo.seed", "organization:demo")).await?;
    Ok(())
}

/// Touchpoints deliberately left without a listening post, so that the gaps
/// view has something to show.
const UNHEARD: [&str; 2] = ["Social media and reviews", "Roasting and packing"];

/// Customers `cust-0001` to `cust-0010` get no seeded responses or events, so
/// personal survey links for them are answerable (the fatigue rule would
/// thank the others).
pub const FRESH_CUSTOMERS: usize = 10;

/// A channel for a touchpoint's listening post, its name, and the hours
/// promised for a response.
fn listening_channel(channel: &str) -> (&'static str, &'static str, i64) {
    match channel {
        "web" => ("web_feedback", "Website feedback widget", 48),
        "store" => ("in_person", "Café comment cards", 72),
        "email" => ("email", "Replies to our e-mails", 24),
        "mail" => ("email", "Delivery and parcel feedback", 24),
        "mobile_app" => ("app_review", "App store reviews", 72),
        "chat" => ("chat", "Chat transcripts", 8),
        "phone" => ("phone", "Call notes", 8),
        _ => ("other", "Feedback", 72),
    }
}

/// What the demo's customers talk about, defined before their comments
/// arrive so that ingestion finds them (`/feedback/themes`).
const THEMES: [(&str, &[&str], &[&str]); 5] = [
    ("Delivery", &["delivery", "arrived", "late", "parcel"], &["entrega", "llegó", "tarde", "paquete"]),
    ("Freshness", &["fresh", "stale", "beans"], &["fresco", "rancio", "granos"]),
    ("Billing", &["charged", "refund", "expensive", "price"], &["cobraron", "reembolso", "caro", "precio"]),
    (
        "Subscription page",
        &["subscription page", "pause", "skipping", "logged me out"],
        &["página", "pausar", "saltar", "sesión"],
    ),
    ("People", &["friendly", "answered", "people"], &["amable", "respondió", "gente"]),
];

async fn seed_themes(store: &dyn Store, org: Id) -> Result<()> {
    for (name, en, es) in THEMES {
        let draft = rapport_core::text::ThemeDraft {
            name: Some(name.into()),
            keywords_en: en.iter().map(|s| s.to_string()).collect(),
            keywords_es: es.iter().map(|s| s.to_string()).collect(),
        };
        let input = draft.validate().map_err(|e| anyhow::anyhow!("demo theme {name}: {e}"))?;
        store.create_theme(org, &input).await?;
    }
    Ok(())
}

/// Surveys, listening posts, and a year of responses and events through the
/// ingestion service (the API's validation and idempotency keys).
async fn seed_listening(
    store: &dyn Store,
    org: Id,
    people: &HashMap<&str, Id>,
    touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut rng = StdRng::seed_from_u64(0x5E_2026);
    let mut surveys = Vec::new();
    for seed in &SURVEYS {
        let input = survey_draft(seed, touchpoints[seed.touchpoint]).validate().context("demo survey")?;
        let token: String =
            (0..24).map(|_| char::from(b"abcdefghjkmnpqrstuvwxyz23456789"[rng.gen_range(0..31)])).collect();
        let survey = store.create_survey(org, &input, &token).await?;
        store.set_survey_status(org, survey.id, SurveyStatus::Published).await?;
        surveys.push(survey.id);
    }

    for t in &TOUCHPOINTS {
        if UNHEARD.contains(&t.name) {
            continue;
        }
        let surveyed = SURVEYS.iter().any(|s| s.touchpoint == t.name);
        let (channel, name, hours) = if surveyed { ("survey", "NPS survey", 48) } else { listening_channel(t.channel) };
        let owner = if t.owner == LEAVER { LEAVER_SUCCESSOR } else { t.owner };
        let draft = ListeningPostDraft {
            name: Some(format!("{name}: {}", t.name)),
            channel: Some(channel.into()),
            touchpoint_id: Some(touchpoints[t.name]),
            priority: Some(t.importance.iter().map(|(_, i)| *i).max().unwrap_or(3)),
            governed_by: Some(people[owner]),
            response_hours: Some(hours),
            notes: None,
        };
        let input = draft.validate().with_context(|| format!("listening post for {}", t.name))?;
        store.create_listening_post(org, &input).await?;
    }

    // Responses and events through the ingestion service, in chunks of at
    // most `ingest::CHUNK` items (one store transaction each).
    let profiles = profile::profiles(&customers(CUSTOMERS), now);
    let active = &profiles[FRESH_CUSTOMERS..];
    let responses = responses::responses(active, &surveys, now);
    for chunk in responses.chunks(ingest::CHUNK) {
        let items = chunk.iter().cloned().map(Ok).enumerate().collect();
        let report =
            ingest::responses(store, org, items).await.map_err(|e| anyhow::Error::new(e).context("demo responses"))?;
        ensure!(
            report.rejected == 0,
            "demo responses rejected: {:?}",
            report.items.iter().find(|i| i.errors.is_some())
        );
    }
    let events = events::events(active, touchpoints, now);
    for chunk in events.chunks(ingest::CHUNK) {
        let items = chunk.iter().cloned().map(Ok).enumerate().collect();
        let report =
            ingest::events(store, org, items).await.map_err(|e| anyhow::Error::new(e).context("demo events"))?;
        ensure!(report.rejected == 0, "demo events rejected: {:?}", report.items.iter().find(|i| i.errors.is_some()));
    }
    Ok(())
}

fn segment_drafts() -> Vec<SegmentDraft> {
    let eq = |a: &str, v: &str| Condition::Equals { attribute: a.into(), value: v.into() };
    let range = |a: &str, min, max| Condition::Range { attribute: a.into(), min, max };
    let segment = |name: &str, description: &str, combine, conditions| SegmentDraft {
        name: Some(name.into()),
        description: Some(description.into()),
        rule: SegmentRule { combine, conditions },
    };
    vec![
        segment(
            "Subscribers",
            "Customers with an active coffee subscription.",
            Combine::All,
            vec![eq("plan", "subscription")],
        ),
        segment("New customers", "At most one order so far.", Combine::All, vec![range("orders", None, Some(1.0))]),
        segment(
            "Café regulars",
            "Six or more café visits in the last 90 days.",
            Combine::All,
            vec![range("cafe_visits_90d", Some(6.0), None)],
        ),
        segment("Spanish speakers", "Customers who prefer Spanish.", Combine::All, vec![eq("language", "es")]),
        segment(
            "High value",
            "Spent 400 or more, or ordered 15 times or more.",
            Combine::Any,
            vec![range("lifetime_spend", Some(400.0), None), range("orders", Some(15.0), None)],
        ),
        segment(
            "Online shoppers",
            "Customers who buy online (only or as well as in cafés).",
            Combine::All,
            vec![Condition::OneOf { attribute: "channel".into(), values: vec!["online".into(), "both".into()] }],
        ),
    ]
}

const FIRST_NAMES: [&str; 24] = [
    "Alex", "Beatriz", "Camila", "David", "Elena", "Fernando", "Gabriela", "Hannah", "Isabel", "Jorge", "Karen",
    "Luis", "María", "Nathan", "Olivia", "Pedro", "Quinn", "Raúl", "Sarah", "Tomás", "Uma", "Victor", "Wendy",
    "Ximena",
];
const LAST_NAMES: [&str; 20] = [
    "Álvarez", "Brown", "Campos", "Davis", "Espinoza", "Flores", "García", "Hughes", "Ibarra", "Johnson", "King",
    "López", "Morales", "Nguyen", "Ortiz", "Patel", "Quintero", "Reyes", "Smith", "Vargas",
];

/// Deterministic customers whose attributes the segments above match.
pub fn customers(n: usize) -> Vec<CustomerUpsert> {
    customer_stream().take(n).collect()
}

/// The same customers without end (`cust-0001`, `cust-0002`, ...): the demo
/// takes the first [`CUSTOMERS`], `rapport bench pages` as many as it needs.
pub fn customer_stream() -> impl Iterator<Item = CustomerUpsert> {
    let mut rng = StdRng::seed_from_u64(0xA0_2026);
    (1..).map(move |i| {
        let first = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
        let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
        let language = if rng.gen_bool(0.4) { "es" } else { "en" };
        let channel = ["online", "cafe", "both"][rng.gen_range(0..3)];
        let subscriber = channel != "cafe" && rng.gen_bool(0.45);
        let orders: i64 = if rng.gen_bool(0.2) { rng.gen_range(0..=1) } else { rng.gen_range(2..=40) };
        let visits: i64 = if channel == "online" { 0 } else { rng.gen_range(0..=20) };
        let spend = (orders as f64 * rng.gen_range(14.0..32.0) * 100.0).round() / 100.0;
        let mut attributes = Map::new();
        attributes.insert("plan".into(), json!(if subscriber { "subscription" } else { "none" }));
        attributes.insert("language".into(), json!(language));
        attributes.insert("region".into(), json!(["north", "central", "south"][rng.gen_range(0..3)]));
        attributes.insert("channel".into(), json!(channel));
        attributes.insert("orders".into(), json!(orders));
        attributes.insert("cafe_visits_90d".into(), json!(visits));
        attributes.insert("lifetime_spend".into(), Value::from(spend));
        attributes.insert("tenure_months".into(), json!(rng.gen_range(0..=72)));
        CustomerUpsert {
            external_id: format!("cust-{i:04}"),
            email: Some(format!("customer{i:04}@example.com")),
            name: Some(format!("{first} {last}")),
            attributes,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_are_deterministic_and_fill_every_segment() {
        let a = customers(CUSTOMERS);
        assert_eq!(a, customers(CUSTOMERS));
        for (key, draft) in SEGMENTS.iter().zip(segment_drafts()) {
            let rule = draft.validate().unwrap().rule;
            let n = a.iter().filter(|c| rule.matches(&c.attributes)).count();
            assert!((20..CUSTOMERS).contains(&n), "segment {key} matches {n} of {CUSTOMERS}");
        }
    }

    #[test]
    fn references_point_at_seeded_rows() {
        let emails: Vec<&str> = PEOPLE.iter().map(|p| p.1).collect();
        let tps: Vec<&str> = TOUCHPOINTS.iter().map(|t| t.name).collect();
        for t in &TOUCHPOINTS {
            assert!(emails.contains(&t.owner) && t.stage < STAGES.len(), "{}", t.name);
            assert!(t.importance.iter().all(|(s, _)| SEGMENTS.contains(s)), "{}", t.name);
        }
        for x in &EXPERIENCES {
            assert!(emails.contains(&x.leader) && x.leader != LEAVER);
            assert!(x.interactions.iter().all(|i| tps.contains(i)), "{}", x.name);
            assert!(x.segments.iter().all(|s| SEGMENTS.contains(s)));
            assert!(x.metric.is_behaviour(), "{}: the goal is a behaviour", x.name);
        }
        for (_, _, person) in ACCOUNTS {
            assert!(person.is_none_or(|p| emails.contains(&p)));
        }
        assert!(emails.contains(&LEAVER_SUCCESSOR));
        for s in &SURVEYS {
            assert!(tps.contains(&s.touchpoint), "{}", s.touchpoint);
            survey_draft(s, 1).validate().unwrap();
        }
        for (x, s) in EXPERIENCES.iter().zip(&SURVEYS) {
            assert!(x.interactions.contains(&s.touchpoint), "each experience has its survey: {}", x.name);
        }
        assert!(UNHEARD.iter().all(|u| tps.contains(u)) && UNHEARD.len() < TOUCHPOINTS.len() / 4);
        let stages_used: std::collections::HashSet<usize> = TOUCHPOINTS.iter().map(|t| t.stage).collect();
        assert_eq!(stages_used.len(), STAGES.len(), "every stage has touchpoints");
    }

    #[test]
    fn instructions_name_the_credentials() {
        let s = sign_in_instructions("http://127.0.0.1:8080", Some("tok123"));
        for needle in [
            "http://127.0.0.1:8080/sign-in",
            "organization: demo",
            ADMIN_EMAIL,
            PASSWORD,
            "viewer@demo.example",
            "http://127.0.0.1:8080/s/tok123",
        ] {
            assert!(s.contains(needle), "{needle} in {s}");
        }
        assert!(!sign_in_instructions("http://h", None).contains("/s/"));
    }
}

#[cfg(test)]
mod checks;
