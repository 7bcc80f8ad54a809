//! Stories of staffing (E5), on both backends: events ingested at known
//! hours fill the hourly rollup (never read from the events), which gives
//! the week's agents needed in the organization's time zone; a channel's
//! targets and schedule are saved and read back; another organization sees
//! none of it.

use super::listening::event;
use super::measure::check_event_hours;
use super::{add_stage, add_touchpoint, not_found, org};
use crate::say;
use chrono::{DateTime, TimeZone, Utc};
use rapport_core::people::staffing::{self as st, Targets, HOURS, WEEKDAYS};
use rapport_store::Store;

fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, d, h, m, 0).unwrap()
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

pub async fn staffing_story(s: &dyn Store) {
    let o = org(s, "staffing").await.id;
    let other = org(s, "staffing-other").await.id;
    let stage = add_stage(s, o, "Help", None).await;
    let phone = add_touchpoint(s, o, "Support phone", stage, None).await;
    let web = add_touchpoint(s, o, "Web", stage, None).await;
    let other_stage = add_stage(s, other, "Help", None).await;
    let foreign = add_touchpoint(s, other, "Their phone", other_stage, None).await;

    say("the organization reads its clock in Madrid (UTC+1 in January)");
    let mut cal = s.work_calendar(o).await.unwrap();
    cal.time_zone = "Europe/Madrid".into();
    s.set_work_calendar(o, &cal, None).await.unwrap();

    say("events at known hours: Monday 5 January 2026 08:10, 08:50 (×3) and 09:05 UTC at the phone");
    let mut batch = vec![
        event(Some("p1"), "contact", "c1", &iso(utc(5, 8, 10)), Some(phone)),
        event(Some("p2"), "contact", "c2", &iso(utc(5, 8, 50)), Some(phone)),
        event(Some("p3"), "purchase", "c3", &iso(utc(5, 8, 50)), Some(phone)),
        event(Some("p4"), "contact", "c4", &iso(utc(5, 8, 59)), Some(phone)),
        event(Some("p5"), "contact", "c5", &iso(utc(5, 9, 5)), Some(phone)),
        // The next Monday, same hour: two weeks average.
        event(Some("p6"), "contact", "c1", &iso(utc(12, 8, 30)), Some(phone)),
        event(Some("w1"), "touchpoint_visit", "c1", &iso(utc(5, 8, 15)), Some(web)),
        event(Some("n1"), "contact", "c1", &iso(utc(5, 8, 15)), None),
    ];
    s.ingest_events(o, &batch).await.unwrap();
    say("the same events again are duplicates and count once");
    batch.truncate(2);
    s.ingest_events(o, &batch).await.unwrap();
    s.ingest_events(other, &[event(Some("x1"), "contact", "c1", &iso(utc(5, 8, 10)), Some(foreign))]).await.unwrap();

    let (from, to) = (utc(1, 0, 0), utc(31, 0, 0));
    let hours = s.event_hours(o, Some(phone), from, to).await.unwrap();
    let got: Vec<(DateTime<Utc>, i64)> = hours.iter().map(|h| (h.hour_start, h.n)).collect();
    assert_eq!(got, vec![(utc(5, 8, 0), 4), (utc(5, 9, 0), 1), (utc(12, 8, 0), 1)]);
    let all = s.event_hours(o, None, from, to).await.unwrap();
    assert_eq!(all.iter().map(|h| h.n).sum::<i64>(), 7, "events without a touchpoint are no channel's contacts");
    assert!(all.iter().all(|h| h.touchpoint_id != foreign));
    assert_eq!(s.event_hours(o, Some(phone), utc(5, 9, 0), utc(12, 8, 0)).await.unwrap().len(), 1, "[from, to)");
    check_event_hours(s, o, "after ingestion").await;

    say("the week in Madrid: Monday 09:00 holds 4 + 1 contacts over two weeks");
    let tz = s.work_calendar(o).await.unwrap().time_zone;
    let counts = st::week_counts(hours.iter().map(|h| (h.hour_start, h.n)), &tz);
    assert_eq!((counts[0][9], counts[0][10], counts[0][8]), (5, 1, 0));

    say("the phone becomes a contact channel; another organization's touchpoint is not found");
    let targets = Targets {
        handle_seconds: 180.0,
        service_level: 0.8,
        answer_seconds: 20.0,
        shrinkage: 0.3,
        max_occupancy: 0.85,
    };
    assert_eq!(s.staffing_settings(o, phone).await.unwrap(), None);
    let saved = s.put_staffing_settings(o, phone, &targets).await.unwrap();
    assert_eq!(saved.targets, targets);
    not_found(s.put_staffing_settings(o, foreign, &targets).await);
    not_found(s.staffing_settings(o, foreign).await);
    let read = s.staffing_settings(o, phone).await.unwrap().unwrap();
    assert_eq!((read.touchpoint_id, read.targets), (phone, targets));
    let changed = Targets { handle_seconds: 240.0, ..targets };
    s.put_staffing_settings(o, phone, &changed).await.unwrap();
    let list = s.list_staffing_settings(o).await.unwrap();
    assert_eq!(list.iter().map(|c| (c.touchpoint_id, c.targets)).collect::<Vec<_>>(), vec![(phone, changed)]);
    assert!(s.list_staffing_settings(other).await.unwrap().is_empty());

    say("a schedule is saved and read back; the week compares it with the need");
    let mut grid = [[0u32; HOURS]; WEEKDAYS];
    grid[0][9] = 1;
    grid[0][10] = 2;
    grid[4][17] = 7;
    s.put_staffing_schedule(o, phone, &grid).await.unwrap();
    assert_eq!(s.staffing_schedule(o, phone).await.unwrap(), grid);
    assert_eq!(s.staffing_schedule(o, web).await.unwrap(), [[0; HOURS]; WEEKDAYS]);
    not_found(s.put_staffing_schedule(o, foreign, &grid).await);
    not_found(s.staffing_schedule(o, foreign).await);
    assert_eq!(s.staffing_schedule(other, foreign).await.unwrap(), [[0; HOURS]; WEEKDAYS]);
    let week = st::week(&counts, 2, &changed, &grid);
    let nine = week.iter().find(|h| h.weekday == 0 && h.hour == 9).unwrap();
    // 2.5 contacts an hour at 240 s: 1/6 Erlang; 2 agents reach 80% in 20 s.
    let direct = st::staff(2.5, 60.0, &changed).unwrap();
    assert_eq!((nine.contacts, nine.needed_raw, nine.needed), (2.5, direct.raw_agents, direct.scheduled_agents));
    assert_eq!(nine.shortfall, direct.scheduled_agents - 1);
    let friday = week.iter().find(|h| h.weekday == 4 && h.hour == 17).unwrap();
    assert_eq!((friday.needed, friday.scheduled, friday.shortfall), (0, 7, 0));

    say("a schedule replaces the previous one");
    let mut smaller = [[0u32; HOURS]; WEEKDAYS];
    smaller[2][12] = 3;
    s.put_staffing_schedule(o, phone, &smaller).await.unwrap();
    assert_eq!(s.staffing_schedule(o, phone).await.unwrap(), smaller);

    say("a rebuild recounts the hourly rollup to the same rows");
    s.rebuild_rollups(o).await.unwrap();
    assert_eq!(s.event_hours(o, None, from, to).await.unwrap(), all);
    check_event_hours(s, o, "after rebuild").await;

    say("the channel stops being one: its schedule goes too");
    not_found(s.delete_staffing_settings(o, web).await);
    s.delete_staffing_settings(o, phone).await.unwrap();
    assert_eq!(s.staffing_settings(o, phone).await.unwrap(), None);
    assert_eq!(s.staffing_schedule(o, phone).await.unwrap(), [[0; HOURS]; WEEKDAYS]);
}
