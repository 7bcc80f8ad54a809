-- Behaviour rollups on SQLite (see rapport_core::measure::behaviour): rows
-- whose sums over a range of days give the distinct customers of any window,
-- so the behaviour rates never group raw activity per customer. Kept by the
-- writes that change activity, in their transaction; segment and touchpoint
-- filters still read `activity`. Keep in step with the PostgreSQL migration of
-- the same number (the schema test compares them).

-- One row per (family, day, previous day of the same family) with the number
-- of customers; '0001-01-01' is "no previous day".
CREATE TABLE behaviour_days (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    family TEXT NOT NULL,
    day TEXT NOT NULL,
    prev_day TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, family, day, prev_day)
) WITHOUT ROWID;

-- One row per (span, start, end) with the number of customers: 'repeat' is
-- first purchase to the day purchases reach two, 'tenure' first activity to
-- first cancellation or non-renewal; '9999-12-31' is "not yet".
CREATE TABLE behaviour_spans (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    span TEXT NOT NULL,
    start_day TEXT NOT NULL,
    end_day TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, span, start_day, end_day)
) WITHOUT ROWID;

-- Existing activity, turned into the same rows the writes keep from now on.
INSERT INTO behaviour_days (org_id, family, day, prev_day, n)
SELECT org_id, family, day, prev_day, COUNT(*) FROM (
    SELECT org_id, family, day,
           COALESCE(LAG(day) OVER (PARTITION BY customer_id, family ORDER BY day), '0001-01-01') AS prev_day
    FROM (
        SELECT DISTINCT org_id, customer_id, 'any' AS family, day FROM activity WHERE n > 0
        UNION SELECT DISTINCT org_id, customer_id, 'purchase', day FROM activity WHERE kind = 'purchase' AND n > 0
        UNION SELECT DISTINCT org_id, customer_id, 'referral', day FROM activity WHERE kind = 'referral' AND n > 0
    ) d
) x GROUP BY org_id, family, day, prev_day;

INSERT INTO behaviour_spans (org_id, span, start_day, end_day, n)
SELECT org_id, 'repeat', first_day, second_day, COUNT(*) FROM (
    SELECT org_id, customer_id, MIN(day) AS first_day,
           COALESCE(MIN(CASE WHEN cum >= 2 THEN day END), '9999-12-31') AS second_day
    FROM (
        SELECT org_id, customer_id, day, SUM(k) OVER (PARTITION BY customer_id ORDER BY day) AS cum
        FROM (SELECT org_id, customer_id, day, SUM(n) AS k FROM activity
              WHERE kind = 'purchase' AND n > 0 GROUP BY org_id, customer_id, day) p
    ) c GROUP BY org_id, customer_id
) s GROUP BY org_id, first_day, second_day;

INSERT INTO behaviour_spans (org_id, span, start_day, end_day, n)
SELECT org_id, 'tenure', first_day, left_day, COUNT(*) FROM (
    SELECT org_id, customer_id, MIN(day) AS first_day,
           COALESCE(MIN(CASE WHEN kind IN ('cancellation', 'non_renewal') THEN day END), '9999-12-31') AS left_day
    FROM activity WHERE n > 0 GROUP BY org_id, customer_id
) t GROUP BY org_id, first_day, left_day;
