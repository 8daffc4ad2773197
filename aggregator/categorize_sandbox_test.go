package aggregator_test

import (
	"encoding/json"
	"flag"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// sandboxYearOut, when set, is where TestCategorize_SandboxYear writes the
// year's transactions as the root package's categorisation tests read them
// (../testdata/sandbox_year.jsonl).
var sandboxYearOut = flag.String("sandbox-year-out", "", "write the sandbox year's transactions to this JSON-lines file")

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
	var out []byte
	f := freenahi.TransactionFilter{UserID: e.user.ID, Limit: freenahi.MaxPageLimit}
	for {
		page, next, err := s.FindTransactions(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range page {
			if *sandboxYearOut != "" {
				out = appendSandboxYearRecord(t, out, tx)
			}
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
	if *sandboxYearOut != "" {
		if err := os.WriteFile(*sandboxYearOut, out, 0o644); err != nil {
			t.Fatal(err)
		}
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

// appendSandboxYearRecord appends what categorisation reads of tx as one
// JSON line (the record of the root package's categorize_reference_test.go).
func appendSandboxYearRecord(t *testing.T, out []byte, tx *freenahi.Transaction) []byte {
	rec := struct {
		AccountID         int64  `json:"account_id"`
		Type              string `json:"type"`
		Card              string `json:"card,omitempty"`
		OriginalWording   string `json:"original_wording"`
		SimplifiedWording string `json:"simplified_wording,omitempty"`
		Wording           string `json:"wording,omitempty"`
		Counterparty      string `json:"counterparty,omitempty"`
		ValueMinor        int64  `json:"value_minor"`
	}{tx.AccountID, tx.Type, tx.Card, tx.OriginalWording, tx.SimplifiedWording, tx.Wording, "", tx.ValueMinor}
	if tx.Counterparty != nil {
		rec.Counterparty = tx.Counterparty.Label
	}
	line, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	return append(append(out, line...), '\n')
}
