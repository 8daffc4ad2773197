package ui

import (
	"context"
	"net/url"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/jobs"
)

// Aggregator is what the UI asks of the link with Powens; it is implemented
// by *aggregator.Service (tests use the real one over the sandbox). Every
// method answers in domain terms (the connection flow's steps), never with
// a Powens client; each documents its errors in the aggregator package.
type Aggregator interface {
	Reconcile(ctx context.Context, userID int64) (int, error)
	SyncConnection(ctx context.Context, userID, connectionID int64) (*freenahi.Connection, error)
	DeleteConnection(ctx context.Context, userID, connectionID int64) error
	WebviewURL(ctx context.Context, userID int64, flow string, connectionID int64) (string, error)
	HandleWebviewCallback(ctx context.Context, q url.Values) (*aggregator.WebviewResult, error)

	Connectors(ctx context.Context, q freenahi.ConnectorQuery) ([]freenahi.Connector, error)
	ConnectForm(ctx context.Context, userID int64, req aggregator.FormRequest) (*freenahi.ConnectForm, error)
	CheckConnection(ctx context.Context, userID, pid int64) (*freenahi.ConnectCheck, error)
	SealValues(ctx context.Context, values map[string]string) (aggregator.SealedValues, error)
	Activation(ctx context.Context, userID, pid int64) (*freenahi.Activation, error)
}

var _ Aggregator = (*aggregator.Service)(nil)

// Jobs starts a person's background operations and reads their outcome;
// it is implemented by *jobs.Runner.
type Jobs interface {
	Start(ctx context.Context, userID int64, kind string, args any) (*freenahi.Job, error)
	Find(ctx context.Context, userID int64, id string) (*freenahi.Job, error)
	Wait(ctx context.Context, userID int64, id string, max time.Duration) (*freenahi.Job, error)
}

var _ Jobs = (*jobs.Runner)(nil)

// aggregator returns the Aggregator, or EUNAVAILABLE when Powens is not configured.
func (s *Handler) aggregator() (Aggregator, error) {
	if s.Aggregator == nil {
		return nil, freenahi.Errorf(freenahi.EUNAVAILABLE, "Powens is not configured on this server (POWENS_DOMAIN or POWENS_API_URL, POWENS_CLIENT_ID, POWENS_CLIENT_SECRET).")
	}
	return s.Aggregator, nil
}
