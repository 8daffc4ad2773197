package aggregator_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestCategorize_SandboxYear connects the sandbox's test bank with a year
// of generated French transactions (private and professional accounts,
// cards, savings, loan) through the real webhook path and states the share
// that ingest categorised without help. The goal is 85 %.
func TestCategorize_SandboxYear(t *testing.T) {
	testenv.SkipIfShort(t, "a year of sandbox transactions")
	s := storetest.MustOpen(t, store.SQLite)
	e := newEnv(t, s, func(c *sandbox.Config) { c.HistoryDays = 365 })
	e.connect(t, "demo")
	e.drain(t, 2)

	total, sorted := 0, 0
	var first, last freenahi.Date
	missed := map[string]int{}
	f := freenahi.TransactionFilter{UserID: e.user.ID, Limit: freenahi.MaxPageLimit}
	for {
		page, next, err := s.FindTransactions(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range page {
			total++
			if first.IsZero() || tx.Date.Before(first) {
				first = tx.Date
			}
			if last.Before(tx.Date) {
				last = tx.Date
			}
			if tx.CategoryID != nil {
				sorted++
			} else {
				missed[tx.Type+" "+tx.OriginalWording]++
			}
		}
		if next == nil {
			break
		}
		f.After = next
	}
	if first.AddDays(360).After(last) {
		t.Fatalf("transactions from %s to %s: not a year of history", first, last)
	}
	share := float64(sorted) * 100 / float64(total)
	t.Logf("categorised automatically: %d of %d transactions (%.1f %%)", sorted, total, share)
	var left []string
	for w := range missed {
		left = append(left, w)
	}
	sort.Strings(left)
	for i, w := range left {
		if i == 15 {
			break
		}
		t.Logf("left without a category: %s (%d)", w, missed[w])
	}
	if share < 85 {
		t.Fatalf("%.1f %% categorised automatically, want at least 85 %%", share)
	}

	// Every move between the sandbox's own accounts is paired by the
	// worker's follow-up step after ingest, with no call from the person:
	// the monthly transfer to the Livret A with its arrival, and each
	// deferred card's monthly settlement with the card account's credit.
	sides, paired := 0, 0
	f = freenahi.TransactionFilter{UserID: e.user.ID, Limit: freenahi.MaxPageLimit}
	for {
		page, next, err := s.FindTransactions(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range page {
			switch tx.OriginalWording {
			case "VIR SEPA VERS LIVRET A", "VIR SEPA DEPUIS COMPTE CHEQUES", "DEBIT MENSUEL CARTE":
			default:
				if !strings.HasPrefix(tx.OriginalWording, "RELEVE CB DIFFERE") {
					if tx.TransferPair != nil {
						t.Errorf("paired a transaction that is no transfer: %s %s", tx.Date, tx.OriginalWording)
					}
					continue
				}
			}
			sides++
			if tx.TransferPair != nil && tx.Transfer {
				paired++
			} else {
				t.Errorf("transfer left unpaired: %s %s %d", tx.Date, tx.OriginalWording, tx.ValueMinor)
			}
		}
		if next == nil {
			break
		}
		f.After = next
	}
	t.Logf("transfers between the sandbox's own accounts paired after ingest: %d of %d sides", paired, sides)
	if sides == 0 || paired != sides {
		t.Fatalf("%d of %d transfer sides paired after ingest", paired, sides)
	}
	// Nothing is left for an explicit detection to pair.
	if pairs, err := s.DetectTransfers(ctx, e.user.ID); err != nil || pairs != 0 {
		t.Fatalf("DetectTransfers after ingest = %d, %v; want 0 pairs left", pairs, err)
	}
}
