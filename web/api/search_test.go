package api_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

func TestAPI_SavedSearches(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		b := webtest.MustUserWithData(t, s, "b@example.com", 43)
		r := ts.PostJSON(a.Token, "/api/v1/searches", `{"name": "Courses", "query": "q=carrefour&direction=spending"}`)
		if r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var created struct {
			ID    int64  `json:"id"`
			Name  string `json:"name"`
			Query string `json:"query"`
		}
		r.Decode(t, &created)
		if r := ts.PostJSON(a.Token, "/api/v1/searches", `{"name": "Courses", "query": "q=lidl"}`); r.Status != http.StatusConflict {
			t.Errorf("same name: %d %s, want 409", r.Status, r.Body)
		}
		if r := ts.PostJSON(a.Token, "/api/v1/searches", `{"name": " ", "query": "q=lidl"}`); r.Status != http.StatusBadRequest {
			t.Errorf("no name: %d %s, want 400", r.Status, r.Body)
		}
		var list struct {
			Searches []struct {
				ID          int64
				Name, Query string
			} `json:"searches"`
		}
		ts.Get(a.Token, "/api/v1/searches").Decode(t, &list)
		if len(list.Searches) != 1 || list.Searches[0].Name != "Courses" || list.Searches[0].Query != "q=carrefour&direction=spending" {
			t.Fatalf("a's searches: %+v", list.Searches)
		}
		// The saved query runs as is on the transactions endpoint.
		var page transactionsBody
		ts.Get(a.Token, "/api/v1/transactions?"+list.Searches[0].Query).Decode(t, &page)
		if len(page.Transactions) != 1 || page.Transactions[0].PowensID != 1 {
			t.Fatalf("running the saved search: %+v", page.Transactions)
		}
		ts.Get(b.Token, "/api/v1/searches").Decode(t, &list)
		if len(list.Searches) != 0 {
			t.Fatalf("b sees %+v", list.Searches)
		}
		del := func(token string) int {
			req, _ := http.NewRequest("DELETE", ts.URL+"/api/v1/searches/"+strconv.FormatInt(created.ID, 10), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			return ts.Do(req, nil).Status
		}
		if got := del(b.Token); got != http.StatusNotFound {
			t.Errorf("b deletes a's search: %d, want 404", got)
		}
		if got := del(a.Token); got != http.StatusNoContent {
			t.Errorf("a deletes her search: %d, want 204", got)
		}
	})
}
