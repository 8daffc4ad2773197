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
-- database driver copies a value it binds, so one 63 MB value cost several
-- times its size in memory.
ALTER TABLE webhook_event_bodies ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_event_bodies DROP CONSTRAINT webhook_event_bodies_pkey;
ALTER TABLE webhook_event_bodies ADD PRIMARY KEY (event_id, seq);

-- +goose Down
CREATE TABLE webhook_event_bodies_whole AS
SELECT event_id, string_agg(body, ''::bytea ORDER BY seq) AS body FROM webhook_event_bodies GROUP BY event_id;
DROP TABLE webhook_event_bodies;
ALTER TABLE webhook_event_bodies_whole RENAME TO webhook_event_bodies;
ALTER TABLE webhook_event_bodies ALTER COLUMN body SET NOT NULL;
ALTER TABLE webhook_event_bodies ADD PRIMARY KEY (event_id);
ALTER TABLE webhook_event_bodies ADD FOREIGN KEY (event_id) REFERENCES webhook_events (id) ON DELETE CASCADE;
UPDATE webhook_events SET delivery_key = substr(delivery_key, strpos(delivery_key, '/') + 1)
WHERE (delivery_key LIKE 'p%/wd:%' OR delivery_key LIKE 'p%/sha256:%')
AND delivery_key NOT LIKE 'p%/t%/%';
DROP INDEX webhook_events_finished;
DROP INDEX webhook_events_unmatched;
ALTER TABLE webhook_events DROP COLUMN source;
