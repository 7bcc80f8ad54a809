//! E3. Recognition tied to customer outcomes, and the flag on people who
//! "make their numbers" while hurting the experience.
//!
//! Kudos are written with their monthly counts (`kudos_months`) in one
//! transaction, so the summary reads a row per month and department. The
//! flag reads the period's closed cases by `(org_id, closed_at)`, the
//! reopenings by `(org_id, action, at)`, and only the responses of those
//! cases' customers by `(customer_id, at)` over the period plus the outcome
//! window: no scan of the organization's responses.

use super::notifications::notify_people;
use super::{write, Conn};
use crate::dialect::{Backend, Db};
use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use rapport_core::improve::Outcome;
use rapport_core::notification::Kind;
use rapport_core::people::recognition::{
    self as rc, ClosedCase, Evidence, EvidenceKind, FlagRow, Kudos, KudosInput, KudosMonth, KudosSuggestion, KudosTo,
    Period, ScoredResponse, SprintLead,
};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::recognition::{EvidenceChoice, Giver, KudosFilter, RECENT_MAX, SUGGESTION_DAYS};
use rapport_store::rows as s;
use rapport_store::{Result, StoreError};
use std::collections::HashMap;

fn invalid(field: &str, code: &'static str, message: &str) -> StoreError {
    StoreError::Invalid(FieldErrors::single(field, code, message))
}

/// (id, giver, given by, person, department, reason, evidence kind, evidence id, at)
type KudosRow = (Id, Option<Id>, String, Option<Id>, Option<String>, String, Option<String>, Option<Id>, DateTime<Utc>);

const KUDOS: &str = "SELECT id, giver_id, given_by, person_id, department, reason, evidence_kind, evidence_id, \
     created_at FROM kudos";

fn kudos_of(r: KudosRow) -> Result<Kudos> {
    let (id, giver_id, given_by, person_id, department, reason, kind, evidence_id, created_at) = r;
    let evidence = match (kind, evidence_id) {
        (Some(k), Some(eid)) => Some(Evidence {
            kind: EvidenceKind::parse(&k).ok_or_else(|| s::corrupt(format!("kudos evidence kind {k:?}")))?,
            id: eid,
        }),
        _ => None,
    };
    Ok(Kudos { id, giver_id, given_by, person_id, department, reason, evidence, created_at })
}

/// Whether a case is the organization's and was closed with the customer's
/// agreement (the latest Verify step says they agreed).
async fn agreed_case(c: &mut Conn, org: Id, id: Id) -> Result<bool> {
    let row: Option<(String, Option<bool>)> = sqlx::query_as(
        "SELECT c.status, (SELECT st.agreed FROM case_steps st WHERE st.case_id = c.id AND st.step = 'verify' \
         ORDER BY st.id DESC LIMIT 1) FROM cases c WHERE c.org_id = $1 AND c.id = $2",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(&mut *c)
    .await?;
    Ok(matches!(row, Some((status, Some(true))) if status == "closed"))
}

async fn improved_sprint(c: &mut Conn, org: Id, id: Id) -> Result<bool> {
    let outcome: Option<Option<String>> =
        sqlx::query_scalar("SELECT outcome FROM sprints WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .fetch_optional(&mut *c)
            .await?;
    let Some(Some(text)) = outcome else { return Ok(false) };
    let outcome: Outcome = s::from_json("sprint outcome", &text)?;
    Ok(rc::sprint_improved(Some(&outcome)))
}

async fn check_evidence(c: &mut Conn, org: Id, e: &Evidence) -> Result<()> {
    match e.kind {
        EvidenceKind::Response => {
            if !super::found(c, "SELECT id FROM responses WHERE org_id = $1 AND id = $2", org, e.id).await? {
                return Err(invalid("evidence_id", "evidence_not_found", "no such response in this organization"));
            }
        }
        EvidenceKind::Case => {
            if !agreed_case(c, org, e.id).await? {
                return Err(invalid(
                    "evidence_id",
                    "evidence_not_agreed",
                    "no case of this organization closed with the customer's agreement has this id",
                ));
            }
        }
        EvidenceKind::Sprint => {
            if !improved_sprint(c, org, e.id).await? {
                return Err(invalid(
                    "evidence_id",
                    "evidence_not_improved",
                    "no sprint of this organization with an improved outcome has this id",
                ));
            }
        }
    }
    Ok(())
}

async fn count_month(c: &mut Conn, org: Id, month: &str, department: &str, received: i64, given: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO kudos_months (org_id, month, department, received, given) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (org_id, month, department) DO UPDATE SET received = kudos_months.received + excluded.received, \
         given = kudos_months.given + excluded.given",
    )
    .bind(org)
    .bind(month)
    .bind(department)
    .bind(received)
    .bind(given)
    .execute(&mut *c)
    .await?;
    Ok(())
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

/// The responses of `customers` between `from` and `to` with a score band.
async fn scored_responses(
    c: &mut Conn,
    org: Id,
    customers: &[Id],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<ScoredResponse>> {
    type Row = (Id, Id, DateTime<Utc>, Option<i16>, Option<i16>, i16, Option<String>);
    let mut out = Vec::new();
    for chunk in customers.chunks(rapport_store::rows::listening::LOOKUP_CHUNK) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "SELECT id, customer_id, at, nps_band, csat_band, anger, comment FROM responses WHERE +org_id = ",
        );
        qb.push_bind(org).push(" AND customer_id IN (");
        let mut list = qb.separated(", ");
        for v in chunk {
            list.push_bind(*v);
        }
        list.push_unseparated(")");
        qb.push(" AND at >= ").push_bind(from).push(" AND at <= ").push_bind(to);
        qb.push(" AND (nps_band IS NOT NULL OR csat_band IS NOT NULL)");
        let rows: Vec<Row> = qb.build_query_as().persistent(false).fetch_all(&mut *c).await?;
        out.extend(rows.into_iter().map(|(id, customer_id, at, nps_band, csat_band, anger, comment)| ScoredResponse {
            id,
            customer_id,
            at,
            nps_band,
            csat_band,
            anger: anger != 0,
            comment,
        }));
    }
    Ok(out)
}

fn day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::MIN).and_utc()
}

#[async_trait]
impl rapport_store::Recognition for Backend {
    async fn give_kudos(&self, org: Id, giver: Giver<'_>, kudos: &KudosInput) -> Result<Kudos> {
        let mut tx = write(self, org).await?;
        let giver_department: Option<String> = match giver.person {
            Some(p) => sqlx::query_scalar("SELECT department FROM people WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(p)
                .fetch_optional(&mut *tx)
                .await?
                .flatten(),
            None => None,
        };
        let (person, department, notify): (Option<Id>, Option<String>, Vec<Id>) = match &kudos.to {
            KudosTo::Person(p) => {
                let row: Option<Option<String>> = sqlx::query_scalar(
                    "SELECT department FROM people WHERE org_id = $1 AND id = $2 AND left_on IS NULL",
                )
                .bind(org)
                .bind(*p)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(d) = row else {
                    return Err(invalid(
                        "person_id",
                        "kudos_unknown_person",
                        "no such active person in this organization",
                    ));
                };
                if giver.person == Some(*p) {
                    return Err(invalid("person_id", "kudos_self", "kudos are for someone else"));
                }
                (Some(*p), d, vec![*p])
            }
            KudosTo::Department(d) => {
                let members: Vec<Id> = sqlx::query_scalar(
                    "SELECT id FROM people WHERE org_id = $1 AND department = $2 AND left_on IS NULL ORDER BY id",
                )
                .bind(org)
                .bind(d)
                .fetch_all(&mut *tx)
                .await?;
                if members.is_empty() {
                    return Err(invalid("department", "kudos_no_team", "no active person works in this department"));
                }
                (None, Some(d.clone()), members.into_iter().filter(|m| Some(*m) != giver.person).collect())
            }
        };
        if let Some(e) = &kudos.evidence {
            check_evidence(&mut tx, org, e).await?;
        }
        let at = s::now();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO kudos (org_id, giver_id, given_by, giver_department, person_id, department, reason, \
             evidence_kind, evidence_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(org)
        .bind(giver.person)
        .bind(giver.label)
        .bind(&giver_department)
        .bind(person)
        .bind(&department)
        .bind(&kudos.reason)
        .bind(kudos.evidence.map(|e| e.kind.key()))
        .bind(kudos.evidence.map(|e| e.id))
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let month = rc::month_key(at);
        count_month(&mut tx, org, &month, department.as_deref().unwrap_or(""), 1, 0).await?;
        if giver.person.is_some() {
            count_month(&mut tx, org, &month, giver_department.as_deref().unwrap_or(""), 0, 1).await?;
        }
        let title = cut(&kudos.reason, 120);
        notify_people(
            &mut tx,
            org,
            Kind::Kudos,
            &notify,
            &title,
            &format!("/recognition#kudos-{id}"),
            Some(giver.label),
        )
        .await?;
        let row: KudosRow = sqlx::query_as(&format!("{KUDOS} WHERE org_id = $1 AND id = $2"))
            .bind(org)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        kudos_of(row)
    }

    async fn page_kudos(&self, org: Id, f: &KudosFilter) -> Result<Vec<Kudos>> {
        let rows: Vec<KudosRow> = sqlx::query_as(&format!(
            "{KUDOS} WHERE org_id = $1 AND ($2 IS NULL OR person_id = $2) AND ($3 IS NULL OR department = $3) \
             AND ($4 IS NULL OR id < $4) ORDER BY id DESC LIMIT $5"
        ))
        .bind(org)
        .bind(f.person)
        .bind(f.department.as_deref())
        .bind(f.after)
        .bind(if f.limit > 0 { f.limit } else { i64::MAX })
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(kudos_of).collect()
    }

    async fn kudos_months(&self, org: Id, months: i64) -> Result<Vec<KudosMonth>> {
        let keep: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT month FROM kudos_months WHERE org_id = $1 ORDER BY month DESC LIMIT $2",
        )
        .bind(org)
        .bind(if months > 0 { months } else { i64::MAX })
        .fetch_all(&self.pool)
        .await?;
        let Some(oldest) = keep.last() else { return Ok(Vec::new()) };
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT month, department, received, given FROM kudos_months WHERE org_id = $1 AND month >= $2 \
             ORDER BY month DESC, department",
        )
        .bind(org)
        .bind(oldest)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(month, department, received, given)| KudosMonth { month, department, received, given })
            .collect())
    }

    async fn kudos_by_person(&self, org: Id) -> Result<Vec<(Id, i64)>> {
        Ok(sqlx::query_as(
            "SELECT person_id, COUNT(*) FROM kudos WHERE org_id = $1 AND person_id IS NOT NULL \
             GROUP BY person_id ORDER BY person_id",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn kudos_suggestions(&self, org: Id, now: DateTime<Utc>) -> Result<Vec<KudosSuggestion>> {
        let mut c = self.pool.acquire().await?;
        // Index ranges (`responses_nps_band`, `responses_wow`) over the
        // last `SUGGESTION_DAYS` only: bounded however few comments there are.
        let since = now - Duration::days(SUGGESTION_DAYS);
        let mut comments: Vec<(Id, DateTime<Utc>, String)> = Vec::new();
        for sql in [
            "SELECT id, at, comment FROM responses WHERE org_id = $1 AND nps_band = 3 AND at >= $3 \
             AND comment IS NOT NULL ORDER BY at DESC, id DESC LIMIT $2",
            "SELECT id, at, comment FROM responses WHERE org_id = $1 AND wow = 1 AND at >= $3 \
             AND comment IS NOT NULL ORDER BY at DESC, id DESC LIMIT $2",
        ] {
            let rows: Vec<(Id, DateTime<Utc>, String)> =
                sqlx::query_as(sql).bind(org).bind(RECENT_MAX).bind(since).fetch_all(&mut *c).await?;
            for r in rows {
                if !comments.iter().any(|x| x.0 == r.0) {
                    comments.push(r);
                }
            }
        }
        comments.sort_by_key(|c| std::cmp::Reverse((c.1, c.0)));
        let people: Vec<(Id, String)> =
            sqlx::query_as("SELECT id, name FROM people WHERE org_id = $1 AND left_on IS NULL ORDER BY id")
                .bind(org)
                .fetch_all(&mut *c)
                .await?;
        Ok(rc::suggestions(&comments, &people, RECENT_MAX as usize))
    }

    async fn evidence_choices(&self, org: Id) -> Result<Vec<EvidenceChoice>> {
        let mut c = self.pool.acquire().await?;
        let cases: Vec<(Id, String, DateTime<Utc>, Option<bool>)> = sqlx::query_as(
            "SELECT c.id, c.title, c.closed_at, (SELECT st.agreed FROM case_steps st WHERE st.case_id = c.id \
             AND st.step = 'verify' ORDER BY st.id DESC LIMIT 1) FROM cases c \
             WHERE c.org_id = $1 AND c.closed_at IS NOT NULL ORDER BY c.closed_at DESC, c.id DESC LIMIT $2",
        )
        .bind(org)
        .bind(RECENT_MAX)
        .fetch_all(&mut *c)
        .await?;
        let mut out: Vec<EvidenceChoice> = cases
            .into_iter()
            .filter(|r| r.3 == Some(true))
            .map(|(id, title, at, _)| EvidenceChoice { kind: EvidenceKind::Case, id, label: cut(&title, 80), at })
            .collect();
        let sprints: Vec<(Id, String, NaiveDate, String)> = sqlx::query_as(
            "SELECT id, name, end_on, outcome FROM sprints WHERE org_id = $1 AND outcome IS NOT NULL \
             ORDER BY end_on DESC, id DESC LIMIT $2",
        )
        .bind(org)
        .bind(RECENT_MAX)
        .fetch_all(&mut *c)
        .await?;
        for (id, name, end, outcome) in sprints {
            let outcome: Outcome = s::from_json("sprint outcome", &outcome)?;
            if rc::sprint_improved(Some(&outcome)) {
                out.push(EvidenceChoice { kind: EvidenceKind::Sprint, id, label: cut(&name, 80), at: day_start(end) });
            }
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.at));
        Ok(out)
    }

    async fn performance(&self, org: Id, period: Period) -> Result<Vec<FlagRow>> {
        let mut c = self.pool.acquire().await?;
        let (from, to) = (period.start(), period.end());
        // (case, assignee, customer, opened, closed, response due, responded, resolution due, reopened before)
        type CaseRow = (
            Id,
            Id,
            Option<Id>,
            DateTime<Utc>,
            DateTime<Utc>,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
            DateTime<Utc>,
            bool,
        );
        let rows: Vec<CaseRow> = sqlx::query_as(
            "SELECT c.id, c.assignee_id, c.customer_id, c.opened_at, c.closed_at, c.first_response_due, \
             c.first_responded_at, c.resolution_due, EXISTS (SELECT 1 FROM case_history h WHERE h.case_id = c.id \
             AND h.action = 'reopened') FROM cases c WHERE c.org_id = $1 AND c.closed_at >= $2 AND c.closed_at < $3 \
             AND c.status = 'closed' AND c.assignee_id IS NOT NULL ORDER BY c.id",
        )
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *c)
        .await?;
        let cases: Vec<ClosedCase> = rows
            .into_iter()
            .map(|(case_id, assignee_id, customer_id, opened_at, closed_at, frd, fra, rd, reopened)| ClosedCase {
                case_id,
                assignee_id,
                customer_id,
                opened_at,
                closed_at,
                first_response_due: frd,
                first_responded_at: fra,
                resolution_due: rd,
                reopened,
            })
            .collect();
        let reopened_open: Vec<(Id, i64)> = sqlx::query_as(
            "SELECT c.assignee_id, COUNT(DISTINCT c.id) FROM case_history h JOIN cases c ON c.id = h.case_id \
             WHERE h.org_id = $1 AND h.action = 'reopened' AND h.at >= $2 AND h.at < $3 AND c.org_id = $1 \
             AND c.status = 'open' AND c.assignee_id IS NOT NULL GROUP BY c.assignee_id",
        )
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *c)
        .await?;
        let reopened_open: Vec<(Id, u32)> =
            reopened_open.into_iter().map(|(a, n)| (a, u32::try_from(n).unwrap_or(0))).collect();
        let mut customers: Vec<Id> = cases.iter().filter_map(|c| c.customer_id).collect();
        customers.sort_unstable();
        customers.dedup();
        let window_end = to + Duration::days(rc::OUTCOME_WINDOW_DAYS);
        let responses = scored_responses(&mut c, org, &customers, from, window_end).await?;
        let mut agents: Vec<Id> =
            cases.iter().map(|c| c.assignee_id).chain(reopened_open.iter().map(|r| r.0)).collect();
        agents.sort_unstable();
        agents.dedup();
        let names: Vec<(Id, String)> =
            super::customers::lookup(&mut c, "SELECT id, name FROM people WHERE", org, "id", &agents).await?;
        let names: HashMap<Id, String> = names.into_iter().collect();
        Ok(rc::performance(&cases, &reopened_open, &responses, &names))
    }

    async fn sprint_leads(&self, org: Id) -> Result<Vec<SprintLead>> {
        let rows: Vec<(Id, NaiveDate, String)> = sqlx::query_as(
            "SELECT leader_id, end_on, outcome FROM sprints WHERE org_id = $1 AND outcome IS NOT NULL ORDER BY id",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(leader_id, end, outcome)| {
                let outcome: Outcome = s::from_json("sprint outcome", &outcome)?;
                Ok(SprintLead { leader_id, end, improved: rc::sprint_improved(Some(&outcome)) })
            })
            .collect()
    }
}
