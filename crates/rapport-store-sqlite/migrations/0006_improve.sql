-- SQLite: the improvement loop: ideas with votes, comments and linked cases,
-- redesign sprints, announcements of changes with their acknowledgements,
-- and the internal communications plan.
-- Keep in step with the PostgreSQL migration of the same number.

-- author_id, touchpoint_id and experience_id have no foreign key: an idea
-- outlives the person, touchpoint or experience it was about.
CREATE TABLE ideas (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    body TEXT,
    author_id INTEGER NOT NULL,
    source TEXT NOT NULL,
    touchpoint_id INTEGER,
    experience_id INTEGER,
    status TEXT NOT NULL,
    status_reason TEXT,
    merged_into INTEGER REFERENCES ideas (id),
    root_cause_id INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    implemented_at TEXT
);
CREATE INDEX ideas_org_status ON ideas (org_id, status);
CREATE INDEX ideas_org_author ON ideas (org_id, author_id);

CREATE TABLE idea_votes (
    org_id INTEGER NOT NULL,
    idea_id INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (idea_id, person_id)
);

CREATE TABLE idea_comments (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL,
    idea_id INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX idea_comments_idea ON idea_comments (idea_id, id);

-- The cases an idea came from (a recurring root cause).
CREATE TABLE idea_cases (
    org_id INTEGER NOT NULL,
    idea_id INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    PRIMARY KEY (idea_id, case_id)
);

-- phases is a JSON list of rapport_core::improve::sprint::SprintPhase;
-- baseline and outcome are JSON (Snapshot, and the two snapshots).
CREATE TABLE sprints (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    touchpoint_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    leader_id INTEGER NOT NULL,
    start_on TEXT NOT NULL,
    end_on TEXT NOT NULL,
    phases TEXT NOT NULL,
    proposal TEXT,
    proposal_by INTEGER,
    proposal_at TEXT,
    approved_by INTEGER,
    approved_at TEXT,
    baseline TEXT,
    outcome TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX sprints_org ON sprints (org_id, start_on);

CREATE TABLE sprint_members (
    org_id INTEGER NOT NULL,
    sprint_id INTEGER NOT NULL REFERENCES sprints (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (sprint_id, person_id)
);

CREATE TABLE sprint_ideas (
    org_id INTEGER NOT NULL,
    sprint_id INTEGER NOT NULL REFERENCES sprints (id) ON DELETE CASCADE,
    idea_id INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (sprint_id, idea_id)
);

-- message is rapport_core::improve::Message as JSON (Fluent keys and args).
CREATE TABLE announcements (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    touchpoint_id INTEGER,
    experience_id INTEGER,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT
);
CREATE INDEX announcements_org ON announcements (org_id, id);

CREATE TABLE announcement_recipients (
    org_id INTEGER NOT NULL,
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    acknowledged_at TEXT,
    PRIMARY KEY (announcement_id, person_id)
);
CREATE INDEX announcement_recipients_person ON announcement_recipients (org_id, person_id);

CREATE TABLE comms_items (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    audience TEXT NOT NULL,
    channel TEXT NOT NULL,
    day TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX comms_items_org_day ON comms_items (org_id, day);
