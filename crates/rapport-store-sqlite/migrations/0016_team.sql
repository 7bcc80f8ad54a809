-- The team side of administration (P3, P4). Keep in step with the PostgreSQL
-- migration of the same number (the schema test compares them).
--
-- API tokens: when each was last used (written at most once a minute, so
-- that reading a token stays a read) and revoked; a revoked token is
-- refused from the next request on.
ALTER TABLE api_tokens ADD COLUMN created_by TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;

-- Invitations: inviting a person creates their account (without a usable
-- password) and this row; the link's token is stored as a digest, works
-- once and expires.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT
);
CREATE INDEX invitations_org ON invitations (org_id);
CREATE INDEX invitations_user ON invitations (user_id);

-- The in-app notification centre: one row per account and thing to know,
-- written in the transaction of the change it tells of.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    -- Set when a digest has carried it (kinds delivered as a daily digest).
    digested_at TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_digest ON notifications (org_id, user_id) WHERE digested_at IS NULL;
CREATE INDEX notifications_org ON notifications (org_id);

-- How each account wants each kind: 'in_app', 'email', 'digest' or 'off'.
-- No row is the kind's default (rapport_core::notification).
CREATE TABLE notification_settings (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    delivery TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
CREATE INDEX notification_settings_org ON notification_settings (org_id);
