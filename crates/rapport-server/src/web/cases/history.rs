//! D2. A case's history lines as people read them: translated, with names.
//!
//! Each stored line is read by `rapport_core::case::history::HistoryLine`
//! (today's `kind:value` details and the older English ones alike) and
//! said through the catalogue: the action's title (`case-history-{action}`)
//! and, when there is one, its detail as a whole sentence of the viewer's
//! language (`case-history-*` messages with arguments), people by name
//! ("Tom → Emily"), never ids, English or stray punctuation.

use super::page::who;
use super::Names;
use crate::web::Page;
use fluent_bundle::FluentValue;
use rapport_core::case::history::HistoryLine;
use rapport_core::case::Case;
use rapport_core::Id;
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct HistoryView {
    at: String,
    by: String,
    /// The action's title ("Assigned").
    action: String,
    /// What it was, as a sentence ("Tom → Emily · default queue owner").
    detail: Option<String>,
    /// Title and detail together, as one line.
    line: String,
}

/// The case's history, oldest first, as the page shows it.
pub(super) fn views(page: &Page, case: &Case, names: &Names) -> Vec<HistoryView> {
    case.history
        .iter()
        .map(|h| {
            let line = HistoryLine::parse(&h.action, h.detail.as_deref());
            let key = format!("case-history-{}", h.action);
            let action =
                if page.state.i18n.has(page.lang(), &key) { page.t(&key) } else { page.t("case-history-other") };
            let detail = detail(page, names, &line).filter(|d| !d.is_empty());
            let line = match &detail {
                Some(d) => tr(page, "case-history-line", &[("action", action.clone()), ("detail", d.clone())]),
                None => action.clone(),
            };
            HistoryView { at: h.at.to_rfc3339(), by: who(page, &h.actor), action, detail, line }
        })
        .collect()
}

fn tr(page: &Page, key: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, FluentValue<'_>)> = args.iter().map(|(k, v)| (*k, FluentValue::from(v.clone()))).collect();
    page.state.i18n.t(page.lang(), key, &args)
}

/// A person by name; one not (or no longer) known as "person #N".
fn person(page: &Page, names: &Names, id: Option<Id>) -> String {
    match id {
        Some(id) => {
            names.person(Some(id)).unwrap_or_else(|| tr(page, "case-history-person", &[("id", id.to_string())]))
        }
        None => page.t("case-unassigned"),
    }
}

fn item(page: &Page, (kind, id): &(String, Id)) -> String {
    tr(page, &format!("case-history-item-{kind}"), &[("id", id.to_string())])
}

/// A translated key, or nothing when the catalogue has no such message.
fn known(page: &Page, key: String) -> Option<String> {
    page.state.i18n.has(page.lang(), &key).then(|| page.t(&key))
}

fn detail(page: &Page, names: &Names, line: &HistoryLine) -> Option<String> {
    match line {
        HistoryLine::Opened { rule_name: Some(rule), item: Some(i), .. } => {
            Some(tr(page, "case-history-opened-rule", &[("rule", rule.clone()), ("item", item(page, i))]))
        }
        HistoryLine::Opened { rule_name: Some(rule), .. } => {
            Some(tr(page, "case-history-opened-rule-only", &[("rule", rule.clone())]))
        }
        HistoryLine::Opened { note, .. } => note.clone(),
        HistoryLine::Joined { items, rule_name } => {
            let items = items.iter().map(|i| item(page, i)).collect::<Vec<_>>().join(", ");
            Some(match rule_name {
                Some(rule) => tr(page, "case-history-joined-rule", &[("items", items), ("rule", rule.clone())]),
                None => items,
            })
        }
        HistoryLine::Assigned { from, to, reason } => {
            let who = match from {
                Some(f) => tr(
                    page,
                    "case-history-from-to",
                    &[("from", person(page, names, Some(*f))), ("to", person(page, names, *to))],
                ),
                None => person(page, names, *to),
            };
            Some(match reason.and_then(|r| known(page, format!("case-reason-{}", r.key()))) {
                Some(why) => tr(page, "case-history-with-reason", &[("what", who), ("reason", why)]),
                None => who,
            })
        }
        HistoryLine::Handover { from, to } => Some(tr(
            page,
            "case-history-from-to",
            &[("from", person(page, names, *from)), ("to", person(page, names, *to))],
        )),
        HistoryLine::Escalated { to: Some(to) } => {
            Some(tr(page, "case-history-escalated-to", &[("name", person(page, names, Some(*to)))]))
        }
        HistoryLine::Escalated { to: None } => None,
        HistoryLine::Breached { breach } => breach.as_ref().and_then(|b| known(page, format!("case-breach-{b}"))),
        HistoryLine::Step { step } => step.as_ref().and_then(|s| known(page, format!("case-step-{s}"))),
        HistoryLine::Closed => None,
        HistoryLine::Reopened { reason } => reason.clone(),
        HistoryLine::Priority { priority } => priority.and_then(|p| known(page, format!("case-priority-{}", p.key()))),
        HistoryLine::Tagged { tags } if tags.is_empty() => Some(page.t("case-history-tags-none")),
        HistoryLine::Tagged { tags } => Some(tags.join(", ")),
        HistoryLine::Other { detail, .. } => detail.as_deref().map(|d| names.detail(d)),
    }
}
