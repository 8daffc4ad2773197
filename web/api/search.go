package api

import (
	"net/http"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Handler) registerSearchRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/searches", s.requireToken(s.handleSavedSearchIndex))
	mux.HandleFunc("POST /api/v1/searches", s.requireToken(s.handleSavedSearchCreate))
	mux.HandleFunc("DELETE /api/v1/searches/{id}", s.requireToken(s.handleSavedSearchDelete))
}

// savedSearchJSON is a saved search: query is the query string of
// GET /api/v1/transactions (and of the transactions page) it stands for.
type savedSearchJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Query     string    `json:"query"`
	CreatedAt time.Time `json:"created_at"`
}

func toSavedSearchJSON(ss *freenahi.SavedSearch) savedSearchJSON {
	return savedSearchJSON{ID: ss.ID, Name: ss.Name, Query: ss.Query, CreatedAt: ss.CreatedAt}
}

func (s *Handler) handleSavedSearchIndex(w http.ResponseWriter, r *http.Request) {
	if err := request.NewParams(r.URL.Query()).Err; err != nil {
		respond.Error(w, r, err)
		return
	}
	saved, err := s.Transactions.FindSavedSearches(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Searches []savedSearchJSON `json:"searches"`
	}{Searches: make([]savedSearchJSON, 0, len(saved))}
	for _, ss := range saved {
		out.Searches = append(out.Searches, toSavedSearchJSON(ss))
	}
	respond.JSON(w, r, http.StatusOK, out)
}

func (s *Handler) handleSavedSearchCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name  string `json:"name"`
		Query string `json:"query"`
	}
	err := decodeBody(w, r, &in)
	ss := &freenahi.SavedSearch{UserID: request.User(r.Context()).ID, Name: in.Name, Query: in.Query}
	if err == nil {
		err = s.Transactions.CreateSavedSearch(r.Context(), ss)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusCreated, toSavedSearchJSON(ss))
}

func (s *Handler) handleSavedSearchDelete(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = s.Transactions.DeleteSavedSearch(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
