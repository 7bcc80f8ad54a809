//! D2. A case's history lines as people read them: translated, with names.

use super::page::who;
use super::Names;
use crate::web::Page;
use rapport_core::case::resolved::Step;
use rapport_core::case::Case;
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct HistoryView {
    at: String,
    by: String,
    action: String,
    detail: Option<String>,
}

/// The case's history, oldest first, as the page shows it.
pub(super) fn views(page: &Page, case: &Case, names: &Names) -> Vec<HistoryView> {
    case.history
        .iter()
        .map(|h| {
            let key = format!("case-history-{}", h.action);
            let action = if page.state.i18n.has(page.lang(), &key) { page.t(&key) } else { h.action.clone() };
            let detail = h.detail.as_deref().map(|d| match (h.action.as_str(), Step::parse(d)) {
                ("step", Some(s)) => page.t(&format!("case-step-{}", s.key())),
                _ => names.detail(d),
            });
            HistoryView { at: h.at.to_rfc3339(), by: who(page, &h.actor), action, detail }
        })
        .collect()
}
