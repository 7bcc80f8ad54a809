-- Listening on SQLite: surveys, listening posts, responses, events and the
-- installation's settings. Keep in step with the PostgreSQL migration of the
-- same number: same tables, columns, constraints and indexes; only the types
-- differ. Questions, answers and attributes are JSON text.

-- Settings of the whole installation (not of an organization), e.g. the
-- secret personal survey links are signed with.
CREATE TABLE installation_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id),
    title_en TEXT NOT NULL,
    title_es TEXT NOT NULL,
    intro_en TEXT NOT NULL,
    intro_es TEXT NOT NULL,
    questions TEXT NOT NULL,
    fatigue_days INTEGER NOT NULL,
    status TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX surveys_org ON surveys (org_id);
CREATE INDEX surveys_touchpoint ON surveys (touchpoint_id);

CREATE TABLE listening_posts (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    channel TEXT NOT NULL,
    touchpoint_id INTEGER REFERENCES touchpoints (id),
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    governed_by INTEGER REFERENCES people (id),
    response_hours INTEGER,
    notes TEXT
);
CREATE INDEX listening_posts_org ON listening_posts (org_id);
CREATE INDEX listening_posts_touchpoint ON listening_posts (touchpoint_id);
CREATE INDEX listening_posts_governed_by ON listening_posts (governed_by);

-- Feedback: touchpoint_id has no foreign key, so that responses outlive a
-- deleted touchpoint. customer_id is NULL for anonymous and erased customers.
CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    idempotency_key TEXT,
    survey_id INTEGER REFERENCES surveys (id),
    touchpoint_id INTEGER NOT NULL,
    customer_id INTEGER REFERENCES customers (id),
    at TEXT NOT NULL,
    answers TEXT NOT NULL,
    comment TEXT,
    channel TEXT,
    language TEXT,
    received_at TEXT NOT NULL
);
CREATE UNIQUE INDEX responses_key ON responses (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX responses_org_at ON responses (org_id, at, id);
CREATE INDEX responses_touchpoint ON responses (org_id, touchpoint_id, at);
CREATE INDEX responses_survey ON responses (survey_id, at);
CREATE INDEX responses_customer ON responses (customer_id, at);

-- Behaviour: kind is the event type's key (purchase, custom:NAME, ...).
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    idempotency_key TEXT,
    kind TEXT NOT NULL,
    customer_id INTEGER REFERENCES customers (id),
    at TEXT NOT NULL,
    touchpoint_id INTEGER,
    amount REAL,
    attributes TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE UNIQUE INDEX events_key ON events (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX events_org_at ON events (org_id, at, id);
CREATE INDEX events_touchpoint ON events (org_id, touchpoint_id, at);
CREATE INDEX events_customer ON events (customer_id, at);
