package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/freenahi/freenahi/powens"
)

// BenchmarkBigFirstSync measures generating the "big" login's 50,000
// transactions and delivering their CONNECTION_SYNCED webhook (activation
// sync) to a receiver that reads the whole body.
func BenchmarkBigFirstSync(b *testing.B) {
	got := make(chan []byte, 16)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- body
	}))
	defer rcv.Close()
	var last []byte
	for b.Loop() {
		h := newHarness(b, func(c *Config) {
			c.WebhookURLs = map[string]string{"connection_synced": rcv.URL + "/webhook/connection_synced/"}
		})
		tok := h.user()
		c := h.connect(tok, "big", 201)
		<-got // the creation sync: no account activated yet
		h.activate(tok, c.ID)
		select {
		case last = <-got:
		case <-time.After(time.Minute):
			b.Fatal("no webhook")
		}
		h.srv.Close()
		h.s.Close()
	}
	b.StopTimer()
	// The premise, checked by the client's decoder on the last activation
	// webhook: it carries the 50,000 transactions.
	var p powens.ConnectionSynced
	if err := json.Unmarshal(last, &p); err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, a := range p.Connection.Accounts {
		powens.DecodeTransactions(a.Transactions, func(int, *powens.Transaction) error { n++; return nil })
	}
	if n != 50000 {
		b.Fatalf("webhook carried %d transactions, want 50000", n)
	}
	b.ReportMetric(float64(len(last))/(1<<20), "MiB/webhook")
}
