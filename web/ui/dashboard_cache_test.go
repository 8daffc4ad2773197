package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/wealth"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// cacheWorld is a small household whose figures are written by hand:
// Ana's current account (1,000.00 EUR, one 45.00 debit at a market two days
// ago, which the built-in rules file under groceries) and car (8,000.00 EUR since 2025): net worth 9,000.00;
// a 200.00 budget on groceries; Bob's account (200.00 EUR), not shared yet.
type cacheWorld struct {
	s              *store.Store
	ana, bob       *freenahi.User
	anaPowens      int64
	checking, bobs *freenahi.Account
	market         *freenahi.Transaction
	car            *freenahi.Asset
	budget         *freenahi.Budget
	groceries      int64
	page           *webtest.Client
	token          string
	clock          *testClock
	shareID        int64
	today          freenahi.Date
	eur            freenahi.Currency
	serverA        string
}

// testClock is a clock a test moves.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// cachePeople numbers the Powens users of the worlds in one store.
var cachePeople atomic.Int64

// newCacheWorld writes the household into s and serves it with the cache
// on (the store as PageVersioner, as serve wires it).
func newCacheWorld(t *testing.T, s *store.Store, configure ...func(*web.Server)) *cacheWorld {
	t.Helper()
	ctx := context.Background()
	paris, _ := time.LoadLocation("Europe/Paris")
	w := &cacheWorld{s: s, today: freenahi.Date{Year: 2026, Month: 3, Day: 18}, eur: freenahi.Currency{Code: "EUR", Exponent: 2},
		clock: &testClock{now: time.Date(2026, 3, 18, 10, 0, 0, 0, paris)}}
	n := cachePeople.Add(2)
	w.anaPowens = 7000 + n
	var err error
	if w.ana, err = s.CreateUser(ctx, fmt.Sprintf("ana%d@example.com", n), ""); err != nil {
		t.Fatal(err)
	}
	if w.bob, err = s.CreateUser(ctx, fmt.Sprintf("bob%d@example.com", n), ""); err != nil {
		t.Fatal(err)
	}
	for u, p := range map[*freenahi.User]int64{w.ana: w.anaPowens, w.bob: w.anaPowens + 1} {
		if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: p, Token: "tok"}); err != nil {
			t.Fatal(err)
		}
	}
	tok, err := s.CreateAPIToken(ctx, w.ana.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	w.token = tok.Secret
	w.sync(t, w.anaPowens, "Compte courant", 100000, &freenahi.Transaction{PowensID: 1, Date: w.today.AddDays(-2),
		ValueMinor: -4500, OriginalWording: "MARCHE DU SAMEDI", Wording: "MARCHE DU SAMEDI", Active: true})
	w.checking = w.sync(t, w.anaPowens, "Compte courant", 100000)
	w.bobs = w.sync(t, w.anaPowens+1, "Compte de Bob", 20000)
	txs, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: w.ana.ID, Limit: 10})
	if err != nil || len(txs) != 1 {
		t.Fatalf("Ana's transactions: %v %v", txs, err)
	}
	w.market = txs[0]
	w.car = &freenahi.Asset{UserID: w.ana.ID, Name: "Voiture", Kind: freenahi.AssetVehicle, Currency: w.eur}
	if err := s.CreateAsset(ctx, w.car); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAssetValue(ctx, w.ana.ID, w.car.ID, freenahi.AssetValue{Date: freenahi.Date{Year: 2025, Month: 1, Day: 1}, ValueMinor: 800000}); err != nil {
		t.Fatal(err)
	}
	cats, err := s.FindCategories(ctx, w.ana.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		if c.Key == "groceries" {
			w.groceries = c.ID
		}
	}
	amount := freenahi.MustParseDecimal("200")
	if w.budget, err = s.CreateBudget(ctx, w.ana.ID, freenahi.BudgetInput{CategoryID: &w.groceries, Amount: &amount}); err != nil {
		t.Fatal(err)
	}
	ts, _ := webtest.NewUIServer(t, s, append([]func(*web.Server){func(srv *web.Server) {
		srv.Now, srv.Spending = w.clock.Now, s
		srv.History = &wealth.Service{Accounts: s, Source: s, Assets: s, Now: w.clock.Now}
	}}, configure...)...)
	w.serverA = ts.URL
	w.page = webtest.NewClient(t, ts.URL)
	w.page.SignInAs(s, w.ana.ID)
	return w
}

// sync delivers one event of Powens user p, as the inbox worker processes
// a webhook: its connection, one current account with balance, and txs.
func (w *cacheWorld) sync(t *testing.T, p int64, name string, balance int64, txs ...*freenahi.Transaction) *freenahi.Account {
	t.Helper()
	var a *freenahi.Account
	webtest.MustSync(t, w.s, p, func(ctx context.Context, sw freenahi.SyncWriter) error {
		c := &freenahi.Connection{PowensID: 1, BankName: "Banque Test", Active: true}
		if err := sw.UpsertConnection(ctx, c); err != nil {
			return err
		}
		a = &freenahi.Account{ConnectionID: c.ID, PowensID: 1, PowensConnectionID: 1, Type: "checking", Name: name,
			Currency: w.eur, BalanceMinor: &balance, Display: true}
		if err := sw.UpsertAccount(ctx, a); err != nil {
			return err
		}
		for _, tx := range txs {
			tx.AccountID, tx.Currency = a.ID, w.eur
		}
		return sw.UpsertTransactions(ctx, txs)
	})
	return a
}

// netWorthNow returns the last total and the end of GET /api/v1/networth.
func netWorthNow(t *testing.T, c *webtest.Client, token string) (total, to string) {
	t.Helper()
	r := c.GetWithToken(token, "/api/v1/networth")
	webtest.MustStatus(t, r, http.StatusOK)
	var nw struct {
		To         string `json:"to"`
		Currencies []struct {
			Currency string `json:"currency"`
			Points   []struct {
				Total string `json:"total"`
			} `json:"points"`
		} `json:"currencies"`
	}
	if err := json.Unmarshal([]byte(r.Body), &nw); err != nil || len(nw.Currencies) != 1 {
		t.Fatalf("networth: %v %s", err, webtest.Excerpt(r.Body))
	}
	pts := nw.Currencies[0].Points
	return pts[len(pts)-1].Total, nw.To
}

// cacheStep is one write and what the very next dashboard and net worth
// must show.
type cacheStep struct {
	name    string
	write   func(t *testing.T, w *cacheWorld)
	page    []string // on the dashboard
	notPage []string // no longer on it
	total   string   // the net worth API's last total
	to      string   // its end, when the day matters
}

// TestUIDashboard_CacheFollowsWrites serves Ana's dashboard and net worth
// (filling the cache), makes one kind of write, and checks that the very
// next request shows it, with expected values written by hand.
func TestUIDashboard_CacheFollowsWrites(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		steps []cacheStep
	}{
		{"IngestWebhook", []cacheStep{{
			write: func(t *testing.T, w *cacheWorld) {
				w.sync(t, w.anaPowens, "Compte courant", 98770, &freenahi.Transaction{PowensID: 2, Date: w.today,
					ValueMinor: -1230, OriginalWording: "BOULANGERIE PAUL", Wording: "BOULANGERIE PAUL", Active: true})
			},
			page: []string{"BOULANGERIE PAUL", "€8,987.70", "€987.70"}, notPage: []string{"€9,000.00"}, total: "8987.70"}}},
		{"EditTransaction", []cacheStep{{
			write: func(t *testing.T, w *cacheWorld) {
				none := int64(0) // takes the market out of groceries
				if _, err := w.s.EditTransaction(ctx, w.ana.ID, w.market.ID, freenahi.TransactionEdit{CategoryID: &none}); err != nil {
					t.Fatal(err)
				}
			},
			page: []string{"€0.00 spent of €200.00"}, notPage: []string{"€45.00 spent of €200.00"}, total: "9000.00"}}},
		{"RenameAccount", []cacheStep{{
			write: func(t *testing.T, w *cacheWorld) {
				name := "Compte joint"
				if _, err := w.s.UpdateAccountChoices(ctx, w.ana.ID, w.checking.ID, freenahi.AccountChoices{Name: &name}); err != nil {
					t.Fatal(err)
				}
			},
			page: []string{">Compte joint<"}, notPage: []string{">Compte courant<"}, total: "9000.00"}}},
		{"HideAccount", []cacheStep{{
			write: func(t *testing.T, w *cacheWorld) {
				hidden := true
				if _, err := w.s.UpdateAccountChoices(ctx, w.ana.ID, w.checking.ID, freenahi.AccountChoices{Hidden: &hidden}); err != nil {
					t.Fatal(err)
				}
			},
			page: []string{"€8,000.00"}, notPage: []string{"€9,000.00", ">Compte courant<"}, total: "8000.00"}}},
		{"AssetValue", []cacheStep{{
			write: func(t *testing.T, w *cacheWorld) {
				if err := w.s.SetAssetValue(ctx, w.ana.ID, w.car.ID, freenahi.AssetValue{Date: w.today, ValueMinor: 950000}); err != nil {
					t.Fatal(err)
				}
			},
			page: []string{"€10,500.00"}, notPage: []string{"€9,000.00"}, total: "10500.00"}}},
		{"Budget", []cacheStep{{
			write: func(t *testing.T, w *cacheWorld) {
				amount := freenahi.MustParseDecimal("350")
				if _, err := w.s.UpdateBudget(ctx, w.ana.ID, w.budget.ID, freenahi.BudgetInput{Amount: &amount}); err != nil {
					t.Fatal(err)
				}
			},
			page: []string{"€45.00 spent of €350.00"}, notPage: []string{"€45.00 spent of €200.00"}, total: "9000.00"}}},
		{"ShareRenameRevoke", []cacheStep{{
			name: "Share",
			write: func(t *testing.T, w *cacheWorld) {
				sh, err := w.s.ShareAccount(ctx, freenahi.ShareInput{OwnerID: w.bob.ID, AccountID: w.bobs.ID, Email: w.ana.Email, Access: freenahi.ShareRead})
				if err != nil {
					t.Fatal(err)
				}
				w.shareID = sh.ID
			},
			page: []string{">Compte de Bob<", "€9,200.00"}, notPage: []string{"€9,000.00"}, total: "9200.00",
		}, {
			name: "OwnerRenames", // Bob's write, seen on Ana's page
			write: func(t *testing.T, w *cacheWorld) {
				name := "Livret de Bob"
				if _, err := w.s.UpdateAccountChoices(ctx, w.bob.ID, w.bobs.ID, freenahi.AccountChoices{Name: &name}); err != nil {
					t.Fatal(err)
				}
			},
			page: []string{">Livret de Bob<", "€9,200.00"}, notPage: []string{">Compte de Bob<"}, total: "9200.00",
		}, {
			name: "OwnerSyncs",
			write: func(t *testing.T, w *cacheWorld) {
				w.sync(t, w.anaPowens+1, "Compte de Bob", 30000)
			},
			page: []string{"€9,300.00"}, notPage: []string{"€9,200.00"}, total: "9300.00",
		}, {
			name: "Revoke",
			write: func(t *testing.T, w *cacheWorld) {
				if err := w.s.RevokeShare(ctx, w.bob.ID, w.shareID); err != nil {
					t.Fatal(err)
				}
			},
			page: []string{"€9,000.00"}, notPage: []string{"Livret de Bob", "€9,300.00"}, total: "9000.00",
		}}},
		{"NextDay", []cacheStep{{
			write: func(t *testing.T, w *cacheWorld) { w.clock.add(24 * time.Hour) },
			page:  []string{"from 19 Mar 2025 to 19 Mar 2026"}, notPage: []string{"to 18 Mar 2026"}, total: "9000.00", to: "2026-03-19"}}},
	}
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				w := newCacheWorld(t, s)
				// What Ana sees first, by hand: 1,000.00 + 8,000.00.
				r := w.page.Get("/")
				webtest.MustStatus(t, r, http.StatusOK)
				webtest.MustContain(t, r, "€9,000.00", ">Compte courant<", "MARCHE DU SAMEDI", "€45.00 spent of €200.00",
					"from 18 Mar 2025 to 18 Mar 2026")
				webtest.MustNotContain(t, r, "Compte de Bob")
				if total, to := netWorthNow(t, w.page, w.token); total != "9000.00" || to != "2026-03-18" {
					t.Fatalf("net worth before: %s on %s, want 9000.00 on 2026-03-18", total, to)
				}
				for _, st := range tc.steps {
					// Served twice: the second from the cache, as the write finds it.
					w.page.Get("/")
					netWorthNow(t, w.page, w.token)
					st.write(t, w)
					r := w.page.Get("/")
					webtest.MustStatus(t, r, http.StatusOK)
					webtest.MustContain(t, r, st.page...)
					webtest.MustNotContain(t, r, st.notPage...)
					total, to := netWorthNow(t, w.page, w.token)
					if want := cmpOr(st.to, "2026-03-18"); total != st.total || to != want {
						t.Fatalf("%s: net worth %s on %s, want %s on %s", st.name, total, to, st.total, want)
					}
				}
			})
		}
	})
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// fixedVersion is a PageVersioner that says what the test sets.
type fixedVersion struct {
	mu sync.Mutex
	v  string
}

func (f *fixedVersion) PageVersion(context.Context, int64) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.v, nil
}

func (f *fixedVersion) set(v string) { f.mu.Lock(); f.v = v; f.mu.Unlock() }

// TestUIDashboard_CacheServesItsVersion shows that the cache is used (so
// that the test above tests it): while the version stays, a write is not
// seen; a new version shows it. Each language and period has its own
// entry, and nothing of one session reaches another.
func TestUIDashboard_CacheServesItsVersion(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ver := &fixedVersion{v: "1"}
	w := newCacheWorld(t, s, func(srv *web.Server) { srv.Pages = ver })
	ctx := context.Background()
	webtest.MustContain(t, w.page.Get("/"), ">Compte courant<")
	if total, _ := netWorthNow(t, w.page, w.token); total != "9000.00" {
		t.Fatalf("net worth %s, want 9000.00", total)
	}
	name := "Compte joint"
	if _, err := s.UpdateAccountChoices(ctx, w.ana.ID, w.checking.ID, freenahi.AccountChoices{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAssetValue(ctx, w.ana.ID, w.car.ID, freenahi.AssetValue{Date: w.today, ValueMinor: 950000}); err != nil {
		t.Fatal(err)
	}
	// Same version: the data as read before.
	webtest.MustContain(t, w.page.Get("/"), ">Compte courant<", "€9,000.00")
	if total, _ := netWorthNow(t, w.page, w.token); total != "9000.00" {
		t.Fatalf("net worth %s from the cache, want 9000.00", total)
	}
	// Another period and another language are other entries: read now.
	webtest.MustContain(t, w.page.Get("/?period=3m"), ">Compte joint<", "€10,500.00")
	fr := &http.Request{Method: "GET", Header: http.Header{"Accept-Language": {"fr"}}}
	fr.URL, _ = fr.URL.Parse(w.serverA + "/")
	r := w.page.Do(fr)
	webtest.MustContain(t, r, "Compte joint", "Patrimoine net")
	// Another session of Ana's gets its own CSRF token, not the first's.
	other := webtest.NewClient(t, w.serverA)
	other.SignInAs(s, w.ana.ID)
	w.page.Get("/")
	first := w.page.CSRF
	other.Get("/")
	if first == "" || other.CSRF == "" || first == other.CSRF {
		t.Fatalf("CSRF tokens of two sessions: %q and %q", first, other.CSRF)
	}
	webtest.MustContain(t, w.page.Get("/"), ">Compte courant<")
	ver.set("2")
	webtest.MustContain(t, w.page.Get("/"), ">Compte joint<", "€10,500.00")
	if total, _ := netWorthNow(t, w.page, w.token); total != "10500.00" {
		t.Fatalf("net worth %s after a new version, want 10500.00", total)
	}
}

// TestUIDashboard_CacheTwoInstances runs two servers, each with its own
// store handle and cache, on one database: what one writes through its API
// the other shows at its next request.
func TestUIDashboard_CacheTwoInstances(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			url := storetest.MigratedURL(t, engine)
			key := storetest.Key(t)
			open := func() *store.Store {
				s, err := store.Open(context.Background(), url, store.Options{Secrets: key})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			a, b := open(), open()
			w := newCacheWorld(t, a) // instance A serves Ana's pages
			tsB, _ := webtest.NewUIServer(t, b, func(srv *web.Server) {
				srv.Now, srv.Spending = w.clock.Now, b
				srv.History = &wealth.Service{Accounts: b, Source: b, Assets: b, Now: w.clock.Now}
			})
			apiB := webtest.NewClient(t, tsB.URL)
			for _, st := range []struct {
				method, path, body string
				page               []string
				total              string
			}{
				{"PATCH", fmt.Sprintf("/api/v1/accounts/%d", w.checking.ID), `{"name":"Compte joint"}`, []string{">Compte joint<", "€9,000.00"}, "9000.00"},
				{"POST", fmt.Sprintf("/api/v1/assets/%d/values", w.car.ID), `{"date":"2026-03-18","value":"9500.00"}`, []string{"€10,500.00"}, "10500.00"},
				{"PATCH", fmt.Sprintf("/api/v1/transactions/%d", w.market.ID), `{"category_id":0}`, []string{"€0.00 spent of €200.00"}, "10500.00"},
			} {
				w.page.Get("/")
				netWorthNow(t, w.page, w.token)
				req, _ := http.NewRequest(st.method, tsB.URL+st.path, strings.NewReader(st.body))
				req.Header.Set("Authorization", "Bearer "+w.token)
				req.Header.Set("Content-Type", "application/json")
				if r := apiB.Do(req); r.Status >= 300 {
					t.Fatalf("%s %s on B: %d %s", st.method, st.path, r.Status, webtest.Excerpt(r.Body))
				}
				webtest.MustContain(t, w.page.Get("/"), st.page...)
				if total, _ := netWorthNow(t, w.page, w.token); total != st.total {
					t.Fatalf("after %s %s on B, A's net worth is %s, want %s", st.method, st.path, total, st.total)
				}
			}
		})
	}
}
