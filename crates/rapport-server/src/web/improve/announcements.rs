//! The change channel: the signed-in person's feed of announcements, each
//! acknowledged once; an announcement's page names who has not yet.

use super::{acting, failed_parts, me, Failed, Names};
use crate::error::AppError;
use crate::web::form::FormData;
use crate::web::{see_other, Page, WebError, WebPath, WebResult};
use minijinja::{context, Value};
use rapport_core::improve::{Announcement, Message};
use rapport_core::role::Permission;
use rapport_core::Id;

/// The title and summary in the page's language.
pub(crate) fn message_text(page: &Page, m: &Message) -> (String, String) {
    let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> =
        m.args.iter().map(|(k, v)| (k.as_str(), v.clone().into())).collect();
    let t = |key: &str| {
        if page.state.i18n.has(page.lang(), key) {
            page.state.i18n.t(page.lang(), key, &args)
        } else {
            key.to_string()
        }
    };
    (t(&m.title_key), t(&m.summary_key))
}

/// How many announcements sent to the signed-in person await their
/// acknowledgement (none for an account linked to nobody).
pub(crate) async fn unacknowledged(page: &Page) -> Result<usize, WebError> {
    let Some(me) = me(page) else { return Ok(0) };
    let all = page.store().list_announcements(page.org(), Some(me)).await?;
    Ok(all.iter().filter(|a| a.pending().contains(&me)).count())
}

fn view(page: &Page, a: &Announcement, names: &Names) -> Value {
    let (title, summary) = message_text(page, &a.message);
    let mine = me(page);
    context! {
        id => a.id,
        kind => a.kind.key(),
        title => title,
        summary => summary,
        published_at => a.published_at.to_rfc3339(),
        recipients => a.recipients.len(),
        acknowledged => a.acknowledged.len(),
        pending => a.pending().iter().map(|p| names.person(*p)).collect::<Vec<_>>(),
        mine_pending => mine.is_some_and(|m| a.pending().contains(&m)),
        mine_done => mine.is_some_and(|m| a.acknowledged.contains(&m)),
    }
}

pub(super) async fn feed(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let all = page.store().list_announcements(page.org(), me(&page)).await?;
    let names = Names::load(&page).await?;
    let items: Vec<Value> = all.iter().map(|a| view(&page, a, &names)).collect();
    page.render(
        "improve/announcements.html",
        context! {
            announcements => items,
            linked => me(&page).is_some(),
            can_contribute => page.p.can(Permission::Contribute),
        },
    )
}

pub(super) async fn show(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    render(&page, id, None).await
}

async fn render(page: &Page, id: Id, failed: Option<Failed>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let a = page.store().get_announcement(page.org(), id).await?;
    let names = Names::load(page).await?;
    let (code, form, _, errors) = failed_parts(page, &failed);
    let acknowledged: Vec<String> = a.acknowledged.iter().map(|p| names.person(*p)).collect();
    page.render_status(
        code,
        "improve/announcement.html",
        context! {
            a => view(page, &a, &names),
            acknowledged_names => acknowledged,
            form => form,
            errors => errors,
            can_contribute => page.p.can(Permission::Contribute),
        },
    )
}

pub(super) async fn acknowledge(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    let r = async {
        let person = acting(&page, "person_id")?;
        Ok::<_, AppError>(page.store().acknowledge_announcement(page.org(), id, person).await?)
    };
    match Failed::of("acknowledge", &form, r.await)? {
        Ok(_) => see_other(&format!("/announcements/{id}?ok=saved")),
        Err(f) => render(&page, id, Some(f)).await,
    }
}
