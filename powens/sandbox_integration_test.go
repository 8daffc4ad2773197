package powens_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/sandbox"
)

// These tests run the client against the local Powens sandbox over real HTTP,
// so that the two sides agree on paths, shapes and behaviours.

const (
	sbxClientID = "1234"
	sbxSecret   = "sandbox-secret"
	sbxDomain   = "freenahi-sandbox"
	testBank    = sandbox.TestBankUUID
	wealthBank  = sandbox.WealthBankUUID
	callbackURL = "https://app.example/powens/callback"
)

// sandboxEnv is a sandbox served over HTTP and a client pointed at it.
type sandboxEnv struct {
	sbx    *sandbox.Server
	srv    *httptest.Server
	client *powens.Client

	mu    sync.Mutex
	waits []time.Duration
}

// Waits returns the retry sleeps the client asked for.
func (e *sandboxEnv) Waits() []time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]time.Duration(nil), e.waits...)
}

// MustStartSandbox serves a fresh sandbox and returns a client on it whose
// retry sleeps are recorded, not slept.
func MustStartSandbox(tb testing.TB) *sandboxEnv {
	tb.Helper()
	sbx, err := sandbox.New(sandbox.Config{
		ClientID: sbxClientID, ClientSecret: sbxSecret, Domain: sbxDomain,
		Seed: 1, DecoupledDelay: 50 * time.Millisecond,
	})
	if err != nil {
		tb.Fatal(err)
	}
	e := &sandboxEnv{sbx: sbx, srv: httptest.NewServer(sbx)}
	tb.Cleanup(func() {
		e.srv.Close()
		sbx.Close()
	})
	e.client, err = powens.NewClient(powens.ClientConfig{
		BaseURL: e.srv.URL + "/2.0/", Domain: sbxDomain, WebviewURL: e.srv.URL + "/",
		ClientID: sbxClientID, ClientSecret: sbxSecret,
		Sleep: func(ctx context.Context, d time.Duration) error {
			e.mu.Lock()
			e.waits = append(e.waits, d)
			e.mu.Unlock()
			return ctx.Err()
		},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// MustCreateUser creates a permanent Powens user and returns its client.
func (e *sandboxEnv) MustCreateUser(tb testing.TB) (*powens.UserClient, *powens.AuthToken) {
	tb.Helper()
	tok, err := e.client.InitUser(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return e.client.User(tok.Token), tok
}

// MustConnect creates a connection with encrypted credentials, as a custom
// connection form does, and returns it with the HTTP status.
func (e *sandboxEnv) MustConnect(tb testing.TB, u *powens.UserClient, connector, login string) (*powens.Connection, int) {
	tb.Helper()
	conn, status, err := e.connect(u, connector, login)
	if err != nil {
		tb.Fatalf("connect %s: %v", login, err)
	}
	return conn, status
}

func (e *sandboxEnv) connect(u *powens.UserClient, connector, login string) (*powens.Connection, int, error) {
	ctx := context.Background()
	enc, err := e.client.FieldEncrypter(ctx)
	if err != nil {
		return nil, 0, err
	}
	fields, err := enc.EncryptFields(map[string]string{"login": login, "password": "any"})
	if err != nil {
		return nil, 0, err
	}
	return u.CreateConnection(ctx, powens.CreateConnection{ConnectorUUID: connector, Source: "directaccess", Fields: fields})
}

func TestSandbox_CustomConnectionFlow(t *testing.T) {
	ctx := context.Background()
	e := MustStartSandbox(t)
	u, tok := e.MustCreateUser(t)
	if tok.Type != powens.TokenPermanent || tok.IDUser == 0 {
		t.Fatalf("token %v", tok)
	}
	me, err := u.Me(ctx)
	if err != nil || me.ID != tok.IDUser {
		t.Fatalf("Me=%+v, %v", me, err)
	}

	connectors, err := e.client.ListConnectors(ctx, powens.ConnectorQuery{CountryCodes: []string{"FR"}})
	if err != nil {
		t.Fatal(err)
	}
	var bank *powens.Connector
	for i := range connectors {
		if connectors[i].UUID == testBank {
			bank = &connectors[i]
		}
	}
	if bank == nil || len(bank.Sources) == 0 || len(bank.Fields) == 0 {
		t.Fatalf("test bank missing or not expanded: %+v", connectors)
	}
	fields, err := e.client.ConnectorFields(ctx, testBank)
	if err != nil || len(fields) < 2 {
		t.Fatalf("fields %+v, %v", fields, err)
	}

	conn, status := e.MustConnect(t, u, testBank, "demo")
	if status != http.StatusCreated || conn.ConnectionState() != freenahi.StateOK {
		t.Fatalf("status=%d state=%q", status, conn.ConnectionState())
	}

	// Accounts are discovered disabled; transactions wait for activation.
	if _, err := collect(ctx, u, powens.TransactionQuery{}); !powens.IsCode(err, powens.CodeNoAccount) {
		t.Errorf("transactions before activation: err=%v, want noAccount", err)
	}
	list, err := u.ListConnectionAccounts(ctx, conn.ID, true)
	if err != nil || len(list.Accounts) == 0 {
		t.Fatalf("accounts %+v, %v", list, err)
	}
	var ids []int64
	for _, a := range list.Accounts {
		if a.Disabled.IsZero() {
			t.Errorf("account %d is enabled before activation", a.ID)
		}
		ids = append(ids, a.ID)
	}
	if _, err := u.ActivateAccounts(ctx, conn.ID, ids); err != nil {
		t.Fatal(err)
	}
	enabled, err := u.ListAccounts(ctx, false)
	if err != nil || len(enabled.Accounts) != len(ids) {
		t.Fatalf("enabled accounts %d, %v; want %d", len(enabled.Accounts), err, len(ids))
	}

	// Small pages and one big page must list the same transactions.
	small, err := collect(ctx, u, powens.TransactionQuery{Limit: 25})
	if err != nil {
		t.Fatal(err)
	}
	big, err := collect(ctx, u, powens.TransactionQuery{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d transactions in %d pages of 25", len(small.ids), small.pages)
	if small.pages < 3 || len(small.ids) != len(big.ids) || len(small.ids) == 0 {
		t.Errorf("paged %d transactions in %d pages, unpaged %d", len(small.ids), small.pages, len(big.ids))
	}
	if len(small.seen) != len(small.ids) {
		t.Errorf("paging repeated transactions: %d unique of %d", len(small.seen), len(small.ids))
	}
	tx, err := u.GetTransaction(ctx, small.ids[0])
	if err != nil || tx.ID != small.ids[0] || !tx.Value.Valid() {
		t.Errorf("GetTransaction=%+v, %v", tx, err)
	}

	got, err := u.GetConnection(ctx, conn.ID)
	if err != nil || got.Connector == nil || len(got.Sources) == 0 {
		t.Fatalf("GetConnection=%+v, %v", got, err)
	}
	// A forced sync right after one is refused, as Powens does.
	if _, err := u.SyncConnection(ctx, conn.ID, false); !powens.IsConflict(err) {
		t.Errorf("SyncConnection right after a sync: err=%v, want a conflict", err)
	}
	if err := u.DeleteConnection(ctx, conn.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := u.GetConnection(ctx, conn.ID); !powens.IsNotFound(err) {
		t.Errorf("deleted connection: err=%v, want not found", err)
	}
	if conns, err := u.ListConnections(ctx); err != nil || len(conns) != 0 {
		t.Errorf("connections after delete: %d, %v", len(conns), err)
	}
}

// listing is what collect gathered.
type listing struct {
	ids   []int64
	seen  map[int64]bool
	pages int
}

func collect(ctx context.Context, u *powens.UserClient, q powens.TransactionQuery) (*listing, error) {
	l := &listing{seen: map[int64]bool{}}
	for page, err := range u.TransactionPages(ctx, q) {
		if err != nil {
			return nil, err
		}
		l.pages++
		for _, tx := range page.Transactions {
			l.ids = append(l.ids, tx.ID)
			l.seen[tx.ID] = true
		}
	}
	return l, nil
}

func TestSandbox_ConnectionStates(t *testing.T) {
	ctx := context.Background()
	e := MustStartSandbox(t)
	u, _ := e.MustCreateUser(t)

	t.Run("TwoFactor", func(t *testing.T) {
		conn, status := e.MustConnect(t, u, testBank, "2fa")
		if status != http.StatusAccepted || !conn.NeedsInput() || conn.Fields[0].Name != "otp" {
			t.Fatalf("status=%d state=%q fields=%+v", status, conn.ConnectionState(), conn.Fields)
		}
		enc, err := e.client.FieldEncrypter(ctx)
		if err != nil {
			t.Fatal(err)
		}
		bad, _ := enc.Encrypt("000000")
		if _, _, err := u.UpdateConnection(ctx, conn.ID, powens.UpdateConnection{Fields: map[string]string{"otp": bad}}); !powens.IsCode(err, powens.CodeWrongpass) {
			t.Errorf("wrong OTP: err=%v, want wrongpass", err)
		}
		good, _ := enc.Encrypt("123456")
		conn, _, err = u.UpdateConnection(ctx, conn.ID, powens.UpdateConnection{Fields: map[string]string{"otp": good}})
		if err != nil || conn.ConnectionState() != freenahi.StateOK {
			t.Errorf("right OTP: state=%v err=%v", conn, err)
		}
	})
	t.Run("Wrongpass", func(t *testing.T) {
		_, status, err := e.connect(u, testBank, "wrongpass")
		if !powens.IsCode(err, "wrongPass") || status != http.StatusBadRequest {
			t.Fatalf("status=%d err=%v, want 400 wrongpass", status, err)
		}
		if perr := powens.AsError(err); perr.RequestID == "" || perr.Message == "" {
			t.Errorf("error lacks request id or bank message: %+v", perr)
		}
	})
	t.Run("Decoupled", func(t *testing.T) {
		conn, status := e.MustConnect(t, u, testBank, "decoupled")
		if status != http.StatusAccepted || conn.ConnectionState() != freenahi.StateDecoupled {
			t.Fatalf("status=%d state=%q", status, conn.ConnectionState())
		}
		conn, _, err := u.UpdateConnection(ctx, conn.ID, powens.UpdateConnection{Resume: true})
		if err != nil || conn.ConnectionState() != freenahi.StateOK {
			t.Errorf("resume: conn=%+v err=%v", conn, err)
		}
	})
	t.Run("ActionNeeded", func(t *testing.T) {
		conn, _ := e.MustConnect(t, u, testBank, "action")
		if conn.ConnectionState().Kind() != freenahi.StateKindOutside || conn.ErrorMessage == nil {
			t.Errorf("state=%q message=%v", conn.ConnectionState(), conn.ErrorMessage)
		}
	})
}

func TestSandbox_Tokens(t *testing.T) {
	ctx := context.Background()
	e := MustStartSandbox(t)
	u, tok := e.MustCreateUser(t)

	code, err := u.TemporaryCode(ctx, powens.CodeSingleAccess)
	if err != nil {
		t.Fatal(err)
	}
	exchanged, err := e.client.ExchangeCode(ctx, code.Code, "")
	if err != nil {
		t.Fatal(err)
	}
	if me, err := e.client.User(exchanged.Token).Me(ctx); err != nil || me.ID != tok.IDUser {
		t.Fatalf("exchanged token: %+v, %v", me, err)
	}
	if _, err := e.client.ExchangeCode(ctx, code.Code, ""); err == nil {
		t.Error("a single-use code was exchanged twice")
	}

	renewed, err := e.client.RenewToken(ctx, tok.IDUser, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Me(ctx); !powens.IsUnauthorized(err) {
		t.Errorf("revoked-by-renew token: err=%v, want 401", err)
	}
	r := e.client.User(renewed.Token)
	if err := r.RevokeToken(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Me(ctx); !powens.IsUnauthorized(err) {
		t.Errorf("revoked token: err=%v, want 401", err)
	}

	other, _ := e.MustCreateUser(t)
	if err := other.DeleteUser(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Me(ctx); !powens.IsUnauthorized(err) {
		t.Errorf("deleted user: err=%v, want 401", err)
	}
}

func TestSandbox_Investments(t *testing.T) {
	ctx := context.Background()
	e := MustStartSandbox(t)
	u, _ := e.MustCreateUser(t)
	conn, _ := e.MustConnect(t, u, wealthBank, "demo")
	list, err := u.ListConnectionAccounts(ctx, conn.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, a := range list.Accounts {
		ids = append(ids, a.ID)
	}
	if _, err := u.ActivateAccounts(ctx, conn.ID, ids); err != nil {
		t.Fatal(err)
	}
	all, err := u.ListInvestments(ctx, false)
	if err != nil || len(all.Investments) == 0 || !all.Valuation.Valid() {
		t.Fatalf("investments %+v, %v", all, err)
	}
	one, err := u.ListAccountInvestments(ctx, all.Investments[0].IDAccount, false)
	if err != nil || len(one.Investments) == 0 || len(one.Investments) > len(all.Investments) {
		t.Errorf("account investments %d of %d, %v", len(one.Investments), len(all.Investments), err)
	}
	for _, inv := range one.Investments {
		if inv.IDAccount != all.Investments[0].IDAccount {
			t.Errorf("investment %d belongs to account %d", inv.ID, inv.IDAccount)
		}
	}
}

func TestSandbox_RetriesAndErrors(t *testing.T) {
	ctx := context.Background()
	e := MustStartSandbox(t)
	u, _ := e.MustCreateUser(t)

	e.sbx.InjectFault(sandbox.Fault{Path: "/2.0/users/me", Method: http.MethodGet, Status: http.StatusTooManyRequests, RetryAfter: 2})
	if _, err := u.Me(ctx); err != nil {
		t.Fatalf("Me after a 429: %v", err)
	}
	if w := e.Waits(); len(w) != 1 || w[0] != 2*time.Second {
		t.Errorf("waits=%v, want [2s]", w)
	}

	e.sbx.InjectFault(sandbox.Fault{Path: "/2.0/connectors", Status: http.StatusInternalServerError, Count: 2})
	if _, err := e.client.ListConnectors(ctx, powens.ConnectorQuery{}); err != nil {
		t.Fatalf("ListConnectors after two 500s: %v", err)
	}
	if w := e.Waits(); len(w) != 3 {
		t.Errorf("waits=%v, want 3 in all", w)
	}

	e.sbx.InjectFault(sandbox.Fault{Path: "/2.0/auth/init", Status: http.StatusServiceUnavailable})
	if _, err := e.client.InitUser(ctx); powens.StatusOf(err) != http.StatusServiceUnavailable {
		t.Errorf("InitUser during a 503: err=%v", err)
	}
	if w := e.Waits(); len(w) != 3 {
		t.Errorf("POST /auth/init was retried: waits=%v", w)
	}

	_, err := e.client.GetConnector(ctx, "no-such-connector")
	var perr *powens.Error
	if !errors.As(err, &perr) || !powens.IsNotFound(err) || perr.RequestID == "" {
		t.Errorf("unknown connector: err=%v", err)
	}
	if _, err := e.client.User("not-a-token").Me(ctx); !powens.IsUnauthorized(err) {
		t.Errorf("bad token: err=%v, want 401", err)
	}
}
