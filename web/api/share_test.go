package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/wealth"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

var paris, _ = time.LoadLocation("Europe/Paris")

// household is four users with the fixture's data each: Ana shares her
// "Compte chèque" with Bob read-only and with Dan in full; Cleo is a
// stranger. Ana's "Compte yen" is not shared.
type household struct {
	ts                  *webtest.Server
	ana, bob, dan, cleo *webtest.User
	shared, unshared    int64 // Ana's accounts
	loan                int64 // Ana's loan, not shared
	sharedTx, otherTx   int64 // a transaction on each
	bobShare            int64 // the share of Bob
}

func newHousehold(t *testing.T, s *store.Store) *household {
	t.Helper()
	h := &household{ts: webtest.NewServer(t, s, func(w *web.Server) { w.Statements = &export.Exporter{Source: s} })}
	h.ana = webtest.MustUserWithData(t, s, "ana@example.com", 61)
	h.bob = webtest.MustUserWithData(t, s, "bob@example.com", 62)
	h.cleo = webtest.MustUserWithData(t, s, "cleo@example.com", 63)
	h.dan = webtest.MustUserWithData(t, s, "dan@example.com", 64)
	var accounts struct {
		Accounts []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"accounts"`
	}
	h.ts.Get(h.ana.Token, "/api/v1/accounts").Decode(t, &accounts)
	for _, a := range accounts.Accounts {
		switch a.Name {
		case "Compte chèque":
			h.shared = a.ID
		case "Compte yen":
			h.unshared = a.ID
		case "Prêt immo":
			h.loan = a.ID
		}
	}
	h.sharedTx, h.otherTx = h.firstTx(t, h.shared), h.firstTx(t, h.unshared)
	if h.shared == 0 || h.unshared == 0 || h.sharedTx == 0 || h.otherTx == 0 {
		t.Fatalf("fixture: %+v", h)
	}
	h.bobShare = h.share(t, h.shared, "bob@example.com", "read")
	h.share(t, h.shared, "dan@example.com", "full")
	return h
}

func (h *household) firstTx(t *testing.T, account int64) int64 {
	t.Helper()
	var txs transactionsBody
	h.ts.Get(h.ana.Token, fmt.Sprintf("/api/v1/transactions?account_id=%d", account)).Decode(t, &txs)
	if len(txs.Transactions) == 0 {
		return 0
	}
	return txs.Transactions[0].ID
}

func (h *household) share(t *testing.T, account int64, email, access string) int64 {
	t.Helper()
	r := h.ts.PostJSON(h.ana.Token, fmt.Sprintf("/api/v1/accounts/%d/shares", account), fmt.Sprintf(`{"email": %q, "access": %q}`, email, access))
	if r.Status != http.StatusCreated {
		t.Fatalf("share with %s: %d %s", email, r.Status, r.Body)
	}
	var sh struct{ ID int64 }
	r.Decode(t, &sh)
	return sh.ID
}

// TestAPI_ShareScoping checks every endpoint that takes an account or a
// transaction id against a table of statuses written by hand, for the
// owner, a read-only grantee, a full grantee and a stranger. Users are
// tried stranger first and owner last, so that the owner's changes (a
// revoke) come after the others' attempts.
func TestAPI_ShareScoping(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		h := newHousehold(t, s)
		type want struct{ owner, read, full, stranger int }
		A, U, T, TU := h.shared, h.unshared, h.sharedTx, h.otherTx
		rows := []struct {
			method, path, body string
			want
		}{
			// The shared account: seen by both grantees, never by Cleo.
			{"GET", fmt.Sprintf("/api/v1/accounts/%d", A), "", want{200, 200, 200, 404}},
			{"GET", fmt.Sprintf("/api/v1/accounts/%d/balances", A), "", want{200, 200, 200, 404}},
			{"GET", fmt.Sprintf("/api/v1/transactions/%d", T), "", want{200, 200, 200, 404}},
			{"PATCH", fmt.Sprintf("/api/v1/transactions/%d", T), `{"note": "vu"}`, want{200, 403, 200, 404}},
			{"PATCH", fmt.Sprintf("/api/v1/transactions/%d", T), `{"tags": ["foyer"], "payee": "EDF"}`, want{200, 403, 200, 404}},
			{"PATCH", fmt.Sprintf("/api/v1/transactions/%d", T), `{"category_id": 0}`, want{200, 403, 403, 404}},
			{"PATCH", fmt.Sprintf("/api/v1/accounts/%d", A), `{"name": "Compte joint"}`, want{200, 403, 403, 404}},
			{"GET", fmt.Sprintf("/api/v1/accounts/%d/export.csv?from=2026-01-01&to=2026-01-31", A), "", want{200, 403, 403, 404}},
			{"GET", fmt.Sprintf("/api/v1/accounts/%d/export.cfonb?from=2026-01-01&to=2026-01-31", A), "", want{200, 403, 403, 404}},
			{"GET", fmt.Sprintf("/api/v1/accounts/%d/export.camt053?from=2026-01-01&to=2026-01-31", A), "", want{200, 403, 403, 404}},
			{"GET", fmt.Sprintf("/api/v1/accounts/%d/export.ofx?from=2026-01-01&to=2026-01-31", A), "", want{200, 403, 403, 404}},
			{"GET", fmt.Sprintf("/api/v1/accounts/%d/shares", A), "", want{200, 403, 403, 404}},
			{"POST", fmt.Sprintf("/api/v1/accounts/%d/shares", A), `{"email": "bob@example.com", "access": "read"}`, want{201, 403, 403, 404}},
			// The unshared account: the owner's alone.
			{"GET", fmt.Sprintf("/api/v1/accounts/%d", U), "", want{200, 404, 404, 404}},
			{"GET", fmt.Sprintf("/api/v1/accounts/%d/balances", U), "", want{200, 404, 404, 404}},
			{"GET", fmt.Sprintf("/api/v1/transactions/%d", TU), "", want{200, 404, 404, 404}},
			{"PATCH", fmt.Sprintf("/api/v1/transactions/%d", TU), `{"note": "vu"}`, want{200, 404, 404, 404}},
			{"PATCH", fmt.Sprintf("/api/v1/accounts/%d", U), `{"name": "Yens"}`, want{200, 404, 404, 404}},
			{"GET", fmt.Sprintf("/api/v1/accounts/%d/export.csv?from=2026-01-01&to=2026-01-31", U), "", want{200, 404, 404, 404}},
			// The yen account has no IBAN: CFONB needs its RIB (400), but only its owner learns that.
			{"GET", fmt.Sprintf("/api/v1/accounts/%d/export.cfonb?from=2026-01-01&to=2026-01-31", U), "", want{400, 404, 404, 404}},
			{"GET", fmt.Sprintf("/api/v1/accounts/%d/export.camt053?from=2026-01-01&to=2026-01-31", U), "", want{200, 404, 404, 404}},
			{"GET", fmt.Sprintf("/api/v1/accounts/%d/export.ofx?from=2026-01-01&to=2026-01-31", U), "", want{200, 404, 404, 404}},
			{"GET", fmt.Sprintf("/api/v1/accounts/%d/shares", U), "", want{200, 404, 404, 404}},
			{"POST", fmt.Sprintf("/api/v1/accounts/%d/shares", U), `{"email": "cleo@example.com", "access": "x"}`, want{400, 404, 404, 404}},
			{"GET", fmt.Sprintf("/api/v1/loans/%d/schedule", h.loan), "", want{200, 404, 404, 404}},
			{"GET", fmt.Sprintf("/api/v1/investments?account_id=%d", A), "", want{200, 200, 200, 200}}, // Cleo's list is empty: below
			{"GET", fmt.Sprintf("/api/v1/investments/history?account_id=%d", A), "", want{200, 200, 200, 200}},
			// Leaving is the grantee's, of their own share only.
			{"DELETE", fmt.Sprintf("/api/v1/shares/%d", h.bobShare), "", want{404, 0, 404, 404}},
			// Revoking is the owner's; last, as it ends Bob's share.
			{"DELETE", fmt.Sprintf("/api/v1/accounts/%d/shares/%d", A, h.bobShare), "", want{204, 403, 403, 404}},
		}
		users := []struct {
			name  string
			token string
			pick  func(want) int
		}{
			{"stranger", h.cleo.Token, func(w want) int { return w.stranger }},
			{"full", h.dan.Token, func(w want) int { return w.full }},
			{"read", h.bob.Token, func(w want) int { return w.read }},
			{"owner", h.ana.Token, func(w want) int { return w.owner }},
		}
		for _, row := range rows {
			for _, u := range users {
				wantStatus := u.pick(row.want)
				if wantStatus == 0 {
					continue // would change what later rows need
				}
				var r *webtest.Response
				switch row.method {
				case "GET":
					r = h.ts.Get(u.token, row.path)
				case "POST":
					r = h.ts.PostJSON(u.token, row.path, row.body)
				case "PATCH":
					r = patch(h.ts, u.token, row.path, row.body)
				case "DELETE":
					r = del(h.ts, u.token, row.path)
				}
				if r.Status != wantStatus {
					t.Errorf("%s %s %s as %s: %d, want %d\n%s", row.method, row.path, row.body, u.name, r.Status, wantStatus, r.Body)
				}
			}
		}
		// After the revoke, Bob sees the account no more; Dan still does.
		for token, status := range map[string]int{h.bob.Token: 404, h.dan.Token: 200} {
			if r := h.ts.Get(token, fmt.Sprintf("/api/v1/accounts/%d", A)); r.Status != status {
				t.Errorf("after revoke: %d, want %d", r.Status, status)
			}
		}
	})
}

// TestAPI_ShareLists: the grantees' lists hold the shared account, marked,
// and its transactions; Cleo's hold nothing of Ana's; the owner's lists are
// unchanged by sharing.
func TestAPI_ShareLists(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		h := newHousehold(t, s)
		type account struct {
			ID       int64   `json:"id"`
			Access   string  `json:"access"`
			SharedBy *string `json:"shared_by"`
		}
		accountsOf := func(token string) map[int64]account {
			var body struct{ Accounts []account }
			h.ts.Get(token, "/api/v1/accounts").Decode(t, &body)
			out := map[int64]account{}
			for _, a := range body.Accounts {
				out[a.ID] = a
			}
			return out
		}
		// The fixture has five accounts per person.
		for name, c := range map[string]struct {
			token  string
			n      int
			access string
		}{"owner": {h.ana.Token, 5, "owner"}, "read": {h.bob.Token, 6, "read"}, "full": {h.dan.Token, 6, "full"}, "stranger": {h.cleo.Token, 5, ""}} {
			got := accountsOf(c.token)
			if len(got) != c.n {
				t.Errorf("%s lists %d accounts, want %d", name, len(got), c.n)
			}
			a, ok := got[h.shared]
			if c.access == "" {
				if ok {
					t.Errorf("%s lists Ana's account", name)
				}
				continue
			}
			if !ok || a.Access != c.access || (c.access == "owner") != (a.SharedBy == nil) || a.SharedBy != nil && *a.SharedBy != "ana@example.com" {
				t.Errorf("%s: %+v", name, a)
			}
			if _, ok := got[h.unshared]; ok != (name == "owner") {
				t.Errorf("%s lists Ana's unshared account: %v", name, ok)
			}
		}
		// Bob's transactions: his own and those of the shared account.
		var mine, all transactionsBody
		h.ts.Get(h.cleo.Token, "/api/v1/transactions?limit=1000").Decode(t, &mine) // Cleo has the same data as Bob had
		h.ts.Get(h.bob.Token, "/api/v1/transactions?limit=1000").Decode(t, &all)
		var onShared transactionsBody
		h.ts.Get(h.ana.Token, fmt.Sprintf("/api/v1/transactions?account_id=%d&limit=1000", h.shared)).Decode(t, &onShared)
		if len(all.Transactions) != len(mine.Transactions)+len(onShared.Transactions) || len(onShared.Transactions) == 0 {
			t.Errorf("Bob reads %d transactions, want %d of his own and %d shared", len(all.Transactions), len(mine.Transactions), len(onShared.Transactions))
		}
		var cleoOnShared transactionsBody
		h.ts.Get(h.cleo.Token, fmt.Sprintf("/api/v1/transactions?account_id=%d", h.shared)).Decode(t, &cleoOnShared)
		if len(cleoOnShared.Transactions) != 0 {
			t.Errorf("Cleo filters on Ana's account and reads %d transactions", len(cleoOnShared.Transactions))
		}
		var lists struct {
			Given, Received []struct {
				AccountID int64 `json:"account_id"`
			}
		}
		h.ts.Get(h.ana.Token, "/api/v1/shares").Decode(t, &lists)
		if len(lists.Given) != 2 || len(lists.Received) != 0 {
			t.Errorf("Ana's shares: %+v", lists)
		}
		h.ts.Get(h.bob.Token, "/api/v1/shares").Decode(t, &lists)
		if len(lists.Given) != 0 || len(lists.Received) != 1 || lists.Received[0].AccountID != h.shared {
			t.Errorf("Bob's shares: %+v", lists)
		}
		// Refusals name the field.
		for body, field := range map[string]string{
			`{"email": "nobody@example.com"}`:               "email",
			`{"email": "ana@example.com"}`:                  "email",
			`{"email": "bob@example.com", "access": "all"}`: "access",
		} {
			r := h.ts.PostJSON(h.ana.Token, fmt.Sprintf("/api/v1/accounts/%d/shares", h.shared), body)
			if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), `"`+field+`"`) {
				t.Errorf("%s: %d %s, want 400 naming %s", body, r.Status, r.Body, field)
			}
		}
	})
}

// fixtureBalances sums the balances of the fixture's accounts per currency
// with math/big, from the hand-written JSON (not through our code), with
// only the accounts named by keep.
func fixtureBalances(t *testing.T, keep func(name string) bool) map[string]*big.Rat {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "ingest", "testdata", "connection_synced.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Connection struct {
			Accounts []struct {
				Name     string          `json:"name"`
				Balance  json.Number     `json:"balance"`
				Currency json.RawMessage `json:"currency"`
			} `json:"accounts"`
		} `json:"connection"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]*big.Rat{}
	for _, a := range doc.Connection.Accounts {
		if !keep(a.Name) {
			continue
		}
		// Powens sends the currency as an object or, in places, as its code.
		var cur struct{ ID string }
		if err := json.Unmarshal(a.Currency, &cur); err != nil {
			if err := json.Unmarshal(a.Currency, &cur.ID); err != nil {
				t.Fatalf("currency of %s: %v", a.Name, err)
			}
		}
		v, ok := new(big.Rat).SetString(string(a.Balance))
		if !ok {
			t.Fatalf("balance of %s: %q", a.Name, a.Balance)
		}
		if out[cur.ID] == nil {
			out[cur.ID] = new(big.Rat)
		}
		out[cur.ID].Add(out[cur.ID], v)
	}
	return out
}

// netWorthNow reads the person's net worth today per currency.
func netWorthNow(t *testing.T, ts *webtest.Server, token string) map[string]*big.Rat {
	t.Helper()
	var nw struct {
		Currencies []struct {
			Currency string
			Points   []struct{ Total string }
		}
	}
	ts.Get(token, "/api/v1/networth?interval=day").Decode(t, &nw)
	out := map[string]*big.Rat{}
	for _, c := range nw.Currencies {
		if len(c.Points) == 0 {
			continue
		}
		v, ok := new(big.Rat).SetString(c.Points[len(c.Points)-1].Total)
		if !ok {
			t.Fatalf("total %q", c.Points[len(c.Points)-1].Total)
		}
		out[c.Currency] = v
	}
	return out
}

func sameTotals(a, b map[string]*big.Rat) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] == nil || v.Cmp(b[k]) != 0 {
			return false
		}
	}
	return true
}

func addTotals(a, b map[string]*big.Rat) map[string]*big.Rat {
	out := map[string]*big.Rat{}
	for _, m := range []map[string]*big.Rat{a, b} {
		for k, v := range m {
			if out[k] == nil {
				out[k] = new(big.Rat)
			}
			out[k].Add(out[k], v)
		}
	}
	return out
}

// TestAPI_ShareNetWorth: the grantee's net worth is their own accounts'
// balances plus those of the accounts shared with them, summed by the test
// from the fixture with math/big; a revoke takes the account out at once,
// though the net worth was just computed (and cached).
func TestAPI_ShareNetWorth(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		h := newHousehold(t, s)
		all := fixtureBalances(t, func(string) bool { return true })
		cheque := fixtureBalances(t, func(n string) bool { return n == "Compte chèque" })
		dinar := fixtureBalances(t, func(n string) bool { return n == "Compte dinar" })
		if got := netWorthNow(t, h.ts, h.cleo.Token); !sameTotals(got, all) {
			t.Fatalf("Cleo's net worth %v, want her own %v", got, all)
		}
		if got, want := netWorthNow(t, h.ts, h.bob.Token), addTotals(all, cheque); !sameTotals(got, want) {
			t.Fatalf("Bob's net worth %v, want %v", got, want)
		}
		// A second account shared: counted at once.
		dinarID := int64(0)
		var accounts struct {
			Accounts []struct {
				ID   int64
				Name string
			}
		}
		h.ts.Get(h.ana.Token, "/api/v1/accounts").Decode(t, &accounts)
		for _, a := range accounts.Accounts {
			if a.Name == "Compte dinar" {
				dinarID = a.ID
			}
		}
		h.share(t, dinarID, "bob@example.com", "read")
		if got, want := netWorthNow(t, h.ts, h.bob.Token), addTotals(addTotals(all, cheque), dinar); !sameTotals(got, want) {
			t.Fatalf("Bob's net worth with the dinar account %v, want %v", got, want)
		}
		// The owner's own net worth is not changed by sharing.
		if got := netWorthNow(t, h.ts, h.ana.Token); !sameTotals(got, all) {
			t.Fatalf("Ana's net worth %v, want %v", got, all)
		}
		if r := del(h.ts, h.ana.Token, fmt.Sprintf("/api/v1/accounts/%d/shares/%d", h.shared, h.bobShare)); r.Status != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
		if got, want := netWorthNow(t, h.ts, h.bob.Token), addTotals(all, dinar); !sameTotals(got, want) {
			t.Fatalf("Bob's net worth after the revoke %v, want %v", got, want)
		}
	})
}

// TestAPI_ShareNetWorthFollowsOwner: the grantee's net worth, cached after
// a first request, follows a change the owner's bank sends for the shared
// account (a transaction three days ago moves every day before it). The
// reference is the same history computed without any cache.
func TestAPI_ShareNetWorthFollowsOwner(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		h := newHousehold(t, s)
		path := "/api/v1/networth?interval=day&from=" + freenahi.DateOf(time.Now().In(paris)).AddDays(-10).String()
		before := h.ts.Get(h.bob.Token, path)
		if before.Status != http.StatusOK {
			t.Fatalf("networth: %d", before.Status)
		}
		a, err := s.FindAccountByID(ctx, h.ana.ID, h.shared)
		if err != nil {
			t.Fatal(err)
		}
		webtest.MustSync(t, s, 61, func(ctx context.Context, w freenahi.SyncWriter) error {
			return w.UpsertTransactions(ctx, []*freenahi.Transaction{{AccountID: a.ID, PowensID: 990001, Currency: a.Currency,
				Date: freenahi.DateOf(time.Now().In(paris)).AddDays(-3), ValueMinor: -12345, OriginalWording: "VIR FOYER", Active: true}})
		})
		after := h.ts.Get(h.bob.Token, path)
		if string(after.Body) == string(before.Body) {
			t.Fatal("Bob's net worth did not follow Ana's new transaction")
		}
		uncached := &wealth.Service{Accounts: s, Source: s, Assets: s, CacheDays: -1}
		from := freenahi.DateOf(time.Now().In(paris)).AddDays(-10)
		want, err := uncached.NetWorth(ctx, freenahi.NetWorthQuery{UserID: h.bob.ID, From: from, Interval: freenahi.IntervalDay})
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Currencies []struct {
				Currency string
				Points   []struct{ Date, Total string }
			}
		}
		after.Decode(t, &got)
		n := 0
		for _, c := range got.Currencies {
			for _, ws := range want.Series {
				if ws.Currency.Code != c.Currency {
					continue
				}
				for i, p := range c.Points {
					if w := ws.Points[i]; p.Date != w.Date.String() || p.Total != freenahi.FormatMinor(w.TotalMinor, ws.Currency.Exponent) {
						t.Errorf("%s %s: %s, uncached %s %s", c.Currency, p.Date, p.Total, w.Date, freenahi.FormatMinor(w.TotalMinor, ws.Currency.Exponent))
					}
					n++
				}
			}
		}
		if n == 0 {
			t.Fatal("nothing compared")
		}
	})
}
