//! The mission and the versioned intent statement (A3): criteria are shown
//! now and evaluated once the measurement engine exists.

use super::form::{checked, outcome, renumber, FormData};
use super::format::input_number;
use super::view::{metric_keys, Program};
use super::{see_other, Page, WebResult};
use crate::error::AppError;
use crate::measure::monitor::{self, CriterionState};
use crate::state::AppState;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use minijinja::{context, Value};
use rapport_core::intent::{Comparator, Criterion, CriterionDraft, IntentDraft, Scope};
use rapport_core::metric::Metric;
use rapport_core::org::MISSION_MAX;
use rapport_core::role::Permission;
use rapport_core::validate::{optional_text, FieldErrors};
use std::collections::BTreeMap;

/// Criterion rows the publish form offers at least.
const ROWS: usize = 5;

pub fn routes() -> Router<AppState> {
    Router::new().route("/intent", get(show).post(publish)).route("/intent/mission", post(save_mission))
}

fn scope_key(s: &Scope) -> String {
    match s {
        Scope::Organization => "organization".into(),
        Scope::Experience(id) => format!("experience:{id}"),
        Scope::Touchpoint(id) => format!("touchpoint:{id}"),
    }
}

fn comparator_key(c: Comparator) -> &'static str {
    match c {
        Comparator::AtLeast => "at_least",
        Comparator::AtMost => "at_most",
    }
}

/// Criteria with the names of what they are measured over.
///
/// `states` are the intent monitor's evaluations of the current version
/// (`measure::monitor::check`): each criterion found there shows its status
/// (met, at_risk, missed, insufficient), as on the dashboard and in
/// `/api/v1/intent/status`; older versions pass none.
pub fn criteria_views(
    criteria: &[Criterion],
    states: &[CriterionState],
    scope_name: impl Fn(&Scope) -> Option<String>,
) -> Vec<Value> {
    criteria
        .iter()
        .map(|c| {
            let status = states.iter().find(|s| s.criterion == *c).map(|s| s.status.key());
            let kind = match c.scope {
                Scope::Organization => "organization",
                Scope::Experience(_) => "experience",
                Scope::Touchpoint(_) => "touchpoint",
            };
            context! {
                metric => c.metric.key(),
                scope_kind => kind,
                scope_name => scope_name(&c.scope),
                scope => scope_key(&c.scope),
                comparator => comparator_key(c.comparator),
                threshold => c.threshold,
                margin => c.margin,
                status => status,
            }
        })
        .collect()
}

async fn show(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    render(&page, StatusCode::OK, None, FieldErrors::new(), None).await
}

/// The intent page; after a failed form, `failed` names it ("mission" or
/// "intent") and `values` holds what was typed.
async fn render(
    page: &Page,
    status: StatusCode,
    failed: Option<&str>,
    errors: FieldErrors,
    values: Option<(BTreeMap<String, String>, usize)>,
) -> WebResult {
    let program = Program::load(page.store(), page.org()).await?;
    let versions = page.store().list_intent_versions(page.org()).await?;
    let states = monitor::check(page.store(), page.org()).await?;
    let current = versions.first();
    let (mut v, mut rows) = {
        let mut v = BTreeMap::from([
            ("mission".to_string(), page.p.org.mission.clone().unwrap_or_default()),
            ("statement".into(), current.map(|c| c.statement.clone()).unwrap_or_default()),
        ]);
        let criteria = current.map(|c| c.criteria.as_slice()).unwrap_or_default();
        for (i, c) in criteria.iter().enumerate() {
            let f = |k: &str| format!("criteria[{i}].{k}");
            v.insert(f("metric"), c.metric.key().into());
            v.insert(f("scope"), scope_key(&c.scope));
            v.insert(f("comparator"), comparator_key(c.comparator).into());
            v.insert(f("threshold"), input_number(page.lang(), c.threshold));
            v.insert(f("margin"), input_number(page.lang(), c.margin));
        }
        (v, criteria.len().max(ROWS))
    };
    // What was typed wins over what is stored.
    if let Some((typed, count)) = values {
        v.extend(typed);
        rows = rows.max(count);
    }
    let history: Vec<_> = versions
        .iter()
        .map(|i| context! { version => i, criteria => criteria_views(&i.criteria, &[], |s| program.scope_name(s)) })
        .collect();
    let scopes_exp: Vec<_> = program
        .experiences
        .iter()
        .map(|e| context! { key => format!("experience:{}", e.id), name => &e.name })
        .collect();
    let scopes_tp: Vec<_> = program
        .touchpoints
        .iter()
        .map(|t| context! { key => format!("touchpoint:{}", t.id), name => &t.name })
        .collect();
    page.render_status(
        status,
        "intent.html",
        context! {
            mission => &page.p.org.mission,
            current => current,
            criteria => current.map(|c| criteria_views(&c.criteria, &states, |s| program.scope_name(s))).unwrap_or_default(),
            history => history,
            metrics => metric_keys(),
            scope_experiences => scopes_exp,
            scope_touchpoints => scopes_tp,
            rows => (0..rows).collect::<Vec<_>>(),
            v => v,
            failed => failed,
            errors => page.errors(&errors),
        },
    )
}

fn parse_scope(s: &str) -> Option<Scope> {
    match s.split_once(':') {
        None if s == "organization" => Some(Scope::Organization),
        Some(("experience", id)) => id.parse().ok().map(Scope::Experience),
        Some(("touchpoint", id)) => id.parse().ok().map(Scope::Touchpoint),
        _ => None,
    }
}

async fn publish(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let count = form.get("rows").and_then(|r| r.parse().ok()).unwrap_or(ROWS).clamp(ROWS, 20);
    let mut parsed = FieldErrors::new();
    let mut criteria = Vec::new();
    let mut rows = Vec::new();
    for i in 0..count {
        let f = |k: &str| format!("criteria[{i}].{k}");
        if ["metric", "threshold", "margin"].iter().all(|k| form.filled(&f(k)).is_none()) {
            continue;
        }
        let scope = form.filled(&f("scope")).unwrap_or("organization");
        let scope = parse_scope(scope).or_else(|| {
            parsed.add(f("scope"), "unknown_id", "does not exist");
            None
        });
        criteria.push(CriterionDraft {
            metric: form.get(&f("metric")).and_then(Metric::parse),
            scope,
            comparator: match form.get(&f("comparator")) {
                Some("at_least") => Some(Comparator::AtLeast),
                Some("at_most") => Some(Comparator::AtMost),
                _ => None,
            },
            threshold: form.number(&f("threshold"), &mut parsed),
            margin: form.number(&f("margin"), &mut parsed),
            behaviour_id: form.id(&f("behaviour_id"), &mut parsed),
        });
        rows.push(i);
    }
    let d = IntentDraft { statement: form.text("statement"), criteria };
    let validated = d.validate().map_err(|e| renumber(e, "criteria", &rows));
    let saved = async {
        let input = checked(parsed, validated)?;
        let audit = page.p.audit_created("intent.publish", "intent:");
        let stored = page.store().create_intent_version(page.org(), &input, Some(&page.p.actor), Some(&audit)).await;
        stored.map_err(|e| match AppError::from(e) {
            AppError::Invalid(f) => AppError::Invalid(renumber(f, "criteria", &rows)),
            other => other,
        })
    };
    match outcome(saved.await)? {
        Ok(_) => see_other("/intent?ok=published"),
        Err((status, e)) => render(&page, status, Some("intent"), e, Some((form.values(), count))).await,
    }
}

async fn save_mission(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut e = FieldErrors::new();
    let mission = optional_text(&mut e, "mission", form.get("mission"), MISSION_MAX);
    if !e.is_empty() {
        let values = BTreeMap::from([("mission".to_string(), form.get("mission").unwrap_or("").to_string())]);
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY, Some("mission"), e, Some((values, ROWS))).await;
    }
    page.store().set_mission(page.org(), mission.as_deref(), Some(&page.p.audit("org.mission", "mission"))).await?;
    see_other("/intent?ok=saved")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{in_lang, TestApp};
    use axum::http::StatusCode;
    use rapport_core::intent::{Comparator, Scope};

    #[tokio::test]
    async fn publishing_keeps_versions_and_maps_errors_to_rows() {
        let t = TestApp::new().await;
        let exp = format!("experience:{}", t.ids.experience);
        let r = t
            .post(
                "/intent",
                &in_lang(&t.admin, "es"),
                &[
                    ("statement", "Customers feel known."),
                    ("rows", "5"),
                    ("criteria[3].metric", "ces"),
                    ("criteria[3].comparator", "at_least"),
                    ("criteria[3].threshold", "9"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("id=\"criteria[3].threshold-error\""), "{}", r.body);
        assert_eq!(t.store.list_intent_versions(t.org.id).await.unwrap().len(), 1);

        let r = t
            .post(
                "/intent",
                &t.admin,
                &[
                    ("statement", "Customers feel known."),
                    ("rows", "5"),
                    ("criteria[0].metric", "nps"),
                    ("criteria[0].scope", &exp),
                    ("criteria[0].comparator", "at_least"),
                    ("criteria[0].threshold", "40"),
                    ("criteria[0].margin", "2,5"),
                    ("criteria[2].metric", "churn_rate"),
                    ("criteria[2].comparator", "at_most"),
                    ("criteria[2].threshold", "5"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let versions = t.store.list_intent_versions(t.org.id).await.unwrap();
        assert_eq!(versions.len(), 2);
        let c = &versions[0].criteria;
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].scope, c[0].margin), (Scope::Experience(t.ids.experience), 2.5));
        assert_eq!(c[1].comparator, Comparator::AtMost);
        assert_eq!(versions[0].created_by.as_deref(), Some("admin@acme.test"));

        let page = t.get("/intent", &t.admin).await.body;
        assert!(page.contains("Version 2") && page.contains("Version 1"));

        let r = t.post("/intent/mission", &t.admin, &[("mission", "Outside, together.")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(t.get("/", &t.admin).await.body.contains("Outside, together."));
        let r = t.post("/intent/mission", &t.viewer, &[("mission", "x")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}
