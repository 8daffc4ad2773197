package web

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/freenahi/freenahi"
)

// registerExportRoutes registers account statements and the Inqom ledger;
// like the rest of the API, every route requires a token and is scoped to
// the token's user.
func (s *Server) registerExportRoutes() {
	s.mux.HandleFunc("GET /api/v1/accounts/{id}/export.cfonb", s.requireToken(s.handleAccountExport(freenahi.FormatCFONB)))
	s.mux.HandleFunc("GET /api/v1/accounts/{id}/export.csv", s.requireToken(s.handleAccountExport(freenahi.FormatCSV)))
	s.mux.HandleFunc("GET /api/v1/inqom/mappings", s.requireToken(s.requireInqom(s.handleInqomMappingIndex)))
	s.mux.HandleFunc("POST /api/v1/inqom/mappings", s.requireToken(s.requireInqom(s.handleInqomMappingCreate)))
	s.mux.HandleFunc("GET /api/v1/inqom/mappings/{id}", s.requireToken(s.requireInqom(s.handleInqomMappingView)))
	s.mux.HandleFunc("GET /api/v1/inqom/mappings/{id}/batches", s.requireToken(s.requireInqom(s.handleInqomBatchIndex)))
	s.mux.HandleFunc("GET /api/v1/inqom/batches/{id}/file", s.requireToken(s.requireInqom(s.handleInqomBatchFile)))
	s.mux.HandleFunc("POST /api/v1/inqom/batches/{id}/resolve", s.requireToken(s.requireInqom(s.handleInqomBatchResolve)))
	s.mux.HandleFunc("POST /api/v1/inqom/push", s.requireToken(s.requireInqom(s.handleInqomPush)))
}

// handleAccountExport streams an account's statement for a period: CFONB 120
// (text/plain) or CSV. Everything is checked before the first byte, so a
// refusal is a clean problem document; a failure after it aborts the
// response, so a cut file never passes for a whole one.
func (s *Server) handleAccountExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r.PathValue("id"), "Account")
		p := newParams(r.URL.Query(), "from", "to", "per_period", "rib", "separator")
		req := freenahi.StatementRequest{UserID: userFrom(r.Context()).ID, AccountID: id, Format: format,
			PerPeriod: p.bool("per_period"), RIB: p.str("rib")}
		req.From, req.To = dateOrZero(p.date("from")), dateOrZero(p.date("to"))
		switch sep := p.str("separator"); sep {
		case "":
		case ";", ",":
			req.Separator = rune(sep[0])
		default:
			p.err = freenahi.FieldErrorf("separator", "%q is not ; or ,", sep)
		}
		if err == nil {
			err = p.err
		}
		if err == nil && s.Statements == nil {
			err = freenahi.Errorf(freenahi.EUNAVAILABLE, "Exports are not configured on this server.")
		}
		if err != nil {
			s.Error(w, r, err)
			return
		}
		lw := &lazyWriter{w: w, start: func(h http.Header) { exportHeaders(h, req) }}
		if _, err := s.Statements.ExportStatement(r.Context(), lw, req); err != nil {
			if !lw.started {
				s.Error(w, r, err)
				return
			}
			loggerFrom(r.Context(), s.Logger).Error("export failed mid-stream", slog.String("path", r.URL.Path), slog.Any("error", err))
			panic(http.ErrAbortHandler)
		}
		if !lw.started {
			lw.Write(nil) // an export always writes something; be safe anyway
		}
	}
}

func dateOrZero(d *freenahi.Date) freenahi.Date {
	if d == nil {
		return freenahi.Date{}
	}
	return *d
}

// exportHeaders sets the type and the download name of a statement.
func exportHeaders(h http.Header, req freenahi.StatementRequest) {
	ext, ctype := "txt", "text/plain; charset=us-ascii"
	if req.Format == freenahi.FormatCSV {
		ext, ctype = "csv", "text/csv; charset=utf-8"
	}
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="freenahi-%d-%08d-%08d.%s"`, req.AccountID,
		req.From.Int(), req.To.Int(), ext))
	h.Set("Cache-Control", "no-store")
}

// lazyWriter commits the status and headers at the first byte written, so
// that an error found before it can still become a problem document.
type lazyWriter struct {
	w       http.ResponseWriter
	start   func(http.Header)
	started bool
}

func (l *lazyWriter) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		l.start(l.w.Header())
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(b)
}

var _ io.Writer = (*lazyWriter)(nil)
