//! `/admin/webhooks`: where Rapport sends its events (B6), signed, with
//! every delivery's outcome. The same rules as the API
//! (`api/webhooks.rs`): the signing secret is shown once, on the page that
//! creates the webhook; a test event goes to this webhook only; a delivery
//! sent again is a new delivery, so the first keeps its history.

use crate::error::AppError;
use crate::notify::sign::new_secret;
use crate::state::AppState;
use crate::web::ctx::Page;
use crate::web::form::{comma_list, outcome, FormData};
use crate::web::{see_other, WebPath, WebResult};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use minijinja::context;
use rapport_core::role::Permission;
use rapport_core::webhook::{WebhookDraft, WebhookFormat};
use rapport_core::Id;
use serde_json::json;

/// Deliveries shown on a webhook's page (the API pages through them all).
const RECENT: i64 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/webhooks", get(list).post(create))
        .route("/admin/webhooks/{id}", get(show).post(update))
        .route("/admin/webhooks/{id}/test", post(test))
        .route("/admin/webhooks/{id}/delete", post(delete))
        .route("/admin/webhooks/{id}/deliveries/{delivery}/redeliver", post(redeliver))
}

fn draft(form: &FormData) -> WebhookDraft {
    WebhookDraft {
        name: form.text("name"),
        url: form.text("url"),
        format: form.get("format").and_then(WebhookFormat::parse),
        events: comma_list(form.get("events")),
        active: Some(form.get("active").is_some()),
    }
}

async fn list_page(
    page: &Page,
    status: StatusCode,
    errors: rapport_core::validate::FieldErrors,
    form: FormData,
) -> WebResult {
    let hooks = page.store().list_webhooks(page.org()).await?;
    let ctx = context! { hooks, errors => page.errors(&errors), values => form.values() };
    page.render_status(status, "admin/webhooks.html", ctx)
}

async fn list(page: Page) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    list_page(&page, StatusCode::OK, Default::default(), FormData::default()).await
}

async fn create(page: Page, form: FormData) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    let made = async {
        let input = draft(&form).validate()?;
        let secret = new_secret();
        let audit = page.p.audit_created("webhook.create", "webhook:");
        let hook = page.store().create_webhook(page.org(), &input, &secret, &audit).await?;
        Ok::<_, AppError>((hook.id, secret))
    };
    match outcome(made.await)? {
        Ok((id, secret)) => show_page(&page, id, StatusCode::CREATED, Some(secret), Default::default(), None).await,
        Err((status, e)) => list_page(&page, status, e, form).await,
    }
}

async fn show_page(
    page: &Page,
    id: Id,
    status: StatusCode,
    secret: Option<String>,
    errors: rapport_core::validate::FieldErrors,
    form: Option<FormData>,
) -> WebResult {
    let (hook, deliveries) = tokio::try_join!(
        page.store().get_webhook(page.org(), id),
        page.store().list_deliveries(page.org(), Some(id), RECENT)
    )?;
    let deliveries: Vec<_> = deliveries.into_iter().map(crate::api::webhooks::DeliveryView::from).collect();
    let values = match form {
        Some(f) => f.values(),
        None => [
            ("name".to_string(), hook.name.clone()),
            ("url".to_string(), hook.url.clone()),
            ("format".to_string(), hook.format.key().to_string()),
            ("events".to_string(), hook.events.join(", ")),
        ]
        .into_iter()
        .collect(),
    };
    let ctx = context! { hook, deliveries, secret, errors => page.errors(&errors), values };
    page.render_status(status, "admin/webhook.html", ctx)
}

async fn show(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    show_page(&page, id, StatusCode::OK, None, Default::default(), None).await
}

async fn update(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    let saved = async {
        let input = draft(&form).validate()?;
        page.store().update_webhook(page.org(), id, &input).await?;
        Ok::<_, AppError>(())
    };
    match outcome(saved.await)? {
        Ok(()) => see_other(&format!("/admin/webhooks/{id}?ok=saved")),
        Err((status, e)) => show_page(&page, id, status, None, e, Some(form)).await,
    }
}

async fn test(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    let hook = page.store().get_webhook(page.org(), id).await?;
    let payload = json!({
        "only_webhook": hook.id,
        "title": "Test from Rapport",
        "summary": format!("Webhook \"{}\" receives Rapport's events.", hook.name),
    });
    page.store().enqueue_event(page.org(), "webhook.test", &payload).await?;
    page.state.outbox_wake.notify_one();
    see_other(&format!("/admin/webhooks/{id}?ok=test-sent"))
}

async fn delete(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    let audit = page.p.audit("webhook.delete", format!("webhook:{id}"));
    page.store().delete_webhook(page.org(), id, &audit).await?;
    see_other("/admin/webhooks?ok=deleted")
}

async fn redeliver(page: Page, WebPath((id, delivery)): WebPath<(Id, Id)>) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    page.store().get_webhook(page.org(), id).await?;
    page.store().redeliver(page.org(), delivery, Utc::now()).await?;
    page.state.outbox_wake.notify_one();
    see_other(&format!("/admin/webhooks/{id}?ok=redelivered"))
}

#[cfg(test)]
mod tests {
    use crate::web::test_support::TestApp;
    use axum::http::StatusCode;
    use chrono::{Duration, Utc};

    #[tokio::test]
    async fn a_webhook_is_made_tested_and_its_delivery_sent_again() {
        let t = TestApp::new().await;
        let bad = t.post("/admin/webhooks", &t.admin, &[("name", "Ops"), ("url", "ftp://x"), ("events", "*")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"webhook-error\""));
        let form = [
            ("name", "Ops room"),
            ("url", "http://127.0.0.1:9/ops"),
            ("events", "case.opened, idea.status"),
            ("active", "on"),
        ];
        let made = t.post("/admin/webhooks", &t.admin, &form).await;
        assert_eq!(made.status, StatusCode::CREATED);
        assert!(made.body.contains("id=\"webhook-secret\""), "the secret, once");
        let hook = t.store.list_webhooks(t.org.id).await.unwrap().remove(0);
        assert_eq!(hook.events, vec!["case.opened", "idea.status"]);
        let page = t.get(&format!("/admin/webhooks/{}", hook.id), &t.admin).await;
        assert!(!page.body.contains("id=\"webhook-secret\""), "never again");
        let tested = t.post(&format!("/admin/webhooks/{}/test", hook.id), &t.admin, &[]).await;
        assert_eq!(tested.location.as_deref(), Some(format!("/admin/webhooks/{}?ok=test-sent", hook.id).as_str()));
        let now = Utc::now();
        t.store.fan_out(now, 10).await.unwrap();
        let claimed = t.store.claim_deliveries(now, now + Duration::minutes(1), 10).await.unwrap();
        let d = claimed.into_iter().find(|d| d.event == "webhook.test").expect("the test delivery");
        t.store.delivery_failed(d.id, now, "HTTP 500", None).await.unwrap();
        let page = t.get(&format!("/admin/webhooks/{}", hook.id), &t.admin).await.body;
        assert!(page.contains("HTTP 500") && page.contains(&format!("id=\"redeliver-{}\"", d.id)), "{page}");
        let again = t.post(&format!("/admin/webhooks/{}/deliveries/{}/redeliver", hook.id, d.id), &t.admin, &[]).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert_eq!(
            t.store.list_deliveries(t.org.id, Some(hook.id), 10).await.unwrap().len(),
            2,
            "a new delivery, the first kept"
        );
        let off = [("name", "Ops room"), ("url", "http://127.0.0.1:9/ops"), ("events", "*")];
        assert_eq!(t.post(&format!("/admin/webhooks/{}", hook.id), &t.admin, &off).await.status, StatusCode::SEE_OTHER);
        assert!(!t.store.get_webhook(t.org.id, hook.id).await.unwrap().active, "unchecked is paused");
        assert_eq!(t.get("/admin/webhooks", &t.viewer).await.status, StatusCode::FORBIDDEN);
    }
}
