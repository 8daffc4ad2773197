package export_test

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/inqom"
	"github.com/freenahi/freenahi/inqom/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

func TestPusher_ExportsOnce(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newInqomEnv(t, s)
		f := marchFixture(t, s)
		e.saveCredentials(t, f.user.ID)
		m := e.link(t, f, true)
		if again := e.link(t, f, true); again.ID != m.ID || len(e.sb.Accounts(inqomDossier)) != 1 {
			t.Fatalf("linking twice: mapping %d then %d, %d accounts in Inqom", m.ID, again.ID, len(e.sb.Accounts(inqomDossier)))
		}
		if err := e.pusher.Push(ctx, f.user.ID); err != nil {
			t.Fatal(err)
		}
		bs := e.batches(t, f, m)
		if len(bs) != 1 || bs[0].Status != freenahi.BatchSent || bs[0].Transactions != 7 || bs[0].Review {
			t.Fatalf("batches %+v, want one sent batch of the 7 booked transactions", bs)
		}
		e.assertOnce(t, f, m, 7)
		file, err := s.FindExportBatchFile(ctx, f.user.ID, bs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if ups := e.Uploads(); len(ups) != 1 || !bytes.Equal(ups[0].Content, file.Content) || ups[0].Filename != file.Filename {
			t.Fatal("Inqom did not receive the ledger's exact bytes")
		}

		// Nothing new: no batch.
		if err := e.pusher.Push(ctx, f.user.ID); err != nil || len(e.batches(t, f, m)) != 1 {
			t.Fatalf("a push with nothing new made a batch (err %v)", err)
		}

		// The coming transaction is booked, a new one and a late one arrive.
		booked := tx(1006, "2026-03-09", -2000, "card", "CB STATION SERVICE")
		f.sync(t, 200000-2000-700-300, booked, tx(1011, "2026-04-03", -700, "card", "CB NEW"),
			tx(1012, "2026-03-20", -300, "card", "CB LATE"))
		if err := e.pusher.Push(ctx, f.user.ID); err != nil {
			t.Fatal(err)
		}
		bs = e.batches(t, f, m)
		if len(bs) != 2 || bs[1].Transactions != 3 || bs[1].OpeningMinor != bs[0].ClosingMinor {
			t.Fatalf("second batch %+v, want the 3 new transactions opening at %d", bs[len(bs)-1], bs[0].ClosingMinor)
		}
		e.assertOnce(t, f, m, 10)

		// Deleted at the bank after export: reported, not dropped.
		gone := tx(1004, "2026-03-05", -1234, "card", "CB CARREFOUR 04/03")
		gone.Deleted = ptrTime(time.Date(2026, 4, 4, 0, 0, 0, 0, time.UTC))
		f.sync(t, 200000-2000-700-300+1234, gone)
		st, err := s.FindInqomMappingStatus(ctx, f.user.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Changes) != 1 || st.Changes[0].PowensID != 1004 || st.Changes[0].Deleted == nil || st.Exported != 10 {
			t.Fatalf("status %+v changes %+v, want transaction 1004 reported deleted after export", st, st.Changes)
		}
	})
}

// TestPusher_Faults: a failing Inqom is retried and the ledger stays right.
func TestPusher_Faults(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newInqomEnv(t, s)
		f := MustFixture(t, s, "faults@example.com", 60, testIBAN)
		e.saveCredentials(t, f.user.ID)
		m := e.link(t, f, true)
		n, balance := int64(0), int64(0)
		next := func() {
			n++
			balance -= 100 * n
			f.sync(t, balance, tx(2000+n, "2026-03-01", -100*n, "card", "CB"))
		}
		last := func() *freenahi.ExportBatch { bs := e.batches(t, f, m); return bs[len(bs)-1] }
		push := func() error { return e.pusher.Push(ctx, f.user.ID) }

		t.Run("500", func(t *testing.T) {
			next()
			e.sb.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Status: 500})
			if err := push(); err != nil {
				t.Fatal(err)
			}
			// A 5xx may have been applied: the retry's success is flagged.
			if b := last(); b.Status != freenahi.BatchSent || !b.Review {
				t.Fatalf("batch %s review=%v, want sent and flagged", b.Status, b.Review)
			}
			e.assertOnce(t, f, m, int(n))
		})
		t.Run("429", func(t *testing.T) {
			next()
			e.sb.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Status: 429, RetryAfter: 1})
			if err := push(); err != nil {
				t.Fatal(err)
			}
			if b := last(); b.Status != freenahi.BatchSent || b.Review {
				t.Fatalf("batch %s review=%v, want sent, not flagged (a 429 applies nothing)", b.Status, b.Review)
			}
			e.assertOnce(t, f, m, int(n))
		})
		t.Run("DropAfterProcessing", func(t *testing.T) {
			next()
			e.sb.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, DropAfterProcessing: true})
			if err := push(); err == nil {
				t.Fatal("push succeeded though Inqom never answered")
			}
			// Inqom applied the first copy and its balance control refused
			// the second: the ledger cannot tell, so a person decides.
			b := last()
			if b.Status != freenahi.BatchReview || !b.Review {
				t.Fatalf("batch %s, want review", b.Status)
			}
			if err := push(); err == nil || !strings.Contains(err.Error(), "CfonbControlFailed") {
				t.Fatalf("resend: %v, want Inqom's balance control to refuse the second copy", err)
			}
			if b := last(); !b.Held || b.Attempts != 2 || b.Status != freenahi.BatchReview {
				t.Fatalf("batch %s held=%v attempts=%d, want held in review after the same bytes were resent once", b.Status, b.Held, b.Attempts)
			}
			if err := push(); err == nil || !strings.Contains(err.Error(), "needs a decision") {
				t.Fatalf("push of a held batch: %v, want it to wait for a decision", err)
			}
			resolve(t, e, f, last().ID, freenahi.ResolveSent)
			e.assertOnce(t, f, m, int(n))
		})
		t.Run("Timeout", func(t *testing.T) {
			next()
			e.sb.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Delay: 700 * time.Millisecond})
			_ = e.shortPusher().Push(ctx, f.user.ID)
			// The attempt the client gave up on may still be applied: wait
			// until it has reached the sandbox and played out.
			e.waitIdle(t)
			for b := last(); b.Status != freenahi.BatchSent; b = last() {
				if b.Status != freenahi.BatchReview {
					t.Fatalf("batch %s after a timeout, want review or sent", b.Status)
				}
				if b.Held {
					resolve(t, e, f, b.ID, freenahi.ResolveSent)
					continue
				}
				_ = push()
			}
			if b := last(); !b.Review {
				t.Fatal("a batch whose attempt timed out is not flagged")
			}
			e.assertOnce(t, f, m, int(n))
		})
		t.Run("RefusedThenRetried", func(t *testing.T) {
			next()
			e.sb.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Status: 400})
			if err := push(); err == nil {
				t.Fatal("push succeeded though Inqom refused the file")
			}
			if b := last(); b.Status != freenahi.BatchFailed || b.Review {
				t.Fatalf("batch %s, want failed", b.Status)
			}
			next() // waits behind the failed batch
			if err := push(); err == nil || len(e.batches(t, f, m)) != 5 {
				t.Fatal("a batch was frozen or sent past a failed one")
			}
			resolve(t, e, f, last().ID, freenahi.ResolveRetry)
			if err := push(); err != nil {
				t.Fatal(err)
			}
			e.assertOnce(t, f, m, int(n))
		})
		t.Run("RefusedThenReleased", func(t *testing.T) {
			next()
			e.sb.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Status: 400})
			_ = push()
			failed := last()
			resolve(t, e, f, failed.ID, freenahi.ResolveRelease)
			if err := push(); err != nil {
				t.Fatal(err)
			}
			b := last()
			if b.ID == failed.ID || b.Status != freenahi.BatchSent || b.OpeningMinor != failed.OpeningMinor {
				t.Fatalf("after release: batch %+v, want a new sent batch opening where the released one did", b)
			}
			e.assertOnce(t, f, m, int(n))
		})
	})
}

func resolve(t *testing.T, e *inqomEnv, f *fixture, batchID int64, r freenahi.BatchResolution) {
	t.Helper()
	if _, err := e.pusher.ResolveExportBatch(ctx, f.user.ID, batchID, r); err != nil {
		t.Fatal(err)
	}
}

// crashingImporter imports, then ends its goroutine before the pusher can
// record anything: a process dying between upload and ledger commit.
type crashingImporter struct{ export.Importer }

func (c crashingImporter) ImportCFONB(ctx context.Context, name string, content []byte) (*inqom.ImportResult, error) {
	c.Importer.ImportCFONB(ctx, name, content)
	runtime.Goexit()
	return nil, nil
}

func TestPusher_CrashBetweenUploadAndCommit(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newInqomEnv(t, s)
		f := marchFixture(t, s)
		e.saveCredentials(t, f.user.ID)
		m := e.link(t, f, false) // no balance control: Inqom takes a second copy
		crashing := &export.Pusher{Ledger: s, Importer: func(ctx context.Context, userID int64) (export.Importer, error) {
			imp, err := e.clients.Importer(ctx, userID)
			return crashingImporter{imp}, err
		}}
		done := make(chan struct{})
		go func() { defer close(done); crashing.Push(ctx, f.user.ID) }()
		<-done
		if b := e.batches(t, f, m)[0]; b.Status != freenahi.BatchPending || len(e.sb.Imports(inqomDossier)) == 0 {
			t.Fatalf("after the crash: batch %s, %d imports; want pending and imported", b.Status, len(e.sb.Imports(inqomDossier)))
		}

		// The next run (another process) resends the same bytes.
		if err := e.pusher.Push(ctx, f.user.ID); err != nil {
			t.Fatal(err)
		}
		bs := e.batches(t, f, m)
		if len(bs) != 1 || bs[0].Status != freenahi.BatchSent || !bs[0].Review {
			t.Fatalf("batches %+v, want the one batch sent and flagged for review", bs)
		}
		ups := e.Uploads()
		if len(ups) != 2 || !bytes.Equal(ups[0].Content, ups[1].Content) || ups[0].Filename != ups[1].Filename {
			t.Fatalf("%d uploads; the resend is not byte for byte the first", len(ups))
		}
		e.assertOnce(t, f, m, 7)
	})
}

// TestPusher_Concurrent: pushers of two "instances" race on one store
// while syncs add transactions; Inqom's balance control would refuse any
// file out of order, and no transaction may reach it twice.
func TestPusher_Concurrent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newInqomEnv(t, s)
		f := MustFixture(t, s, "race@example.com", 61, testIBAN)
		e.saveCredentials(t, f.user.ID)
		m := e.link(t, f, true)
		other := &export.Pusher{Ledger: s, Importer: e.clients.Importer, Backoff: func(int) time.Duration { return 0 }}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for _, p := range []*export.Pusher{e.pusher, other, e.pusher, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if err := p.Push(ctx, f.user.ID); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		balance := int64(0)
		for i := range 40 {
			balance -= int64(i + 1)
			f.sync(t, balance, tx(int64(3000+i), "2026-03-"+pad2(1+i%28), -int64(i+1), "card", "CB"))
		}
		close(stop)
		wg.Wait()
		if err := e.pusher.Push(ctx, f.user.ID); err != nil {
			t.Fatal(err)
		}
		e.assertOnce(t, f, m, 40)
		for _, b := range e.batches(t, f, m) {
			if b.Status != freenahi.BatchSent || b.Review {
				t.Fatalf("batch %d is %s (review %v)", b.ID, b.Status, b.Review)
			}
		}
	})
}

// TestPusher_RefusedClaimIsNotLost: a sync commits just after the run
// holding the mapping found nothing more to freeze, and wakes another run
// (as it wakes another instance's pusher), whose claim is refused. Unless
// that refused claim asks the holder to look again before it lets go, the
// new transaction waits for the next periodic scan (15 minutes): this is
// what made three instances miss transactions under load.
func TestPusher_RefusedClaimIsNotLost(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newInqomEnv(t, s)
		f := MustFixture(t, s, "late@example.com", 62, testIBAN)
		e.saveCredentials(t, f.user.ID)
		m := e.link(t, f, true)
		f.sync(t, -10, tx(4000, "2026-03-02", -10, "card", "CB ONE"))
		other := &export.Pusher{Ledger: s, Importer: e.clients.Importer}
		hook := &freezeHook{Store: s}
		hook.onNothing = func() {
			hook.onNothing = nil
			f.sync(t, -30, tx(4001, "2026-03-03", -20, "card", "CB TWO"))
			if err := other.Push(ctx, f.user.ID); err != nil {
				t.Error(err)
			}
			if got := len(e.imported(t)); got != 1 {
				t.Errorf("Inqom holds %d movements after the refused run, want the holder's 1", got)
			}
		}
		holder := &export.Pusher{Ledger: hook, Importer: e.clients.Importer}
		if err := holder.Push(ctx, f.user.ID); err != nil {
			t.Fatal(err)
		}
		if hook.onNothing != nil {
			t.Fatal("the holder never ran out of transactions to freeze")
		}
		e.assertOnce(t, f, m, 2)
		if bs := e.batches(t, f, m); len(bs) != 2 {
			t.Fatalf("%d batches, want 2: the first file and the one the holder made when asked to look again", len(bs))
		}
	})
}

// freezeHook runs onNothing when a freeze first finds nothing to export,
// before the run that asked sees the answer.
type freezeHook struct {
	*store.Store
	onNothing func()
}

func (h *freezeHook) FreezeExportBatch(ctx context.Context, mappingID int64, owner string, limit int, scan *freenahi.Cursor,
	build func(*freenahi.BatchInput) (string, []byte, error)) (*freenahi.ExportBatch, error) {
	b, err := h.Store.FreezeExportBatch(ctx, mappingID, owner, limit, scan, build)
	if freenahi.ErrorCode(err) == freenahi.ENOTFOUND && h.onNothing != nil {
		h.onNothing()
	}
	return b, err
}

func pad2(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

// TestPusher_ShutdownFinishesImport: stopping the loop does not cut an
// import in flight, which would leave its outcome unknown.
func TestPusher_ShutdownFinishesImport(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	e := newInqomEnv(t, s)
	f := marchFixture(t, s)
	e.saveCredentials(t, f.user.ID)
	m := e.link(t, f, true)
	release := make(chan struct{})
	e.sb.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Release: release})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); e.pusher.Run(runCtx) }()
	e.waitState(t, "the import to be held", func(st sandbox.State) bool { return st.FaultsPending == 0 })
	cancel()
	close(release)
	<-done
	if bs := e.batches(t, f, m); len(bs) != 1 || bs[0].Status != freenahi.BatchSent || bs[0].Review {
		t.Fatalf("after shutdown mid-import: %+v, want the batch sent, not in review", bs)
	}
}
