package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/freenahi/freenahi"
)

// Sign-in sessions of the web UI. The browser holds the clear session id in a
// cookie; the database holds only its SHA-256, like API tokens, so reading
// the database is not enough to sign in as someone.

// hashSessionID is the stored form of a session id: 256 random bits, so a
// plain SHA-256 leaves nothing to brute-force.
func hashSessionID(id string) []byte {
	h := sha256.Sum256([]byte("session:" + id))
	return h[:]
}

// CreateSession starts a session for a user and returns its clear id, which
// only the browser keeps. The session ends after idle without use, and after
// lifetime whatever its use. Expired sessions of everyone are purged here,
// so the table does not grow with abandoned browsers. ENOTFOUND when the
// user does not exist.
func (s *Store) CreateSession(ctx context.Context, userID int64, idle, lifetime time.Duration) (string, error) {
	id, err := s.createSession(ctx, userID, idle, lifetime)
	if err != nil {
		return "", fmt.Errorf("create session of user %d: %w", userID, err)
	}
	return id, nil
}

func (s *Store) createSession(ctx context.Context, userID int64, idle, lifetime time.Duration) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("draw a session id: %w", err)
	}
	id := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, micros(now)); err != nil {
		return "", fmt.Errorf("purge expired sessions: %w", err)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO sessions (id_hash, user_id, created_at, seen_at, expires_at, max_expires_at)
		VALUES ($1, $2, $3, $3, $4, $5)`,
		hashSessionID(id), userID, micros(now), micros(now.Add(min(idle, lifetime))), micros(now.Add(lifetime)))
	if err != nil {
		return "", userMissing(err, userID)
	}
	return id, tx.Commit()
}

// FindSession returns the user of a live session and when the session was
// last touched, or EUNAUTHORIZED when it is unknown, expired or ended.
func (s *Store) FindSession(ctx context.Context, id string) (*freenahi.User, time.Time, error) {
	u := &freenahi.User{}
	var seen time.Time
	err := s.rdb.QueryRowContext(ctx, `
		SELECT u.id, u.email, u.created_at, p.powens_user_id, s.seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		LEFT JOIN powens_users p ON p.user_id = u.id AND p.unlinked_at IS NULL
		WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`, hashSessionID(id), micros(s.now())).
		Scan(&u.ID, &u.Email, timeVal{&u.CreatedAt}, intPtr{&u.PowensUserID}, timeVal{&seen})
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			err = freenahi.Errorf(freenahi.EUNAUTHORIZED, "Your session has ended; please sign in again.")
		}
		return nil, time.Time{}, fmt.Errorf("find session: %w", err)
	}
	return u, seen, nil
}

// TouchSession records a use of a session and extends its idle expiry to
// now+idle, never past the lifetime fixed at creation. Touching a session
// that has ended changes nothing and is not an error: FindSession says so.
func (s *Store) TouchSession(ctx context.Context, id string, idle time.Duration) error {
	now := s.now()
	next := micros(now.Add(idle))
	_, err := s.wdb.ExecContext(ctx, `
		UPDATE sessions SET seen_at = $1,
			expires_at = CASE WHEN $2 < max_expires_at THEN $2 ELSE max_expires_at END
		WHERE id_hash = $3 AND expires_at > $1`, micros(now), next, hashSessionID(id))
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession ends a session (sign-out). Ending an unknown session is not
// an error: the outcome, no session, is the same.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.wdb.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hashSessionID(id)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user, e.g. after a password change.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := s.wdb.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}
