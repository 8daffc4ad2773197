package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// A mapping's history of files, newest first: each file's state in plain
// words, its dates, attempts, Inqom's answer and SHA-256, the exact bytes
// to download, and for a failed or review file the decisions the ledger
// takes (retry, sent, release), each behind a confirmation page.

func (s *Handler) registerUIInqomBatchRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /inqom/mappings/{id}", s.signedIn(s.uiInqom(s.handleUIInqomMappingView)))
	mux.HandleFunc("GET /inqom/batches/{id}/file", s.signedIn(s.uiInqom(s.handleUIInqomBatchFile)))
	mux.HandleFunc("GET /inqom/batches/{id}/resolve", s.signedIn(s.uiInqom(s.handleUIInqomResolveForm)))
	mux.HandleFunc("POST /inqom/batches/{id}/resolve", s.signedIn(s.uiInqom(s.handleUIInqomResolve)))
}

// historyLimit bounds the files the history lists.
const historyLimit = 100

// historyView is a mapping's history page.
type historyView struct {
	Mapping mappingRow
	Batches []batchRow
	// Limit is set when the list stops at historyLimit files.
	Limit int
}

// batchRow is one file of the history.
type batchRow struct {
	*freenahi.ExportBatch
	// Accepted is set when Inqom took the file; ImportID and Movements are
	// what its answer says, when it says.
	Accepted            bool
	ImportID, Movements int64
	// NextAttempt is when freenahi sends it again by itself, if it does.
	NextAttempt *time.Time
	// Actions are the decisions offered: only for failed or review files.
	Actions []freenahi.BatchResolution
}

// resolutions are the decisions about a file, in the order offered.
var resolutions = []freenahi.BatchResolution{freenahi.ResolveRetry, freenahi.ResolveSent, freenahi.ResolveRelease}

func newBatchRow(b *freenahi.ExportBatch) batchRow {
	row := batchRow{ExportBatch: b}
	if b.AnswerStatus >= 200 && b.AnswerStatus < 300 {
		// People read what Inqom did, not its JSON; the file's error, when
		// there is one, is already in words.
		row.Accepted = true
		var a struct {
			ImportID  int64 `json:"importId"`
			Movements int64 `json:"movements"`
		}
		if json.Unmarshal([]byte(b.Answer), &a) == nil {
			row.ImportID, row.Movements = a.ImportID, a.Movements
		}
	}
	if b.Status == freenahi.BatchPending || b.Status == freenahi.BatchReview && !b.Held {
		row.NextAttempt = &b.NextAttemptAt
	}
	if b.Status == freenahi.BatchFailed || b.Status == freenahi.BatchReview {
		row.Actions = resolutions
	}
	return row
}

// ownMapping returns one of the person's mappings, with its account's name.
func (s *Handler) ownMapping(r *http.Request, id int64) (mappingRow, error) {
	userID := request.User(r.Context()).ID
	m, err := s.Inqom.FindInqomMappingByID(r.Context(), userID, id)
	if err != nil {
		return mappingRow{}, err
	}
	row := mappingRow{InqomMappingStatus: m, AccountName: "#" + strconv.FormatInt(m.AccountID, 10)}
	if a, err := s.Accounts.FindAccountByID(r.Context(), userID, m.AccountID); err == nil {
		row.AccountName = a.Name
	}
	return row, nil
}

func (s *Handler) handleUIInqomMappingView(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var m mappingRow
	if err == nil {
		m, err = s.ownMapping(r, id)
	}
	var bs []*freenahi.ExportBatch
	if err == nil {
		bs, err = s.Inqom.FindExportBatches(r.Context(), request.User(r.Context()).ID, id, historyLimit)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := historyView{Mapping: m}
	for _, b := range bs {
		v.Batches = append(v.Batches, newBatchRow(b))
	}
	if len(bs) == historyLimit {
		v.Limit = historyLimit
	}
	s.render(w, r, http.StatusOK, "inqom_mapping", &page{Title: "batch.title", Nav: "inqom", Data: v})
}

// handleUIInqomBatchFile answers the exact bytes of a file, as sent to Inqom.
func (s *Handler) handleUIInqomBatchFile(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var b *freenahi.ExportBatch
	if err == nil {
		b, err = s.Inqom.FindExportBatchFile(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=us-ascii")
	h.Set("Content-Disposition", `attachment; filename="`+b.Filename+`"`)
	h.Set("Content-Length", strconv.Itoa(len(b.Content)))
	h.Set("Digest", "sha-256="+b.SHA256)
	h.Set("Cache-Control", "no-store")
	w.Write(b.Content)
}

// resolveView is the confirmation page of a decision about a file.
type resolveView struct {
	Batch   batchRow
	Mapping mappingRow
	Action  freenahi.BatchResolution
}

// readResolution reads the action a link or a form names.
func readResolution(v string) (freenahi.BatchResolution, error) {
	if a := freenahi.BatchResolution(v); slices.Contains(resolutions, a) {
		return a, nil
	}
	return "", freenahi.FieldErrorf("action", "%q is not one of the decisions (retry, sent, release)", v)
}

// handleUIInqomResolveForm asks to confirm a decision, explaining it.
func (s *Handler) handleUIInqomResolveForm(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var b *freenahi.ExportBatch
	if err == nil {
		b, err = s.Inqom.FindExportBatchFile(r.Context(), request.User(r.Context()).ID, id)
	}
	var v resolveView
	if err == nil {
		b.Content = nil
		v.Batch = newBatchRow(b)
		if len(v.Batch.Actions) == 0 {
			err = freenahi.ErrNoDecision(b.ID, b.Status)
		}
	}
	if err == nil {
		v.Action, err = readResolution(r.URL.Query().Get("action"))
	}
	if err == nil {
		v.Mapping, err = s.ownMapping(r, b.MappingID)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "inqom_resolve", &page{Title: "resolve.title", Nav: "inqom", Data: v})
}

// handleUIInqomResolve records the decision; the ledger refuses it unless
// the file is failed or in review, and another person's file is not found.
func (s *Handler) handleUIInqomResolve(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var action freenahi.BatchResolution
	if err == nil {
		action, err = readResolution(r.PostForm.Get("action"))
	}
	var b *freenahi.ExportBatch
	if err == nil {
		b, err = s.Inqom.ResolveExportBatch(r.Context(), request.User(r.Context()).ID, id, action)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/inqom/mappings/%d?msg=flash.inqom_resolved#b-%d", b.MappingID, b.ID), http.StatusSeeOther)
}
