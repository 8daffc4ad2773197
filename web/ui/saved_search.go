package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Handler) registerUISavedSearchRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /transactions/searches", s.signedIn(s.handleUISavedSearchCreate))
	mux.HandleFunc("POST /transactions/searches/{id}/delete", s.signedIn(s.handleUISavedSearchDelete))
}

// searchQuery keeps of a transactions page's query what a search is: its
// filters, not the page it was on, a message or a CSV separator.
func searchQuery(q url.Values) string {
	out := url.Values{}
	for k, v := range q {
		if slices.Contains(txFilterParams, k) && k != "cursor" && k != "before" && k != "msg" && k != "separator" && len(v) > 0 && v[0] != "" {
			out[k] = v[:1]
		}
	}
	return out.Encode()
}

// handleUISavedSearchCreate names the search the page shows; a name taken
// or missing shows the page again with the error.
func (s *Handler) handleUISavedSearchCreate(w http.ResponseWriter, r *http.Request) {
	q, err := url.ParseQuery(r.PostForm.Get("query"))
	if err != nil {
		q = url.Values{}
	}
	query := searchQuery(q)
	ss := &freenahi.SavedSearch{UserID: request.User(r.Context()).ID, Name: r.PostForm.Get("name"), Query: query}
	err = s.Transactions.CreateSavedSearch(r.Context(), ss)
	if code := freenahi.ErrorCode(err); code == freenahi.EINVALID || code == freenahi.ECONFLICT {
		page := r.Clone(r.Context())
		page.URL.RawQuery = query
		s.renderTransactions(w, page, http.StatusBadRequest, s.localeOf(r).Err(err))
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	sep := "?"
	if query != "" {
		sep = "?" + query + "&"
	}
	http.Redirect(w, r, "/transactions"+sep+"msg=flash.search_saved", http.StatusSeeOther)
}

func (s *Handler) handleUISavedSearchDelete(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = s.Transactions.DeleteSavedSearch(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/transactions?msg=flash.search_deleted", http.StatusSeeOther)
}

// savedSearchLink is a saved search with the address that runs it.
type savedSearchLink struct {
	*freenahi.SavedSearch
	Href template.URL
}

// savedSearchLinks makes each search's address from its query, parsed and
// encoded again with only the filter's parameters (a search saved through
// the API holds whatever text was sent): html/template would otherwise
// escape the query's "=" and "&" as data.
func savedSearchLinks(saved []*freenahi.SavedSearch) []savedSearchLink {
	out := make([]savedSearchLink, len(saved))
	for i, ss := range saved {
		q, _ := url.ParseQuery(ss.Query)
		out[i] = savedSearchLink{ss, template.URL("/transactions?" + searchQuery(q))}
	}
	return out
}
