package store_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// TestInboxService_LeaseRenewedAndFenced (issue 10, item 11): a lease is
// short and renewed while its worker works; when the worker dies the event is
// taken over as soon as the lease ends, and the dead worker, should it come
// back, can neither renew nor commit: the event is processed exactly once.
func TestInboxService_LeaseRenewedAndFenced(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		MustCreateUser(t, s, "ana@example.com", 1)
		const lease = 20 * time.Second
		e := mustReceive(t, s, freenahi.EventConnectionSynced, "wd:1", 1)
		a, err := s.ClaimEvent(ctx, lease)
		if err != nil || a.ID != e.ID {
			t.Fatalf("claim: %v, %v", a, err)
		}
		// Renewed every lease/3 for a minute: never claimable meanwhile.
		for range 9 {
			clk.Add(lease / 3)
			if err := s.RenewEventLease(ctx, a, lease); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ClaimEvent(ctx, lease); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
				t.Fatalf("claimed an event whose lease is renewed: err=%v", err)
			}
		}
		// Worker A dies: the event is claimable once its lease ends.
		clk.Add(lease + time.Microsecond)
		b, err := s.ClaimEvent(ctx, lease)
		if err != nil || b.ID != e.ID || b.Attempts != 2 {
			t.Fatalf("take-over: %+v, %v; want event %d at attempt 2", b, err, e.ID)
		}
		wantCode(t, s.RenewEventLease(ctx, a, lease), freenahi.ECONFLICT, "renewal by the worker that lost the lease")
		err = s.ProcessEvent(ctx, a, func(context.Context, freenahi.SyncWriter) error { return nil })
		wantCode(t, err, freenahi.ECONFLICT, "commit by the worker that lost the lease")
		if err := s.RenewEventLease(ctx, b, lease); err != nil {
			t.Fatal(err)
		}
		if err := s.ProcessEvent(ctx, b, func(context.Context, freenahi.SyncWriter) error { return nil }); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.RenewEventLease(ctx, b, lease), freenahi.ECONFLICT, "renewal of a processed event")
	})
}

// TestInboxService_UnmatchedUsage counts unmatched events, bytes and source.
func TestInboxService_UnmatchedUsage(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		MustCreateUser(t, s, "ana@example.com", 1)
		receive := func(key string, powensUser int64, source string, size int) {
			t.Helper()
			e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: key, PowensUserID: &powensUser,
				Auth: freenahi.AuthBearer, TokenHash: make([]byte, 32), Source: source, Body: []byte(strings.Repeat(" ", size-2) + "{}")}
			if _, err := s.ReceiveEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		receive("a", 1, "192.0.2.1", 100) // linked: not unmatched
		receive("b", 7, "192.0.2.1", 1000)
		clk.Add(time.Minute)
		receive("c", 8, "192.0.2.1", 2000)
		receive("d", 9, "198.51.100.7", 4000)
		u, err := s.UnmatchedUsage(ctx, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if u.Count != 3 || u.Bytes != 7000 || u.FromSource != 2 || u.Oldest == nil || !u.Oldest.Equal(t0) {
			t.Fatalf("usage=%+v, want 3 events, 7000 bytes, 2 from 192.0.2.1, oldest at %s", u, t0)
		}
		if u, _ := s.UnmatchedUsage(ctx, "203.0.113.1"); u.FromSource != 0 {
			t.Fatalf("from an address that sent nothing: %d", u.FromSource)
		}
	})
}

// TestInboxService_PruneInbox (issue 10, items 3 and 12): raw bodies of
// processed events go after the retention, their rows stay (a re-delivery is
// still a duplicate); failed and unfinished events keep their bodies for
// replay; unmatched events expire.
func TestInboxService_PruneInbox(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		MustCreateUser(t, s, "ana@example.com", 1)
		process := func(e *freenahi.InboxEvent) {
			t.Helper()
			c := mustClaim(t, s, e.ID)
			if err := s.ProcessEvent(ctx, c, func(context.Context, freenahi.SyncWriter) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		old := mustReceive(t, s, freenahi.EventConnectionSynced, "p1/wd:1", 1)
		process(old)
		failed := mustReceive(t, s, freenahi.EventConnectionSynced, "p1/wd:2", 1)
		if err := s.FailEvent(ctx, mustClaim(t, s, failed.ID), "broken", nil); err != nil {
			t.Fatal(err)
		}
		oldUnmatched := mustReceive(t, s, freenahi.EventConnectionSynced, "p9/wd:3", 9)
		clk.Add(80 * 24 * time.Hour)
		recent := mustReceive(t, s, freenahi.EventConnectionSynced, "p1/wd:4", 1)
		process(recent)
		newUnmatched := mustReceive(t, s, freenahi.EventConnectionSynced, "p9/wd:5", 9)
		pending := mustReceive(t, s, freenahi.EventConnectionSynced, "p1/wd:6", 1)
		clk.Add(11 * 24 * time.Hour) // 91 days after the first, 11 after the others

		bodies, unmatched, err := s.PruneInbox(ctx, freenahi.InboxRetention{BodiesAfter: 90 * 24 * time.Hour, UnmatchedAfter: 7 * 24 * time.Hour})
		if err != nil || bodies != 1 || unmatched != 2 {
			t.Fatalf("pruned %d bodies and %d unmatched events (err %v), want 1 and 2", bodies, unmatched, err)
		}
		got, err := s.FindEventByID(ctx, old.ID)
		if err != nil || got.Body != nil || got.Status != freenahi.StatusProcessed || got.BodySize != int64(len(old.Body)) {
			t.Fatalf("old processed event: %+v, %v; want kept without its body", got, err)
		}
		err = s.ReplayEvent(ctx, old.ID)
		if wantCode(t, err, freenahi.ECONFLICT, "replaying an event without body"); !strings.Contains(err.Error(), "retention") {
			t.Fatalf("replay refusal %q does not say why", err)
		}
		again := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "p1/wd:1", PowensUserID: ptr(int64(1)),
			Auth: freenahi.AuthHMAC, Body: []byte(`{}`)}
		if dup, err := s.ReceiveEvent(ctx, again); err != nil || !dup {
			t.Fatalf("re-delivery of a pruned event: duplicate=%v, %v; want duplicate", dup, err)
		}
		for _, keep := range []*freenahi.InboxEvent{failed, recent, pending} {
			if got, err := s.FindEventByID(ctx, keep.ID); err != nil || string(got.Body) != string(keep.Body) {
				t.Fatalf("event %s lost its body: %v", keep.DeliveryKey, err)
			}
		}
		for _, gone := range []*freenahi.InboxEvent{oldUnmatched, newUnmatched} {
			_, err := s.FindEventByID(ctx, gone.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "an expired unmatched event")
		}
		if err := s.ReplayEvent(ctx, failed.ID); err != nil {
			t.Fatalf("a failed event can still be replayed: %v", err)
		}
	})
}

// TestInboxService_LargeBodyInChunks: a body of several chunks comes back
// byte for byte, from the claim and from FindEventByID, and the retention
// removes it whole.
func TestInboxService_LargeBodyInChunks(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		MustCreateUser(t, s, "ana@example.com", 1)
		body := make([]byte, 5<<19+123) // 2.5 MiB and a bit: three chunks
		for i := range body {
			body[i] = byte(i*7 + i/1000) // no period of a chunk's size
		}
		e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "big", PowensUserID: ptr(int64(1)),
			Auth: freenahi.AuthHMAC, Body: body}
		if _, err := s.ReceiveEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
		claimed := mustClaim(t, s, e.ID)
		if !bytes.Equal(claimed.Body, body) {
			t.Fatalf("claimed body: %d bytes, differs from the %d stored", len(claimed.Body), len(body))
		}
		if s.Engine() == store.Postgres {
			// PostgreSQL compresses the chunks with lz4 (migration 00260),
			// as PostgreSQL itself reports; JSON compresses, so a body
			// that does is written here.
			json := bytes.Repeat([]byte(`{"id":1,"wording":"CB CARREFOUR 12/05","value":-12.5},`), 40000)
			e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "json", PowensUserID: ptr(int64(1)),
				Auth: freenahi.AuthHMAC, Body: json}
			if _, err := s.ReceiveEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
			var methods []string
			rows, err := s.DB().QueryContext(ctx, `SELECT COALESCE(pg_column_compression(body), 'none') FROM webhook_event_bodies
				WHERE event_id = $1 ORDER BY seq`, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var m string
				if err := rows.Scan(&m); err != nil {
					t.Fatal(err)
				}
				methods = append(methods, m)
			}
			rows.Close()
			if len(methods) != 3 || slices.ContainsFunc(methods, func(m string) bool { return m != "lz4" }) {
				t.Fatalf("the chunks of a %d-byte JSON body are compressed with %v, want lz4 each", len(json), methods)
			}
			if got, err := s.FindEventByID(ctx, e.ID); err != nil || !bytes.Equal(got.Body, json) {
				t.Fatalf("the compressed body came back different (%v)", err)
			}
		}
		if err := s.ProcessEvent(ctx, claimed, func(context.Context, freenahi.SyncWriter) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if got, err := s.FindEventByID(ctx, e.ID); err != nil || !bytes.Equal(got.Body, body) {
			t.Fatalf("found body differs (%v)", err)
		}
		empty := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "empty", PowensUserID: ptr(int64(1)),
			Auth: freenahi.AuthHMAC, Body: []byte{}}
		if _, err := s.ReceiveEvent(ctx, empty); err != nil {
			t.Fatal(err)
		}
		if got, err := s.FindEventByID(ctx, empty.ID); err != nil || got.Body == nil || len(got.Body) != 0 {
			t.Fatalf("empty body came back as %v (%v), want empty, not removed", got.Body, err)
		}
		clk.Add(100 * 24 * time.Hour)
		if n, _, err := s.PruneInbox(ctx, freenahi.InboxRetention{BodiesAfter: time.Hour}); err != nil || n != 1 {
			t.Fatalf("pruned %d bodies (%v), want the one processed event's", n, err)
		}
		if got, _ := s.FindEventByID(ctx, e.ID); got.Body != nil {
			t.Fatalf("%d bytes of the body left after pruning", len(got.Body))
		}
	})
}
