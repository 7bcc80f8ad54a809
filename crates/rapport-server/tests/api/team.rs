//! Administration through the API: an invited person accepts and takes
//! part at once (submits an idea, is told of an announcement and
//! acknowledges it); personal e-mails never reach webhooks; a revoked token
//! is refused from the next request on.

use crate::helpers::{id, TestApp};
use rapport_core::role::Role;
use rapport_server::auth::secret;
use rapport_store::NewInvitation;
use serde_json::json;

pub async fn invite_accept_and_take_part(app: TestApp) {
    let org = app.org("team").await;
    let admin = app.client(org.id, Role::Admin).await;
    let hook = json!({"name": "Everything", "url": "http://127.0.0.1:9/all", "events": ["*"]});
    admin.post("/api/v1/webhooks", hook).await.expect(201);
    let nora =
        id(&admin.post("/api/v1/people", json!({"name": "Nora", "email": "nora@example.com"})).await.expect(201));

    // The invitation: an account at once, linked, marked invited, mailed.
    let invited = admin.post("/api/v1/invitations", json!({"person_id": nora, "role": "member"})).await.expect(201);
    assert_eq!((invited["email"].as_str(), invited["person_id"].as_i64()), (Some("nora@example.com"), Some(nora)));
    assert_eq!(invited["invited"], true);
    let accounts = admin.get("/api/v1/accounts").await.expect(200);
    assert!(accounts.as_array().unwrap().iter().any(|a| a["id"] == invited["id"] && a["invited"] == true));
    admin.post("/api/v1/invitations", json!({"person_id": 999_999, "role": "member"})).await.expect_error(
        422,
        "invalid",
        Some("person_id"),
    );
    app.store.fan_out(chrono::Utc::now(), 100).await.unwrap();
    let sent = app.store.list_deliveries(org.id, None, 100).await.unwrap();
    let invitation: Vec<_> = sent.iter().filter(|d| d.event == "account.invitation").collect();
    assert_eq!(invitation.len(), 1, "one e-mail, no webhook: {sent:?}");
    assert_eq!(
        (invitation[0].channel.as_str(), invitation[0].recipient.as_deref()),
        ("email", Some("nora@example.com"))
    );

    // The link (renewed here with a token the test knows: the mailed one is
    // read from a real SMTP server by the browser test) sets a password
    // through the web page and signs Nora in.
    let token = secret::generate("");
    let now = chrono::Utc::now();
    let renew = NewInvitation {
        person: nora,
        role: Role::Member,
        token_hash: &secret::digest(&token),
        now,
        expires_at: now + chrono::Duration::days(7),
    };
    app.store.invite(org.id, &renew, &rapport_store::Audit::new("test", "user.invite", "renew")).await.unwrap();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let form = [("token", token.as_str()), ("new", "a long enough secret"), ("confirm", "a long enough secret")];
    let accepted =
        http.post(format!("{}/invitation", app.base)).header("origin", &app.base).form(&form).send().await.unwrap();
    assert_eq!(accepted.status(), 303);
    let cookie = accepted
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("rapport_session="))
        .expect("signed in")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let again =
        http.post(format!("{}/invitation", app.base)).header("origin", &app.base).form(&form).send().await.unwrap();
    assert_eq!(again.status(), 410, "the link works once");
    let nora_c = app.with_cookie(&cookie);

    // Nora takes part: an idea, then an announcement for her, acknowledged.
    let stage = id(&admin.post("/api/v1/stages", json!({"name": "Buy"})).await.expect(201));
    let web = id(&admin.post("/api/v1/touchpoints", json!({"name": "Web shop", "stage_id": stage})).await.expect(201));
    let idea = nora_c.post("/api/v1/ideas", json!({"title": "Save my basket", "touchpoint_id": web})).await.expect(201);
    assert_eq!(idea["author_id"].as_i64(), Some(nora));
    assert_eq!(nora_c.get("/api/v1/notifications/unread").await.expect(200)["unread"], 0);
    let tp = json!({"name": "Returns", "stage_id": stage, "owner_id": nora});
    admin.post("/api/v1/touchpoints", tp).await.expect(201);
    assert_eq!(nora_c.get("/api/v1/notifications/unread").await.expect(200)["unread"], 1);
    let items = nora_c.get("/api/v1/notifications").await.expect(200);
    assert_eq!((items[0]["kind"].as_str(), items[0]["title"].as_str()), (Some("announcement"), Some("Returns")));
    let ann = items[0]["link"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    nora_c.post(&format!("/api/v1/announcements/{ann}/acknowledge"), json!({})).await.expect(200);
    nora_c.post("/api/v1/notifications/read", json!({"id": null})).await.expect(204);
    assert_eq!(nora_c.get("/api/v1/notifications/unread").await.expect(200)["unread"], 0);

    // Her choices; a made-up kind is named.
    let chosen = nora_c
        .put("/api/v1/notifications/settings", json!({"deliveries": {"idea_status": "digest"}}))
        .await
        .expect(200);
    assert_eq!(
        (chosen["deliveries"]["idea_status"].as_str(), chosen["deliveries"]["announcement"].as_str()),
        (Some("digest"), Some("in_app"))
    );
    nora_c.put("/api/v1/notifications/settings", json!({"deliveries": {"gossip": "email"}})).await.expect_error(
        422,
        "invalid",
        Some("deliveries.gossip"),
    );
    // Tokens have no notification centre; members do not administer.
    admin.get("/api/v1/notifications").await.expect_error(403, "forbidden", None);
    nora_c.get("/api/v1/accounts").await.expect_error(403, "forbidden", None);

    // The admin makes her an agent; the last admin cannot stop being one.
    let changed =
        admin.put(&format!("/api/v1/accounts/{}/role", id(&invited)), json!({"role": "agent"})).await.expect(200);
    assert_eq!(changed["role"], "agent");
    let unlinked =
        admin.put(&format!("/api/v1/accounts/{}/person", id(&invited)), json!({"person_id": null})).await.expect(200);
    assert_eq!(unlinked["person_id"], serde_json::Value::Null);
}

pub async fn revoked_token_is_refused_at_once(app: TestApp) {
    let org = app.org("tokens").await;
    let admin = app.client(org.id, Role::Admin).await;
    admin.post("/api/v1/tokens", json!({"name": " ", "role": "viewer"})).await.expect_error(
        422,
        "invalid",
        Some("name"),
    );
    admin.post("/api/v1/tokens", json!({"name": "crm", "role": "boss"})).await.expect_error(422, "invalid", None);
    let made = admin.post("/api/v1/tokens", json!({"name": "crm-sync", "role": "viewer"})).await.expect(201);
    let secret = made["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("rpt_"));
    let crm = app.with_token(&secret);
    crm.get("/api/v1/org").await.expect(200);
    let own = admin.get("/api/v1/tokens").await.expect(200);
    let own = own.as_array().unwrap().iter().find(|t| t["name"] == "test-admin").unwrap()["id"].as_i64().unwrap();
    admin.delete(&format!("/api/v1/tokens/{own}")).await.expect_error(409, "conflict", Some("id"));
    crm.get("/api/v1/tokens").await.expect_error(403, "forbidden", None);
    let listed = admin.get("/api/v1/tokens").await.expect(200);
    let row = listed.as_array().unwrap().iter().find(|t| t["id"] == made["id"]).unwrap().clone();
    assert!(row["last_used_at"].is_string(), "its use is shown: {row}");
    assert!(row.get("secret").is_none() && !listed.to_string().contains(&secret), "never listed");
    let revoked = admin.delete(&format!("/api/v1/tokens/{}", id(&made))).await.expect(200);
    assert!(revoked["revoked_at"].is_string());
    crm.get("/api/v1/org").await.expect_error(401, "unauthorized", None);
    admin.delete("/api/v1/tokens/999999").await.expect_error(404, "not_found", None);
}

pub async fn passwords_through_the_api(app: TestApp) {
    let org = app.org("pw").await;
    let person = id(&app
        .client(org.id, Role::Admin)
        .await
        .post("/api/v1/people", json!({"name": "Pat", "email": "pat@example.com"}))
        .await
        .expect(201));
    app.person_client(org.id, person, Role::Member).await;
    let user = app
        .store
        .list_members(org.id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.user.person_id == Some(person))
        .unwrap()
        .user;
    let audit = rapport_store::Audit::new("test", "user.password", "set");
    let old = rapport_server::auth::password::hash("the old passphrase");
    app.store.set_password(org.id, user.id, &old, None, &audit).await.unwrap();
    // (set_password ended the client's session: sign in again by session row.)
    let token = secret::generate("");
    let expires = chrono::Utc::now() + chrono::Duration::hours(1);
    app.store.create_session(org.id, user.id, &secret::digest(&token), expires).await.unwrap();
    let pat = app.with_cookie(&format!("rapport_session={token}"));

    let change = |current: &str, new: &str| json!({"current": current, "new": new});
    pat.post("/api/v1/account/password", change("wrong one here", "a brand new passphrase")).await.expect_error(
        422,
        "invalid",
        Some("current"),
    );
    pat.post("/api/v1/account/password", change("the old passphrase", "short")).await.expect_error(
        422,
        "invalid",
        Some("new"),
    );
    app.client(org.id, Role::Admin)
        .await
        .post("/api/v1/account/password", change("x", "a brand new passphrase"))
        .await
        .expect_error(403, "forbidden", None);
    pat.post("/api/v1/account/password", change("the old passphrase", "a brand new passphrase")).await.expect(204);
    let hash = app.store.password_hash(org.id, user.id).await.unwrap();
    assert!(rapport_server::auth::password::verify("a brand new passphrase", &hash));

    // Resets: the same answer for anyone; a link works once.
    let anyone = app.anonymous();
    anyone.post("/api/v1/password-resets", json!({"org": "pw", "email": "nobody@example.com"})).await.expect(202);
    anyone.post("/api/v1/password-resets", json!({"org": "pw", "email": user.email.to_uppercase()})).await.expect(202);
    anyone.post("/api/v1/password-resets", json!({"org": "pw"})).await.expect_error(422, "invalid", Some("email"));
    app.store.fan_out(chrono::Utc::now(), 100).await.unwrap();
    let mails = app.store.list_deliveries(org.id, None, 100).await.unwrap();
    let resets: Vec<_> = mails.iter().filter(|d| d.event == "account.password_reset").collect();
    assert_eq!(resets.len(), 1, "one e-mail, to the known account: {mails:?}");
    assert_eq!(resets[0].recipient.as_deref(), Some(user.email.as_str()));
    let link = secret::generate("");
    let now = chrono::Utc::now();
    app.store
        .create_password_reset(org.id, user.id, &secret::digest(&link), now, now + chrono::Duration::minutes(30))
        .await
        .unwrap();
    let done = json!({"token": link, "new": "the third passphrase"});
    anyone
        .post("/api/v1/password-resets/complete", json!({"token": "made-up", "new": "the third passphrase"}))
        .await
        .expect_error(410, "gone", None);
    anyone.post("/api/v1/password-resets/complete", json!({"token": link, "new": "short"})).await.expect_error(
        422,
        "invalid",
        Some("new"),
    );
    anyone.post("/api/v1/password-resets/complete", done.clone()).await.expect(204);
    anyone.post("/api/v1/password-resets/complete", done).await.expect_error(410, "gone", None);
    pat.get("/api/v1/notifications").await.expect_error(401, "unauthorized", None);
}
