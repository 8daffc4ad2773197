package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// mustFrozen writes one transaction and freezes it into a new batch.
func (l *ledger) mustFrozen(tb testing.TB, powensID int64, day string, minor int64) *freenahi.ExportBatch {
	tb.Helper()
	l.write(tb, nil, tx(powensID, day, minor))
	b, err := l.freeze(100)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// mustAttempt starts an attempt and records its outcome.
func (l *ledger) mustAttempt(tb testing.TB, b *freenahi.ExportBatch, o freenahi.BatchOutcome) freenahi.BatchStatus {
	tb.Helper()
	if _, _, err := l.s.StartExportAttempt(ctx, b.ID, l.owner); err != nil {
		tb.Fatal(err)
	}
	st, err := l.s.RecordExportOutcome(ctx, b.ID, o)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func (l *ledger) batch(tb testing.TB, id int64) *freenahi.ExportBatch {
	tb.Helper()
	b, err := l.s.FindExportBatchFile(ctx, l.b.user.ID, id)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestStore_ExportAttempts(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		l := mustLedger(t, s, clk, "ana@example.com", 1)
		l.write(t, ptr(int64(1000)))

		t.Run("Sent", func(t *testing.T) {
			b := l.mustFrozen(t, 1, "2026-02-02", -10)
			_, _, err := s.StartExportAttempt(ctx, b.ID, "not-the-owner")
			wantCode(t, err, freenahi.ECONFLICT, "an attempt without the lease")
			st, review, err := s.StartExportAttempt(ctx, b.ID, l.owner)
			if err != nil || st != freenahi.BatchPending || review {
				t.Fatalf("first attempt: %s review=%v %v", st, review, err)
			}
			st, err = s.RecordExportOutcome(ctx, b.ID, freenahi.BatchOutcome{Kind: freenahi.OutcomeSent, AnswerStatus: 200, Answer: `{"ok":true}`})
			if err != nil || st != freenahi.BatchSent {
				t.Fatalf("sent: %s, %v", st, err)
			}
			got := l.batch(t, b.ID)
			if got.Attempts != 1 || got.SentAt == nil || !got.SentAt.Equal(clk.now) || got.AnswerStatus != 200 || got.Answer != `{"ok":true}` || got.Review {
				t.Fatalf("sent batch %+v", got)
			}
			_, _, err = s.StartExportAttempt(ctx, b.ID, l.owner)
			wantCode(t, err, freenahi.ECONFLICT, "an attempt of a sent batch")
			_, err = s.RecordExportOutcome(ctx, b.ID, freenahi.BatchOutcome{Kind: freenahi.OutcomeSent})
			wantCode(t, err, freenahi.ECONFLICT, "an outcome for a sent batch")
		})
		t.Run("CrashInFlight", func(t *testing.T) {
			b := l.mustFrozen(t, 2, "2026-02-03", -20)
			if _, _, err := s.StartExportAttempt(ctx, b.ID, l.owner); err != nil {
				t.Fatal(err)
			}
			// The process dies before recording the outcome; once its lease
			// ends, the next run cannot know whether Inqom has the file:
			// review, resent as is.
			clk.Add(time.Hour + time.Microsecond)
			l.claim(t)
			st, review, err := s.StartExportAttempt(ctx, b.ID, l.owner)
			if err != nil || st != freenahi.BatchReview || !review {
				t.Fatalf("attempt after a crash: %s review=%v %v; want review", st, review, err)
			}
			if st := l.mustOutcome(t, b, freenahi.BatchOutcome{Kind: freenahi.OutcomeSent, AnswerStatus: 200}); st != freenahi.BatchSent {
				t.Fatalf("sent after review: %s", st)
			}
			if got := l.batch(t, b.ID); !got.Review || got.Attempts != 2 {
				t.Fatalf("batch %+v, want the review flag kept and 2 attempts", got)
			}
		})
		t.Run("Unknown", func(t *testing.T) {
			b := l.mustFrozen(t, 3, "2026-02-04", -30)
			next := clk.now.Add(time.Minute)
			st := l.mustAttempt(t, b, freenahi.BatchOutcome{Kind: freenahi.OutcomeUnknown, Error: &freenahi.Error{Code: freenahi.EUNAVAILABLE, Message: "timeout"}, NextAttempt: next})
			got := l.batch(t, b.ID)
			if st != freenahi.BatchReview || !got.Review || !got.NextAttemptAt.Equal(next) || got.LastError == nil || got.LastError.Message != "timeout" || got.Held {
				t.Fatalf("unknown outcome: %s %+v", st, got)
			}
			// Inqom refusing the resent copy may mean it has the first: held for a person.
			st = l.mustAttempt(t, b, freenahi.BatchOutcome{Kind: freenahi.OutcomeRefused, AnswerStatus: 409, Answer: "duplicate"})
			if got := l.batch(t, b.ID); st != freenahi.BatchReview || !got.Held || got.AnswerStatus != 409 {
				t.Fatalf("refused under review: %s %+v; want review, held", st, got)
			}
			_, _, err := s.StartExportAttempt(ctx, b.ID, l.owner)
			wantCode(t, err, freenahi.ECONFLICT, "an attempt of a held batch")
			if _, err := s.ResolveExportBatch(ctx, l.b.user.ID, b.ID, freenahi.ResolveSent); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("NotSentThenRefused", func(t *testing.T) {
			b := l.mustFrozen(t, 4, "2026-02-05", -40)
			next := clk.now.Add(time.Hour)
			st := l.mustAttempt(t, b, freenahi.BatchOutcome{Kind: freenahi.OutcomeNotSent, Error: &freenahi.Error{Code: freenahi.EINVALID, Message: "no token"}, NextAttempt: next})
			if got := l.batch(t, b.ID); st != freenahi.BatchPending || got.Review || !got.NextAttemptAt.Equal(next) || got.AnswerStatus != 0 {
				t.Fatalf("not sent: %s %+v", st, got)
			}
			st = l.mustAttempt(t, b, freenahi.BatchOutcome{Kind: freenahi.OutcomeRefused, AnswerStatus: 400, Answer: "bad file", Error: &freenahi.Error{Code: freenahi.EINVALID, Message: "refused"}})
			if got := l.batch(t, b.ID); st != freenahi.BatchFailed || got.Held || got.Answer != "bad file" || got.Attempts != 2 {
				t.Fatalf("refused: %s %+v", st, got)
			}
			_, err := s.RecordExportOutcome(ctx, b.ID, freenahi.BatchOutcome{Kind: 99})
			if err == nil {
				t.Fatal("an unknown outcome kind was recorded")
			}
			if _, err := s.ResolveExportBatch(ctx, l.b.user.ID, b.ID, freenahi.ResolveRelease); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// mustOutcome records an outcome of the attempt in flight.
func (l *ledger) mustOutcome(tb testing.TB, b *freenahi.ExportBatch, o freenahi.BatchOutcome) freenahi.BatchStatus {
	tb.Helper()
	st, err := l.s.RecordExportOutcome(ctx, b.ID, o)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func TestStore_ResolveExportBatch(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		l := mustLedger(t, s, clk, "ana@example.com", 1)
		l.write(t, ptr(int64(1000)))
		refused := freenahi.BatchOutcome{Kind: freenahi.OutcomeRefused, AnswerStatus: 400}
		resolve := func(b *freenahi.ExportBatch, r freenahi.BatchResolution) *freenahi.ExportBatch {
			t.Helper()
			got, err := s.ResolveExportBatch(ctx, l.b.user.ID, b.ID, r)
			if err != nil {
				t.Fatalf("resolve %s: %v", r, err)
			}
			if got.Content != nil || got.ID != b.ID {
				t.Fatalf("resolved batch %+v", got)
			}
			return got
		}

		b1 := l.mustFrozen(t, 1, "2026-02-02", -10)
		_, err := s.ResolveExportBatch(ctx, l.b.user.ID, b1.ID, freenahi.ResolveSent)
		wantCode(t, err, freenahi.ECONFLICT, "resolving a pending batch")
		l.mustAttempt(t, b1, refused)
		_, err = s.ResolveExportBatch(ctx, l.b.user.ID, b1.ID, "forget")
		wantCode(t, err, freenahi.EINVALID, "an unknown resolution")
		_, err = s.ResolveExportBatch(ctx, l.b.user.ID, 1<<40, freenahi.ResolveSent)
		wantCode(t, err, freenahi.ENOTFOUND, "resolving an unknown batch")

		t.Run("Retry", func(t *testing.T) {
			clk.Add(time.Minute)
			got := resolve(b1, freenahi.ResolveRetry)
			if got.Status != freenahi.BatchPending || got.Held || !got.NextAttemptAt.Equal(clk.now) {
				t.Fatalf("retried batch %+v", got)
			}
		})
		t.Run("Sent", func(t *testing.T) {
			l.mustAttempt(t, b1, refused)
			got := resolve(b1, freenahi.ResolveSent)
			if got.Status != freenahi.BatchSent || got.SentAt == nil {
				t.Fatalf("batch resolved as sent: %+v", got)
			}
		})
		t.Run("ReleaseFreesTheTransactions", func(t *testing.T) {
			b2 := l.mustFrozen(t, 2, "2026-02-03", -20)
			l.mustAttempt(t, b2, freenahi.BatchOutcome{Kind: freenahi.OutcomeUnknown, NextAttempt: clk.now})
			if got := resolve(b2, freenahi.ResolveRetry); got.Status != freenahi.BatchReview {
				t.Fatalf("a review batch retried is %s, want review (it may be in Inqom)", got.Status)
			}
			l.mustAttempt(t, b2, refused) // held
			if got := resolve(b2, freenahi.ResolveRelease); got.Status != freenahi.BatchReleased || got.Held {
				t.Fatalf("released batch %+v", got)
			}
			// The mapping closes again where batch 1 closed, and the
			// released transaction goes into the next batch, which opens there.
			m, _ := s.FindInqomMappingByID(ctx, l.b.user.ID, l.m.ID)
			if *m.ChainDate != b1.ClosingDate || *m.ChainMinor != b1.ClosingMinor {
				t.Fatalf("after release the mapping closes at %v %v, want batch 1's %v %v", *m.ChainDate, *m.ChainMinor, b1.ClosingDate, b1.ClosingMinor)
			}
			b3, err := l.freeze(100)
			if err != nil {
				t.Fatal(err)
			}
			in := l.built[len(l.built)-1]
			if got := powensIDs(in.Transactions); !slices.Equal(got, []int64{2}) || in.OpeningMinor != b1.ClosingMinor || b3.Seq != 3 {
				t.Fatalf("batch after the release: seq %d holds %v opening at %d", b3.Seq, got, in.OpeningMinor)
			}
		})
		t.Run("ReleaseTheOnlyBatch", func(t *testing.T) {
			other := mustLedger(t, s, clk, "bob@example.com", 2)
			other.write(t, ptr(int64(1000)), tx(1, "2026-02-02", -10))
			b, err := other.freeze(100)
			if err != nil {
				t.Fatal(err)
			}
			other.mustAttempt(t, b, refused)
			if _, err := s.ResolveExportBatch(ctx, other.b.user.ID, b.ID, freenahi.ResolveRelease); err != nil {
				t.Fatal(err)
			}
			// No live batch left: the next one opens from the balance again.
			m, _ := s.FindInqomMappingByID(ctx, other.b.user.ID, other.m.ID)
			if m.ChainDate != nil || m.ChainMinor != nil {
				t.Fatalf("after releasing the only batch, the mapping closes at %v %v", m.ChainDate, m.ChainMinor)
			}
			if _, err := other.freeze(100); err != nil {
				t.Fatal(err)
			}
			if in := other.built[len(other.built)-1]; in.OpeningMinor != 1000+10 || in.OpeningDate != date("2026-02-01") {
				t.Fatalf("the batch after the release opens %s at %d", in.OpeningDate, in.OpeningMinor)
			}
		})
	})
}

func TestStore_FindInqomMappingStatus(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		l := mustLedger(t, s, clk, "ana@example.com", 1)
		l.write(t, ptr(int64(1000)), tx(1, "2026-02-02", -10), tx(2, "2026-02-02", -20), tx(3, "2026-02-03", -30))
		b1, err := l.freeze(2)
		if err != nil {
			t.Fatal(err)
		}
		l.mustSend(t, b1)
		sentAt := clk.now
		clk.Add(time.Hour)
		b2, err := l.freeze(100)
		if err != nil {
			t.Fatal(err)
		}
		l.mustAttempt(t, b2, freenahi.BatchOutcome{Kind: freenahi.OutcomeRefused, AnswerStatus: 400})
		// After the export, the bank deletes one sent transaction and
		// changes the amount of the other; a new one waits.
		gone := tx(1, "2026-02-02", -10)
		gone.Deleted = ptr(clk.now)
		l.write(t, nil, gone, tx(2, "2026-02-02", -25), tx(4, "2026-02-04", -40))

		st, err := s.FindInqomMappingStatus(ctx, l.b.user.ID, l.m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.ID != l.m.ID || st.Currency != eur || st.Batches[freenahi.BatchSent] != 1 || st.Batches[freenahi.BatchFailed] != 1 ||
			st.Exported != 2 || st.Waiting != 1 || st.LastSent == nil || !st.LastSent.Equal(sentAt) {
			t.Fatalf("status %+v", st)
		}
		if len(st.Changes) != 2 {
			t.Fatalf("%d changes, want the deleted and the re-valued transaction", len(st.Changes))
		}
		for _, c := range st.Changes {
			switch c.PowensID {
			case 1:
				if c.Deleted == nil || c.ExportedMinor != -10 || c.BatchID != b1.ID {
					t.Fatalf("deleted change %+v", c)
				}
			case 2:
				if c.Deleted != nil || c.ExportedMinor != -20 || c.ValueMinor != -25 || c.Date != date("2026-02-02") {
					t.Fatalf("re-valued change %+v", c)
				}
			default:
				t.Fatalf("change of transaction %d", c.PowensID)
			}
		}
		_, err = s.FindInqomMappingStatus(ctx, l.b.user.ID, 1<<40)
		wantCode(t, err, freenahi.ENOTFOUND, "the status of an unknown mapping")
	})
}
