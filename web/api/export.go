package api

import (
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// registerExportRoutes registers account statements and the Inqom ledger;
// like the rest of the API, every route requires a token and is scoped to
// the token's user.
func (s *Handler) registerExportRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/accounts/{id}/export.cfonb", s.requireToken(s.handleAccountExport(freenahi.FormatCFONB)))
	mux.HandleFunc("GET /api/v1/accounts/{id}/export.csv", s.requireToken(s.handleAccountExport(freenahi.FormatCSV)))
	mux.HandleFunc("GET /api/v1/accounts/{id}/export.camt053", s.requireToken(s.handleAccountExport(freenahi.FormatCamt053)))
	mux.HandleFunc("GET /api/v1/accounts/{id}/export.ofx", s.requireToken(s.handleAccountExport(freenahi.FormatOFX)))
	mux.HandleFunc("GET /api/v1/inqom/mappings", s.requireToken(s.requireInqom(s.handleInqomMappingIndex)))
	mux.HandleFunc("POST /api/v1/inqom/mappings", s.requireToken(s.requireInqom(s.handleInqomMappingCreate)))
	mux.HandleFunc("GET /api/v1/inqom/mappings/{id}", s.requireToken(s.requireInqom(s.handleInqomMappingView)))
	mux.HandleFunc("DELETE /api/v1/inqom/mappings/{id}", s.requireToken(s.requireInqom(s.handleInqomMappingUnlink)))
	mux.HandleFunc("GET /api/v1/inqom/mappings/{id}/batches", s.requireToken(s.requireInqom(s.handleInqomBatchIndex)))
	mux.HandleFunc("GET /api/v1/inqom/batches/{id}/file", s.requireToken(s.requireInqom(s.handleInqomBatchFile)))
	mux.HandleFunc("POST /api/v1/inqom/batches/{id}/resolve", s.requireToken(s.requireInqom(s.handleInqomBatchResolve)))
	mux.HandleFunc("POST /api/v1/inqom/push", s.requireToken(s.requireInqom(s.handleInqomPush)))
}

// handleAccountExport streams an account's statement for a period: CFONB 120
// (text/plain) or CSV. Everything is checked before the first byte, so a
// refusal is a clean problem document; a failure after it aborts the
// response, so a cut file never passes for a whole one.
func (s *Handler) handleAccountExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := request.PathID(r.PathValue("id"))
		p := request.NewParams(r.URL.Query(), "from", "to", "per_period", "rib", "separator")
		req := freenahi.StatementRequest{UserID: request.User(r.Context()).ID, AccountID: id, Format: format,
			PerPeriod: p.Bool("per_period"), RIB: p.Str("rib")}
		req.From, req.To = dateOrZero(p.Date("from")), dateOrZero(p.Date("to"))
		switch sep := p.Str("separator"); sep {
		case "":
		case ";", ",":
			req.Separator = rune(sep[0])
		default:
			p.Err = freenahi.FieldErrorf("separator", "%q is not ; or ,", sep)
		}
		if err == nil {
			err = p.Err
		}
		if err == nil && s.Statements == nil {
			err = freenahi.Errorf(freenahi.EUNAVAILABLE, "Exports are not configured on this server.")
		}
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		if err := respond.Statement(w, r, s.Statements, req); err != nil {
			// Statements are the owner's: 403 for an account shared with the caller.
			respond.Error(w, r, s.ownerOnly(r, id, err))
		}
	}
}

func dateOrZero(d *freenahi.Date) freenahi.Date {
	if d == nil {
		return freenahi.Date{}
	}
	return *d
}
