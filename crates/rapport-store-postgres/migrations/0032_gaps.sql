-- PostgreSQL: F3. Gap analysis: which gap of an experience became which
-- idea or sprint, so the gap shows it and a second click makes nothing
-- new. Keep in step with the SQLite migration of the same number.

-- segment_id 0: the gap for everyone (not a segment row).
CREATE TABLE gap_links (
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    experience_id BIGINT NOT NULL REFERENCES experiences (id) ON DELETE CASCADE,
    touchpoint_id BIGINT NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    metric TEXT NOT NULL,
    segment_id BIGINT NOT NULL,
    idea_id BIGINT REFERENCES ideas (id) ON DELETE SET NULL,
    sprint_id BIGINT REFERENCES sprints (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, experience_id, touchpoint_id, metric, segment_id)
);
