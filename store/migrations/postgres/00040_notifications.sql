-- +goose Up
-- A person's notification choices. The webhook address may carry a token
-- (Gotify's ?token=), so it is sealed like the other secrets.
CREATE TABLE notification_prefs (
    user_id        BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    language       TEXT NOT NULL,
    email          BOOLEAN NOT NULL,
    webhook_sealed BYTEA,
    webhook_format TEXT NOT NULL,
    off_kinds      TEXT NOT NULL,
    low_balance    TEXT,
    large_debit    TEXT,
    updated_at     BIGINT NOT NULL
);

-- The history of notifications, rendered once in the person's language.
-- The unique dedup key is what keeps a condition from being told twice
-- (lasting conditions put the day in the key), whichever instance finds it.
CREATE TABLE notifications (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    dedup_key  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    email      TEXT NOT NULL,
    email_to   TEXT NOT NULL,
    webhook    TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    UNIQUE (user_id, dedup_key)
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_undelivered ON notifications (created_at) WHERE email = 'pending' OR webhook = 'pending';

-- Named leases: the instance holding one runs that background round.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    lease_until BIGINT NOT NULL
);

-- +goose Down
DROP TABLE leases;
DROP TABLE notifications;
DROP TABLE notification_prefs;
