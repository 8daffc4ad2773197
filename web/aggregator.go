package web

import (
	"context"
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/powens"
)

// Aggregator is what the web layer asks of the link with Powens; it is
// implemented by *aggregator.Service (tests use the real one over the sandbox).
type Aggregator interface {
	Client() *powens.Client
	PowensUser(ctx context.Context, userID int64) (*freenahi.PowensUser, error)
	Do(ctx context.Context, userID int64, fn func(*powens.UserClient) error) error
	Reconcile(ctx context.Context, userID int64) (int, error)
	PullConnection(ctx context.Context, userID, powensConnectionID int64) error
	SyncConnection(ctx context.Context, userID, connectionID int64) (*freenahi.Connection, error)
	DeleteConnection(ctx context.Context, userID, connectionID int64) error
	WebviewURL(ctx context.Context, userID int64, flow powens.WebviewFlow, connectionID int64, state string) (string, error)
	HandleWebviewCallback(ctx context.Context, userID int64, cb *powens.WebviewCallback) (*aggregator.WebviewResult, error)
}

var _ Aggregator = (*aggregator.Service)(nil)

// requireAggregator answers 503 when Powens is not configured.
func (s *Server) requireAggregator(h func(http.ResponseWriter, *http.Request)) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Aggregator == nil {
			s.Error(w, r, &freenahi.Error{Code: freenahi.EUNAVAILABLE,
				Message: "Powens is not configured (POWENS_DOMAIN or POWENS_API_URL, POWENS_CLIENT_ID, POWENS_CLIENT_SECRET)."})
			return
		}
		h(w, r)
	}
}
