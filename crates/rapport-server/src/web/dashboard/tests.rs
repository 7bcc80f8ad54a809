//! The dashboard pages on the shared test program, with responses ingested
//! through the one ingestion path.

use super::super::test_support::{in_lang, TestApp};
use super::tiles::{status, Target};
use super::{FilterParams, Filters};
use crate::measure::Point;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::{Duration, NaiveDate, Utc};
use rapport_core::intent::{Comparator, Criterion, Scope};
use rapport_core::measure::Interval;
use rapport_core::metric::Metric;
use rapport_core::survey::{Localized, Question, QuestionType, SurveyInput, SurveyStatus};
use serde_json::{json, Value};
use tower::ServiceExt;

fn l(s: &str) -> Localized {
    Localized { en: s.into(), es: s.into() }
}

/// A published one-question NPS survey on the seeded touchpoint.
async fn nps_survey(t: &TestApp) -> i64 {
    let input = SurveyInput {
        touchpoint_id: t.ids.touchpoint,
        title: l("Checkout"),
        intro: l("One question."),
        questions: vec![Question {
            key: "nps".into(),
            kind: QuestionType::Nps,
            text: l("Recommend us?"),
            required: true,
            choices: vec![],
            scale_max: None,
            show_if: None,
            ..Default::default()
        }],
        fatigue_days: 0,
    };
    let s = t.store.create_survey(t.org.id, &input, &crate::auth::secret::generate("")[..24]).await.unwrap();
    t.store.set_survey_status(t.org.id, s.id, SurveyStatus::Published).await.unwrap().id
}

/// Ingests one response per score, yesterday.
async fn answer(t: &TestApp, survey: i64, scores: &[i64]) {
    let at = (Utc::now() - Duration::days(1)).to_rfc3339();
    let items = scores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let r = json!({"survey": survey, "at": at, "answers": {"nps": s}});
            (i, Ok(serde_json::from_value(r).unwrap()))
        })
        .collect();
    let rep = crate::ingest::responses(t.store.as_ref(), t.org.id, items).await.unwrap();
    assert_eq!(rep.accepted as usize, scores.len(), "{rep:?}");
}

/// 25 promoters and 15 detractors: NPS 25 from 40 answers.
async fn forty(t: &TestApp) -> i64 {
    let survey = nps_survey(t).await;
    let mut scores = vec![10; 25];
    scores.extend([5; 15]);
    answer(t, survey, &scores).await;
    survey
}

/// The `data-metric` tile's section of a page.
fn tile<'a>(body: &'a str, metric: &str) -> &'a str {
    let start = body.find(&format!("data-metric=\"{metric}\"")).unwrap_or_else(|| panic!("no {metric} tile:\n{body}"));
    let end = body[start..].find("</section>").map_or(body.len(), |e| start + e);
    &body[start..end]
}

struct Raw {
    status: StatusCode,
    content_type: String,
    disposition: String,
    body: String,
}

async fn raw(t: &TestApp, path: &str, cookie: &str) -> Raw {
    let req = Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap();
    let resp = t.app.clone().oneshot(req).await.unwrap();
    let h = |name| resp.headers().get(name).map(|v: &header::HeaderValue| v.to_str().unwrap().to_string());
    let (status, content_type, disposition) = (
        resp.status(),
        h(header::CONTENT_TYPE).unwrap_or_default(),
        h(header::CONTENT_DISPOSITION).unwrap_or_default(),
    );
    let bytes = axum::body::to_bytes(resp.into_body(), 4 << 20).await.unwrap();
    Raw { status, content_type, disposition, body: String::from_utf8(bytes.to_vec()).unwrap() }
}

#[tokio::test]
async fn dashboard_renders_tiles_criteria_and_goals_with_data() {
    let t = TestApp::new().await;
    forty(&t).await;
    let r = t.get("/dashboard", &t.admin).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"nav-dashboard\""));
    assert!(r.body.contains("aria-current=\"page\">Dashboard</a>"), "the nav link is current");
    let nps = tile(&r.body, "nps");
    assert!(nps.contains("<p class=\"tile-value\">25</p>"), "{nps}");
    assert!(nps.contains("data-n=\"40\""), "{nps}");
    assert!(nps.contains("n = 40"), "{nps}");
    assert!(nps.contains("95% interval:"), "{nps}");
    assert!(nps.contains("Leading"), "{nps}");
    assert!(nps.contains("<svg"), "a sparkline: {nps}");
    // NPS has no goal or criterion: no target.
    assert!(nps.contains("data-status=\"none\""), "{nps}");
    // Repeat purchase is First purchase's goal, which is that experience's
    // (its goal panel), not the organization's tile's.
    let repeat = tile(&r.body, "repeat_purchase_rate");
    assert!(repeat.contains("Organization") && !repeat.contains("Ana Ruiz"), "{repeat}");
    assert!(!repeat.contains("40%"), "no target of the organization's own: {repeat}");
    assert!(repeat.contains("Lagging"), "{repeat}");
    // CSAT has the intent criterion's threshold, and no data.
    let csat = tile(&r.body, "csat");
    assert!(csat.contains("85%") && csat.contains("Organization"), "{csat}");
    assert!(csat.contains("data-status=\"insufficient\""), "{csat}");
    // No rating answers: no rating tile.
    assert!(!r.body.contains("data-metric=\"rating\""));
    for m in ["ces", "positive_feedback_rate", "referral_rate", "churn_rate"] {
        tile(&r.body, m);
    }
    // The criteria and the goals.
    assert!(r.body.contains("class=\"criterion-row\" data-status=\"insufficient\""), "{}", r.body);
    assert!(r.body.contains(&format!("id=\"goal-{}\"", t.ids.experience)), "{}", r.body);
    // The positive-feedback tile counts the same 40 answers (25 positive).
    assert!(tile(&r.body, "positive_feedback_rate").contains("62.5%"));

    let es = t.get("/dashboard", &in_lang(&t.admin, "es")).await;
    assert_eq!(es.status, StatusCode::OK);
    assert!(es.body.contains("Panel de experiencia del cliente"), "{}", es.body);
    assert!(es.body.contains("Criterios de intención"));
    assert!(tile(&es.body, "positive_feedback_rate").contains("62,5\u{a0}%"));
    // Readers may look.
    assert_eq!(t.get("/dashboard", &t.viewer).await.status, StatusCode::OK);
}

#[tokio::test]
async fn few_answers_show_insufficient_data_instead_of_a_number() {
    let t = TestApp::new().await;
    let survey = nps_survey(&t).await;
    answer(&t, survey, &[10, 10, 9, 3, 8]).await;
    let r = t.get("/dashboard", &t.admin).await;
    let nps = tile(&r.body, "nps");
    assert!(nps.contains("insufficient data (n = 5)"), "{nps}");
    assert!(nps.contains("tile-insufficient"), "{nps}");
    assert!(nps.contains("data-status=\"insufficient\""), "{nps}");
    assert!(!nps.contains("95% interval"), "no interval for too few answers: {nps}");
    let es = t.get("/dashboard", &in_lang(&t.admin, "es")).await;
    assert!(tile(&es.body, "nps").contains("datos insuficientes (n = 5)"), "{}", es.body);
}

#[tokio::test]
async fn filters_are_checked_and_kept() {
    let t = TestApp::new().await;
    forty(&t).await;
    let r = t.get(&format!("/dashboard?segment={}&period=30d", t.ids.segment), &t.admin).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&format!("<option value=\"{}\" selected>Pro customers</option>", t.ids.segment)));
    // The responses have no customer, so none is in the segment.
    assert!(tile(&r.body, "nps").contains("insufficient data (n = 0)"));
    assert!(r.body.contains(&format!("segment={}&amp;period=30d", t.ids.segment)), "links keep the filters");
    let r = t.get("/dashboard?from=2026-01-01&to=2026-01-31", &t.admin).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("value=\"2026-01-01\""), "{}", r.body);
    assert_eq!(t.get("/dashboard?segment=999999", &t.admin).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.get("/dashboard?from=2026-02-01&to=2026-01-01", &t.admin).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(t.get("/dashboard?from=yesterday", &t.admin).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Signed out: to the sign-in page.
    assert!(t.get("/dashboard", "").await.location.unwrap_or_default().starts_with("/sign-in"));
}

#[tokio::test]
async fn csv_exports_have_a_content_type_a_filename_and_one_header_row() {
    let t = TestApp::new().await;
    forty(&t).await;
    let r = raw(&t, "/dashboard?format=csv", &in_lang(&t.admin, "es")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.content_type, "text/csv; charset=utf-8");
    assert!(r.disposition.starts_with("attachment; filename=\"dashboard-tiles-") && r.disposition.ends_with(".csv\""));
    let lines: Vec<&str> = r.body.split("\r\n").collect();
    assert_eq!(lines[0], "metric,owner,target,value,ci_low,ci_high,n,sufficient,status,kind,from,to");
    assert_eq!(lines.iter().filter(|l| l.starts_with("metric,")).count(), 1);
    let nps = lines.iter().find(|l| l.starts_with("nps,")).unwrap();
    assert!(nps.starts_with("nps,Organización,,25,") && nps.contains(",40,true,none,leading,"), "{nps}");
    // '.' decimals even for a Spanish reader.
    let pf = lines.iter().find(|l| l.starts_with("positive_feedback_rate,")).unwrap();
    assert!(pf.contains(",62.5,"), "{pf}");
    // Owner text with a separator stays one field.
    let repeat = lines.iter().find(|l| l.starts_with("repeat_purchase_rate,")).unwrap();
    assert!(repeat.starts_with("repeat_purchase_rate,Organización,,"), "{repeat}");

    let r = raw(&t, "/dashboard?format=csv&table=criteria", &t.admin).await;
    assert!(
        r.body
            .starts_with("metric,scope,comparator,threshold,margin,value,n,status\r\ncsat,organization,at_least,85,3,"),
        "{}",
        r.body
    );
    let r = raw(&t, "/dashboard?format=csv&table=goals", &t.admin).await;
    assert!(r.body.starts_with("experience,metric,period,target,"), "{}", r.body);
    assert!(r.body.contains("\r\nFirst purchase,repeat_purchase_rate,quarter,40,"), "{}", r.body);
    let e = t.ids.experience;
    let r = raw(&t, &format!("/dashboard/experiences/{e}?format=csv"), &t.admin).await;
    assert_eq!(r.content_type, "text/csv; charset=utf-8");
    assert!(r.body.starts_with("touchpoint,nps,nps_n,csat,csat_n,ces,ces_n,from,to\r\nCheckout,25,40,"), "{}", r.body);
    for table in ["series", "outcomes"] {
        let r = raw(&t, &format!("/dashboard/experiences/{e}?format=csv&table={table}"), &t.admin).await;
        assert_eq!(r.status, StatusCode::OK, "{table}");
        assert!(r.body.matches("\r\n").count() >= 1);
    }
    let r = raw(&t, &format!("/dashboard/touchpoints/{}?format=csv", t.ids.touchpoint), &t.admin).await;
    assert!(r.body.starts_with("period_start,metric,value,ci_low,ci_high,n,sufficient\r\n"), "{}", r.body);
    assert_eq!(r.body.matches("\r\n").count(), 13, "a header and twelve months: {}", r.body);
    assert_eq!(raw(&t, "/dashboard?format=csv&table=nope", &t.admin).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn wall_json_has_the_tiles_values_and_follows_new_answers() {
    let t = TestApp::new().await;
    let survey = forty(&t).await;
    let r = raw(&t, "/dashboard/tiles.json", &t.admin).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.content_type.starts_with("application/json"));
    let v: Value = serde_json::from_str(&r.body).unwrap();
    let nps = v["tiles"].as_array().unwrap().iter().find(|x| x["metric"] == "nps").unwrap().clone();
    assert_eq!(nps["n"], 40);
    assert_eq!(nps["value"], 25.0);
    assert_eq!(nps["value_text"], "25");
    assert_eq!(nps["n_text"], "n = 40");
    assert_eq!(nps["sufficient"], true);
    assert_eq!(nps["status"], "none");
    answer(&t, survey, &[10]).await;
    let v: Value = serde_json::from_str(&raw(&t, "/dashboard/tiles.json", &t.admin).await.body).unwrap();
    let nps = v["tiles"].as_array().unwrap().iter().find(|x| x["metric"] == "nps").unwrap().clone();
    assert_eq!(nps["n"], 41);
    // The wall page: tiles, the script, no navigation.
    let w = t.get("/dashboard?wall=1&period=30d", &t.admin).await;
    // The same wall at its own address, with the filters.
    let own = t.get("/dashboard/wall?period=30d", &t.admin).await;
    assert_eq!(own.status, axum::http::StatusCode::OK);
    assert!(
        own.body.contains("<body class=\"wall\">")
            && own.body.contains("data-src=\"/dashboard/tiles.json?period=30d\"")
    );
    assert_eq!(w.status, StatusCode::OK);
    assert!(w.body.contains("<body class=\"wall\">"));
    assert!(w.body.contains("data-src=\"/dashboard/tiles.json?period=30d\""), "{}", w.body);
    assert!(w.body.contains("/assets/wall.js?v="));
    assert!(!w.body.contains("id=\"nav\""));
    assert!(tile(&w.body, "nps").contains("data-n=\"41\""));
    let js = raw(&t, "/assets/wall.js", "").await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.content_type.starts_with("text/javascript"));
    assert!(js.body.contains("EventSource") && js.body.contains(".tile-n"));
    // Signed out, the JSON is not served.
    assert_ne!(raw(&t, "/dashboard/tiles.json", "").await.status, StatusCode::OK);
}

#[tokio::test]
async fn drill_downs_render_and_unknown_ids_are_not_found() {
    let t = TestApp::new().await;
    forty(&t).await;
    let e = t.get(&format!("/dashboard/experiences/{}", t.ids.experience), &t.admin).await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.body);
    assert!(e.body.contains("chart-series") || e.body.contains("<svg"), "{}", e.body);
    assert!(e.body.contains(&format!("id=\"tp-row-{}\"", t.ids.touchpoint)));
    assert!(e.body.contains("id=\"experience-flow\""));
    assert!(e.body.contains("chart-flow"));
    let tp = t.get(&format!("/dashboard/touchpoints/{}?period=365d", t.ids.touchpoint), &in_lang(&t.admin, "es")).await;
    assert_eq!(tp.status, StatusCode::OK, "{}", tp.body);
    assert!(tp.body.contains("Checkout") && tp.body.contains("NPS por mes"), "{}", tp.body);
    assert!(tile(&tp.body, "nps").contains("<p class=\"tile-value\">25</p>"));
    for path in ["/dashboard/experiences/999999", "/dashboard/touchpoints/999999", "/dashboard/touchpoints/x"] {
        assert_eq!(t.get(path, &t.admin).await.status, StatusCode::NOT_FOUND, "{path}");
    }
}

fn point(value: f64, n: i64, lo: f64, hi: f64) -> Point {
    Point {
        start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        value: Some(value),
        n,
        ci_low: Some(lo),
        ci_high: Some(hi),
        sufficient: n >= 30,
    }
}

#[test]
fn status_against_a_goal_or_a_criterion() {
    let goal = Target::Goal(40.0);
    assert_eq!(status(Metric::Csat, &point(50.0, 100, 45.0, 55.0), &goal), "met");
    assert_eq!(status(Metric::Csat, &point(42.0, 100, 35.0, 49.0), &goal), "at_risk");
    assert_eq!(status(Metric::Csat, &point(39.0, 100, 33.0, 45.0), &goal), "missed");
    assert_eq!(status(Metric::Csat, &point(90.0, 10, 70.0, 99.0), &goal), "insufficient");
    // Churn: lower is better.
    let churn = Target::Goal(5.0);
    assert_eq!(status(Metric::ChurnRate, &point(3.0, 500, 2.0, 4.0), &churn), "met");
    assert_eq!(status(Metric::ChurnRate, &point(4.0, 500, 3.0, 6.0), &churn), "at_risk");
    assert_eq!(status(Metric::ChurnRate, &point(7.0, 500, 6.0, 8.0), &churn), "missed");
    let c = Criterion {
        metric: Metric::Nps,
        scope: Scope::Organization,
        comparator: Comparator::AtLeast,
        threshold: 30.0,
        margin: 5.0,
        behaviour_id: None,
    };
    assert_eq!(status(Metric::Nps, &point(32.0, 100, 20.0, 44.0), &Target::Criterion(c.clone())), "at_risk");
    assert_eq!(status(Metric::Nps, &point(40.0, 100, 30.0, 50.0), &Target::Criterion(c)), "met");
    assert_eq!(status(Metric::Nps, &point(40.0, 100, 30.0, 50.0), &Target::None), "none");
}

#[test]
fn periods_and_dates() {
    let today = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let program = super::super::view::Program {
        people: vec![],
        experiences: vec![],
        touchpoints: vec![],
        stages: vec![],
        segments: vec![],
    };
    let p = |period: Option<&str>, from: Option<&str>, to: Option<&str>| FilterParams {
        period: period.map(Into::into),
        from: from.map(Into::into),
        to: to.map(Into::into),
        ..FilterParams::default()
    };
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let f: Filters = p(None, None, None).filters(&program, today).unwrap();
    assert_eq!((f.period.as_str(), f.from, f.to), ("90d", d("2026-01-01"), today));
    let f = p(Some("30d"), None, None).filters(&program, today).unwrap();
    assert_eq!((f.from, f.query()), (d("2026-03-02"), "period=30d".to_string()));
    let f = p(Some("bogus"), None, None).filters(&program, today).unwrap();
    assert_eq!(f.period, "90d");
    let f = p(Some("30d"), Some("2025-12-01"), Some("2025-12-31")).filters(&program, today).unwrap();
    assert_eq!((f.period.as_str(), f.from, f.to), ("custom", d("2025-12-01"), d("2025-12-31")));
    assert_eq!(f.query(), "from=2025-12-01&to=2025-12-31");
    assert!(p(None, Some("2026-04-01"), Some("2026-03-01")).filters(&program, today).is_err());
}

/// An intent version whose only criterion is `c`.
async fn intent_with(t: &TestApp, c: Criterion) {
    let input = rapport_core::intent::IntentInput { statement: "We know our customers.".into(), criteria: vec![c] };
    t.store.create_intent_version(t.org.id, &input, Some("admin@acme.test"), None).await.unwrap();
}

#[tokio::test]
async fn an_experience_goal_never_becomes_the_organization_tile_target() {
    let t = TestApp::new().await;
    forty(&t).await;
    intent_with(
        &t,
        Criterion {
            metric: Metric::Nps,
            scope: Scope::Organization,
            comparator: Comparator::AtLeast,
            threshold: 45.0,
            margin: 5.0,
            behaviour_id: None,
        },
    )
    .await;
    // An experience whose goal is NPS 40, led by Ben.
    let exp = rapport_core::experience::ExperienceInput {
        name: "Returns".into(),
        customer_definition: None,
        segment_ids: vec![],
        goal: rapport_core::experience::Goal {
            metric: Metric::Nps,
            target: 40.0,
            period: rapport_core::experience::Period::Month,
            behaviour_id: None,
        },
        leader_id: Some(t.ids.ben),
    };
    t.store.create_experience(t.org.id, &exp).await.unwrap();
    let r = t.get("/dashboard", &t.admin).await;
    let nps = tile(&r.body, "nps");
    assert!(nps.contains("45") && !nps.contains(">40<"), "the organization's criterion: {nps}");
    assert!(nps.contains("Organization") && !nps.contains("Ben Ode"), "{nps}");
    let wall = t.get("/dashboard/tiles.json", &t.admin).await;
    let v: Value = serde_json::from_str(&wall.body).unwrap();
    let nps = v["tiles"].as_array().unwrap().iter().find(|x| x["metric"] == "nps").unwrap();
    assert_eq!((nps["target"].as_f64(), nps["owner"].as_str()), (Some(45.0), Some("Organization")), "{nps}");
    let csv = raw(&t, "/dashboard?format=csv", &t.admin).await;
    assert!(csv.body.contains("\r\nnps,Organization,45,25,"), "{}", csv.body);
    // The goal is the experience's, judged in its own panel.
    assert!(r.body.contains("Returns"), "{}", r.body);
}

#[tokio::test]
async fn every_page_shows_the_monitors_status_of_the_criteria() {
    let t = TestApp::new().await;
    forty(&t).await;
    // NPS 25 from 40 answers against "at least 40": missed.
    intent_with(
        &t,
        Criterion {
            metric: Metric::Nps,
            scope: Scope::Organization,
            comparator: Comparator::AtLeast,
            threshold: 40.0,
            margin: 5.0,
            behaviour_id: None,
        },
    )
    .await;
    let api = t.get("/api/v1/intent/status", &t.admin).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert!(api.body.contains("\"missed\""), "{}", api.body);
    let e = t.ids.experience;
    for path in ["/".to_string(), "/intent".to_string(), format!("/experiences/{e}/plan")] {
        let r = t.get(&path, &t.admin).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        assert!(r.body.contains("data-status=\"missed\""), "{path}: {}", r.body);
        assert!(!r.body.contains("not yet measured"), "{path}: {}", r.body);
        let es = t.get(&path, &in_lang(&t.admin, "es")).await;
        assert!(es.body.contains("No cumplido") && !es.body.contains("aún sin medir"), "{path}: {}", es.body);
    }
}

#[tokio::test]
async fn a_repeat_purchase_counts_the_customers_earlier_purchases_whatever_the_bucket() {
    let t = TestApp::new().await;
    // Ana's customer bought in January and again in March; Bo bought once, in March.
    let events = [("c1", "2026-01-10"), ("c1", "2026-03-10"), ("c2", "2026-03-12")];
    let items = events
        .iter()
        .enumerate()
        .map(|(i, (c, day))| {
            let x = json!({"type": "purchase", "customer": c, "at": format!("{day}T10:00:00Z")});
            (i, Ok(serde_json::from_value(x).unwrap()))
        })
        .collect();
    let rep = crate::ingest::events(t.store.as_ref(), t.org.id, items).await.unwrap();
    assert_eq!(rep.accepted, 3, "{rep:?}");
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let q = |interval| crate::measure::MetricQuery {
        metric: Metric::RepeatPurchaseRate,
        experience: None,
        touchpoint: None,
        segment: None,
        from: d("2026-01-01"),
        to: d("2026-03-31"),
        interval,
        behaviour: None,
    };
    let by_month = crate::measure::series(t.store.as_ref(), t.org.id, &q(Interval::Month)).await.unwrap();
    let got: Vec<(Option<f64>, i64)> = by_month.iter().map(|p| (p.value, p.n)).collect();
    // January: one first purchase; February: nobody bought; March: c1's
    // second purchase is a repeat, c2's first is not.
    assert_eq!(got, vec![(Some(0.0), 1), (None, 0), (Some(50.0), 2)], "{by_month:?}");
    let quarter = crate::measure::series(t.store.as_ref(), t.org.id, &q(Interval::Quarter)).await.unwrap();
    assert_eq!((quarter[0].value, quarter[0].n), (Some(50.0), 2), "{quarter:?}");
}

/// Ingests one response per score, `days_ago` days ago.
async fn answer_on(t: &TestApp, survey: i64, days_ago: i64, scores: &[i64]) {
    let at = (Utc::now() - Duration::days(days_ago)).to_rfc3339();
    let items = scores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (i, Ok(serde_json::from_value(json!({"survey": survey, "at": at, "answers": {"nps": s}})).unwrap()))
        })
        .collect();
    let rep = crate::ingest::responses(t.store.as_ref(), t.org.id, items).await.unwrap();
    assert_eq!(rep.accepted as usize, scores.len(), "{rep:?}");
}

/// A tile says how its value changed from the previous period of the same
/// length, and whether that change is significant (C9), as the sprint page
/// does: the same test, `rapport_core::measure::compare`.
#[tokio::test]
async fn tiles_show_the_change_from_the_previous_period_and_its_significance() {
    let t = TestApp::new().await;
    let survey = nps_survey(&t).await;
    // The 30 days before the last 30: NPS −50 (10 promoters, 30 detractors).
    let mut before = vec![10; 10];
    before.extend([3; 30]);
    answer_on(&t, survey, 45, &before).await;
    // The last 30 days: NPS 25 (forty answers).
    forty_on(&t, survey).await;
    let en = t.get("/dashboard?period=30d", &in_lang(&t.admin, "en")).await.body;
    let nps = tile(&en, "nps");
    assert!(nps.contains("data-significance=\"significant\""), "{nps}");
    assert!(
        nps.contains("+75 pts vs the previous 30 days (significant, p &lt; 0.001)")
            || nps.contains("+75 pts vs the previous 30 days (significant, p < 0.001)"),
        "{nps}"
    );
    let es = t.get("/dashboard?period=30d", &in_lang(&t.admin, "es")).await.body;
    assert!(tile(&es, "nps").contains("frente a los 30 días anteriores (significativo"), "{}", tile(&es, "nps"));

    // Over 90 days both groups are inside the period, and the 90 days
    // before hold nothing: no test.
    let wide = t.get("/dashboard?period=90d", &in_lang(&t.admin, "en")).await.body;
    let nps = tile(&wide, "nps");
    assert!(nps.contains("data-significance=\"untested\""), "{nps}");
    assert!(nps.contains("No comparison with the previous 90 days"), "{nps}");

    // A small wobble (NPS 20 to 25) is not significant.
    let t = TestApp::new().await;
    let survey = nps_survey(&t).await;
    let mut before = vec![10; 24];
    before.extend([5; 16]);
    answer_on(&t, survey, 45, &before).await;
    forty_on(&t, survey).await;
    let page = t.get("/dashboard?period=30d", &in_lang(&t.admin, "en")).await.body;
    let nps = tile(&page, "nps");
    assert!(nps.contains("data-significance=\"not_significant\""), "{nps}");
    assert!(nps.contains("+5 pts vs the previous 30 days (not significant, p = 0."), "{nps}");
}

/// The forty answers of [`forty`], yesterday, on `survey`.
async fn forty_on(t: &TestApp, survey: i64) {
    let mut scores = vec![10; 25];
    scores.extend([5; 15]);
    answer(t, survey, &scores).await;
}

/// On a phone the filters fold behind a toggle, closed by default so the
/// first tile is on the first screen, and open when a filter is set.
#[tokio::test]
async fn the_filters_fold_unless_a_filter_is_set() {
    let t = TestApp::new().await;
    let toggle = |body: &str| {
        let at = body.find("id=\"dashboard-filters-toggle\"").expect("the filters' toggle");
        body[at..at + body[at..].find('>').unwrap()].to_string()
    };
    let plain = t.get("/dashboard", &t.admin).await.body;
    assert!(!toggle(&plain).contains("open"), "closed by default: {}", toggle(&plain));
    for query in [format!("segment={}", t.ids.segment), "period=30d".to_string(), "from=2026-01-01".to_string()] {
        let body = t.get(&format!("/dashboard?{query}"), &t.admin).await.body;
        assert!(toggle(&body).contains(" open"), "open with {query}: {}", toggle(&body));
    }
    // The form follows the toggle, for the CSS that hides it while closed.
    let at = plain.find("id=\"dashboard-filters-toggle\"").unwrap();
    assert!(plain[at..].find("</details>").unwrap() < plain[at..].find("id=\"dashboard-filters\"").unwrap());
}
