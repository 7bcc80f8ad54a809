-- PostgreSQL: the customer search index (see the store's sql/customer_terms.rs
-- and rapport_core::customer_search). Keep in step with the SQLite
-- migration of the same number (the schema test compares them).

-- Each customer's words (of the external id, name and e-mail, lower-cased),
-- rewritten by every write that creates or changes the customer; a search
-- word is a range of the key. Byte order, so that a range is exactly the
-- words with a prefix.
CREATE TABLE customer_terms (
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    term TEXT COLLATE "C" NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (org_id, term, customer_id)
);
CREATE INDEX customer_terms_customer ON customer_terms (customer_id);

-- Words are split by the application, not in SQL: organizations with
-- customers already are searched by scanning until `rapport rollups
-- rebuild` has indexed them (it clears this mark).
INSERT INTO row_counts (org_id, kind, n)
SELECT org_id, 'customer_terms_missing', 1 FROM customers GROUP BY org_id;
