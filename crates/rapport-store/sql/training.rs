//! E1. Training modules on the intent statement and how to deliver it,
//! assigned by role, department or touchpoint, with short quizzes; and the
//! images served at `/media/{id}`.
//!
//! Progress is counted from the assignment rows with GROUP BY: the tables
//! are people × modules × revisions of the intent module, thousands of rows
//! for a large organization, never the feedback's millions.

use super::announce::delivering;
use super::outbox::enqueue_in;
use super::{check, write, Conn};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use rapport_core::lang::Lang;
use rapport_core::people::training as tr;
use rapport_core::people::training::{
    Answers, Assignment, Audience, Gap, Module, ModuleInput, ProgressRow, QuizResult,
};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::training::{Media, NewMedia, PendingReminder, ProgressAfter, ProgressBy};
use rapport_store::{Result, StoreError};
use std::collections::{BTreeSet, HashMap};

/// The outbox event of an overdue reminder.
pub const REMINDER_EVENT: &str = "training.reminder";

const MODULE_COLUMNS: &str = "id, kind, title_en, title_es, body_en, body_es, audience, due_days, quiz, revision, \
     intent_version, created_at, updated_at";

// (id, kind, titles, bodies, audience, due days, quiz, revision, intent version, created, updated)
type ModuleRow = (
    Id,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    i64,
    Option<i64>,
    DateTime<Utc>,
    DateTime<Utc>,
);

async fn modules_q(c: &mut Conn, org: Id, id: Option<Id>, after: Option<Id>, limit: i64) -> Result<Vec<Module>> {
    let rows: Vec<ModuleRow> = sqlx::query_as(&format!(
        "SELECT {MODULE_COLUMNS} FROM training_modules WHERE org_id = $1 AND ($2 IS NULL OR id = $2) \
         AND ($3 IS NULL OR id > $3) ORDER BY id LIMIT $4"
    ))
    .bind(org)
    .bind(id)
    .bind(after)
    .bind(if limit > 0 { limit } else { i64::MAX })
    .fetch_all(&mut *c)
    .await?;
    let ids: Vec<Id> = rows.iter().map(|r| r.0).collect();
    let tps: Vec<(Id, Id)> = super::customers::lookup(
        c,
        "SELECT module_id, touchpoint_id FROM training_module_touchpoints WHERE",
        org,
        "module_id",
        &ids,
    )
    .await?;
    let mut by_module: HashMap<Id, Vec<Id>> = HashMap::new();
    for (m, t) in tps {
        by_module.entry(m).or_default().push(t);
    }
    rows.into_iter()
        .map(|r| {
            // Touchpoints are read from their own table.
            let a: Audience = s::from_json("training audience", &r.6)?;
            let mut touchpoints = by_module.remove(&r.0).unwrap_or_default();
            touchpoints.sort_unstable();
            Ok(Module {
                id: r.0,
                kind: tr::ModuleKind::parse(&r.1).ok_or_else(|| s::corrupt(format!("training kind {:?}", r.1)))?,
                title_en: r.2,
                title_es: r.3,
                body_en: r.4,
                body_es: r.5,
                audience: Audience { everyone: a.everyone, roles: a.roles, departments: a.departments, touchpoints },
                due_days: r.7,
                quiz: r.8.as_deref().map(|q| s::from_json("training quiz", q)).transpose()?,
                revision: r.9,
                intent_version: r.10,
                created_at: r.11,
                updated_at: r.12,
            })
        })
        .collect()
}

async fn module_in(c: &mut Conn, org: Id, id: Id) -> Result<Module> {
    s::one(modules_q(c, org, Some(id), None, 0).await?)
}

/// Writes the audience's touchpoints (checked to be the organization's).
async fn set_touchpoints(c: &mut Conn, org: Id, module: Id, tps: &[Id]) -> Result<()> {
    let mut e = FieldErrors::new();
    for (i, tp) in tps.iter().enumerate() {
        check(c, &mut e, super::TOUCHPOINT, org, *tp, format!("audience.touchpoints[{i}]")).await?;
    }
    s::invalid_if_any(e)?;
    sqlx::query("DELETE FROM training_module_touchpoints WHERE org_id = $1 AND module_id = $2")
        .bind(org)
        .bind(module)
        .execute(&mut *c)
        .await?;
    for tp in tps {
        sqlx::query("INSERT INTO training_module_touchpoints (org_id, module_id, touchpoint_id) VALUES ($1, $2, $3)")
            .bind(org)
            .bind(module)
            .bind(*tp)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// The audience as stored: touchpoints live in their own table.
fn stored_audience(a: &Audience) -> Result<String> {
    s::to_json(&Audience { touchpoints: Vec::new(), ..a.clone() })
}

async fn insert_module(
    c: &mut Conn,
    org: Id,
    kind: tr::ModuleKind,
    m: &ModuleInput,
    intent_version: Option<i64>,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Id> {
    let quiz = m.quiz.as_ref().map(s::to_json).transpose()?;
    let id: Id = sqlx::query_scalar(
        "INSERT INTO training_modules (org_id, kind, title_en, title_es, body_en, body_es, audience, due_days, quiz, \
         revision, intent_version, created_at, updated_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11, $12) RETURNING id",
    )
    .bind(org)
    .bind(kind.key())
    .bind(&m.title_en)
    .bind(&m.title_es)
    .bind(&m.body_en)
    .bind(&m.body_es)
    .bind(stored_audience(&m.audience)?)
    .bind(m.due_days)
    .bind(quiz)
    .bind(intent_version)
    .bind(now)
    .bind(actor)
    .fetch_one(&mut *c)
    .await
    .map_err(s::taken("kind", "the organization already has its intent module"))?;
    set_touchpoints(c, org, id, &m.audience.touchpoints).await?;
    Ok(id)
}

/// Changes a module's texts, audience, due period and quiz; `bump` raises
/// its revision (the intent module's new version).
async fn update_in(
    c: &mut Conn,
    org: Id,
    id: Id,
    m: &ModuleInput,
    intent_version: Option<i64>,
    bump: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let quiz = m.quiz.as_ref().map(s::to_json).transpose()?;
    sqlx::query(
        "UPDATE training_modules SET title_en = $3, title_es = $4, body_en = $5, body_es = $6, audience = $7, \
         due_days = $8, quiz = $9, intent_version = COALESCE($10, intent_version), updated_at = $11, \
         revision = revision + $12 WHERE org_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(&m.title_en)
    .bind(&m.title_es)
    .bind(&m.body_en)
    .bind(&m.body_es)
    .bind(stored_audience(&m.audience)?)
    .bind(m.due_days)
    .bind(quiz)
    .bind(intent_version)
    .bind(now)
    .bind(i64::from(bump))
    .execute(&mut *c)
    .await?;
    set_touchpoints(c, org, id, &m.audience.touchpoints).await
}

/// The active people in an audience, by id.
async fn audience_people(c: &mut Conn, org: Id, a: &Audience) -> Result<Vec<Id>> {
    let mut people: BTreeSet<Id> = BTreeSet::new();
    if a.everyone {
        let all: Vec<Id> = sqlx::query_scalar("SELECT id FROM people WHERE org_id = $1 AND left_on IS NULL")
            .bind(org)
            .fetch_all(&mut *c)
            .await?;
        people.extend(all);
    }
    for role in &a.roles {
        let found: Vec<Id> = sqlx::query_scalar(
            "SELECT DISTINCT u.person_id FROM users u JOIN people p ON p.id = u.person_id \
             WHERE u.org_id = $1 AND u.role = $2 AND p.left_on IS NULL",
        )
        .bind(org)
        .bind(role.as_str())
        .fetch_all(&mut *c)
        .await?;
        people.extend(found);
    }
    for d in &a.departments {
        let found: Vec<Id> = sqlx::query_scalar(
            "SELECT id FROM people WHERE org_id = $1 AND lower(department) = lower($2) AND left_on IS NULL",
        )
        .bind(org)
        .bind(d)
        .fetch_all(&mut *c)
        .await?;
        people.extend(found);
    }
    if !a.touchpoints.is_empty() {
        let mut delivering_people: BTreeSet<Id> = BTreeSet::new();
        for tp in &a.touchpoints {
            delivering_people.extend(delivering(c, org, *tp).await?);
        }
        // The owner or a routed agent may have left.
        let ids: Vec<Id> = delivering_people.into_iter().collect();
        let active: Vec<(Id,)> =
            super::customers::lookup(c, "SELECT id FROM people WHERE left_on IS NULL AND", org, "id", &ids).await?;
        people.extend(active.into_iter().map(|(id,)| id));
    }
    Ok(people.into_iter().collect())
}

/// Adds the missing assignments of a module's current revision; how many.
async fn assign_in(c: &mut Conn, org: Id, module: Id, now: DateTime<Utc>) -> Result<u64> {
    let m = module_in(c, org, module).await?;
    let people = audience_people(c, org, &m.audience).await?;
    let have: Vec<Id> = sqlx::query_scalar(
        "SELECT person_id FROM training_assignments WHERE org_id = $1 AND module_id = $2 AND revision = $3",
    )
    .bind(org)
    .bind(module)
    .bind(m.revision)
    .fetch_all(&mut *c)
    .await?;
    let have: BTreeSet<Id> = have.into_iter().collect();
    let due = tr::due_at(now, m.due_days);
    let mut added = 0;
    for person in people.into_iter().filter(|p| !have.contains(p)) {
        sqlx::query(
            "INSERT INTO training_assignments (org_id, module_id, person_id, revision, assigned_at, due_at, attempts) \
             VALUES ($1, $2, $3, $4, $5, $6, 0)",
        )
        .bind(org)
        .bind(module)
        .bind(person)
        .bind(m.revision)
        .bind(now)
        .bind(due)
        .execute(&mut *c)
        .await?;
        added += 1;
    }
    Ok(added)
}

/// Generates the intent module from the current intent version and
/// assigns it, inside the caller's transaction: created on the first
/// version; on a new version its revision goes up, so everyone gets a new
/// assignment and completions of the old version no longer count. Called by
/// `Intent::create_intent_version` in the publication's transaction.
pub(crate) async fn regenerate_intent_in(c: &mut Conn, org: Id, now: DateTime<Utc>) -> Result<Option<Id>> {
    let current: Option<(i64, String)> = sqlx::query_as(
        "SELECT version, statement FROM intent_versions WHERE org_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(org)
    .fetch_optional(&mut *c)
    .await?;
    let Some((version, statement)) = current else { return Ok(None) };
    let tps: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT t.name, s.name, t.description, o.name FROM touchpoints t JOIN stages s ON s.id = t.stage_id \
         LEFT JOIN people o ON o.id = t.owner_id WHERE t.org_id = $1 ORDER BY s.position, t.position, t.id",
    )
    .bind(org)
    .fetch_all(&mut *c)
    .await?;
    let notes: Vec<tr::TouchpointNotes> = tps
        .into_iter()
        .map(|(name, stage, description, owner)| tr::TouchpointNotes { name, stage, description, owner })
        .collect();
    let generated = tr::intent_module(version, &statement, &notes);
    let existing: Option<(Id, Option<i64>)> =
        sqlx::query_as("SELECT id, intent_version FROM training_modules WHERE org_id = $1 AND kind = 'intent'")
            .bind(org)
            .fetch_optional(&mut *c)
            .await?;
    let id = match existing {
        None => insert_module(c, org, tr::ModuleKind::Intent, &generated, Some(version), None, now).await?,
        Some((id, was)) => {
            update_in(c, org, id, &generated, Some(version), was != Some(version), now).await?;
            id
        }
    };
    assign_in(c, org, id, now).await?;
    Ok(Some(id))
}

const ASSIGNMENT_COLUMNS: &str = "a.id, a.module_id, a.person_id, a.revision, a.assigned_at, a.due_at, \
     a.completed_at, a.attempts, a.best_score, a.last_score, a.reminded_at";

type AssignmentRow = (
    Id,
    Id,
    Id,
    i64,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<DateTime<Utc>>,
);

fn assignment(r: AssignmentRow, now: DateTime<Utc>) -> Assignment {
    Assignment {
        id: r.0,
        module_id: r.1,
        person_id: r.2,
        revision: r.3,
        assigned_at: r.4,
        due_at: r.5,
        completed_at: r.6,
        attempts: r.7,
        best_score: r.8,
        last_score: r.9,
        reminded_at: r.10,
        status: tr::Status::of(r.6, r.5, now),
    }
}

/// A person's current assignments: of one module, or all.
async fn assignments_q(
    c: &mut Conn,
    org: Id,
    person: Id,
    module: Option<Id>,
    now: DateTime<Utc>,
) -> Result<Vec<Assignment>> {
    let rows: Vec<AssignmentRow> = sqlx::query_as(&format!(
        "SELECT {ASSIGNMENT_COLUMNS} FROM training_assignments a \
         JOIN training_modules m ON m.id = a.module_id AND m.revision = a.revision \
         WHERE a.org_id = $1 AND a.person_id = $2 AND ($3 IS NULL OR a.module_id = $3) ORDER BY a.due_at, a.id"
    ))
    .bind(org)
    .bind(person)
    .bind(module)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows.into_iter().map(|r| assignment(r, now)).collect())
}

fn not_assigned() -> StoreError {
    StoreError::Invalid(FieldErrors::single("person_id", "not_assigned", "the module is not assigned to this person"))
}

/// The counts of a progress row: (assigned, completed, overdue, sum of
/// best scores, how many have one).
const COUNTS: &str = "COUNT(a.id), CAST(SUM(CASE WHEN a.completed_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN a.completed_at IS NULL AND a.due_at < $2 THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(a.best_score) AS BIGINT), COUNT(a.best_score)";

/// "p delivers t": its owner, its department, an agent routed to it.
const DELIVERS: &str = "(p.id = t.owner_id OR p.department = t.department OR EXISTS (SELECT 1 FROM routing_rules r \
     WHERE r.org_id = t.org_id AND r.touchpoint_id = t.id AND r.assignee_id = p.id))";

type CountRow<K> = (K, String, i64, i64, i64, Option<i64>, i64);

fn progress_row(id: Option<Id>, name: String, r: (i64, i64, i64, Option<i64>, i64)) -> ProgressRow {
    let avg = r.3.filter(|_| r.4 > 0).map(|sum| sum as f64 / r.4 as f64);
    ProgressRow::new(id, name, r.0, r.1, r.2, avg)
}

#[async_trait]
impl rapport_store::Training for Backend {
    async fn store_media(&self, org: Id, media: &NewMedia<'_>, actor: &str) -> Result<Id> {
        let mut tx = write(self, org).await?;
        let id: Id = sqlx::query_scalar(
            "INSERT INTO media (org_id, content_type, size, version, created_at, created_by, bytes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(org)
        .bind(media.content_type)
        .bind(media.bytes.len() as i64)
        .bind(media.version)
        .bind(s::now())
        .bind(actor)
        .bind(media.bytes)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn get_media(&self, org: Id, id: Id) -> Result<Media> {
        let row: Option<(Id, String, String, Vec<u8>)> =
            sqlx::query_as("SELECT id, content_type, version, bytes FROM media WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .fetch_optional(&mut *self.pool.acquire().await?)
                .await?;
        let (id, content_type, version, bytes) = row.ok_or(StoreError::NotFound)?;
        Ok(Media { id, content_type, version, bytes })
    }

    async fn list_modules(&self, org: Id, after: Option<Id>, limit: i64) -> Result<Vec<Module>> {
        modules_q(&mut *self.pool.acquire().await?, org, None, after, limit).await
    }

    async fn get_module(&self, org: Id, id: Id) -> Result<Module> {
        module_in(&mut *self.pool.acquire().await?, org, id).await
    }

    async fn create_module(&self, org: Id, m: &ModuleInput, actor: &str, now: DateTime<Utc>) -> Result<Module> {
        let mut tx = write(self, org).await?;
        let id = insert_module(&mut tx, org, tr::ModuleKind::Custom, m, None, Some(actor), now).await?;
        assign_in(&mut tx, org, id, now).await?;
        let out = module_in(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn update_module(&self, org: Id, id: Id, m: &ModuleInput, now: DateTime<Utc>) -> Result<Module> {
        let mut tx = write(self, org).await?;
        let was = module_in(&mut tx, org, id).await?;
        if was.kind == tr::ModuleKind::Intent {
            return Err(StoreError::conflict(
                "id",
                "generated",
                "the intent module is generated from the intent statement: publish a new version",
            ));
        }
        update_in(&mut tx, org, id, m, None, false, now).await?;
        assign_in(&mut tx, org, id, now).await?;
        let out = module_in(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn delete_module(&self, org: Id, id: Id) -> Result<()> {
        let mut tx = write(self, org).await?;
        let was = module_in(&mut tx, org, id).await?;
        if was.kind == tr::ModuleKind::Intent {
            return Err(StoreError::conflict("id", "generated", "the intent module cannot be deleted"));
        }
        sqlx::query("DELETE FROM training_modules WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn assign_training(&self, org: Id, module: Option<Id>, now: DateTime<Utc>) -> Result<u64> {
        let mut tx = write(self, org).await?;
        let ids: Vec<Id> = match module {
            Some(id) => vec![module_in(&mut tx, org, id).await?.id],
            None => {
                sqlx::query_scalar("SELECT id FROM training_modules WHERE org_id = $1 ORDER BY id")
                    .bind(org)
                    .fetch_all(&mut *tx)
                    .await?
            }
        };
        let mut added = 0;
        for id in ids {
            added += assign_in(&mut tx, org, id, now).await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    async fn training_orgs(&self) -> Result<Vec<Id>> {
        Ok(sqlx::query_scalar("SELECT DISTINCT org_id FROM training_modules ORDER BY org_id")
            .fetch_all(&self.pool)
            .await?)
    }

    async fn regenerate_intent_module(&self, org: Id, now: DateTime<Utc>) -> Result<Option<Module>> {
        let mut tx = write(self, org).await?;
        let id = regenerate_intent_in(&mut tx, org, now).await?;
        let out = match id {
            Some(id) => Some(module_in(&mut tx, org, id).await?),
            None => None,
        };
        tx.commit().await?;
        Ok(out)
    }

    async fn assignments_of(&self, org: Id, person: Id, now: DateTime<Utc>) -> Result<Vec<Assignment>> {
        assignments_q(&mut *self.pool.acquire().await?, org, person, None, now).await
    }

    async fn assignment(&self, org: Id, module: Id, person: Id, now: DateTime<Utc>) -> Result<Option<Assignment>> {
        Ok(assignments_q(&mut *self.pool.acquire().await?, org, person, Some(module), now).await?.into_iter().next())
    }

    async fn attempt_quiz(
        &self,
        org: Id,
        module: Id,
        person: Id,
        answers: &Answers,
        now: DateTime<Utc>,
    ) -> Result<(QuizResult, Assignment)> {
        let mut tx = write(self, org).await?;
        let m = module_in(&mut tx, org, module).await?;
        let Some(quiz) = m.quiz.as_ref() else {
            return Err(StoreError::Invalid(FieldErrors::single(
                "answers",
                "no_quiz",
                "the module has no quiz: acknowledge it",
            )));
        };
        let result = tr::score(quiz, answers).map_err(StoreError::Invalid)?;
        let a = assignments_q(&mut tx, org, person, Some(module), now)
            .await?
            .into_iter()
            .next()
            .ok_or_else(not_assigned)?;
        sqlx::query(
            "UPDATE training_assignments SET attempts = attempts + 1, last_score = $3, \
             best_score = CASE WHEN best_score IS NULL OR best_score < $3 THEN $3 ELSE best_score END, \
             completed_at = COALESCE(completed_at, $4) WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(a.id)
        .bind(result.score)
        .bind(if result.passed { Some(now) } else { None })
        .execute(&mut *tx)
        .await?;
        let out = assignments_q(&mut tx, org, person, Some(module), now)
            .await?
            .into_iter()
            .next()
            .ok_or_else(not_assigned)?;
        tx.commit().await?;
        Ok((result, out))
    }

    async fn acknowledge_module(&self, org: Id, module: Id, person: Id, now: DateTime<Utc>) -> Result<Assignment> {
        let mut tx = write(self, org).await?;
        let m = module_in(&mut tx, org, module).await?;
        if m.quiz.is_some() {
            return Err(StoreError::Invalid(FieldErrors::single(
                "quiz",
                "quiz_required",
                "the module has a quiz: pass it to complete the module",
            )));
        }
        let a = assignments_q(&mut tx, org, person, Some(module), now)
            .await?
            .into_iter()
            .next()
            .ok_or_else(not_assigned)?;
        sqlx::query(
            "UPDATE training_assignments SET completed_at = COALESCE(completed_at, $3) WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(a.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let out = assignments_q(&mut tx, org, person, Some(module), now)
            .await?
            .into_iter()
            .next()
            .ok_or_else(not_assigned)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn training_progress(
        &self,
        org: Id,
        by: ProgressBy,
        now: DateTime<Utc>,
        after: Option<ProgressAfter>,
        limit: i64,
    ) -> Result<Vec<ProgressRow>> {
        let c = &mut *self.pool.acquire().await?;
        let limit = if limit > 0 { limit } else { i64::MAX };
        let current = "JOIN training_modules m ON m.id = a.module_id AND m.revision = a.revision \
                       JOIN people p ON p.id = a.person_id";
        let after_id = match &after {
            Some(ProgressAfter::Id(id)) => Some(*id),
            _ => None,
        };
        match by {
            ProgressBy::Person => {
                let rows: Vec<CountRow<Id>> = sqlx::query_as(&format!(
                    "SELECT p.id, p.name, {COUNTS} FROM training_assignments a {current} \
                     WHERE a.org_id = $1 AND p.left_on IS NULL AND ($3 IS NULL OR p.id > $3) \
                     GROUP BY p.id, p.name ORDER BY p.id LIMIT $4"
                ))
                .bind(org)
                .bind(now)
                .bind(after_id)
                .bind(limit)
                .fetch_all(&mut *c)
                .await?;
                Ok(rows.into_iter().map(|r| progress_row(Some(r.0), r.1, (r.2, r.3, r.4, r.5, r.6))).collect())
            }
            ProgressBy::Department => {
                let after_name = match after {
                    Some(ProgressAfter::Name(n)) => Some(n),
                    _ => None,
                };
                let rows: Vec<(String, i64, i64, i64, Option<i64>, i64)> = sqlx::query_as(&format!(
                    "SELECT COALESCE(p.department, ''), {COUNTS} FROM training_assignments a {current} \
                     WHERE a.org_id = $1 AND p.left_on IS NULL AND ($3 IS NULL OR COALESCE(p.department, '') > $3) \
                     GROUP BY COALESCE(p.department, '') ORDER BY COALESCE(p.department, '') LIMIT $4"
                ))
                .bind(org)
                .bind(now)
                .bind(after_name)
                .bind(limit)
                .fetch_all(&mut *c)
                .await?;
                Ok(rows.into_iter().map(|r| progress_row(None, r.0, (r.1, r.2, r.3, r.4, r.5))).collect())
            }
            ProgressBy::Touchpoint => {
                let rows: Vec<CountRow<Id>> = sqlx::query_as(&format!(
                    "SELECT t.id, t.name, {COUNTS} FROM training_module_touchpoints mt \
                     JOIN touchpoints t ON t.id = mt.touchpoint_id \
                     JOIN training_assignments a ON a.module_id = mt.module_id {current} \
                     WHERE mt.org_id = $1 AND p.left_on IS NULL AND {DELIVERS} AND ($3 IS NULL OR t.id > $3) \
                     GROUP BY t.id, t.name ORDER BY t.id LIMIT $4"
                ))
                .bind(org)
                .bind(now)
                .bind(after_id)
                .bind(limit)
                .fetch_all(&mut *c)
                .await?;
                Ok(rows.into_iter().map(|r| progress_row(Some(r.0), r.1, (r.2, r.3, r.4, r.5, r.6))).collect())
            }
        }
    }

    async fn training_gaps(&self, org: Id, now: DateTime<Utc>) -> Result<Vec<Gap>> {
        type Row = (Id, String, Id, String, Id, String, String, Option<DateTime<Utc>>);
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT t.id, t.name, p.id, p.name, m.id, m.title_en, m.title_es, a.due_at \
             FROM training_module_touchpoints mt JOIN touchpoints t ON t.id = mt.touchpoint_id \
             JOIN training_modules m ON m.id = mt.module_id \
             JOIN people p ON p.org_id = t.org_id AND p.left_on IS NULL AND {DELIVERS} \
             LEFT JOIN training_assignments a ON a.module_id = m.id AND a.person_id = p.id AND a.revision = m.revision \
             WHERE mt.org_id = $1 AND a.completed_at IS NULL ORDER BY t.id, p.id, m.id LIMIT 10000"
        ))
        .bind(org)
        .fetch_all(&mut *self.pool.acquire().await?)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Gap {
                touchpoint_id: r.0,
                touchpoint: r.1,
                person_id: r.2,
                person: r.3,
                module_id: r.4,
                module_title_en: r.5,
                module_title_es: r.6,
                status: r.7.map(|due| tr::Status::of(None, due, now)),
                due_at: r.7,
            })
            .collect())
    }

    async fn pending_training_reminders(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<PendingReminder>> {
        type Row = (Id, Id, Id, Id, String, Option<String>, String, String, DateTime<Utc>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT a.org_id, a.id, a.module_id, a.person_id, p.email, \
             (SELECT u.language FROM users u WHERE u.org_id = a.org_id AND u.person_id = p.id \
              AND u.language IS NOT NULL ORDER BY u.id LIMIT 1), m.title_en, m.title_es, a.due_at \
             FROM training_assignments a JOIN training_modules m ON m.id = a.module_id AND m.revision = a.revision \
             JOIN people p ON p.id = a.person_id \
             WHERE a.completed_at IS NULL AND a.due_at < $1 AND (a.reminded_at IS NULL OR a.reminded_at <= $2) \
             AND p.left_on IS NULL ORDER BY a.due_at, a.id LIMIT $3",
        )
        .bind(now)
        .bind(now - Duration::days(tr::REMIND_EVERY_DAYS))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| PendingReminder {
                org: r.0,
                assignment_id: r.1,
                module_id: r.2,
                person_id: r.3,
                email: r.4,
                language: r.5.as_deref().and_then(Lang::parse),
                title_en: r.6,
                title_es: r.7,
                due_at: r.8,
            })
            .collect())
    }

    async fn send_training_reminder(
        &self,
        org: Id,
        assignment: Id,
        now: DateTime<Utc>,
        payload: &serde_json::Value,
    ) -> Result<bool> {
        let mut tx = write(self, org).await?;
        let due: Option<Id> = sqlx::query_scalar(
            "SELECT a.id FROM training_assignments a \
             JOIN training_modules m ON m.id = a.module_id AND m.revision = a.revision \
             WHERE a.org_id = $1 AND a.id = $2 AND a.completed_at IS NULL AND a.due_at < $3 \
             AND (a.reminded_at IS NULL OR a.reminded_at <= $4)",
        )
        .bind(org)
        .bind(assignment)
        .bind(now)
        .bind(now - Duration::days(tr::REMIND_EVERY_DAYS))
        .fetch_optional(&mut *tx)
        .await?;
        if due.is_none() {
            return Ok(false);
        }
        enqueue_in(&mut tx, org, REMINDER_EVENT, payload).await?;
        sqlx::query("UPDATE training_assignments SET reminded_at = $3 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(assignment)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
