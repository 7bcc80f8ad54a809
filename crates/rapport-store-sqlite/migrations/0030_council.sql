-- SQLite: A8. The CX council: members, meetings, agenda items, decisions
-- and action items. Keep in step with the PostgreSQL migration of the same
-- number (the schema test compares them).

-- A person sits once; role: chair, member or secretary.
CREATE TABLE council_members (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX council_members_person ON council_members (org_id, person_id);

-- status: planned or held; minutes in Markdown.
CREATE TABLE council_meetings (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    location TEXT,
    status TEXT NOT NULL,
    minutes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX council_meetings_start ON council_meetings (org_id, starts_at, id);

-- kind: what the item is about (rapport_core::plan::council::agenda);
-- position from 0, kept dense by the writes.
CREATE TABLE council_agenda_items (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    meeting_id INTEGER NOT NULL REFERENCES council_meetings (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT
);
CREATE INDEX council_agenda_items_meeting ON council_agenda_items (meeting_id, position);

CREATE TABLE council_decisions (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    meeting_id INTEGER NOT NULL REFERENCES council_meetings (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    idea_id INTEGER REFERENCES ideas (id) ON DELETE SET NULL,
    sprint_id INTEGER REFERENCES sprints (id) ON DELETE SET NULL,
    intent_version_id INTEGER REFERENCES intent_versions (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX council_decisions_meeting ON council_decisions (meeting_id, id);

CREATE TABLE council_actions (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    meeting_id INTEGER NOT NULL REFERENCES council_meetings (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    owner_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    due_on TEXT NOT NULL,
    done BOOLEAN NOT NULL,
    done_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX council_actions_meeting ON council_actions (meeting_id, id);
CREATE INDEX council_actions_owner ON council_actions (org_id, owner_id, done, due_on);
