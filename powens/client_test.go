package powens

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestBaseURLForDomain(t *testing.T) {
	for _, tc := range []struct {
		domain, want string
	}{
		{"example", "https://example.biapi.pro/2.0/"},
		{"my-app-sandbox", "https://my-app-sandbox.biapi.pro/2.0/"},
		{"a1-2b", "https://a1-2b.biapi.pro/2.0/"},
	} {
		got, err := BaseURLForDomain(tc.domain)
		if err != nil || got != tc.want {
			t.Errorf("BaseURLForDomain(%q)=%q, %v; want %q", tc.domain, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "Example", "-app", "app-", "a--b", "a.b", "evil.com/x", "a_b", "app sandbox"} {
		if got, err := BaseURLForDomain(bad); err == nil {
			t.Errorf("BaseURLForDomain(%q)=%q, want an error", bad, got)
		}
	}
}

func TestNewClient(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) {
		c, err := NewClient(ClientConfig{BaseURL: "https://example-sandbox.biapi.pro/2.0"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.BaseURL(), "https://example-sandbox.biapi.pro/2.0/"; got != want {
			t.Errorf("BaseURL=%q, want %q", got, want)
		}
		if got, want := c.cfg.Domain, "example-sandbox"; got != want {
			t.Errorf("Domain=%q, want %q", got, want)
		}
		if c.cfg.Timeout != DefaultTimeout || c.cfg.LongTimeout != DefaultLongTimeout || c.cfg.MaxAttempts != DefaultMaxAttempts {
			t.Errorf("defaults not applied: %+v", c.cfg)
		}
	})
	t.Run("LocalSandboxHasNoDomain", func(t *testing.T) {
		c, err := NewClient(ClientConfig{BaseURL: "http://127.0.0.1:8080/2.0/"})
		if err != nil {
			t.Fatal(err)
		}
		if c.cfg.Domain != "" {
			t.Errorf("Domain=%q, want none", c.cfg.Domain)
		}
	})
	for _, bad := range []ClientConfig{
		{},
		{BaseURL: "example.biapi.pro/2.0/"},
		{BaseURL: "ftp://example.biapi.pro/2.0/"},
		{BaseURL: "https://example.biapi.pro/2.0/?x=1"},
		{BaseURL: "https://example.biapi.pro/2.0/", WebviewURL: "webview"},
		{BaseURL: "https://example.biapi.pro/2.0/", Domain: "Not A Domain"},
	} {
		if _, err := NewClient(bad); err == nil {
			t.Errorf("NewClient(%+v) succeeded, want an error", bad)
		}
	}
}

func TestClient_Redaction(t *testing.T) {
	c, err := NewClient(ClientConfig{BaseURL: "https://x.biapi.pro/2.0/", ClientSecret: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	u := c.User("tok-123")
	tok := AuthToken{Token: "tok-123", IDUser: 7}
	acc := AccessToken{Token: "tok-123"}
	code := AuthCode{Code: "tok-123"}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "u", u, "t", tok, "a", acc, "c", code)
	out := fmt.Sprintf("%v %+v %#v %v %+v %#v %v %#v %v %s", c, c, c, u, u, u, tok, tok, acc, code) + logs.String()
	for _, secret := range []string{"s3cret", "tok-123"} {
		if strings.Contains(out, secret) {
			t.Errorf("output reveals %q: %s", secret, out)
		}
	}
}

func TestClient_Headers(t *testing.T) {
	f := MustNewFake(t, reply(200, `{"id": 1, "signin": "2024-01-02 03:04:05"}`), func(c *ClientConfig) { c.UserAgent = "freenahi-test" })
	if _, err := f.client.User("tok").Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := f.Only(t)
	if got, want := r.Header.Get("User-Agent"), "freenahi-test"; got != want {
		t.Errorf("User-Agent=%q, want %q", got, want)
	}
	if got, want := r.Header.Get("Accept"), "application/json"; got != want {
		t.Errorf("Accept=%q, want %q", got, want)
	}
	if got := r.Header.Get("Content-Type"); got != "" {
		t.Errorf("GET sent Content-Type %q", got)
	}
}

func TestClient_LogsNoSecrets(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := MustNewFake(t, sequence(reply(503, `<html>down</html>`), reply(200, `{"code": "c0de", "type": "temporary", "access": "single"}`)),
		func(c *ClientConfig) { c.Logger = logger })
	code, err := f.client.User("tok-123").TemporaryCode(context.Background(), CodeSingleAccess)
	if err != nil {
		t.Fatal(err)
	}
	if code.Code != "c0de" {
		t.Fatalf("Code=%q", code.Code)
	}
	if !strings.Contains(logs.String(), "retrying powens request") {
		t.Errorf("no retry logged: %s", logs.String())
	}
	for _, secret := range []string{"tok-123", "s3cret", "c0de"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("logs reveal %q: %s", secret, logs.String())
		}
	}
}

func TestClient_Timeout(t *testing.T) {
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	f := MustNewFake(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}, func(c *ClientConfig) { c.Timeout = 50 * time.Millisecond; c.MaxAttempts = 1 })
	start := time.Now()
	_, err := f.client.User("tok").Me(context.Background())
	if err == nil {
		t.Fatal("Me succeeded against a hung server")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("timeout took %v", d)
	}
}

func TestEncodeQuery(t *testing.T) {
	got := encodeQuery(map[string][]string{"b": {"2"}, "a": {"x y"}}, []string{"all", "background"})
	if want := "a=x+y&b=2&all&background"; got != want {
		t.Errorf("encodeQuery=%q, want %q", got, want)
	}
	if got := encodeQuery(nil, []string{"all"}); got != "all" {
		t.Errorf("encodeQuery=%q, want all", got)
	}
}

func TestUserClient_NoToken(t *testing.T) {
	f := MustNewFake(t, reply(200, meBody))
	if _, err := f.client.User("").Me(context.Background()); err == nil {
		t.Fatal("Me without a token succeeded")
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("requests=%d, want 0", n)
	}
}

func TestClient_LongTimeoutNotRetried(t *testing.T) {
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	f := MustNewFake(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}, func(c *ClientConfig) { c.LongTimeout = 50 * time.Millisecond })
	if _, err := f.client.User("tok").SyncConnection(context.Background(), 7, true); err == nil {
		t.Fatal("SyncConnection succeeded against a hung server")
	}
	if n := len(f.Requests()); n != 1 {
		t.Errorf("requests=%d, want 1", n)
	}
}
