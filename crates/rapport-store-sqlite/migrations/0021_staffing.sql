-- SQLite: contact-centre staffing (E5). Keep in step with the PostgreSQL
-- migration of the same number.
--
-- event_hours: events per touchpoint and UTC hour, kept by ingestion in its
-- transaction (sql/staffing.rs, called from the events' tally) and recounted
-- by `rapport rollups rebuild`; the week table of staffing reads it, never
-- the events. hour_start is written as sqlx writes a UTC time
-- ("2026-01-05T09:00:00+00:00"), so the backfill below matches it.
CREATE TABLE event_hours (
    org_id INTEGER NOT NULL,
    touchpoint_id INTEGER NOT NULL,
    hour_start TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, touchpoint_id, hour_start)
) WITHOUT ROWID;

INSERT INTO event_hours (org_id, touchpoint_id, hour_start, n)
SELECT org_id, touchpoint_id, strftime('%Y-%m-%dT%H:00:00+00:00', at), COUNT(*)
FROM events WHERE touchpoint_id IS NOT NULL
GROUP BY org_id, touchpoint_id, strftime('%Y-%m-%dT%H:00:00+00:00', at);

-- A touchpoint answered as a contact channel: its targets (Erlang C).
CREATE TABLE staffing_settings (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    handle_seconds REAL NOT NULL,
    service_level REAL NOT NULL,
    answer_seconds REAL NOT NULL,
    shrinkage REAL NOT NULL,
    max_occupancy REAL NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, touchpoint_id)
);

-- Agents scheduled per weekday (0 = Monday) and local hour; absent = 0.
CREATE TABLE staffing_schedule (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    weekday INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    agents INTEGER NOT NULL,
    PRIMARY KEY (org_id, touchpoint_id, weekday, hour)
);
-- The whole key after the touchpoint, so that a page of the table export
-- reads in order (the cascade from a touchpoint needs the leading column).
CREATE INDEX staffing_schedule_touchpoint ON staffing_schedule (touchpoint_id, weekday, hour);
CREATE INDEX staffing_settings_touchpoint ON staffing_settings (touchpoint_id);
