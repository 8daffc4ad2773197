package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
)

var _ freenahi.UserService = (*Store)(nil)

// CreateUser creates a user; passwordHash may be empty for API-only users.
func (s *Store) CreateUser(ctx context.Context, email, passwordHash string) (*freenahi.User, error) {
	email, err := freenahi.NormalizeEmail(email)
	if err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	u := &freenahi.User{Email: email, CreatedAt: s.now()}
	err = s.wdb.QueryRowContext(ctx, `
		INSERT INTO users (email, password_hash, created_at) VALUES ($1, $2, $3) RETURNING id`,
		email, passwordHash, micros(u.CreatedAt)).Scan(&u.ID)
	if err != nil {
		return nil, fmt.Errorf("create user: %w", exists(err, freenahi.Errorf(freenahi.ECONFLICT, "A user with the e-mail address %s already exists.", email)))
	}
	return u, nil
}

// CountUsers returns the number of users, so the UI can offer first-run setup.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// FindUserByEmail returns the user with that e-mail address.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*freenahi.User, error) {
	email, err := freenahi.NormalizeEmail(email)
	if err != nil {
		return nil, fmt.Errorf("find user by e-mail: %w", err)
	}
	u, err := s.findUser(ctx, `u.email = $1`, email)
	if err != nil {
		return nil, fmt.Errorf("find user by e-mail: %w", err)
	}
	return u, nil
}

// FindUserByID returns the user with that id.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*freenahi.User, error) {
	u, err := s.findUser(ctx, `u.id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("find user %d: %w", id, err)
	}
	return u, nil
}

// UserPasswordHash returns the stored password hash of a user ("" when
// none), or ENOTFOUND when the user does not exist.
func (s *Store) UserPasswordHash(ctx context.Context, userID int64) (string, error) {
	var h string
	if err := s.rdb.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, userID).Scan(&h); err != nil {
		return "", fmt.Errorf("read password hash of user %d: %w", userID, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "User %d not found.", userID)))
	}
	return h, nil
}

func (s *Store) findUser(ctx context.Context, where string, arg any) (*freenahi.User, error) {
	u := &freenahi.User{}
	err := s.rdb.QueryRowContext(ctx, `
		SELECT u.id, u.email, u.created_at, p.powens_user_id
		FROM users u LEFT JOIN powens_users p ON p.user_id = u.id AND p.unlinked_at IS NULL
		WHERE `+where, arg).Scan(&u.ID, &u.Email, timeVal{&u.CreatedAt}, intPtr{&u.PowensUserID})
	if err != nil {
		return nil, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "User not found."))
	}
	return u, nil
}

// tokenPrefix marks freenahi API tokens so they are recognisable in a leak scan.
const tokenPrefix = "fnh_"

// hashToken is the stored form of an API token. Tokens are 256 random bits, so a
// plain SHA-256 is enough: there is nothing to brute-force.
func hashToken(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// CreateAPIToken creates a token and returns it with its clear Secret, once.
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, name string) (*freenahi.APIToken, error) {
	name = cmp.Or(strings.TrimSpace(name), "token")
	if len(name) > 100 {
		return nil, fmt.Errorf("create API token: %w", freenahi.FieldErrorf("name", "is longer than 100 characters"))
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("create API token: %w", err)
	}
	t := &freenahi.APIToken{UserID: userID, Name: name, CreatedAt: s.now(),
		Secret: tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)}
	err := s.wdb.QueryRowContext(ctx, `
		INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		userID, name, hashToken(t.Secret), micros(t.CreatedAt)).Scan(&t.ID)
	if err != nil {
		return nil, fmt.Errorf("create API token: %w", userMissing(err, userID))
	}
	return t, nil
}

// FindAPITokens lists a user's active tokens (without secrets).
func (s *Store) FindAPITokens(ctx context.Context, userID int64) ([]*freenahi.APIToken, error) {
	rows, err := s.rdb.QueryContext(ctx, `
		SELECT id, user_id, name, created_at, last_used_at FROM api_tokens
		WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id`, userID)
	if err != nil {
		return nil, fmt.Errorf("find API tokens of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []*freenahi.APIToken
	for rows.Next() {
		t := &freenahi.APIToken{}
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, timeVal{&t.CreatedAt}, timePtr{&t.LastUsedAt}); err != nil {
			return nil, fmt.Errorf("find API tokens of user %d: scan: %w", userID, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find API tokens of user %d: %w", userID, err)
	}
	return out, nil
}

// RevokeAPIToken revokes one of the user's active tokens.
func (s *Store) RevokeAPIToken(ctx context.Context, userID, tokenID int64) error {
	res, err := s.wdb.ExecContext(ctx, `
		UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL`,
		micros(s.now()), tokenID, userID)
	if err != nil {
		return fmt.Errorf("revoke API token %d: %w", tokenID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("revoke API token %d: %w", tokenID, err)
	} else if n == 0 {
		return fmt.Errorf("revoke API token %d: %w", tokenID, freenahi.Errorf(freenahi.ENOTFOUND, "Token %d not found.", tokenID))
	}
	return nil
}

// AuthenticateAPIToken returns the owner of an active token.
func (s *Store) AuthenticateAPIToken(ctx context.Context, secret string) (*freenahi.User, error) {
	unauthorized := fmt.Errorf("authenticate API token: %w", freenahi.Errorf(freenahi.EUNAUTHORIZED, "Invalid or revoked API token."))
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 100 {
		return nil, unauthorized
	}
	u := &freenahi.User{}
	var tokenID int64
	var lastUsed *time.Time
	err := s.readRow(ctx, `
		SELECT t.id, t.last_used_at, u.id, u.email, u.created_at, p.powens_user_id
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		LEFT JOIN powens_users p ON p.user_id = u.id AND p.unlinked_at IS NULL
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL`, []any{hashToken(secret)},
		&tokenID, timePtr{&lastUsed}, &u.ID, &u.Email, timeVal{&u.CreatedAt}, intPtr{&u.PowensUserID})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, unauthorized
	} else if err != nil {
		return nil, fmt.Errorf("authenticate API token: %w", err)
	}
	// Record use at most once a minute: a write on every request would make
	// reads queue for SQLite's single writer.
	if now := s.now(); lastUsed == nil || now.Sub(*lastUsed) > time.Minute {
		if _, err := s.wdb.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, micros(now), tokenID); err != nil {
			s.logger.Warn("recording token use failed", "error", err)
		}
	}
	return u, nil
}

// FindUsers lists all users, for administration.
func (s *Store) FindUsers(ctx context.Context) ([]*freenahi.User, error) {
	rows, err := s.rdb.QueryContext(ctx, `
		SELECT u.id, u.email, u.created_at, p.powens_user_id
		FROM users u LEFT JOIN powens_users p ON p.user_id = u.id AND p.unlinked_at IS NULL ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	var out []*freenahi.User
	for rows.Next() {
		u := &freenahi.User{}
		if err := rows.Scan(&u.ID, &u.Email, timeVal{&u.CreatedAt}, intPtr{&u.PowensUserID}); err != nil {
			return nil, fmt.Errorf("find users: scan: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	return out, nil
}

// DeleteUser deletes a user and, by cascade, everything the user owns. Inbox
// events of the user stay (their user is cleared) as a record of what arrived.
func (s *Store) DeleteUser(ctx context.Context, userID int64) error {
	if err := s.deleteUser(ctx, userID); err != nil {
		return fmt.Errorf("delete user %d: %w", userID, err)
	}
	return nil
}

func (s *Store) deleteUser(ctx context.Context, userID int64) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `
		UPDATE webhook_events SET status = 'failed', last_error = 'the user was deleted'
		WHERE user_id = $1 AND status IN ('pending', 'processing')`, userID); err != nil {
		return fmt.Errorf("fail waiting events: %w", err)
	}
	// transactions has no foreign keys (see the migration): delete them first.
	if _, err := tx.ExecContext(ctx, `DELETE FROM transactions WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("delete transactions: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = $1`, userID)
	if err != nil {
		return fmt.Errorf("delete user row: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return freenahi.Errorf(freenahi.ENOTFOUND, "User %d not found.", userID)
	}
	return tx.Commit()
}
