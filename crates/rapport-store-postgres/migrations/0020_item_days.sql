-- PostgreSQL: a survey's numeric items per day (each score, matrix row,
-- slider and number: rapport_core::measure::items), kept by ingestion in
-- its transaction like the score rollups, so a survey's results read a row
-- per item and day. Keyed by day before item: a period is one key range.
-- Keep in step with the SQLite migration of the same number.
CREATE TABLE item_days (
    org_id BIGINT NOT NULL,
    survey_id BIGINT NOT NULL,
    day DATE NOT NULL,
    item TEXT NOT NULL,
    n BIGINT NOT NULL,
    total DOUBLE PRECISION NOT NULL,
    total_sq DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (org_id, survey_id, day, item)
);
