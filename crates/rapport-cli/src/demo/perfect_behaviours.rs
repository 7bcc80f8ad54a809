//! Demo data for perfect behaviours (A7): what Aurora Coffee wants its
//! customers to do, per experience, each with an owner and a target. The
//! figures come from the demo's events (purchases, renewals, referrals),
//! counted when the behaviour is created (and kept by later ingestion).

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rapport_core::plan::perfect_behaviour::BehaviourDraft;
use rapport_core::Id;
use rapport_store::Store;
use std::collections::HashMap;

struct Seed {
    experience: &'static str,
    name: &'static str,
    name_es: &'static str,
    owner: &'static str,
    target: f64,
    event_type: &'static str,
    count: i64,
    window_days: Option<i64>,
    base: &'static str,
}

const BEHAVIOURS: [Seed; 4] = [
    Seed {
        experience: "First order",
        name: "Buys again within 60 days",
        name_es: "Vuelve a comprar en 60 días",
        owner: "daniel.okafor@aurora.example",
        target: 35.0,
        event_type: "purchase",
        count: 2,
        window_days: Some(60),
        base: "matching",
    },
    Seed {
        experience: "First order",
        name: "Refers a friend",
        name_es: "Recomienda a un amigo",
        owner: "emily.chen@aurora.example",
        target: 10.0,
        event_type: "referral",
        count: 1,
        window_days: None,
        base: "active",
    },
    Seed {
        experience: "Subscription renewal",
        name: "Renews the subscription",
        name_es: "Renueva la suscripción",
        owner: "marta.ruiz@aurora.example",
        target: 25.0,
        event_type: "renewal",
        count: 1,
        window_days: None,
        base: "active",
    },
    Seed {
        experience: "Subscription renewal",
        name: "Buys three times in a quarter",
        name_es: "Compra tres veces en un trimestre",
        owner: "pablo.navarro@aurora.example",
        target: 20.0,
        event_type: "purchase",
        count: 3,
        window_days: Some(90),
        base: "matching",
    },
];

pub async fn seed(
    store: &dyn Store,
    org: Id,
    people: &HashMap<&str, Id>,
    _touchpoints: &HashMap<&str, Id>,
    _now: DateTime<Utc>,
) -> Result<()> {
    let experiences = store.list_experiences(org).await?;
    for b in &BEHAVIOURS {
        let Some(x) = experiences.iter().find(|x| x.name == b.experience) else { continue };
        let draft = BehaviourDraft {
            name: Some(b.name.into()),
            name_es: Some(b.name_es.into()),
            owner_id: people.get(b.owner).copied(),
            target: Some(b.target),
            event_type: Some(b.event_type.into()),
            touchpoint_id: None,
            count: Some(b.count),
            window_days: b.window_days,
            base: Some(b.base.into()),
        };
        let input = draft.validate().with_context(|| format!("behaviour {}", b.name))?;
        store.create_behaviour(org, x.id, &input).await.with_context(|| format!("behaviour {}", b.name))?;
    }
    Ok(())
}
