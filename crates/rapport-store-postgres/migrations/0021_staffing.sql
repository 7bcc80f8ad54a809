-- PostgreSQL: contact-centre staffing (E5). Keep in step with the SQLite
-- migration of the same number.
--
-- event_hours: events per touchpoint and UTC hour, kept by ingestion in its
-- transaction (sql/staffing.rs, called from the events' tally) and recounted
-- by `rapport rollups rebuild`; the week table of staffing reads it, never
-- the events.
CREATE TABLE event_hours (
    org_id BIGINT NOT NULL,
    touchpoint_id BIGINT NOT NULL,
    hour_start TIMESTAMPTZ NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, touchpoint_id, hour_start)
);

INSERT INTO event_hours (org_id, touchpoint_id, hour_start, n)
SELECT org_id, touchpoint_id, date_trunc('hour', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', COUNT(*)
FROM events WHERE touchpoint_id IS NOT NULL
GROUP BY org_id, touchpoint_id, date_trunc('hour', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';

-- A touchpoint answered as a contact channel: its targets (Erlang C).
CREATE TABLE staffing_settings (
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    touchpoint_id BIGINT NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    handle_seconds DOUBLE PRECISION NOT NULL,
    service_level DOUBLE PRECISION NOT NULL,
    answer_seconds DOUBLE PRECISION NOT NULL,
    shrinkage DOUBLE PRECISION NOT NULL,
    max_occupancy DOUBLE PRECISION NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, touchpoint_id)
);

-- Agents scheduled per weekday (0 = Monday) and local hour; absent = 0.
CREATE TABLE staffing_schedule (
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    touchpoint_id BIGINT NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    weekday BIGINT NOT NULL,
    hour BIGINT NOT NULL,
    agents BIGINT NOT NULL,
    PRIMARY KEY (org_id, touchpoint_id, weekday, hour)
);
-- The whole key after the touchpoint, so that a page of the table export
-- reads in order (the cascade from a touchpoint needs the leading column).
CREATE INDEX staffing_schedule_touchpoint ON staffing_schedule (touchpoint_id, weekday, hour);
CREATE INDEX staffing_settings_touchpoint ON staffing_settings (touchpoint_id);
