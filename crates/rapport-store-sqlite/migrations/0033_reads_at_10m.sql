-- The closed-loop figures (the dashboard's panel, the API and the
-- diagnostic's evidence) count every case opened in a period, grouped:
-- about 120,000 over 90 days at 10 million responses. With the columns
-- they group by in the index, that is one range of the index instead of a
-- table lookup per case (981 ms p95 there before).
-- Keep in step with the PostgreSQL migration of the same number.
DROP INDEX cases_opened;
CREATE INDEX cases_opened ON cases (
    org_id, opened_at, touchpoint_id, assignee_id, detractor, first_response_due, first_responded_at
);

-- An account's notifications, newest first, and its unread ones, with the
-- organization first: without it, SQLite chose the organization's index
-- and read every notification of the organization to list one account's
-- (313 ms at 10 million responses, linear in the organization's size).
DROP INDEX notifications_user;
DROP INDEX notifications_unread;
DROP INDEX notifications_org;
CREATE INDEX notifications_user ON notifications (org_id, user_id, id);
CREATE INDEX notifications_unread ON notifications (org_id, user_id) WHERE read_at IS NULL;

-- A touchpoint's page shows its latest WOW moments and angry comments. The
-- flags' indexes are per organization: for a touchpoint with none of them,
-- finding that out read every flagged row (3.3 s at a million responses).
-- These hold the flagged rows alone, so they are small.
CREATE INDEX responses_touchpoint_wow ON responses (org_id, touchpoint_id, at, id) WHERE wow = 1;
CREATE INDEX responses_touchpoint_anger ON responses (org_id, touchpoint_id, at, id) WHERE anger = 1;
