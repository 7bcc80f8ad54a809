-- D1/D2. Case messages: replies to customers, their answers, notes.
-- Keep in step with the PostgreSQL migration of the same number.

-- A case's thread. kind: reply (e-mailed to the customer; outbox_event_id
-- is its e-mail, whose deliveries say pending, delivered or failed), note
-- (internal) or customer (received through the inbound-mail endpoint).
CREATE TABLE case_messages (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    lang TEXT,
    outbox_event_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX case_messages_case ON case_messages (case_id, id);

-- An organization's reply template for a RESOLVED step (none: built in).
CREATE TABLE case_reply_templates (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    step TEXT NOT NULL,
    subject_en TEXT NOT NULL,
    body_en TEXT NOT NULL,
    subject_es TEXT NOT NULL,
    body_es TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, step)
);

-- Since when a case waits on the customer: set by a reply, cleared by
-- their answer.
ALTER TABLE cases ADD COLUMN waiting_since TEXT;
