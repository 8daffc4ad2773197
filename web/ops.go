package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Server) registerOpsRoutes() {
	s.mux.HandleFunc("GET /healthz", s.handleHealthz)
	s.mux.HandleFunc("GET /readyz", s.handleReadyz)
	s.mux.HandleFunc("GET /version", s.handleVersion)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{}))
}

// handleHealthz says the process is alive; it checks nothing else.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	respond.JSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz says whether requests can be served: the database answers.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	if s.Ping != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.Ping(ctx); err != nil {
			request.Logger(r.Context(), s.Logger).Warn("not ready: the database does not answer", slog.Any("error", err))
			respond.Error(w, r, freenahi.Errorf(freenahi.EUNAVAILABLE, "The database does not answer."))
			return
		}
	}
	respond.JSON(w, r, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) handleVersion(w http.ResponseWriter, r *http.Request) {
	respond.JSON(w, r, http.StatusOK, map[string]string{"version": s.Version})
}
