-- Measurement on SQLite: segment membership, rollups and intent status.
-- Keep in step with the PostgreSQL migration of the same number.

-- Which customers each segment holds, kept current when customers are
-- upserted and segments change, so rollups and filters need no rule runs.
CREATE TABLE segment_members (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (segment_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX segment_members_customer ON segment_members (customer_id);

-- Per-day tallies of answers (see rapport_core::measure::tally), per
-- touchpoint and segment; segment_id 0 is every customer, anonymous ones
-- included. No foreign keys: rollups outlive a deleted touchpoint, as the
-- responses do.
CREATE TABLE score_rollups (
    org_id INTEGER NOT NULL,
    scale TEXT NOT NULL,
    segment_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    touchpoint_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    total INTEGER NOT NULL,
    total_sq INTEGER NOT NULL,
    high INTEGER NOT NULL,
    low INTEGER NOT NULL,
    PRIMARY KEY (org_id, scale, segment_id, day, touchpoint_id)
) WITHOUT ROWID;

-- What each known customer did each day: event kinds and 'response', at a
-- touchpoint or none (0). Behaviour rates and journeys read this, not the
-- raw rows.
CREATE TABLE activity (
    org_id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    touchpoint_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    amount REAL NOT NULL,
    PRIMARY KEY (customer_id, day, kind, touchpoint_id)
) WITHOUT ROWID;
CREATE INDEX activity_org_day ON activity (org_id, day);

-- Every change of an intent criterion's status, newest last.
CREATE TABLE intent_status (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    version_id INTEGER NOT NULL,
    criterion INTEGER NOT NULL,
    status TEXT NOT NULL,
    value REAL,
    n INTEGER NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX intent_status_org ON intent_status (org_id, id);
