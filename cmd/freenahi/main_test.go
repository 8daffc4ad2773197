package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// testMain is a Main with its own data directory, database and streams.
type testMain struct {
	t   *testing.T
	env map[string]string
	now func() time.Time // the database's clock; nil is the system's
}

func newTestMain(t *testing.T, engine store.Engine) *testMain {
	dir := t.TempDir()
	return &testMain{t: t, env: map[string]string{
		"FREENAHI_DATA_DIR":     dir,
		"FREENAHI_DATABASE_URL": storetest.URL(t, engine),
		"POWENS_WEBHOOK_SECRET": "s3cret",
		"SERVER_LOG_LEVEL":      "warn",
	}}
}

func (tm *testMain) main(stdin string) (*Main, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Now: tm.now,
		LookupEnv: func(k string) (string, bool) { v, ok := tm.env[k]; return v, ok }}, &out, &errOut
}

// run runs a command and returns its stdout; it fails the test on error.
func (tm *testMain) run(stdin string, args ...string) string {
	tm.t.Helper()
	m, out, errOut := tm.main(stdin)
	if err := m.Run(context.Background(), args); err != nil {
		tm.t.Fatalf("freenahi %s: %v\nstderr: %s", strings.Join(args, " "), err, errOut)
	}
	return out.String()
}

func (tm *testMain) runErr(stdin string, args ...string) error {
	tm.t.Helper()
	m, _, _ := tm.main(stdin)
	return m.Run(context.Background(), args)
}

// serve starts `freenahi serve` and returns its URL and a stop function.
func (tm *testMain) serve() (string, func()) {
	tm.t.Helper()
	m, _, errOut := tm.main("")
	ready := make(chan string, 1)
	m.OnListen = func(url string) { ready <- url }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}) }()
	select {
	case url := <-ready:
		return url, func() {
			cancel()
			if err := <-done; err != nil {
				tm.t.Errorf("serve: %v", err)
			}
		}
	case err := <-done:
		tm.t.Fatalf("serve stopped: %v\n%s", err, errOut)
	case <-time.After(time.Minute):
		tm.t.Fatal("serve did not start")
	}
	return "", nil
}

func TestEndToEnd(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			tm := newTestMain(t, engine)
			tm.run("correct horse battery\n", "user", "create", "--email", "Ana@Example.com", "--password-stdin")
			tm.run("", "user", "create", "--email", "bob@example.com")
			if err := tm.runErr("", "user", "create", "--email", "ana@example.com"); err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Fatalf("duplicate user: %v", err)
			}
			out := tm.run("the-permanent-token\n", "user", "link-powens", "--email", "ana@example.com", "--powens-user-id", "42", "--powens-token-stdin")
			if !strings.Contains(out, "linked Powens user 42") {
				t.Fatalf("link-powens: %s", out)
			}
			token := strings.TrimSpace(tm.run("", "token", "create", "--email", "ana@example.com", "--name", "laptop"))
			if !strings.HasPrefix(token, "fnh_") {
				t.Fatalf("token=%q", token)
			}
			if out := tm.run("", "user", "list"); !strings.Contains(out, "ana@example.com") || !strings.Contains(out, "42") {
				t.Fatalf("user list: %s", out)
			}

			url, stop := tm.serve()
			body, err := os.ReadFile("../../ingest/testdata/connection_synced.json")
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest("POST", url+"/webhook/connection_synced/", bytes.NewReader(body))
			date := powens.SignatureDate(time.Now())
			req.Header.Set(powens.HeaderSignatureDate, date)
			req.Header.Set(powens.HeaderSignature, powens.Sign("s3cret", "POST", "/webhook/connection_synced/", date, body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("webhook: %v %v", resp, err)
			}
			resp.Body.Close()
			var txs struct {
				Transactions []struct{ Amount string } `json:"transactions"`
			}
			// The event is processed after the acknowledgement, in the background.
			testenv.WaitFor(t, time.Minute, "the webhook's transactions in the API", func() bool {
				getJSON(t, url+"/api/v1/transactions", token, &txs)
				return len(txs.Transactions) > 0
			})
			if len(txs.Transactions) != 5 {
				t.Fatalf("transactions through the API=%d, want 5", len(txs.Transactions))
			}
			stop()

			if out := tm.run("", "webhooks", "list", "--status", "processed"); !strings.Contains(out, "connection_synced") ||
				!strings.Contains(out, "0 of at most 1000 events") || !strings.Contains(out, "kept 2160h0m0s after processing") {
				t.Fatalf("webhooks list: %s", out)
			}
			if out := tm.run("", "webhooks", "replay", "--process", "1"); !strings.Contains(out, "1 event processed") {
				t.Fatalf("webhooks replay: %s", out)
			}
			if out := tm.run("", "webhooks", "show", "1"); !strings.Contains(out, `"id_webhook_data": 9001`) {
				t.Fatalf("webhooks show: %s", out)
			}
			tokens := tm.run("", "token", "list", "--email", "ana@example.com")
			if !strings.Contains(tokens, "laptop") {
				t.Fatalf("token list: %s", tokens)
			}
			tm.run("", "token", "revoke", "--email", "ana@example.com", "--id", "1")
			if err := tm.runErr("", "token", "revoke", "--email", "bob@example.com", "--id", "1"); err == nil {
				t.Fatal("bob revoked ana's token")
			}
		})
	}
}

func getJSON(t *testing.T, url, token string, v any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestHelp(t *testing.T) {
	tm := newTestMain(t, store.SQLite)
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"version", "--help"},
		{"user", "--help"}, {"user", "create", "--help"}, {"user", "list", "--help"}, {"user", "link-powens", "--help"}, {"user", "set-password", "--help"},
		{"token", "--help"}, {"token", "create", "--help"}, {"token", "list", "--help"}, {"token", "revoke", "--help"},
		{"webhooks", "--help"}, {"webhooks", "list", "--help"}, {"webhooks", "show", "--help"}, {"webhooks", "replay", "--help"},
		{"user", "delete", "--help"}, {"user", "unlock", "--help"}, {"sync", "--help"}, {"sandbox", "--help"}, {"demo", "--help"},
	} {
		m, _, errOut := tm.main("")
		if err := m.Run(context.Background(), args); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%v: err=%v, want help", args, err)
		}
		if !strings.Contains(errOut.String(), "Usage: freenahi") {
			t.Errorf("%v: no usage printed: %q", args, errOut)
		}
	}
}

func TestBadInput(t *testing.T) {
	tm := newTestMain(t, store.SQLite)
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"nope"}, `unknown command "nope"`},
		{"", []string{"user", "create"}, "--email is required"},
		{"", []string{"user", "create", "--email", "not-an-email"}, "is not an e-mail address"},
		{"short\n", []string{"user", "create", "--email", "a@b.fr", "--password-stdin"}, "at least 10 characters"},
		{"aaaaaaaaaa\n", []string{"user", "create", "--email", "a@b.fr", "--password-stdin"}, "This password repeats characters"},
		{"password123\n", []string{"user", "create", "--email", "a@b.fr", "--password-stdin"}, "one of the most common ones"},
		{"", []string{"user", "link-powens", "--email", "a@b.fr", "--powens-user-id", "1"}, "--powens-token-stdin is required"},
		{"", []string{"webhooks", "list", "--status", "weird"}, `--status "weird"`},
		{"", []string{"webhooks", "replay", "x"}, `"x" is not an event id`},
		{"", []string{"token", "create", "--email", "ghost@example.com"}, "not found"},
	} {
		err := tm.runErr(tc.stdin, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err=%v, want it to mention %q", tc.args, err, tc.want)
		}
	}
}

func TestConfig(t *testing.T) {
	lookup := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	cfg, err := LoadConfig(lookup(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DatabaseURL != "sqlite:"+filepath.Join("freenahi-data", "freenahi.db") || cfg.Port != 8080 || cfg.Language != "en" {
		t.Fatalf("defaults=%+v", cfg)
	}
	_, err = LoadConfig(lookup(map[string]string{
		"SERVER_PORT": "80a", "POWENS_DOMAIN": "My_Domain", "SERVER_TIMEOUT_READ": "soon",
		"POWENS_WHITELISTED_IPS": "1.2.3.4, 10.0.0.0/8, nope", "OTHER_LANGUAGE": "klingon",
		"FREENAHI_DATABASE_URL": "mysql://x", "POWENS_REDIRECT_URL": "https://x.test/cb?a=1", "POWENS_CLIENT_ID": "12ab",
	}))
	for _, name := range []string{"SERVER_PORT", "POWENS_DOMAIN", "SERVER_TIMEOUT_READ", "POWENS_WHITELISTED_IPS",
		"OTHER_LANGUAGE", "FREENAHI_DATABASE_URL", "POWENS_REDIRECT_URL", "POWENS_CLIENT_ID"} {
		if err == nil || !strings.Contains(err.Error(), name+": ") {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
	cfg, err = LoadConfig(lookup(map[string]string{"POWENS_DOMAIN": "myapp-sandbox", "SERVER_TIMEOUT_WRITE": "90",
		"POWENS_WHITELISTED_IPS": "1.2.3.4,10.0.0.0/8", "POWENS_CLIENT_ID": "123", "POWENS_CLIENT_SECRET": "s"}))
	if err != nil || cfg.WriteTimeout != 90*time.Second || len(cfg.WhitelistedIPs) != 2 || !cfg.PowensConfigured() {
		t.Fatalf("cfg=%+v err=%v", cfg, err)
	}
	_, err = LoadConfig(lookup(map[string]string{"POWENS_DOMAIN": "myapp-sandbox"}))
	if err == nil || !strings.Contains(err.Error(), "POWENS_CLIENT_ID: is required") {
		t.Fatalf("a domain without client credentials: %v", err)
	}
}

func TestReadDotEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".env")
	os.WriteFile(path, []byte("# comment\nexport POWENS_DOMAIN=myapp-sandbox\nSERVER_PORT = 9090 # inline\nSECRET=\"a b#c\"\nQ='x y'\n\n"), 0o600)
	vars, err := ReadDotEnv(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"POWENS_DOMAIN": "myapp-sandbox", "SERVER_PORT": "9090", "SECRET": "a b#c", "Q": "x y"}
	for k, v := range want {
		if vars[k] != v {
			t.Errorf("%s=%q, want %q", k, vars[k], v)
		}
	}
	os.WriteFile(path, []byte("GOOD=1\nthis line is wrong\n"), 0o600)
	if _, err := ReadDotEnv(path); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Fatalf("err=%v, want the line number", err)
	}
	if vars, err := ReadDotEnv(filepath.Join(t.TempDir(), "missing")); err != nil || vars != nil {
		t.Fatalf("missing file: %v %v", vars, err)
	}
}
