-- +goose Up
-- Raw webhook bodies move to their own table: SQLite rewrites a whole row,
-- overflow pages included, on every UPDATE, so each status change of an event
-- copied its (possibly 20 MB) body again.
CREATE TABLE webhook_event_bodies (
    event_id INTEGER PRIMARY KEY REFERENCES webhook_events (id) ON DELETE CASCADE,
    body     BLOB NOT NULL
);
INSERT INTO webhook_event_bodies (event_id, body) SELECT id, body FROM webhook_events;
ALTER TABLE webhook_events DROP COLUMN body;

-- +goose Down
ALTER TABLE webhook_events ADD COLUMN body BLOB NOT NULL DEFAULT x'';
UPDATE webhook_events SET body = (SELECT b.body FROM webhook_event_bodies b WHERE b.event_id = webhook_events.id);
DROP TABLE webhook_event_bodies;
