-- The inbox filters by channel and by language. Without an index leading
-- with either, a value that few responses have (a new channel, the second
-- language of a mostly English company) was looked for along every
-- response: at 10 million responses `channel=sms` (no such response)
-- answered after the 30-second limit on SQLite and in 5.5 s on
-- PostgreSQL, and `touchpoint=1&channel=chat` (6,000 chats) took 5 s there.
-- Each index ends with the inbox's order (`at`, `id`), as the others do.
-- Keep in step with the PostgreSQL migration of the same number.
CREATE INDEX responses_channel ON responses (org_id, channel, at, id);
CREATE INDEX responses_language ON responses (org_id, language, at, id);
