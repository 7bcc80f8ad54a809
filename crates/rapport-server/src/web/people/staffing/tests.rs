use crate::web::test_support::{in_lang, session_as, TestApp};
use axum::http::StatusCode;
use chrono::{Duration, DurationRound, Utc};
use rapport_core::feedback::EventDraft;
use rapport_core::role::Role;

#[tokio::test]
async fn the_calculator_works_without_javascript_in_both_languages() {
    let t = TestApp::new().await;
    // Without figures: the form, prefilled, and no result.
    let p = t.get("/staffing", &t.viewer).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("id=\"calculator-form\"") && !p.body.contains("id=\"staffing-result\""));
    // The case: 14 raw, 20 to schedule, and N−2 … N+2.
    let q = "/staffing?contacts=100&interval_minutes=30&handle_seconds=180&answer_seconds=20&service_level=80&shrinkage=30&max_occupancy=85";
    let p = t.get(q, &t.viewer).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("<strong>14</strong>") && p.body.contains("<strong>20</strong>"), "{}", p.body);
    for n in 12..=16 {
        assert!(p.body.contains(&format!("id=\"around-{n}\"")), "row {n}");
    }
    assert!(p.body.contains("88.8 %"), "service level at 14");
    // In Spanish, with a comma decimal.
    let es = in_lang(&t.viewer, "es");
    let p = t.get(&q.replace("service_level=80", "service_level=80,0"), &es).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("Calculadora Erlang C") && p.body.contains("Agentes a programar"));
    // Bad figures: a 422 naming the fields, in Spanish.
    let bad = "/staffing?contacts=100&interval_minutes=0&handle_seconds=abc&answer_seconds=0&service_level=100&max_occupancy=120";
    let p = t.get(bad, &es).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["interval_minutes", "handle_seconds", "max_occupancy"] {
        assert!(p.body.contains(&format!("id=\"{f}-error\"")), "{f} named");
    }
    assert!(!p.body.contains("id=\"staffing-result\""));
    let p = t
        .get("/staffing?contacts=10&interval_minutes=30&handle_seconds=60&answer_seconds=0&service_level=100", &es)
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("id=\"service_level-error\"") && p.body.contains("Ningún número de agentes"));
}

#[tokio::test]
async fn a_channel_week_with_schedule_and_shortfalls() {
    let t = TestApp::new().await;
    let tp = t.ids.touchpoint;
    // Three contacts in the hour that began two hours ago (UTC clock).
    let hour = Utc::now().duration_trunc(Duration::hours(1)).unwrap() - Duration::hours(2);
    let events: Vec<_> = (0..3)
        .map(|i| {
            let d: EventDraft = serde_json::from_value(serde_json::json!({
                "id": format!("e{i}"), "type": "contact", "customer": "c1",
                "at": (hour + Duration::minutes(10 * i)).to_rfc3339(), "touchpoint": tp
            }))
            .unwrap();
            d.validate().unwrap()
        })
        .collect();
    t.store.ingest_events(t.org.id, &events).await.unwrap();
    use chrono::{Datelike, Timelike};
    let (day, h) = (hour.weekday().num_days_from_monday(), hour.hour());

    // Not a channel yet: said so; a viewer sees no forms.
    let p = t.get(&format!("/staffing/touchpoints/{tp}?day={day}"), &t.viewer).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("id=\"not-channel\"") && !p.body.contains("id=\"settings-form\""));

    // A viewer cannot save targets or a schedule.
    let r = t.post(&format!("/staffing/touchpoints/{tp}/settings"), &t.viewer, &[("handle_seconds", "180")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let agent = session_as(t.store.as_ref(), t.org.id, "agent@acme.test", Role::Agent, None).await;
    let r = t.post(&format!("/staffing/touchpoints/{tp}/schedule"), &agent, &[("day", "0"), ("h9", "2")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The admin sets targets (a refused figure first), then the day's schedule.
    let bad = [("handle_seconds", "0"), ("answer_seconds", "20"), ("service_level", "80")];
    let r = t.post(&format!("/staffing/touchpoints/{tp}/settings"), &t.admin, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"handle_seconds-error\""));
    let good = [
        ("handle_seconds", "180"),
        ("answer_seconds", "20"),
        ("service_level", "80"),
        ("shrinkage", "30"),
        ("max_occupancy", "85"),
    ];
    let r = t.post(&format!("/staffing/touchpoints/{tp}/settings"), &t.admin, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let saved = t.store.staffing_settings(t.org.id, tp).await.unwrap().unwrap();
    assert!((saved.targets.shrinkage - 0.3).abs() < 1e-12);
    let day_s = day.to_string();
    let hour_field = format!("h{h}");
    let r = t
        .post(&format!("/staffing/touchpoints/{tp}/schedule"), &t.admin, &[("day", &day_s), (&hour_field, "abc")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r =
        t.post(&format!("/staffing/touchpoints/{tp}/schedule"), &t.admin, &[("day", &day_s), (&hour_field, "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(t.store.staffing_schedule(t.org.id, tp).await.unwrap()[day as usize][h as usize], 1);

    // The week over 1 week: 3 contacts at 180 s need 1 raw, 2 scheduled; 1 is short.
    let p = t.get(&format!("/staffing/touchpoints/{tp}?day={day}&weeks=1"), &in_lang(&t.viewer, "es")).await;
    assert_eq!(p.status, StatusCode::OK);
    let row = p.body.split(&format!("id=\"hour-{h}\"")).nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains("is-short") || p.body.contains(&format!("id=\"hour-{h}\" class=\"is-short\"")));
    assert!(row.contains("−1"), "{row}");
    assert!(p.body.contains("Faltan") && p.body.contains("1 hora con falta de agentes"));
    // Bad query: weeks out of range.
    assert_eq!(
        t.get(&format!("/staffing/touchpoints/{tp}?weeks=27"), &t.viewer).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // CSV of the week.
    let csv = t.get(&format!("/staffing/touchpoints/{tp}/week.csv?weeks=1"), &t.viewer).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("weekday,hour,contacts,needed_raw,needed,scheduled,shortfall\r\n"));
    assert!(csv.body.contains(&format!("{day},{h:02}:00,3,1,2,1,1\r\n")), "{}", csv.body);
    assert_eq!(csv.body.lines().count(), 169);
}
