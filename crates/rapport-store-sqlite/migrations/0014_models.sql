-- SQLite: the models that tell a leader why and what it is worth (C5, C7,
-- C8; rapport_core::model and the store's sql/models.rs). Fitted in the
-- background, never inside a request; pages read what a refit stored.
-- Keep in step with the PostgreSQL migration of the same number (the schema
-- test compares them).

-- Refits: queued by a person or the schedule, run by one server at a time
-- per organization (the partial unique index over runs not finished),
-- which holds a lease it renews while it works; a server finding the lease
-- past takes over.
-- `summary` is the JSON of what the refit found (parameters, back-test,
-- the ROCE aggregates), `error` a readable reason for a refusal.
CREATE TABLE model_runs (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    status TEXT NOT NULL,
    stage TEXT NOT NULL,
    progress INTEGER NOT NULL,
    started_at TEXT,
    lease_until TEXT,
    finished_at TEXT,
    error TEXT,
    summary TEXT
);
CREATE INDEX model_runs_org ON model_runs (org_id, id);
CREATE UNIQUE INDEX model_runs_active ON model_runs (org_id) WHERE finished_at IS NULL;

-- Each customer's scores from the last refit that could score them.
-- `value_at_risk` = lifetime value × churn risk (0 without a churn model:
-- the purchase figures are kept alone), the at-risk list's order;
-- `reasons` the JSON of the top reasons. Erasing a customer deletes them.
CREATE TABLE customer_scores (
    customer_id INTEGER NOT NULL PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    run_id INTEGER NOT NULL,
    churn_risk REAL,
    p_alive REAL,
    expected_purchases REAL,
    lifetime_value REAL,
    value_at_risk REAL NOT NULL,
    reasons TEXT NOT NULL,
    scored_at TEXT NOT NULL
);
CREATE INDEX customer_scores_at_risk ON customer_scores (org_id, value_at_risk, customer_id);

-- Key drivers per experience, survey (0: the experience's touchpoints as
-- drivers) and segment (0: everyone), as the JSON of the analysis or of its
-- refusal. A deleted survey's results go with the next refit.
CREATE TABLE driver_results (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    experience_id INTEGER NOT NULL REFERENCES experiences (id) ON DELETE CASCADE,
    survey_id INTEGER NOT NULL,
    segment_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (org_id, experience_id, survey_id, segment_id)
);

-- The return-on-customer-experience inputs leaders edit (JSON of
-- rapport_core::model::roce inputs).
CREATE TABLE finance_models (
    org_id INTEGER NOT NULL PRIMARY KEY REFERENCES organizations (id),
    inputs TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
