package aggregator_test

import (
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webhook"
)

// TestCategorize_SandboxYear connects the sandbox's test bank with a year
// of generated French transactions (private and professional accounts,
// cards, savings, loan) through the real webhook path and states the share
// that ingest categorised without help. The goal is 85 %.
func TestCategorize_SandboxYear(t *testing.T) {
	testenv.SkipIfShort(t, "a year of sandbox transactions")
	s := storetest.MustOpen(t, store.SQLite)
	clk := testenv.NewClock(time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC))
	e := &env{store: s, clock: clk, worker: &ingest.Worker{Inbox: s, Transfers: s, MaxAttempts: 1}}
	receiver := httptest.NewServer((&web.Server{Users: s, Inbox: s, Webhook: webhook.Config{Secret: hmacSecret, MaxAge: 100 * 365 * 24 * time.Hour}}).Handler())
	t.Cleanup(receiver.Close)
	sb, err := sandbox.New(sandbox.Config{ClientID: clientID, ClientSecret: clientSecret, Domain: "freenahi-sandbox",
		WebhookURLs: map[string]string{"connection_synced": receiver.URL + "/webhook/connection_synced/"}, WebhookSecret: hmacSecret,
		Seed: 7, Now: clk.Now, MinSyncInterval: -1, WebhookRetry: []time.Duration{10 * time.Millisecond}, HistoryDays: 365})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(sb)
	t.Cleanup(func() { sb.Close(); api.Close() })
	pc, err := powens.NewClient(powens.ClientConfig{BaseURL: api.URL + "/2.0/", Domain: "freenahi-sandbox", ClientID: clientID,
		ClientSecret: clientSecret, WebviewURL: api.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	e.sandbox = sb
	e.agg = &aggregator.Service{Powens: pc, Store: s, Now: clk.Now, RedirectURL: "https://freenahi.test/webview/callback",
		StateKey: []byte("test state key")}
	if e.user, err = s.CreateUser(ctx, "ana@example.com", ""); err != nil {
		t.Fatal(err)
	}
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
