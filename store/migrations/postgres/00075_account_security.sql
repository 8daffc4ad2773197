-- +goose Up
-- Account security (issue 14): password reset by e-mail, two-factor sign-in,
-- the sessions list, the users page.
--
-- users.disabled_at: an administrator disabled the account; it cannot sign
-- in, its sessions and API tokens stop working, its data stays.
-- users.totp_sealed: the TOTP secret, sealed with the secrets key (never in
-- clear); totp_enabled_at is set once the person confirmed a code, so a
-- secret being enrolled does not yet guard sign-in. totp_last_step is the
-- last time step accepted, so one code never signs in twice.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
ALTER TABLE users ADD COLUMN totp_sealed BYTEA;
ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- The browser a session was started from (its User-Agent, shortened), for
-- the sessions list.
ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';

-- Password reset links: only a SHA-256 of the token is kept; a link works
-- once (used_at) and until expires_at.
CREATE TABLE password_resets (
    token_hash BYTEA PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Recovery codes of two-factor sign-in, hashed, each usable once.
CREATE TABLE recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash BYTEA NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- Invitations to sign up, made by the administrator: hashed token, the
-- address invited, single use, expiring.
CREATE TABLE invites (
    token_hash BYTEA PRIMARY KEY,
    email      TEXT NOT NULL,
    invited_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX invites_invited_by ON invites (invited_by);

-- +goose Down
DROP TABLE invites;
DROP TABLE recovery_codes;
DROP TABLE password_resets;
ALTER TABLE sessions DROP COLUMN device;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_sealed;
ALTER TABLE users DROP COLUMN disabled_at;
