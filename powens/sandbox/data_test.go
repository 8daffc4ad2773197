package sandbox

import (
	"bytes"
	"net/url"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
	"github.com/go-jose/go-jose/v4"
)

// minor parses an exact decimal into cents.
func minor(tb testing.TB, n powens.Number) int64 {
	tb.Helper()
	v, err := freenahi.ParseAmount("amount", n.String(), 2)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func TestAccounts(t *testing.T) {
	h := newHarness(t, nil)
	tok := h.user()
	var e map[string]any
	h.call("GET", "/2.0/users/me/accounts", tok, nil, 409, &e)
	if e["code"] != "noAccount" {
		t.Fatalf("no account: %v", e)
	}
	c := h.connect(tok, "demo", 201)
	h.call("GET", "/2.0/users/me/transactions?limit=10", tok, nil, 409, nil)
	all := h.accounts(tok, c.ID)
	var checking, card powens.Account
	for _, a := range all {
		switch a.Type {
		case "checking":
			checking = a
		case "card":
			card = a
		}
	}
	if checking.IBAN == nil || !ibanValid(*checking.IBAN) || (*checking.IBAN)[:4] != "FR76" {
		t.Fatalf("checking IBAN %v", checking.IBAN)
	}
	if card.IDParent == nil || *card.IDParent != checking.ID {
		t.Fatalf("card id_parent=%v, want %d", card.IDParent, checking.ID)
	}
	// One account by POST, then the rest in bulk.
	var one powens.Account
	h.call("POST", "/2.0/users/me/accounts/"+itoa(checking.ID)+"?all", tok, map[string]bool{"disabled": false}, 200, &one)
	if !one.Disabled.IsZero() {
		t.Fatal("still disabled")
	}
	h.activate(tok, c.ID)
	var list struct {
		Accounts       []powens.Account
		Balances       map[string]powens.Number
		ComingBalances map[string]powens.Number `json:"coming_balances"`
	}
	h.call("GET", "/2.0/users/me/accounts", tok, nil, 200, &list)
	var total int64
	for _, a := range list.Accounts {
		total += minor(t, a.Balance)
	}
	if got := minor(t, list.Balances["EUR"]); got != total {
		t.Fatalf("balances EUR=%d, sum of accounts %d", got, total)
	}

	t.Run("BalancesMatchTransactions", func(t *testing.T) {
		sums, comings := map[int64]int64{}, map[int64]int64{}
		for _, tx := range h.transactions(tok, "") {
			if tx.Coming {
				comings[tx.IDAccount] += minor(t, tx.Value)
			} else {
				sums[tx.IDAccount] += minor(t, tx.Value)
			}
		}
		for _, a := range list.Accounts {
			switch a.Type {
			case "checking", "card", "savings":
				if got, want := minor(t, a.Balance), sums[a.ID]; got != want {
					t.Errorf("%s balance %d, transactions sum %d", a.Type, got, want)
				}
				if got, want := minor(t, a.Coming), comings[a.ID]; got != want {
					t.Errorf("%s coming %d, coming transactions sum %d", a.Type, got, want)
				}
			case "loan":
				if a.Loan == nil || minor(t, a.Balance) >= 0 || a.Loan.NbPaymentsDone == nil ||
					*a.Loan.NbPaymentsDone+*a.Loan.NbPaymentsLeft != *a.Loan.NbPaymentsTotal {
					t.Errorf("loan %+v", a.Loan)
				}
			}
		}
	})

	t.Run("DisableHidesData", func(t *testing.T) {
		h.call("POST", "/2.0/users/me/accounts/"+itoa(card.ID), tok, map[string]bool{"disabled": true}, 200, nil)
		for _, tx := range h.transactions(tok, "") {
			if tx.IDAccount == card.ID {
				t.Fatal("transactions of a disabled account listed")
			}
		}
		h.call("GET", "/2.0/users/me/accounts/"+itoa(card.ID), tok, nil, 404, nil)
	})
}

func TestInvestments(t *testing.T) {
	h := newHarness(t, nil)
	tok := h.user()
	q := h.decide(h.bankPage(h.webauthURL(tok, url.Values{"id_connector": {"40"}})), "authorize", "demo")
	conn, _ := freenahi.ParseAmount("id", q.Get("id_connection"), 0)
	accts := h.activate(tok, conn)
	var out struct{ Investments []powens.Investment }
	h.call("GET", "/2.0/users/me/investments", tok, nil, 200, &out)
	if len(out.Investments) == 0 {
		t.Fatal("no investments")
	}
	byAccount := map[int64]int64{}
	for _, inv := range out.Investments {
		if inv.Code != nil && !isinValid(*inv.Code) {
			t.Errorf("ISIN %s is not valid", *inv.Code)
		}
		q, _ := freenahi.ParseDecimal(inv.Quantity.String())
		qm, err := q.Minor(3)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := minor(t, inv.Valuation), divRound(qm*minor(t, inv.UnitValue), 1000); got != want {
			t.Errorf("%s valuation %d, quantity × unit value %d", inv.Label, got, want)
		}
		byAccount[inv.IDAccount] += minor(t, inv.Valuation)
	}
	for _, a := range accts {
		if got := minor(t, a.Balance); got != byAccount[a.ID] {
			t.Errorf("%s balance %d, valuations %d", a.Type, got, byAccount[a.ID])
		}
	}
}

func isinValid(code string) bool { return len(code) == 12 && isin(code[:11]) == code }

func TestTransactions(t *testing.T) {
	rc := newReceiver(t)
	h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls("connection_synced") })
	tok := h.user()
	c := h.connect(tok, "demo", 201)
	h.activate(tok, c.ID)
	first := h.transactions(tok, "")
	if len(first) < 100 {
		t.Fatalf("%d transactions in 60 days", len(first))
	}
	var coming []powens.Transaction
	for _, tx := range first {
		if tx.Coming {
			coming = append(coming, tx)
		}
	}
	if len(coming) == 0 {
		t.Fatal("no coming transaction")
	}

	t.Run("Paging", func(t *testing.T) {
		var page struct {
			Transactions []powens.Transaction
			Links        map[string]*struct{ Href string } `json:"_links"`
			FirstDate    string                            `json:"first_date"`
		}
		h.call("GET", "/2.0/users/me/transactions?limit=25", tok, nil, 200, &page)
		if len(page.Transactions) != 25 || page.Links["next"] == nil || page.Links["prev"] != nil || page.FirstDate == "" {
			t.Fatalf("page: %d transactions, links %v", len(page.Transactions), page.Links)
		}
		seen := map[int64]bool{}
		for next := "/2.0/users/me/transactions?limit=25"; next != ""; {
			h.call("GET", next, tok, nil, 200, &page)
			for _, tx := range page.Transactions {
				if seen[tx.ID] {
					t.Fatalf("transaction %d on two pages", tx.ID)
				}
				seen[tx.ID] = true
			}
			next = ""
			if page.Links["next"] != nil {
				next = page.Links["next"].Href
			}
		}
		if len(seen) != len(first) {
			t.Fatalf("paged %d, want %d", len(seen), len(first))
		}
		h.call("GET", "/2.0/users/me/transactions", tok, nil, 400, nil)
		h.call("GET", "/2.0/users/me/transactions?limit=1001", tok, nil, 400, nil)
	})

	t.Run("DateFilters", func(t *testing.T) {
		for _, tx := range h.transactions(tok, "min_date=2025-03&max_date=2025-03-10&filter=date") {
			if d := tx.Date.String(); d < "2025-03-01" || d > "2025-03-10" {
				t.Fatalf("date %s out of range", d)
			}
		}
	})

	t.Run("ComingBookedAndDeleted", func(t *testing.T) {
		syncedAt := h.clock.Now()
		h.clock.Add(16 * 24 * time.Hour) // past the month end: the deferred card posts
		h.call("PUT", "/2.0/users/me/connections/"+itoa(c.ID), tok, nil, 200, nil)
		changed := h.transactions(tok, "all&last_update="+url.QueryEscape(syncedAt.In(powens.Paris).Format(powens.DateTimeLayout)))
		byID := map[int64]powens.Transaction{}
		for _, tx := range changed {
			byID[tx.ID] = tx
		}
		booked, deleted := 0, 0
		for _, old := range coming {
			tx, ok := byID[old.ID]
			if !ok || !tx.LastUpdate.After(old.LastUpdate.Time) {
				continue
			}
			switch {
			case !tx.Deleted.IsZero():
				deleted++
			case !tx.Coming:
				booked++
			}
		}
		if booked == 0 || deleted == 0 {
			t.Fatalf("after 16 days: %d booked, %d deleted (of %d coming)", booked, deleted, len(coming))
		}
		for _, tx := range h.transactions(tok, "") {
			if !tx.Deleted.IsZero() {
				t.Fatal("deleted transaction listed without all")
			}
		}
	})

	t.Run("WebhookCarriesNewTransactionsOnly", func(t *testing.T) {
		hooks := rc.wait(t, 3) // creation, activation, sync
		var ids = map[int64]int{}
		for _, hk := range hooks {
			var p powens.ConnectionSynced
			if err := jsonUnmarshal(hk.Body, &p); err != nil {
				t.Fatal(err)
			}
			for _, a := range p.Connection.Accounts {
				powens.DecodeTransactions(a.Transactions, func(_ int, tx *powens.Transaction) error { ids[tx.ID]++; return nil })
			}
		}
		for id, n := range ids {
			if n > 1 {
				t.Fatalf("transaction %d sent %d times", id, n)
			}
		}
		if len(ids) < len(first) {
			t.Fatalf("webhooks carried %d transactions, the API lists %d", len(ids), len(first))
		}
	})
}

func TestDeterminism(t *testing.T) {
	run := func() []byte {
		h := newHarness(t, nil)
		tok := h.user()
		c := h.connect(tok, "demo", 201)
		h.activate(tok, c.ID)
		h.clock.Add(26 * time.Hour)
		h.call("PUT", "/2.0/users/me/connections/"+itoa(c.ID), tok, nil, 200, nil)
		var out bytes.Buffer
		out.Write(h.call("GET", "/2.0/users/me/accounts?all", tok, nil, 200, nil))
		out.Write(h.call("GET", "/2.0/users/me/transactions?limit=1000&all", tok, nil, 200, nil))
		out.Write(h.call("GET", "/2.0/users/me/connections?expand=sources,connector", tok, nil, 200, nil))
		return bytes.ReplaceAll(out.Bytes(), []byte(h.srv.URL), nil)
	}
	a, b := run(), run()
	if !bytes.Equal(a, b) {
		t.Fatalf("same seed and clock, different JSON (%d and %d bytes)", len(a), len(b))
	}
}

func TestEncryptedFields(t *testing.T) {
	h := newHarness(t, nil)
	tok := h.user()
	var jwk jose.JSONWebKey
	h.call("GET", "/2.0/publickey", "", nil, 200, &jwk)
	enc, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.RSA_OAEP_256, Key: jwk.Key, KeyID: jwk.KeyID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	seal := func(v string) string {
		obj, err := enc.Encrypt([]byte(v))
		if err != nil {
			t.Fatal(err)
		}
		s, _ := obj.CompactSerialize()
		return s
	}
	var c powens.Connection
	h.call("POST", "/2.0/users/me/connections", tok, map[string]any{"id_connector": 40, "login": seal("2fa"), "password": seal("pw")}, 202, &c)
	if c.StateString() != "additionalInformationNeeded" {
		t.Fatalf("encrypted login not read: state %q", c.StateString())
	}
	h.call("POST", "/2.0/users/me/connections/"+itoa(c.ID), tok, map[string]string{"otp": seal("123456")}, 200, &c)
	if c.StateString() != "" {
		t.Fatalf("encrypted otp not read: state %q", c.StateString())
	}
	h.call("POST", "/2.0/users/me/connections", tok, map[string]any{"id_connector": 40, "login": "eyJhbGciOiJub25lIn0.a.b.c.d", "password": "x"}, 400, nil)
}
