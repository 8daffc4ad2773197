package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/freenahi/freenahi"
)

// Password reset links and invitations: a random token travels by e-mail,
// only its SHA-256 is stored (256 random bits leave nothing to guess), and
// each works once, until it expires.

// hashLinkToken is the stored form of a link's token, apart per kind so a
// token of one kind never passes for another.
func hashLinkToken(kind, token string) []byte {
	h := sha256.Sum256([]byte(kind + ":" + token))
	return h[:]
}

// errBadResetLink is the answer to a reset link that does not work, the
// same whatever the reason.
var errBadResetLink = freenahi.Errorf(freenahi.EINVALID, "This link does not work any more: it was used already or it expired. Ask for a new one.")

// CreatePasswordReset makes a reset link token for a user, valid for ttl,
// and purges everyone's expired ones. ENOTFOUND when the user does not exist.
func (s *Store) CreatePasswordReset(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	token := randomSecret()
	now := s.now()
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("create password reset: begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM password_resets WHERE expires_at <= $1`, micros(now)); err != nil {
		return "", fmt.Errorf("purge password resets: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		hashLinkToken("reset", token), userID, micros(now), micros(now.Add(ttl)))
	if err != nil {
		return "", fmt.Errorf("create password reset of user %d: %w", userID, userMissing(err, userID))
	}
	return token, tx.Commit()
}

// FindPasswordReset returns the user a working reset token is for, without
// using it; EINVALID when it does not work (used, expired, unknown, or the
// user is disabled).
func (s *Store) FindPasswordReset(ctx context.Context, token string) (*freenahi.User, error) {
	var id int64
	err := s.rdb.QueryRowContext(ctx, `
		SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id
		WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.disabled_at IS NULL`,
		hashLinkToken("reset", token), micros(s.now())).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("find password reset: %w", notFound(err, errBadResetLink))
	}
	return s.FindUserByID(ctx, id)
}

// ResetPassword uses a reset token: in one transaction it marks the token
// used, sets the password hash, ends every session of the user, drops their
// other reset links and forgets the failed sign-ins counted against the
// account (the mailbox proved it is theirs). EINVALID when the token does
// not work.
func (s *Store) ResetPassword(ctx context.Context, token, hash string) (*freenahi.User, error) {
	now := micros(s.now())
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("reset password: begin: %w", err)
	}
	defer tx.Rollback()
	var id int64
	var email string
	err = tx.QueryRowContext(ctx, `
		UPDATE password_resets SET used_at = $1
		WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
		RETURNING user_id`, now, hashLinkToken("reset", token)).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("reset password: %w", notFound(err, errBadResetLink))
	}
	err = tx.QueryRowContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2 AND disabled_at IS NULL RETURNING email`, hash, id).Scan(&email)
	if err != nil {
		return nil, fmt.Errorf("reset password of user %d: %w", id, notFound(err, errBadResetLink))
	}
	for _, q := range []string{
		`DELETE FROM sessions WHERE user_id = $1`,
		`DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return nil, fmt.Errorf("reset password of user %d: %w", id, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM signin_throttles WHERE account = $1`, email); err != nil {
		return nil, fmt.Errorf("reset password of user %d: unlock: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("reset password of user %d: %w", id, err)
	}
	return s.FindUserByID(ctx, id)
}

// errBadInvite is the answer to an invitation link that does not work.
var errBadInvite = freenahi.Errorf(freenahi.EINVALID, "This invitation does not work any more: it was used already or it expired. Ask for a new one.")

// CreateInvite makes an invitation for an e-mail address, valid for ttl,
// with its clear Token. EINVALID for an address that is not one, ECONFLICT
// when a user already has it.
func (s *Store) CreateInvite(ctx context.Context, invitedBy int64, email string, ttl time.Duration) (*freenahi.Invite, error) {
	email, err := freenahi.NormalizeEmail(email)
	if err != nil {
		return nil, fmt.Errorf("create invite: %w", err)
	}
	if _, err := s.FindUserByEmail(ctx, email); err == nil {
		return nil, fmt.Errorf("create invite: %w", freenahi.Errorf(freenahi.ECONFLICT, "A user with the e-mail address %s already exists.", email))
	} else if freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
		return nil, fmt.Errorf("create invite: %w", err)
	}
	now := s.now()
	in := &freenahi.Invite{Email: email, InvitedBy: invitedBy, CreatedAt: now, ExpiresAt: now.Add(ttl), Token: randomSecret()}
	_, err = s.wdb.ExecContext(ctx, `INSERT INTO invites (token_hash, email, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		hashLinkToken("invite", in.Token), email, invitedBy, micros(now), micros(in.ExpiresAt))
	if err != nil {
		return nil, fmt.Errorf("create invite: %w", userMissing(err, invitedBy))
	}
	return in, nil
}

// FindInvite returns a working invitation (without its token); EINVALID
// when it does not work.
func (s *Store) FindInvite(ctx context.Context, token string) (*freenahi.Invite, error) {
	in := &freenahi.Invite{}
	err := s.rdb.QueryRowContext(ctx, `
		SELECT email, invited_by, created_at, expires_at FROM invites
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`, hashLinkToken("invite", token), micros(s.now())).
		Scan(&in.Email, &in.InvitedBy, timeVal{&in.CreatedAt}, timeVal{&in.ExpiresAt})
	if err != nil {
		return nil, fmt.Errorf("find invite: %w", notFound(err, errBadInvite))
	}
	return in, nil
}

// AcceptInvite uses an invitation: it creates the invited user with the
// password hash and marks the invitation used, in one transaction.
// EINVALID when the invitation does not work, ECONFLICT when the address
// got a user meanwhile.
func (s *Store) AcceptInvite(ctx context.Context, token, hash string) (*freenahi.User, error) {
	now := s.now()
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("accept invite: begin: %w", err)
	}
	defer tx.Rollback()
	u := &freenahi.User{CreatedAt: now}
	err = tx.QueryRowContext(ctx, `
		UPDATE invites SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
		RETURNING email`, micros(now), hashLinkToken("invite", token)).Scan(&u.Email)
	if err != nil {
		return nil, fmt.Errorf("accept invite: %w", notFound(err, errBadInvite))
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO users (email, password_hash, created_at) VALUES ($1, $2, $3) RETURNING id`,
		u.Email, hash, micros(now)).Scan(&u.ID)
	if err != nil {
		return nil, fmt.Errorf("accept invite: %w", exists(err, freenahi.Errorf(freenahi.ECONFLICT, "A user with the e-mail address %s already exists.", u.Email)))
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("accept invite: %w", err)
	}
	return u, nil
}

// FindUserInfos lists every user for the administrator, oldest first.
func (s *Store) FindUserInfos(ctx context.Context) ([]*freenahi.UserInfo, error) {
	rows, err := s.rdb.QueryContext(ctx, `
		SELECT u.id, u.email, u.created_at, p.powens_user_id, u.disabled_at, u.totp_enabled_at IS NOT NULL,
			u.id = (SELECT MIN(id) FROM users)
		FROM users u LEFT JOIN powens_users p ON p.user_id = u.id AND p.unlinked_at IS NULL
		ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	var out []*freenahi.UserInfo
	for rows.Next() {
		u := &freenahi.UserInfo{}
		if err := rows.Scan(&u.ID, &u.Email, timeVal{&u.CreatedAt}, intPtr{&u.PowensUserID}, timePtr{&u.Disabled}, &u.TwoFactor, &u.Admin); err != nil {
			return nil, fmt.Errorf("find users: scan: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	return out, nil
}

// FindUserInfo returns one user as FindUserInfos does; ENOTFOUND when
// there is none.
func (s *Store) FindUserInfo(ctx context.Context, userID int64) (*freenahi.UserInfo, error) {
	all, err := s.FindUserInfos(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range all {
		if u.ID == userID {
			return u, nil
		}
	}
	return nil, fmt.Errorf("find user %d: %w", userID, freenahi.Errorf(freenahi.ENOTFOUND, "User %d not found.", userID))
}

// IsAdmin reports whether the user is the administrator: the first user.
func (s *Store) IsAdmin(ctx context.Context, userID int64) (bool, error) {
	var first sql.NullInt64
	if err := s.rdb.QueryRowContext(ctx, `SELECT MIN(id) FROM users`).Scan(&first); err != nil {
		return false, fmt.Errorf("find the administrator: %w", err)
	}
	return first.Valid && first.Int64 == userID, nil
}

// SetUserDisabled disables a user (their sessions end; sign-in and API
// tokens stop working; their data stays) or enables them again. The
// administrator cannot be disabled (EFORBIDDEN); ENOTFOUND when the user
// does not exist.
func (s *Store) SetUserDisabled(ctx context.Context, userID int64, disabled bool) error {
	if admin, err := s.IsAdmin(ctx, userID); err != nil {
		return err
	} else if admin && disabled {
		return fmt.Errorf("disable user %d: %w", userID, freenahi.Errorf(freenahi.EFORBIDDEN, "The administrator cannot be disabled."))
	}
	var at any
	if disabled {
		at = micros(s.now())
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("disable user %d: begin: %w", userID, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = $1 WHERE id = $2`, at, userID)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "User %d not found.", userID)); err != nil {
		return fmt.Errorf("disable user %d: %w", userID, err)
	}
	if disabled {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("disable user %d: end sessions: %w", userID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("disable user %d: %w", userID, err)
	}
	return nil
}

// UserDisabled reports whether the user is disabled; ENOTFOUND when the
// user does not exist.
func (s *Store) UserDisabled(ctx context.Context, userID int64) (bool, error) {
	var at sql.NullInt64
	err := s.rdb.QueryRowContext(ctx, `SELECT disabled_at FROM users WHERE id = $1`, userID).Scan(&at)
	if err != nil {
		return false, fmt.Errorf("read user %d: %w", userID, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "User %d not found.", userID)))
	}
	return at.Valid, nil
}

// randomSecret draws 256 random bits as URL-safe text.
func randomSecret() string {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}
