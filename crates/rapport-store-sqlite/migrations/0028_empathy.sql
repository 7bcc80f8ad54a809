-- A6. Empathy maps per touchpoint, one row per version.
-- Keep in step with the PostgreSQL migration of the same number.

-- segment_id 0 is the touchpoint's general map; entries is JSON
-- ([{quadrant, text, evidence: {kind, id} | null}]); is_current marks each
-- map's newest version (written under the organization's lock).
CREATE TABLE empathy_maps (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    segment_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    is_current SMALLINT NOT NULL,
    entries TEXT NOT NULL,
    entry_count INTEGER NOT NULL,
    evidence_count INTEGER NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX empathy_maps_version ON empathy_maps (org_id, touchpoint_id, segment_id, version);
CREATE INDEX empathy_maps_current ON empathy_maps (org_id, segment_id, touchpoint_id) WHERE is_current = 1;

-- A touchpoint's latest comments (the map's suggestions) in one index
-- range, however many responses have no comment.
CREATE INDEX responses_touchpoint_comments ON responses (org_id, touchpoint_id, at, id) WHERE comment IS NOT NULL;
