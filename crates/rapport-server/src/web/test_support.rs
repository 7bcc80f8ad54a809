//! Shared by the web tests: a server on a temporary SQLite database with a
//! small program in it, a signed-in session, and requests in either language.

use crate::auth::{password, secret};
use crate::state::{AppState, Config};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use chrono::{Duration, NaiveDate, Utc};
use rapport_core::experience::{Goal, Period};
use rapport_core::intent::{Comparator, Criterion, IntentInput, Scope};
use rapport_core::journey::{Importance, StageInput, TouchpointInput};
use rapport_core::metric::Metric;
use rapport_core::org::{NewOrganization, Organization};
use rapport_core::person::PersonInput;
use rapport_core::role::Role;
use rapport_core::segment::{Combine, Condition, SegmentInput, SegmentRule};
use rapport_core::Id;
use rapport_store::{NewUser, Store};
use std::sync::Arc;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub app: Router,
    pub store: Arc<dyn Store>,
    pub org: Organization,
    /// `Cookie` header value of a signed-in admin.
    pub admin: String,
    /// `Cookie` header value of a signed-in viewer.
    pub viewer: String,
    pub ids: Ids,
    _dir: tempfile::TempDir,
}

/// Rows of the seeded program.
#[derive(Debug, Clone, Copy)]
pub struct Ids {
    pub ana: Id,
    pub ben: Id,
    pub segment: Id,
    pub stage: Id,
    pub touchpoint: Id,
    pub experience: Id,
}

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookie: Vec<String>,
    pub body: String,
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_config(Config::default()).await
    }

    pub async fn with_config(config: Config) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::storage::open(None, dir.path()).await.unwrap();
        let org = store.create_org(&NewOrganization::parse("acme", "Acme Outdoor").unwrap()).await.unwrap();
        let ids = seed(store.as_ref(), org.id).await;
        let admin = session(store.as_ref(), org.id, "admin@acme.test", Role::Admin).await;
        let viewer = session(store.as_ref(), org.id, "viewer@acme.test", Role::Viewer).await;
        let app = crate::app(AppState::new(store.clone(), config));
        TestApp { app, store, org, admin, viewer, ids, _dir: dir }
    }

    pub async fn send(&self, req: Request<Body>) -> Page {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let location = resp.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_string());
        let set_cookie =
            resp.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect();
        let bytes = axum::body::to_bytes(resp.into_body(), 4 << 20).await.unwrap();
        Page { status, location, set_cookie, body: String::from_utf8(bytes.to_vec()).unwrap() }
    }

    /// GET `path` with the given cookies (may be empty).
    pub async fn get(&self, path: &str, cookie: &str) -> Page {
        let mut b = Request::get(path);
        if !cookie.is_empty() {
            b = b.header(header::COOKIE, cookie);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    /// POST a form, as a browser on the same site would.
    pub async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Page {
        let body: Vec<String> =
            form.iter().map(|(k, v)| format!("{}={}", super::ctx::encode(k), super::ctx::encode(v))).collect();
        let mut b = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "rapport.test")
            .header(header::ORIGIN, "http://rapport.test");
        if !cookie.is_empty() {
            b = b.header(header::COOKIE, cookie);
        }
        self.send(b.body(Body::from(body.join("&"))).unwrap()).await
    }
}

/// A signed-in session for a new account, as a `Cookie` header value.
pub async fn session(store: &dyn Store, org: Id, email: &str, role: Role) -> String {
    session_as(store, org, email, role, None).await
}

/// A session for an account that is a person of the program.
pub async fn session_as(store: &dyn Store, org: Id, email: &str, role: Role, person_id: Option<Id>) -> String {
    let user = store
        .create_user(org, &NewUser { email: email.into(), role, password_hash: password::hash(PASSWORD), person_id })
        .await
        .unwrap();
    let id = secret::generate("");
    store.create_session(org, user.id, &secret::digest(&id), Utc::now() + Duration::days(1)).await.unwrap();
    format!("{}={id}", crate::auth::session::COOKIE)
}

fn person(name: &str, email: &str, dept: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        email: email.into(),
        department: Some(dept.into()),
        role: Some("Lead".into()),
        joined_on: NaiveDate::from_ymd_opt(2025, 1, 6).unwrap(),
    }
}

/// Two people, a segment, a stage with a touchpoint, an experience with
/// that touchpoint as its interaction, a mission and an intent statement.
async fn seed(store: &dyn Store, org: Id) -> Ids {
    let ana = store.create_person(org, &person("Ana Ruiz", "ana@acme.test", "Customer care")).await.unwrap().id;
    let ben = store.create_person(org, &person("Ben Ode", "ben@acme.test", "E-commerce")).await.unwrap().id;
    let segment = store
        .create_segment(
            org,
            &SegmentInput {
                name: "Pro customers".into(),
                description: None,
                rule: SegmentRule {
                    combine: Combine::All,
                    conditions: vec![Condition::Equals { attribute: "plan".into(), value: "pro".into() }],
                },
            },
        )
        .await
        .unwrap()
        .id;
    let stage = store.create_stage(org, &StageInput { name: "Buy".into(), position: None }).await.unwrap().id;
    let touchpoint = store
        .create_touchpoint(
            org,
            &TouchpointInput {
                name: "Checkout".into(),
                description: None,
                stage_id: stage,
                position: None,
                channel: Some("web".into()),
                department: Some("E-commerce".into()),
                owner_id: Some(ben),
                importance: vec![Importance { segment_id: segment, importance: 5 }],
            },
        )
        .await
        .unwrap()
        .id;
    let experience = store
        .create_experience(
            org,
            &rapport_core::experience::ExperienceInput {
                name: "First purchase".into(),
                customer_definition: Some("People buying from us for the first time.".into()),
                segment_ids: vec![segment],
                goal: Goal {
                    metric: Metric::RepeatPurchaseRate,
                    target: 40.0,
                    period: Period::Quarter,
                    behaviour_id: None,
                },
                leader_id: Some(ana),
            },
        )
        .await
        .unwrap()
        .id;
    store.add_interaction(org, experience, touchpoint, None).await.unwrap();
    store.set_mission(org, Some("Gear that gets people outside."), None).await.unwrap();
    store
        .create_intent_version(
            org,
            &IntentInput {
                statement: "Customers feel we know them at every step.".into(),
                criteria: vec![Criterion {
                    metric: Metric::Csat,
                    scope: Scope::Organization,
                    comparator: Comparator::AtLeast,
                    threshold: 85.0,
                    margin: 3.0,
                    behaviour_id: None,
                }],
            },
            Some("admin@acme.test"),
            None,
        )
        .await
        .unwrap();
    Ids { ana, ben, segment, stage, touchpoint, experience }
}

/// The session cookie plus a language cookie.
pub fn in_lang(cookie: &str, lang: &str) -> String {
    format!("{cookie}; lang={lang}")
}
