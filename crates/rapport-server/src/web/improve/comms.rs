//! The internal communications plan (`/comms`): a month calendar of the
//! scheduled messages, what is due today, and the form to plan, edit or
//! cancel one (`/comms/{id}` opens it in the form).

use super::{failed_parts, me, Failed, Names};
use crate::error::AppError;
use crate::web::form::{checked, FormData};
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::extract::Query;
use chrono::{Datelike, Utc};
use minijinja::context;
use rapport_core::improve::comms::{CommsChannel, CommsItem, CommsStatus};
use rapport_core::improve::{due_on, month_grid, CommsDraft};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize, Default)]
pub(super) struct MonthQuery {
    year: Option<i32>,
    month: Option<u32>,
}

pub(super) async fn show(page: Page, Query(q): Query<MonthQuery>) -> WebResult {
    render(&page, &q, None, None).await
}

pub(super) async fn show_item(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    let item = page.store().get_comms(page.org(), id).await?;
    let q = MonthQuery { year: Some(item.date.year()), month: Some(item.date.month()) };
    render(&page, &q, Some(item), None).await
}

/// A comms item as a calendar entry or a row.
fn row(i: &CommsItem, names: &Names) -> minijinja::Value {
    context! {
        id => i.id, title => &i.title, audience => &i.audience, channel => i.channel.key(),
        date => i.date.to_string(), owner => names.person(i.owner_id), status => i.status.key(),
    }
}

async fn render(page: &Page, q: &MonthQuery, editing: Option<CommsItem>, failed: Option<Failed>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let items = page.store().list_comms(page.org()).await?;
    let names = Names::load(page).await?;
    let today = Utc::now().date_naive();
    let (year, month) =
        (q.year.unwrap_or(today.year()), q.month.filter(|m| (1..=12).contains(m)).unwrap_or(today.month()));
    let grid = month_grid(year, month, &items).ok_or(AppError::NotFound)?;
    let by_id: BTreeMap<Id, &CommsItem> = items.iter().map(|i| (i.id, i)).collect();
    let weeks: Vec<Vec<_>> = grid
        .weeks
        .iter()
        .map(|w| {
            w.iter()
                .map(|c| {
                    context! {
                        day => c.day.day(), date => c.day.to_string(), in_month => c.in_month, today => c.day == today,
                        items => c.item_ids.iter().filter_map(|i| by_id.get(i)).map(|i| row(i, &names)).collect::<Vec<_>>(),
                    }
                })
                .collect()
        })
        .collect();
    let (prev, next) = if month == 1 {
        ((year - 1, 12), (year, 2))
    } else if month == 12 {
        ((year, 11), (year + 1, 1))
    } else {
        ((year, month - 1), (year, month + 1))
    };
    let (code, form, mut v, errors) = failed_parts(page, &failed);
    if form.is_none() {
        match &editing {
            Some(i) => {
                for (k, val) in [
                    ("title", i.title.clone()),
                    ("audience", i.audience.clone()),
                    ("channel", i.channel.key().into()),
                    ("date", i.date.to_string()),
                    ("owner_id", i.owner_id.to_string()),
                    ("status", i.status.key().into()),
                ] {
                    v.insert(k.into(), val);
                }
            }
            None => {
                v.insert("date".into(), today.to_string());
                if let Some(me) = me(page) {
                    v.insert("owner_id".into(), me.to_string());
                }
            }
        }
    }
    let editing_id =
        editing.as_ref().map(|i| i.id).or_else(|| failed.as_ref().and_then(|f| f.values.get("id")?.parse().ok()));
    page.render_status(
        code,
        "improve/comms.html",
        context! {
            year => year, month => month, weeks => weeks,
            prev => prev, next => next,
            due => due_on(&items, today).into_iter().map(|i| row(i, &names)).collect::<Vec<_>>(),
            editing => editing_id,
            channels => CommsChannel::ALL.map(|c| c.key()),
            statuses => CommsStatus::ALL.map(|c| c.key()),
            people => &names.active,
            form => form, v => v, errors => errors,
        },
    )
}

pub(super) async fn save(page: Page, id: Option<WebPath<Id>>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let id = id.map(|WebPath(id)| id);
    let mut parsed = FieldErrors::new();
    let draft = CommsDraft {
        title: form.text("title"),
        audience: form.text("audience"),
        channel: form.text("channel"),
        date: form.date("date", &mut parsed),
        owner_id: form.id("owner_id", &mut parsed),
        status: form.text("status"),
    };
    let today = Utc::now().date_naive();
    let r = async {
        let current = match id {
            Some(id) => Some(page.store().get_comms(page.org(), id).await?.status),
            None => None,
        };
        let input = checked(parsed, draft.validate(current, today))?;
        Ok::<_, AppError>(match id {
            Some(id) => page.store().update_comms(page.org(), id, &input).await?,
            None => page.store().create_comms(page.org(), &input).await?,
        })
    };
    let mut sent = form.clone();
    if let Some(id) = id {
        sent.0.push(("id".into(), id.to_string()));
    }
    match Failed::of("comms", &sent, r.await)? {
        Ok(item) => see_other(&format!("/comms?year={}&month={}&ok=saved", item.date.year(), item.date.month())),
        Err(f) => render(&page, &MonthQuery::default(), None, Some(f)).await,
    }
}

pub(super) async fn cancel(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let item = page.store().get_comms(page.org(), id).await?;
    let draft = CommsDraft {
        title: Some(item.title.clone()),
        audience: Some(item.audience.clone()),
        channel: Some(item.channel.key().into()),
        date: Some(item.date),
        owner_id: Some(item.owner_id),
        status: Some(CommsStatus::Cancelled.key().into()),
    };
    let r = async {
        let input = checked(FieldErrors::new(), draft.validate(Some(item.status), Utc::now().date_naive()))?;
        Ok::<_, AppError>(page.store().update_comms(page.org(), id, &input).await?)
    };
    let mut sent = form.clone();
    sent.0.push(("id".into(), id.to_string()));
    match Failed::of("comms", &sent, r.await)? {
        Ok(_) => see_other(&format!("/comms?year={}&month={}&ok=saved", item.date.year(), item.date.month())),
        Err(f) => render(&page, &MonthQuery::default(), Some(item), Some(f)).await,
    }
}
