-- The tenure edges (rapport_core::measure::behaviour::Span::TenureStart and
-- TenureEnd): customers active when a window starts are read as the
-- tenures begun before it less those ended before it, two sums over a row
-- per day, instead of the tenure spans (a row per customer and first day).
-- Existing tenure spans give their edges here; writes keep them from now on.
-- Churned customers are read from the tenures ending in the window, by the
-- index below. Keep in step with the other backend's migration of the same
-- number (the schema test compares them).
INSERT INTO behaviour_spans (org_id, segment_id, span, start_day, end_day, n)
SELECT org_id, segment_id, 'tenure_start', start_day, DATE '9999-12-31', SUM(n)
FROM behaviour_spans WHERE span = 'tenure'
GROUP BY org_id, segment_id, start_day
HAVING SUM(n) <> 0;

INSERT INTO behaviour_spans (org_id, segment_id, span, start_day, end_day, n)
SELECT org_id, segment_id, 'tenure_end', end_day, DATE '9999-12-31', SUM(n)
FROM behaviour_spans WHERE span = 'tenure' AND end_day <> DATE '9999-12-31'
GROUP BY org_id, segment_id, end_day
HAVING SUM(n) <> 0;

CREATE INDEX behaviour_spans_end ON behaviour_spans (org_id, segment_id, span, end_day);
