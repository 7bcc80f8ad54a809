-- SQLite: what the screens that were still slow at a million responses
-- read instead of scanning. Keep in step with the PostgreSQL migration of
-- the same number (the schema test compares them).

-- Each customer's whole activity in one row, as `day kind touchpoint n`
-- items (the `activity` rows, touchpoint 0: none), kept by every write
-- that changes `activity`, in its transaction. Ingestion reads a batch's
-- histories here by key, and the behaviour rates of an experience or a
-- touchpoint read a sample of customers from here: `sample` is a fixed
-- hash of the customer's id in 0..4096, and the customers below a
-- threshold are the sample, one index range whatever the number of
-- customers.
CREATE TABLE activity_histories (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    customer_id INTEGER NOT NULL PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    sample INTEGER NOT NULL,
    history TEXT NOT NULL
);
INSERT INTO activity_histories (org_id, customer_id, sample, history)
SELECT org_id, customer_id, (customer_id * 2654435761) % 4096,
       string_agg(CAST(day AS TEXT) || ' ' || kind || ' ' || CAST(touchpoint_id AS TEXT) || ' ' || CAST(n AS TEXT),
                  ',' ORDER BY day, kind, touchpoint_id)
FROM activity GROUP BY org_id, customer_id;
CREATE INDEX activity_histories_sample ON activity_histories (org_id, sample, customer_id);

-- Kept counts of each survey's responses and each segment's members (the
-- survey and segment lists showed them by counting every row).
INSERT INTO row_counts (org_id, kind, n)
SELECT org_id, 'survey:' || CAST(survey_id AS TEXT), COUNT(*) FROM responses
WHERE survey_id IS NOT NULL GROUP BY org_id, survey_id;
INSERT INTO row_counts (org_id, kind, n)
SELECT org_id, 'segment:' || CAST(segment_id AS TEXT), COUNT(*) FROM segment_members GROUP BY org_id, segment_id;

-- The case queue in its order (open first, then by the next promise due),
-- for everyone, per customer and per assignee, so a page of it is an index
-- range.
CREATE INDEX cases_queue ON cases (
    org_id,
    (CASE WHEN status = 'open' THEN 0 ELSE 1 END),
    (CASE WHEN first_responded_at IS NULL THEN first_response_due ELSE resolution_due END),
    id
);
-- A customer's cases in the same order: with the queue's order on offer,
-- SQLite read the whole queue rather than the customer's few cases.
DROP INDEX cases_customer;
CREATE INDEX cases_customer ON cases (
    customer_id,
    (CASE WHEN status = 'open' THEN 0 ELSE 1 END),
    (CASE WHEN first_responded_at IS NULL THEN first_response_due ELSE resolution_due END),
    id
);
CREATE INDEX cases_assignee_queue ON cases (
    org_id,
    assignee_id,
    (CASE WHEN status = 'open' THEN 0 ELSE 1 END),
    (CASE WHEN first_responded_at IS NULL THEN first_response_due ELSE resolution_due END),
    id
);

-- The escalation watch reads only the promises not yet recorded as broken
-- (the old index held every open case, breached or not).
DROP INDEX cases_open_due;
CREATE INDEX cases_response_watch ON cases (first_response_due)
    WHERE status = 'open' AND first_responded_at IS NULL AND response_breached_at IS NULL;
CREATE INDEX cases_resolution_watch ON cases (resolution_due)
    WHERE status = 'open' AND resolution_breached_at IS NULL;
