//! Demo data for staffing (E5): the two contact channels of customer care
//! ("Support chat", "Phone support") get staffing targets and a schedule,
//! and four weeks of contacts at the hours a coffee company's customers
//! write and call (the year of demo events is spread over all hours of the
//! day, which gives no shape to a week): weekday peaks mid-morning and
//! after lunch, a quieter Saturday, and the phone line closed on Sundays.
//! The schedule leaves some peak hours and the weekend short, so the week
//! table has shortfalls to show.

use anyhow::{Context, Result};
use chrono::{DateTime, Datelike, Duration, Utc};
use rapport_core::calendar::start_of_local_day;
use rapport_core::feedback::EventDraft;
use rapport_core::people::staffing::{Targets, HOURS, WEEKDAYS};
use rapport_core::Id;
use rapport_store::Store;
use serde_json::json;
use std::collections::HashMap;

/// Contacts in a weekday's hour (0–23) at the chat; the phone takes 60% of
/// it Monday to Saturday and nothing on Sunday.
const CHAT_WEEKDAY: [u32; HOURS] = [0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 4, 3, 2, 3, 4, 3, 2, 2, 1, 1, 0, 0, 0];
const CHAT_WEEKEND: [u32; HOURS] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
/// Weeks of contacts seeded (the week table's default).
const WEEKS: i64 = 4;
/// The first customer given contacts (the first ten stay fresh for links).
const FIRST_CUSTOMER: usize = super::FRESH_CUSTOMERS + 1;

fn contacts(channel: &str, weekday: usize, hour: usize) -> u32 {
    let chat = if weekday < 5 { CHAT_WEEKDAY[hour] } else { CHAT_WEEKEND[hour] };
    match channel {
        "Phone support" if weekday == 6 => 0,
        "Phone support" => (chat * 3).div_ceil(5),
        _ => chat,
    }
}

/// Agents scheduled. With 30% shrinkage, every open hour needs three
/// agents on the rota for two at work: the chat has them on weekdays, two
/// on Saturday and one on Sunday afternoons; the phone is thinner at the
/// edges of the day and on Saturday. So the week shows its shortfalls at
/// the weekend, at opening and closing, and at night, when a few customers
/// still write.
fn scheduled(channel: &str, weekday: usize, hour: usize) -> u32 {
    match (channel, weekday) {
        ("Support chat", 0..=4) if (8..20).contains(&hour) => 3,
        ("Support chat", 5) if (9..18).contains(&hour) => 2,
        ("Support chat", 6) if (10..16).contains(&hour) => 1,
        ("Phone support", 0..=4) if (9..18).contains(&hour) => 3,
        ("Phone support", 0..=4) if hour == 8 || (18..20).contains(&hour) => 2,
        ("Phone support", 5) if (10..14).contains(&hour) => 2,
        _ => 0,
    }
}

pub async fn seed(
    store: &dyn Store,
    org: Id,
    _people: &HashMap<&str, Id>,
    touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    let channels = [
        (
            "Support chat",
            Targets {
                handle_seconds: 420.0,
                service_level: 0.8,
                answer_seconds: 60.0,
                shrinkage: 0.3,
                max_occupancy: 0.85,
            },
        ),
        (
            "Phone support",
            Targets {
                handle_seconds: 300.0,
                service_level: 0.8,
                answer_seconds: 20.0,
                shrinkage: 0.3,
                max_occupancy: 0.85,
            },
        ),
    ];
    let zone = store.work_calendar(org).await?.time_zone;
    let today = rapport_core::calendar::local_time(&zone, now).date();
    let mut customer = FIRST_CUSTOMER;
    for (name, targets) in channels {
        let tp = *touchpoints.get(name).with_context(|| format!("demo touchpoint {name}"))?;
        store.put_staffing_settings(org, tp, &targets).await?;
        let mut grid = [[0u32; HOURS]; WEEKDAYS];
        for (d, day) in grid.iter_mut().enumerate() {
            for (h, cell) in day.iter_mut().enumerate() {
                *cell = scheduled(name, d, h);
            }
        }
        store.put_staffing_schedule(org, tp, &grid).await?;

        let mut events = Vec::new();
        for back in 1..=WEEKS * 7 {
            let day = today - Duration::days(back);
            let start = start_of_local_day(&zone, day);
            let weekday = day.weekday().num_days_from_monday() as usize;
            for hour in 0..HOURS {
                let n = contacts(name, weekday, hour);
                for k in 0..n {
                    // Spread within the hour, never past it.
                    let at = start + Duration::hours(hour as i64) + Duration::minutes((k as i64 * 53 + back * 7) % 60);
                    let draft: EventDraft = serde_json::from_value(json!({
                        "id": format!("staffing-{tp}-{}-{hour}-{k}", day),
                        "type": "contact",
                        "customer": format!("cust-{customer:04}"),
                        "at": at.to_rfc3339(),
                        "touchpoint": tp,
                    }))?;
                    events.push(draft.validate().map_err(|e| anyhow::anyhow!("demo contact: {e}"))?);
                    customer = if customer >= super::CUSTOMERS { FIRST_CUSTOMER } else { customer + 1 };
                }
            }
        }
        for chunk in events.chunks(500) {
            store.ingest_events(org, chunk).await.context("demo staffing contacts")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_week_has_a_shape_and_the_phone_rests_on_sunday() {
        let week = |c: &str| -> u32 {
            (0..7).flat_map(|d| (0..HOURS).map(move |h| (d, h))).map(|(d, h)| contacts(c, d, h)).sum()
        };
        assert!(week("Support chat") > week("Phone support"));
        assert_eq!((0..HOURS).map(|h| contacts("Phone support", 6, h)).sum::<u32>(), 0);
        assert!(contacts("Support chat", 0, 10) > contacts("Support chat", 0, 20));
        assert_eq!(scheduled("Support chat", 0, 10), 3);
        assert_eq!(scheduled("Support chat", 6, 12), 1);
        assert_eq!(scheduled("Phone support", 6, 12), 0);
    }
}
