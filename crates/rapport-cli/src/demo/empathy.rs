//! Demo data for empathy maps (A6): four touchpoints of the coffee company
//! mapped, their pains and gains quoting real demo comments (the latest at
//! each touchpoint, chosen by tone) and citing the feedback themes; the
//! counter's map has a workshop-only first version and a second built
//! from evidence, and a separate map for the subscribers' segment.

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use rapport_core::plan::empathy::{Entry, Evidence, EvidenceKind, MapInput, Quadrant, Suggestion};
use rapport_core::Id;
use rapport_store::Store;
use std::collections::HashMap;

/// (touchpoint, [(quadrant, the team's words, the theme it cites)]).
type Plan = (&'static str, &'static [(Quadrant, &'static str, Option<&'static str>)]);

const MAPS: [Plan; 4] = [
    (
        "Café counter order",
        &[
            (Quadrant::Says, "“A flat white with oat milk, please — and quickly.”", None),
            (Quadrant::Thinks, "Will I make my train if this queue does not move?", None),
            (Quadrant::Does, "Checks the phone, looks for the mobile-order pickup shelf", None),
            (Quadrant::Feels, "Welcome when the barista remembers the usual order", Some("People")),
        ],
    ),
    (
        "Delivery",
        &[
            (Quadrant::Says, "“Where is my parcel? The tracking has not moved.”", Some("Delivery")),
            (Quadrant::Thinks, "Are the beans still fresh if it arrives late?", Some("Freshness")),
            (Quadrant::Does, "Refreshes the tracking page, then writes to support", None),
            (Quadrant::Feels, "Anxious the week a delivery slips", Some("Delivery")),
        ],
    ),
    (
        "Online checkout",
        &[
            (Quadrant::Says, "“Why is shipping only shown at the last step?”", Some("Billing")),
            (Quadrant::Thinks, "Is a subscription cheaper than buying each bag?", Some("Billing")),
            (Quadrant::Does, "Compares bag sizes and grinds in two tabs", None),
            (Quadrant::Feels, "Reassured by the roast date on each product", Some("Freshness")),
        ],
    ),
    (
        "Support chat",
        &[
            (Quadrant::Says, "“I was charged twice this month.”", Some("Billing")),
            (Quadrant::Thinks, "Will a person answer, or a bot?", Some("People")),
            (Quadrant::Does, "Pastes the order number and a screenshot", None),
            (Quadrant::Feels, "Relieved when the agent fixes it in one reply", Some("People")),
        ],
    ),
];

fn entry(quadrant: Quadrant, text: &str, evidence: Option<Evidence>) -> Entry {
    Entry { quadrant, text: text.into(), evidence, quote: None }
}

/// Up to two pains and two gains quoting the touchpoint's latest comments.
fn quoted(suggestions: &[Suggestion]) -> Vec<Entry> {
    let mut out = Vec::new();
    for q in [Quadrant::Pains, Quadrant::Gains] {
        for s in suggestions.iter().filter(|s| s.quadrant == q).take(2) {
            out.push(entry(q, "", Some(Evidence { kind: EvidenceKind::Response, id: s.response_id })));
        }
    }
    out
}

pub async fn seed(
    store: &dyn Store,
    org: Id,
    people: &HashMap<&str, Id>,
    touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut emails: Vec<&str> = people.keys().copied().collect();
    emails.sort_unstable();
    let author = emails.first().copied().unwrap_or("demo-seed");
    let themes: HashMap<String, Id> = store.list_themes(org).await?.into_iter().map(|t| (t.name, t.id)).collect();
    let theme =
        |name: Option<&str>| name.and_then(|n| themes.get(n)).map(|id| Evidence { kind: EvidenceKind::Theme, id: *id });
    for (i, (name, team)) in MAPS.iter().enumerate() {
        let Some(&tp) = touchpoints.get(name) else { continue };
        let workshop: Vec<Entry> = team.iter().map(|(q, text, _)| entry(*q, text, None)).collect();
        if i == 0 {
            // The counter's first version came from a workshop, before evidence.
            let v1 = MapInput { entries: workshop };
            store.save_empathy_map(org, tp, None, &v1, author, now - Duration::days(21)).await?;
        }
        let mut entries: Vec<Entry> = team.iter().map(|(q, text, th)| entry(*q, text, theme(*th))).collect();
        entries.extend(quoted(&store.empathy_suggestions(org, tp).await?));
        let map = MapInput { entries };
        store.save_empathy_map(org, tp, None, &map, author, now - Duration::days(7 - i as i64)).await?;
    }
    // The subscribers see the counter differently: a map of their own.
    let segments = store.list_segments(org).await?;
    if let (Some(seg), Some(&tp)) =
        (segments.iter().find(|s| s.name.to_lowercase().contains("subscri")), touchpoints.get("Café counter order"))
    {
        let map = MapInput {
            entries: vec![
                entry(Quadrant::Says, "“I already pay monthly — why do I queue like everyone?”", None),
                entry(Quadrant::Pains, "No perk at the counter for being a subscriber", theme(Some("Billing"))),
                entry(Quadrant::Gains, "Trying the next month's beans before they ship", theme(Some("Freshness"))),
            ],
        };
        store.save_empathy_map(org, tp, Some(seg.id), &map, author, now - Duration::days(3)).await?;
    }
    Ok(())
}
