//! The API of staffing (E5), on both backends: the Erlang C calculator
//! (the issue's 100 contacts per 30 minutes: 14 raw / 20 scheduled, as
//! pyworkforce answers), each invalid figure a 422 naming its field, a
//! channel's targets and schedule (only with PlanStaffing), and the week
//! of a touchpoint from events at known hours, as JSON and CSV.

use crate::helpers::{id, TestApp};
use chrono::{Datelike, Duration, DurationRound, Timelike, Utc};
use rapport_core::role::Role;
use serde_json::{json, Value};

fn issue_case() -> Value {
    json!({"contacts": 100, "interval_minutes": 30, "handle_seconds": 180, "service_level": 0.8,
           "answer_seconds": 20, "shrinkage": 0.3, "max_occupancy": 0.85})
}

fn with(field: &str, value: Value) -> Value {
    let mut v = issue_case();
    v[field] = value;
    v
}

pub async fn staffing_api(app: TestApp) {
    let org = app.org("staffing").await;
    let admin = app.client(org.id, Role::Admin).await;
    let agent = app.client(org.id, Role::Agent).await;
    let viewer = app.client(org.id, Role::Viewer).await;

    // The calculator, for every reader.
    let r = viewer.post("/api/v1/staffing/erlang-c", issue_case()).await.expect(200);
    assert_eq!((r["raw_agents"].as_u64(), r["scheduled_agents"].as_u64()), (Some(14), Some(20)), "{r}");
    assert!((r["traffic"].as_f64().unwrap() - 10.0).abs() < 1e-9);
    assert!((r["at_raw"]["service_level"].as_f64().unwrap() - 0.8883500192).abs() < 1e-9, "{r}");
    assert!((r["at_raw"]["occupancy"].as_f64().unwrap() - 10.0 / 14.0).abs() < 1e-9);
    assert!(r["at_raw"]["average_speed_of_answer"].as_f64().unwrap() > 0.0);
    let table: Vec<u64> = r["table"].as_array().unwrap().iter().map(|x| x["agents"].as_u64().unwrap()).collect();
    assert_eq!(table, vec![12, 13, 14, 15, 16]);
    let large = with("contacts", json!(1000));
    let r = agent.post("/api/v1/staffing/erlang-c", large).await.expect(200);
    assert_eq!((r["raw_agents"].as_u64(), r["scheduled_agents"].as_u64()), (Some(118), Some(169)), "{r}");

    // Each invalid figure is a 422 naming it.
    let bad = [
        (with("interval_minutes", json!(0)), "interval_minutes"),
        (with("handle_seconds", json!(-5)), "handle_seconds"),
        (with("contacts", json!(0)), "contacts"),
        (with("max_occupancy", json!(1.2)), "max_occupancy"),
        (with("shrinkage", json!(1)), "shrinkage"),
        (with("service_level", json!(0)), "service_level"),
        (with("service_level", json!(1.5)), "service_level"),
        (with("answer_seconds", json!(-1)), "answer_seconds"),
        (with("contacts", json!("many")), "contacts"),
    ];
    for (body, field) in bad {
        admin.post("/api/v1/staffing/erlang-c", body).await.expect_error(422, "invalid", Some(field));
    }
    // A service level no staffing reaches.
    let mut unreachable = with("service_level", json!(1.0));
    unreachable["answer_seconds"] = json!(0);
    let r = admin.post("/api/v1/staffing/erlang-c", unreachable).await;
    r.expect_error(422, "invalid", Some("service_level"));
    assert_eq!(r.json["error"]["fields"]["service_level"]["code"], "unreachable", "{}", r.text);
    let r = admin.post("/api/v1/staffing/erlang-c", json!({})).await;
    r.expect_error(422, "invalid", Some("contacts"));

    // A support phone, in Madrid's clock, with events at known hours:
    // three in the hour that started two hours ago, one last week at the
    // same hour.
    admin.put("/api/v1/calendar", json!({"time_zone": "Europe/Madrid"})).await.expect(200);
    let stage = id(&admin.post("/api/v1/stages", json!({"name": "Help"})).await.expect(201));
    let phone =
        id(&admin.post("/api/v1/touchpoints", json!({"name": "Support phone", "stage_id": stage})).await.expect(201));
    let hour = Utc::now().duration_trunc(Duration::hours(1)).unwrap() - Duration::hours(2);
    let at = |t: chrono::DateTime<Utc>| t.to_rfc3339();
    let events = json!([
        {"id": "e1", "type": "contact", "customer": "c1", "at": at(hour + Duration::minutes(5)), "touchpoint": phone},
        {"id": "e2", "type": "contact", "customer": "c2", "at": at(hour + Duration::minutes(35)), "touchpoint": phone},
        {"id": "e3", "type": "contact", "customer": "c3", "at": at(hour + Duration::minutes(59)), "touchpoint": phone},
        {"id": "e4", "type": "contact", "customer": "c1", "at": at(hour - Duration::weeks(1)), "touchpoint": phone},
        {"id": "e5", "type": "contact", "customer": "c1", "at": at(hour - Duration::weeks(30)), "touchpoint": phone},
    ]);
    admin.post("/api/v1/events", events).await.expect(200);
    let local = rapport_core::calendar::local_time("Europe/Madrid", hour);
    let (weekday, local_hour) = (local.weekday().num_days_from_monday() as u64, local.hour() as u64);

    let base = format!("/api/v1/staffing/touchpoints/{phone}");
    // Not a contact channel yet: readable, no need.
    let s = viewer.get(&format!("{base}/settings")).await.expect(200);
    assert_eq!(s["contact_channel"], false);
    let w = viewer.get(&format!("{base}/week")).await.expect(200);
    assert_eq!((w["contact_channel"].as_bool(), w["weeks"].as_u64()), (Some(false), Some(4)));

    // Targets: PlanStaffing only; validated.
    let targets = json!({"handle_seconds": 180, "service_level": 0.8, "answer_seconds": 20, "shrinkage": 0.3,
                         "max_occupancy": 0.85});
    agent.put(&format!("{base}/settings"), targets.clone()).await.expect_error(403, "forbidden", None);
    let r = admin
        .put(&format!("{base}/settings"), json!({"handle_seconds": 0, "service_level": 1.0, "answer_seconds": 0}))
        .await;
    r.expect_error(422, "invalid", Some("handle_seconds"));
    let r = admin
        .put(&format!("{base}/settings"), json!({"handle_seconds": 60, "service_level": 1.0, "answer_seconds": 0}))
        .await;
    r.expect_error(422, "invalid", Some("service_level"));
    let s = admin.put(&format!("{base}/settings"), targets).await.expect(200);
    assert_eq!(s["contact_channel"], true);
    assert_eq!(s["targets"]["shrinkage"], 0.3);

    // The schedule: an agent cannot put one; a leader can.
    let cells = json!({"cells": [{"weekday": weekday, "hour": local_hour, "agents": 1}, {"weekday": 6, "hour": 23, "agents": 2}]});
    agent.put(&format!("{base}/schedule"), cells.clone()).await.expect_error(403, "forbidden", None);
    let bad = json!({"cells": [{"weekday": 7, "hour": 0, "agents": 1}]});
    admin.put(&format!("{base}/schedule"), bad).await.expect_error(422, "invalid", Some("cells[0].weekday"));
    let leader = app.client(org.id, Role::Leader).await;
    let sched = leader.put(&format!("{base}/schedule"), cells).await.expect(200);
    assert_eq!(sched["cells"].as_array().unwrap().len(), 168);
    let read = viewer.get(&format!("{base}/schedule")).await.expect(200);
    assert_eq!(read, sched);

    // The week: 4 weeks hold 3 + 1 contacts in that hour (the 30-week-old
    // one is outside): 1 an hour on average.
    let w = viewer.get(&format!("{base}/week?weeks=4")).await.expect(200);
    let hours = w["hours"].as_array().unwrap();
    assert_eq!(hours.len(), 168);
    let cell = hours
        .iter()
        .find(|h| h["weekday"].as_u64() == Some(weekday) && h["hour"].as_u64() == Some(local_hour))
        .unwrap();
    assert_eq!(cell["contacts"], 1.0, "{w}");
    // 1 contact an hour at 180 s = 0.05 Erlang: 1 agent answers 80% in 20 s,
    // 2 to schedule with 30% shrinkage.
    assert_eq!((cell["needed_raw"].as_u64(), cell["needed"].as_u64()), (Some(1), Some(2)), "{cell}");
    assert_eq!((cell["scheduled"].as_u64(), cell["shortfall"].as_u64()), (Some(1), Some(1)));
    assert!(w["shortfall_hours"].as_u64().unwrap() >= 1);
    let w1 = viewer.get(&format!("{base}/week?weeks=1")).await.expect(200);
    let cell1 = w1["hours"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["weekday"].as_u64() == Some(weekday) && h["hour"].as_u64() == Some(local_hour))
        .unwrap()
        .clone();
    assert_eq!(cell1["contacts"], 3.0);
    let w30 = viewer.get(&format!("{base}/week?weeks=26")).await.expect(200);
    assert_eq!(w30["weeks"], 26);
    for q in ["weeks=0", "weeks=27", "weeks=x"] {
        viewer.get(&format!("{base}/week?{q}")).await.expect_error(422, "invalid", Some("weeks"));
    }

    // CSV of the week.
    let csv = viewer.get(&format!("{base}/week.csv?weeks=4")).await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(lines[0], "weekday,hour,contacts,needed_raw,needed,scheduled,shortfall");
    assert_eq!(lines.len(), 169);
    assert!(lines.contains(&format!("{weekday},{local_hour:02}:00,1,1,2,1,1").as_str()), "{}", csv.text);

    // Another organization's touchpoint is not found.
    let other = app.org("staffing-other").await;
    let outsider = app.client(other.id, Role::Admin).await;
    outsider.get(&format!("{base}/week")).await.expect_error(404, "not_found", None);
    outsider.get(&format!("{base}/settings")).await.expect_error(404, "not_found", None);
    outsider.put(&format!("{base}/schedule"), json!({"cells": []})).await.expect_error(404, "not_found", None);

    // No longer a channel.
    agent.delete(&format!("{base}/settings")).await.expect_error(403, "forbidden", None);
    let r = admin.delete(&format!("{base}/settings")).await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(viewer.get(&format!("{base}/settings")).await.expect(200)["contact_channel"], false);
}
