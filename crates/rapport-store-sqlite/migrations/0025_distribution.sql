-- SQLite: survey distribution (B1/B2). Keep in step with the PostgreSQL
-- migration of the same number (the schema test compares them).

-- An invitation wave: a survey sent by e-mail to a segment, a list of
-- customers or a CSV upload, with its template (EN/ES), when it goes
-- (send_at), its throttle (per_hour; the current hour's slot is
-- slot_start/slot_sent) and its one reminder (reminder_days, 0: none).
-- The counters are kept as invitations change (never counted by scanning).
CREATE TABLE invitation_waves (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    audience TEXT NOT NULL,
    segment_id INTEGER,
    subject_en TEXT NOT NULL,
    body_en TEXT NOT NULL,
    subject_es TEXT NOT NULL,
    body_es TEXT NOT NULL,
    send_at TEXT NOT NULL,
    per_hour INTEGER NOT NULL,
    reminder_days INTEGER NOT NULL,
    invited INTEGER NOT NULL,
    sent INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    bounced INTEGER NOT NULL,
    opened INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    reminded INTEGER NOT NULL,
    slot_start TEXT,
    slot_sent INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT
);
CREATE INDEX invitation_waves_survey ON invitation_waves (org_id, survey_id, id);

-- A triggered survey: invite to survey_id delay_hours after an event of
-- event_kind (at touchpoint_id when set).
CREATE TABLE survey_triggers (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    event_kind TEXT NOT NULL,
    touchpoint_id INTEGER REFERENCES touchpoints (id) ON DELETE CASCADE,
    delay_hours INTEGER NOT NULL,
    subject_en TEXT NOT NULL,
    body_en TEXT NOT NULL,
    subject_es TEXT NOT NULL,
    body_es TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT
);
CREATE INDEX survey_triggers_kind ON survey_triggers (org_id, event_kind);
CREATE INDEX survey_triggers_survey ON survey_triggers (org_id, survey_id, id);

-- One e-mail to one customer: an invitation of a wave or a trigger, or a
-- thank-you note (kind). status: scheduled, sent, skipped (skip_reason),
-- bounced. email/name/language: what a CSV row gave for this wave.
-- remind_at: when the wave's one reminder is due (cleared once reminded,
-- answered or bounced).
CREATE TABLE survey_invitations (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    wave_id INTEGER REFERENCES invitation_waves (id) ON DELETE CASCADE,
    trigger_id INTEGER REFERENCES survey_triggers (id) ON DELETE SET NULL,
    event_id INTEGER,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    email TEXT,
    name TEXT,
    language TEXT,
    status TEXT NOT NULL,
    skip_reason TEXT,
    due_at TEXT NOT NULL,
    sent_at TEXT,
    remind_at TEXT,
    reminded_at TEXT,
    opened_at TEXT,
    answered_at TEXT,
    bounced_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX survey_invitations_wave ON survey_invitations (wave_id, status, id);
CREATE INDEX survey_invitations_due ON survey_invitations (status, due_at);
CREATE INDEX survey_invitations_reminder ON survey_invitations (remind_at);
CREATE INDEX survey_invitations_customer ON survey_invitations (customer_id, survey_id);
CREATE UNIQUE INDEX survey_invitations_trigger_event ON survey_invitations (trigger_id, event_id);
CREATE INDEX survey_invitations_trigger_customer ON survey_invitations (trigger_id, customer_id, due_at);

-- A customer's e-mail status: unsubscribed (one click, or by staff) and
-- the last bounce. No row: subscribed, never bounced.
CREATE TABLE customer_mail_status (
    customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    unsubscribed_at TEXT,
    unsubscribed_by TEXT,
    bounced_at TEXT,
    bounce_reason TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX customer_mail_status_org ON customer_mail_status (org_id, customer_id);

-- A survey's thank-you e-mail, sent after an answer with a known e-mail.
-- No row: none.
CREATE TABLE survey_thanks (
    survey_id INTEGER PRIMARY KEY REFERENCES surveys (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    subject_en TEXT NOT NULL,
    body_en TEXT NOT NULL,
    subject_es TEXT NOT NULL,
    body_es TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX survey_thanks_org ON survey_thanks (org_id, survey_id);
