-- SQLite: organization settings (the default language and the survey
-- accent colour; the name stays on organizations), the survey logo, and
-- the indexes of the audit log's filters. Keep in step with the PostgreSQL
-- migration of the same number (the schema test compares them).

-- One row per organization, written on its first change: no row is
-- English and Rapport's own colour.
CREATE TABLE org_settings (
    org_id INTEGER PRIMARY KEY REFERENCES organizations (id),
    default_language TEXT NOT NULL,
    accent_colour TEXT
);

-- The logo of the public survey pages, a checked PNG or JPEG of at most
-- 200 KiB (rapport_core::branding), apart so that reading the settings
-- never reads the image. version: a prefix of its SHA-256.
CREATE TABLE org_logos (
    org_id INTEGER PRIMARY KEY REFERENCES organizations (id),
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    version TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    bytes BLOB NOT NULL
);

-- The audit log, newest first by (at, id): alone, by actor (ignoring case)
-- and by subject (exactly, or a kind as a range: SQLite compares text by
-- bytes).
CREATE INDEX audit_log_org_at ON audit_log (org_id, at, id);
CREATE INDEX audit_log_org_actor ON audit_log (org_id, lower(actor), at, id);
CREATE INDEX audit_log_org_subject ON audit_log (org_id, subject, at, id);
