package webhook_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webhook"
)

// FuzzReceiver_PreAuth drives the receiver's pre-authentication path (header
// checks, body limits, gzip, spooling, signature) with arbitrary headers and
// bodies. Whatever comes in, the answer is one of the documented refusals, and
// nothing is stored: without the secret no signature can be right.
// Seeds in testdata/fuzz/FuzzReceiver_PreAuth; run with
// go test -run '^$' -fuzz FuzzReceiver_PreAuth -fuzztime 30s ./web/webhook/
func FuzzReceiver_PreAuth(f *testing.F) {
	s := storetest.MustOpen(f, store.SQLite)
	mux := http.NewServeMux()
	(&webhook.Receiver{Config: webhook.Config{Secret: "s3cret", MaxBodyBytes: 256 << 10, MemoryBodyBytes: 1 << 10,
		SpoolDir: f.TempDir()}, Users: s, Inbox: s, RefusalFlushEvery: time.Hour}).Register(mux)
	date := powens.SignatureDate(time.Now())
	f.Add("connection_synced", "", date, powens.Sign("other", "POST", "/webhook/connection_synced/", date, []byte(`{}`)), []byte(`{}`))
	f.Add("connection_synced", "gzip", date, powens.Sign("other", "POST", "/", date, nil), gzipped(f, []byte(`{"user":{"id":1}}`)))
	f.Add("user_deleted", "gzip", date, "", gzipped(f, bytes.Repeat([]byte("0"), 300<<10)))
	f.Add("x", "identity", "2026-01-01", "AAAA", []byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, event, encoding, date, signature string, body []byte) {
		req := httptest.NewRequest("POST", "/webhook/x/", bytes.NewReader(body))
		req.URL.Path = "/webhook/" + event + "/"
		req.Header.Set("Content-Encoding", encoding)
		req.Header.Set(powens.HeaderSignatureDate, date)
		req.Header.Set(powens.HeaderSignature, signature)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, req)
		if !slices.Contains([]int{400, 401, 404, 405, 413, 415, 503}, w.Code) {
			t.Fatalf("status %d (%s) for an unauthenticated delivery", w.Code, w.Body)
		}
		if n := inboxCount(t, s); n != 0 {
			t.Fatalf("an unauthenticated delivery was stored (%d events)", n)
		}
	})
}
