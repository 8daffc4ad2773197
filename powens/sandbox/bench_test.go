package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens"
)

// BenchmarkBigFirstSync measures generating the "big" login's 50,000
// transactions and delivering their CONNECTION_SYNCED webhook (activation
// sync) to a receiver that reads the whole body.
func BenchmarkBigFirstSync(b *testing.B) {
	got := make(chan int, 16)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		got <- int(n)
	}))
	defer rcv.Close()
	var bytes int
	for b.Loop() {
		h := newHarness(b, func(c *Config) {
			c.WebhookURLs = map[string]string{"connection_synced": rcv.URL + "/webhook/connection_synced/"}
		})
		tok := h.user()
		c := h.connect(tok, "big", 201)
		<-got // the creation sync: no account activated yet
		h.activate(tok, c.ID)
		select {
		case bytes = <-got:
		case <-time.After(time.Minute):
			b.Fatal("no webhook")
		}
		h.srv.Close()
		h.s.Close()
	}
	b.ReportMetric(float64(bytes)/(1<<20), "MiB/webhook")
}

// TestBigWebhookCount checks the benchmark's premise: the activation
// webhook of "big" carries the 50,000 transactions.
func TestBigWebhookCount(t *testing.T) {
	testenv.SkipIfShort(t, "large payload")
	rc := newReceiver(t)
	h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls("connection_synced") })
	tok := h.user()
	c := h.connect(tok, "big", 201)
	h.activate(tok, c.ID)
	var p powens.ConnectionSynced
	if err := json.Unmarshal(rc.wait(t, 2)[1].Body, &p); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range p.Connection.Accounts {
		powens.DecodeTransactions(a.Transactions, func(int, *powens.Transaction) error { n++; return nil })
	}
	if n != 50000 {
		t.Fatalf("webhook carried %d transactions, want 50000", n)
	}
}
