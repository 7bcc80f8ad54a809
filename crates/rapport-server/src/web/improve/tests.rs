use crate::web::test_support::{in_lang, session_as, TestApp};
use axum::http::StatusCode;
use chrono::Utc;
use rapport_core::improve::{IdeaInput, IdeaSource, IdeaStatus};
use rapport_core::role::Role;
use rapport_core::Id;

async fn member(t: &TestApp) -> String {
    session_as(t.store.as_ref(), t.org.id, "ana@acme.test", Role::Member, Some(t.ids.ana)).await
}

async fn leader(t: &TestApp) -> String {
    session_as(t.store.as_ref(), t.org.id, "lead@acme.test", Role::Leader, Some(t.ids.ana)).await
}

async fn idea(t: &TestApp, title: &str) -> Id {
    let input = IdeaInput {
        title: title.into(),
        body: None,
        touchpoint_id: Some(t.ids.touchpoint),
        experience_id: None,
        source: IdeaSource::Web,
    };
    t.store.create_idea(t.org.id, t.ids.ana, &input).await.unwrap().id
}

fn id_of(location: &Option<String>, prefix: &str) -> Id {
    let l = location.as_deref().unwrap();
    l.strip_prefix(prefix).unwrap().split('?').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_member_submits_an_idea_and_votes_once() {
    let t = TestApp::new().await;
    let me = member(&t).await;
    let es = in_lang(&me, "es");
    // Neither a touchpoint nor an experience: refused, per field, in Spanish.
    let r = t.post("/ideas", &es, &[("title", "Warm bags")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"touchpoint_id-error\""), "{}", r.body);
    assert!(r.body.contains("Este campo es obligatorio"), "{}", r.body);
    assert!(r.body.contains("value=\"Warm bags\""));
    let tp = t.ids.touchpoint.to_string();
    let r = t.post("/ideas", &es, &[("title", "Warm bags"), ("touchpoint_id", &tp)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_of(&r.location, "/ideas/");
    let page = t.get(&format!("/ideas/{id}"), &es).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Warm bags") && page.body.contains("Nueva") && page.body.contains("id=\"idea-vote\""));
    assert!(!page.body.contains("id=\"idea-status-form\""), "members do not review");
    assert_eq!(t.post(&format!("/ideas/{id}/vote"), &me, &[]).await.status, StatusCode::SEE_OTHER);
    let page = t.get(&format!("/ideas/{id}"), &es).await;
    assert!(page.body.contains("id=\"idea-unvote\"") && page.body.contains("1 voto"), "{}", page.body);
    // A second vote is a conflict, shown on the page.
    let r = t.post(&format!("/ideas/{id}/vote"), &es, &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Ya has votado esta idea"), "{}", r.body);
    let r = t.post(&format!("/ideas/{id}/comments"), &me, &[("body", "Yes please")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = t.get(&format!("/ideas?touchpoint={tp}"), &es).await.body;
    assert!(list.contains(&format!("id=\"idea-{id}\"")) && list.contains("1 comentario"), "{list}");
    let none = t.get("/ideas?status=approved", &es).await.body;
    assert!(none.contains("id=\"ideas-empty\""));
    // A viewer reads but does not contribute; a member does not review.
    assert_eq!(t.get(&format!("/ideas/{id}"), &t.viewer).await.status, StatusCode::OK);
    assert_eq!(t.post(&format!("/ideas/{id}/vote"), &t.viewer, &[]).await.status, StatusCode::FORBIDDEN);
    let r = t.post(&format!("/ideas/{id}/status"), &me, &[("status", "under_review")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn rejecting_needs_a_reason_and_the_author_sees_it() {
    let t = TestApp::new().await;
    let id = idea(&t, "Free coffee").await;
    let lead = in_lang(&leader(&t).await, "es");
    let url = format!("/ideas/{id}");
    assert_eq!(
        t.post(&format!("{url}/status"), &lead, &[("status", "under_review")]).await.status,
        StatusCode::SEE_OTHER
    );
    let r = t.post(&format!("{url}/status"), &lead, &[("status", "rejected")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"idea-status-refused\""));
    assert!(r.body.contains("Rechazar una idea exige un motivo"), "{}", r.body);
    let r = t.post(&format!("{url}/status"), &lead, &[("status", "rejected"), ("reason", "Too costly")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = t.get(&url, &in_lang(&member(&t).await, "es")).await.body;
    assert!(page.contains("Rechazada") && page.contains("Too costly"), "{page}");
    // Merging a duplicate moves to the target.
    let other = idea(&t, "Coffee for free").await;
    let r = t.post(&format!("/ideas/{other}/merge"), &lead, &[("target_id", &id.to_string())]).await;
    assert!(matches!(r.status, StatusCode::SEE_OTHER | StatusCode::UNPROCESSABLE_ENTITY), "{}", r.body);
    let r = t.post(&format!("/ideas/{other}/merge"), &lead, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_sprint_lasts_twenty_workdays_and_its_leader_approves_the_proposal() {
    let t = TestApp::new().await;
    let id = idea(&t, "Faster checkout").await;
    for s in [IdeaStatus::UnderReview, IdeaStatus::Approved] {
        t.store.set_idea_status(t.org.id, id, s, None, "test").await.unwrap();
    }
    let lead = leader(&t).await;
    let es = in_lang(&lead, "es");
    let list = t.get("/sprints", &es).await;
    assert!(list.body.contains("Faster checkout") && list.body.contains("Iniciar el sprint"), "{}", list.body);
    let tp = t.ids.touchpoint.to_string();
    let r = t.post("/sprints", &es, &[("touchpoint_id", &tp), ("name", "Checkout sprint")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"start-error\""), "{}", r.body);
    let (ana, ben) = (t.ids.ana.to_string(), t.ids.ben.to_string());
    let form = [
        ("touchpoint_id", tp.as_str()),
        ("name", "Checkout sprint"),
        ("start", "2026-03-02"),
        ("leader_id", ana.as_str()),
        ("team_ids", ben.as_str()),
        ("idea_ids", &id.to_string()),
    ];
    let r = t.post("/sprints", &es, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sid = id_of(&r.location, "/sprints/");
    let page = t.get(&format!("/sprints/{sid}"), &es).await.body;
    // 2 March 2026, a Monday: the 20th workday is Friday 27 March.
    assert!(page.contains("27 mar 2026"), "{page}");
    assert!(page.contains("Ideación") && page.contains("Ben Ode") && page.contains("Faster checkout"));
    let url = format!("/sprints/{sid}");
    // No proposal yet: approving is refused.
    let r = t.post(&format!("{url}/approve"), &es, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t.post(&format!("{url}/proposal"), &es, &[("document", "One page checkout")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Another planner who is not the leader is refused.
    let other = session_as(t.store.as_ref(), t.org.id, "ben@acme.test", Role::Leader, Some(t.ids.ben)).await;
    let page = t.get(&url, &in_lang(&other, "es")).await.body;
    assert!(page.contains("id=\"sprint-approve-leader-only\""), "{page}");
    let r = t.post(&format!("{url}/approve"), &in_lang(&other, "es"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Solo la persona responsable del sprint aprueba la propuesta"), "{}", r.body);
    assert_eq!(t.post(&format!("{url}/approve"), &es, &[]).await.status, StatusCode::SEE_OTHER);
    assert!(t.get(&url, &es).await.body.contains("id=\"proposal-approved\""));
    // Finishing before the end is refused.
    let r = t.post(&format!("{url}/finish"), &es, &[]).await;
    if Utc::now().date_naive() < chrono::NaiveDate::from_ymd_opt(2026, 3, 27).unwrap() {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Ben owns Checkout: the approval is announced to him; he acknowledges it.
    let feed = t.get("/announcements", &in_lang(&other, "es")).await.body;
    assert!(feed.contains("Rediseño aprobado: Checkout sprint"), "{feed}");
    let home = t.get("/", &in_lang(&other, "es")).await.body;
    assert!(home.contains("id=\"home-unacknowledged\""), "{home}");
    let aid = t.store.list_announcements(t.org.id, Some(t.ids.ben)).await.unwrap()[0].id;
    let page = t.get(&format!("/announcements/{aid}"), &in_lang(&other, "es")).await.body;
    assert!(page.contains("class=\"pending-name\">Ben Ode<"), "{page}");
    let r = t.post(&format!("/announcements/{aid}/acknowledge"), &other, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = t.get(&format!("/announcements/{aid}"), &in_lang(&other, "es")).await.body;
    assert!(!page.contains("class=\"pending-name\">Ben Ode<") && page.contains("Confirmado"), "{page}");
    // Twice: a conflict, shown.
    let r = t.post(&format!("/announcements/{aid}/acknowledge"), &other, &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_comms_plan_shows_the_month_and_what_is_due_today() {
    let t = TestApp::new().await;
    let lead = in_lang(&leader(&t).await, "es");
    let today = Utc::now().date_naive().to_string();
    let r = t.post("/comms", &lead, &[("title", "Town hall"), ("audience", "Everyone"), ("channel", "meeting")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"date-error\""), "{}", r.body);
    let ana = t.ids.ana.to_string();
    let form = [
        ("title", "Town hall"),
        ("audience", "Everyone"),
        ("channel", "meeting"),
        ("date", &today),
        ("owner_id", &ana),
    ];
    assert_eq!(t.post("/comms", &lead, &form).await.status, StatusCode::SEE_OTHER);
    let page = t.get("/comms", &lead).await.body;
    assert!(page.contains(&format!("id=\"day-{today}\"")) && page.contains("class=\"comms-due-item\""), "{page}");
    let home = t.get("/", &lead).await.body;
    assert!(home.contains("id=\"home-comms\"") && home.contains("Town hall"));
    let id = t.store.list_comms(t.org.id).await.unwrap()[0].id;
    assert!(t.get(&format!("/comms/{id}"), &lead).await.body.contains("id=\"comms-cancel\""));
    assert_eq!(t.post(&format!("/comms/{id}/cancel"), &lead, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(t.store.get_comms(t.org.id, id).await.unwrap().status.key(), "cancelled");
    assert_eq!(t.post("/comms", &t.viewer, &form).await.status, StatusCode::FORBIDDEN);
    let e = t.get("/engagement", &lead).await.body;
    assert!(e.contains("Participación") && e.contains("id=\"engagement-empty\""), "{e}");
}

/// A finished sprint is a success, not a warning; one not started yet is
/// neutral (issue 20, item 7).
#[tokio::test]
async fn a_finished_sprint_shows_a_done_badge_without_a_warning() {
    let t = TestApp::new().await;
    let lead = leader(&t).await;
    let (tp, ana) = (t.ids.touchpoint.to_string(), t.ids.ana.to_string());
    let mut pages = Vec::new();
    for (name, start) in [("Old sprint", "2025-03-03"), ("Future sprint", "2099-03-02")] {
        let form = [("touchpoint_id", tp.as_str()), ("name", name), ("start", start), ("leader_id", ana.as_str())];
        let r = t.post("/sprints", &lead, &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let sid = id_of(&r.location, "/sprints/");
        pages.push(t.get(&format!("/sprints/{sid}"), &in_lang(&lead, "en")).await.body);
    }
    let badge = |page: &str| {
        let at = page.find("id=\"sprint-status\"").expect("the status badge");
        let open = page[..at].rfind('<').unwrap();
        page[open..page[at..].find("</span>").unwrap() + at].to_string()
    };
    let done = badge(&pages[0]);
    assert!(done.contains("badge-ok") && !done.contains("badge-warn") && done.ends_with(">Done"), "{done}");
    let planned = badge(&pages[1]);
    assert!(planned.contains("badge-muted") && !planned.contains("badge-warn"), "{planned}");
}
