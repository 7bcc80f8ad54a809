-- SQLite: closing the loop: the working calendar, case and routing rules, root
-- causes, cases with their linked feedback, RESOLVED steps and history.
-- Keep in step with the PostgreSQL migration of the same number.

-- The organization's working time, for response-time promises (and sprints).
-- No row: 09:00-17:00 UTC, Monday to Friday. workdays is seven 0/1 flags,
-- Monday first.
CREATE TABLE work_calendars (
    org_id INTEGER PRIMARY KEY REFERENCES organizations (id),
    utc_offset_minutes INTEGER NOT NULL,
    day_start INTEGER NOT NULL,
    day_end INTEGER NOT NULL,
    workdays TEXT NOT NULL
);

CREATE TABLE holidays (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (org_id, day)
);

-- Which feedback opens a case; condition is rapport_core::case::trigger::Trigger as JSON.
CREATE TABLE case_rules (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    condition TEXT NOT NULL,
    touchpoint_id INTEGER REFERENCES touchpoints (id) ON DELETE CASCADE,
    active BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX case_rules_org ON case_rules (org_id);

-- Who gets a case and what is promised, tried by position.
CREATE TABLE routing_rules (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    touchpoint_id INTEGER REFERENCES touchpoints (id) ON DELETE CASCADE,
    segment_id INTEGER REFERENCES segments (id) ON DELETE CASCADE,
    channel TEXT,
    listening_post_id INTEGER REFERENCES listening_posts (id) ON DELETE CASCADE,
    assignee_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
    first_response_hours INTEGER,
    resolution_hours INTEGER
);
CREATE INDEX routing_rules_org ON routing_rules (org_id, position);

CREATE TABLE root_causes (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    description TEXT,
    preventable BOOLEAN NOT NULL,
    UNIQUE (org_id, name)
);

-- customer_id becomes NULL when the customer is erased; touchpoint_id and
-- rule_id have no foreign key so that cases outlive what opened them.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    customer_id INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    touchpoint_id INTEGER,
    rule_id INTEGER,
    routing_rule_id INTEGER,
    status TEXT NOT NULL,
    assignee_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
    opened_at TEXT NOT NULL,
    first_response_due TEXT NOT NULL,
    resolution_due TEXT NOT NULL,
    first_responded_at TEXT,
    closed_at TEXT,
    escalated_at TEXT,
    escalated_to INTEGER REFERENCES people (id) ON DELETE SET NULL,
    -- The promises in working hours, to restart the clock on reopening.
    first_response_hours INTEGER NOT NULL,
    resolution_hours INTEGER NOT NULL,
    response_breached_at TEXT,
    resolution_breached_at TEXT,
    root_cause_id INTEGER REFERENCES root_causes (id)
);
-- At most one open case per customer and touchpoint (0: none).
CREATE UNIQUE INDEX cases_one_open ON cases (org_id, customer_id, (COALESCE(touchpoint_id, 0)))
    WHERE status = 'open' AND customer_id IS NOT NULL;
CREATE INDEX cases_org_status ON cases (org_id, status, assignee_id);
CREATE INDEX cases_customer ON cases (customer_id);
CREATE INDEX cases_open_due ON cases (status, resolution_due);
CREATE INDEX cases_root_cause ON cases (org_id, root_cause_id, closed_at);

-- The responses and events a case gathered (no foreign key: feedback rows
-- are never deleted, only stripped on erasure).
CREATE TABLE case_items (
    org_id INTEGER NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (case_id, kind, item_id)
);
CREATE INDEX case_items_item ON case_items (org_id, kind, item_id);

-- Every recording of a RESOLVED step; the latest per step counts.
CREATE TABLE case_steps (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    done_by TEXT NOT NULL,
    done_at TEXT NOT NULL,
    note TEXT,
    proposal TEXT,
    agreed BOOLEAN,
    action TEXT,
    root_cause_id INTEGER REFERENCES root_causes (id),
    root_cause_note TEXT
);
CREATE INDEX case_steps_case ON case_steps (case_id, id);

CREATE TABLE case_history (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX case_history_case ON case_history (case_id, id);
