-- SQLite: what lists that scale need (keyset paging and totals that do not
-- scan). Keep in step with the PostgreSQL migration of the same number (the
-- schema test compares them).

-- Kept counts of the rows of the lists that grow with the business
-- (kind: responses, events, customers), maintained by every write that adds
-- or removes one, in its transaction: a list's total is one row read.
CREATE TABLE row_counts (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, kind)
) WITHOUT ROWID;

INSERT INTO row_counts (org_id, kind, n) SELECT org_id, 'responses', COUNT(*) FROM responses GROUP BY org_id;
INSERT INTO row_counts (org_id, kind, n) SELECT org_id, 'events', COUNT(*) FROM events GROUP BY org_id;
INSERT INTO row_counts (org_id, kind, n) SELECT org_id, 'customers', COUNT(*) FROM customers GROUP BY org_id;

-- Ideas are listed newest first, a page at a time.
CREATE INDEX ideas_org_created ON ideas (org_id, created_at, id);
