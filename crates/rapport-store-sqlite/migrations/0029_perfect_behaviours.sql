-- A7. Perfect customer behaviours (see rapport_core::plan::perfect_behaviour).
-- Keep in step with the other backend's migration of the same number.

-- A behaviour of an experience: a rule over events (event_type, optional
-- touchpoint_id, count N, optional window_days W, base 'matching' or
-- 'active'), an owner (a person) and a target rate in %.
CREATE TABLE perfect_behaviours (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    experience_id INTEGER NOT NULL REFERENCES experiences (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_es TEXT,
    owner_id INTEGER NOT NULL,
    target REAL NOT NULL,
    event_type TEXT NOT NULL,
    touchpoint_id INTEGER,
    count INTEGER NOT NULL,
    window_days INTEGER,
    base TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX perfect_behaviours_experience ON perfect_behaviours (org_id, experience_id, id);
CREATE INDEX perfect_behaviours_type ON perfect_behaviours (org_id, event_type);

-- Kept by ingestion in its transaction: per behaviour, part ('eligible':
-- a customer's matching days; 'shown': the days they showed it), day and
-- the customer's previous such day, the number of customers. The distinct
-- customers of [f, t] are the sum of n over f <= day <= t and prev_day < f.
CREATE TABLE perfect_behaviour_days (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    behaviour_id INTEGER NOT NULL REFERENCES perfect_behaviours (id) ON DELETE CASCADE,
    part TEXT NOT NULL,
    day TEXT NOT NULL,
    prev_day TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (behaviour_id, part, day, prev_day)
) WITHOUT ROWID;

-- An experience's goal may name a behaviour (goal metric perfect_behaviour).
ALTER TABLE experiences ADD COLUMN goal_behaviour_id INTEGER;
