package api

import (
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// registerSyncRoutes adds the API endpoints that act through Powens.
func (s *Handler) registerSyncRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/sync", s.requireToken(s.requireAggregator(s.handleSync)))
	mux.HandleFunc("POST /api/v1/connections/{id}/sync", s.requireToken(s.requireAggregator(s.handleConnectionSync)))
	mux.HandleFunc("GET /api/v1/webview/{flow}", s.requireToken(s.requireAggregator(s.handleWebviewLink)))
}

// handleSync pulls what changed at Powens for the token's user, now.
func (s *Handler) handleSync(w http.ResponseWriter, r *http.Request) {
	n, err := s.Aggregator.Reconcile(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusAccepted, map[string]any{"status": "queued", "connections": n})
}

// handleConnectionSync asks Powens to sync one connection now, then pulls it.
func (s *Handler) handleConnectionSync(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	c, err := s.Aggregator.SyncConnection(r.Context(), request.User(r.Context()).ID, id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusAccepted, toConnectionJSON(c))
}

// handleWebviewLink returns a fresh Connect, Manage or Reconnect link.
func (s *Handler) handleWebviewLink(w http.ResponseWriter, r *http.Request) {
	flow := r.PathValue("flow")
	p := request.NewParams(r.URL.Query(), "connection_id")
	connID := p.Int64("connection_id")
	if p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	var id int64
	if connID != nil {
		id = *connID
	}
	user := request.User(r.Context())
	link, err := s.Aggregator.WebviewURL(r.Context(), user.ID, flow, id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, map[string]string{"url": link, "flow": flow})
}

// requireAggregator answers 503 when Powens is not configured.
func (s *Handler) requireAggregator(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Aggregator == nil {
			respond.Error(w, r, freenahi.Errorf(freenahi.EUNAVAILABLE, "Powens is not configured on this server (POWENS_DOMAIN or POWENS_API_URL, POWENS_CLIENT_ID, POWENS_CLIENT_SECRET)."))
			return
		}
		h(w, r)
	}
}
