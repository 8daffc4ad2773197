package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/freenahi/freenahi"
)

// tokenAAD binds a sealed Powens token to its Powens user, so a sealed value
// copied into another row does not open.
func tokenAAD(powensUserID int64) string {
	return "powens_token:" + strconv.FormatInt(powensUserID, 10)
}

// LinkPowensUser maps a freenahi user to a Powens user and its permanent token
// (sealed at rest), then releases the inbox events that waited for that Powens
// user. Bearer-authenticated events are released only if they carried this
// token. It returns how many events it released; EINVALID for a bad id or
// an empty token, ECONFLICT when the Powens user is linked to another
// freenahi user, ENOTFOUND when the freenahi user does not exist.
func (s *Store) LinkPowensUser(ctx context.Context, pu freenahi.PowensUser) (int, error) {
	n, err := s.linkPowensUser(ctx, pu)
	if err != nil {
		return 0, fmt.Errorf("link Powens user %d to user %d: %w", pu.PowensUserID, pu.UserID, err)
	}
	return n, nil
}

func (s *Store) linkPowensUser(ctx context.Context, pu freenahi.PowensUser) (int, error) {
	if pu.PowensUserID <= 0 {
		return 0, freenahi.FieldErrorf("powens_user_id", "must be a positive integer")
	}
	if pu.Token == "" {
		return 0, freenahi.FieldErrorf("powens_token", "is required")
	}
	sealed, err := s.secrets.Seal([]byte(pu.Token), tokenAAD(pu.PowensUserID))
	if err != nil {
		return 0, fmt.Errorf("seal token: %w", err)
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	now := micros(s.now())
	var other int64
	err = tx.QueryRowContext(ctx, `SELECT user_id FROM powens_users WHERE powens_user_id = $1`, pu.PowensUserID).Scan(&other)
	if err == nil && other != pu.UserID {
		return 0, freenahi.Errorf(freenahi.ECONFLICT, "Powens user %d is already linked to another freenahi user.", pu.PowensUserID)
	} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("find the link of Powens user %d: %w", pu.PowensUserID, err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO powens_users (user_id, powens_user_id, token_sealed, linked_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id) DO UPDATE SET powens_user_id = excluded.powens_user_id,
			token_sealed = excluded.token_sealed, linked_at = excluded.linked_at, unlinked_at = NULL`,
		pu.UserID, pu.PowensUserID, sealed, now); err != nil {
		return 0, userMissing(exists(err, freenahi.Errorf(freenahi.ECONFLICT, "Powens user %d is already linked to another freenahi user.", pu.PowensUserID)), pu.UserID)
	}
	h := sha256.Sum256([]byte(pu.Token))
	res, err := tx.ExecContext(ctx, `
		UPDATE webhook_events SET status = 'pending', user_id = $1, next_attempt_at = $2
		WHERE powens_user_id = $3 AND status = 'unmatched' AND (auth <> 'bearer' OR token_hash = $4)`,
		pu.UserID, now, pu.PowensUserID, h[:])
	if err != nil {
		return 0, fmt.Errorf("release waiting events: %w", err)
	}
	released, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("release waiting events: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE webhook_events SET status = 'failed', user_id = $1,
			last_error = 'the bearer token of this event is not the token linked to its Powens user; replay it only if you trust it'
		WHERE powens_user_id = $2 AND status = 'unmatched'`, pu.UserID, pu.PowensUserID); err != nil {
		return 0, fmt.Errorf("refuse events of another token: %w", err)
	}
	return int(released), tx.Commit()
}

// FindPowensUser returns the Powens link of a freenahi user, token unsealed;
// ENOTFOUND when the user is not linked (or no longer).
func (s *Store) FindPowensUser(ctx context.Context, userID int64) (*freenahi.PowensUser, error) {
	pu, err := s.findPowensUser(ctx, `user_id = $1`, userID)
	if err != nil {
		return nil, fmt.Errorf("find Powens user of user %d: %w", userID, err)
	}
	return pu, nil
}

// FindPowensUserByPowensID returns the link of a Powens user id, token
// unsealed; ENOTFOUND when no freenahi user is linked to it.
func (s *Store) FindPowensUserByPowensID(ctx context.Context, powensUserID int64) (*freenahi.PowensUser, error) {
	pu, err := s.findPowensUser(ctx, `powens_user_id = $1`, powensUserID)
	if err != nil {
		return nil, fmt.Errorf("find Powens user %d: %w", powensUserID, err)
	}
	return pu, nil
}

func (s *Store) findPowensUser(ctx context.Context, where string, arg int64) (*freenahi.PowensUser, error) {
	pu := &freenahi.PowensUser{}
	var sealed []byte
	err := s.rdb.QueryRowContext(ctx, `
		SELECT user_id, powens_user_id, token_sealed, linked_at, last_pull_at, pull_error FROM powens_users
		WHERE unlinked_at IS NULL AND `+where, arg).Scan(&pu.UserID, &pu.PowensUserID, &sealed, timeVal{&pu.LinkedAt},
		timePtr{&pu.LastPullAt}, &pu.PullError)
	if err != nil {
		return nil, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "No Powens user is linked."))
	}
	token, err := s.secrets.Open(sealed, tokenAAD(pu.PowensUserID))
	if err != nil {
		return nil, fmt.Errorf("open Powens token of user %d: %w", pu.UserID, err)
	}
	pu.Token = string(token)
	return pu, nil
}

// UpdatePowensToken replaces the sealed token of a linked Powens user (after
// Powens renewed it) without touching the rest of the link; ENOTFOUND when
// that Powens user is not linked to that user.
func (s *Store) UpdatePowensToken(ctx context.Context, userID, powensUserID int64, token string) error {
	sealed, err := s.secrets.Seal([]byte(token), tokenAAD(powensUserID))
	if err != nil {
		return fmt.Errorf("update Powens token of user %d: seal: %w", userID, err)
	}
	res, err := s.wdb.ExecContext(ctx, `UPDATE powens_users SET token_sealed = $1 WHERE user_id = $2 AND powens_user_id = $3 AND unlinked_at IS NULL`,
		sealed, userID, powensUserID)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "Powens user %d is not linked to user %d.", powensUserID, userID)); err != nil {
		return fmt.Errorf("update Powens token of user %d: %w", userID, err)
	}
	return nil
}

// PullDue returns up to limit users whose reconcile pull is due at now, the
// longest-waiting first (never pulled first).
func (s *Store) PullDue(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	rows, err := s.rdb.QueryContext(ctx, `
		SELECT user_id FROM powens_users
		WHERE unlinked_at IS NULL AND token_sealed IS NOT NULL AND (next_pull_at IS NULL OR next_pull_at <= $1)
		ORDER BY next_pull_at IS NOT NULL, next_pull_at, user_id LIMIT $2`, micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("find users due for a pull: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("find users due for a pull: scan: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find users due for a pull: %w", err)
	}
	return out, nil
}

// ClaimPull reserves the due pull of a user until until, so that with
// several instances one of them pulls: it reports false when the pull is
// not due at now (another instance claimed it, or it was done).
func (s *Store) ClaimPull(ctx context.Context, userID int64, now, until time.Time) (bool, error) {
	res, err := s.wdb.ExecContext(ctx, `UPDATE powens_users SET next_pull_at = $1
		WHERE user_id = $2 AND unlinked_at IS NULL AND (next_pull_at IS NULL OR next_pull_at <= $3)`, micros(until), userID, micros(now))
	if err != nil {
		return false, fmt.Errorf("claim the pull of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim the pull of user %d: %w", userID, err)
	}
	return n == 1, nil
}

// RecordPull records a reconcile pull: on success (pullErr "") started becomes
// the base of the next incremental pull; in every case next is when the next
// pull is due. ENOTFOUND when the user has no Powens link.
func (s *Store) RecordPull(ctx context.Context, userID int64, started, next time.Time, pullErr string) error {
	var res sql.Result
	var err error
	if pullErr == "" {
		res, err = s.wdb.ExecContext(ctx, `UPDATE powens_users SET last_pull_at = $1, next_pull_at = $2, pull_error = '' WHERE user_id = $3`,
			micros(started), micros(next), userID)
	} else {
		res, err = s.wdb.ExecContext(ctx, `UPDATE powens_users SET next_pull_at = $1, pull_error = $2 WHERE user_id = $3`,
			micros(next), clip(pullErr), userID)
	}
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "User %d has no Powens link.", userID)); err != nil {
		return fmt.Errorf("record pull of user %d: %w", userID, err)
	}
	return nil
}
