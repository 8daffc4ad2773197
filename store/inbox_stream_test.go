package store_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// streamAbove is the streaming threshold the tests open their stores with:
// far below the default, so that a body of a few chunks streams (under
// -race, a 17 MiB body cost most of a minute to write and read back).
const streamAbove = 2 << 20

// largeBody is a body above streamAbove, in four chunks of the inbox.
func largeBody() []byte {
	b := make([]byte, 3<<20+12345)
	rand.NewChaCha8([32]byte{1, 2}).Read(b)
	return b
}

// openStreaming opens the database at url with the tests' streaming threshold.
func openStreaming(t *testing.T, url string) *store.Store {
	t.Helper()
	s, err := store.Open(ctx, url, store.Options{Secrets: storetest.Key(t), StreamBodyBytes: streamAbove})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// readsAt checks ReadAt of f at offsets in order, with jumps back and across
// chunk boundaries, against the body itself.
func readsAt(t *testing.T, f io.ReaderAt, body []byte) {
	t.Helper()
	const mib = 1 << 20
	for _, r := range []struct{ off, n int64 }{
		{0, 100}, {100, mib + 5}, {mib - 10, 20}, {2 * mib, mib / 2}, {10, 10}, {mib + 7, mib + 1},
		{3*mib + 3, 2000}, {int64(len(body)) - 50, 50}, {0, int64(len(body))},
	} {
		p := make([]byte, r.n)
		n, err := f.ReadAt(p, r.off)
		if err != nil || int64(n) != r.n || !bytes.Equal(p, body[r.off:r.off+r.n]) {
			t.Fatalf("ReadAt(%d bytes at %d) = %d, %v; or the bytes differ", r.n, r.off, n, err)
		}
	}
	if n, err := f.ReadAt(make([]byte, 10), int64(len(body))-5); n != 5 || err != io.EOF {
		t.Fatalf("ReadAt past the end = %d, %v; want 5, io.EOF", n, err)
	}
}

// TestClaimEvent_LargeBodyStreamed: a large body comes to the worker as a
// BodyFile — the spool file handed over, or the inbox's chunks read in
// order by another instance — that reads back the bytes stored.
func TestClaimEvent_LargeBodyStreamed(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			if engine == store.Postgres && os.Getenv(storetest.PostgresEnv) == "" {
				testenv.Skip(t, "%s is not set", storetest.PostgresEnv)
			}
			url := storetest.MigratedURL(t, engine)
			s := openStreaming(t, url)
			MustCreateUser(t, s, "ana@example.com", 1)
			body := largeBody()
			pid := int64(1)
			e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "wd:1", PowensUserID: &pid,
				Auth: freenahi.AuthHMAC, BodyFile: mustSpool(t, body), BodySize: int64(len(body))}
			if _, err := s.ReceiveEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
			// The stored chunks are the body, byte for byte.
			stored, err := s.FindEventByID(ctx, e.ID)
			if err != nil || !bytes.Equal(stored.Body, body) {
				t.Fatalf("stored body differs (%d vs %d bytes), err %v", len(stored.Body), len(body), err)
			}
			// Another instance has no handoff: it reads the inbox.
			other := openStreaming(t, url)
			claimed, err := other.ClaimEvent(ctx, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if claimed.Body != nil || claimed.BodyFile == nil {
				t.Fatalf("claimed Body %d bytes, BodyFile %v; want a BodyFile", len(claimed.Body), claimed.BodyFile)
			}
			readsAt(t, claimed.BodyFile, body)
			claimed.BodyFile.Close()
			if _, err := claimed.BodyFile.ReadAt(make([]byte, 1), 0); err == nil {
				t.Fatal("a closed body still reads")
			}
			if err := other.ProcessEvent(ctx, claimed, func(context.Context, freenahi.SyncWriter) error { return nil }); err != nil {
				t.Fatal(err)
			}
			// The instance that received a body hands its spool file over.
			MustCreateUser(t, s, "bob@example.com", 2)
			bob := int64(2)
			e2 := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "wd:2", PowensUserID: &bob,
				Auth: freenahi.AuthHMAC, BodyFile: mustSpool(t, body), BodySize: int64(len(body))}
			if _, err := s.ReceiveEvent(ctx, e2); err != nil {
				t.Fatal(err)
			}
			second, err := s.ClaimEvent(ctx, time.Minute)
			if err != nil || second.ID != e2.ID || second.Body != nil || second.BodyFile == nil {
				t.Fatalf("claimed %+v, %v; want event %d with a BodyFile", second, err, e2.ID)
			}
			readsAt(t, second.BodyFile, body)
			second.BodyFile.Close()
		})
	}
}

// mustSpool is a body set aside in an unnamed file, as the receiver does.
func mustSpool(t *testing.T, body []byte) *os.File {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "spool")
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(f.Name())
	if _, err := f.Write(body); err != nil {
		t.Fatal(err)
	}
	return f
}
