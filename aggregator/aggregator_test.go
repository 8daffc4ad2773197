package aggregator_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi/web/webhook"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/powenstest"
	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
)

var ctx = context.Background()

const (
	clientID     = "12345678"
	clientSecret = "sandbox-secret"
	hmacSecret   = "hmac-secret"
)

// env is freenahi (store, receiver, worker, aggregator) wired to a sandbox.
type env struct {
	store   *store.Store
	sandbox *sandbox.Server
	agg     *aggregator.Service
	worker  *ingest.Worker
	clock   *testenv.Clock // shared by the sandbox and the service
	user    *freenahi.User
}

// newEnv connects a store, the local Powens sandbox and the webhook
// receiver; tune, if given, adjusts the sandbox's configuration first.
func newEnv(t testing.TB, s *store.Store, tune ...func(*sandbox.Config)) *env {
	t.Helper()
	clk := testenv.NewClock(time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC))
	e := &env{store: s, clock: clk, worker: &ingest.Worker{Inbox: s, Transfers: s, MaxAttempts: 1}}
	receiver := httptest.NewServer((&web.Server{Users: s, Inbox: s, Webhook: webhook.Config{Secret: hmacSecret, MaxAge: 100 * 365 * 24 * time.Hour}}).Handler())
	t.Cleanup(receiver.Close)
	cfg := sandbox.Config{ClientID: clientID, ClientSecret: clientSecret, Domain: "freenahi-sandbox",
		WebhookURLs: map[string]string{"connection_synced": receiver.URL + "/webhook/connection_synced/"}, WebhookSecret: hmacSecret,
		Seed: 7, Now: clk.Now, MinSyncInterval: -1, DecoupledDelay: 10 * time.Millisecond, WebhookRetry: []time.Duration{10 * time.Millisecond}}
	for _, f := range tune {
		f(&cfg)
	}
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(sb)
	t.Cleanup(func() { sb.Close(); api.Close() })
	pc, err := powens.NewClient(powens.ClientConfig{BaseURL: api.URL + "/2.0/", Domain: "freenahi-sandbox", ClientID: clientID,
		ClientSecret: clientSecret, WebviewURL: api.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	e.sandbox = sb
	e.agg = &aggregator.Service{Powens: pc, Store: s, Now: clk.Now, RedirectURL: "https://freenahi.test/webview/callback",
		StateKey: []byte("test state key")}
	if e.user, err = s.CreateUser(ctx, "ana@example.com", ""); err != nil {
		t.Fatal(err)
	}
	return e
}

// drain waits for the sandbox's asynchronous webhooks to be stored, then processes the inbox.
func (e *env) drain(t *testing.T, wantEvents int) {
	t.Helper()
	testenv.WaitFor(t, time.Minute, fmt.Sprintf("%d events in the inbox", wantEvents), func() bool {
		st, err := e.store.InboxStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		events, _ := e.store.FindEvents(ctx, freenahi.InboxFilter{Limit: 1000})
		return len(events) >= wantEvents && st.Depth[freenahi.StatusUnmatched] == 0
	})
	if _, err := e.worker.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	failed := freenahi.StatusFailed
	if events, _ := e.store.FindEvents(ctx, freenahi.InboxFilter{Status: &failed}); len(events) > 0 {
		t.Fatalf("event %d failed: %s", events[0].ID, events[0].LastError)
	}
}

// connect adds the test bank with a login and activates every account.
func (e *env) connect(t *testing.T, login string) *powens.Connection {
	t.Helper()
	var conn *powens.Connection
	err := e.agg.Do(ctx, e.user.ID, func(u *powens.UserClient) error {
		var err error
		conn, err = powenstest.ConnectTestBankActivated(ctx, u, login)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// assertMirrors checks that what we store equals what Powens reports: every
// transaction with the same amount, coming flag and deletion, and nothing more.
func (e *env) assertMirrors(t *testing.T) {
	t.Helper()
	remote := map[int64]powens.Transaction{}
	err := e.agg.Do(ctx, e.user.ID, func(u *powens.UserClient) error {
		return u.EachTransactionPage(ctx, powens.TransactionQuery{All: true}, func(p *powens.TransactionPage) error {
			for _, tx := range p.Transactions {
				remote[tx.ID] = tx
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	local := map[int64]*freenahi.Transaction{}
	f := freenahi.TransactionFilter{UserID: e.user.ID, IncludeDeleted: true, Limit: 1000}
	for {
		page, next, err := e.store.FindTransactions(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range page {
			local[tx.PowensID] = tx
		}
		if next == nil {
			break
		}
		f.After = next
	}
	if len(local) != len(remote) {
		t.Fatalf("stored %d transactions, Powens has %d", len(local), len(remote))
	}
	var coming, deleted int
	for id, r := range remote {
		l := local[id]
		if l == nil {
			t.Fatalf("transaction %d missing", id)
		}
		want := r.Value.String()
		if got := freenahi.FormatMinor(l.ValueMinor, 2); got != fmt.Sprint(freenahi.MustParseDecimal(want).String()) && freenahi.MustParseDecimal(got).String() != freenahi.MustParseDecimal(want).String() {
			t.Fatalf("transaction %d: amount %s, Powens says %s", id, got, want)
		}
		if l.Coming != r.Coming || (l.Deleted != nil) != !r.Deleted.IsZero() {
			t.Fatalf("transaction %d: coming=%v deleted=%v, Powens says coming=%v deleted=%v", id, l.Coming, l.Deleted != nil, r.Coming, !r.Deleted.IsZero())
		}
		if r.Coming {
			coming++
		}
		if !r.Deleted.IsZero() {
			deleted++
		}
	}
	t.Logf("%d transactions mirrored (%d coming, %d deleted)", len(remote), coming, deleted)
}

func TestPowensUser_CreatedOnce(t *testing.T) {
	e := newEnv(t, storetest.MustOpen(t, store.SQLite))
	var wg sync.WaitGroup
	ids := make(chan int64, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pu, err := e.agg.PowensUser(ctx, e.user.ID)
			if err != nil {
				t.Error(err)
				return
			}
			ids <- pu.PowensUserID
		}()
	}
	wg.Wait()
	close(ids)
	first := <-ids
	for id := range ids {
		if id != first {
			t.Fatalf("concurrent first use created Powens users %d and %d", first, id)
		}
	}
}

func TestDo_RenewsRefusedToken(t *testing.T) {
	e := newEnv(t, storetest.MustOpen(t, store.SQLite))
	before, err := e.agg.PowensUser(ctx, e.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.agg.Client().User(before.Token).RevokeToken(ctx); err != nil {
		t.Fatal(err)
	}
	var calls int
	err = e.agg.Do(ctx, e.user.ID, func(u *powens.UserClient) error {
		calls++
		_, err := u.Me(ctx)
		return err
	})
	if err != nil || calls != 2 {
		t.Fatalf("Do after revocation: calls=%d err=%v, want a renewal and a second call", calls, err)
	}
	after, _ := e.store.FindPowensUser(ctx, e.user.ID)
	if after.Token == before.Token || after.PowensUserID != before.PowensUserID {
		t.Fatal("the renewed token was not stored for the same Powens user")
	}
}

// TestEndToEnd: a user connects the test bank through the sandbox, the signed
// webhook brings the data; then a webhook is lost and the reconcile pull
// recovers it, with coming transactions booked and deleted ones hidden.
func TestEndToEnd(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		conn := e.connect(t, "demo")
		e.drain(t, 2) // one webhook after creation, one after activation
		e.assertMirrors(t)

		// Sunday: the background sync reveals Saturday's fuel pre-authorisation, coming.
		e.clock.Add(6 * 24 * time.Hour)
		e.sandbox.SyncConnection(conn.ID)
		e.drain(t, 3)

		comingBefore := map[int64]int64{} // Powens id → our id
		page, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: e.user.ID, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range page {
			if tx.Coming {
				comingBefore[tx.PowensID] = tx.ID
			}
		}

		// A sync whose webhook is lost, weeks later (past the end of the month,
		// when the deferred card books, and past Saturdays, when the sandbox's
		// fuel pre-authorisations are deleted).
		e.sandbox.InjectFault(sandbox.Fault{DropWebhooks: 1})
		e.clock.Add(20 * 24 * time.Hour)
		before, _ := e.store.FindEvents(ctx, freenahi.InboxFilter{Limit: 1000})
		if !e.sandbox.SyncConnection(conn.ID) {
			t.Fatal("sandbox lost the connection")
		}
		// Delivered or dropped, nothing is left to arrive once none is pending.
		testenv.WaitFor(t, time.Minute, "the sandbox's webhooks", func() bool { return e.sandbox.WebhooksPending() == 0 })
		if after, _ := e.store.FindEvents(ctx, freenahi.InboxFilter{Limit: 1000}); len(after) != len(before) {
			t.Fatal("the dropped webhook arrived anyway")
		}
		if n, err := e.agg.Reconcile(ctx, e.user.ID); err != nil || n != 1 {
			t.Fatalf("reconcile: queued %d, err %v", n, err)
		}
		e.drain(t, len(before)+1)
		e.assertMirrors(t)

		// Coming transactions were booked in place; deleted ones are hidden by default.
		all, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: e.user.ID, Limit: 1000, IncludeDeleted: true})
		if err != nil {
			t.Fatal(err)
		}
		booked, deleted := 0, 0
		for _, tx := range all {
			if id, ok := comingBefore[tx.PowensID]; ok && !tx.Coming && tx.Deleted == nil {
				if tx.ID != id {
					t.Fatalf("booked transaction %d got a new row", tx.PowensID)
				}
				booked++
			}
			if tx.Deleted != nil {
				deleted++
			}
		}
		visible, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: e.user.ID, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if booked == 0 || deleted == 0 || len(visible) != len(all)-deleted {
			t.Fatalf("booked in place=%d deleted=%d visible=%d of %d: want some booked, some deleted and hidden", booked, deleted, len(visible), len(all))
		}
	})
}

func TestReconcile_VanishedConnection(t *testing.T) {
	e := newEnv(t, storetest.MustOpen(t, store.SQLite))
	conn := e.connect(t, "demo")
	e.drain(t, 2)
	e.sandbox.InjectFault(sandbox.Fault{DropWebhooks: 10})
	if err := e.agg.Do(ctx, e.user.ID, func(u *powens.UserClient) error { return u.DeleteConnection(ctx, conn.ID) }); err != nil {
		t.Fatal(err)
	}
	if _, err := e.agg.Reconcile(ctx, e.user.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.worker.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	conns, _ := e.store.FindConnections(ctx, e.user.ID)
	if len(conns) != 1 || conns[0].Deleted == nil {
		t.Fatalf("connection deleted at Powens without a webhook is not marked deleted: %+v", conns)
	}
}

func TestWebviewURL(t *testing.T) {
	e := newEnv(t, storetest.MustOpen(t, store.SQLite))
	u1, err := e.agg.WebviewURL(ctx, e.user.ID, aggregator.FlowConnect, 0)
	if err != nil {
		t.Fatal(err)
	}
	u2, _ := e.agg.WebviewURL(ctx, e.user.ID, aggregator.FlowConnect, 0)
	if u1 == u2 {
		t.Fatal("two webview links share a temporary code")
	}
	if _, err := e.agg.WebviewURL(ctx, e.user.ID, aggregator.FlowReconnect, 0); freenahi.ErrorField(err) != "connection_id" {
		t.Fatalf("reconnect without a connection: %v", err)
	}
	if got := aggregator.ReturnProblem("access_denied", "").Message; got == "" || got == "access_denied" {
		t.Fatalf("access_denied explained as %q", got)
	}

	// The link's state says whose visit it is; nothing else opens a callback.
	link, _ := url.Parse(u1)
	state := link.Query().Get("state")
	back := func(state string) (*aggregator.WebviewResult, error) {
		return e.agg.HandleWebviewCallback(ctx, url.Values{"state": {state}, "error": {"access_denied"}})
	}
	if res, err := back(state); err != nil || res.UserID != e.user.ID || res.Problem == nil {
		t.Fatalf("callback with the link's state=%+v, %v; want user %d and the cancellation as a problem", res, err, e.user.ID)
	}
	forged := []byte(state)
	forged[5] ^= 1
	for name, st := range map[string]string{"forged": string(forged), "empty": "", "garbage": "x.y"} {
		if _, err := back(st); freenahi.ErrorCode(err) != freenahi.EFORBIDDEN {
			t.Errorf("%s state: err=%v, want forbidden", name, err)
		}
	}
	e.clock.Add(61 * time.Minute)
	if _, err := back(state); freenahi.ErrorCode(err) != freenahi.EFORBIDDEN {
		t.Fatalf("expired state: err=%v, want forbidden", err)
	}
}
