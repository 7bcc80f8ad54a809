//! One refit, start to end: read every customer a page at a time, fit the
//! purchase models (BG/NBD, Gamma-Gamma) on everyone's summaries and the
//! churn model on a fixed sample, back-test the churn model on the last
//! horizon, read everyone again to score and store them page by page (and
//! sum the ROCE facts), then key drivers; the run ends with its summary.
//!
//! Memory stays bounded at a million customers: the first pass keeps four
//! numbers per customer and at most [`TRAIN_MAX`] whole histories.

use super::drivers::BehaviourOutcome;
use super::history;
use super::value::Valuer;
use crate::state::AppState;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rapport_core::model::churn::{self, BacktestReport, ChurnModel, CustomerHistory};
use rapport_core::model::purchase::{self, BgNbd, GammaGamma, Period};
use rapport_core::model::roce::RoceFacts;
use rapport_core::survey::Question;
use rapport_core::Id;
use rapport_store::{ModelRun, NewScore, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Purchase models count in weeks, as the published CDNOW fits.
pub const PERIOD: Period = Period::Week;
pub const PERIOD_DAYS: u32 = 7;
/// Churn is "no purchase (or a cancellation) in the next 90 days".
pub const HORIZON_DAYS: i64 = 90;
/// Lifetime value over 12 months at 1% a month (lifetimes' defaults).
pub const CLV_MONTHS: u32 = 12;
pub const MONTHLY_DISCOUNT: f64 = 0.01;
/// Customers per page read.
const PAGE: i64 = 5_000;
/// Histories the churn model trains on at most (a hash sample beyond).
pub const TRAIN_MAX: usize = 50_000;

/// What a refit found, stored with the run.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = RefitSummary)]
pub struct Summary {
    /// The first day the models did not see.
    pub cutoff: NaiveDate,
    pub customers: u64,
    pub scored: u64,
    pub period_days: u32,
    pub horizon_days: i64,
    #[schema(value_type = Option<Object>)]
    pub bgnbd: Option<BgNbd>,
    #[schema(value_type = Option<Object>)]
    pub gamma_gamma: Option<GammaGamma>,
    /// The L2 penalty the BG/NBD fit needed (0: plain maximum likelihood).
    pub bgnbd_penalty: Option<f64>,
    pub purchase_error: Option<String>,
    /// Why there is no spend model (lifetime values then come from none).
    pub spend_error: Option<String>,
    /// The churn model's training (coefficients, dropped features).
    #[schema(value_type = Option<Object>)]
    pub churn: Option<ChurnModel>,
    pub churn_error: Option<String>,
    /// The churn model trained at the cut-off less the horizon, held
    /// against what happened since.
    #[schema(value_type = Option<Object>)]
    pub backtest: Option<BacktestReport>,
    #[schema(value_type = Object)]
    pub roce: RoceFacts,
    pub driver_analyses: usize,
}

/// A running refit.
pub struct Ctx<'a> {
    pub state: &'a AppState,
    pub org: Id,
    pub run: Id,
    pub now: DateTime<Utc>,
    started: DateTime<Utc>,
}

enum Stop {
    /// Refused with a reason a leader can read.
    Refused(String),
    /// Another server took the run over (our lease lapsed).
    Lost,
    Store(StoreError),
}

impl From<StoreError> for Stop {
    fn from(e: StoreError) -> Self {
        Stop::Store(e)
    }
}

impl Ctx<'_> {
    async fn progress(&self, stage: &str, percent: i64) -> Result<(), Stop> {
        let lease = Utc::now() + Duration::minutes(super::LEASE_MINUTES);
        match self.state.store.refit_progress(self.org, self.run, stage, percent, self.started, lease).await? {
            true => Ok(()),
            false => Err(Stop::Lost),
        }
    }
}

pub async fn work(state: &AppState, run: ModelRun) {
    let Some(started) = run.started_at else { return };
    let ctx = Ctx { state, org: run.org_id, run: run.id, now: started, started };
    let outcome = match fit(&ctx).await {
        Ok(summary) => serde_json::to_value(&summary).map_err(|e| e.to_string()),
        Err(Stop::Refused(reason)) => Err(reason),
        Err(Stop::Lost) => {
            tracing::warn!(org = ctx.org, run = ctx.run, "refit taken over by another server");
            return;
        }
        Err(Stop::Store(e)) => {
            tracing::error!(org = ctx.org, run = ctx.run, error = %crate::error::chain(&e), "refit failed");
            Err("the refit could not read or write the database; it will be tried again".into())
        }
    };
    tracing::info!(org = ctx.org, run = ctx.run, ok = outcome.is_ok(), "refit finished");
    if let Err(e) = state.store.finish_refit(ctx.org, ctx.run, outcome, Utc::now()).await {
        tracing::error!(org = ctx.org, run = ctx.run, error = %crate::error::chain(&e), "recording a refit failed");
    }
}

/// A fixed sample by hash of the id: the customers whose hash is under a
/// threshold that halves whenever the sample outgrows [`TRAIN_MAX`].
struct Sample {
    threshold: u64,
    kept: Vec<(u64, CustomerHistory)>,
}

impl Sample {
    fn hash(id: Id) -> u64 {
        (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32
    }

    fn offer(&mut self, id: Id, history: impl FnOnce() -> CustomerHistory) {
        let h = Sample::hash(id);
        if h >= self.threshold {
            return;
        }
        self.kept.push((h, history()));
        while self.kept.len() > TRAIN_MAX {
            self.threshold /= 2;
            let t = self.threshold;
            self.kept.retain(|(h, _)| *h < t);
        }
    }
}

async fn survey_questions(ctx: &Ctx<'_>) -> Result<HashMap<Id, Vec<Question>>, Stop> {
    let surveys = ctx.state.store.list_surveys(ctx.org).await?;
    Ok(surveys.into_iter().map(|s| (s.id, s.questions)).collect())
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Stop> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Stop::Store(StoreError::internal(e)))
}

async fn fit(ctx: &Ctx<'_>) -> Result<Summary, Stop> {
    let today = ctx.now.date_naive();
    let cutoff = today + Duration::days(1);
    let surveys = survey_questions(ctx).await?;

    // Pass 1: summaries of everyone, histories of a sample.
    ctx.progress("reading", 1).await?;
    let mut summaries: Vec<(purchase::Summary, Vec<Id>, f64)> = Vec::new();
    // Customers who bought more than once: the behaviour key drivers explain.
    let mut repeaters: HashSet<Id> = HashSet::new();
    // Customers who showed each perfect behaviour in the year before the
    // fit: the behaviours key drivers explain too (A7).
    let mut behaviours: Vec<BehaviourOutcome> = ctx
        .state
        .store
        .list_behaviours(ctx.org, None)
        .await?
        .into_iter()
        .map(|behaviour| BehaviourOutcome { behaviour, shown: HashSet::new() })
        .collect();
    let mut sample = Sample { threshold: u64::from(u32::MAX) + 1, kept: Vec::new() };
    let (mut after, mut customers, mut pages) = (0, 0u64, 0i64);
    loop {
        let page = ctx.state.store.model_histories(ctx.org, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.customer_id;
        for h in &page {
            customers += 1;
            let purchases = history::purchases(h);
            if let Some(s) = purchase::summarize(&purchases, cutoff, PERIOD).ok().flatten() {
                if s.frequency > 0.0 {
                    repeaters.insert(h.customer_id);
                }
                summaries.push((s, h.segments.clone(), last_year(&purchases, cutoff)));
            }
            for b in &mut behaviours {
                if history::showed(h, &b.behaviour.rule, cutoff - Duration::days(365)) {
                    b.shown.insert(h.customer_id);
                }
            }
            sample.offer(h.customer_id, || history::churn_history(h, &surveys));
        }
        pages += 1;
        ctx.progress("reading", (1 + pages).min(40)).await?;
    }
    if customers == 0 {
        return Err(Stop::Refused("there are no customers to learn from yet".into()));
    }

    ctx.progress("purchase", 40).await?;
    let only: Vec<purchase::Summary> = summaries.iter().map(|(s, ..)| *s).collect();
    let (bg, gg) = blocking(move || {
        let bg = BgNbd::fit_regularized(&only);
        let gg = GammaGamma::fit(&only);
        (bg, gg)
    })
    .await?;
    let (bgnbd, bgnbd_penalty, purchase_error) = match bg {
        Ok((m, penalty)) => (Some(m), Some(penalty), None),
        Err(e) => (None, None, Some(e.to_string())),
    };
    let (gamma_gamma, spend_error) = match gg {
        Ok(m) => (Some(m), None),
        Err(e) => (None, Some(e.to_string())),
    };

    ctx.progress("churn", 45).await?;
    let histories: Vec<CustomerHistory> = sample.kept.into_iter().map(|(_, h)| h).collect();
    let (model, backtest) = blocking(move || {
        let model = churn::train(&histories, cutoff, HORIZON_DAYS);
        let back_cutoff = cutoff - Duration::days(HORIZON_DAYS);
        let backtest = churn::backtest(&histories, back_cutoff, today).ok();
        (model, backtest)
    })
    .await?;
    let (churn, churn_error) = match model {
        Ok(m) => (Some(m), None),
        Err(e) => (None, Some(e.to_string())),
    };
    if bgnbd.is_none() && churn.is_none() {
        return Err(Stop::Refused(format!(
            "no model could be fitted: purchases: {}; churn: {}",
            purchase_error.unwrap_or_default(),
            churn_error.unwrap_or_default()
        )));
    }

    let valuer = Valuer::new(bgnbd, gamma_gamma, &summaries);
    drop(summaries);

    // Pass 2: score everyone, page by page. Value at risk is also summed
    // by the experiences and touchpoints each customer met.
    let mut experiences: HashMap<Id, Vec<Id>> = HashMap::new();
    for e in ctx.state.store.list_experiences(ctx.org).await? {
        for tp in e.touchpoint_ids() {
            experiences.entry(tp).or_default().push(e.id);
        }
    }
    ctx.progress("scoring", 50).await?;
    let mut roce = RoceFacts::new(today - Duration::days(365), cutoff);
    let (mut after, mut scored, mut pages) = (0, 0u64, 0i64);
    loop {
        let page = ctx.state.store.model_histories(ctx.org, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.customer_id;
        let mut scores = Vec::with_capacity(page.len());
        for h in &page {
            let (score, year) = score_one(h, &surveys, cutoff, churn.as_ref(), &valuer);
            let (exps, tps) = history::met(h, &experiences, cutoff - Duration::days(365), cutoff);
            roce.add(&year, &h.segments, &exps, &tps);
            scores.extend(score);
        }
        scored += scores.len() as u64;
        ctx.state.store.save_scores(ctx.org, ctx.run, &scores, Utc::now()).await?;
        pages += 1;
        ctx.progress("scoring", (50 + pages).min(89)).await?;
    }

    ctx.progress("drivers", 90).await?;
    let drivers = super::drivers::all(ctx, std::sync::Arc::new(repeaters), std::sync::Arc::new(behaviours)).await?;
    ctx.progress("saving", 98).await?;
    ctx.state.store.complete_scores(ctx.org, ctx.run, &drivers).await?;
    Ok(Summary {
        cutoff,
        customers,
        scored,
        period_days: PERIOD_DAYS,
        horizon_days: HORIZON_DAYS,
        bgnbd: valuer.bg,
        gamma_gamma: valuer.gg,
        bgnbd_penalty,
        purchase_error,
        spend_error,
        churn,
        churn_error,
        backtest,
        roce,
        driver_analyses: drivers.len(),
    })
}

/// Revenue of the year before `cutoff`.
fn last_year(purchases: &[(NaiveDate, f64)], cutoff: NaiveDate) -> f64 {
    let from = cutoff - Duration::days(365);
    purchases.iter().filter(|(d, _)| *d >= from && *d < cutoff).map(|(_, a)| a).sum()
}

fn score_one(
    h: &rapport_store::ModelHistory,
    surveys: &HashMap<Id, Vec<Question>>,
    cutoff: NaiveDate,
    churn: Option<&ChurnModel>,
    valuer: &Valuer,
) -> (Option<NewScore>, rapport_core::model::roce::CustomerYear) {
    let mut year = history::year(h, cutoff - Duration::days(365), cutoff);
    let purchases = history::purchases(h);
    let summary = purchase::summarize(&purchases, cutoff, PERIOD).ok().flatten();
    let risk = churn.and_then(|m| m.score(&history::churn_history(h, surveys)));
    let periods = HORIZON_DAYS as f64 / f64::from(PERIOD_DAYS);
    let (p_alive, expected) = match (valuer.bg.as_ref(), summary.as_ref()) {
        (Some(bg), Some(s)) => (Some(bg.p_alive(s)), Some(bg.expected_purchases(s, periods))),
        _ => (None, None),
    };
    let (clv, basis) = valuer.value(summary.as_ref(), last_year(&purchases, cutoff), &h.segments);
    // Without a churn score the purchase figures are still the customer's;
    // a customer with neither is not scored.
    if risk.is_none() && p_alive.is_none() {
        return (None, year);
    }
    let probability = risk.as_ref().map(|r| r.probability);
    let value_at_risk = clv.unwrap_or(0.0) * probability.unwrap_or(0.0);
    year.churn_risk = probability.unwrap_or(0.0);
    year.lifetime_value = clv.unwrap_or(0.0);
    year.value_at_risk = value_at_risk;
    // Which side of the usual a reason is on: a feature with a positive
    // coefficient raises the risk when high, a negative one when low.
    let reasons: Vec<serde_json::Value> = risk
        .iter()
        .flat_map(|r| r.reasons.iter())
        .map(|r| {
            let up = churn.and_then(|m| m.terms.iter().find(|t| t.feature == r.feature)).is_none_or(|t| t.coefficient > 0.0);
            serde_json::json!({"feature": r.feature, "value": r.value, "effect": r.effect, "direction": if up { "high" } else { "low" }})
        })
        .collect();
    let reasons = serde_json::json!({"reasons": reasons, "value_basis": basis});
    let score = NewScore {
        customer_id: h.customer_id,
        churn_risk: probability,
        p_alive,
        expected_purchases: expected,
        lifetime_value: clv,
        value_at_risk,
        reasons,
    };
    (Some(score), year)
}
