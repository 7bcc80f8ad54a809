//! Organization settings and the audit log through the API: a change names
//! what it changes, a low-contrast colour or a bad logo is a 422 naming its
//! field and writes nothing, the logo is served to anyone as the image it
//! is; the audit log is for admins, filters by actor, object and dates,
//! pages by keyset and exports as CSV.

use crate::helpers::{Client, TestApp};
use rapport_core::role::Role;
use rapport_core::Id;
use rapport_server::auth::secret;
use rapport_store::Audit;
use serde_json::{json, Value};

/// An admin token's raw requests (the logo is an image body, not JSON).
struct Raw {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Raw {
    async fn new(app: &TestApp, org: Id) -> Raw {
        let token = secret::generate("rpt_");
        app.store.create_token(org, "uploads", Role::Admin, &secret::digest(&token)).await.unwrap();
        Raw { base: app.base.clone(), token, http: reqwest::Client::new() }
    }

    async fn put_logo(&self, content_type: &str, body: Vec<u8>) -> (u16, Value) {
        let resp = self
            .http
            .put(format!("{}/api/v1/settings/logo", self.base))
            .bearer_auth(&self.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// A GET without credentials, as a survey page's visitor.
    async fn public(&self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.base)).send().await.unwrap()
    }
}

fn png(len: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.resize(len, 0x42);
    b
}

async fn field_error(c: &Client, body: Value, field: &str) -> String {
    let r = c.put("/api/v1/settings", body).await;
    r.expect_error(422, "invalid", Some(field));
    r.json["error"]["fields"][field]["code"].as_str().unwrap().to_string()
}

pub async fn settings_and_branding(app: TestApp) {
    let org = app.org("brand").await;
    let admin = app.client(org.id, Role::Admin).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let leader = app.client(org.id, Role::Leader).await;
    let raw = Raw::new(&app, org.id).await;

    let defaults = admin.get("/api/v1/settings").await.expect(200);
    assert_eq!(
        defaults,
        json!({"name": "Org brand", "default_language": "en", "accent_colour": null, "time_zone": "UTC", "logo": null})
    );
    assert_eq!(viewer.get("/api/v1/settings").await.expect(200), defaults, "everyone reads them");

    let body = json!({"name": " Brand & Co ", "default_language": "es", "accent_colour": "#1D4ED8"});
    let saved = leader.put("/api/v1/settings", body).await.expect(200);
    assert_eq!(
        (&saved["name"], &saved["default_language"], &saved["accent_colour"]),
        (&json!("Brand & Co"), &json!("es"), &json!("#1d4ed8"))
    );
    assert_eq!(admin.get("/api/v1/org").await.expect(200)["name"], "Brand & Co", "the organization is renamed");

    // Refused: nothing changes.
    assert_eq!(field_error(&admin, json!({"accent_colour": "#777777"}), "accent_colour").await, "low_contrast");
    assert_eq!(field_error(&admin, json!({"accent_colour": "blue"}), "accent_colour").await, "invalid");
    assert_eq!(field_error(&admin, json!({"default_language": "fr"}), "default_language").await, "invalid_choice");
    assert_eq!(field_error(&admin, json!({"name": ""}), "name").await, "required");
    assert_eq!(field_error(&admin, json!({}), "body").await, "required");
    admin.put("/api/v1/settings", json!({"accent_colour": 5})).await.expect_error(
        422,
        "invalid",
        Some("accent_colour"),
    );
    viewer.put("/api/v1/settings", json!({"name": "Viewer"})).await.expect_error(403, "forbidden", None);
    assert_eq!(admin.get("/api/v1/settings").await.expect(200), saved);

    // Only what is named changes; null is Rapport's colour again.
    let cleared = admin.put("/api/v1/settings", json!({"accent_colour": null})).await.expect(200);
    assert_eq!((&cleared["accent_colour"], &cleared["name"]), (&Value::Null, &json!("Brand & Co")));
    admin.put("/api/v1/calendar", json!({"time_zone": "Europe/Madrid"})).await.expect(200);
    assert_eq!(admin.get("/api/v1/settings").await.expect(200)["time_zone"], "Europe/Madrid");

    // The logo: the bytes decide; the body's size is bounded.
    let (status, e) = raw.put_logo("image/png", b"GIF89a\x01\x00\x01\x00".to_vec()).await;
    assert_eq!((status, &e["error"]["fields"]["logo"]["code"]), (422, &json!("invalid_image")), "{e}");
    let (status, e) = raw.put_logo("image/png", png(200 * 1024 + 1)).await;
    assert_eq!((status, &e["error"]["fields"]["logo"]["code"]), (422, &json!("image_too_large")), "{e}");
    let (status, e) = raw.put_logo("image/png", vec![]).await;
    assert_eq!((status, &e["error"]["fields"]["logo"]["code"]), (422, &json!("required")), "{e}");
    let (status, e) = raw.put_logo("image/svg+xml", b"<svg onload='alert(1)'/>".to_vec()).await;
    assert_eq!((status, &e["error"]["code"]), (400, &json!("bad_request")), "{e}");
    assert_eq!(admin.get("/api/v1/settings").await.expect(200)["logo"], Value::Null, "nothing stored");

    let image = png(200 * 1024);
    let (status, with) = raw.put_logo("image/png", image.clone()).await;
    assert_eq!(status, 200, "{with}");
    assert_eq!((&with["logo"]["content_type"], &with["logo"]["bytes"]), (&json!("image/png"), &json!(200 * 1024)));
    let url = with["logo"]["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("/branding/brand/logo?v="), "{url}");
    let served = raw.public(&url).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert_eq!(served.bytes().await.unwrap().to_vec(), image);

    let removed = leader.delete("/api/v1/settings/logo").await.expect(200);
    assert_eq!(removed["logo"], Value::Null);
    assert_eq!(raw.public(&url).await.status(), 404);
    viewer.delete("/api/v1/settings/logo").await.expect_error(403, "forbidden", None);

    // Every change left its line, by who made it, and only changes did.
    let actions: Vec<String> = admin
        .get("/api/v1/audit?limit=500")
        .await
        .expect(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|l| format!("{} {}", l["actor"].as_str().unwrap(), l["action"].as_str().unwrap()))
        .rev()
        .collect();
    assert_eq!(
        actions,
        [
            "token:test-leader settings.name",
            "token:test-leader settings.default_language",
            "token:test-leader settings.accent_colour",
            "token:test-admin settings.accent_colour",
            "token:test-admin calendar.update",
            "token:uploads settings.logo",
            "token:test-leader settings.logo_remove",
        ]
    );
}

pub async fn audit_list_filters_pages_and_exports(app: TestApp) {
    let org = app.org("trail").await;
    let other = app.org("other").await;
    let admin = app.client(org.id, Role::Admin).await;
    let line = |org: Id, actor: &'static str, action: &'static str, subject: String| {
        let store = app.store.clone();
        async move { store.record_audit(org, &Audit::new(actor, action, subject)).await.unwrap() }
    };
    for n in 0..12 {
        let actor = if n % 3 == 0 { "Ana@Example.com" } else { "token:ci" };
        line(org.id, actor, "segment.delete", format!("segment:{n}")).await;
    }
    line(org.id, "bo@example.com", "calendar.update", "calendar".into()).await;
    line(other.id, "Ana@Example.com", "segment.delete", "segment:99".into()).await;

    let all = admin.get("/api/v1/audit").await.expect(200);
    let all = all.as_array().unwrap().clone();
    assert_eq!(all.len(), 13, "this organization's lines only");
    assert_eq!((&all[0]["subject"], &all[0]["actor"]), (&json!("calendar"), &json!("bo@example.com")), "newest first");
    for key in ["id", "at", "actor", "action", "subject"] {
        assert!(!all[0][key].is_null(), "{key} in {}", all[0]);
    }
    let count = |v: Value| v.as_array().unwrap().len();
    assert_eq!(count(admin.get("/api/v1/audit?actor=ana%40example.com").await.expect(200)), 4);
    assert_eq!(count(admin.get("/api/v1/audit?object=segment").await.expect(200)), 12);
    assert_eq!(count(admin.get("/api/v1/audit?object=segment:3&actor=ANA@example.com").await.expect(200)), 1);
    assert_eq!(count(admin.get("/api/v1/audit?object=segment:99").await.expect(200)), 0);
    assert_eq!(count(admin.get("/api/v1/audit?from=2999-01-01").await.expect(200)), 0);
    assert_eq!(count(admin.get("/api/v1/audit?from=2000-01-01&to=2999-12-31").await.expect(200)), 13);

    // Bad filters name their parameter.
    admin.get("/api/v1/audit?from=yesterday").await.expect_error(422, "invalid", Some("from"));
    admin.get("/api/v1/audit?to=2026-02-30").await.expect_error(422, "invalid", Some("to"));
    admin.get("/api/v1/audit?from=2026-03-02&to=2026-03-01").await.expect_error(422, "invalid", Some("to"));
    admin.get("/api/v1/audit?limit=501").await.expect_error(422, "invalid", Some("limit"));
    admin.get("/api/v1/audit?after=nonsense").await.expect_error(422, "invalid", Some("after"));

    // Pages of 5 following `Link`, with the filter kept.
    let (mut seen, mut path) = (vec![], Some("/api/v1/audit?object=segment&limit=5".to_string()));
    while let Some(p) = path {
        let r = admin.get(&p).await;
        assert_eq!(r.status, 200, "{p}: {}", r.text);
        seen.extend(r.json.as_array().unwrap().iter().map(|l| l["id"].clone()));
        path = r.next;
    }
    let expected: Vec<Value> =
        all.iter().filter(|l| l["action"] == "segment.delete").map(|l| l["id"].clone()).collect();
    assert_eq!(seen, expected, "every line once, in order");

    // CSV: the whole filtered list.
    let csv = admin.get("/api/v1/audit?format=csv&actor=token:ci").await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let rows: Vec<&str> = csv.text.lines().collect();
    assert_eq!(rows[0], "action,actor,at,id,subject");
    assert_eq!(rows.len(), 1 + 8);
    assert!(rows[1..].iter().all(|r| r.starts_with("segment.delete,token:ci,")), "{rows:?}");

    // Admins only.
    for role in [Role::Leader, Role::Viewer, Role::Agent] {
        let c = app.client(org.id, role).await;
        c.get("/api/v1/audit").await.expect_error(403, "forbidden", None);
        c.get("/api/v1/audit?format=csv").await.expect_error(403, "forbidden", None);
    }
}
