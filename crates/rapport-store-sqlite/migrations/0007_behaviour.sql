-- Behaviour rollups on SQLite (see rapport_core::measure::behaviour): rows
-- whose sums over a range of days give the distinct customers of any window,
-- so the behaviour rates never group raw activity per customer. Kept by the
-- writes that change activity or segment membership, in their transaction,
-- per segment (0: everyone) as the score rollups are; a touchpoint filter
-- still reads `activity`. Keep in step with the PostgreSQL migration of
-- the same number (the schema test compares them).

-- One row per (family, day, previous day of the same family) with the number
-- of customers; '0001-01-01' is "no previous day".
CREATE TABLE behaviour_days (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    segment_id INTEGER NOT NULL,
    family TEXT NOT NULL,
    day TEXT NOT NULL,
    prev_day TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, segment_id, family, day, prev_day)
) WITHOUT ROWID;

-- One row per (span, start, end) with the number of customers: 'repeat' is
-- first purchase to the day purchases reach two, 'tenure' first activity to
-- first cancellation or non-renewal; '9999-12-31' is "not yet".
CREATE TABLE behaviour_spans (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    segment_id INTEGER NOT NULL,
    span TEXT NOT NULL,
    start_day TEXT NOT NULL,
    end_day TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, segment_id, span, start_day, end_day)
) WITHOUT ROWID;

-- Existing activity, turned into the same rows the writes keep from now on:
-- each customer's rows counted for everyone (segment 0) and for each of the
-- segments the customer is a member of.
INSERT INTO behaviour_days (org_id, segment_id, family, day, prev_day, n)
SELECT x.org_id, g.segment_id, x.family, x.day, x.prev_day, COUNT(*) FROM (
    SELECT org_id, customer_id, family, day,
           COALESCE(LAG(day) OVER (PARTITION BY customer_id, family ORDER BY day), '0001-01-01') AS prev_day
    FROM (
        SELECT DISTINCT org_id, customer_id, 'any' AS family, day FROM activity WHERE n > 0
        UNION SELECT DISTINCT org_id, customer_id, 'purchase', day FROM activity WHERE kind = 'purchase' AND n > 0
        UNION SELECT DISTINCT org_id, customer_id, 'referral', day FROM activity WHERE kind = 'referral' AND n > 0
    ) d
) x JOIN (
    SELECT id AS customer_id, 0 AS segment_id FROM customers
    UNION ALL SELECT customer_id, segment_id FROM segment_members
) g ON g.customer_id = x.customer_id
GROUP BY x.org_id, g.segment_id, x.family, x.day, x.prev_day;

INSERT INTO behaviour_spans (org_id, segment_id, span, start_day, end_day, n)
SELECT s.org_id, g.segment_id, 'repeat', s.first_day, s.second_day, COUNT(*) FROM (
    SELECT org_id, customer_id, MIN(day) AS first_day,
           COALESCE(MIN(CASE WHEN cum >= 2 THEN day END), '9999-12-31') AS second_day
    FROM (
        SELECT org_id, customer_id, day, SUM(k) OVER (PARTITION BY customer_id ORDER BY day) AS cum
        FROM (SELECT org_id, customer_id, day, SUM(n) AS k FROM activity
              WHERE kind = 'purchase' AND n > 0 GROUP BY org_id, customer_id, day) p
    ) c GROUP BY org_id, customer_id
) s JOIN (
    SELECT id AS customer_id, 0 AS segment_id FROM customers
    UNION ALL SELECT customer_id, segment_id FROM segment_members
) g ON g.customer_id = s.customer_id
GROUP BY s.org_id, g.segment_id, s.first_day, s.second_day;

INSERT INTO behaviour_spans (org_id, segment_id, span, start_day, end_day, n)
SELECT t.org_id, g.segment_id, 'tenure', t.first_day, t.left_day, COUNT(*) FROM (
    SELECT org_id, customer_id, MIN(day) AS first_day,
           COALESCE(MIN(CASE WHEN kind IN ('cancellation', 'non_renewal') THEN day END), '9999-12-31') AS left_day
    FROM activity WHERE n > 0 GROUP BY org_id, customer_id
) t JOIN (
    SELECT id AS customer_id, 0 AS segment_id FROM customers
    UNION ALL SELECT customer_id, segment_id FROM segment_members
) g ON g.customer_id = t.customer_id
GROUP BY t.org_id, g.segment_id, t.first_day, t.left_day;
