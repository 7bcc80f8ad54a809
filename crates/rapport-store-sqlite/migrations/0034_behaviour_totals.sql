-- A behaviour window's distinct customers were the sum of `n` over the
-- rows of `behaviour_days` with the day in the window and the previous day
-- before it: every row of every day of the window, one per previous day a
-- customer could have had. Those grow with the history (up to one per day
-- of it), so a month's window read about 7,000 rows at a million responses
-- and would read about 22,000 at ten million.
--
-- The same sum is the day's total less the rows whose previous day is also
-- in the window: per day of the window, one total and a range of at most
-- the window's length (see rapport-store's `sql/behaviour.rs`). The totals
-- are kept here, per family and day (`kind` a family's key) and per span
-- and start day (`kind` a span's key): the sum of `n` over the other
-- columns, by the same writes in the same transaction.
-- Keep in step with the PostgreSQL migration of the same number.
CREATE TABLE behaviour_totals (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    segment_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, segment_id, kind, day)
) WITHOUT ROWID;

-- The rows the writes would have kept, from the rows there.
INSERT INTO behaviour_totals (org_id, segment_id, kind, day, n)
SELECT org_id, segment_id, family, day, SUM(n) FROM behaviour_days
GROUP BY org_id, segment_id, family, day;
INSERT INTO behaviour_totals (org_id, segment_id, kind, day, n)
SELECT org_id, segment_id, span, start_day, SUM(n) FROM behaviour_spans
GROUP BY org_id, segment_id, span, start_day;

-- The same for the perfect behaviours' rows, per behaviour, part and day.
CREATE TABLE perfect_behaviour_totals (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    behaviour_id INTEGER NOT NULL REFERENCES perfect_behaviours (id) ON DELETE CASCADE,
    part TEXT NOT NULL,
    day TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (behaviour_id, part, day)
) WITHOUT ROWID;
INSERT INTO perfect_behaviour_totals (org_id, behaviour_id, part, day, n)
SELECT org_id, behaviour_id, part, day, SUM(n) FROM perfect_behaviour_days
GROUP BY org_id, behaviour_id, part, day;
