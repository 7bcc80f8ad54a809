-- A theme's comments at one touchpoint (the theme table's link when a
-- touchpoint is chosen) or of one sentiment ("negative comments about
-- delivery") were found by walking the organization's responses there, or
-- of that sentiment, in time order and checking each for the theme. When
-- the two rarely meet, that walk is long: at 10 million responses a theme
-- with 306,073 mentions, 28 of them negative, took 4.7 s on PostgreSQL
-- and 2.0 s on SQLite for a page of 50.
--
-- Each mention now holds its response's touchpoint (which never changes)
-- and sentiment (written with the mention; a changed sentiment untags and
-- retags the response), so these indexes list a theme's responses at a
-- touchpoint or of a sentiment, and a small such set is looked up by id.
-- Keep in step with the SQLite migration of the same number.
ALTER TABLE response_themes ADD COLUMN touchpoint_id BIGINT;
ALTER TABLE response_themes ADD COLUMN sentiment_label SMALLINT;
UPDATE response_themes rt SET touchpoint_id = r.touchpoint_id, sentiment_label = r.sentiment_label
FROM responses r WHERE r.id = rt.response_id;
-- The theme leads, as in the primary key: led by org_id, an index let
-- SQLite (which has no statistics) read a response's themes, ordered by
-- theme, along all the organization's mentions (10M: 2.8 ms -> 124 ms for
-- a response's page). org_id is kept in the index for the sets' check.
CREATE INDEX response_themes_touchpoint
    ON response_themes (theme_id, touchpoint_id, sentiment_label, org_id, response_id);
CREATE INDEX response_themes_sentiment ON response_themes (theme_id, sentiment_label, org_id, response_id);
