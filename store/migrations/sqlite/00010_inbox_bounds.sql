-- +goose Up
-- Issue 10: where each delivery came from (the client address), to bound the
-- unauthenticated events kept per source; indexes for those bounds and for
-- the retention of raw bodies.
ALTER TABLE webhook_events ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX webhook_events_unmatched ON webhook_events (source, received_at) WHERE status = 'unmatched';
CREATE INDEX webhook_events_finished ON webhook_events (processed_at) WHERE status IN ('processed', 'ignored');
-- Delivery keys are scoped per Powens user now (id_webhook_data is unique per
-- user only), so that a re-delivery of an old event is still recognised.
UPDATE webhook_events SET delivery_key = 'p' || CAST(powens_user_id AS TEXT) || '/' || delivery_key
WHERE powens_user_id IS NOT NULL AND token_hash IS NULL AND (delivery_key LIKE 'wd:%' OR delivery_key LIKE 'sha256:%');

-- Raw bodies are stored in chunks of at most 1 MiB (issue 15, item 5): a
-- database driver copies a value it binds, and SQLite copies it again into a
-- record, so one 63 MB value cost several times its size in memory.
CREATE TABLE webhook_event_bodies_chunked (
    event_id INTEGER NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    body     BLOB NOT NULL,
    PRIMARY KEY (event_id, seq)
);
INSERT INTO webhook_event_bodies_chunked (event_id, seq, body) SELECT event_id, 0, body FROM webhook_event_bodies;
DROP TABLE webhook_event_bodies;
ALTER TABLE webhook_event_bodies_chunked RENAME TO webhook_event_bodies;

-- +goose Down
CREATE TABLE webhook_event_bodies_whole (
    event_id INTEGER PRIMARY KEY REFERENCES webhook_events (id) ON DELETE CASCADE,
    body     BLOB NOT NULL
);
INSERT INTO webhook_event_bodies_whole (event_id, body)
SELECT event_id, CAST(group_concat(body, '') AS BLOB) FROM (SELECT event_id, body FROM webhook_event_bodies ORDER BY event_id, seq) GROUP BY event_id;
DROP TABLE webhook_event_bodies;
ALTER TABLE webhook_event_bodies_whole RENAME TO webhook_event_bodies;
UPDATE OR IGNORE webhook_events SET delivery_key = substr(delivery_key, instr(delivery_key, '/') + 1)
WHERE (delivery_key LIKE 'p%/wd:%' OR delivery_key LIKE 'p%/sha256:%') AND delivery_key NOT LIKE 'p%/t%/%';
DROP INDEX webhook_events_finished;
DROP INDEX webhook_events_unmatched;
ALTER TABLE webhook_events DROP COLUMN source;
