package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// pageBody is a transactions page with both links.
type pageBody struct {
	transactionsBody
	PrevCursor *string `json:"prev_cursor"`
	Prev       *string `json:"prev"`
}

// TestAPI_TransactionSort walks the fixture's five transactions two by two
// in each order, forward through next and back through prev. The orders
// are written by hand from ingest/testdata/connection_synced.json: by date
// 3 (01-10), 20 (01-11), 10 (01-12), 1 (01-14), 2 (01-16); by signed minor
// amount 10 (-1500 yen), 1 (-12.30), 2 (-0.01), 20 (0.001), 3 (2500.00).
func TestAPI_TransactionSort(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		b := webtest.MustUserWithData(t, s, "b@example.com", 43)
		for _, tc := range []struct {
			sort string
			want []int64
		}{
			{"", []int64{2, 1, 10, 20, 3}},
			{"date_desc", []int64{2, 1, 10, 20, 3}},
			{"date_asc", []int64{3, 20, 10, 1, 2}},
			{"amount_asc", []int64{10, 1, 2, 20, 3}},
			{"amount_desc", []int64{3, 20, 2, 1, 10}},
		} {
			var got []int64
			var pages []pageBody
			link := "/api/v1/transactions?limit=2&sort=" + tc.sort
			for link != "" {
				var p pageBody
				r := ts.Get(a.Token, link)
				if r.Status != http.StatusOK {
					t.Fatalf("%s: %d %s", link, r.Status, r.Body)
				}
				r.Decode(t, &p)
				for _, tx := range p.Transactions {
					got = append(got, tx.PowensID)
				}
				if (len(pages) == 0) != (p.Prev == nil) {
					t.Fatalf("%s: page %d prev=%v", tc.sort, len(pages), p.Prev)
				}
				pages, link = append(pages, p), ""
				if p.Next != nil {
					link = *p.Next
				}
			}
			if !slices.Equal(got, tc.want) || len(pages) != 3 {
				t.Fatalf("sort %q: %v in %d pages, want %v in 3", tc.sort, got, len(pages), tc.want)
			}
			// Back from the last page: the same pages, the first one full.
			var back pageBody
			ts.Get(a.Token, *pages[2].Prev).Decode(t, &back)
			if ids := powensIDs(back); !slices.Equal(ids, tc.want[2:4]) {
				t.Fatalf("sort %q: the page before the last is %v, want %v", tc.sort, ids, tc.want[2:4])
			}
			ts.Get(a.Token, *back.Prev).Decode(t, &back)
			if ids := powensIDs(back); !slices.Equal(ids, tc.want[:2]) || back.Prev != nil || back.Next == nil {
				t.Fatalf("sort %q: the first page again is %v prev %v, want %v and no prev", tc.sort, ids, back.Prev, tc.want[:2])
			}
			// Another user's token reads only their own rows at a's cursor.
			var theirs pageBody
			ts.Get(b.Token, *pages[1].Next).Decode(t, &theirs)
			for _, tx := range theirs.Transactions {
				for _, mine := range pages {
					for _, m := range mine.Transactions {
						if m.ID == tx.ID {
							t.Fatalf("b reads a's transaction %d", tx.ID)
						}
					}
				}
			}
		}
		for _, bad := range []struct{ query, field string }{
			{"sort=size", "sort"},
			{"sort=amount_asc&cursor=" + cursorOf(t, ts, a.Token, "date_desc"), "cursor"},
			{"cursor=" + cursorOf(t, ts, a.Token, "") + "&before=" + cursorOf(t, ts, a.Token, ""), "before"},
			{"before=xyz", "before"},
		} {
			r := ts.Get(a.Token, "/api/v1/transactions?"+bad.query)
			var p struct {
				Field string `json:"field"`
			}
			json.Unmarshal([]byte(r.Body), &p)
			if r.Status != http.StatusBadRequest || p.Field != bad.field {
				t.Errorf("%s: %d %s, want 400 naming %s", bad.query, r.Status, r.Body, bad.field)
			}
		}
	})
}

func powensIDs(p pageBody) []int64 {
	var ids []int64
	for _, tx := range p.Transactions {
		ids = append(ids, tx.PowensID)
	}
	return ids
}

// cursorOf returns the next cursor of the first page of two in an order.
func cursorOf(tb testing.TB, ts *webtest.Server, token, sort string) string {
	tb.Helper()
	var p pageBody
	ts.Get(token, "/api/v1/transactions?limit=2&sort="+sort).Decode(tb, &p)
	if p.NextCursor == nil {
		tb.Fatal("no next cursor")
	}
	return *p.NextCursor
}
