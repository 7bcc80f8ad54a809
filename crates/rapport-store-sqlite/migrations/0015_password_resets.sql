-- Password resets by e-mail: only the token's digest is stored; a reset is
-- used once (used_at) and expires.
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_org ON password_resets (org_id);
CREATE INDEX password_resets_user ON password_resets (user_id);
