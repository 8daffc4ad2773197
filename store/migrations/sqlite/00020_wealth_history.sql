-- +goose Up
-- The valuation of each position at each sync, one row per position and
-- day (the day's last), so that a portfolio's history can be drawn: a
-- position's value moves with the market, not with transactions.
CREATE TABLE investment_snapshots (
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    investment_id BIGINT NOT NULL REFERENCES investments (id) ON DELETE CASCADE,
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day           INTEGER NOT NULL,
    quantity      TEXT,
    unit_value    TEXT,
    valuation     TEXT,
    PRIMARY KEY (investment_id, day)
);
CREATE INDEX investment_snapshots_account ON investment_snapshots (account_id, day);
-- Net-worth histories read every snapshot of a user from a date on.
CREATE INDEX balance_snapshots_user_at ON balance_snapshots (user_id, at);

-- +goose Down
DROP INDEX balance_snapshots_user_at;
DROP TABLE investment_snapshots;
