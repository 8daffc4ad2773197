package store_test

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// ledger is a user's checking account mapped to an Inqom dossier, with the
// transactions the test wrote and what the file builder was given.
type ledger struct {
	s     *store.Store
	clk   *clock
	b     *bank
	m     *freenahi.InqomMapping
	txs   []*freenahi.Transaction
	built []*freenahi.BatchInput
	owner string
	next  int
}

// mustLedger seeds a user's bank, maps its checking account and leases the mapping.
func mustLedger(tb testing.TB, s *store.Store, clk *clock, email string, powensUser int64) *ledger {
	tb.Helper()
	b := MustSeedBank(tb, s, MustCreateUser(tb, s, email, powensUser))
	l := &ledger{s: s, clk: clk, b: b, m: mustMapping(tb, s, b)}
	l.claim(tb)
	return l
}

// claim leases the mapping to a new owner.
func (l *ledger) claim(tb testing.TB) {
	tb.Helper()
	l.next++
	owner := fmt.Sprintf("worker-%d", l.next)
	if ok, err := l.s.ClaimInqomMapping(ctx, l.m.ID, owner, time.Hour); err != nil || !ok {
		tb.Fatalf("claim mapping %d: %v %v", l.m.ID, ok, err)
	}
	l.owner = owner
}

// write syncs transactions of the checking account, and its balance when
// balance is not nil.
func (l *ledger) write(tb testing.TB, balance *int64, txs ...*freenahi.Transaction) {
	tb.Helper()
	for _, t := range txs {
		t.AccountID, t.Active = l.b.checking.ID, true
	}
	l.txs = append(l.txs, txs...)
	MustSync(tb, l.s, l.b.user, func(w freenahi.SyncWriter) error {
		if balance != nil {
			l.b.checking.BalanceMinor = balance
			if err := w.UpsertAccount(ctx, l.b.checking); err != nil {
				return err
			}
		}
		return w.UpsertTransactions(ctx, txs)
	})
}

// build is a file builder: one line per transaction after the opening.
func (l *ledger) build(in *freenahi.BatchInput) (string, []byte, error) {
	l.built = append(l.built, in)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d opens %s at %d\n", in.Seq, in.OpeningDate, in.OpeningMinor)
	for _, t := range in.Transactions {
		fmt.Fprintf(&sb, "%s %d %d\n", t.Date, t.PowensID, t.ValueMinor)
	}
	return fmt.Sprintf("%d.txt", in.Seq), []byte(sb.String()), nil
}

// freeze freezes the next batch of at most limit transactions.
func (l *ledger) freeze(limit int) (*freenahi.ExportBatch, error) {
	var scan freenahi.Cursor
	return l.s.FreezeExportBatch(ctx, l.m.ID, l.owner, limit, &scan, l.build)
}

// mustSend records a batch as accepted by Inqom.
func (l *ledger) mustSend(tb testing.TB, b *freenahi.ExportBatch) {
	tb.Helper()
	if _, _, err := l.s.StartExportAttempt(ctx, b.ID, l.owner); err != nil {
		tb.Fatal(err)
	}
	if st, err := l.s.RecordExportOutcome(ctx, b.ID, freenahi.BatchOutcome{Kind: freenahi.OutcomeSent, AnswerStatus: 200}); err != nil || st != freenahi.BatchSent {
		tb.Fatalf("record sent: %s, %v", st, err)
	}
}

// tx is a booked transaction of the ledger's account.
func tx(powensID int64, day string, minor int64) *freenahi.Transaction {
	return &freenahi.Transaction{PowensID: powensID, Date: date(day), ValueMinor: minor, Type: "card", OriginalWording: "CB"}
}

// exportOrder is the order of a batch: date, then Powens id.
func exportOrder(txs []*freenahi.Transaction) []int64 {
	txs = slices.Clone(txs)
	slices.SortFunc(txs, func(x, y *freenahi.Transaction) int {
		return cmp.Or(x.Date.Compare(y.Date), cmp.Compare(x.PowensID, y.PowensID))
	})
	var out []int64
	for _, t := range txs {
		out = append(out, t.PowensID)
	}
	return out
}

func powensIDs(txs []*freenahi.Transaction) []int64 {
	var out []int64
	for _, t := range txs {
		out = append(out, t.PowensID)
	}
	return out
}

func TestStore_FreezeExportBatch(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		l := mustLedger(t, s, clk, "ana@example.com", 1)

		t.Run("Nothing", func(t *testing.T) {
			_, err := l.freeze(100)
			wantCode(t, err, freenahi.ENOTFOUND, "a batch of an account without transactions")
			_, err = s.FindOpenExportBatch(ctx, l.m.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "the open batch of a mapping without batches")
		})

		// Booked transactions, one of each kind that must stay out, and
		// two on one day whose Powens ids go against their insertion order.
		coming, deleted := tx(90, "2026-02-03", -7), tx(91, "2026-02-03", -8)
		coming.Coming, deleted.Deleted = true, ptr(clk.now)
		first := []*freenahi.Transaction{tx(12, "2026-02-02", -1500), tx(11, "2026-02-02", 25000), tx(13, "2026-02-05", -300),
			tx(14, "2026-02-09", -4200), tx(15, "2026-02-10", 100), coming, deleted}
		l.write(t, ptr(int64(500000)), first...)

		t.Run("LeaseRequired", func(t *testing.T) {
			var scan freenahi.Cursor
			_, err := s.FreezeExportBatch(ctx, l.m.ID, "someone-else", 100, &scan, l.build)
			wantCode(t, err, freenahi.ECONFLICT, "freezing without the lease")
		})
		t.Run("BuildFails", func(t *testing.T) {
			broken := errors.New("no RIB for this account")
			var scan freenahi.Cursor
			_, err := s.FreezeExportBatch(ctx, l.m.ID, l.owner, 100, &scan, func(*freenahi.BatchInput) (string, []byte, error) { return "", nil, broken })
			if !errors.Is(err, broken) {
				t.Fatalf("err=%v, want the builder's", err)
			}
			_, err = s.FindOpenExportBatch(ctx, l.m.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "the open batch after a failed build")
		})

		b1, err := l.freeze(3)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("First", func(t *testing.T) {
			in := l.built[len(l.built)-1]
			// The three oldest, by date then Powens id.
			if got, want := powensIDs(in.Transactions), []int64{11, 12, 13}; !slices.Equal(got, want) {
				t.Fatalf("batch holds %v, want %v", got, want)
			}
			// It opens the day before its first movement, at the stored
			// balance minus every booked transaction after that day.
			opening := int64(500000) - (-1500 + 25000 - 300 - 4200 + 100)
			if in.Seq != 1 || in.OpeningDate != date("2026-02-01") || in.OpeningMinor != opening {
				t.Fatalf("batch %d opens %s at %d, want batch 1 opening 2026-02-01 at %d", in.Seq, in.OpeningDate, in.OpeningMinor, opening)
			}
			sum := sha256.Sum256(b1.Content)
			if b1.Seq != 1 || b1.Status != freenahi.BatchPending || b1.Transactions != 3 || b1.OpeningMinor != opening ||
				b1.ClosingMinor != opening+25000-1500-300 || b1.FirstDate != date("2026-02-02") || b1.LastDate != date("2026-02-05") ||
				b1.ClosingDate != date("2026-02-05") || b1.SHA256 != hex.EncodeToString(sum[:]) || b1.Size != int64(len(b1.Content)) ||
				b1.Filename != "1.txt" || b1.Currency != eur || b1.UserID != l.b.user.ID || b1.MappingID != l.m.ID {
				t.Fatalf("batch %+v", b1)
			}
			open, err := s.FindOpenExportBatch(ctx, l.m.ID)
			if err != nil || open.ID != b1.ID || string(open.Content) != string(b1.Content) || open.SHA256 != b1.SHA256 {
				t.Fatalf("FindOpenExportBatch=%+v, %v", open, err)
			}
			m, _ := s.FindInqomMappingByID(ctx, l.b.user.ID, l.m.ID)
			if *m.ChainDate != b1.ClosingDate || *m.ChainMinor != b1.ClosingMinor {
				t.Fatalf("the mapping closes at %v %v, want where batch 1 closes", m.ChainDate, m.ChainMinor)
			}
		})
		t.Run("OneOpenBatchAtATime", func(t *testing.T) {
			_, err := l.freeze(100)
			wantCode(t, err, freenahi.ECONFLICT, "freezing while batch 1 is not sent")
		})

		l.mustSend(t, b1)
		b2, err := l.freeze(100)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("Chained", func(t *testing.T) {
			in := l.built[len(l.built)-1]
			if got := powensIDs(in.Transactions); !slices.Equal(got, []int64{14, 15}) {
				t.Fatalf("batch 2 holds %v, want the two not yet exported", got)
			}
			// Batch 2 opens where batch 1 closed, whatever the balance did.
			if in.Seq != 2 || in.OpeningDate != b1.ClosingDate || in.OpeningMinor != b1.ClosingMinor || b2.ClosingMinor != b1.ClosingMinor-4200+100 {
				t.Fatalf("batch 2 opens %s at %d and closes at %d", in.OpeningDate, in.OpeningMinor, b2.ClosingMinor)
			}
		})
		l.mustSend(t, b2)
		t.Run("LateTransaction", func(t *testing.T) {
			// Booked late with a date before the last file's close: it goes in
			// the next file, which opens where the last one closed (never
			// earlier) and closes on the day its builder booked it on.
			l.write(t, nil, tx(16, "2026-02-04", -50))
			var scan freenahi.Cursor
			b3, err := s.FreezeExportBatch(ctx, l.m.ID, l.owner, 100, &scan, func(in *freenahi.BatchInput) (string, []byte, error) {
				in.ClosingDate = date("2026-02-11")
				return l.build(in)
			})
			if err != nil {
				t.Fatal(err)
			}
			in := l.built[len(l.built)-1]
			if got := powensIDs(in.Transactions); !slices.Equal(got, []int64{16}) {
				t.Fatalf("batch 3 holds %v, want only the late one", got)
			}
			if in.OpeningDate != b2.ClosingDate || in.OpeningMinor != b2.ClosingMinor || b3.ClosingDate != date("2026-02-11") {
				t.Fatalf("batch 3 opens %s at %d, closes %s", in.OpeningDate, in.OpeningMinor, b3.ClosingDate)
			}
			if m, err := s.FindInqomMappingByID(ctx, l.b.user.ID, l.m.ID); err != nil || *m.ChainDate != date("2026-02-11") {
				t.Fatalf("the mapping's chain after batch 3: %v %v", m, err)
			}
			l.mustSend(t, b3)
			_, err = l.freeze(100)
			wantCode(t, err, freenahi.ENOTFOUND, "a batch when everything is exported")
		})
		t.Run("BuilderKeepsNone", func(t *testing.T) {
			// A builder that keeps no transaction (none whose day has ended)
			// leaves no batch behind.
			l.write(t, nil, tx(17, "2026-02-20", -5))
			var scan freenahi.Cursor
			_, err := s.FreezeExportBatch(ctx, l.m.ID, l.owner, 100, &scan, func(in *freenahi.BatchInput) (string, []byte, error) {
				in.Transactions = nil
				return "", nil, nil
			})
			wantCode(t, err, freenahi.ENOTFOUND, "a batch whose builder kept nothing")
			if _, err := s.FindOpenExportBatch(ctx, l.m.ID); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
				t.Fatalf("an open batch after the builder kept nothing: %v", err)
			}
			b4, err := l.freeze(100)
			if err != nil || b4.Transactions != 1 {
				t.Fatalf("the waiting transaction goes in the next batch: %v %v", b4, err)
			}
			l.mustSend(t, b4)
		})
		t.Run("FindExportBatches", func(t *testing.T) {
			batches, err := s.FindExportBatches(ctx, l.b.user.ID, l.m.ID, 0)
			if err != nil || len(batches) != 4 || batches[0].Seq != 4 || batches[3].Seq != 1 || batches[0].Content != nil {
				t.Fatalf("FindExportBatches: %d batches, %v", len(batches), err)
			}
			if two, _ := s.FindExportBatches(ctx, l.b.user.ID, l.m.ID, 2); len(two) != 2 || two[1].Seq != 3 {
				t.Fatalf("limit 2: %d batches", len(two))
			}
			file, err := s.FindExportBatchFile(ctx, l.b.user.ID, b1.ID)
			if err != nil || string(file.Content) != string(b1.Content) || file.Status != freenahi.BatchSent || file.SentAt == nil {
				t.Fatalf("FindExportBatchFile=%+v, %v", file, err)
			}
		})
	})
}

func TestStore_FreezeExportBatchLimits(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		l := mustLedger(t, s, clk, "ana@example.com", 1)
		// A start date keeps older transactions out; 250 items take several
		// INSERT statements.
		m := &freenahi.InqomMapping{UserID: l.b.user.ID, AccountID: l.b.checking.ID, DossierID: 8, IBAN: "FR7600000000000000000000000",
			StartDate: date("2026-01-01")}
		if _, err := s.CreateInqomMapping(ctx, m); err != nil {
			t.Fatal(err)
		}
		l.m = m
		l.claim(t)
		var txs []*freenahi.Transaction
		for i := range 260 {
			txs = append(txs, tx(int64(1000-i), "2025-12-22", int64(i)))
			txs[i].Date = txs[i].Date.AddDays(i / 10)
		}
		l.write(t, ptr(int64(0)), txs...)
		b, err := l.freeze(1000)
		if err != nil {
			t.Fatal(err)
		}
		var want []*freenahi.Transaction
		for _, t := range txs {
			if !t.Date.Before(m.StartDate) {
				want = append(want, t)
			}
		}
		in := l.built[len(l.built)-1]
		if got := powensIDs(in.Transactions); b.Transactions != len(want) || !slices.Equal(got, exportOrder(want)) {
			t.Fatalf("batch of %d, want the %d since the start date in date then Powens id order", b.Transactions, len(want))
		}
	})
}

func TestStore_ExportBatchesOwnerScoping(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := mustLedger(t, s, clk, "ana@example.com", 1)
		bob := mustLedger(t, s, clk, "bob@example.com", 2)
		bob.write(t, ptr(int64(100)), tx(1, "2026-02-02", -10))
		b, err := bob.freeze(10)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.FindExportBatches(ctx, ana.b.user.ID, bob.m.ID, 10)
		wantCode(t, err, freenahi.ENOTFOUND, "ana listing bob's batches")
		_, err = s.FindExportBatchFile(ctx, ana.b.user.ID, b.ID)
		wantCode(t, err, freenahi.ENOTFOUND, "ana reading bob's file")
		_, err = s.FindInqomMappingStatus(ctx, ana.b.user.ID, bob.m.ID)
		wantCode(t, err, freenahi.ENOTFOUND, "ana reading the status of bob's mapping")
		_, err = s.ResolveExportBatch(ctx, ana.b.user.ID, b.ID, freenahi.ResolveRelease)
		wantCode(t, err, freenahi.ENOTFOUND, "ana resolving bob's batch")
		if file, err := s.FindExportBatchFile(ctx, bob.b.user.ID, b.ID); err != nil || file.Status != freenahi.BatchPending {
			t.Fatalf("bob's batch after ana's attempts: %+v, %v", file, err)
		}
	})
}
