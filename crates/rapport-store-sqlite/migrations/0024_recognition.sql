-- SQLite: recognition (E3). Keep in step with the PostgreSQL migration of
-- the same number (the schema test compares them).

-- Kudos from an account to a person or to a team (a department). giver_id
-- is the giver's person when their account is linked to one; department is
-- the team, or the recipient's department when given (what the monthly
-- summary counts under); giver_department the giver's then. Evidence is a
-- response, a case or a sprint of the same organization (checked when
-- written; no foreign key: responses are never deleted, cases and sprints
-- outlive nothing that points at them).
CREATE TABLE kudos (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    giver_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
    given_by TEXT NOT NULL,
    giver_department TEXT,
    person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
    department TEXT,
    reason TEXT NOT NULL,
    evidence_kind TEXT,
    evidence_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX kudos_org ON kudos (org_id, id);
CREATE INDEX kudos_person ON kudos (org_id, person_id, id);
CREATE INDEX kudos_department ON kudos (org_id, department, id);

-- The monthly summary, kept by each kudos written: per month (YYYY-MM,
-- UTC) and department ('' for none), kudos received and given.
CREATE TABLE kudos_months (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    month TEXT NOT NULL,
    department TEXT NOT NULL,
    received INTEGER NOT NULL,
    given INTEGER NOT NULL,
    PRIMARY KEY (org_id, month, department)
);

-- The performance flag reads a period's closed cases and reopenings by
-- index ranges.
CREATE INDEX cases_closed_at ON cases (org_id, closed_at);
CREATE INDEX case_history_action ON case_history (org_id, action, at);
