-- +goose Up
-- Refused webhook deliveries, counted per hour, event and reason (never
-- their bodies): enough to tell a person that Powens' deliveries are being
-- refused, bounded whatever a hostile sender does (the receiver groups them
-- in memory, events are a fixed label set, and rows older than 30 days go).
CREATE TABLE webhook_refusals (
    hour        BIGINT NOT NULL,
    event       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    count       BIGINT NOT NULL,
    last_at     BIGINT NOT NULL,
    last_detail TEXT NOT NULL,
    PRIMARY KEY (hour, event, reason)
);

-- +goose Down
DROP TABLE webhook_refusals;
