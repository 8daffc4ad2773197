-- +goose Up
-- Inqom export: per-user API credentials (secrets sealed), the mapping of an
-- account to a dossier, and the export ledger. A batch is one CFONB file,
-- frozen with its exact bytes before any network call; its items name the
-- transactions in it. The partial unique index is invariant 7: a transaction
-- is in at most one live (unreleased) batch of a mapping, so it reaches the
-- dossier once. Money is minor units, dates YYYYMMDD, instants microseconds.

CREATE TABLE inqom_credentials (
    user_id              BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    username             TEXT NOT NULL,
    password_sealed      BYTEA NOT NULL,
    client_id            TEXT NOT NULL,
    client_secret_sealed BYTEA NOT NULL,
    environment          TEXT NOT NULL DEFAULT '',
    auth_url             TEXT NOT NULL DEFAULT '',
    banking_url          TEXT NOT NULL DEFAULT '',
    updated_at           BIGINT NOT NULL
);

CREATE TABLE inqom_mappings (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id       BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    dossier_id       BIGINT NOT NULL,
    iban             TEXT NOT NULL,
    bank_name        TEXT NOT NULL DEFAULT '',
    cfonb_control    BOOLEAN NOT NULL DEFAULT TRUE,
    start_date       INTEGER,
    inqom_account_id TEXT NOT NULL DEFAULT '',
    registered_at    BIGINT,
    last_error       TEXT NOT NULL DEFAULT '',
    chain_date       INTEGER,
    chain_minor      BIGINT,
    batches          INTEGER NOT NULL DEFAULT 0,
    lease_owner      TEXT,
    lease_until      BIGINT,
    last_run_at      BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    UNIQUE (account_id, dossier_id),
    UNIQUE (user_id, dossier_id, iban)
);
CREATE INDEX inqom_mappings_user ON inqom_mappings (user_id);

CREATE TABLE export_batches (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mapping_id      BIGINT NOT NULL REFERENCES inqom_mappings (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    status          TEXT NOT NULL,
    review          BOOLEAN NOT NULL DEFAULT FALSE,
    held            BOOLEAN NOT NULL DEFAULT FALSE,
    filename        TEXT NOT NULL,
    sha256          BYTEA NOT NULL,
    size            BIGINT NOT NULL,
    transactions    INTEGER NOT NULL,
    first_date      INTEGER NOT NULL,
    last_date       INTEGER NOT NULL,
    opening_date    INTEGER NOT NULL,
    opening_minor   BIGINT NOT NULL,
    closing_date    INTEGER NOT NULL,
    closing_minor   BIGINT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    in_flight_since BIGINT,
    next_attempt_at BIGINT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    answer_status   INTEGER NOT NULL DEFAULT 0,
    answer          TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT,
    UNIQUE (mapping_id, seq)
);
CREATE INDEX export_batches_status ON export_batches (mapping_id, status);

-- The file bytes live apart, so that status updates do not rewrite them.
CREATE TABLE export_batch_files (
    batch_id BIGINT PRIMARY KEY REFERENCES export_batches (id) ON DELETE CASCADE,
    content  BYTEA NOT NULL
);

CREATE TABLE export_batch_items (
    batch_id       BIGINT NOT NULL REFERENCES export_batches (id) ON DELETE CASCADE,
    mapping_id     BIGINT NOT NULL,
    transaction_id BIGINT NOT NULL,
    date           INTEGER NOT NULL,
    value_minor    BIGINT NOT NULL,
    released       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (batch_id, transaction_id)
);
CREATE UNIQUE INDEX export_batch_items_once ON export_batch_items (mapping_id, transaction_id) WHERE released = FALSE;

-- +goose Down
DROP TABLE export_batch_items;
DROP TABLE export_batch_files;
DROP TABLE export_batches;
DROP TABLE inqom_mappings;
DROP TABLE inqom_credentials;
