package webhook_test

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webhook"
	"github.com/freenahi/freenahi/web/webtest"
)

// countingBody records whether the handler read any of the body.
type countingBody struct {
	r    io.Reader
	read atomic.Int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read.Add(int64(n))
	return n, err
}

func (c *countingBody) Close() error { return nil }

// newReceiver serves a Receiver over s on a mux, for requests made in memory.
func newReceiver(t *testing.T, s *store.Store, cfg webhook.Config) *http.ServeMux {
	t.Helper()
	mux := http.NewServeMux()
	rcv := &webhook.Receiver{Config: cfg, Users: s, Inbox: s, RefusalFlushEvery: -1}
	rcv.Register(mux)
	return mux
}

// TestWebhook_RefusedBeforeReading: what the headers show to be wrong is
// refused without reading a byte of the body (invariant 10: hostile until
// authenticated costs next to nothing).
func TestWebhook_RefusedBeforeReading(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	hmacMode := newReceiver(t, s, webhook.Config{Secret: "s3cret", MaxBodyBytes: 1 << 20})
	bearerMode := newReceiver(t, s, webhook.Config{MaxBodyBytes: 1 << 20})
	now := powens.SignatureDate(time.Now())
	goodSig := powens.Sign("s3cret", "POST", webhookPath, now, []byte(`{}`))
	for _, tc := range []struct {
		name    string
		mux     *http.ServeMux
		headers map[string]string
		length  int64
		status  int
	}{
		{"NoSignature", hmacMode, nil, 2, 401},
		{"NoDate", hmacMode, map[string]string{powens.HeaderSignature: goodSig}, 2, 401},
		{"StaleDate", hmacMode, map[string]string{powens.HeaderSignature: goodSig,
			powens.HeaderSignatureDate: powens.SignatureDate(time.Now().Add(-100 * time.Hour))}, 2, 401},
		{"DateNotADate", hmacMode, map[string]string{powens.HeaderSignature: goodSig, powens.HeaderSignatureDate: "yesterday"}, 2, 401},
		{"SignatureNotBase64", hmacMode, map[string]string{powens.HeaderSignature: "%%%%", powens.HeaderSignatureDate: now}, 2, 401},
		// Base64 of 16 bytes: not an HMAC-SHA256.
		{"SignatureTooShort", hmacMode, map[string]string{powens.HeaderSignature: "AAAAAAAAAAAAAAAAAAAAAA==", powens.HeaderSignatureDate: now}, 2, 401},
		{"SignatureTooLong", hmacMode, map[string]string{powens.HeaderSignature: strings.Repeat("A", 4096), powens.HeaderSignatureDate: now}, 2, 401},
		{"DeclaredTooLarge", hmacMode, map[string]string{powens.HeaderSignature: goodSig, powens.HeaderSignatureDate: now}, 2 << 20, 413},
		{"UnknownEncoding", hmacMode, map[string]string{powens.HeaderSignature: goodSig, powens.HeaderSignatureDate: now,
			"Content-Encoding": "br"}, 2, 415},
		{"NoBearer", bearerMode, nil, 2, 401},
		{"BearerEmpty", bearerMode, map[string]string{"Authorization": "Bearer "}, 2, 401},
		{"BearerWithControlCharacter", bearerMode, map[string]string{"Authorization": "Bearer a\x01b"}, 2, 401},
		{"BearerTooLong", bearerMode, map[string]string{"Authorization": "Bearer " + strings.Repeat("x", 1025)}, 2, 401},
		{"BasicAuth", bearerMode, map[string]string{"Authorization": "Basic dXNlcjpwYXNz"}, 2, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &countingBody{r: strings.NewReader(`{}`)}
			req := httptest.NewRequest("POST", webhookPath, body)
			req.ContentLength = tc.length
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			tc.mux.ServeHTTP(w, req)
			if w.Code != tc.status {
				t.Fatalf("status=%d body=%s, want %d", w.Code, w.Body, tc.status)
			}
			if n := body.read.Load(); n != 0 {
				t.Fatalf("%d bytes of the body were read before the refusal", n)
			}
		})
	}
	if got := inboxCount(t, s); got != 0 {
		t.Fatalf("inbox=%d, want 0", got)
	}
}

// blockingBody hands out one byte, then waits until released.
type blockingBody struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once
	sent    bool
}

func (b *blockingBody) Read(p []byte) (int, error) {
	if !b.sent {
		b.sent = true
		p[0] = '{'
		return 1, nil
	}
	b.once.Do(func() { close(b.started) })
	<-b.release
	p[0] = '}'
	return 1, io.EOF
}

func (b *blockingBody) Close() error { return nil }

// TestWebhook_BusyAnswersRetryAfter: when every place to read a body is
// taken, a delivery waits at most QueueWait and is then told to come back,
// instead of queueing without bound.
func TestWebhook_BusyAnswersRetryAfter(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	mux := newReceiver(t, s, webhook.Config{Secret: "s3cret", MaxConcurrentReads: 1, QueueWait: 20 * time.Millisecond})
	signed := func(body io.Reader) *http.Request {
		date := powens.SignatureDate(time.Now())
		req := httptest.NewRequest("POST", webhookPath, body)
		req.Header.Set(powens.HeaderSignatureDate, date)
		req.Header.Set(powens.HeaderSignature, powens.Sign("s3cret", "POST", webhookPath, date, []byte(`{}`)))
		return req
	}
	hold := func(declared int64) (*blockingBody, chan int) {
		slow := &blockingBody{started: make(chan struct{}), release: make(chan struct{})}
		code := make(chan int)
		go func() {
			w := httptest.NewRecorder()
			req := signed(slow)
			req.ContentLength = declared
			mux.ServeHTTP(w, req)
			code <- w.Code
		}()
		<-slow.started
		return slow, code
	}
	// A large (undeclared) body being read does not hold up a small one.
	large, largeCode := hold(-1)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, signed(strings.NewReader(`{}`)))
	if w.Code != http.StatusOK {
		t.Fatalf("small delivery while a large one is read: status=%d body=%s, want 200", w.Code, w.Body)
	}
	// A small one does, past the only place for small ones.
	small, smallCode := hold(2)
	w = httptest.NewRecorder()
	mux.ServeHTTP(w, signed(strings.NewReader(`{}`)))
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Fatalf("while the only place is taken: status=%d Retry-After=%q, want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	close(small.release)
	close(large.release)
	// The slow deliveries, once complete, are valid signed "{}": they name
	// no user; the first is stored failed (200), the second is its duplicate.
	if a, b := <-smallCode, <-largeCode; a != http.StatusOK || b != http.StatusOK {
		t.Fatalf("the slow deliveries: status %d and %d, want 200", a, b)
	}
	w = httptest.NewRecorder()
	mux.ServeHTTP(w, signed(strings.NewReader(`{}`)))
	if w.Code != http.StatusOK {
		t.Fatalf("once the place is free: status=%d body=%s, want 200", w.Code, w.Body)
	}
}

func gzipped(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// TestWebhook_GzipLimits: a gzip body may not inflate past the ratio, nor
// past the size limit, whatever its compressed size; a genuine compressed
// body well within both is stored byte for byte.
func TestWebhook_GzipLimits(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		spool := t.TempDir()
		ts := webtest.NewServer(t, s, func(srv *web.Server) {
			srv.Webhook.MaxBodyBytes, srv.Webhook.MemoryBodyBytes, srv.Webhook.SpoolDir = 8<<20, 4<<10, spool
		})
		// 4 MiB of zeros inside a JSON string: about 4 KiB compressed, a ratio near 1000.
		bomb := append(append([]byte(`{"pad": "`), bytes.Repeat([]byte("0"), 4<<20)...), `"}`...)
		r := deliver(t, ts, delivery{body: bomb, gzip: true})
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(string(r.Body), "inflates more than 200 times") {
			t.Fatalf("bomb: status=%d body=%s, want 413 naming the ratio", r.Status, r.Body)
		}
		// 2 MiB of hex digits (ratio about 2): spooled to disk, stored intact.
		random := make([]byte, 1<<20)
		rand.Read(random)
		body := append(append([]byte(`{"id_webhook_data": 77, "user": {"id": 42}, "pad": "`), hex.EncodeToString(random)...), `"}`...)
		r = deliver(t, ts, delivery{body: body, gzip: true, signed: body})
		if r.Status != http.StatusOK {
			t.Fatalf("genuine gzip body: status=%d body=%s", r.Status, r.Body)
		}
		events, err := s.FindEvents(ctx, freenahi.InboxFilter{Limit: 10})
		if err != nil || len(events) != 1 {
			t.Fatalf("events=%v err=%v, want the one genuine delivery", events, err)
		}
		stored, err := s.FindEventByID(ctx, events[0].ID)
		if err != nil || !bytes.Equal(stored.Body, body) {
			t.Fatalf("stored body differs from the one sent (%d vs %d bytes), err=%v", len(stored.Body), len(body), err)
		}
		if left, _ := os.ReadDir(spool); len(left) != 0 {
			t.Fatalf("spool files left behind: %v", left)
		}
		// Junk after the gzip stream is not silently dropped.
		junk := append(gzipped(t, []byte(`{"user": {"id": 42}}`)), "junk"...)
		req, _ := http.NewRequest("POST", ts.URL+webhookPath, bytes.NewReader(junk))
		date := powens.SignatureDate(time.Now())
		req.Header.Set("Content-Encoding", "gzip")
		req.Header.Set(powens.HeaderSignatureDate, date)
		req.Header.Set(powens.HeaderSignature, powens.Sign(webtest.WebhookSecret, "POST", webhookPath, date, junk))
		if r := ts.Do(req, nil); r.Status != http.StatusBadRequest {
			t.Fatalf("gzip with trailing junk: status=%d body=%s, want 400", r.Status, r.Body)
		}
	})
}

// TestWebhook_HostileSendersDoNotStarveGenuine: while 32 senders post gzip
// bombs with bogus signatures, a genuine signed delivery is still stored.
// (How fast, and the memory it costs, is measured by scripts/hostile.)
func TestWebhook_HostileSendersDoNotStarveGenuine(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts := webtest.NewServer(t, s, func(srv *web.Server) { srv.Webhook.QueueWait = time.Minute })
	bomb := gzipped(t, append(append([]byte(`{"pad": "`), bytes.Repeat([]byte("0"), 8<<20)...), `"}`...))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var refused atomic.Int64
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("POST", ts.URL+webhookPath, bytes.NewReader(bomb))
				req.Header.Set("Content-Encoding", "gzip")
				req.Header.Set(powens.HeaderSignatureDate, powens.SignatureDate(time.Now()))
				req.Header.Set(powens.HeaderSignature, powens.Sign("not-the-secret", "POST", webhookPath, "x", nil))
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode == 401 || resp.StatusCode == 413 {
						refused.Add(1)
					}
				}
			}
		}()
	}
	for refused.Load() < 64 {
		time.Sleep(10 * time.Millisecond)
	}
	r := deliver(t, ts, delivery{body: webtest.FixtureBody(t)})
	close(stop)
	wg.Wait()
	if r.Status != http.StatusOK {
		t.Fatalf("genuine delivery: status=%d body=%s", r.Status, r.Body)
	}
	if got := inboxCount(t, s); got != 1 {
		t.Fatalf("inbox=%d, want only the genuine delivery", got)
	}
}
