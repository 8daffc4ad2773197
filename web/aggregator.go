package web

import (
	"context"
	"net/http"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/jobs"
)

// Aggregator is what the web layer asks of the link with Powens; it is
// implemented by *aggregator.Service (tests use the real one over the
// sandbox). Every method answers in domain terms: the connection flow's
// steps, never a Powens client.
type Aggregator interface {
	Reconcile(ctx context.Context, userID int64) (int, error)
	SyncConnection(ctx context.Context, userID, connectionID int64) (*freenahi.Connection, error)
	DeleteConnection(ctx context.Context, userID, connectionID int64) error
	WebviewURL(ctx context.Context, userID int64, flow string, connectionID int64, state string) (string, error)
	HandleWebviewCallback(ctx context.Context, userID int64, br *aggregator.BankReturn) (*aggregator.WebviewResult, error)

	Connectors(ctx context.Context, q freenahi.ConnectorQuery) ([]freenahi.Connector, error)
	ConnectForm(ctx context.Context, userID int64, req aggregator.FormRequest) (*freenahi.ConnectForm, error)
	CheckConnection(ctx context.Context, userID, pid int64) (*freenahi.ConnectCheck, error)
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

// requireAggregator answers 503 when Powens is not configured.
func (s *Server) requireAggregator(h func(http.ResponseWriter, *http.Request)) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.aggregator(); err != nil {
			s.Error(w, r, err)
			return
		}
		h(w, r)
	}
}

// aggregator returns the Aggregator, or EUNAVAILABLE when Powens is not configured.
func (s *Server) aggregator() (Aggregator, error) {
	if s.Aggregator == nil {
		return nil, freenahi.Errorf(freenahi.EUNAVAILABLE, "Powens is not configured on this server (POWENS_DOMAIN or POWENS_API_URL, POWENS_CLIENT_ID, POWENS_CLIENT_SECRET).")
	}
	return s.Aggregator, nil
}
