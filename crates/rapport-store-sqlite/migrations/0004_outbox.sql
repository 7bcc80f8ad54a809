-- The outbox on SQLite: outgoing webhooks, events to deliver, deliveries.
-- Keep in step with the PostgreSQL migration of the same number.

-- Outgoing webhooks. `events` is a JSON array of event names (["*"] = all);
-- `secret` signs every body (HMAC-SHA256) and is never read back by the API.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    format TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX webhooks_org ON webhooks (org_id);

-- Events to deliver, written in the transaction of the change they announce
-- (a contract: other writers INSERT (org_id, event, payload, created_at)).
-- `payload` is JSON. The dispatcher fans each out to deliveries once.
CREATE TABLE outbox_events (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    fanned_out_at TEXT
);
CREATE INDEX outbox_events_pending ON outbox_events (id) WHERE fanned_out_at IS NULL;

-- One event to one receiver (a webhook or an e-mail address), with its
-- retries. `locked_until` is the lease of the server sending it.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    event_id INTEGER NOT NULL REFERENCES outbox_events (id),
    channel TEXT NOT NULL,
    webhook_id INTEGER REFERENCES webhooks (id) ON DELETE CASCADE,
    recipient TEXT,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    locked_until TEXT,
    delivered_at TEXT,
    gave_up_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX deliveries_org_webhook ON deliveries (org_id, webhook_id, id);
CREATE INDEX deliveries_event ON deliveries (event_id);
