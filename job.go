package freenahi

import (
	"context"
	"time"
)

// Background jobs: operations a person starts from a page that may take
// minutes at the bank (posting credentials, waiting for a decoupled
// validation). They are kept in the database, so a restart or another
// instance picks them up, and the progress page can be served by any instance.

// JobStatus is where a job stands.
type JobStatus string

// Job statuses.
const (
	JobQueued  JobStatus = "queued"  // waiting for a runner
	JobRunning JobStatus = "running" // leased to a runner until LeaseUntil
	JobDone    JobStatus = "done"    // finished; Result says where to go next
	JobFailed  JobStatus = "failed"  // finished; Error says why
)

// Finished reports whether the job will not change any more.
func (s JobStatus) Finished() bool { return s == JobDone || s == JobFailed }

// Job is one background operation of a person.
type Job struct {
	// ID is random and unguessable: it appears in the progress page's URL.
	ID     string
	UserID int64
	// Kind names the operation; Payload holds its arguments (sealed at rest).
	Kind    string
	Payload []byte
	Status  JobStatus
	// Attempts counts the runs started; above 1, an earlier run was interrupted.
	Attempts   int
	CreatedAt  time.Time
	StartedAt  *time.Time
	FinishedAt *time.Time
	LeaseUntil *time.Time
	// Deadline is when a job still unfinished fails with a timeout.
	Deadline time.Time
	// Result is the operation's answer (JSON), for JobDone.
	Result []byte
	// Error is why the job failed, for JobFailed; a person may read it.
	Error *Error
}

// JobService keeps background jobs.
type JobService interface {
	// CreateJob stores a queued job and sets its ID, CreatedAt and Status.
	// It returns ECONFLICT when the user already has max unfinished jobs.
	CreateJob(ctx context.Context, j *Job, max int) error
	// FindJob returns one of the user's jobs; ENOTFOUND if it does not exist,
	// was forgotten, or belongs to someone else.
	FindJob(ctx context.Context, userID int64, id string) (*Job, error)
	// ClaimJob leases the oldest queued job, or a running one whose lease
	// expired (its runner died), to the caller until now+lease, and counts the
	// attempt. It returns ENOTFOUND when no job is waiting.
	ClaimJob(ctx context.Context, lease time.Duration) (*Job, error)
	// RenewJob extends the lease of a running job; ECONFLICT when the job is
	// no longer leased with the lease the caller holds (another runner took it).
	RenewJob(ctx context.Context, j *Job, lease time.Duration) error
	// FinishJob records a job's end: Result for JobDone, Error for JobFailed.
	// ECONFLICT when the caller no longer holds the lease.
	FinishJob(ctx context.Context, j *Job) error
	// ReleaseJob gives a running job back to the queue (shutdown); ECONFLICT
	// when the caller no longer holds the lease.
	ReleaseJob(ctx context.Context, j *Job) error
	// ForgetJobs deletes jobs finished before t and returns how many.
	ForgetJobs(ctx context.Context, t time.Time) (int, error)
}
