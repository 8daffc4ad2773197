package aggregator

import (
	"context"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/jobs"
	"github.com/freenahi/freenahi/powens"
)

// Kinds of the background jobs of the connection flow. Each is one call to
// Powens that may wait minutes at the bank; its result is a *freenahi.Next.
const (
	JobSubmitForm    = "connect.submit"   // SubmitForm
	JobSendFields    = "connect.fields"   // SendFields
	JobResume        = "connect.resume"   // Resume
	JobRetry         = "connect.retry"    // Retry
	JobRepairWebauth = "connect.webauth"  // RepairWebauth
	JobActivate      = "connect.activate" // Activate
	JobBackFromBank  = "connect.pull"     // BackFromBank
	JobSync          = "connect.sync"     // SyncNow
)

// JobArgs are the arguments of a connection-flow job; each kind reads the
// fields its method takes. Credentials and codes travel only as Sealed
// (encrypted for Powens before the job is stored); Values holds the fields
// shown before a bank's page, which are not secret.
type JobArgs struct {
	Form               *freenahi.ConnectForm `json:"form,omitempty"`
	Sealed             SealedValues          `json:"sealed,omitempty"`
	Values             map[string]string     `json:"values,omitempty"`
	Back               WebauthReturn         `json:"back,omitzero"`
	PowensConnectionID int64                 `json:"connection,omitempty"`
	Source             string                `json:"source,omitempty"`
	Keep               []int64               `json:"keep,omitempty"`
	Chosen             []int64               `json:"chosen,omitempty"`
}

// RegisterJobs registers the handlers of the connection flow's jobs.
func (s *Service) RegisterJobs(r *jobs.Runner) {
	handle := func(kind string, fn func(ctx context.Context, j *freenahi.Job, a *JobArgs) (*freenahi.Next, error)) {
		r.Handle(kind, func(ctx context.Context, j *freenahi.Job) (any, error) {
			var a JobArgs
			if err := jobs.Decode(j, &a); err != nil {
				return nil, err
			}
			return fn(ctx, j, &a)
		})
	}
	handle(JobSubmitForm, func(ctx context.Context, j *freenahi.Job, a *JobArgs) (*freenahi.Next, error) {
		attempt := Attempt{N: j.Attempts, FirstStarted: j.CreatedAt}
		if j.StartedAt != nil {
			attempt.FirstStarted = *j.StartedAt
		}
		return s.SubmitForm(ctx, j.UserID, a.Form, a.Sealed, a.Values, a.Back, attempt)
	})
	handle(JobSendFields, func(ctx context.Context, j *freenahi.Job, a *JobArgs) (*freenahi.Next, error) {
		return s.SendFields(ctx, j.UserID, a.PowensConnectionID, a.Sealed, a.Keep)
	})
	handle(JobResume, func(ctx context.Context, j *freenahi.Job, a *JobArgs) (*freenahi.Next, error) {
		return s.Resume(ctx, j.UserID, a.PowensConnectionID, a.Keep)
	})
	handle(JobRetry, func(ctx context.Context, j *freenahi.Job, a *JobArgs) (*freenahi.Next, error) {
		return s.Retry(ctx, j.UserID, a.PowensConnectionID, a.Keep)
	})
	handle(JobRepairWebauth, func(ctx context.Context, j *freenahi.Job, a *JobArgs) (*freenahi.Next, error) {
		return s.RepairWebauth(ctx, j.UserID, a.PowensConnectionID, a.Source, a.Back)
	})
	handle(JobActivate, func(ctx context.Context, j *freenahi.Job, a *JobArgs) (*freenahi.Next, error) {
		return s.Activate(ctx, j.UserID, a.PowensConnectionID, a.Chosen)
	})
	handle(JobBackFromBank, func(ctx context.Context, j *freenahi.Job, a *JobArgs) (*freenahi.Next, error) {
		return s.BackFromBank(ctx, j.UserID, a.PowensConnectionID, a.Keep)
	})
	handle(JobSync, func(ctx context.Context, j *freenahi.Job, a *JobArgs) (*freenahi.Next, error) {
		return s.SyncNow(ctx, j.UserID, a.PowensConnectionID)
	})
}

// SyncNow is "sync now" from the connections page: a forced sync with the
// person present, then a pull. A refusal because it synced recently means
// it is up to date; a sync ending in a state that needs the person leads to
// that state's step.
func (s *Service) SyncNow(ctx context.Context, userID, pid int64) (*freenahi.Next, error) {
	var conn *powens.Connection
	err := s.Do(ctx, userID, func(u *powens.UserClient) (err error) {
		conn, err = u.SyncConnection(ctx, pid, true)
		return err
	})
	notice := "synced"
	if powens.IsConflict(err) {
		notice, err = "up_to_date", nil
	}
	if err != nil {
		return nil, powensError("sync the connection", err)
	}
	next := s.afterChange(ctx, userID, pid, nil)
	if conn != nil && conn.ConnectionState() != freenahi.StateOK {
		return next, nil
	}
	return &freenahi.Next{Step: freenahi.StepConnections, Notice: notice}, nil
}
