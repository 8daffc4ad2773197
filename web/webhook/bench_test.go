package webhook_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/freenahi/freenahi/web/webhook"
	"github.com/freenahi/freenahi/web/webtest"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/powenstest"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
)

// BenchmarkWebhookAck measures the receiver's own cost: verify, store, answer,
// for a signed 100-transaction delivery, called in-process (no network, no
// worker), so a profile shows where acknowledgement time goes.
//
//	go test ./web/webhook -run '^$' -bench WebhookAck -cpuprofile cpu.out
func BenchmarkWebhookAck(b *testing.B) {
	s := storetest.MustOpen(b, store.SQLite)
	u, _ := s.CreateUser(ctx, "ack@example.com", "")
	s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 42, Token: "t"})
	h := (&web.Server{Users: s, Inbox: s, Webhook: webhook.Config{Secret: webtest.WebhookSecret}}).Handler()
	bodies := make([][]byte, 1000)
	for i := range bodies {
		bodies[i] = powenstest.Synced{PowensUserID: 42, ConnectionID: int64(i + 1), Accounts: 1, TransactionsPerAccount: 100, Seed: uint64(i)}.Bytes()
	}
	var n atomic.Int64
	b.SetBytes(int64(len(bodies[0])))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			body := bytes.Replace(bodies[i%1000], []byte(`"user"`), []byte(`"id_webhook_data": `+itoa(i)+`, "user"`), 1)
			date := powens.SignatureDate(time.Now())
			req := httptest.NewRequest("POST", webhookPath, bytes.NewReader(body))
			req.Header.Set(powens.HeaderSignatureDate, date)
			req.Header.Set(powens.HeaderSignature, powens.Sign(webtest.WebhookSecret, "POST", webhookPath, date, body))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
}
