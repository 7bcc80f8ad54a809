//! B1/B2. Survey distribution pages: a survey's invitation waves with their
//! response rates, the new-wave form (segment, list or CSV upload; template
//! EN/ES; schedule; throttle; reminder), a wave's per-customer status,
//! triggered surveys and the thank-you note. Reading takes `ReadProgram`,
//! writing `EditPlan` (as the API).

use crate::error::AppError;
use crate::web::form::FormData;
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Query};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, NaiveDateTime, Utc};
use minijinja::{context, Value};
use rapport_core::role::Permission;
use rapport_core::survey::distribution::csv::{self as rcsv, RowError};
use rapport_core::survey::distribution::template::{MailTemplate, THANKS_PLACEHOLDERS};
use rapport_core::survey::distribution::{InvitationStatus, Rates, TriggerDraft, WaveDraft};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::distribution::Wave;
use std::collections::{BTreeMap, HashMap};

use crate::state::AppState;

/// Invitations per page of a wave.
const PER_PAGE: i64 = 100;
/// The largest upload read (the CSV and the form around it).
const FORM_MAX_BYTES: usize = crate::api::listen::distribution::CSV_MAX_BYTES + 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/surveys/{id}/distribution", get(overview))
        .route("/surveys/{id}/distribution/waves", post(create_wave).layer(DefaultBodyLimit::max(FORM_MAX_BYTES)))
        .route("/surveys/{id}/distribution/triggers", post(create_trigger))
        .route("/surveys/{id}/distribution/thanks", post(save_thanks))
        .route("/triggers/{id}/delete", post(delete_trigger))
        .route("/waves/{id}", get(wave_page))
}

/// The figures of a wave as shown: numbers, percentages and bar widths.
fn rates_view(c: &Rates) -> Value {
    let pct = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "–".into());
    let width = |part: i64| if c.sent > 0 { (part as f64 * 100.0 / c.sent as f64).round() as i64 } else { 0 };
    context! {
        invited => c.invited, sent => c.sent, skipped => c.skipped, bounced => c.bounced, opened => c.opened,
        answered => c.answered, reminded => c.reminded, scheduled => c.scheduled(),
        opened_pct => pct(c.opened_rate()), answered_pct => pct(c.answered_rate()),
        opened_w => width(c.opened), answered_w => width(c.answered),
    }
}

fn wave_view(w: &Wave) -> Value {
    context! {
        id => w.id, audience => &w.audience, send_at => w.send_at.to_rfc3339(), per_hour => w.per_hour,
        reminder_days => w.reminder_days, created_at => w.created_at.to_rfc3339(), rates => rates_view(&w.counts),
    }
}

fn template_values(v: &mut BTreeMap<String, String>, prefix: &str, t: &MailTemplate) {
    for (k, text) in
        [("subject_en", &t.subject_en), ("body_en", &t.body_en), ("subject_es", &t.subject_es), ("body_es", &t.body_es)]
    {
        v.entry(format!("{prefix}{k}")).or_insert_with(|| text.clone());
    }
}

fn template_of(v: &BTreeMap<String, String>, prefix: &str) -> MailTemplate {
    let get = |k: &str| v.get(&format!("{prefix}{k}")).cloned().unwrap_or_default();
    MailTemplate {
        subject_en: get("subject_en"),
        body_en: get("body_en"),
        subject_es: get("subject_es"),
        body_es: get("body_es"),
    }
}

/// A refused form: which one, what was sent, what was wrong.
struct Refused {
    values: BTreeMap<String, String>,
    errors: FieldErrors,
}

async fn overview(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    render_overview(&page, id, None).await
}

async fn render_overview(page: &Page, id: Id, refused: Option<Refused>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    let survey = store.get_survey(page.org(), id).await?;
    let waves = store.list_waves(page.org(), id, None, 50).await?;
    let triggers = store.list_triggers(page.org(), id).await?;
    let thanks = store.get_thanks(page.org(), id).await?;
    let segments = store.list_segments(page.org()).await?;
    let touchpoints = store.list_touchpoints(page.org()).await?;
    let tp_names: HashMap<Id, String> = touchpoints.iter().map(|t| (t.id, t.name.clone())).collect();
    let (status, mut v, errors) = match refused {
        Some(r) => (StatusCode::UNPROCESSABLE_ENTITY, r.values, page.errors(&r.errors)),
        None => (StatusCode::OK, BTreeMap::new(), BTreeMap::new()),
    };
    template_values(&mut v, "", &MailTemplate::invitation());
    template_values(&mut v, "thanks_", thanks.as_ref().unwrap_or(&MailTemplate::thanks()));
    for (k, d) in [("per_hour", "1000"), ("reminder_days", "3"), ("delay_hours", "48"), ("audience", "segment")] {
        v.entry(k.into()).or_insert_with(|| d.into());
    }
    let trigger_rows: Vec<Value> = triggers
        .iter()
        .map(|t| {
            context! {
                id => t.id, event_kind => t.event_kind.trim_start_matches("custom:"), delay_hours => t.delay_hours,
                touchpoint => t.touchpoint_id.and_then(|tp| tp_names.get(&tp).cloned()),
            }
        })
        .collect();
    page.render_status(
        status,
        "listen/distribution.html",
        context! {
            survey => context! { id => survey.id, title => survey.title.get(page.lang()), fatigue_days => survey.fatigue_days },
            waves => waves.iter().map(wave_view).collect::<Vec<_>>(),
            triggers => trigger_rows,
            thanks_enabled => thanks.is_some(),
            segments => segments.iter().map(|s| (s.id, s.name.clone())).collect::<Vec<_>>(),
            touchpoints => touchpoints.iter().map(|t| (t.id, t.name.clone())).collect::<Vec<_>>(),
            can_edit => page.p.can(Permission::EditPlan),
            v => v,
            errors => errors,
        },
    )
}

/// The new-wave form (multipart: it may carry a CSV file) as fields and
/// the file's text.
async fn read_form(
    form: Result<Multipart, MultipartRejection>,
) -> Result<(BTreeMap<String, String>, String), AppError> {
    let mut form = form.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let too_large = || {
        FieldErrors::single(
            "file",
            "too_large",
            format!("at most {} bytes", crate::api::listen::distribution::CSV_MAX_BYTES),
        )
    };
    let (mut values, mut file) = (BTreeMap::new(), String::new());
    while let Some(field) = form.next_field().await.map_err(|_| AppError::Invalid(too_large()))? {
        let name = field.name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(|_| AppError::Invalid(too_large()))?;
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| FieldErrors::single(name.clone(), "invalid", "the text must be UTF-8"))?;
        if name == "file" {
            file = text;
        } else if !name.is_empty() {
            values.insert(name, text);
        }
    }
    Ok((values, file))
}

/// `YYYY-MM-DDTHH:MM` (a datetime-local field, read as UTC); blank is now.
fn send_at(e: &mut FieldErrors, v: Option<&String>) -> Option<DateTime<Utc>> {
    let v = v.map(|s| s.trim()).filter(|s| !s.is_empty())?;
    match NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M") {
        Ok(t) => Some(t.and_utc()),
        Err(_) => {
            e.add("send_at", "invalid", "a date and time");
            None
        }
    }
}

fn integer(e: &mut FieldErrors, v: &BTreeMap<String, String>, name: &str) -> Option<i64> {
    let s = v.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())?;
    s.parse().map_err(|_| e.add(name, "not_a_number", "a whole number")).ok()
}

async fn create_wave(page: Page, WebPath(id): WebPath<Id>, form: Result<Multipart, MultipartRejection>) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().get_survey(page.org(), id).await?;
    let (values, file) = match read_form(form).await {
        Ok(x) => x,
        Err(AppError::Invalid(errors)) => {
            return render_overview(&page, id, Some(Refused { values: BTreeMap::new(), errors })).await
        }
        Err(e) => return Err(e.into()),
    };
    let mut e = FieldErrors::new();
    let mut draft = WaveDraft {
        template: Some(template_of(&values, "")),
        send_at: send_at(&mut e, values.get("send_at")),
        per_hour: integer(&mut e, &values, "per_hour"),
        reminder_days: integer(&mut e, &values, "reminder_days"),
        ..WaveDraft::default()
    };
    let mut csv_rows = None;
    let mut bad_rows: Vec<RowError> = Vec::new();
    match values.get("audience").map(String::as_str) {
        Some("list") => {
            let list: Vec<String> = values
                .get("customers")
                .map(|s| s.split([',', '\n']).map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect())
                .unwrap_or_default();
            draft.customers = Some(list);
        }
        Some("csv") => {
            let parsed = rcsv::parse(&file);
            bad_rows = parsed.errors;
            if parsed.rows.is_empty() {
                e.add("file", "no_valid_row", "no row of the file can be invited");
            }
            csv_rows = Some(parsed.rows);
        }
        _ => draft.segment_id = integer(&mut e, &values, "segment_id"),
    }
    let now = rapport_store::rows::now();
    let is_csv = csv_rows.is_some();
    let validated = draft.validate(csv_rows, now);
    let input = match validated {
        Ok(input) if e.is_empty() => input,
        Ok(_) => return render_overview(&page, id, Some(Refused { values, errors: e })).await,
        Err(more) => {
            for (k, v) in more.0 {
                e.0.entry(k.replace("template.", "")).or_insert(v);
            }
            return render_overview(&page, id, Some(Refused { values, errors: e })).await;
        }
    };
    match page.store().create_wave(page.org(), id, &input, is_csv, &page.p.actor, now).await {
        Ok(created) => {
            bad_rows.extend(created.row_errors);
            bad_rows.sort_by_key(|r| r.line);
            if bad_rows.is_empty() {
                see_other(&format!("/waves/{}", created.wave.id))
            } else {
                render_wave(&page, created.wave.id, None, None, bad_rows).await
            }
        }
        Err(rapport_store::StoreError::Invalid(errors)) => {
            render_overview(&page, id, Some(Refused { values, errors })).await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

async fn create_trigger(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().get_survey(page.org(), id).await?;
    let values = form.values();
    let mut e = FieldErrors::new();
    let draft = TriggerDraft {
        event_kind: form.filled("event_kind").map(str::to_string),
        touchpoint_id: integer(&mut e, &values, "touchpoint_id"),
        delay_hours: integer(&mut e, &values, "delay_hours"),
        template: None,
    };
    let input = match draft.validate() {
        Ok(i) if e.is_empty() => i,
        Ok(_) => return render_overview(&page, id, Some(Refused { values, errors: e })).await,
        Err(more) => return render_overview(&page, id, Some(Refused { values, errors: more })).await,
    };
    match page.store().create_trigger(page.org(), id, &input, &page.p.actor, rapport_store::rows::now()).await {
        Ok(_) => see_other(&format!("/surveys/{id}/distribution?ok=saved#triggers")),
        Err(rapport_store::StoreError::Invalid(errors)) => {
            render_overview(&page, id, Some(Refused { values, errors })).await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

async fn delete_trigger(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let t = page.store().get_trigger(page.org(), id).await?;
    page.store().delete_trigger(page.org(), id).await?;
    see_other(&format!("/surveys/{}/distribution?ok=deleted#triggers", t.survey_id))
}

async fn save_thanks(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().get_survey(page.org(), id).await?;
    let values = form.values();
    let template = form.get("thanks_enabled").is_some().then(|| template_of(&values, "thanks_"));
    if let Some(t) = &template {
        let mut e = FieldErrors::new();
        t.check(&mut e, "thanks", THANKS_PLACEHOLDERS);
        if !e.is_empty() {
            let errors = FieldErrors(e.0.into_iter().map(|(k, v)| (k.replace("thanks.", "thanks_"), v)).collect());
            return render_overview(&page, id, Some(Refused { values, errors })).await;
        }
    }
    page.store().set_thanks(page.org(), id, template.as_ref(), rapport_store::rows::now()).await?;
    see_other(&format!("/surveys/{id}/distribution?ok=saved#thanks"))
}

async fn wave_page(page: Page, WebPath(id): WebPath<Id>, Query(q): Query<HashMap<String, String>>) -> WebResult {
    let status = q.get("status").and_then(|s| InvitationStatus::parse(s));
    let after = q.get("after").and_then(|s| s.parse::<Id>().ok());
    render_wave(&page, id, status, after, Vec::new()).await
}

async fn render_wave(
    page: &Page,
    id: Id,
    status: Option<InvitationStatus>,
    after: Option<Id>,
    row_errors: Vec<RowError>,
) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let wave = page.store().get_wave(page.org(), id).await?;
    let survey = page.store().get_survey(page.org(), wave.survey_id).await?;
    let mut rows = page.store().list_invitations(page.org(), id, status, after, PER_PAGE + 1).await?;
    let next = (rows.len() as i64 > PER_PAGE).then(|| {
        rows.truncate(PER_PAGE as usize);
        rows.last().map(|r| r.id)
    });
    let rows: Vec<Value> = rows
        .iter()
        .map(|i| {
            context! {
                customer => &i.external_id, status => i.status.key(), reason => i.skip_reason.map(|r| r.key()),
                sent_at => i.sent_at.map(|t| t.to_rfc3339()), opened_at => i.opened_at.map(|t| t.to_rfc3339()),
                answered_at => i.answered_at.map(|t| t.to_rfc3339()), reminded_at => i.reminded_at.map(|t| t.to_rfc3339()),
                bounced_at => i.bounced_at.map(|t| t.to_rfc3339()), due_at => i.due_at.to_rfc3339(),
            }
        })
        .collect();
    page.render(
        "listen/wave.html",
        context! {
            wave => wave_view(&wave),
            survey => context! { id => survey.id, title => survey.title.get(page.lang()) },
            rows => rows,
            status => status.map(|s| s.key()),
            statuses => InvitationStatus::ALL.iter().map(|s| s.key()).collect::<Vec<_>>(),
            next => next.flatten(),
            row_errors => row_errors,
        },
    )
}
