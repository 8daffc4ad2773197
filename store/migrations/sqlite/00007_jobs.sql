-- +goose Up
-- Background jobs of the web UI (posting credentials, waiting for a bank's
-- app): kept here rather than in memory so that a restart or another
-- instance carries them on and serves their progress page. The payload holds
-- the operation's arguments, sealed (it may carry encrypted credentials).

CREATE TABLE jobs (
    id             TEXT PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    payload_sealed BLOB NOT NULL,
    status         TEXT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    started_at     BIGINT,
    finished_at    BIGINT,
    lease_until    BIGINT,
    deadline       BIGINT NOT NULL,
    result         TEXT,
    error          TEXT
);
-- The claim walks unfinished jobs in creation order.
CREATE INDEX jobs_unfinished ON jobs (created_at) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_user ON jobs (user_id, status);
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;

-- +goose Down
DROP TABLE jobs;
