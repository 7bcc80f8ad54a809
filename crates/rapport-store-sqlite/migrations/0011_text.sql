-- Text analytics of what customers wrote (C6, rapport_core::text: the
-- comment and the free-text answers): written with the response by
-- ingestion, recomputed by `rapport text rebuild` (which also fills these
-- for responses stored before this migration). NULL sentiment = nothing
-- written (or not analysed yet). The inbox filters by them, newest first,
-- so each filter has an index ending in (at, id) like the lists' keyset.
-- Keep in step with the other backend's migration of the same number (the
-- schema test compares them).
ALTER TABLE responses ADD COLUMN sentiment REAL;
ALTER TABLE responses ADD COLUMN sentiment_label SMALLINT;
ALTER TABLE responses ADD COLUMN wow SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN anger SMALLINT NOT NULL DEFAULT 0;
-- The score's band (rapport_core::measure::band: 1 low, 2 middle, 3 high)
-- for NPS and CSAT, so that the inbox lists detractors or unhappy CSAT
-- answers by an index.
ALTER TABLE responses ADD COLUMN nps_band SMALLINT;
ALTER TABLE responses ADD COLUMN csat_band SMALLINT;
CREATE INDEX responses_sentiment ON responses (org_id, sentiment_label, at, id);
CREATE INDEX responses_nps_band ON responses (org_id, nps_band, at, id);
CREATE INDEX responses_csat_band ON responses (org_id, csat_band, at, id);
CREATE INDEX responses_wow ON responses (org_id, at, id) WHERE wow = 1;
CREATE INDEX responses_anger ON responses (org_id, at, id) WHERE anger = 1;
CREATE INDEX responses_written ON responses (org_id, at, id) WHERE sentiment_label IS NOT NULL;

-- Full-text search over comments (rapport_core::text::search): the words
-- folded and stemmed in English and Spanish, written by ingestion and the
-- rebuild, NULL without a comment (erasure clears it). SQLite indexes it in
-- an FTS5 table over this column, kept by triggers (PostgreSQL: a GIN
-- index); the schema test leaves both out (see tests/schema.rs).
ALTER TABLE responses ADD COLUMN search_terms TEXT;
CREATE VIRTUAL TABLE responses_fts USING fts5(
    search_terms, content = 'responses', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER responses_fts_insert AFTER INSERT ON responses WHEN new.search_terms IS NOT NULL BEGIN
    INSERT INTO responses_fts (rowid, search_terms) VALUES (new.id, new.search_terms);
END;
CREATE TRIGGER responses_fts_delete AFTER DELETE ON responses WHEN old.search_terms IS NOT NULL BEGIN
    INSERT INTO responses_fts (responses_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
END;
CREATE TRIGGER responses_fts_update AFTER UPDATE OF search_terms ON responses BEGIN
    INSERT INTO responses_fts (responses_fts, rowid, search_terms)
        SELECT 'delete', old.id, old.search_terms WHERE old.search_terms IS NOT NULL;
    INSERT INTO responses_fts (rowid, search_terms)
        SELECT new.id, new.search_terms WHERE new.search_terms IS NOT NULL;
END;

-- Themes an admin defines (rapport_core::text::ThemeDef), keywords as JSON
-- arrays; which commented responses mention each (written with the
-- response by ingestion and the rebuild; erasure removes them), and per
-- theme, touchpoint and day how many did and their sentiment's sum, kept
-- by the same writes, so a theme table over any period reads a few rows a
-- day whatever the number of responses.
CREATE TABLE text_themes (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    keywords_en TEXT NOT NULL,
    keywords_es TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (org_id, name)
);
CREATE TABLE response_themes (
    org_id INTEGER NOT NULL,
    theme_id INTEGER NOT NULL REFERENCES text_themes (id) ON DELETE CASCADE,
    response_id INTEGER NOT NULL REFERENCES responses (id),
    PRIMARY KEY (theme_id, response_id)
) WITHOUT ROWID;
CREATE INDEX response_themes_response ON response_themes (response_id);
CREATE TABLE theme_days (
    org_id INTEGER NOT NULL,
    theme_id INTEGER NOT NULL REFERENCES text_themes (id) ON DELETE CASCADE,
    touchpoint_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    n INTEGER NOT NULL,
    sentiment_sum REAL NOT NULL,
    PRIMARY KEY (org_id, theme_id, touchpoint_id, day)
) WITHOUT ROWID;

-- The comments' sentiment per touchpoint and day (scores in thousandths:
-- n, their sum and sum of squares, so a mean's interval comes from the
-- rollup), kept by the same writes as theme_days: the dashboard's
-- sentiment trend reads a row per touchpoint and day.
CREATE TABLE sentiment_days (
    org_id INTEGER NOT NULL,
    touchpoint_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    n INTEGER NOT NULL,
    total INTEGER NOT NULL,
    total_sq INTEGER NOT NULL,
    PRIMARY KEY (org_id, touchpoint_id, day)
) WITHOUT ROWID;

-- Themes a person put on a response by hand (the inbox's "tag"): the inbox
-- filters by them as by the keyword matches; the theme table counts only
-- the matches. Erasure removes them with the comment.
CREATE TABLE response_tags (
    org_id INTEGER NOT NULL,
    theme_id INTEGER NOT NULL REFERENCES text_themes (id) ON DELETE CASCADE,
    response_id INTEGER NOT NULL REFERENCES responses (id),
    tagged_by TEXT NOT NULL,
    tagged_at TEXT NOT NULL,
    PRIMARY KEY (theme_id, response_id)
) WITHOUT ROWID;
CREATE INDEX response_tags_response ON response_tags (response_id);
