//! The stories. Each starts from an empty store and creates its own
//! organizations, so they may share one database.

use chrono::{Duration, NaiveDate, Utc};
use rapport_core::coverage::{self, GapKind, GapReason};
use rapport_core::customer::CustomerUpsert;
use rapport_core::experience::{ExperienceInput, Goal, Period};
use rapport_core::intent::{Comparator, Criterion, IntentInput, Scope};
use rapport_core::journey::{Importance, StageInput, TouchpointInput};
use rapport_core::lang::Lang;
use rapport_core::metric::Metric;
use rapport_core::org::{NewOrganization, Organization};
use rapport_core::person::PersonInput;
use rapport_core::role::Role;
use rapport_core::segment::{Combine, Condition, SegmentInput, SegmentRule};
use rapport_core::Id;
use rapport_store::{Audit, Handover, NewUser, Result, Store, StoreError};
use serde_json::json;
use std::fmt::Debug;

mod audit;
mod case_queue;
mod cases;
mod conversations;
mod council;
mod customer_search;
mod diagnostic;
mod distribution;
mod empathy;
mod export;
mod gaps;
mod improve;
mod inbox_combinations;
mod inbox_sets;
mod knowledge;
mod listening;
mod measure;
mod models;
mod outbox;
mod passwords;
mod perfect_behaviours;
mod purge;
mod recognition;
mod settings;
mod staffing;
mod team;
mod text;
mod training;
pub use audit::*;
pub use case_queue::*;
pub use cases::*;
pub use conversations::*;
pub use council::*;
pub use customer_search::*;
pub use diagnostic::*;
pub use distribution::*;
pub use empathy::*;
pub use export::*;
pub use gaps::*;
pub use improve::*;
pub use inbox_sets::*;
pub use knowledge::*;
pub use listening::*;
pub use measure::*;
pub use models::*;
pub use outbox::*;
pub use passwords::*;
pub use perfect_behaviours::*;
pub use purge::*;
pub use recognition::*;
pub use settings::*;
pub use staffing::*;
pub use team::*;
pub use text::*;
pub use training::*;

// ---- Inputs -------------------------------------------------------------

async fn org(s: &dyn Store, slug: &str) -> Organization {
    s.create_org(&NewOrganization { slug: slug.into(), name: format!("Org {slug}") }).await.unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
}

fn person(name: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        department: Some("Service".into()),
        role: None,
        joined_on: day(1),
    }
}

async fn add_person(s: &dyn Store, org: Id, name: &str) -> Id {
    s.create_person(org, &person(name)).await.unwrap().id
}

fn segment(name: &str) -> SegmentInput {
    SegmentInput {
        name: name.into(),
        description: Some(format!("The {name} customers")),
        rule: SegmentRule {
            combine: Combine::Any,
            conditions: vec![Condition::Equals { attribute: "plan".into(), value: name.to_lowercase() }],
        },
    }
}

async fn add_segment(s: &dyn Store, org: Id, name: &str) -> Id {
    s.create_segment(org, &segment(name)).await.unwrap().id
}

fn stage(name: &str, position: Option<i64>) -> StageInput {
    StageInput { name: name.into(), position }
}

async fn add_stage(s: &dyn Store, org: Id, name: &str, position: Option<i64>) -> Id {
    s.create_stage(org, &stage(name, position)).await.unwrap().id
}

fn touchpoint(name: &str, stage_id: Id, owner_id: Option<Id>) -> TouchpointInput {
    TouchpointInput {
        name: name.into(),
        description: None,
        stage_id,
        position: None,
        channel: Some("web".into()),
        department: None,
        owner_id,
        importance: vec![],
    }
}

async fn add_touchpoint(s: &dyn Store, org: Id, name: &str, stage: Id, owner: Option<Id>) -> Id {
    s.create_touchpoint(org, &touchpoint(name, stage, owner)).await.unwrap().id
}

fn experience(name: &str, leader_id: Option<Id>, segment_ids: Vec<Id>) -> ExperienceInput {
    ExperienceInput {
        name: name.into(),
        customer_definition: Some("New customers buying for the first time".into()),
        segment_ids,
        goal: Goal { metric: Metric::RepeatPurchaseRate, target: 35.5, period: Period::Quarter, behaviour_id: None },
        leader_id,
    }
}

async fn add_experience(s: &dyn Store, org: Id, name: &str, leader: Option<Id>) -> Id {
    s.create_experience(org, &experience(name, leader, vec![])).await.unwrap().id
}

fn user(email: &str, person_id: Option<Id>) -> NewUser {
    NewUser { email: email.into(), role: Role::Leader, password_hash: "$argon2id$v=19$fake".into(), person_id }
}

fn intent(statement: &str, criteria: Vec<Criterion>) -> IntentInput {
    IntentInput { statement: statement.into(), criteria }
}

fn criterion(scope: Scope) -> Criterion {
    Criterion {
        metric: Metric::Csat,
        scope,
        comparator: Comparator::AtLeast,
        threshold: 80.0,
        margin: 5.0,
        behaviour_id: None,
    }
}

// ---- Expectations -------------------------------------------------------

#[track_caller]
fn not_found<T: Debug>(r: Result<T>) {
    match r {
        Err(StoreError::NotFound) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[track_caller]
fn invalid<T: Debug>(r: Result<T>, field: &str) {
    match r {
        Err(StoreError::Invalid(e)) if e.get(field).is_some() => {}
        other => panic!("expected Invalid on {field}, got {other:?}"),
    }
}

#[track_caller]
fn conflict<T: Debug>(r: Result<T>, on: &str) {
    match r {
        Err(StoreError::Conflict { field, .. }) if field == on => {}
        other => panic!("expected Conflict on {on}, got {other:?}"),
    }
}

/// One field of every item.
fn pluck<T, U>(items: Vec<T>, field: impl Fn(T) -> U) -> Vec<U> {
    items.into_iter().map(field).collect()
}

/// The stages as "name@position", in list order.
async fn stage_order(s: &dyn Store, org: Id) -> Vec<String> {
    let stages = s.list_stages(org).await.unwrap();
    stages.into_iter().map(|st| format!("{}@{}", st.name, st.position)).collect()
}

/// The touchpoints as "name@position", in list order.
async fn touchpoint_order(s: &dyn Store, org: Id) -> Vec<String> {
    let tps = s.list_touchpoints(org).await.unwrap();
    tps.into_iter().map(|t| format!("{}@{}", t.name, t.position)).collect()
}

/// A touchpoint input at a given position.
fn placed(name: &str, stage_id: Id, position: Option<i64>) -> TouchpointInput {
    TouchpointInput { position, ..touchpoint(name, stage_id, None) }
}

// ---- Stories ------------------------------------------------------------

pub async fn organizations(s: &dyn Store) {
    s.ping().await.unwrap();
    assert!(["sqlite", "postgres"].contains(&s.backend()));
    let b = org(s, "beta").await;
    let a = org(s, "alpha").await;
    assert_eq!(a.mission, None);
    assert_eq!(s.org_by_slug("alpha").await.unwrap(), Some(a.clone()));
    assert_eq!(s.org_by_slug("nope").await.unwrap(), None);
    let slugs: Vec<String> = pluck(s.list_orgs().await.unwrap(), |o| o.slug);
    assert_eq!(slugs, ["alpha", "beta"]);
    let m = s.set_mission(a.id, Some("Make buying easy"), None).await.unwrap();
    assert_eq!(m.mission.as_deref(), Some("Make buying easy"));
    assert_eq!(m.created_at, a.created_at);
    assert_eq!(s.set_mission(a.id, None, None).await.unwrap().mission, None);
    not_found(s.set_mission(b.id + a.id + 100, Some("x"), None).await);
    not_found(s.create_person(b.id + a.id + 100, &person("Ghost")).await);
}

/// The coverage story: a program with a leader and owners; someone leaves,
/// coverage shows the gaps; a handover closes them.
pub async fn coverage(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let ana = add_person(s, o, "Ana").await;
    let ben = add_person(s, o, "Ben").await;
    let cai = add_person(s, o, "Cai").await;
    let pro = add_segment(s, o, "Pro").await;
    let free = add_segment(s, o, "Free").await;
    let discover = add_stage(s, o, "Discover", None).await;
    let buy = add_stage(s, o, "Buy", None).await;
    let use_ = add_stage(s, o, "Use", None).await;
    let ad = add_touchpoint(s, o, "Ad", discover, Some(ana)).await;
    let mut checkout_in = touchpoint("Checkout", buy, Some(ben));
    checkout_in.importance =
        vec![Importance { segment_id: pro, importance: 5 }, Importance { segment_id: free, importance: 2 }];
    let checkout = s.create_touchpoint(o, &checkout_in).await.unwrap();
    assert_eq!(checkout.importance.len(), 2);
    assert!(checkout.importance.contains(&Importance { segment_id: pro, importance: 5 }));
    let onboarding = add_touchpoint(s, o, "Onboarding", use_, Some(ben)).await;
    let mut cart_in = touchpoint("Cart", buy, Some(ana));
    cart_in.position = Some(1);
    let cart = s.create_touchpoint(o, &cart_in).await.unwrap().id;
    let exp = s.create_experience(o, &experience("First purchase", Some(ben), vec![pro])).await.unwrap();
    for tp in [ad, checkout.id, onboarding] {
        s.add_interaction(o, exp.id, tp, None).await.unwrap();
    }
    add_experience(s, o, "Renewal", Some(ana)).await;

    let order: Vec<Id> = pluck(s.list_touchpoints(o).await.unwrap(), |t| t.id);
    assert_eq!(order, [ad, cart, checkout.id, onboarding], "by stage position, then touchpoint position");
    let names: Vec<String> = pluck(s.list_people(o).await.unwrap(), |p| p.name);
    assert_eq!(names, ["Ana", "Ben", "Cai"]);
    let names: Vec<String> = pluck(s.list_experiences(o).await.unwrap(), |e| e.name);
    assert_eq!(names, ["First purchase", "Renewal"]);

    let measure = || async {
        let exps = s.list_experiences(o).await.unwrap();
        let tps = s.list_touchpoints(o).await.unwrap();
        let people = s.list_people(o).await.unwrap();
        coverage::compute(&exps, &tps, &people)
    };
    assert_eq!(measure().await.percent, 100.0);

    let left = s.deactivate_person(o, ben, day(20), None).await.unwrap();
    assert_eq!(left.left_on, Some(day(20)));
    assert!(!s.get_person(o, ben).await.unwrap().is_active());
    let c = measure().await;
    assert!(c.percent < 100.0);
    assert_eq!(c.percent, 50.0, "3 of 6 uncovered");
    assert_eq!((c.experiences.covered, c.experiences.total), (1, 2));
    assert_eq!((c.touchpoints.covered, c.touchpoints.total), (2, 4));
    let mut gaps: Vec<(GapKind, Id)> = c.gaps.iter().map(|g| (g.kind, g.id)).collect();
    gaps.sort_by_key(|g| g.1);
    let mut expected =
        vec![(GapKind::Experience, exp.id), (GapKind::Touchpoint, checkout.id), (GapKind::Touchpoint, onboarding)];
    expected.sort_by_key(|g| g.1);
    assert_eq!(gaps, expected);
    for g in &c.gaps {
        assert_eq!(g.reason, GapReason::PersonLeft);
        assert_eq!(g.person_id, Some(ben));
        assert_eq!(g.person_name.as_deref(), Some("Ben"));
    }

    // Handing over needs someone active, in this organization.
    invalid(s.handover(o, ben, ben, None).await, "to");
    invalid(s.handover(o, ben, 999_999, None).await, "to");
    not_found(s.handover(o, 999_999, cai, None).await);
    conflict(s.delete_person(o, ben, &by("person.delete")).await, "id");

    let moved = s.handover(o, ben, cai, None).await.unwrap();
    assert_eq!(moved, Handover { experiences: 1, touchpoints: 2, listening_posts: 0, cases: 0 });
    let c = measure().await;
    assert_eq!(c.percent, 100.0);
    assert!(c.gaps.is_empty());
    assert_eq!(s.get_experience(o, exp.id).await.unwrap().leader_id, Some(cai));
    assert_eq!(s.get_touchpoint(o, onboarding).await.unwrap().owner_id, Some(cai));
    assert_eq!(s.get_touchpoint(o, ad).await.unwrap().owner_id, Some(ana), "others' work stays");

    // Ben owns nothing now and can go; Cai cannot.
    s.delete_person(o, ben, &by("person.delete")).await.unwrap();
    not_found(s.get_person(o, ben).await);
    conflict(s.delete_person(o, cai, &by("person.delete")).await, "id");
    let back = s.reactivate_person(o, ana).await.unwrap();
    assert!(back.is_active());
    s.deactivate_person(o, ana, day(21), None).await.unwrap();
    invalid(s.handover(o, cai, ana, None).await, "to");
    assert_eq!(s.reactivate_person(o, ana).await.unwrap().left_on, None);
}

/// Organization B can neither see nor touch A's rows, nor name them.
pub async fn isolation(s: &dyn Store) {
    let a = org(s, "org-a").await.id;
    let b = org(s, "org-b").await.id;
    let pa = add_person(s, a, "Ana").await;
    let sa = add_segment(s, a, "Pro").await;
    let sta = add_stage(s, a, "Buy", None).await;
    let ta = add_touchpoint(s, a, "Checkout", sta, Some(pa)).await;
    let ea = s.create_experience(a, &experience("First purchase", Some(pa), vec![sa])).await.unwrap().id;
    s.add_interaction(a, ea, ta, None).await.unwrap();
    let ua = s.create_user(a, &user("ana@example.com", Some(pa))).await.unwrap().id;

    // B's own rows, to reference from B.
    let pb = add_person(s, b, "Ana").await; // the same e-mail is fine in another organization
    let stb = add_stage(s, b, "Buy", None).await;
    let eb = add_experience(s, b, "Mine", Some(pb)).await;
    s.create_user(b, &user("ana@example.com", None)).await.unwrap();

    // Reading, changing or deleting A's rows from B: NotFound.
    not_found(s.get_person(b, pa).await);
    not_found(s.update_person(b, pa, &person("Eve")).await);
    not_found(s.deactivate_person(b, pa, day(2), None).await);
    not_found(s.reactivate_person(b, pa).await);
    not_found(s.delete_person(b, pa, &by("person.delete")).await);
    not_found(s.handover(b, pa, pb, None).await);
    not_found(s.get_segment(b, sa).await);
    not_found(s.update_segment(b, sa, &segment("Evil")).await);
    not_found(s.delete_segment(b, sa, &by("segment.delete")).await);
    not_found(s.update_stage(b, sta, &stage("Evil", None)).await);
    not_found(s.delete_stage(b, sta, &by("stage.delete")).await);
    not_found(s.get_touchpoint(b, ta).await);
    not_found(s.update_touchpoint(b, ta, &touchpoint("Evil", stb, None)).await);
    not_found(s.delete_touchpoint(b, ta, &by("touchpoint.delete")).await);
    not_found(s.get_experience(b, ea).await);
    not_found(s.update_experience(b, ea, &experience("Evil", None, vec![])).await);
    not_found(s.delete_experience(b, ea, &by("experience.delete")).await);
    not_found(s.add_interaction(b, ea, ta, None).await);
    not_found(s.remove_interaction(b, ea, ta, None).await);
    not_found(s.interaction_history(b, ea).await);
    not_found(s.set_user_language(b, ua, Some(Lang::Es)).await);
    not_found(s.create_session(b, ua, "hash-b", Utc::now() + Duration::hours(1)).await);

    // Naming A's rows in B's inputs: Invalid, on the field that names them.
    invalid(s.create_touchpoint(b, &touchpoint("T", sta, None)).await, "stage_id");
    invalid(s.create_touchpoint(b, &touchpoint("T", stb, Some(pa))).await, "owner_id");
    let mut imp = touchpoint("T", stb, None);
    imp.importance = vec![Importance { segment_id: sa, importance: 3 }];
    invalid(s.create_touchpoint(b, &imp).await, "importance[0].segment_id");
    invalid(s.create_experience(b, &experience("E", Some(pa), vec![])).await, "leader_id");
    invalid(s.create_experience(b, &experience("E", None, vec![sa])).await, "segment_ids");
    invalid(s.update_experience(b, eb, &experience("E", Some(pa), vec![])).await, "leader_id");
    invalid(s.create_user(b, &user("eve@example.com", Some(pa))).await, "person_id");
    invalid(s.add_interaction(b, eb, ta, None).await, "touchpoint_id");
    invalid(s.handover(b, pb, pa, None).await, "to");
    let bad = intent("Ours", vec![criterion(Scope::Organization), criterion(Scope::Experience(ea))]);
    invalid(s.create_intent_version(b, &bad, None, None).await, "criteria[1].scope");
    let bad = intent("Ours", vec![criterion(Scope::Touchpoint(ta))]);
    invalid(s.create_intent_version(b, &bad, None, None).await, "criteria[0].scope");

    // B sees only its own; A's rows are untouched.
    assert_eq!(s.list_people(b).await.unwrap().len(), 1);
    assert!(s.list_segments(b).await.unwrap().is_empty());
    assert!(s.list_touchpoints(b).await.unwrap().is_empty());
    assert_eq!(s.list_experiences(b).await.unwrap().len(), 1);
    assert!(s.current_intent(b).await.unwrap().is_none());
    let pa_now = s.get_person(a, pa).await.unwrap();
    assert_eq!((pa_now.name.as_str(), pa_now.left_on), ("Ana", None));
    assert_eq!(s.get_segment(a, sa).await.unwrap().name, "Pro");
    assert_eq!(stage_order(s, a).await, ["Buy@1"]);
    let ea_now = s.get_experience(a, ea).await.unwrap();
    assert_eq!((ea_now.name.as_str(), ea_now.leader_id), ("First purchase", Some(pa)));
    assert_eq!(ea_now.segment_ids, vec![sa]);
    assert_eq!(ea_now.touchpoint_ids(), vec![ta]);
    assert_eq!(s.get_touchpoint(a, ta).await.unwrap().owner_id, Some(pa));
    let (ua_now, _) = s.user_for_sign_in(a, "ana@example.com").await.unwrap().unwrap();
    assert_eq!((ua_now.id, ua_now.language, ua_now.person_id), (ua, None, Some(pa)));
}

pub async fn conflicts(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    conflict(s.create_org(&NewOrganization { slug: "acme".into(), name: "Other".into() }).await, "slug");

    let ana = add_person(s, o, "Ana").await;
    let ben = add_person(s, o, "Ben").await;
    let mut dup = person("Eve");
    dup.email = "ANA@example.com".into();
    conflict(s.create_person(o, &dup).await, "email");
    dup.email = "ana@example.com".into();
    conflict(s.update_person(o, ben, &dup).await, "email");
    assert_eq!(s.get_person(o, ben).await.unwrap().email, "ben@example.com");
    let renamed = s.update_person(o, ana, &PersonInput { name: "Ana María".into(), ..person("Ana") }).await.unwrap();
    assert_eq!(renamed.name, "Ana María", "keeping one's own e-mail is fine");

    s.create_user(o, &user("lead@example.com", Some(ana))).await.unwrap();
    conflict(s.create_user(o, &user("Lead@Example.com", None)).await, "email");

    let pro = add_segment(s, o, "Pro").await;
    add_segment(s, o, "Free").await;
    conflict(s.create_segment(o, &segment("Pro")).await, "name");
    conflict(s.update_segment(o, pro, &segment("Free")).await, "name");
    assert_eq!(s.update_segment(o, pro, &segment("Pro")).await.unwrap().name, "Pro");

    let stage = add_stage(s, o, "Buy", None).await;
    let tp = add_touchpoint(s, o, "Checkout", stage, None).await;
    conflict(s.delete_stage(o, stage, &by("stage.delete")).await, "id");
    let exp = add_experience(s, o, "First purchase", None).await;
    s.add_interaction(o, exp, tp, None).await.unwrap();
    conflict(s.add_interaction(o, exp, tp, Some(1)).await, "touchpoint_id");
    assert_eq!(s.get_experience(o, exp).await.unwrap().interactions.len(), 1);
}

pub async fn interaction_history(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let stage = add_stage(s, o, "Buy", None).await;
    let [a, b, c] = [
        add_touchpoint(s, o, "A", stage, None).await,
        add_touchpoint(s, o, "B", stage, None).await,
        add_touchpoint(s, o, "C", stage, None).await,
    ];
    let exp = add_experience(s, o, "Path", None).await;
    assert!(s.interaction_history(o, exp).await.unwrap().is_empty());
    for tp in [a, b, c] {
        s.add_interaction(o, exp, tp, None).await.unwrap();
    }
    let current = |e: rapport_core::experience::Experience| -> Vec<(Id, i64)> {
        e.interactions.iter().map(|i| (i.touchpoint_id, i.position)).collect()
    };
    assert_eq!(current(s.get_experience(o, exp).await.unwrap()), [(a, 1), (b, 2), (c, 3)]);

    let e = s.remove_interaction(o, exp, b, None).await.unwrap();
    assert_eq!(current(e), [(a, 1), (c, 2)]);
    assert!(s.get_experience(o, exp).await.unwrap().interactions.iter().all(|i| i.removed_at.is_none()));
    not_found(s.remove_interaction(o, exp, b, None).await);
    not_found(s.remove_interaction(o, exp, 999_999, None).await);

    // Re-adding makes a new history row; the old one stays removed.
    let e = s.add_interaction(o, exp, b, Some(1)).await.unwrap();
    assert_eq!(current(e), [(b, 1), (a, 2), (c, 3)]);
    let history = s.interaction_history(o, exp).await.unwrap();
    let seen: Vec<(Id, bool)> = history.iter().map(|i| (i.touchpoint_id, i.removed_at.is_some())).collect();
    assert_eq!(seen, [(a, false), (b, true), (c, false), (b, false)], "oldest first");
    assert!(history.windows(2).all(|w| w[0].added_at <= w[1].added_at));
    let ended = &history[1];
    assert!(ended.removed_at.unwrap() >= ended.added_at);

    // Deleting a touchpoint ends its interactions; the history keeps them.
    s.delete_touchpoint(o, a, &by("touchpoint.delete")).await.unwrap();
    not_found(s.get_touchpoint(o, a).await);
    assert_eq!(current(s.get_experience(o, exp).await.unwrap()), [(b, 1), (c, 2)]);
    let history = s.interaction_history(o, exp).await.unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(history[0].touchpoint_id, a);
    assert!(history[0].removed_at.is_some());
    invalid(s.add_interaction(o, exp, a, None).await, "touchpoint_id");
    // Positions past the end go to the end.
    s.add_interaction(o, exp, add_touchpoint(s, o, "D", stage, None).await, Some(50)).await.unwrap();
    assert_eq!(s.get_experience(o, exp).await.unwrap().interactions.last().unwrap().position, 3);
    // The stage's own order closed up too.
    assert_eq!(touchpoint_order(s, o).await, ["B@1", "C@2", "D@3"]);
}

pub async fn positions(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let s1 = add_stage(s, o, "One", None).await;
    let s2 = add_stage(s, o, "Two", None).await;
    let s3 = add_stage(s, o, "Three", None).await;
    assert_eq!(stage_order(s, o).await, ["One@1", "Two@2", "Three@3"]);
    let zero = s.create_stage(o, &stage("Zero", Some(1))).await.unwrap();
    assert_eq!(zero.position, 1);
    add_stage(s, o, "Last", Some(99)).await;
    assert_eq!(stage_order(s, o).await, ["Zero@1", "One@2", "Two@3", "Three@4", "Last@5"]);
    // Moving up and down, renaming keeps the place.
    let moved = s.update_stage(o, s3, &stage("Three", Some(2))).await.unwrap();
    assert_eq!(moved.position, 2);
    assert_eq!(stage_order(s, o).await, ["Zero@1", "Three@2", "One@3", "Two@4", "Last@5"]);
    s.update_stage(o, zero.id, &stage("Zero", Some(4))).await.unwrap();
    s.update_stage(o, s1, &stage("Uno", None)).await.unwrap();
    assert_eq!(stage_order(s, o).await, ["Three@1", "Uno@2", "Two@3", "Zero@4", "Last@5"]);
    s.delete_stage(o, s1, &by("stage.delete")).await.unwrap();
    assert_eq!(stage_order(s, o).await, ["Three@1", "Two@2", "Zero@3", "Last@4"]);
    not_found(s.delete_stage(o, s1, &by("stage.delete")).await);

    // Touchpoints within and across stages.
    let a = add_touchpoint(s, o, "A", s2, None).await;
    let b = add_touchpoint(s, o, "B", s2, None).await;
    let first = placed("C", s2, Some(1));
    let c = s.create_touchpoint(o, &first).await.unwrap();
    assert_eq!(c.position, 1);
    let d = add_touchpoint(s, o, "D", s3, None).await;
    assert_eq!(touchpoint_order(s, o).await, ["D@1", "C@1", "A@2", "B@3"]);
    // To another stage without a position: at its end; the old stage closes up.
    let moved = s.update_touchpoint(o, c.id, &touchpoint("C", s3, None)).await.unwrap();
    assert_eq!((moved.stage_id, moved.position), (s3, 2));
    assert_eq!(touchpoint_order(s, o).await, ["D@1", "C@2", "A@1", "B@2"]);
    // To another stage at a position; then within a stage.
    let at = placed("B", s3, Some(1));
    s.update_touchpoint(o, b, &at).await.unwrap();
    assert_eq!(touchpoint_order(s, o).await, ["B@1", "D@2", "C@3", "A@1"]);
    let down = placed("B", s3, Some(3));
    s.update_touchpoint(o, b, &down).await.unwrap();
    assert_eq!(touchpoint_order(s, o).await, ["D@1", "C@2", "B@3", "A@1"]);
    s.update_touchpoint(o, d, &touchpoint("D2", s3, None)).await.unwrap();
    assert_eq!(touchpoint_order(s, o).await, ["D2@1", "C@2", "B@3", "A@1"]);
    s.delete_touchpoint(o, d, &by("touchpoint.delete")).await.unwrap();
    assert_eq!(touchpoint_order(s, o).await, ["C@1", "B@2", "A@1"]);
    // Moving stages moves their touchpoints along in the list.
    s.update_stage(o, s2, &stage("Two", Some(1))).await.unwrap();
    assert_eq!(touchpoint_order(s, o).await, ["A@1", "C@1", "B@2"]);
    let tp = s.get_touchpoint(o, a).await.unwrap();
    assert_eq!((tp.stage_id, tp.channel.as_deref()), (s2, Some("web")));
}

pub async fn intent_versions(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "other").await.id;
    assert!(s.current_intent(o).await.unwrap().is_none());
    assert!(s.list_intent_versions(o).await.unwrap().is_empty());
    let stage = add_stage(s, o, "Buy", None).await;
    let tp = add_touchpoint(s, o, "Checkout", stage, None).await;
    let exp = add_experience(s, o, "First purchase", None).await;

    let v1 = s
        .create_intent_version(o, &intent("Customers feel known.", vec![]), Some("ana@example.com"), None)
        .await
        .unwrap();
    assert_eq!((v1.version, v1.created_by.as_deref()), (1, Some("ana@example.com")));
    let criteria =
        vec![criterion(Scope::Organization), criterion(Scope::Experience(exp)), criterion(Scope::Touchpoint(tp))];
    let v2 = s.create_intent_version(o, &intent("Customers come back.", criteria.clone()), None, None).await.unwrap();
    assert_eq!(v2.version, 2);
    assert_eq!(v2.criteria, criteria);
    // Another organization counts from 1.
    assert_eq!(s.create_intent_version(other, &intent("Theirs", vec![]), None, None).await.unwrap().version, 1);
    let v3 = s.create_intent_version(o, &intent("Customers tell friends.", vec![]), None, None).await.unwrap();
    assert_eq!(v3.version, 3);

    assert_eq!(s.current_intent(o).await.unwrap(), Some(v3.clone()));
    let all = s.list_intent_versions(o).await.unwrap();
    assert_eq!(all, vec![v3, v2.clone(), v1], "newest first, earlier ones unchanged");
    // Deleting what a criterion names leaves the stored version as it was.
    s.delete_experience(o, exp, &by("experience.delete")).await.unwrap();
    assert_eq!(s.list_intent_versions(o).await.unwrap()[1], v2);
    invalid(
        s.create_intent_version(o, &intent("x", vec![criterion(Scope::Experience(exp))]), None, None).await,
        "criteria[0].scope",
    );
}

pub async fn sessions(s: &dyn Store) {
    let o = org(s, "acme").await;
    let ana = add_person(s, o.id, "Ana").await;
    let u = s.create_user(o.id, &user("Ana@Example.com", Some(ana))).await.unwrap();
    assert_eq!((u.role, u.person_id, u.language), (Role::Leader, Some(ana), None));

    let (found, hash) = s.user_for_sign_in(o.id, "ana@example.COM").await.unwrap().unwrap();
    assert_eq!(found, u);
    assert_eq!(hash, "$argon2id$v=19$fake");
    assert!(s.user_for_sign_in(o.id, "nobody@example.com").await.unwrap().is_none());
    s.set_user_language(o.id, u.id, Some(Lang::Es)).await.unwrap();
    assert_eq!(s.user_for_sign_in(o.id, "ana@example.com").await.unwrap().unwrap().0.language, Some(Lang::Es));
    not_found(s.set_user_language(o.id, 999_999, None).await);

    let now = Utc::now();
    s.create_session(o.id, u.id, "live", now + Duration::hours(8)).await.unwrap();
    s.create_session(o.id, u.id, "stale", now - Duration::seconds(1)).await.unwrap();
    not_found(s.create_session(o.id, 999_999, "ghost", now + Duration::hours(1)).await);
    let (so, su) = s.session_user("live", now).await.unwrap().unwrap();
    assert_eq!((so, su.id, su.language), (o.clone(), u.id, Some(Lang::Es)));
    assert!(s.session_user("live", now + Duration::hours(9)).await.unwrap().is_none(), "expired later");
    assert!(s.session_user("stale", now).await.unwrap().is_none(), "already expired");
    assert!(s.session_user("unknown", now).await.unwrap().is_none());
    s.delete_session("live").await.unwrap();
    assert!(s.session_user("live", now).await.unwrap().is_none());
    s.delete_session("never-existed").await.unwrap();
}

pub async fn tokens(s: &dyn Store) {
    let o = org(s, "acme").await;
    let t = s.create_token(o.id, "CI import", Role::Agent, "token-hash").await.unwrap();
    assert_eq!((t.name.as_str(), t.role), ("CI import", Role::Agent));
    let (to, tt) = s.token_principal("token-hash").await.unwrap().unwrap();
    assert_eq!((to, tt), (o.clone(), t));
    assert!(s.token_principal("other-hash").await.unwrap().is_none());
    conflict(s.create_token(o.id, "again", Role::Viewer, "token-hash").await, "token");
    not_found(s.create_token(o.id + 999, "ghost", Role::Viewer, "ghost-hash").await);
}

pub async fn customers(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "other").await.id;
    let attrs = |v: serde_json::Value| v.as_object().unwrap().clone();
    let first = s
        .upsert_customer(
            o,
            &CustomerUpsert {
                external_id: "c-2".into(),
                email: Some("zoe@example.com".into()),
                name: Some("Zoe".into()),
                attributes: attrs(json!({"plan": "pro", "tenure_months": 14, "vip": true})),
            },
        )
        .await
        .unwrap();
    assert_eq!(first.attributes["tenure_months"], json!(14));
    let again = s
        .upsert_customer(
            o,
            &CustomerUpsert {
                external_id: "c-2".into(),
                email: None,
                name: Some("Zoë".into()),
                attributes: attrs(json!({"plan": "free"})),
            },
        )
        .await
        .unwrap();
    assert_eq!(again.id, first.id);
    assert_eq!(again.created_at, first.created_at);
    assert_eq!((again.email, again.name.as_deref()), (None, Some("Zoë")));
    assert_eq!(again.attributes, attrs(json!({"plan": "free"})), "attributes are replaced");
    let upsert =
        |id: &str| CustomerUpsert { external_id: id.into(), email: None, name: None, attributes: Default::default() };
    s.upsert_customer(o, &upsert("c-1")).await.unwrap();
    let theirs = s.upsert_customer(other, &upsert("c-2")).await.unwrap();
    assert_ne!(theirs.id, first.id, "external ids are per organization");
    let list = s.list_customers(o).await.unwrap();
    let ids: Vec<&str> = list.iter().map(|c| c.external_id.as_str()).collect();
    assert_eq!(ids, ["c-1", "c-2"]);
    assert_eq!(list[1].attributes, attrs(json!({"plan": "free"})));
    assert_eq!(s.list_customers(other).await.unwrap().len(), 1);
}

pub async fn segment_delete_cascade(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let pro = add_segment(s, o, "Pro").await;
    let free = add_segment(s, o, "Free").await;
    let got = s.get_segment(o, pro).await.unwrap();
    assert_eq!(got.rule, segment("Pro").rule);
    let basic = add_segment(s, o, "basic").await;
    let names: Vec<String> = pluck(s.list_segments(o).await.unwrap(), |g| g.name);
    assert_eq!(names, ["basic", "Free", "Pro"], "by name, ignoring case, on every backend");
    s.delete_segment(o, basic, &by("segment.delete")).await.unwrap();
    let stage = add_stage(s, o, "Buy", None).await;
    let mut tp = touchpoint("Checkout", stage, None);
    tp.importance = vec![Importance { segment_id: pro, importance: 5 }, Importance { segment_id: free, importance: 1 }];
    let tp = s.create_touchpoint(o, &tp).await.unwrap().id;
    let exp = s.create_experience(o, &experience("E", None, vec![free, pro])).await.unwrap();
    let mut both = vec![free, pro];
    both.sort();
    assert_eq!(exp.segment_ids, both);

    s.delete_segment(o, pro, &by("segment.delete")).await.unwrap();
    not_found(s.get_segment(o, pro).await);
    not_found(s.delete_segment(o, pro, &by("segment.delete")).await);
    assert_eq!(s.get_experience(o, exp.id).await.unwrap().segment_ids, vec![free]);
    assert_eq!(s.get_touchpoint(o, tp).await.unwrap().importance, vec![Importance { segment_id: free, importance: 1 }]);
    assert_eq!(s.list_segments(o).await.unwrap().len(), 1);
    // The name is free again.
    add_segment(s, o, "Pro").await;
}

/// A write that fails leaves nothing behind.
pub async fn failed_writes_leave_nothing(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let ana = add_person(s, o, "Ana").await;
    let pro = add_segment(s, o, "Pro").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let kept = add_touchpoint(s, o, "Kept", stage, Some(ana)).await;

    let mut bad = touchpoint("New", stage, Some(ana));
    bad.position = Some(1);
    bad.importance =
        vec![Importance { segment_id: pro, importance: 4 }, Importance { segment_id: 999_999, importance: 4 }];
    invalid(s.create_touchpoint(o, &bad).await, "importance[1].segment_id");
    assert_eq!(touchpoint_order(s, o).await, ["Kept@1"], "no touchpoint, no shift");

    let mut changed = touchpoint("Renamed", stage, Some(999_999));
    changed.importance = vec![Importance { segment_id: pro, importance: 2 }];
    invalid(s.update_touchpoint(o, kept, &changed).await, "owner_id");
    let tp = s.get_touchpoint(o, kept).await.unwrap();
    assert_eq!((tp.name.as_str(), tp.owner_id, tp.importance.len()), ("Kept", Some(ana), 0));

    invalid(s.create_experience(o, &experience("E", Some(ana), vec![pro, 999_999])).await, "segment_ids");
    assert!(s.list_experiences(o).await.unwrap().is_empty());
    let exp = s.create_experience(o, &experience("E", Some(ana), vec![pro])).await.unwrap();
    invalid(s.update_experience(o, exp.id, &experience("F", Some(999_999), vec![])).await, "leader_id");
    assert_eq!(s.get_experience(o, exp.id).await.unwrap(), exp);

    invalid(s.create_user(o, &user("x@example.com", Some(999_999))).await, "person_id");
    assert!(s.user_for_sign_in(o, "x@example.com").await.unwrap().is_none());
    invalid(
        s.create_intent_version(o, &intent("x", vec![criterion(Scope::Touchpoint(999_999))]), None, None).await,
        "criteria[0].scope",
    );
    assert!(s.current_intent(o).await.unwrap().is_none());

    let ben = add_person(s, o, "Ben").await;
    s.deactivate_person(o, ben, day(3), None).await.unwrap();
    invalid(s.handover(o, ana, ben, None).await, "to");
    assert_eq!(s.get_experience(o, exp.id).await.unwrap().leader_id, Some(ana));
    assert_eq!(s.get_touchpoint(o, kept).await.unwrap().owner_id, Some(ana));

    conflict(s.create_person(o, &person("Ana")).await, "email");
    assert_eq!(s.list_people(o).await.unwrap().len(), 2);
}

pub async fn deletes(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let ana = add_person(s, o, "Ana").await;
    s.create_user(o, &user("ana@example.com", Some(ana))).await.unwrap();
    // A person linked to an account, leading nothing, can be deleted; the
    // account stays, unlinked.
    s.delete_person(o, ana, &by("person.delete")).await.unwrap();
    let (u, _) = s.user_for_sign_in(o, "ana@example.com").await.unwrap().unwrap();
    assert_eq!(u.person_id, None);
    not_found(s.delete_person(o, ana, &by("person.delete")).await);

    let stage = add_stage(s, o, "Buy", None).await;
    let tp = add_touchpoint(s, o, "Checkout", stage, None).await;
    let exp = add_experience(s, o, "E", None).await;
    s.add_interaction(o, exp, tp, None).await.unwrap();
    s.delete_experience(o, exp, &by("experience.delete")).await.unwrap();
    not_found(s.get_experience(o, exp).await);
    not_found(s.interaction_history(o, exp).await);
    s.delete_touchpoint(o, tp, &by("touchpoint.delete")).await.unwrap();
    not_found(s.delete_touchpoint(o, tp, &by("touchpoint.delete")).await);
    s.delete_stage(o, stage, &by("stage.delete")).await.unwrap();
    assert!(s.list_stages(o).await.unwrap().is_empty());
}

/// Writers of one organization at once: positions and versions stay distinct.
pub async fn concurrent_writes(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let inputs = ["a", "b", "c", "d", "e", "f"].map(|n| stage(n, None));
    let (a, b, c, d, e, f) = tokio::join!(
        s.create_stage(o, &inputs[0]),
        s.create_stage(o, &inputs[1]),
        s.create_stage(o, &inputs[2]),
        s.create_stage(o, &inputs[3]),
        s.create_stage(o, &inputs[4]),
        s.create_stage(o, &inputs[5]),
    );
    for r in [a, b, c, d, e, f] {
        r.unwrap();
    }
    let mut positions: Vec<i64> = pluck(s.list_stages(o).await.unwrap(), |st| st.position);
    positions.sort();
    assert_eq!(positions, [1, 2, 3, 4, 5, 6]);

    let i = intent("Same time", vec![]);
    let (v1, v2, v3, v4) = tokio::join!(
        s.create_intent_version(o, &i, None, None),
        s.create_intent_version(o, &i, None, None),
        s.create_intent_version(o, &i, None, None),
        s.create_intent_version(o, &i, None, None),
    );
    let mut versions: Vec<i64> = [v1, v2, v3, v4].into_iter().map(|v| v.unwrap().version).collect();
    versions.sort();
    assert_eq!(versions, [1, 2, 3, 4]);

    let (ana, ben) = (person("Ana"), person("Ben"));
    let (p1, p2, p3) = tokio::join!(s.create_person(o, &ana), s.create_person(o, &ana), s.create_person(o, &ben));
    let outcomes = [p1.is_ok(), p2.is_ok()];
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "one Ana wins: {outcomes:?}");
    p3.unwrap();
    assert_eq!(s.list_people(o).await.unwrap().len(), 2);
}

/// The audit line the stories hand to writes that take one.
pub fn by(action: &'static str) -> Audit<'static> {
    Audit::new("story@example.com", action, "story")
}

pub async fn audit(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "other").await.id;
    for (i, action) in ["create", "update", "delete"].iter().enumerate() {
        s.record_audit(o, &Audit::new("ana@example.com", action, format!("person:{i}"))).await.unwrap();
    }
    s.record_audit(other, &Audit::new("eve@example.com", "create", "person:9")).await.unwrap();
    let last_two = s.list_audit(o, 2).await.unwrap();
    let seen: Vec<(&str, &str)> = last_two.iter().map(|a| (a.action.as_str(), a.subject.as_str())).collect();
    assert_eq!(seen, [("delete", "person:2"), ("update", "person:1")], "newest first");
    assert_eq!(last_two[0].actor, "ana@example.com");
    assert!(last_two[0].at >= last_two[1].at);
    assert_eq!(s.list_audit(o, 100).await.unwrap().len(), 3);
    assert!(s.list_audit(o, 0).await.unwrap().is_empty());
    not_found(s.record_audit(other + o + 999, &Audit::new("x", "y", "z")).await);
}
