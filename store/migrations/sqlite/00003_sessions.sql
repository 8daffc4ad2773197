-- +goose Up
-- Sign-in sessions of the web UI. Only a SHA-256 of the session id is kept, so a
-- copy of the database does not let anyone sign in. A session ends when it has
-- been idle past expires_at, at max_expires_at whatever its use, or at sign-out.

CREATE TABLE sessions (
    id_hash        BLOB PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     BIGINT NOT NULL,
    seen_at        BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    max_expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- +goose Down
DROP TABLE sessions;
