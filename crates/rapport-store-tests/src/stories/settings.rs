//! Organization settings and the audit log read back: a change writes what
//! differs, with one audit line per changed field, and stays in its
//! organization; the logo round-trips byte for byte; the audit log filters
//! by actor, object and time and pages newest first without gaps.

use super::{not_found, org};
use chrono::{DateTime, Utc};
use rapport_core::audit::{AuditFilter, ObjectMatch};
use rapport_core::branding::{Accent, LogoKind};
use rapport_core::lang::Lang;
use rapport_core::settings::SettingsChange;
use rapport_core::Id;
use rapport_store::settings::actions;
use rapport_store::{Audit, AuditEntry, NewLogo, Settings, Store, TimeKey};
use std::time::Duration;

const ANA: &str = "ana@example.com";
const BO: &str = "Bo@Example.com";

/// The organization's audit trail, oldest first, as (actor, action, subject).
async fn trail(s: &dyn Store, org: Id) -> Vec<(String, String, String)> {
    let mut lines = s.list_audit(org, 1000).await.unwrap();
    lines.reverse();
    lines.into_iter().map(|a| (a.actor, a.action, a.subject)).collect()
}

fn line(actor: &str, action: &str, org: Id) -> (String, String, String) {
    (actor.to_string(), action.to_string(), format!("org:{org}"))
}

pub async fn org_settings(s: &dyn Store) {
    let o = org(s, "acme").await;
    let other = org(s, "beta").await;
    let defaults = Settings { name: "Org acme".into(), default_language: Lang::En, accent_colour: None, logo: None };
    assert_eq!(s.org_settings(o.id).await.unwrap(), defaults);
    not_found(s.org_settings(999_999).await);
    assert_eq!(s.settings_by_slug("nobody").await.unwrap(), None);

    // Every field at once: one line each.
    let change = SettingsChange {
        name: Some("Acme Outdoor".into()),
        default_language: Some(Lang::Es),
        accent_colour: Some(Some(Accent::parse("#1D4ED8").unwrap())),
    };
    let saved = s.update_settings(o.id, &change, ANA).await.unwrap();
    assert_eq!((saved.name.as_str(), saved.default_language), ("Acme Outdoor", Lang::Es));
    assert_eq!(saved.accent_colour.as_deref(), Some("#1d4ed8"));
    assert_eq!(s.org_settings(o.id).await.unwrap(), saved);
    assert_eq!(s.org_by_slug("acme").await.unwrap().unwrap().name, "Acme Outdoor", "the organization is renamed");
    assert_eq!(s.settings_by_slug("acme").await.unwrap(), Some((o.id, saved.clone())));
    let three =
        vec![line(ANA, actions::NAME, o.id), line(ANA, actions::LANGUAGE, o.id), line(ANA, actions::ACCENT, o.id)];
    assert_eq!(trail(s, o.id).await, three);

    // Saved unchanged: nothing written. One field: one line, others kept.
    assert_eq!(s.update_settings(o.id, &change, BO).await.unwrap(), saved);
    assert_eq!(trail(s, o.id).await.len(), 3, "an unchanged save writes no line");
    let back = SettingsChange { accent_colour: Some(None), ..Default::default() };
    let cleared = s.update_settings(o.id, &back, BO).await.unwrap();
    assert_eq!(cleared, Settings { accent_colour: None, ..saved.clone() });
    assert_eq!(trail(s, o.id).await.last(), Some(&line(BO, actions::ACCENT, o.id)));
    not_found(s.update_settings(999_999, &change, ANA).await);

    // The logo: stored apart, read back byte for byte, replaced, removed.
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-png-bytes".to_vec();
    let logo = NewLogo { kind: LogoKind::Png, bytes: &png, version: "v1" };
    let with = s.set_logo(o.id, Some(&logo), ANA).await.unwrap();
    let info = with.logo.clone().expect("the logo is known");
    assert_eq!((info.content_type.as_str(), info.bytes, info.version.as_str()), ("image/png", png.len() as i64, "v1"));
    let read = s.logo_by_slug("acme").await.unwrap().expect("the logo");
    assert_eq!((read.content_type.as_str(), read.version.as_str(), &read.bytes), ("image/png", "v1", &png));
    let jpeg = vec![0xff, 0xd8, 0xff, 0xe0, 1, 2, 3];
    s.set_logo(o.id, Some(&NewLogo { kind: LogoKind::Jpeg, bytes: &jpeg, version: "v2" }), ANA).await.unwrap();
    let read = s.logo_by_slug("acme").await.unwrap().unwrap();
    assert_eq!((read.content_type.as_str(), read.bytes), ("image/jpeg", jpeg));
    assert_eq!(s.logo_by_slug("beta").await.unwrap(), None, "another organization has none");
    assert_eq!(s.logo_by_slug("nobody").await.unwrap(), None);
    let without = s.set_logo(o.id, None, BO).await.unwrap();
    assert_eq!(without.logo, None);
    assert_eq!(s.logo_by_slug("acme").await.unwrap(), None);
    s.set_logo(o.id, None, BO).await.unwrap();
    let lines = trail(s, o.id).await;
    assert_eq!(
        lines[lines.len() - 3..],
        [line(ANA, actions::LOGO, o.id), line(ANA, actions::LOGO, o.id), line(BO, actions::LOGO_REMOVE, o.id)],
        "removing no logo writes no line"
    );
    not_found(s.set_logo(999_999, Some(&logo), ANA).await);

    // The other organization saw none of it.
    let beta = Settings { name: "Org beta".into(), ..defaults };
    assert_eq!(s.org_settings(other.id).await.unwrap(), beta);
    assert!(trail(s, other.id).await.is_empty());
}

async fn write(s: &dyn Store, org: Id, actor: &str, action: &str, subject: &str) {
    s.record_audit(org, &Audit::new(actor, action, subject)).await.unwrap();
}

async fn page(s: &dyn Store, org: Id, f: &AuditFilter) -> Vec<String> {
    let lines = s.page_audit(org, f, None, 500).await.unwrap();
    lines.into_iter().map(|l| format!("{} {}", l.actor, l.subject)).collect()
}

/// A moment strictly between the lines written before and after it.
async fn moment() -> DateTime<Utc> {
    tokio::time::sleep(Duration::from_millis(3)).await;
    let t = rapport_store::rows::now();
    tokio::time::sleep(Duration::from_millis(3)).await;
    t
}

pub async fn audit_filters(s: &dyn Store) {
    let o = org(s, "acme").await;
    let b = org(s, "beta").await;
    let t0 = moment().await;
    write(s, o.id, ANA, "segment.delete", "segment:1").await;
    write(s, o.id, BO, "segment.delete", "segment:2").await;
    write(s, b.id, ANA, "segment.delete", "segment:1").await;
    let t1 = moment().await;
    write(s, o.id, ANA, "calendar.update", "calendar").await;
    write(s, o.id, BO, "segmentation.run", "segmentation:3").await;
    write(s, o.id, "token:ci", "segment.update", "segment").await;
    let t2 = moment().await;

    let all = AuditFilter::default();
    let newest_first =
        ["token:ci segment", "Bo@Example.com segmentation:3", "ana@example.com calendar", "Bo@Example.com segment:2"];
    assert_eq!(page(s, o.id, &all).await[..4], newest_first);
    assert_eq!(page(s, o.id, &all).await.len(), 5, "only this organization's lines");

    let by = |actor: &str| AuditFilter { actor: Some(actor.into()), ..Default::default() };
    assert_eq!(
        page(s, o.id, &by("bo@example.com")).await,
        ["Bo@Example.com segmentation:3", "Bo@Example.com segment:2"]
    );
    assert_eq!(page(s, o.id, &by("ana@example.com")).await, ["ana@example.com calendar", "ana@example.com segment:1"]);
    assert!(page(s, o.id, &by("ana")).await.is_empty(), "an actor is matched whole");

    let on = |o: ObjectMatch| AuditFilter { object: Some(o), ..Default::default() };
    let kind = page(s, o.id, &on(ObjectMatch::Kind("segment".into()))).await;
    assert_eq!(kind, ["token:ci segment", "Bo@Example.com segment:2", "ana@example.com segment:1"], "not segmentation");
    assert_eq!(page(s, o.id, &on(ObjectMatch::Exact("segment:1".into()))).await, ["ana@example.com segment:1"]);
    assert_eq!(page(s, o.id, &on(ObjectMatch::Kind("calendar".into()))).await, ["ana@example.com calendar"]);
    assert!(page(s, o.id, &on(ObjectMatch::Exact("segment:".into()))).await.is_empty());

    let between = |from, to| AuditFilter { from, to, ..Default::default() };
    assert_eq!(page(s, o.id, &between(Some(t0), Some(t1))).await.len(), 2);
    assert_eq!(page(s, o.id, &between(Some(t1), None)).await.len(), 3);
    assert_eq!(
        page(s, o.id, &between(None, Some(t1))).await,
        ["Bo@Example.com segment:2", "ana@example.com segment:1"]
    );
    assert!(page(s, o.id, &between(Some(t2), None)).await.is_empty());
    let both = AuditFilter { actor: Some("bo@example.com".into()), from: Some(t1), ..Default::default() };
    assert_eq!(page(s, o.id, &both).await, ["Bo@Example.com segmentation:3"], "filters combine");

    // Paging: every line once, newest first, whatever the page size.
    for n in 0..23 {
        write(s, o.id, ANA, "segment.delete", &format!("segment:{}", 100 + n)).await;
    }
    let whole: Vec<AuditEntry> = s.page_audit(o.id, &all, None, 500).await.unwrap();
    assert_eq!(whole.len(), 28);
    assert!(whole.windows(2).all(|w| (w[0].at, w[0].id) > (w[1].at, w[1].id)), "newest first");
    let mut walked = vec![];
    let mut after: Option<TimeKey> = None;
    loop {
        let got = s.page_audit(o.id, &all, after.as_ref(), 6).await.unwrap();
        let Some(last) = got.last() else { break };
        after = Some(TimeKey { at: last.at, id: last.id });
        walked.extend(got);
    }
    assert_eq!(walked, whole);
    let kind_pages = on(ObjectMatch::Kind("segment".into()));
    let first = s.page_audit(o.id, &kind_pages, None, 2).await.unwrap();
    let key = TimeKey { at: first[1].at, id: first[1].id };
    let rest = s.page_audit(o.id, &kind_pages, Some(&key), 500).await.unwrap();
    assert_eq!(first.len() + rest.len(), 26, "a filtered list pages the same way");
    assert!(s.page_audit(o.id, &all, None, 0).await.unwrap().is_empty());
}
