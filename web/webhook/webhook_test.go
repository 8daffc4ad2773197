package webhook_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

var ctx = context.Background()

const webhookPath = "/webhook/connection_synced/"

// delivery describes one webhook POST.
type delivery struct {
	path   string
	body   []byte // as sent on the wire
	signed []byte // what the signature covers (default: body)
	secret string
	date   time.Time
	gzip   bool
	bearer string
	noSign bool
}

// deliver posts d to ts, signed unless d says not to.
func deliver(t testing.TB, ts *webtest.Server, d delivery) *webtest.Response {
	t.Helper()
	if d.path == "" {
		d.path = webhookPath
	}
	if d.secret == "" {
		d.secret = webtest.WebhookSecret
	}
	if d.date.IsZero() {
		d.date = time.Now()
	}
	body := d.body
	if d.gzip {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(body)
		zw.Close()
		body = buf.Bytes()
	}
	signed := d.signed
	if signed == nil {
		signed = body
	}
	req, err := http.NewRequest("POST", ts.URL+d.path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if d.gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	if !d.noSign {
		date := powens.SignatureDate(d.date)
		req.Header.Set(powens.HeaderSignatureDate, date)
		req.Header.Set(powens.HeaderSignature, powens.Sign(d.secret, "POST", req.URL.Path, date, signed))
	}
	if d.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+d.bearer)
	}
	return ts.Do(req, nil)
}

func inboxCount(t testing.TB, s *store.Store) int {
	t.Helper()
	events, err := s.FindEvents(ctx, freenahi.InboxFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(events)
}

func TestWebhook_Accepted(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		for i, d := range []delivery{
			{body: webtest.FixtureBody(t)},
			{path: "/webhook/connection_synced", body: bytes.Replace(webtest.FixtureBody(t), []byte(`9001`), []byte(`9002`), 1)},
			// Whether Powens signs the compressed or the plain body is not documented: both pass.
			{gzip: true, body: bytes.Replace(webtest.FixtureBody(t), []byte(`9001`), []byte(`9003`), 1)},
			{gzip: true, body: bytes.Replace(webtest.FixtureBody(t), []byte(`9001`), []byte(`9004`), 1),
				signed: bytes.Replace(webtest.FixtureBody(t), []byte(`9001`), []byte(`9004`), 1)},
			{path: "/webhook/user_deleted/", body: []byte(`{"id": 42, "signin": "2025-01-01 00:00:00"}`)},
		} {
			r := deliver(t, ts, d)
			if r.Status != http.StatusOK {
				t.Fatalf("delivery %d: status=%d body=%s", i, r.Status, r.Body)
			}
		}
		if got := inboxCount(t, s); got != 5 {
			t.Fatalf("inbox=%d, want 5", got)
		}
		r := deliver(t, ts, delivery{body: webtest.FixtureBody(t)})
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), "duplicate") {
			t.Fatalf("re-delivery: status=%d body=%s, want 200 duplicate", r.Status, r.Body)
		}
		if got := inboxCount(t, s); got != 5 {
			t.Fatalf("inbox=%d after a re-delivery, want 5", got)
		}
		events, _ := s.FindEvents(ctx, freenahi.InboxFilter{Limit: 10})
		if e := events[len(events)-1]; e.Status != freenahi.StatusUnmatched || *e.PowensUserID != 42 || e.DeliveryKey != "p42/wd:9001" {
			t.Fatalf("first event=%+v, want unmatched for Powens user 42 keyed by id_webhook_data", e)
		}
	})
}

// TestWebhook_Rejected checks every refusal and that none of them stores anything.
func TestWebhook_Rejected(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s, func(srv *web.Server) { srv.Webhook.MaxBodyBytes = 64 << 10 })
		body := webtest.FixtureBody(t)
		big := append([]byte(`{"pad": "`), append(bytes.Repeat([]byte("x"), 70<<10), []byte(`"}`)...)...)
		for _, tc := range []struct {
			name   string
			d      delivery
			status int
		}{
			{"NoSignature", delivery{body: body, noSign: true}, 401},
			{"WrongSecret", delivery{body: body, secret: "other"}, 401},
			{"TamperedBody", delivery{body: body, signed: []byte(`{}`)}, 401},
			{"StaleDate", delivery{body: body, date: time.Now().Add(-100 * time.Hour)}, 401},
			{"FutureDate", delivery{body: body, date: time.Now().Add(100 * time.Hour)}, 401},
			{"OtherPath", delivery{path: "/webhook/connection_deleted/", body: body, signed: nil}, 0},
			{"InvalidJSON", delivery{body: []byte(`{"connection": `)}, 400},
			{"NotAnObject", delivery{body: []byte(`[1, 2]`)}, 400},
			{"TrailingData", delivery{body: []byte(`{} {}`)}, 400},
			{"TooLarge", delivery{body: big}, 413},
			{"GzipBomb", delivery{body: big, gzip: true}, 413},
			{"MalformedEventName", delivery{path: "/webhook/Not-An..Event/", body: body}, 404},
			{"EventNameTooLong", delivery{path: "/webhook/" + strings.Repeat("a", 49) + "/", body: body}, 404},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ts := ts.With(t)
				before := inboxCount(t, s)
				d := tc.d
				if tc.name == "OtherPath" {
					// Signed for connection_synced but sent to connection_deleted.
					req := d
					req.path = "/webhook/connection_deleted/"
					r := deliverSignedFor(t, ts, req, webhookPath)
					if r.Status != 401 {
						t.Fatalf("status=%d, want 401", r.Status)
					}
				} else {
					r := deliver(t, ts, d)
					if r.Status != tc.status {
						t.Fatalf("status=%d body=%s, want %d", r.Status, r.Body, tc.status)
					}
					if p := r.Problem(t); p.Detail == "" {
						t.Fatal("problem without detail")
					}
				}
				if after := inboxCount(t, s); after != before {
					t.Fatalf("a rejected delivery stored something: inbox %d → %d", before, after)
				}
			})
		}
	})
}

// deliverSignedFor signs for signedPath but posts to d.path.
func deliverSignedFor(t testing.TB, ts *webtest.Server, d delivery, signedPath string) *webtest.Response {
	t.Helper()
	date := powens.SignatureDate(time.Now())
	req, _ := http.NewRequest("POST", ts.URL+d.path, bytes.NewReader(d.body))
	req.Header.Set(powens.HeaderSignatureDate, date)
	req.Header.Set(powens.HeaderSignature, powens.Sign(webtest.WebhookSecret, "POST", signedPath, date, d.body))
	return ts.Do(req, nil)
}

func TestWebhook_BearerMode(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s, func(srv *web.Server) { srv.Webhook.Secret = "" })
		u, _ := s.CreateUser(ctx, "a@example.com", "")
		if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 42, Token: "the-powens-token"}); err != nil {
			t.Fatal(err)
		}
		body := webtest.FixtureBody(t)
		for _, tc := range []struct {
			name, bearer string
			body         []byte
			status       int
			stored       int
		}{
			{"Missing", "", body, 401, 0},
			{"Wrong", "not-the-token", body, 401, 0},
			{"Right", "the-powens-token", body, 200, 1},
			{"UnknownUserKeptUnmatched", "some-token", []byte(`{"id_webhook_data": 5, "user": {"id": 77}, "connection": {"id": 1, "id_user": 77}}`), 200, 2},
			// An event that names no user cannot be checked: acknowledged, not stored.
			{"EventWithoutUser", "any-token", []byte(`{"id": 3, "state": "done", "id_webhook_data": 6}`), 202, 2},
			// An event freenahi does not process is kept for the worker to mark ignored.
			{"UserCreated", "the-powens-token", []byte(`{"id": 42, "signin": "2026-11-02 09:14:07", "id_webhook_data": 7}`), 200, 3},
		} {
			t.Run(tc.name, func(t *testing.T) {
				d := delivery{body: tc.body, noSign: true, bearer: tc.bearer}
				switch tc.name {
				case "EventWithoutUser":
					d.path = "/webhook/payment_state_updated/"
				case "UserCreated":
					d.path = "/webhook/USER_CREATED"
				}
				r := deliver(t, ts.With(t), d)
				if r.Status != tc.status {
					t.Fatalf("status=%d body=%s, want %d", r.Status, r.Body, tc.status)
				}
				if got := inboxCount(t, s); got != tc.stored {
					t.Fatalf("inbox=%d, want %d", got, tc.stored)
				}
			})
		}
	})
}

func TestWebhook_AllowedIPs(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts := webtest.NewServer(t, s, func(srv *web.Server) {
		srv.Webhook.AllowedIPs = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	})
	if r := deliver(t, ts, delivery{body: webtest.FixtureBody(t)}); r.Status != http.StatusForbidden {
		t.Fatalf("from 127.0.0.1: status=%d, want 403", r.Status)
	}
	ts2 := webtest.NewServer(t, s, func(srv *web.Server) {
		srv.Webhook.AllowedIPs = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
		srv.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	req, _ := http.NewRequest("POST", ts2.URL+webhookPath, bytes.NewReader(webtest.FixtureBody(t)))
	date := powens.SignatureDate(time.Now())
	req.Header.Set(powens.HeaderSignatureDate, date)
	req.Header.Set(powens.HeaderSignature, powens.Sign(webtest.WebhookSecret, "POST", webhookPath, date, webtest.FixtureBody(t)))
	req.Header.Set("X-Forwarded-For", "203.0.113.9, 192.0.2.10")
	if r := ts2.Do(req, nil); r.Status != http.StatusOK {
		t.Fatalf("through a trusted proxy from an allowed address: status=%d body=%s", r.Status, r.Body)
	}
	if got := inboxCount(t, s); got != 1 {
		t.Fatalf("inbox=%d, want 1", got)
	}
}

// TestWebhook_EndToEnd receives a signed delivery, lets the worker process it
// and reads the data back through the API.
func TestWebhook_EndToEnd(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u, _ := s.CreateUser(ctx, "a@example.com", "")
		s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 42, Token: "tok"})
		tok, _ := s.CreateAPIToken(ctx, u.ID, "e2e")
		woke := make(chan struct{}, 10)
		ts := webtest.NewServer(t, s, func(srv *web.Server) { srv.EventReceived = func() { woke <- struct{}{} } })
		if r := deliver(t, ts, delivery{body: webtest.FixtureBody(t)}); r.Status != 200 {
			t.Fatalf("status=%d", r.Status)
		}
		select {
		case <-woke:
		case <-time.After(time.Second):
			t.Fatal("the worker was not woken")
		}
		webtest.DrainInbox(t, s)
		r := ts.Get(tok.Secret, "/api/v1/transactions")
		var body struct {
			Transactions []struct {
				ID       int64  `json:"id"`
				PowensID int64  `json:"powens_id"`
				Amount   string `json:"amount"`
				Currency string `json:"currency"`
				Coming   bool   `json:"coming"`
				Date     string `json:"date"`
			} `json:"transactions"`
		}
		r.Decode(t, &body)
		if len(body.Transactions) != 5 || body.Transactions[0].Amount != "-0.01" || !body.Transactions[0].Coming {
			t.Fatalf("transactions=%+v", body.Transactions)
		}
	})
}

// TestWebhook_RefusalsAreVisible: refused deliveries are counted (never
// stored), so that a webhook whose authentication is wrong in Powens'
// console shows on the connections page and in `webhooks list --refused`.
func TestWebhook_RefusalsAreVisible(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts := webtest.NewServer(t, s, func(srv *web.Server) { srv.Webhook.Secret, srv.RefusalFlushEvery = "", -1 })
	u, _ := s.CreateUser(ctx, "a@example.com", "")
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 42, Token: "the-powens-token"}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if r := deliver(t, ts, delivery{body: webtest.FixtureBody(t), noSign: true, bearer: "a-wrong-token"}); r.Status != 401 {
			t.Fatalf("status %d, want 401", r.Status)
		}
	}
	var rs []freenahi.WebhookRefusal
	testenv.WaitFor(t, 10*time.Second, "the refusals written", func() bool {
		rs, _ = s.FindRefusals(ctx, time.Now().Add(-time.Hour))
		return len(rs) == 1 && rs[0].Count == 3
	})
	if rs[0].Reason != "bad_token" || rs[0].Event != "connection_synced" || inboxCount(t, s) != 0 {
		t.Fatalf("refusals %+v, inbox %d", rs, inboxCount(t, s))
	}
	// Junk event names are counted under one label: the set cannot grow.
	deliver(t, ts, delivery{path: "/webhook/made_up_event_1/", body: webtest.FixtureBody(t), noSign: true, bearer: "x"})
	deliver(t, ts, delivery{path: "/webhook/made_up_event_2/", body: webtest.FixtureBody(t), noSign: true, bearer: "x"})
	testenv.WaitFor(t, 10*time.Second, "the refusals written", func() bool {
		rs, _ = s.FindRefusals(ctx, time.Now().Add(-time.Hour))
		return len(rs) == 2
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestWebhook_DeliveryKeyOfBody: a body without id_webhook_data is keyed by
// its SHA-256, computed here with crypto/sha256 over the bytes sent, whether
// the receiver kept it in memory or streamed it from its spool file; a body
// with one is keyed by it, and a second delivery of either is a duplicate.
func TestWebhook_DeliveryKeyOfBody(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		for _, spooled := range []bool{false, true} {
			ts := webtest.NewServer(t, s, func(srv *web.Server) {
				if spooled {
					srv.Webhook.MemoryBodyBytes = 1 << 10
				}
			})
			id := 9101
			if spooled {
				id = 19101
			}
			withID := bytes.Replace(webtest.FixtureBody(t), []byte(`"id_webhook_data": 9001`), []byte(`"id_webhook_data": `+strconv.Itoa(id)), 1)
			noID := bytes.Replace(webtest.FixtureBody(t), []byte(`"id_webhook_data": 9001,`), nil, 1)
			noID = bytes.Replace(noID, []byte(`{`), []byte(`{"spooled": `+strconv.FormatBool(spooled)+`, `), 1)
			if len(noID) <= 1<<10 || bytes.Contains(noID, []byte("id_webhook_data")) {
				t.Fatalf("the body without id_webhook_data is %d bytes or still has one", len(noID))
			}
			sum := sha256.Sum256(noID)
			wantKeys := map[string]bool{"p42/sha256:" + hex.EncodeToString(sum[:]): true, "p42/wd:" + strconv.Itoa(id): true}
			for _, body := range [][]byte{noID, withID, noID, withID} {
				if r := deliver(t, ts, delivery{body: body}); r.Status != http.StatusOK {
					t.Fatalf("spooled %v: status=%d body=%s", spooled, r.Status, r.Body)
				}
			}
			events, err := s.FindEvents(ctx, freenahi.InboxFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			found := 0
			for _, e := range events {
				if wantKeys[e.DeliveryKey] {
					found++
				}
			}
			if found != 2 {
				var keys []string
				for _, e := range events {
					keys = append(keys, e.DeliveryKey)
				}
				t.Fatalf("spooled %v: delivery keys %q, want each of %v once", spooled, keys, wantKeys)
			}
		}
	})
}
