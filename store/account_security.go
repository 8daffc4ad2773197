package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strconv"
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

// totpAAD binds a sealed TOTP secret to its user, so a sealed value copied
// into another row does not open.
func totpAAD(userID int64) string { return "totp:" + strconv.FormatInt(userID, 10) }

// errNoTOTP says the user has no two-factor secret.
var errNoTOTP = freenahi.Errorf(freenahi.ENOTFOUND, "Two-factor sign-in is not set up.")

// SaveTOTPSecret starts the enrolment of two-factor sign-in with a secret
// the person has not confirmed yet (it replaces an earlier unconfirmed one).
// ECONFLICT when two-factor sign-in is already on.
func (s *Store) SaveTOTPSecret(ctx context.Context, userID int64, secret string) error {
	sealed, err := s.secrets.Seal([]byte(secret), totpAAD(userID))
	if err != nil {
		return fmt.Errorf("seal TOTP secret: %w", err)
	}
	res, err := s.wdb.ExecContext(ctx, `UPDATE users SET totp_sealed = $1, totp_last_step = 0 WHERE id = $2 AND totp_enabled_at IS NULL`, sealed, userID)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ECONFLICT, "Two-factor sign-in is already on.")); err != nil {
		return fmt.Errorf("save TOTP secret of user %d: %w", userID, err)
	}
	return nil
}

// FindTOTP returns the user's two-factor state with the secret opened;
// ENOTFOUND when there is no secret.
func (s *Store) FindTOTP(ctx context.Context, userID int64) (*freenahi.TOTPState, error) {
	var sealed []byte
	var enabled sql.NullInt64
	st := &freenahi.TOTPState{}
	err := s.rdb.QueryRowContext(ctx, `SELECT totp_sealed, totp_enabled_at, totp_last_step FROM users WHERE id = $1`, userID).
		Scan(&sealed, &enabled, &st.LastStep)
	if err != nil {
		return nil, fmt.Errorf("find TOTP of user %d: %w", userID, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "User %d not found.", userID)))
	}
	if sealed == nil {
		return nil, fmt.Errorf("find TOTP of user %d: %w", userID, errNoTOTP)
	}
	secret, err := s.secrets.Open(sealed, totpAAD(userID))
	if err != nil {
		return nil, fmt.Errorf("open TOTP secret of user %d: %w", userID, err)
	}
	st.Secret, st.Enabled = string(secret), enabled.Valid
	return st, nil
}

// EnableTOTP turns two-factor sign-in on once the person typed a right code
// (of time step step), and replaces their recovery codes with these (stored
// hashed). ENOTFOUND when no secret is being enrolled.
func (s *Store) EnableTOTP(ctx context.Context, userID, step int64, recovery []string) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("enable TOTP of user %d: begin: %w", userID, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET totp_enabled_at = $1, totp_last_step = $2
		WHERE id = $3 AND totp_sealed IS NOT NULL AND totp_enabled_at IS NULL`, micros(s.now()), step, userID)
	if err := notFoundIfNone(res, err, errNoTOTP); err != nil {
		return fmt.Errorf("enable TOTP of user %d: %w", userID, err)
	}
	if err := replaceRecoveryCodes(ctx, tx, userID, recovery); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("enable TOTP of user %d: %w", userID, err)
	}
	return nil
}

// ReplaceRecoveryCodes gives the user new recovery codes (stored hashed);
// the old ones stop working. ENOTFOUND when two-factor sign-in is off.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID int64, codes []string) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replace recovery codes of user %d: begin: %w", userID, err)
	}
	defer tx.Rollback()
	var on bool
	err = tx.QueryRowContext(ctx, `SELECT totp_enabled_at IS NOT NULL FROM users WHERE id = $1`, userID).Scan(&on)
	if err == nil && !on {
		err = sql.ErrNoRows
	}
	if err != nil {
		return fmt.Errorf("replace recovery codes of user %d: %w", userID, notFound(err, errNoTOTP))
	}
	if err := replaceRecoveryCodes(ctx, tx, userID, codes); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("replace recovery codes of user %d: %w", userID, err)
	}
	return nil
}

func replaceRecoveryCodes(ctx context.Context, tx *sql.Tx, userID int64, codes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("replace recovery codes of user %d: %w", userID, err)
	}
	for _, c := range codes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, userID, hashRecoveryCode(userID, c)); err != nil {
			return fmt.Errorf("replace recovery codes of user %d: %w", userID, err)
		}
	}
	return nil
}

// hashRecoveryCode is the stored form of a recovery code, bound to its user.
func hashRecoveryCode(userID int64, code string) []byte {
	return hashLinkToken("recovery:"+strconv.FormatInt(userID, 10), code)
}

// errCodeRefused answers a code that is not (or no longer) accepted.
var errCodeRefused = freenahi.Errorf(freenahi.EUNAUTHORIZED, "This code is not right, or was used already.")

// AcceptTOTPStep records that a code of time step step signed in, and
// refuses (EUNAUTHORIZED) a step not after the last one accepted, so that
// one code never serves twice.
func (s *Store) AcceptTOTPStep(ctx context.Context, userID, step int64) error {
	res, err := s.wdb.ExecContext(ctx, `UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1 AND totp_enabled_at IS NOT NULL`, step, userID)
	if err := notFoundIfNone(res, err, errCodeRefused); err != nil {
		return fmt.Errorf("accept TOTP code of user %d: %w", userID, err)
	}
	return nil
}

// UseRecoveryCode spends one of the user's recovery codes; EUNAUTHORIZED
// when it is not one of theirs or was used already.
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, code string) error {
	res, err := s.wdb.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
		micros(s.now()), userID, hashRecoveryCode(userID, code))
	if err := notFoundIfNone(res, err, errCodeRefused); err != nil {
		return fmt.Errorf("use recovery code of user %d: %w", userID, err)
	}
	return nil
}

// CountRecoveryCodes returns how many unused recovery codes the user has.
func (s *Store) CountRecoveryCodes(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count recovery codes of user %d: %w", userID, err)
	}
	return n, nil
}

// DisableTOTP turns two-factor sign-in off: the secret and the recovery
// codes are deleted.
func (s *Store) DisableTOTP(ctx context.Context, userID int64) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("disable TOTP of user %d: begin: %w", userID, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET totp_sealed = NULL, totp_enabled_at = NULL, totp_last_step = 0 WHERE id = $1`, userID)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "User %d not found.", userID)); err != nil {
		return fmt.Errorf("disable TOTP of user %d: %w", userID, err)
	}
	if err := replaceRecoveryCodes(ctx, tx, userID, nil); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("disable TOTP of user %d: %w", userID, err)
	}
	return nil
}

// randomSecret draws 256 random bits as URL-safe text.
func randomSecret() string {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}
