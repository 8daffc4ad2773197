package store

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/freenahi/freenahi"
)

// The sessions list of the security page: a person sees where they are
// signed in and ends any of those sessions. A session is named there by the
// hex of its stored hash, which cannot be turned back into the cookie.

// maxDeviceLen bounds the User-Agent kept with a session.
const maxDeviceLen = 200

// CreateSessionOn is CreateSession that also records the browser the
// session starts from (its User-Agent, cut to 200 bytes).
func (s *Store) CreateSessionOn(ctx context.Context, userID int64, device string, idle, lifetime time.Duration) (string, error) {
	id, err := s.createSession(ctx, userID, idle, lifetime)
	if err != nil {
		return "", fmt.Errorf("create session of user %d: %w", userID, err)
	}
	// A character cut in half is dropped rather than stored invalid, and
	// control characters (PostgreSQL refuses NUL in text) go.
	device = strings.ToValidUTF8(device[:min(len(device), maxDeviceLen)], "")
	device = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, device)
	if _, err := s.wdb.ExecContext(ctx, `UPDATE sessions SET device = $1 WHERE id_hash = $2`, device, hashSessionID(id)); err != nil {
		return "", fmt.Errorf("record the device of a session: %w", err)
	}
	return id, nil
}

// SessionRef is the reference of a session id in the sessions list.
func (s *Store) SessionRef(id string) string { return hex.EncodeToString(hashSessionID(id)) }

// FindSessions lists the user's live sessions, the most recently used
// first.
func (s *Store) FindSessions(ctx context.Context, userID int64) ([]*freenahi.SessionInfo, error) {
	rows, err := s.rdb.QueryContext(ctx, `
		SELECT id_hash, device, created_at, seen_at FROM sessions
		WHERE user_id = $1 AND expires_at > $2 ORDER BY seen_at DESC, created_at DESC`, userID, micros(s.now()))
	if err != nil {
		return nil, fmt.Errorf("find sessions of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []*freenahi.SessionInfo
	for rows.Next() {
		si := &freenahi.SessionInfo{}
		var h []byte
		if err := rows.Scan(&h, &si.Device, timeVal{&si.CreatedAt}, timeVal{&si.SeenAt}); err != nil {
			return nil, fmt.Errorf("find sessions of user %d: scan: %w", userID, err)
		}
		si.Ref = hex.EncodeToString(h)
		out = append(out, si)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find sessions of user %d: %w", userID, err)
	}
	return out, nil
}

// RevokeSession ends one of the user's sessions by its reference;
// ENOTFOUND when the user has no such session (another user's included).
func (s *Store) RevokeSession(ctx context.Context, userID int64, ref string) error {
	h, err := hex.DecodeString(ref)
	notFoundErr := freenahi.Errorf(freenahi.ENOTFOUND, "This session has already ended.")
	if err != nil || len(h) != 32 {
		return fmt.Errorf("revoke session: %w", notFoundErr)
	}
	res, err := s.wdb.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id_hash = $2`, userID, h)
	if err := notFoundIfNone(res, err, notFoundErr); err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return nil
}
