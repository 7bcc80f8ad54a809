//! Accounts as one thing with people: invitations that work once and
//! expire, automatic and manual links, roles (never losing the last
//! administrator), leaving ends sign-in; API tokens revoked at once and
//! their last use kept to the minute; the notification centre.

use super::{add_person, add_stage, conflict, invalid, not_found, org, touchpoint, user};
use chrono::{Duration, Utc};
use rapport_core::improve::{IdeaDraft, IdeaSource, IdeaStatus};
use rapport_core::invitation::NO_PASSWORD;
use rapport_core::notification::{Delivery, Kind};
use rapport_core::role::Role;
use rapport_store::{Audit, NewInvitation, NewUser, Store};

fn by(action: &str) -> Audit<'_> {
    Audit::new("admin@example.com", action, "test")
}

fn invitation(person: i64, role: Role, token_hash: &str, days: i64) -> NewInvitation<'_> {
    let now = Utc::now();
    NewInvitation { person, role, token_hash, now, expires_at: now + Duration::days(days) }
}

pub async fn team_accounts(s: &dyn Store) {
    let o = org(s, "team").await.id;
    let admin = s.create_user(o, &NewUser { role: Role::Admin, ..user("admin@example.com", None) }).await.unwrap();

    // An account made before its person links to them by e-mail, and the
    // other way round.
    let early = s.create_user(o, &user("carla@example.com", None)).await.unwrap();
    let carla = add_person(s, o, "Carla").await;
    let dan = add_person(s, o, "Dan").await;
    let late = s.create_user(o, &user("DAN@example.com", None)).await.unwrap();
    let members = s.list_members(o).await.unwrap();
    let of = |id| members.iter().find(|m| m.user.id == id).unwrap().user.person_id;
    assert_eq!((of(early.id), of(late.id)), (Some(carla), Some(dan)));

    // An invitation creates the account, linked and without a password.
    let eve = add_person(s, o, "Eve").await;
    let invited = s.invite(o, &invitation(eve, Role::Member, "invite-1", 7), &by("user.invite")).await.unwrap();
    assert_eq!((invited.email.as_str(), invited.person_id, invited.role), ("eve@example.com", Some(eve), Role::Member));
    assert_eq!(s.password_hash(o, invited.id).await.unwrap(), NO_PASSWORD);
    let m = s.list_members(o).await.unwrap().into_iter().find(|m| m.user.id == invited.id).unwrap();
    assert!(m.invited && m.invitation_expires_at.is_some());
    // Inviting again renews the link; the first stops working.
    s.invite(o, &invitation(eve, Role::Agent, "invite-2", 7), &by("user.invite")).await.unwrap();
    let now = Utc::now();
    assert!(s.invitation_account("invite-1", now).await.unwrap().is_none());
    let (org_of, account) = s.invitation_account("invite-2", now).await.unwrap().unwrap();
    assert_eq!((org_of.id, account.id, account.role), (o, invited.id, Role::Agent));
    // Accepted once: the password is set, the link is spent.
    let accepted = s.accept_invitation("invite-2", now, "$argon2id$eve").await.unwrap().unwrap();
    assert_eq!(accepted.1.id, invited.id);
    assert_eq!(s.password_hash(o, invited.id).await.unwrap(), "$argon2id$eve");
    assert!(s.accept_invitation("invite-2", now, "$argon2id$again").await.unwrap().is_none(), "once");
    assert_eq!(s.password_hash(o, invited.id).await.unwrap(), "$argon2id$eve");
    conflict(s.invite(o, &invitation(eve, Role::Member, "invite-3", 7), &by("user.invite")).await, "person_id");
    conflict(s.withdraw_invitation(o, invited.id, &by("user.invitation_withdraw")).await, "user");
    let line = s.list_audit(o, 1).await.unwrap().remove(0);
    assert_eq!((line.actor.as_str(), line.action.as_str()), ("eve@example.com", "user.invitation_accepted"));

    // An expired link does nothing; a withdrawn invitation takes its account.
    let fay = add_person(s, o, "Fay").await;
    let pending = s.invite(o, &invitation(fay, Role::Member, "invite-f", 7), &by("user.invite")).await.unwrap();
    let later = now + Duration::days(8);
    assert!(s.invitation_account("invite-f", later).await.unwrap().is_none());
    assert!(s.accept_invitation("invite-f", later, "$argon2id$fay").await.unwrap().is_none());
    s.withdraw_invitation(o, pending.id, &by("user.invitation_withdraw")).await.unwrap();
    assert!(s.list_members(o).await.unwrap().iter().all(|m| m.user.id != pending.id));
    invalid(s.invite(o, &invitation(999_999, Role::Member, "invite-x", 7), &by("user.invite")).await, "person_id");

    // Links by hand: one account per person.
    conflict(s.link_member(o, late.id, Some(carla), &by("user.link")).await, "person_id");
    assert_eq!(s.link_member(o, late.id, None, &by("user.link")).await.unwrap().person_id, None);
    invalid(s.link_member(o, late.id, Some(999_999), &by("user.link")).await, "person_id");
    not_found(s.link_member(o, 999_999, None, &by("user.link")).await);

    // Roles: the last administrator keeps theirs.
    conflict(s.set_member_role(o, admin.id, Role::Leader, &by("user.role")).await, "role");
    s.set_member_role(o, early.id, Role::Admin, &by("user.role")).await.unwrap();
    assert_eq!(s.set_member_role(o, admin.id, Role::Leader, &by("user.role")).await.unwrap().role, Role::Leader);

    // Whoever leaves is signed out and cannot sign in again.
    s.create_session(o, early.id, "carla-session", now + Duration::hours(8)).await.unwrap();
    assert!(s.user_for_sign_in(o, "carla@example.com").await.unwrap().is_some());
    s.deactivate_person(o, carla, now.date_naive(), None).await.unwrap();
    assert!(s.session_user("carla-session", now).await.unwrap().is_none());
    assert!(s.user_for_sign_in(o, "carla@example.com").await.unwrap().is_none());
    s.reactivate_person(o, carla).await.unwrap();
    assert!(s.user_for_sign_in(o, "carla@example.com").await.unwrap().is_some());

    // Another organization sees none of it.
    let other = org(s, "team-other").await.id;
    assert!(s.list_members(other).await.unwrap().is_empty());
    not_found(s.set_member_role(other, early.id, Role::Viewer, &by("user.role")).await);
    not_found(s.withdraw_invitation(other, invited.id, &by("user.invitation_withdraw")).await);
}

pub async fn token_revocation(s: &dyn Store) {
    let o = org(s, "tokens-admin").await.id;
    let made = s
        .issue_token(o, "crm-sync", Role::Agent, "tok-1", &Audit::created("ana@example.com", "token.create", "token:"))
        .await
        .unwrap();
    assert_eq!(
        (made.created_by.as_deref(), made.token.last_used_at, made.revoked_at),
        (Some("ana@example.com"), None, None)
    );
    let line = s.list_audit(o, 1).await.unwrap().remove(0);
    assert_eq!(line.subject, format!("token:{}", made.token.id));

    // Use is kept once a minute at most.
    let t0 = Utc::now();
    s.touch_token(made.token.id, t0, t0 - Duration::minutes(1)).await.unwrap();
    let (_, tok) = s.token_principal("tok-1").await.unwrap().unwrap();
    assert_eq!(tok.last_used_at.map(|t| t.timestamp()), Some(t0.timestamp()));
    let t1 = t0 + Duration::seconds(20);
    s.touch_token(made.token.id, t1, t1 - Duration::minutes(1)).await.unwrap();
    let (_, tok) = s.token_principal("tok-1").await.unwrap().unwrap();
    assert_eq!(tok.last_used_at.map(|t| t.timestamp()), Some(t0.timestamp()), "not again within the minute");

    // Revoked: refused at once, listed with the time; revoking again keeps it.
    let revoked = s.revoke_token(o, made.token.id, t1, &by("token.revoke")).await.unwrap();
    assert!(s.token_principal("tok-1").await.unwrap().is_none());
    let again = s.revoke_token(o, made.token.id, t1 + Duration::hours(1), &by("token.revoke")).await.unwrap();
    assert_eq!(again.revoked_at, revoked.revoked_at);
    assert_eq!(s.list_tokens(o).await.unwrap(), vec![again]);
    let other = org(s, "tokens-other").await.id;
    not_found(s.revoke_token(other, made.token.id, t1, &by("token.revoke")).await);
    assert!(s.list_tokens(other).await.unwrap().is_empty());
}

pub async fn notification_centre(s: &dyn Store) {
    let o = org(s, "notify").await.id;
    let olga = add_person(s, o, "Olga").await;
    let pia = add_person(s, o, "Pia").await;
    let no_account = add_person(s, o, "Quinn").await;
    let olga_user = s.create_user(o, &user("olga@example.com", None)).await.unwrap();
    let pia_user = s.create_user(o, &user("pia@example.com", None)).await.unwrap();
    let stage = add_stage(s, o, "Buy", None).await;
    let web = s.create_touchpoint(o, &touchpoint("Web shop", stage, None)).await.unwrap().id;

    // Defaults: in the app, nothing e-mailed to accounts.
    let defaults = s.notification_settings(o, olga_user.id).await.unwrap();
    assert!(defaults.iter().all(|(_, d)| *d == Delivery::InApp) && defaults.len() == Kind::ALL.len());
    s.create_touchpoint(o, &touchpoint("Checkout", stage, Some(olga))).await.unwrap();
    let items = s.list_notifications(o, olga_user.id, None, 10).await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].kind, items[0].title.as_str()), (Kind::Announcement, "Checkout"));
    assert!(items[0].link.starts_with("/announcements/"));
    assert_eq!(s.unread_notifications(o, olga_user.id, 100).await.unwrap(), 1);
    assert_eq!(s.unread_notifications(o, pia_user.id, 100).await.unwrap(), 0, "not in the audience");

    // Off: nothing; e-mail: the account is written to; no account: e-mail.
    s.set_notification_setting(o, olga_user.id, Kind::Announcement, Delivery::Off).await.unwrap();
    s.set_notification_setting(o, pia_user.id, Kind::Announcement, Delivery::Email).await.unwrap();
    for (name, owner) in [("Returns", olga), ("Delivery", pia), ("Billing", no_account)] {
        s.create_touchpoint(o, &touchpoint(name, stage, Some(owner))).await.unwrap();
    }
    assert_eq!(s.list_notifications(o, olga_user.id, None, 10).await.unwrap().len(), 1, "off");
    assert_eq!(s.unread_notifications(o, pia_user.id, 100).await.unwrap(), 1);
    s.fan_out(Utc::now(), 100).await.unwrap();
    let mails: Vec<String> = s
        .list_deliveries(o, None, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|d| d.channel == "email" && d.event.starts_with("announcement."))
        .filter_map(|d| d.recipient)
        .collect();
    assert!(mails.contains(&"pia@example.com".to_string()), "{mails:?}");
    assert!(mails.contains(&"quinn@example.com".to_string()), "{mails:?}");
    assert!(!mails.contains(&"olga@example.com".to_string()), "{mails:?}");

    // Reading: one, then all; another account's is not found.
    let first = s.list_notifications(o, olga_user.id, None, 10).await.unwrap()[0].id;
    not_found(s.mark_notifications_read(o, pia_user.id, Some(first), Utc::now()).await);
    s.mark_notifications_read(o, olga_user.id, Some(first), Utc::now()).await.unwrap();
    assert_eq!(s.unread_notifications(o, olga_user.id, 100).await.unwrap(), 0);

    // A comment on Pia's idea, by Olga, as a digest: due after a day, once.
    s.set_notification_setting(o, pia_user.id, Kind::IdeaComment, Delivery::Digest).await.unwrap();
    let draft = IdeaDraft {
        title: Some("One-page checkout".into()),
        body: None,
        touchpoint_id: Some(web),
        experience_id: None,
    };
    let idea = s.create_idea(o, pia, &draft.validate(IdeaSource::Web).unwrap()).await.unwrap();
    s.comment_idea(o, idea.id, olga, "Yes, please").await.unwrap();
    s.comment_idea(o, idea.id, pia, "Thanks").await.unwrap();
    let pia_items = s.list_notifications(o, pia_user.id, None, 10).await.unwrap();
    assert_eq!(pia_items.iter().filter(|n| n.kind == Kind::IdeaComment).count(), 1, "not for her own comment");
    let a_day_ago = Utc::now() - Duration::days(1);
    assert!(s.pending_digests(a_day_ago, 10, 10).await.unwrap().iter().all(|d| d.user != pia_user.id), "not yet");
    let due = s.pending_digests(Utc::now() + Duration::seconds(1), 10, 10).await.unwrap();
    let pia_digest = due.iter().find(|d| d.user == pia_user.id).expect("Pia's digest is due");
    assert_eq!(pia_digest.items.iter().map(|n| n.kind).collect::<Vec<_>>(), vec![Kind::IdeaComment]);
    let through = pia_digest.items.last().unwrap().id;
    let payload = serde_json::json!({"email_to": ["pia@example.com"], "title": "digest"});
    assert!(s.send_digest(o, pia_user.id, through, &payload).await.unwrap());
    assert!(!s.send_digest(o, pia_user.id, through, &payload).await.unwrap(), "once");
    assert!(s
        .pending_digests(Utc::now() + Duration::days(2), 10, 10)
        .await
        .unwrap()
        .iter()
        .all(|d| d.user != pia_user.id));

    // The idea's status reaches its author.
    s.set_idea_status(o, idea.id, IdeaStatus::UnderReview, None, "olga@example.com").await.unwrap();
    let kinds: Vec<Kind> =
        s.list_notifications(o, pia_user.id, None, 10).await.unwrap().iter().map(|n| n.kind).collect();
    assert_eq!(kinds[0], Kind::IdeaStatus);
}
