-- Rapport's schema on SQLite. Keep in step with the PostgreSQL migration of
-- the same number: same tables, columns, constraints and indexes; only the
-- types differ (ids INTEGER PRIMARY KEY, timestamps and dates as TEXT).
-- JSON values (segment rules, customer attributes, intent criteria) are TEXT.

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    mission TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    department TEXT,
    role TEXT,
    joined_on TEXT NOT NULL,
    left_on TEXT
);
CREATE UNIQUE INDEX people_org_email ON people (org_id, lower(email));

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    person_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
    language TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_org_email ON users (org_id, lower(email));
CREATE INDEX users_person ON users (person_id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX sessions_org ON sessions (org_id);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX api_tokens_org ON api_tokens (org_id);

CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    description TEXT,
    rule TEXT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    external_id TEXT NOT NULL,
    email TEXT,
    name TEXT,
    attributes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_id, external_id)
);

CREATE TABLE stages (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX stages_org ON stages (org_id, position);

CREATE TABLE touchpoints (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    stage_id INTEGER NOT NULL REFERENCES stages (id),
    name TEXT NOT NULL,
    description TEXT,
    position INTEGER NOT NULL,
    channel TEXT,
    department TEXT,
    owner_id INTEGER REFERENCES people (id)
);
CREATE INDEX touchpoints_org ON touchpoints (org_id);
CREATE INDEX touchpoints_stage ON touchpoints (stage_id, position);
CREATE INDEX touchpoints_owner ON touchpoints (owner_id);

CREATE TABLE touchpoint_importance (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    importance INTEGER NOT NULL CHECK (importance BETWEEN 1 AND 5),
    PRIMARY KEY (touchpoint_id, segment_id)
);
CREATE INDEX touchpoint_importance_org ON touchpoint_importance (org_id);
CREATE INDEX touchpoint_importance_segment ON touchpoint_importance (segment_id);

CREATE TABLE experiences (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    customer_definition TEXT,
    goal_metric TEXT NOT NULL,
    goal_target REAL NOT NULL,
    goal_period TEXT NOT NULL,
    leader_id INTEGER REFERENCES people (id),
    created_at TEXT NOT NULL
);
CREATE INDEX experiences_org ON experiences (org_id);
CREATE INDEX experiences_leader ON experiences (leader_id);

CREATE TABLE experience_segments (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    experience_id INTEGER NOT NULL REFERENCES experiences (id) ON DELETE CASCADE,
    segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    PRIMARY KEY (experience_id, segment_id)
);
CREATE INDEX experience_segments_org ON experience_segments (org_id);
CREATE INDEX experience_segments_segment ON experience_segments (segment_id);

-- History of key interactions: touchpoint_id has no foreign key, so that the
-- history outlives a deleted touchpoint.
CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    experience_id INTEGER NOT NULL REFERENCES experiences (id) ON DELETE CASCADE,
    touchpoint_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    removed_at TEXT
);
CREATE INDEX interactions_org ON interactions (org_id);
CREATE INDEX interactions_experience ON interactions (experience_id, position);
CREATE INDEX interactions_touchpoint ON interactions (touchpoint_id);
CREATE UNIQUE INDEX interactions_current ON interactions (experience_id, touchpoint_id) WHERE removed_at IS NULL;

CREATE TABLE intent_versions (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    version INTEGER NOT NULL,
    statement TEXT NOT NULL,
    criteria TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT,
    UNIQUE (org_id, version)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, id);
