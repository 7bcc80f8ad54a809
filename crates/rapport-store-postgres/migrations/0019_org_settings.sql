-- PostgreSQL: organization settings (the default language and the survey
-- accent colour; the name stays on organizations), the survey logo, and
-- the indexes of the audit log's filters. Keep in step with the SQLite
-- migration of the same number (the schema test compares them).

-- One row per organization, written on its first change: no row is
-- English and Rapport's own colour.
CREATE TABLE org_settings (
    org_id BIGINT PRIMARY KEY REFERENCES organizations (id),
    default_language TEXT NOT NULL,
    accent_colour TEXT
);

-- The logo of the public survey pages, a checked PNG or JPEG of at most
-- 200 KiB (rapport_core::branding), apart so that reading the settings
-- never reads the image. version: a prefix of its SHA-256.
CREATE TABLE org_logos (
    org_id BIGINT PRIMARY KEY REFERENCES organizations (id),
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    version TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    bytes BYTEA NOT NULL
);

-- Subjects compare by bytes, as on SQLite, so that a kind of object
-- (`segment:` up to `segment;`) is one range of the index whatever the
-- database's collation (another one orders punctuation differently).
ALTER TABLE audit_log ALTER COLUMN subject TYPE TEXT COLLATE "C";

-- The audit log, newest first by (at, id): alone, by actor (ignoring case)
-- and by subject (exactly, or a kind as a range).
CREATE INDEX audit_log_org_at ON audit_log (org_id, at, id);
CREATE INDEX audit_log_org_actor ON audit_log (org_id, lower(actor), at, id);
CREATE INDEX audit_log_org_subject ON audit_log (org_id, subject, at, id);
