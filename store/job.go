package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/freenahi/freenahi"
)

var _ freenahi.JobService = (*Store)(nil)

// A job's claim is fenced by its attempt number: each claim increments it,
// so a runner whose lease expired and was taken over can no longer renew,
// finish or release the job (its UPDATE matches no row).

// jobAAD binds a sealed payload to its job, so payloads cannot be swapped.
func jobAAD(id string) string { return "job:" + id }

const jobColumns = `id, user_id, kind, payload_sealed, status, attempts, created_at, started_at, finished_at,
	lease_until, deadline, result, error`

// CreateJob stores a queued job, its payload sealed, and sets its ID,
// CreatedAt and Status. It refuses with ECONFLICT when the user already has
// max unfinished jobs.
func (s *Store) CreateJob(ctx context.Context, j *freenahi.Job, max int) error {
	raw := make([]byte, 18)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("job id: %w", err)
	}
	id := base64.RawURLEncoding.EncodeToString(raw)
	sealed, err := s.secrets.Seal(j.Payload, jobAAD(id))
	if err != nil {
		return fmt.Errorf("seal job payload: %w", err)
	}
	now := s.now()
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create job: %w", err)
	}
	defer tx.Rollback()
	var running int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE user_id = $1 AND status IN ('queued', 'running')`,
		j.UserID).Scan(&running); err != nil {
		return fmt.Errorf("count jobs of user %d: %w", j.UserID, err)
	}
	if running >= max {
		return freenahi.Errorf(freenahi.ECONFLICT, "Several operations are already running; wait for them to finish.")
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO jobs (id, user_id, kind, payload_sealed, status, created_at, deadline)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		id, j.UserID, j.Kind, sealed, string(freenahi.JobQueued), micros(now), micros(j.Deadline))
	if err != nil {
		return fmt.Errorf("create job: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create job: %w", err)
	}
	j.ID, j.CreatedAt, j.Status, j.Attempts = id, now, freenahi.JobQueued, 0
	return nil
}

// FindJob returns one of the user's jobs, payload unsealed; ENOTFOUND when
// it does not exist, was forgotten, or belongs to someone else.
func (s *Store) FindJob(ctx context.Context, userID int64, id string) (*freenahi.Job, error) {
	row := s.rdb.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = $1 AND user_id = $2`, id, userID)
	j, err := s.scanJob(row)
	if err != nil {
		return nil, fmt.Errorf("find job: %w", notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Job not found.")))
	}
	return j, nil
}

// ClaimJob leases the oldest queued job, or a running one whose lease has
// expired, until now+lease. ENOTFOUND when none is waiting. On PostgreSQL,
// SKIP LOCKED lets several instances claim different jobs at once.
func (s *Store) ClaimJob(ctx context.Context, lease time.Duration) (*freenahi.Job, error) {
	now := s.now()
	lock := ""
	if s.engine == Postgres {
		lock = "FOR UPDATE SKIP LOCKED"
	}
	row := s.wdb.QueryRowContext(ctx, `
		UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = $1,
			started_at = COALESCE(started_at, $2)
		WHERE id = (
			SELECT id FROM jobs
			WHERE status IN ('queued', 'running') AND (status = 'queued' OR lease_until < $2)
			ORDER BY created_at, id LIMIT 1 `+lock+`)
		RETURNING `+jobColumns, micros(now.Add(lease)), micros(now))
	j, err := s.scanJob(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, freenahi.Errorf(freenahi.ENOTFOUND, "No job is waiting.")
	} else if err != nil {
		return nil, fmt.Errorf("claim job: %w", err)
	}
	return j, nil
}

// RenewJob extends a running job's lease to now+lease.
func (s *Store) RenewJob(ctx context.Context, j *freenahi.Job, lease time.Duration) error {
	until := s.now().Add(lease)
	err := s.fencedJobUpdate(ctx, j, `UPDATE jobs SET lease_until = $3 WHERE id = $1 AND attempts = $2 AND status = 'running'`,
		micros(until))
	if err == nil {
		j.LeaseUntil = &until
	}
	return err
}

// FinishJob records the end of a job: Result when j.Status is JobDone,
// Error when it is JobFailed.
func (s *Store) FinishJob(ctx context.Context, j *freenahi.Job) error {
	if !j.Status.Finished() {
		return fmt.Errorf("finish job %s: status %q is not a finished one", j.ID, j.Status)
	}
	var result, cause any
	if j.Result != nil {
		result = string(j.Result)
	}
	if j.Error != nil {
		b, err := json.Marshal(j.Error)
		if err != nil {
			return fmt.Errorf("finish job %s: %w", j.ID, err)
		}
		cause = string(b)
	}
	now := s.now()
	err := s.fencedJobUpdate(ctx, j, `
		UPDATE jobs SET status = $3, finished_at = $4, lease_until = NULL, result = $5, error = $6
		WHERE id = $1 AND attempts = $2 AND status = 'running'`,
		string(j.Status), micros(now), result, cause)
	if err == nil {
		j.FinishedAt, j.LeaseUntil = &now, nil
	}
	return err
}

// ReleaseJob puts a running job back in the queue, for a runner that stops
// before the job ends: another runner takes it up at once.
func (s *Store) ReleaseJob(ctx context.Context, j *freenahi.Job) error {
	err := s.fencedJobUpdate(ctx, j, `UPDATE jobs SET status = 'queued', lease_until = NULL WHERE id = $1 AND attempts = $2 AND status = 'running'`)
	if err == nil {
		j.Status, j.LeaseUntil = freenahi.JobQueued, nil
	}
	return err
}

// fencedJobUpdate runs an UPDATE whose first two parameters are the job's
// id and the attempt the caller holds; no row means the claim was lost.
func (s *Store) fencedJobUpdate(ctx context.Context, j *freenahi.Job, query string, args ...any) error {
	res, err := s.wdb.ExecContext(ctx, query, append([]any{j.ID, j.Attempts}, args...)...)
	if err != nil {
		return fmt.Errorf("update job %s: %w", j.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update job %s: %w", j.ID, err)
	} else if n == 0 {
		return freenahi.Errorf(freenahi.ECONFLICT, "Job %s is no longer held by this runner.", j.ID)
	}
	return nil
}

// ForgetJobs deletes the jobs finished before t.
func (s *Store) ForgetJobs(ctx context.Context, t time.Time) (int, error) {
	res, err := s.wdb.ExecContext(ctx, `DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < $1`, micros(t))
	if err != nil {
		return 0, fmt.Errorf("forget jobs: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (s *Store) scanJob(row *sql.Row) (*freenahi.Job, error) {
	j := &freenahi.Job{}
	var sealed []byte
	var status string
	var result, cause sql.NullString
	err := row.Scan(&j.ID, &j.UserID, &j.Kind, &sealed, &status, &j.Attempts, timeVal{&j.CreatedAt},
		timePtr{&j.StartedAt}, timePtr{&j.FinishedAt}, timePtr{&j.LeaseUntil}, timeVal{&j.Deadline}, &result, &cause)
	if err != nil {
		return nil, err
	}
	j.Status = freenahi.JobStatus(status)
	if j.Payload, err = s.secrets.Open(sealed, jobAAD(j.ID)); err != nil {
		return nil, fmt.Errorf("open payload of job %s: %w", j.ID, err)
	}
	if result.Valid {
		j.Result = []byte(result.String)
	}
	if cause.Valid {
		j.Error = &freenahi.Error{}
		if err := json.Unmarshal([]byte(cause.String), j.Error); err != nil {
			return nil, fmt.Errorf("read error of job %s: %w", j.ID, err)
		}
	}
	return j, nil
}
