-- +goose Up
-- A monthly amount per category (or group, which counts its categories).
-- start is the first month counted (YYYYMMDD of its first day), from which
-- a rollover carries what each month left.
CREATE TABLE budgets (
    id             BIGSERIAL PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category_id    BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    amount_minor   BIGINT NOT NULL,
    currency       TEXT NOT NULL,
    currency_exponent INTEGER NOT NULL,
    rollover       BOOLEAN NOT NULL DEFAULT FALSE,
    start          INTEGER NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX budgets_user_category ON budgets (user_id, category_id);

-- The parts of a transaction split across categories; they add up to its
-- amount. transactions has no foreign keys (see 00001), so neither has
-- transaction_id; the rows go with the user. A sync updates the
-- transaction in place and leaves its parts alone.
CREATE TABLE transaction_splits (
    transaction_id BIGINT NOT NULL,
    position       INTEGER NOT NULL,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category_id    BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    amount_minor   BIGINT NOT NULL,
    PRIMARY KEY (transaction_id, position)
);

-- Series of payments a person said are not recurring (freenahi.Recurring.Key).
CREATE TABLE recurring_dismissals (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    series_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, series_key)
);

-- +goose Down
DROP TABLE recurring_dismissals;
DROP TABLE transaction_splits;
DROP TABLE budgets;
