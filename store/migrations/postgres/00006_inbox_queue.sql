-- +goose Up
-- The claim walks unfinished events in id order and checks that no older
-- unfinished event of the same Powens user exists. Without these partial
-- indexes both steps scanned every event ever received for that user, so
-- claiming grew with history (seconds per claim after a few thousand events).
CREATE INDEX webhook_events_unfinished ON webhook_events (id) WHERE status IN ('pending', 'processing');
CREATE INDEX webhook_events_blocking ON webhook_events (powens_user_id, id) WHERE status IN ('pending', 'processing', 'unmatched');

-- +goose Down
DROP INDEX webhook_events_blocking;
DROP INDEX webhook_events_unfinished;
