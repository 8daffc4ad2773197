package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestUIShareScoping checks every page that takes an account, transaction
// or share id against statuses written by hand, for Ana (the owner), Bob
// (read-only), Dan (full) and Cleo (a stranger), then what each one's lists
// show. Users go stranger first, owner last, so the owner's revoke comes
// after the others' attempts.
func TestUIShareScoping(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s, func(w *web.Server) { w.Spending, w.Statements = s, &export.Exporter{Source: s} })
	today := parisToday()
	ana := webtest.MustUserWithWealth(t, s, "ana@example.com", 71, today)
	bob := webtest.MustUserWithWealth(t, s, "bob@example.com", 72, today)
	dan := webtest.MustUserWithWealth(t, s, "dan@example.com", 74, today)
	cleo := webtest.MustUserWithWealth(t, s, "cleo@example.com", 73, today)
	client := func(u *webtest.Wealth) *webtest.Client {
		c := webtest.NewClient(t, ts.URL)
		c.SignInAs(s, u.ID)
		return c
	}
	ca, cb, cd, cc := client(ana), client(bob), client(dan), client(cleo)
	share := func(email, access string) int64 {
		ca.Get(fmt.Sprintf("/accounts/%d", ana.Checking.ID))
		r := ca.Post(fmt.Sprintf("/accounts/%d/shares", ana.Checking.ID), url.Values{"email": {email}, "access": {access}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		webtest.MustContain(t, ca.Follow(r), "Shared. They see this account now.", email)
		given, _, err := s.FindShares(ctx, ana.ID)
		if err != nil {
			t.Fatal(err)
		}
		return given[len(given)-1].ID
	}
	bobShare := share("bob@example.com", "read")
	share("dan@example.com", "full")
	txs, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: ana.ID, AccountID: &ana.Checking.ID, Limit: 1})
	if err != nil || len(txs) == 0 {
		t.Fatalf("Ana's checking transactions: %v", err)
	}
	onChecking := txs[0].ID
	A, U, T := ana.Checking.ID, ana.Savings.ID, onChecking

	t.Run("Lists", func(t *testing.T) {
		webtest.MustContain(t, cb.Get("/accounts"), ana.Checking.Title(), "Shared by ana@example.com", "Read-only")
		webtest.MustContain(t, cd.Get("/accounts"), ana.Checking.Title(), "Shared by ana@example.com")
		webtest.MustContain(t, cb.Get("/"), "Shared by ana@example.com")
		webtest.MustNotContain(t, cc.Get("/accounts"), "ana@example.com")
		webtest.MustNotContain(t, cc.Get("/"), "ana@example.com")
		webtest.MustNotContain(t, ca.Get("/accounts"), "Shared by")
		page := cb.Get(fmt.Sprintf("/accounts/%d", A))
		webtest.MustContain(t, page, "Shared by ana@example.com", "See the account, its history and transactions.")
		// The owner's forms are not on a grantee's page.
		webtest.MustNotContain(t, page, `id="share-form"`, `action="/accounts/`+fmt.Sprint(A)+`/choices"`, `id="h-statement"`)
		webtest.MustContain(t, ca.Get(fmt.Sprintf("/accounts/%d", A)), `id="share-form"`, "bob@example.com", "dan@example.com")
		webtest.MustContain(t, cb.Get("/shares"), "Shared with me", ana.Checking.Title(), "Leave")
		webtest.MustContain(t, ca.Get("/shares"), "I share", "with bob@example.com", "with dan@example.com")
		// Bob reads the transaction, without a form; Dan has one without categories.
		tx := cb.Get(fmt.Sprintf("/transactions/%d", T))
		webtest.MustNotContain(t, tx, `id="edit"`, `id="split"`)
		tx = cd.Get(fmt.Sprintf("/transactions/%d", T))
		webtest.MustContain(t, tx, `id="edit"`)
		webtest.MustNotContain(t, tx, `id="category_id"`, `id="split"`)
		// The filter offers the shared account under its bank and owner.
		webtest.MustContain(t, cb.Get("/transactions"), ana.Checking.Title(), "Banque Test · ana@example.com", fmt.Sprintf(`value="%d"`, A))
	})
	t.Run("Refusals", func(t *testing.T) {
		for email, msg := range map[string]string{"nobody@example.com": "nobody@example.com has no account on this freenahi",
			"ana@example.com": "ana@example.com is your own address"} {
			ca.Get(fmt.Sprintf("/accounts/%d", A))
			r := ca.Post(fmt.Sprintf("/accounts/%d/shares", A), url.Values{"email": {email}, "access": {"read"}})
			webtest.MustStatus(t, r, http.StatusBadRequest)
			webtest.MustContain(t, r, msg, `aria-invalid="true"`)
		}
	})

	type want struct{ owner, read, full, stranger int }
	rows := []struct {
		method, path string
		form         url.Values
		want
	}{
		{"GET", fmt.Sprintf("/accounts/%d", A), nil, want{200, 200, 200, 404}},
		{"GET", fmt.Sprintf("/accounts/%d", U), nil, want{200, 404, 404, 404}},
		{"GET", fmt.Sprintf("/transactions/%d", T), nil, want{200, 200, 200, 404}},
		{"GET", fmt.Sprintf("/investments?account_id=%d", A), nil, want{200, 200, 200, 404}},
		{"GET", fmt.Sprintf("/investments?account_id=%d", U), nil, want{200, 404, 404, 404}},
		{"GET", fmt.Sprintf("/accounts/%d/statement?format=csv&from=%s&to=%s", A, today.AddDays(-40), today.AddDays(-10)), nil, want{200, 403, 403, 404}},
		{"POST", fmt.Sprintf("/accounts/%d/choices", A), url.Values{"name": {"Compte joint"}}, want{303, 403, 403, 404}},
		{"POST", fmt.Sprintf("/accounts/%d/choices", U), url.Values{"name": {"Livret"}}, want{303, 404, 404, 404}},
		{"POST", fmt.Sprintf("/transactions/%d", T), url.Values{"note": {"vu"}, "payee": {"EDF"}}, want{303, 403, 303, 404}},
		{"POST", fmt.Sprintf("/transactions/%d/split", T), url.Values{"action": {"remove"}}, want{303, 403, 403, 404}},
		{"POST", fmt.Sprintf("/accounts/%d/shares", A), url.Values{"email": {"bob@example.com"}, "access": {"read"}}, want{303, 403, 403, 404}},
		{"POST", fmt.Sprintf("/accounts/%d/shares", U), url.Values{"email": {"bob@example.com"}, "access": {"bad"}}, want{400, 404, 404, 404}},
		{"GET", fmt.Sprintf("/shares/%d/revoke", bobShare), nil, want{200, 404, 404, 404}},
		{"GET", fmt.Sprintf("/shares/%d/leave", bobShare), nil, want{404, 200, 404, 404}},
		{"POST", fmt.Sprintf("/shares/%d/leave", bobShare), nil, want{404, 0, 404, 404}},
		{"POST", fmt.Sprintf("/shares/%d/revoke", bobShare), nil, want{303, 404, 404, 404}},
	}
	users := []struct {
		name string
		c    *webtest.Client
		pick func(want) int
	}{
		{"stranger", cc, func(w want) int { return w.stranger }},
		{"full", cd, func(w want) int { return w.full }},
		{"read", cb, func(w want) int { return w.read }},
		{"owner", ca, func(w want) int { return w.owner }},
	}
	for _, row := range rows {
		for _, u := range users {
			wantStatus := u.pick(row.want)
			if wantStatus == 0 {
				continue // would end the share later rows need
			}
			var r *webtest.Page
			if row.method == "GET" {
				r = u.c.Get(row.path)
			} else {
				u.c.Get("/accounts") // a fresh CSRF token
				form := url.Values{}
				for k, v := range row.form {
					form[k] = v // a copy: Post adds this client's token
				}
				r = u.c.Post(row.path, form)
			}
			if r.Status != wantStatus {
				t.Errorf("%s %s as %s: %d, want %d\n%s", row.method, row.path, u.name, r.Status, wantStatus, webtest.Excerpt(r.Body))
			}
		}
	}
	// The revoke took the account out of Bob's pages at once; Dan keeps it.
	webtest.MustNotContain(t, cb.Get("/accounts"), "ana@example.com")
	webtest.MustStatus(t, cb.Get(fmt.Sprintf("/accounts/%d", A)), http.StatusNotFound)
	webtest.MustContain(t, cd.Get("/accounts"), "Shared by ana@example.com")
	// Dan leaves: gone from his pages too.
	_, received, err := s.FindShares(ctx, dan.ID)
	if err != nil || len(received) != 1 {
		t.Fatalf("Dan's shares: %v %v", received, err)
	}
	cd.Get("/shares")
	r := cd.Post(fmt.Sprintf("/shares/%d/leave", received[0].ID), nil)
	webtest.MustStatus(t, r, http.StatusSeeOther)
	webtest.MustContain(t, cd.Follow(r), "You left the shared account.")
	webtest.MustNotContain(t, cd.Get("/accounts"), "ana@example.com")
}
