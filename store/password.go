package store

import (
	"context"
	"fmt"

	"github.com/freenahi/freenahi"
)

// ChangePassword replaces the user's password hash and ends every session
// of the user but keep (the one that made the change; "" ends them all),
// in one transaction: a stolen session dies with the old password.
// ENOTFOUND when the user does not exist.
func (s *Store) ChangePassword(ctx context.Context, userID int64, hash, keep string) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("change password of user %d: %w", userID, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "User %d not found.", userID)); err != nil {
		return fmt.Errorf("change password of user %d: %w", userID, err)
	}
	keepHash := []byte{}
	if keep != "" {
		keepHash = hashSessionID(keep)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2`, userID, keepHash); err != nil {
		return fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("change password of user %d: %w", userID, err)
	}
	return nil
}
