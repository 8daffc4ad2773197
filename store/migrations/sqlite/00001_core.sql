-- +goose Up
-- Instants are BIGINT microseconds since the Unix epoch (UTC) and calendar dates
-- are INTEGER YYYYMMDD, in both engines, so that one set of queries and scanners
-- serves SQLite and PostgreSQL and comparisons never depend on a driver's
-- time formatting. Money is BIGINT minor units with the currency's exponent;
-- quantities and ratios without a fixed scale are exact decimal TEXT.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE powens_users (
    user_id        BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    powens_user_id BIGINT NOT NULL UNIQUE,
    token_sealed   BLOB,
    linked_at      BIGINT NOT NULL,
    unlinked_at    BIGINT
);

CREATE TABLE connections (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    powens_id      BIGINT NOT NULL,
    connector_id   BIGINT,
    connector_uuid TEXT NOT NULL DEFAULT '',
    bank_name      TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT '',
    error_message  TEXT NOT NULL DEFAULT '',
    last_update    BIGINT,
    created        BIGINT,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    expire         BIGINT,
    next_try       BIGINT,
    deleted_at     BIGINT,
    event_id       BIGINT NOT NULL DEFAULT 0,
    updated_at     BIGINT NOT NULL,
    UNIQUE (user_id, powens_id)
);

CREATE TABLE connection_sources (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id             BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    connection_id       BIGINT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    powens_id           BIGINT NOT NULL,
    name                TEXT NOT NULL DEFAULT '',
    connector_source_id BIGINT,
    state               TEXT NOT NULL DEFAULT '',
    last_update         BIGINT,
    created             BIGINT,
    disabled            BIGINT,
    access_expire       BIGINT,
    expire              BIGINT,
    next_try            BIGINT,
    UNIQUE (connection_id, powens_id)
);

CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id              BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    connection_id        BIGINT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    powens_id            BIGINT NOT NULL,
    powens_connection_id BIGINT NOT NULL,
    powens_parent_id     BIGINT,
    powens_source_id     BIGINT,
    type                 TEXT NOT NULL DEFAULT '',
    usage                TEXT NOT NULL DEFAULT '',
    iban                 TEXT NOT NULL DEFAULT '',
    bic                  TEXT NOT NULL DEFAULT '',
    number               TEXT NOT NULL DEFAULT '',
    name                 TEXT NOT NULL DEFAULT '',
    original_name        TEXT NOT NULL DEFAULT '',
    company_name         TEXT NOT NULL DEFAULT '',
    currency             TEXT NOT NULL,
    currency_exponent    INTEGER NOT NULL,
    balance_minor        BIGINT,
    coming_minor         BIGINT,
    display              BOOLEAN NOT NULL DEFAULT TRUE,
    bookmarked           BOOLEAN NOT NULL DEFAULT FALSE,
    error                TEXT NOT NULL DEFAULT '',
    opening_date         INTEGER,
    disabled_at          BIGINT,
    deleted_at           BIGINT,
    last_update          BIGINT,
    event_id             BIGINT NOT NULL DEFAULT 0,
    updated_at           BIGINT NOT NULL,
    UNIQUE (user_id, powens_id)
);
CREATE INDEX accounts_connection ON accounts (connection_id);

-- No AUTOINCREMENT (its sequence table is written on every insert) and no
-- foreign keys on transactions: this is the bulk-ingest table, and on
-- PostgreSQL each key's check trigger cost a fifth of the insert time. Rows are
-- written only by the ingest path, for an account it has just upserted in the
-- same transaction, and deleting a user deletes its transactions explicitly.
CREATE TABLE transactions (
    id                           INTEGER PRIMARY KEY,
    user_id                      BIGINT NOT NULL,
    account_id                   BIGINT NOT NULL,
    powens_id                    BIGINT NOT NULL,
    date                         INTEGER NOT NULL,
    rdate                        INTEGER,
    vdate                        INTEGER,
    application_date             INTEGER,
    datetime                     BIGINT,
    rdatetime                    BIGINT,
    vdatetime                    BIGINT,
    value_minor                  BIGINT NOT NULL,
    gross_value_minor            BIGINT,
    original_value_minor         BIGINT,
    original_gross_value_minor   BIGINT,
    original_currency            TEXT,
    original_currency_exponent   INTEGER,
    commission_minor             BIGINT,
    commission_currency          TEXT,
    commission_currency_exponent INTEGER,
    type                         TEXT NOT NULL DEFAULT '',
    original_wording             TEXT NOT NULL DEFAULT '',
    simplified_wording           TEXT NOT NULL DEFAULT '',
    wording                      TEXT NOT NULL DEFAULT '',
    search_text                  TEXT NOT NULL DEFAULT '',
    coming                       BOOLEAN NOT NULL DEFAULT FALSE,
    active                       BOOLEAN NOT NULL DEFAULT TRUE,
    card                         TEXT NOT NULL DEFAULT '',
    webid                        TEXT NOT NULL DEFAULT '',
    counterparty_label           TEXT,
    counterparty_scheme          TEXT,
    counterparty_identification  TEXT,
    counterparty_type            TEXT,
    deleted_at                   BIGINT,
    last_update                  BIGINT,
    event_id                     BIGINT NOT NULL DEFAULT 0,
    created_at                   BIGINT NOT NULL,
    updated_at                   BIGINT NOT NULL,
    UNIQUE (account_id, powens_id)
);
CREATE INDEX transactions_user_date ON transactions (user_id, date DESC, id DESC);
CREATE INDEX transactions_account_date ON transactions (account_id, date DESC, id DESC);

CREATE TABLE investments (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id            BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id         BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    powens_id          BIGINT NOT NULL,
    label              TEXT NOT NULL DEFAULT '',
    code               TEXT NOT NULL DEFAULT '',
    code_type          TEXT NOT NULL DEFAULT '',
    stock_symbol       TEXT NOT NULL DEFAULT '',
    quantity           TEXT,
    unit_price         TEXT,
    unit_value         TEXT,
    valuation          TEXT,
    diff               TEXT,
    diff_percent       TEXT,
    portfolio_share    TEXT,
    vdate              INTEGER,
    original_currency  TEXT,
    original_valuation TEXT,
    deleted_at         BIGINT,
    last_update        BIGINT,
    event_id           BIGINT NOT NULL DEFAULT 0,
    updated_at         BIGINT NOT NULL,
    UNIQUE (account_id, powens_id)
);
CREATE INDEX investments_user ON investments (user_id);

CREATE TABLE loans (
    account_id                BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    user_id                   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type                      TEXT NOT NULL DEFAULT '',
    total_amount_minor        BIGINT,
    available_amount_minor    BIGINT,
    used_amount_minor         BIGINT,
    subscription_date         INTEGER,
    maturity_date             INTEGER,
    start_repayment_date      INTEGER,
    next_payment_amount_minor BIGINT,
    next_payment_date         INTEGER,
    last_payment_amount_minor BIGINT,
    last_payment_date         INTEGER,
    rate                      TEXT,
    nb_payments_left          BIGINT,
    nb_payments_done          BIGINT,
    nb_payments_total         BIGINT,
    duration_months           BIGINT,
    account_label             TEXT NOT NULL DEFAULT '',
    insurance_label           TEXT NOT NULL DEFAULT '',
    insurance_amount_minor    BIGINT,
    insurance_rate            TEXT,
    deferred                  BOOLEAN,
    event_id                  BIGINT NOT NULL DEFAULT 0,
    updated_at                BIGINT NOT NULL
);
CREATE INDEX loans_user ON loans (user_id);

CREATE TABLE balance_snapshots (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at            BIGINT NOT NULL,
    balance_minor BIGINT NOT NULL,
    coming_minor  BIGINT,
    UNIQUE (account_id, at)
);

-- The webhook inbox: every acknowledged delivery, raw, until it is processed
-- (and after, for replay). Events of one Powens user are processed in id order.
CREATE TABLE webhook_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event           TEXT NOT NULL,
    delivery_key    TEXT NOT NULL,
    powens_user_id  BIGINT,
    user_id         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    auth            TEXT NOT NULL,
    token_hash      BLOB,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    body            BLOB NOT NULL,
    body_size       BIGINT NOT NULL,
    received_at     BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT,
    processed_at    BIGINT,
    UNIQUE (event, delivery_key)
);
CREATE INDEX webhook_events_queue ON webhook_events (status, next_attempt_at, id);
CREATE INDEX webhook_events_powens_user ON webhook_events (powens_user_id, id);

-- +goose Down
DROP TABLE webhook_events;
DROP TABLE balance_snapshots;
DROP TABLE loans;
DROP TABLE investments;
DROP TABLE transactions;
DROP TABLE accounts;
DROP TABLE connection_sources;
DROP TABLE connections;
DROP TABLE powens_users;
DROP TABLE api_tokens;
DROP TABLE users;
