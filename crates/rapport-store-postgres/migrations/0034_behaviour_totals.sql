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
-- Keep in step with the SQLite migration of the same number.
--
-- On SQLite these tables are WITHOUT ROWID: the primary key holds the
-- row, so a range of it reads `n` with it. Here the key pointed into the
-- heap, and every row of a range was fetched from there (100 weekly
-- windows of three sums: 388 ms at a million responses). With `n` in the
-- key's index (INCLUDE: not a key column, so uniqueness is unchanged) a
-- range is read from the index alone wherever vacuum has marked the pages
-- all-visible, which past days, rarely written again, are (190 ms for the
-- same read). The cost: an update of `n` is no longer heap-only (HOT), so
-- it writes an index entry too.
ALTER TABLE behaviour_days
    DROP CONSTRAINT behaviour_days_pkey,
    ADD CONSTRAINT behaviour_days_pkey PRIMARY KEY (org_id, segment_id, family, day, prev_day) INCLUDE (n);
ALTER TABLE behaviour_spans
    DROP CONSTRAINT behaviour_spans_pkey,
    ADD CONSTRAINT behaviour_spans_pkey PRIMARY KEY (org_id, segment_id, span, start_day, end_day) INCLUDE (n);
ALTER TABLE perfect_behaviour_days
    DROP CONSTRAINT perfect_behaviour_days_pkey,
    ADD CONSTRAINT perfect_behaviour_days_pkey PRIMARY KEY (behaviour_id, part, day, prev_day) INCLUDE (n);

CREATE TABLE behaviour_totals (
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    segment_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    day DATE NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, segment_id, kind, day) INCLUDE (n)
);

-- The rows the writes would have kept, from the rows there.
INSERT INTO behaviour_totals (org_id, segment_id, kind, day, n)
SELECT org_id, segment_id, family, day, SUM(n) FROM behaviour_days
GROUP BY org_id, segment_id, family, day;
INSERT INTO behaviour_totals (org_id, segment_id, kind, day, n)
SELECT org_id, segment_id, span, start_day, SUM(n) FROM behaviour_spans
GROUP BY org_id, segment_id, span, start_day;

-- The same for the perfect behaviours' rows, per behaviour, part and day.
CREATE TABLE perfect_behaviour_totals (
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    behaviour_id BIGINT NOT NULL REFERENCES perfect_behaviours (id) ON DELETE CASCADE,
    part TEXT NOT NULL,
    day DATE NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (behaviour_id, part, day) INCLUDE (n)
);
INSERT INTO perfect_behaviour_totals (org_id, behaviour_id, part, day, n)
SELECT org_id, behaviour_id, part, day, SUM(n) FROM perfect_behaviour_days
GROUP BY org_id, behaviour_id, part, day;
