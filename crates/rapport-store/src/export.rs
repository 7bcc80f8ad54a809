//! Whole tables of one organization read out in order, for `rapport export`
//! (P6).
//!
//! Policy:
//! - Only the tables of [`TABLES`] are read, each by its fixed name and
//!   column list: a table asked for by name is looked up here
//!   ([`ExportTable::named`]), so no text from outside ever reaches the SQL.
//! - Every row read belongs to the organization: the organization's own row
//!   (`organizations`, by `id`), else the table's `org_id` (every table of
//!   organization data has one, child tables included).
//! - A table is read a page at a time by keyset on its key (the primary
//!   key, or its part after `org_id`), never by offset, so an export holds
//!   one page in memory and each page reads its index from the cursor on
//!   (see [`ORG_FILTER_SQLITE`]).
//! - Secrets are never read: password hashes, session ids, API-token and
//!   reset-token digests, webhook signing secrets and URLs (a Slack
//!   incoming-webhook URL is itself a credential), survey link tokens and
//!   the installation's settings. [`LEFT_OUT_TABLES`] and each table's
//!   `left_out` say what is not exported and why; the `export_columns` test
//!   fails when a migration adds a column or table that is neither.
//! - Derived data (rollups, search terms, samples, counters) is left out:
//!   it is recomputed from the rows exported (`rapport rollups rebuild`,
//!   `rapport text rebuild`).
//! - Values: integers and reals as JSON numbers, booleans as `true`/`false`,
//!   text as strings, times as RFC 3339 text and dates as `YYYY-MM-DD` on
//!   both databases; the columns of `json` (JSON kept as text) are parsed
//!   into their value (left as text if a row's is not JSON).

use crate::Result;
use async_trait::async_trait;
use rapport_core::Id;
use serde_json::Value;

/// One column of a table's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyColumn {
    Int(&'static str),
    Text(&'static str),
    /// A day: PostgreSQL `DATE`, SQLite `TEXT`, compared as `YYYY-MM-DD`
    /// text on both (the same order as the dates').
    Day(&'static str),
}

impl KeyColumn {
    pub fn name(self) -> &'static str {
        match self {
            KeyColumn::Int(n) | KeyColumn::Text(n) | KeyColumn::Day(n) => n,
        }
    }

    /// The column as compared and ordered.
    fn expression(self) -> String {
        match self {
            KeyColumn::Int(name) | KeyColumn::Text(name) => name.to_string(),
            KeyColumn::Day(name) => format!("CAST({name} AS TEXT)"),
        }
    }
}

/// One value of a row's key: where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyValue {
    Int(i64),
    Text(String),
}

/// A table that `rapport export` can write.
#[derive(Debug, PartialEq, Eq)]
pub struct ExportTable {
    pub name: &'static str,
    /// The columns written, in order; the key's columns come first.
    pub columns: &'static [&'static str],
    /// The order of rows and where a page starts: unique in the organization.
    pub key: &'static [KeyColumn],
    /// Columns holding JSON as text, written as their value.
    pub json: &'static [&'static str],
    /// Columns never written, each with why.
    pub left_out: &'static [(&'static str, &'static str)],
    /// The primary key is `(org_id, key…)`: the organization's rows are one
    /// range of it. Otherwise the key is the primary key (or leads it), and
    /// `org_id` only filters.
    pub org_first: bool,
}

impl ExportTable {
    /// The table of this name, if it is exported.
    pub fn named(name: &str) -> Option<&'static ExportTable> {
        TABLES.iter().find(|t| t.name == name)
    }

    /// The condition on the organization (`$1`): a range of the primary
    /// key where it leads with `org_id`, else the backend's `filter` (see
    /// [`ORG_FILTER_SQLITE`]).
    pub fn org_filter(&self, filter: &'static str) -> &'static str {
        match (self.name, self.org_first) {
            ("organizations", _) => "id = $1",
            (_, true) => "org_id = $1",
            (_, false) => filter,
        }
    }

    pub fn is_json(&self, column: &str) -> bool {
        self.json.contains(&column)
    }

    /// The statement of a page: `$1` the organization, then the cursor's
    /// values when `after`, then the limit. Written from this table's fixed
    /// names only; the backends run it (`sql/export.rs`) with their `filter`
    /// ([`ORG_FILTER_SQLITE`], [`ORG_FILTER_POSTGRES`]).
    pub fn page_sql(&self, after: bool, filter: &'static str) -> String {
        let key: Vec<String> = self.key.iter().map(|k| k.expression()).collect();
        let key = key.join(", ");
        let mut sql =
            format!("SELECT {} FROM {} WHERE {}", self.columns.join(", "), self.name, self.org_filter(filter));
        let mut next = 2;
        if after {
            let params: Vec<String> = (0..self.key.len()).map(|i| format!("${}", i + 2)).collect();
            sql.push_str(&format!(" AND ({key}) > ({})", params.join(", ")));
            next += self.key.len();
        }
        sql.push_str(&format!(" ORDER BY {key} LIMIT ${next}"));
        sql
    }
}

/// How SQLite filters by organization where the key is not a range of
/// `(org_id, key…)`: `+org_id` keeps its planner off the `org_id` indexes,
/// which it would read and then sort the organization's rows for every
/// page (a page would cost the whole organization, an export its square);
/// it reads the key's index in order from the cursor, filtering.
pub const ORG_FILTER_SQLITE: &str = "+org_id = $1";
/// PostgreSQL's: its planner (with statistics) reads the key's index in
/// order by itself, and misjudges `+org_id` (an expression without
/// statistics) into scanning and sorting the table for every page.
pub const ORG_FILTER_POSTGRES: &str = "org_id = $1";

/// One row: its key (for the next page) and its values, one per column.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    pub key: Vec<KeyValue>,
    pub values: Vec<Value>,
}

#[async_trait]
pub trait TableExport: Send + Sync {
    /// At most `limit` rows of `table` that belong to `org`, in key order,
    /// after the row whose key is `after` (from the start when `None`).
    /// A page shorter than `limit` is the last.
    async fn export_page(
        &self,
        org: Id,
        table: &'static ExportTable,
        after: Option<&[KeyValue]>,
        limit: u32,
    ) -> Result<Vec<ExportRow>>;
}

const ID: &[KeyColumn] = &[KeyColumn::Int("id")];
const DERIVED: &str = "derived data, recomputed from the rows exported";

/// Tables not exported, and why.
pub const LEFT_OUT_TABLES: &[(&str, &str)] = &[
    ("sessions", "sign-in sessions: their ids are secrets"),
    ("password_resets", "password-reset tokens: secrets"),
    ("installation_settings", "the installation's, not an organization's (holds the installation secret)"),
    ("score_rollups", DERIVED),
    ("activity", DERIVED),
    ("activity_histories", DERIVED),
    ("behaviour_days", DERIVED),
    ("behaviour_spans", DERIVED),
    ("behaviour_totals", DERIVED),
    ("row_counts", DERIVED),
    ("theme_days", DERIVED),
    ("sentiment_days", DERIVED),
    ("item_days", DERIVED),
    ("event_hours", DERIVED),
    ("perfect_behaviour_days", DERIVED),
    ("perfect_behaviour_totals", DERIVED),
    ("customer_terms", DERIVED),
    ("kudos_months", DERIVED),
    ("case_tags", DERIVED),
    ("case_terms", DERIVED),
    ("responses_fts", "SQLite's full-text index of comments (derived)"),
    ("kb_articles_fts", "SQLite's full-text index of knowledge articles (derived)"),
];

/// A table exported by `key`, with `columns` (no JSON column, nothing left out).
const fn table(name: &'static str, key: &'static [KeyColumn], columns: &'static [&'static str]) -> ExportTable {
    ExportTable { name, columns, key, json: &[], left_out: &[], org_first: false }
}

impl ExportTable {
    /// Its columns holding JSON as text, written as nested values.
    const fn json(self, json: &'static [&'static str]) -> ExportTable {
        ExportTable { json, ..self }
    }

    /// Its columns not exported, and why.
    const fn left_out(self, left_out: &'static [(&'static str, &'static str)]) -> ExportTable {
        ExportTable { left_out, ..self }
    }
}

/// A table whose primary key is `(org_id, key…)`.
const fn org_first(t: ExportTable) -> ExportTable {
    ExportTable { org_first: true, ..t }
}

/// Every exported table, in the order `rapport export --list` shows them.
pub const TABLES: &[ExportTable] = &[
    table("organizations", ID, &["id", "slug", "name", "mission", "created_at"]),
    table("people", ID, &["id", "name", "email", "department", "role", "joined_on", "left_on"]),
    table("users", ID, &["id", "email", "role", "person_id", "language", "created_at"])
        .left_out(&[("password_hash", "a secret")]),
    table("api_tokens", ID, &["id", "name", "role", "created_at", "created_by", "last_used_at", "revoked_at"])
        .left_out(&[("token_hash", "a secret's digest")]),
    table("invitations", ID, &["id", "user_id", "invited_by", "created_at", "expires_at", "accepted_at"])
        .left_out(&[("token_hash", "the link's digest, a secret")]),
    table("notifications", ID, &["id", "user_id", "kind", "title", "link", "created_at", "read_at", "digested_at"]),
    table(
        "notification_settings",
        &[KeyColumn::Int("user_id"), KeyColumn::Text("kind")],
        &["user_id", "kind", "delivery"],
    ),
    org_first(table("org_settings", &[KeyColumn::Int("org_id")], &["org_id", "default_language", "accent_colour"])),
    org_first(
        table("org_logos", &[KeyColumn::Int("org_id")], &["org_id", "content_type", "size", "version", "updated_at"])
            .left_out(&[("bytes", "the image itself: download it from /branding/{slug}/logo")]),
    ),
    table("audit_log", ID, &["id", "at", "actor", "action", "subject"]),
    table("segments", ID, &["id", "name", "description", "rule"]).json(&["rule"]),
    table(
        "segment_members",
        &[KeyColumn::Int("segment_id"), KeyColumn::Int("customer_id")],
        &["segment_id", "customer_id"],
    ),
    table("customers", ID, &["id", "external_id", "email", "name", "attributes", "created_at", "updated_at"])
        .json(&["attributes"]),
    table("stages", ID, &["id", "name", "position"]),
    table(
        "touchpoints",
        ID,
        &["id", "stage_id", "name", "description", "position", "channel", "department", "owner_id"],
    ),
    table(
        "touchpoint_importance",
        &[KeyColumn::Int("touchpoint_id"), KeyColumn::Int("segment_id")],
        &["touchpoint_id", "segment_id", "importance"],
    ),
    table(
        "experiences",
        ID,
        &[
            "id",
            "name",
            "customer_definition",
            "goal_metric",
            "goal_target",
            "goal_period",
            "goal_behaviour_id",
            "leader_id",
            "created_at",
        ],
    ),
    table(
        "experience_segments",
        &[KeyColumn::Int("experience_id"), KeyColumn::Int("segment_id")],
        &["experience_id", "segment_id"],
    ),
    table("interactions", ID, &["id", "experience_id", "touchpoint_id", "position", "added_at", "removed_at"]),
    table(
        "perfect_behaviours",
        ID,
        &[
            "id",
            "experience_id",
            "name",
            "name_es",
            "owner_id",
            "target",
            "event_type",
            "touchpoint_id",
            "count",
            "window_days",
            "base",
            "created_at",
            "updated_at",
        ],
    ),
    table("intent_versions", ID, &["id", "version", "statement", "criteria", "created_at", "created_by"])
        .json(&["criteria"]),
    table("intent_status", ID, &["id", "version_id", "criterion", "status", "value", "n", "at"]),
    table(
        "surveys",
        ID,
        &[
            "id",
            "touchpoint_id",
            "title_en",
            "title_es",
            "intro_en",
            "intro_es",
            "questions",
            "fatigue_days",
            "status",
            "created_at",
        ],
    )
    .json(&["questions"])
    .left_out(&[("token", "the public link's token, a capability")]),
    table(
        "listening_posts",
        ID,
        &["id", "name", "channel", "touchpoint_id", "priority", "governed_by", "response_hours", "notes"],
    ),
    table(
        "responses",
        ID,
        &[
            "id",
            "idempotency_key",
            "survey_id",
            "touchpoint_id",
            "customer_id",
            "at",
            "answers",
            "comment",
            "channel",
            "language",
            "received_at",
            "sentiment",
            "sentiment_label",
            "wow",
            "anger",
            "nps_band",
            "csat_band",
        ],
    )
    .json(&["answers"])
    .left_out(&[("search_terms", DERIVED)]),
    table(
        "events",
        ID,
        &["id", "idempotency_key", "kind", "customer_id", "at", "touchpoint_id", "amount", "attributes", "received_at"],
    )
    .json(&["attributes"]),
    table("text_themes", ID, &["id", "name", "keywords_en", "keywords_es", "created_at"])
        .json(&["keywords_en", "keywords_es"]),
    table(
        "response_themes",
        &[KeyColumn::Int("theme_id"), KeyColumn::Int("response_id")],
        &["theme_id", "response_id"],
    )
    .left_out(&[("touchpoint_id", DERIVED), ("sentiment_label", DERIVED)]),
    table(
        "response_tags",
        &[KeyColumn::Int("theme_id"), KeyColumn::Int("response_id")],
        &["theme_id", "response_id", "tagged_by", "tagged_at"],
    ),
    table("webhooks", ID, &["id", "name", "format", "events", "active", "created_at"])
        .json(&["events"])
        .left_out(&[("secret", "the signing secret"), ("url", "may be a credential (Slack incoming webhooks)")]),
    table("outbox_events", ID, &["id", "event", "payload", "created_at", "fanned_out_at"]).json(&["payload"]),
    table(
        "deliveries",
        ID,
        &[
            "id",
            "event_id",
            "channel",
            "webhook_id",
            "recipient",
            "attempts",
            "next_attempt_at",
            "locked_until",
            "delivered_at",
            "gave_up_at",
            "last_error",
            "created_at",
        ],
    ),
    org_first(
        table(
            "work_calendars",
            &[KeyColumn::Int("org_id")],
            &["org_id", "day_start", "day_end", "workdays", "time_zone"],
        )
        .json(&["workdays"]),
    ),
    org_first(table("holidays", &[KeyColumn::Day("day")], &["day", "name"])),
    table("case_rules", ID, &["id", "name", "condition", "touchpoint_id", "active", "created_at", "priority", "tags"])
        .json(&["condition"]),
    org_first(table("case_queue_settings", &[KeyColumn::Int("org_id")], &["org_id", "default_owner_id"])),
    table(
        "routing_rules",
        ID,
        &[
            "id",
            "name",
            "position",
            "touchpoint_id",
            "segment_id",
            "channel",
            "listening_post_id",
            "assignee_id",
            "first_response_hours",
            "resolution_hours",
        ],
    ),
    table("root_causes", ID, &["id", "name", "description", "preventable"]),
    table(
        "cases",
        ID,
        &[
            "id",
            "title",
            "customer_id",
            "touchpoint_id",
            "rule_id",
            "routing_rule_id",
            "status",
            "assignee_id",
            "opened_at",
            "first_response_due",
            "resolution_due",
            "first_responded_at",
            "closed_at",
            "escalated_at",
            "escalated_to",
            "first_response_hours",
            "resolution_hours",
            "response_breached_at",
            "resolution_breached_at",
            "root_cause_id",
            "priority",
            "tags",
            "assignment_reason",
            "detractor",
            "waiting_since",
        ],
    ),
    table(
        "case_items",
        &[KeyColumn::Int("case_id"), KeyColumn::Text("kind"), KeyColumn::Int("item_id")],
        &["case_id", "kind", "item_id", "at"],
    ),
    table(
        "case_steps",
        ID,
        &[
            "id",
            "case_id",
            "step",
            "done_by",
            "done_at",
            "note",
            "proposal",
            "agreed",
            "action",
            "root_cause_id",
            "root_cause_note",
        ],
    ),
    table("case_history", ID, &["id", "case_id", "at", "actor", "action", "detail"]),
    table(
        "case_messages",
        ID,
        &["id", "case_id", "kind", "author", "subject", "body", "lang", "outbox_event_id", "created_at"],
    ),
    org_first(table(
        "case_reply_templates",
        &[KeyColumn::Int("org_id"), KeyColumn::Text("step")],
        &["org_id", "step", "subject_en", "body_en", "subject_es", "body_es", "updated_at"],
    )),
    table(
        "ideas",
        ID,
        &[
            "id",
            "title",
            "body",
            "author_id",
            "source",
            "touchpoint_id",
            "experience_id",
            "status",
            "status_reason",
            "merged_into",
            "root_cause_id",
            "created_at",
            "updated_at",
            "implemented_at",
        ],
    ),
    table(
        "idea_votes",
        &[KeyColumn::Int("idea_id"), KeyColumn::Int("person_id")],
        &["idea_id", "person_id", "created_at"],
    ),
    table("idea_comments", ID, &["id", "idea_id", "author_id", "body", "created_at"]),
    table("idea_cases", &[KeyColumn::Int("idea_id"), KeyColumn::Int("case_id")], &["idea_id", "case_id"]),
    table(
        "sprints",
        ID,
        &[
            "id",
            "touchpoint_id",
            "name",
            "leader_id",
            "start_on",
            "end_on",
            "phases",
            "proposal",
            "proposal_by",
            "proposal_at",
            "approved_by",
            "approved_at",
            "baseline",
            "outcome",
            "created_at",
        ],
    )
    .json(&["phases", "baseline", "outcome"]),
    table(
        "sprint_members",
        &[KeyColumn::Int("sprint_id"), KeyColumn::Int("person_id")],
        &["sprint_id", "person_id", "position"],
    ),
    table(
        "sprint_ideas",
        &[KeyColumn::Int("sprint_id"), KeyColumn::Int("idea_id")],
        &["sprint_id", "idea_id", "position"],
    ),
    table(
        "announcements",
        ID,
        &["id", "kind", "subject_id", "touchpoint_id", "experience_id", "message", "created_at", "created_by"],
    )
    .json(&["message"]),
    table(
        "announcement_recipients",
        &[KeyColumn::Int("announcement_id"), KeyColumn::Int("person_id")],
        &["announcement_id", "person_id", "position", "acknowledged_at"],
    ),
    table(
        "kb_articles",
        ID,
        &[
            "id",
            "kind",
            "version",
            "title_en",
            "body_en",
            "title_es",
            "body_es",
            "created_at",
            "updated_at",
            "archived_at",
            "uses",
        ],
    )
    .left_out(&[
        ("search_terms", DERIVED),
        ("title_terms", DERIVED),
        ("helpful", "counted from kb_marks"),
        ("outdated", "counted from kb_marks"),
    ]),
    table(
        "kb_versions",
        &[KeyColumn::Int("article_id"), KeyColumn::Int("version")],
        &[
            "article_id",
            "version",
            "kind",
            "title_en",
            "body_en",
            "title_es",
            "body_es",
            "author",
            "author_person_id",
            "written_at",
        ],
    ),
    table(
        "kb_article_touchpoints",
        &[KeyColumn::Int("article_id"), KeyColumn::Int("touchpoint_id")],
        &["article_id", "touchpoint_id"],
    ),
    table(
        "kb_article_root_causes",
        &[KeyColumn::Int("article_id"), KeyColumn::Int("root_cause_id")],
        &["article_id", "root_cause_id"],
    ),
    table(
        "kb_article_case_rules",
        &[KeyColumn::Int("article_id"), KeyColumn::Int("case_rule_id")],
        &["article_id", "case_rule_id"],
    ),
    table(
        "kb_marks",
        &[KeyColumn::Int("article_id"), KeyColumn::Text("account")],
        &["article_id", "account", "mark", "note", "version", "marked_at"],
    ),
    table("media", ID, &["id", "content_type", "size", "version", "created_at", "created_by"])
        .left_out(&[("bytes", "the image itself: download it from /media/{id}")]),
    table(
        "training_modules",
        ID,
        &[
            "id",
            "kind",
            "title_en",
            "title_es",
            "body_en",
            "body_es",
            "audience",
            "due_days",
            "quiz",
            "revision",
            "intent_version",
            "created_at",
            "updated_at",
            "created_by",
        ],
    )
    .json(&["audience", "quiz"]),
    table(
        "training_module_touchpoints",
        &[KeyColumn::Int("module_id"), KeyColumn::Int("touchpoint_id")],
        &["module_id", "touchpoint_id"],
    ),
    table(
        "training_assignments",
        ID,
        &[
            "id",
            "module_id",
            "person_id",
            "revision",
            "assigned_at",
            "due_at",
            "completed_at",
            "attempts",
            "best_score",
            "last_score",
            "reminded_at",
        ],
    ),
    table("comms_items", ID, &["id", "title", "audience", "channel", "day", "owner_id", "status", "created_at"]),
    table(
        "kudos",
        ID,
        &[
            "id",
            "giver_id",
            "given_by",
            "giver_department",
            "person_id",
            "department",
            "reason",
            "evidence_kind",
            "evidence_id",
            "created_at",
        ],
    ),
    table(
        "model_runs",
        ID,
        &[
            "id",
            "requested_by",
            "requested_at",
            "status",
            "stage",
            "progress",
            "started_at",
            "lease_until",
            "finished_at",
            "error",
            "summary",
        ],
    )
    .json(&["summary"]),
    table(
        "customer_scores",
        &[KeyColumn::Int("customer_id")],
        &[
            "customer_id",
            "run_id",
            "churn_risk",
            "p_alive",
            "expected_purchases",
            "lifetime_value",
            "value_at_risk",
            "reasons",
            "scored_at",
        ],
    )
    .json(&["reasons"]),
    org_first(
        table(
            "driver_results",
            &[KeyColumn::Int("experience_id"), KeyColumn::Int("survey_id"), KeyColumn::Int("segment_id")],
            &["experience_id", "survey_id", "segment_id", "run_id", "result"],
        )
        .json(&["result"]),
    ),
    org_first(table(
        "gap_links",
        &[
            KeyColumn::Int("experience_id"),
            KeyColumn::Int("touchpoint_id"),
            KeyColumn::Text("metric"),
            KeyColumn::Int("segment_id"),
        ],
        &["experience_id", "touchpoint_id", "metric", "segment_id", "idea_id", "sprint_id", "created_at"],
    )),
    org_first(
        table("finance_models", &[KeyColumn::Int("org_id")], &["org_id", "inputs", "updated_at"]).json(&["inputs"]),
    ),
    table(
        "staffing_settings",
        &[KeyColumn::Int("touchpoint_id")],
        &[
            "touchpoint_id",
            "handle_seconds",
            "service_level",
            "answer_seconds",
            "shrinkage",
            "max_occupancy",
            "updated_at",
        ],
    ),
    table(
        "staffing_schedule",
        &[KeyColumn::Int("touchpoint_id"), KeyColumn::Int("weekday"), KeyColumn::Int("hour")],
        &["touchpoint_id", "weekday", "hour", "agents"],
    ),
    table(
        "invitation_waves",
        ID,
        &[
            "id",
            "survey_id",
            "audience",
            "segment_id",
            "subject_en",
            "body_en",
            "subject_es",
            "body_es",
            "send_at",
            "per_hour",
            "reminder_days",
            "invited",
            "sent",
            "skipped",
            "bounced",
            "opened",
            "answered",
            "reminded",
            "slot_start",
            "slot_sent",
            "created_at",
            "created_by",
        ],
    ),
    table(
        "survey_triggers",
        ID,
        &[
            "id",
            "survey_id",
            "event_kind",
            "touchpoint_id",
            "delay_hours",
            "subject_en",
            "body_en",
            "subject_es",
            "body_es",
            "created_at",
            "created_by",
        ],
    ),
    table(
        "survey_invitations",
        ID,
        &[
            "id",
            "kind",
            "survey_id",
            "wave_id",
            "trigger_id",
            "event_id",
            "customer_id",
            "email",
            "name",
            "language",
            "status",
            "skip_reason",
            "due_at",
            "sent_at",
            "remind_at",
            "reminded_at",
            "opened_at",
            "answered_at",
            "bounced_at",
            "created_at",
        ],
    ),
    table(
        "customer_mail_status",
        &[KeyColumn::Int("customer_id")],
        &["customer_id", "unsubscribed_at", "unsubscribed_by", "bounced_at", "bounce_reason", "updated_at"],
    ),
    table(
        "survey_thanks",
        &[KeyColumn::Int("survey_id")],
        &["survey_id", "subject_en", "body_en", "subject_es", "body_es", "updated_at"],
    ),
    table(
        "empathy_maps",
        ID,
        &[
            "id",
            "touchpoint_id",
            "segment_id",
            "version",
            "is_current",
            "entries",
            "entry_count",
            "evidence_count",
            "author",
            "created_at",
        ],
    )
    .json(&["entries"]),
    // A8. The CX council.
    table("council_members", ID, &["id", "person_id", "role", "created_at"]),
    table(
        "council_meetings",
        ID,
        &["id", "title", "starts_at", "duration_minutes", "location", "status", "minutes", "created_at", "updated_at"],
    ),
    table("council_agenda_items", ID, &["id", "meeting_id", "position", "kind", "title", "link"]),
    table(
        "council_decisions",
        ID,
        &["id", "meeting_id", "text", "idea_id", "sprint_id", "intent_version_id", "created_at"],
    ),
    table("council_actions", ID, &["id", "meeting_id", "text", "owner_id", "due_on", "done", "done_at", "created_at"]),
    // The 20-question diagnostic (F2).
    table("diagnostic_rounds", ID, &["id", "name", "opened_on", "closed_at", "created_at", "created_by"]),
    table("diagnostic_answers", ID, &["id", "round_id", "person_id", "question", "score", "comment", "updated_at"]),
];

/// Words that name a secret: no exported column may contain one.
pub const SECRET_WORDS: &[&str] = &["password", "hash", "secret", "token", "session"];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_not_also_left_out() {
        let mut seen = HashSet::new();
        for t in TABLES {
            assert!(seen.insert(t.name), "{} twice", t.name);
            assert!(!LEFT_OUT_TABLES.iter().any(|(n, _)| *n == t.name), "{} both exported and left out", t.name);
        }
        assert_eq!(ExportTable::named("customers").map(|t| t.name), Some("customers"));
        assert_eq!(ExportTable::named("sessions"), None);
        assert_eq!(ExportTable::named("customers; DROP TABLE x"), None);
    }

    #[test]
    fn keys_lead_the_columns_and_json_columns_exist() {
        for t in TABLES {
            assert!(!t.key.is_empty(), "{}", t.name);
            let names: Vec<&str> = t.key.iter().map(|k| k.name()).collect();
            assert_eq!(&t.columns[..names.len()], names.as_slice(), "{}: the key comes first", t.name);
            for j in t.json {
                assert!(t.columns.contains(j), "{}.{j}", t.name);
            }
            for (c, _) in t.left_out {
                assert!(!t.columns.contains(c), "{}.{c} both written and left out", t.name);
            }
        }
    }

    #[test]
    fn no_exported_column_names_a_secret() {
        for t in TABLES {
            for c in t.columns {
                assert!(!SECRET_WORDS.iter().any(|w| c.contains(w)), "{}.{c}", t.name);
            }
        }
    }

    #[test]
    fn statements_bind_everything_but_the_fixed_names() {
        let customers = ExportTable::named("customers").unwrap();
        assert_eq!(
            customers.page_sql(false, ORG_FILTER_SQLITE),
            "SELECT id, external_id, email, name, attributes, created_at, updated_at FROM customers \
             WHERE +org_id = $1 ORDER BY id LIMIT $2"
        );
        let items = ExportTable::named("case_items").unwrap();
        assert_eq!(
            items.page_sql(true, ORG_FILTER_SQLITE),
            "SELECT case_id, kind, item_id, at FROM case_items WHERE +org_id = $1 \
             AND (case_id, kind, item_id) > ($2, $3, $4) ORDER BY case_id, kind, item_id LIMIT $5"
        );
        let holidays = ExportTable::named("holidays").unwrap();
        assert_eq!(
            holidays.page_sql(true, ORG_FILTER_SQLITE),
            "SELECT day, name FROM holidays WHERE org_id = $1 AND (CAST(day AS TEXT)) > ($2) \
             ORDER BY CAST(day AS TEXT) LIMIT $3"
        );
        let orgs = ExportTable::named("organizations").unwrap();
        assert!(orgs.page_sql(true, ORG_FILTER_POSTGRES).contains("FROM organizations WHERE id = $1 AND (id) > ($2)"));
        assert!(customers
            .page_sql(true, ORG_FILTER_POSTGRES)
            .contains("FROM customers WHERE org_id = $1 AND (id) > ($2)"));
    }
}
