-- PostgreSQL: the working calendar's time zone, an IANA name such as
-- 'Europe/Madrid' (rapport_core::calendar), replaces its fixed UTC offset.
-- Keep in step with the SQLite migration of the same number (the schema test
-- compares them).
--
-- A calendar saved with an offset keeps computing as it did: it gets the
-- fixed-offset zone of that offset ('UTC-05:00', 'UTC+05:30'; 0 is 'UTC').
ALTER TABLE work_calendars ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';

UPDATE work_calendars
SET time_zone = 'UTC'
    || CASE WHEN utc_offset_minutes < 0 THEN '-' ELSE '+' END
    || lpad((abs(utc_offset_minutes) / 60)::text, 2, '0')
    || ':'
    || lpad((abs(utc_offset_minutes) % 60)::text, 2, '0')
WHERE utc_offset_minutes <> 0;

ALTER TABLE work_calendars DROP COLUMN utc_offset_minutes;
