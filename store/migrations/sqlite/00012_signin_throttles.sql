-- +goose Up
-- Failed sign-ins counted per bucket (an account from one client or one
-- known device, a client address across accounts). Each attempt is counted
-- here, atomically, before its password is hashed, so parallel guesses and
-- several instances share one limit. A bucket waits until next_try_at; rows
-- are forgotten a day after their last failure. account is the e-mail the
-- bucket concerns ('' for a client alone), for `freenahi user unlock`.
CREATE TABLE signin_throttles (
    bucket          TEXT PRIMARY KEY,
    account         TEXT NOT NULL,
    failures        BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    next_try_at     BIGINT NOT NULL
);
CREATE INDEX signin_throttles_account ON signin_throttles (account);
CREATE INDEX signin_throttles_last_failure ON signin_throttles (last_failure_at);

-- +goose Down
DROP TABLE signin_throttles;
