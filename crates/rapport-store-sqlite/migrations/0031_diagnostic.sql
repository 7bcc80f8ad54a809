-- SQLite: the 20-question diagnostic (F2). Keep in step with the PostgreSQL
-- migration of the same number (the schema test compares them).

-- A round of the diagnostic; closed_at set freezes its answers.
CREATE TABLE diagnostic_rounds (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    closed_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT
);
CREATE INDEX diagnostic_rounds_org ON diagnostic_rounds (org_id, opened_on, id);

-- One person's answer (1 to 5, with an optional comment) to one question
-- (q1..q20) of a round; answering again replaces it while the round is open.
CREATE TABLE diagnostic_answers (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    round_id INTEGER NOT NULL REFERENCES diagnostic_rounds (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    score INTEGER NOT NULL,
    comment TEXT,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX diagnostic_answers_key ON diagnostic_answers (round_id, person_id, question);
CREATE INDEX diagnostic_answers_org ON diagnostic_answers (org_id, round_id);
