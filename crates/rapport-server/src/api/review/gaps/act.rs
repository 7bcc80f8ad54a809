//! Turning a gap into an idea or a sprint in one step. The server
//! recomputes the gap (never trusts the caller's figures): the touchpoint
//! must be a key interaction of the experience, a target on the metric must
//! apply there, and the target must be missed with enough answers. A gap
//! that already became an idea (or a sprint) answers that one.

use super::report::{report, GapReport, GapRow};
use crate::api::ideas::acting_person;
use crate::auth::{Principal, Via};
use crate::error::AppError;
use crate::i18n::I18n;
use crate::state::AppState;
use chrono::NaiveDate;
use fluent_bundle::FluentValue;
use rapport_core::improve::{IdeaDraft, IdeaSource, SprintDraft};
use rapport_core::intent::Status;
use rapport_core::lang::Lang;
use rapport_core::review::gap::GapKey;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::gaps::GapMade;

/// The longest idea title and sprint name the stores take.
const TITLE_MAX: usize = 200;
const SPRINT_NAME_MAX: usize = 120;

fn refuse(field: &str, code: &'static str, message: &str) -> AppError {
    AppError::Invalid(FieldErrors::single(field, code, message))
}

/// The gap `key` names in `experience`, recomputed, with its report.
pub async fn the_gap(
    s: &AppState,
    org: Id,
    experience: Id,
    key: &GapKey,
    today: NaiveDate,
) -> Result<(GapReport, GapRow), AppError> {
    let store = s.store.as_ref();
    let r = report(store, org, experience, key.segment_id, today).await?;
    let found = r.ranked.iter().chain(&r.insufficient).find(|g| g.key(key.segment_id) == *key).cloned();
    let Some(row) = found else {
        let exp = store.get_experience(org, experience).await?;
        if !exp.touchpoint_ids().contains(&key.touchpoint_id) {
            return Err(refuse("touchpoint_id", "not_in_experience", "is not a key interaction of this experience"));
        }
        return Err(refuse("metric", "no_target", "no intent criterion or goal on this metric applies here"));
    };
    Ok((r, row))
}

/// Refuses a gap that cannot become work: met (or at risk), or unjudged.
fn must_be_missed(row: &GapRow) -> Result<(), AppError> {
    match row.gap.status {
        Status::Missed => Ok(()),
        Status::Insufficient => Err(refuse("metric", "not_enough_data", "too few answers to judge this target")),
        _ => Err(refuse("metric", "met", "the target is met: there is no gap to close")),
    }
}

fn figure(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

fn cut(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// The words of a gap, in `lang`: (title, body, sprint name).
pub fn words(i18n: &I18n, lang: Lang, r: &GapReport, row: &GapRow, segment: Option<&str>) -> (String, String, String) {
    let g = &row.gap;
    let metric = i18n.t(lang, &format!("metric-{}", g.target.metric.key()), &[]);
    let comparator = i18n.t(lang, &format!("comparator-{}", comparator_key(g)), &[]);
    let who = segment.map_or_else(|| i18n.t(lang, "gaps-everyone", &[]), str::to_string);
    let args: Vec<(&str, FluentValue<'_>)> = vec![
        ("touchpoint", row.touchpoint_name.clone().into()),
        ("experience", r.experience_name.clone().into()),
        ("metric", metric.into()),
        ("value", g.value.map(figure).unwrap_or_default().into()),
        ("comparator", comparator.into()),
        ("threshold", figure(g.target.threshold).into()),
        ("segment", who.into()),
        ("n", g.n.into()),
        ("gap", figure(g.gap).into()),
        ("weighted", figure(g.weighted_gap).into()),
        ("from", r.from.to_string().into()),
        ("to", r.to.to_string().into()),
        ("link", format!("/experiences/{}/gaps", r.experience_id).into()),
    ];
    let title = cut(i18n.t(lang, "gaps-idea-title", &args), TITLE_MAX);
    let body = i18n.t(lang, "gaps-idea-body", &args);
    let name = cut(i18n.t(lang, "gaps-sprint-name", &args), SPRINT_NAME_MAX);
    (title, body, name)
}

fn comparator_key(g: &rapport_core::review::gap::Gap) -> &'static str {
    match g.target.comparator {
        rapport_core::intent::Comparator::AtLeast => "at_least",
        rapport_core::intent::Comparator::AtMost => "at_most",
    }
}

async fn segment_name(s: &AppState, org: Id, segment: Option<Id>) -> Result<Option<String>, AppError> {
    Ok(match segment {
        Some(id) => Some(s.store.get_segment(org, id).await?.name),
        None => None,
    })
}

/// Makes (or finds) the idea of a gap; `author` given only by API tokens.
pub async fn make_idea(
    s: &AppState,
    p: &Principal,
    lang: Lang,
    experience: Id,
    key: &GapKey,
    author: Option<Id>,
    today: NaiveDate,
) -> Result<GapMade, AppError> {
    let org = p.org.id;
    let (r, row) = the_gap(s, org, experience, key, today).await?;
    if let Some(id) = row.idea_id {
        return Ok(GapMade { id, created: false });
    }
    must_be_missed(&row)?;
    let author = acting_person(p, author, "author_id")?;
    let (title, body, _) = words(&s.i18n, lang, &r, &row, segment_name(s, org, key.segment_id).await?.as_deref());
    let source = if matches!(p.via, Via::Token(_)) { IdeaSource::Api } else { IdeaSource::Web };
    let draft = IdeaDraft {
        title: Some(title),
        body: Some(body),
        touchpoint_id: Some(key.touchpoint_id),
        experience_id: Some(experience),
    };
    let input = draft.validate(source)?;
    Ok(s.store.idea_from_gap(org, experience, key, author, &input).await?)
}

/// Makes (or finds) the sprint of a gap, starting today. Its leader: the
/// one given, else the touchpoint's owner, else the experience's leader,
/// else the person acting.
pub async fn make_sprint(
    s: &AppState,
    p: &Principal,
    lang: Lang,
    experience: Id,
    key: &GapKey,
    leader: Option<Id>,
    today: NaiveDate,
) -> Result<GapMade, AppError> {
    let org = p.org.id;
    let (r, row) = the_gap(s, org, experience, key, today).await?;
    if let Some(id) = row.sprint_id {
        return Ok(GapMade { id, created: false });
    }
    must_be_missed(&row)?;
    let owner = s.store.get_touchpoint(org, key.touchpoint_id).await?.owner_id;
    let exp_leader = s.store.get_experience(org, experience).await?.leader_id;
    let me = p.user.as_ref().and_then(|u| u.person_id);
    let Some(leader) = leader.or(owner).or(exp_leader).or(me) else {
        return Err(refuse("leader_id", "required", "the touchpoint has no owner: name the sprint's leader"));
    };
    let (_, _, name) = words(&s.i18n, lang, &r, &row, segment_name(s, org, key.segment_id).await?.as_deref());
    let draft = SprintDraft {
        touchpoint_id: Some(key.touchpoint_id),
        name: Some(name),
        start: Some(today),
        leader_id: Some(leader),
        ..Default::default()
    };
    Ok(s.store.sprint_from_gap(org, experience, key, &draft).await?)
}
