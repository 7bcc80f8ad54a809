//! The program's state a council agenda is drafted from, gathered with
//! bounded reads (the read store where it may lag): the current intent
//! criteria as `measure::monitor::check_on` evaluates them, each
//! experience's goal on its current period (judged as the dashboard's goal
//! panel does, `web::dashboard::tiles::status`), the root-cause report of
//! the last 90 days, ideas new or under review (at most 100 of each), the
//! sprints and the newest 100 announcements. The rule that turns them into
//! items is `rapport_core::plan::council::agenda::draft`.

use crate::error::AppError;
use crate::measure::{self, monitor, MetricQuery};
use crate::state::AppState;
use crate::web::dashboard::tiles::{status, Target};
use chrono::{Duration, NaiveDate};
use rapport_core::improve::{IdeaStatus, Message};
use rapport_core::intent::{Comparator, Criterion, Scope, Status};
use rapport_core::lang::Lang;
use rapport_core::measure::{period_interval, Interval};
use rapport_core::plan::council::agenda::{
    AgendaFacts, AnnouncementFact, CriterionFact, GoalFact, IdeaFact, RootCauseFact, SprintFact,
};
use rapport_core::Id;
use rapport_store::IdeaFilter;
use std::collections::HashMap;

/// How many of each kind of row are read at most.
const READ_MAX: i64 = 100;
/// Experiences whose goal is judged, at most.
const EXPERIENCES_MAX: usize = 50;
/// The root-cause report's period, in days.
const ROOT_CAUSE_DAYS: i64 = 90;

fn metric_name(key: &str) -> String {
    match key {
        "nps" | "csat" | "ces" => key.to_uppercase(),
        other => other.replace('_', " "),
    }
}

fn criterion_label(c: &Criterion, names: &HashMap<(char, Id), String>) -> String {
    let op = match c.comparator {
        Comparator::AtLeast => "≥",
        Comparator::AtMost => "≤",
    };
    let scope = match c.scope {
        Scope::Organization => None,
        Scope::Experience(id) => names.get(&('e', id)).cloned(),
        Scope::Touchpoint(id) => names.get(&('t', id)).cloned(),
    };
    let head = format!("{} {op} {}", metric_name(c.metric.key()), c.threshold);
    match scope {
        Some(s) => format!("{head} · {s}"),
        None => head,
    }
}

/// An announcement's title in `lang` (English when the catalogue lacks it).
fn announcement_title(s: &AppState, lang: Lang, m: &Message) -> String {
    let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> =
        m.args.iter().map(|(k, v)| (k.as_str(), v.clone().into())).collect();
    if s.i18n.has(lang, &m.title_key) {
        s.i18n.t(lang, &m.title_key, &args)
    } else {
        m.english().0
    }
}

pub(crate) async fn gather(s: &AppState, org: Id, today: NaiveDate, lang: Lang) -> Result<AgendaFacts, AppError> {
    let reads = s.reads();
    let (experiences, touchpoints) = tokio::try_join!(reads.list_experiences(org), reads.list_touchpoints(org))?;
    let mut names: HashMap<(char, Id), String> = HashMap::new();
    names.extend(experiences.iter().map(|e| (('e', e.id), e.name.clone())));
    names.extend(touchpoints.iter().map(|t| (('t', t.id), t.name.clone())));

    let states = monitor::check_on(reads, s.store.as_ref(), org).await?;
    let criteria = states
        .iter()
        .map(|st| CriterionFact {
            label: criterion_label(&st.criterion, &names),
            missed: st.status == Status::Missed,
            at_risk: st.status == Status::AtRisk,
        })
        .collect();

    let mut goals = Vec::new();
    for e in experiences.iter().take(EXPERIENCES_MAX) {
        let q = MetricQuery {
            metric: e.goal.metric,
            experience: Some(e.id),
            touchpoint: None,
            segment: None,
            from: today - Duration::days(366),
            to: today,
            interval: period_interval(e.goal.period),
            behaviour: e.goal.behaviour_id,
        };
        let points = measure::series_in_scope(reads, org, &q, Some(e.touchpoint_ids())).await?;
        let Some(last) = points.last() else { continue };
        let judged = status(e.goal.metric, last, &Target::Goal(e.goal.target));
        let value = last.value.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"));
        goals.push(GoalFact {
            experience_id: e.id,
            label: format!("{}: {} {value} / {}", e.name, metric_name(e.goal.metric.key()), e.goal.target),
            missed: judged == "missed",
            at_risk: judged == "at_risk",
        });
    }

    let from = today - Duration::days(ROOT_CAUSE_DAYS - 1);
    let report = crate::api::root_causes::root_cause_report(s, org, from, today, Interval::Month).await?;
    let root_causes = report.into_iter().map(|r| RootCauseFact { name: r.name, cases: r.cases }).collect();

    let mut ideas = Vec::new();
    for st in [IdeaStatus::New, IdeaStatus::UnderReview] {
        let filter = IdeaFilter { status: Some(st), limit: READ_MAX, ..IdeaFilter::default() };
        for i in reads.list_ideas(org, &filter).await? {
            ideas.push(IdeaFact {
                id: i.id,
                title: i.title,
                votes: i.votes,
                awaiting_review: i.merged_into.is_none(),
                created_at: i.created_at,
            });
        }
    }

    let sprints = reads
        .list_sprints(org)
        .await?
        .into_iter()
        .map(|sp| SprintFact { id: sp.id, name: sp.name, end: sp.end, finished: sp.outcome.is_some() })
        .collect();

    let announcements = reads
        .page_announcements(org, None, None, READ_MAX)
        .await?
        .into_iter()
        .map(|a| AnnouncementFact {
            id: a.id,
            title: announcement_title(s, lang, &a.message),
            pending: a.pending().len() as i64,
        })
        .collect();

    Ok(AgendaFacts { criteria, goals, root_causes, ideas, sprints, announcements })
}
