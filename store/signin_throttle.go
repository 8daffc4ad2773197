package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/freenahi/freenahi"
)

// Sign-in throttling. Every attempt is charged to its buckets here, before
// the password is hashed, in one transaction: on PostgreSQL the conditional
// UPDATE locks the row, so a concurrent attempt re-reads it after the first
// commits; on SQLite the one writer connection serialises them. Either way N
// parallel guesses see N distinct counts, and only the bucket's free ones
// reach the hash. Several instances sharing a PostgreSQL share the counts.

// ReserveSignin charges one attempt to every bucket and returns 0 when the
// attempt may go on to the password check, or how long the first bucket
// still waiting makes it wait; a refused attempt charges nothing. The
// attempt counts as a failure until SigninSucceeded says otherwise.
func (s *Store) ReserveSignin(ctx context.Context, buckets []freenahi.SigninBucket) (time.Duration, error) {
	// One order for every transaction, so two of them never wait on each
	// other's rows in opposite orders (a deadlock on PostgreSQL).
	buckets = slices.SortedFunc(slices.Values(buckets), func(a, b freenahi.SigninBucket) int { return cmp.Compare(a.Key, b.Key) })
	now := s.now()
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("reserve sign-in: begin: %w", err)
	}
	defer tx.Rollback()
	for _, b := range buckets {
		wait, err := chargeBucket(ctx, tx, b, now)
		if err != nil || wait > 0 {
			return wait, err
		}
	}
	if err := purgeSigninBuckets(ctx, tx, now); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("reserve sign-in: commit: %w", err)
	}
	return 0, nil
}

// chargeBucket counts one failure in b unless b is waiting, and then says
// how long.
func chargeBucket(ctx context.Context, tx *sql.Tx, b freenahi.SigninBucket, now time.Time) (time.Duration, error) {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO signin_throttles (bucket, account, failures, last_failure_at, next_try_at)
		VALUES ($1, $2, 0, 0, 0) ON CONFLICT (bucket) DO NOTHING`, b.Key, b.Account)
	if err != nil {
		return 0, fmt.Errorf("reserve sign-in bucket: %w", err)
	}
	var failures int
	err = tx.QueryRowContext(ctx, `
		UPDATE signin_throttles
		SET failures = CASE WHEN last_failure_at < $1 THEN 1 ELSE failures + 1 END, last_failure_at = $2
		WHERE bucket = $3 AND next_try_at <= $2
		RETURNING failures`, micros(now.Add(-freenahi.SigninForgetAfter)), micros(now), b.Key).Scan(&failures)
	if errors.Is(err, sql.ErrNoRows) {
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT next_try_at FROM signin_throttles WHERE bucket = $1`, b.Key).Scan(&next); err != nil {
			return 0, fmt.Errorf("read sign-in bucket: %w", err)
		}
		return max(fromMicros(next).Sub(now), time.Microsecond), nil
	} else if err != nil {
		return 0, fmt.Errorf("charge sign-in bucket: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE signin_throttles SET next_try_at = $1 WHERE bucket = $2`,
		micros(now.Add(b.DelayAfter(failures))), b.Key)
	if err != nil {
		return 0, fmt.Errorf("delay sign-in bucket: %w", err)
	}
	return 0, nil
}

// SigninSucceeded settles a reserved attempt whose password was right: the
// forget buckets (the account from this client or device) start afresh, and
// the refund buckets (shared with others) take back the failure the attempt
// was charged.
func (s *Store) SigninSucceeded(ctx context.Context, forget, refund []string) error {
	now := s.now()
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("settle sign-in: begin: %w", err)
	}
	defer tx.Rollback()
	for _, key := range forget {
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_throttles WHERE bucket = $1`, key); err != nil {
			return fmt.Errorf("settle sign-in: forget bucket: %w", err)
		}
	}
	for _, key := range refund {
		if _, err := tx.ExecContext(ctx, `UPDATE signin_throttles SET failures = failures - 1 WHERE bucket = $1 AND failures > 0`, key); err != nil {
			return fmt.Errorf("settle sign-in: refund bucket: %w", err)
		}
	}
	if err := purgeSigninBuckets(ctx, tx, now); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("settle sign-in: commit: %w", err)
	}
	return nil
}

// purgeSigninBuckets deletes the buckets forgotten for a day, so that the
// table holds about a day of failures whatever is tried (an index on
// last_failure_at makes this a short range scan).
func purgeSigninBuckets(ctx context.Context, tx *sql.Tx, now time.Time) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM signin_throttles WHERE last_failure_at < $1 AND next_try_at <= $2`,
		micros(now.Add(-freenahi.SigninForgetAfter)), micros(now))
	if err != nil {
		return fmt.Errorf("purge sign-in buckets: %w", err)
	}
	return nil
}

// UnlockSignin forgets every failed sign-in counted against an account,
// from every client and device, and returns how many buckets it cleared
// (`freenahi user unlock`). Buckets of a client address alone stay.
func (s *Store) UnlockSignin(ctx context.Context, email string) (int64, error) {
	res, err := s.wdb.ExecContext(ctx, `DELETE FROM signin_throttles WHERE account = $1`, email)
	if err != nil {
		return 0, fmt.Errorf("unlock sign-in of %s: %w", email, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("unlock sign-in of %s: %w", email, err)
	}
	return n, nil
}
