package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/freenahi/freenahi"
)

// Two-factor sign-in: the TOTP secret sealed with the secrets key (bound to
// its user), the last time step accepted, the recovery codes hashed.

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
