-- D2. The case queue: priority, tags, default owner, history keys.
-- PostgreSQL. Keep in step with the SQLite migration of the same number
-- (the schema test compares them).

-- A case's triage: its priority (low, normal, high, urgent), its tags
-- (normalised, comma-separated; `case_tags` indexes them), which routing
-- step gave it its assignee (rapport_core::case::triage::AssignmentReason;
-- NULL before this migration), and whether a detractor's response opened
-- it (the closed-loop rate's cases).
ALTER TABLE cases ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
ALTER TABLE cases ADD COLUMN tags TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN assignment_reason TEXT;
ALTER TABLE cases ADD COLUMN detractor BOOLEAN NOT NULL DEFAULT FALSE;

-- What a case rule gives the cases it opens.
ALTER TABLE case_rules ADD COLUMN priority TEXT;
ALTER TABLE case_rules ADD COLUMN tags TEXT NOT NULL DEFAULT '';

-- Cases opened by a rule from a response in the detractor band (NPS 0-6,
-- CSAT 1-2: band 1) are detractor cases.
UPDATE cases SET detractor = TRUE WHERE rule_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM case_items i JOIN responses r ON r.id = i.item_id
    WHERE i.case_id = cases.id AND i.kind = 'response' AND (r.nps_band = 1 OR r.csat_band = 1)
);

-- The tag filter: a tag's cases by key.
CREATE TABLE case_tags (
    org_id BIGINT NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (case_id, tag)
);
CREATE INDEX case_tags_tag ON case_tags (org_id, tag, case_id);

-- The words of each case's title (rapport_core::customer_search::terms),
-- written when the case opens; a search word is a range of the key.
CREATE TABLE case_terms (
    org_id BIGINT NOT NULL,
    term TEXT COLLATE "C" NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    PRIMARY KEY (org_id, term, case_id)
);
CREATE INDEX case_terms_case ON case_terms (case_id);
-- The titles of cases already open, split on spaces and common punctuation.
WITH RECURSIVE split (org_id, case_id, rest, word) AS (
    SELECT org_id, id,
           lower(replace(replace(replace(replace(replace(replace(title, ',', ' '), '.', ' '), ':', ' '), '!', ' '), '?', ' '), '-', ' ')) || CAST(' ' AS TEXT),
           CAST('' AS TEXT)
    FROM cases
    UNION ALL
    SELECT org_id, case_id, substr(rest, strpos(rest, ' ') + 1), substr(rest, 1, strpos(rest, ' ') - 1)
    FROM split WHERE rest <> ''
)
INSERT INTO case_terms (org_id, term, case_id)
SELECT DISTINCT org_id, substr(word, 1, 40), case_id FROM split WHERE word <> '';

-- The organization's default queue owner: who gets a case nobody else
-- would (rapport_core::case::routing).
CREATE TABLE case_queue_settings (
    org_id BIGINT PRIMARY KEY REFERENCES organizations (id),
    default_owner_id BIGINT REFERENCES people (id) ON DELETE SET NULL
);

-- The queue filtered by priority or touchpoint, in the queue's order, so
-- that a page is an index range.
CREATE INDEX cases_priority_queue ON cases (
    org_id,
    priority,
    (CASE WHEN status = 'open' THEN 0 ELSE 1 END),
    (CASE WHEN first_responded_at IS NULL THEN first_response_due ELSE resolution_due END),
    id
);
CREATE INDEX cases_touchpoint_queue ON cases (
    org_id,
    touchpoint_id,
    (CASE WHEN status = 'open' THEN 0 ELSE 1 END),
    (CASE WHEN first_responded_at IS NULL THEN first_response_due ELSE resolution_due END),
    id
);
-- The closed-loop figures read the cases opened in a period.
CREATE INDEX cases_opened ON cases (org_id, opened_at);
