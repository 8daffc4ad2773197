-- +goose Up
-- Raw webhook bodies live in their own table, as on SQLite (where an UPDATE
-- rewrites the whole row): status changes never touch the body.
CREATE TABLE webhook_event_bodies (
    event_id BIGINT PRIMARY KEY REFERENCES webhook_events (id) ON DELETE CASCADE,
    body     BYTEA NOT NULL
);
INSERT INTO webhook_event_bodies (event_id, body) SELECT id, body FROM webhook_events;
ALTER TABLE webhook_events DROP COLUMN body;

-- +goose Down
ALTER TABLE webhook_events ADD COLUMN body BYTEA NOT NULL DEFAULT '';
UPDATE webhook_events SET body = b.body FROM webhook_event_bodies b WHERE b.event_id = webhook_events.id;
DROP TABLE webhook_event_bodies;
