//! Passwords: a change ends the account's other sessions and pending
//! resets; a reset works once, before it expires, and ends every session.

use super::{not_found, org, user};
use chrono::{Duration, Utc};
use rapport_store::{Audit, Store};

pub async fn passwords(s: &dyn Store) {
    let o = org(s, "acme").await;
    let ana = s.create_user(o.id, &user("ana@example.com", None)).await.unwrap();
    let bo = s.create_user(o.id, &user("bo@example.com", None)).await.unwrap();
    let now = Utc::now();
    for (who, session) in [(ana.id, "ana-here"), (ana.id, "ana-phone"), (bo.id, "bo-here")] {
        s.create_session(o.id, who, session, now + Duration::hours(8)).await.unwrap();
    }

    // A change keeps the session it was made from, ends the others.
    let audit = Audit::new("ana@example.com", "user.password_change", format!("user:{}", ana.id));
    s.create_password_reset(o.id, ana.id, "pending", now, now + Duration::minutes(30)).await.unwrap();
    s.set_password(o.id, ana.id, "$argon2id$new", Some("ana-here"), &audit).await.unwrap();
    assert_eq!(s.password_hash(o.id, ana.id).await.unwrap(), "$argon2id$new");
    assert!(s.session_user("ana-here", now).await.unwrap().is_some());
    assert!(s.session_user("ana-phone", now).await.unwrap().is_none(), "the other session ended");
    assert!(s.session_user("bo-here", now).await.unwrap().is_some(), "another account's stays");
    assert!(s.password_reset_account("pending", now).await.unwrap().is_none(), "a pending reset ends too");
    let line = s.list_audit(o.id, 1).await.unwrap().remove(0);
    assert_eq!((line.action.as_str(), line.subject), ("user.password_change", format!("user:{}", ana.id)));
    not_found(s.set_password(o.id, 999_999, "x", None, &audit).await);

    // A reset: valid until it expires, used once, counted per account.
    s.create_password_reset(o.id, bo.id, "link", now, now + Duration::minutes(30)).await.unwrap();
    s.create_password_reset(o.id, bo.id, "late", now, now + Duration::minutes(1)).await.unwrap();
    assert_eq!(s.password_resets_since(o.id, bo.id, now - Duration::hours(1)).await.unwrap(), 2);
    assert_eq!(s.password_resets_since(o.id, bo.id, now + Duration::seconds(1)).await.unwrap(), 0);
    let (org_of, account) = s.password_reset_account("link", now).await.unwrap().unwrap();
    assert_eq!((org_of.id, account.id), (o.id, bo.id));
    let later = now + Duration::minutes(2);
    assert!(s.complete_password_reset("late", later, "$argon2id$late").await.unwrap().is_none(), "expired");
    assert!(s.complete_password_reset("unknown", now, "$argon2id$x").await.unwrap().is_none());
    assert_eq!(s.password_hash(o.id, bo.id).await.unwrap(), "$argon2id$v=19$fake", "nothing changed");
    let done = s.complete_password_reset("link", later, "$argon2id$reset").await.unwrap();
    assert_eq!(done.map(|(_, u)| u.id), Some(bo.id));
    assert_eq!(s.password_hash(o.id, bo.id).await.unwrap(), "$argon2id$reset");
    assert!(s.session_user("bo-here", later).await.unwrap().is_none(), "every session ended");
    assert!(s.complete_password_reset("link", later, "$argon2id$again").await.unwrap().is_none(), "once");
    assert_eq!(s.password_hash(o.id, bo.id).await.unwrap(), "$argon2id$reset");
    let line = s.list_audit(o.id, 1).await.unwrap().remove(0);
    assert_eq!((line.actor.as_str(), line.action.as_str()), ("bo@example.com", "user.password_reset"));
}
