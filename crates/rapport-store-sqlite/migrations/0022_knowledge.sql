-- SQLite: the knowledge base (E2; see rapport_core::people::knowledge and
-- the store's sql/knowledge.rs). Keep in step with the PostgreSQL
-- migration of the same number (the schema test compares them).

-- An article holds its current version's text (a copy of its latest
-- kb_versions row), its search terms and its kept counters: helpful marks,
-- outdated marks on the current version, uses from a case.
CREATE TABLE kb_articles (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    title_en TEXT,
    body_en TEXT,
    title_es TEXT,
    body_es TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT,
    search_terms TEXT,
    title_terms TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    outdated INTEGER NOT NULL,
    uses INTEGER NOT NULL
);
CREATE INDEX kb_articles_rank ON kb_articles (org_id, helpful, id);
CREATE INDEX kb_articles_uses ON kb_articles (org_id, uses);

-- Full-text search over the articles' terms (stems of both languages),
-- as for comments (0011): an FTS5 table kept by triggers.
CREATE VIRTUAL TABLE kb_articles_fts USING fts5(
    search_terms, content = 'kb_articles', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER kb_articles_fts_insert AFTER INSERT ON kb_articles WHEN new.search_terms IS NOT NULL BEGIN
    INSERT INTO kb_articles_fts (rowid, search_terms) VALUES (new.id, new.search_terms);
END;
CREATE TRIGGER kb_articles_fts_delete AFTER DELETE ON kb_articles WHEN old.search_terms IS NOT NULL BEGIN
    INSERT INTO kb_articles_fts (kb_articles_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
END;
CREATE TRIGGER kb_articles_fts_update AFTER UPDATE OF search_terms ON kb_articles BEGIN
    INSERT INTO kb_articles_fts (kb_articles_fts, rowid, search_terms)
        SELECT 'delete', old.id, old.search_terms WHERE old.search_terms IS NOT NULL;
    INSERT INTO kb_articles_fts (rowid, search_terms)
        SELECT new.id, new.search_terms WHERE new.search_terms IS NOT NULL;
END;

-- Every version as written. author_person_id has no foreign key: a version
-- outlives its author; author keeps the name shown.
CREATE TABLE kb_versions (
    org_id INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title_en TEXT,
    body_en TEXT,
    title_es TEXT,
    body_es TEXT,
    author TEXT NOT NULL,
    author_person_id INTEGER,
    written_at TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- Links (of the article, not of a version); removed with what they name.
CREATE TABLE kb_article_touchpoints (
    org_id INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, touchpoint_id)
);
CREATE INDEX kb_article_touchpoints_touchpoint ON kb_article_touchpoints (org_id, touchpoint_id);

CREATE TABLE kb_article_root_causes (
    org_id INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    root_cause_id INTEGER NOT NULL REFERENCES root_causes (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, root_cause_id)
);
CREATE INDEX kb_article_root_causes_cause ON kb_article_root_causes (org_id, root_cause_id);

CREATE TABLE kb_article_case_rules (
    org_id INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    case_rule_id INTEGER NOT NULL REFERENCES case_rules (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, case_rule_id)
);
CREATE INDEX kb_article_case_rules_rule ON kb_article_case_rules (org_id, case_rule_id);

-- One mark per account (`user:ID`, `token:ID`) per article, on a version.
CREATE TABLE kb_marks (
    org_id INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    account TEXT NOT NULL,
    mark TEXT NOT NULL,
    note TEXT,
    version INTEGER NOT NULL,
    marked_at TEXT NOT NULL,
    PRIMARY KEY (article_id, account)
);
