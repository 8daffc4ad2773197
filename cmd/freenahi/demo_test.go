package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while a command writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// runDemo starts `freenahi demo` on free ports in dir and returns its URL, its
// printed API token and a stop function.
func runDemo(t *testing.T, dir string) (string, string, func()) {
	t.Helper()
	var out, errOut syncBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		LookupEnv: func(k string) (string, bool) {
			if k == "SERVER_LOG_LEVEL" {
				return "warn", true
			}
			// A configuration meant for the real Powens must not leak into the demo.
			if k == "POWENS_API_URL" {
				return "https://should-not-be-used.example", true
			}
			return "", false
		}}
	ready := make(chan string, 1)
	m.OnListen = func(url string) { ready <- url }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, []string{"demo", "--dir", dir, "--addr", "127.0.0.1:0", "--sandbox-addr", "127.0.0.1:0"})
	}()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		t.Fatalf("demo stopped: %v\n%s", err, errOut.String())
	case <-time.After(5 * time.Minute): // a hang, not a slow machine: the first start migrates and syncs a year of transactions under -race
		t.Fatalf("demo did not start\n%s", errOut.String())
	}
	token := regexp.MustCompile(`API token (fnh_\S+)`).FindStringSubmatch(out.String())
	if token == nil {
		t.Fatalf("no API token in the banner:\n%s", out.String())
	}
	return url, token[1], func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo: %v", err)
		}
	}
}

func TestDemo(t *testing.T) {
	dir := t.TempDir()
	url, token, stop := runDemo(t, dir)
	var accounts struct {
		Accounts []struct{ IBAN *string } `json:"accounts"`
	}
	getJSON(t, url+"/api/v1/accounts", token, &accounts)
	if len(accounts.Accounts) < 3 {
		t.Fatalf("demo accounts=%d, want the test bank's accounts", len(accounts.Accounts))
	}
	var txs struct {
		Transactions []struct{ Amount string } `json:"transactions"`
	}
	getJSON(t, url+"/api/v1/transactions?limit=10", token, &txs)
	if len(txs.Transactions) != 10 {
		t.Fatalf("demo transactions on the first page=%d, want 10", len(txs.Transactions))
	}
	stop()

	// A restart keeps the data and the sandbox's users: no second connection.
	url, token, stop = runDemo(t, dir)
	defer stop()
	var conns struct {
		Connections []struct{ ID int64 } `json:"connections"`
	}
	getJSON(t, url+"/api/v1/connections", token, &conns)
	if len(conns.Connections) != 1 {
		t.Fatalf("connections after a restart=%d, want 1", len(conns.Connections))
	}
}
