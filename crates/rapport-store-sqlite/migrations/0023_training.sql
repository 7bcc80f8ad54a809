-- SQLite: training (E1) and the images Rapport serves at /media/{id}.
-- Keep in step with the PostgreSQL migration of the same number (the schema
-- test compares them).

-- Images uploaded for documents (training modules, knowledge articles), a
-- sniffed PNG, JPEG, GIF or WebP of at most 2 MiB (rapport_core::media).
-- version: a prefix of its SHA-256, for the ETag.
CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    version TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT,
    bytes BLOB NOT NULL
);
CREATE INDEX media_org ON media (org_id, id);

-- Modules: texts in English and Spanish (Markdown), who takes them
-- (audience: everyone and roles and departments as JSON; touchpoints in
-- training_module_touchpoints), the due period and the quiz (JSON). The
-- organization's one intent module (kind 'intent') is regenerated with each
-- intent version, raising revision.
CREATE TABLE training_modules (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    title_en TEXT NOT NULL,
    title_es TEXT NOT NULL,
    body_en TEXT NOT NULL,
    body_es TEXT NOT NULL,
    audience TEXT NOT NULL,
    due_days INTEGER NOT NULL,
    quiz TEXT,
    revision INTEGER NOT NULL,
    intent_version INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT
);
CREATE INDEX training_modules_org ON training_modules (org_id, id);
CREATE UNIQUE INDEX training_modules_intent ON training_modules (org_id, kind) WHERE kind = 'intent';

CREATE TABLE training_module_touchpoints (
    org_id INTEGER NOT NULL,
    module_id INTEGER NOT NULL REFERENCES training_modules (id) ON DELETE CASCADE,
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    PRIMARY KEY (module_id, touchpoint_id)
);
CREATE INDEX training_module_touchpoints_tp ON training_module_touchpoints (org_id, touchpoint_id);

-- One row per person, module and revision: a new revision of the intent
-- module assigns it anew, and completions of an earlier revision stay as
-- history but no longer count. attempts, best_score and last_score are the
-- quiz's; completed_at is the first pass (or the acknowledgement);
-- reminded_at the last overdue e-mail.
CREATE TABLE training_assignments (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    module_id INTEGER NOT NULL REFERENCES training_modules (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    assigned_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    completed_at TEXT,
    attempts INTEGER NOT NULL,
    best_score INTEGER,
    last_score INTEGER,
    reminded_at TEXT
);
CREATE UNIQUE INDEX training_assignments_key ON training_assignments (module_id, person_id, revision);
CREATE INDEX training_assignments_person ON training_assignments (org_id, person_id);
CREATE INDEX training_assignments_due ON training_assignments (due_at) WHERE completed_at IS NULL;
