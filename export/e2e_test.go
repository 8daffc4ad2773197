package export_test

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/powenstest"
	psandbox "github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestEndToEnd_PowensToInqom: a connection synced through the Powens
// sandbox, its checking account mapped to an Inqom dossier, the file
// imported; each later sync exports only what is new, coming transactions
// once booked, dropped ones never, and nothing twice.
func TestEndToEnd_PowensToInqom(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		clk := testenv.NewClock(time.Date(2025, 3, 10, 20, 0, 0, 0, time.UTC)) // after the day's card payments, still coming
		sb, err := psandbox.New(psandbox.Config{ClientID: "12345678", ClientSecret: "powens-secret", Domain: "freenahi-sandbox",
			Seed: 7, Now: clk.Now, MinSyncInterval: -1})
		if err != nil {
			t.Fatal(err)
		}
		api := httptest.NewServer(sb)
		t.Cleanup(func() { sb.Close(); api.Close() })
		pc, err := powens.NewClient(powens.ClientConfig{BaseURL: api.URL + "/2.0/", Domain: "freenahi-sandbox",
			ClientID: "12345678", ClientSecret: "powens-secret", WebviewURL: api.URL + "/"})
		if err != nil {
			t.Fatal(err)
		}
		agg := &aggregator.Service{Powens: pc, Store: s, Now: clk.Now}
		worker := &ingest.Worker{Inbox: s, MaxAttempts: 1}
		u, err := s.CreateUser(ctx, "ana@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		connID := connectTestBank(t, agg, u.ID)
		if _, err := worker.Drain(ctx); err != nil {
			t.Fatal(err)
		}

		var checking *freenahi.Account
		accounts, _ := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: u.ID})
		for _, a := range accounts {
			if a.Type == "checking" && a.IBAN != "" && checking == nil {
				checking = a
			}
		}
		if checking == nil {
			t.Fatal("the test bank gave no checking account with an IBAN")
		}
		e := newInqomEnv(t, s)
		e.saveCredentials(t, u.ID)
		f := &fixture{s: s, user: u, account: checking}
		m := e.link(t, f, true)
		if err := e.pusher.Push(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		first := exportable(t, s, u.ID, checking.ID)
		if len(first) == 0 {
			t.Fatal("nothing to export after the first sync")
		}
		e.assertOnce(t, f, m, len(first))
		// Sunday: Saturday's fuel pre-authorisation shows, coming; then,
		// weeks later, it is dropped by the bank while card payments book.
		clk.Add(6 * 24 * time.Hour)
		resync(t, sb, agg, worker, connID, u.ID)
		if err := e.pusher.Push(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		coming := comingIDs(t, s, u.ID, checking.ID)
		if len(coming) == 0 {
			t.Fatal("no coming transaction on the checking account on Sunday")
		}
		second := exportable(t, s, u.ID, checking.ID)
		e.assertOnce(t, f, m, len(second))
		bs := e.batches(t, f, m)
		if len(second) <= len(first) || len(bs) != 2 || bs[1].Transactions != len(second)-len(first) {
			t.Fatalf("second sync: %d exportable (was %d), %d batches; want a second batch of only the new ones", len(second), len(first), len(bs))
		}

		clk.Add(20 * 24 * time.Hour)
		resync(t, sb, agg, worker, connID, u.ID)
		if err := e.pusher.Push(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		third := exportable(t, s, u.ID, checking.ID)
		e.assertOnce(t, f, m, len(third))
		imported := e.imported(t)
		for id := range coming {
			tx, err := s.FindTransactionByID(ctx, u.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			_, in := imported[reference(id)]
			if in != (tx.Deleted == nil && !tx.Coming) {
				t.Fatalf("transaction %d (coming on Sunday, now coming=%v deleted=%v) imported=%v", id, tx.Coming, tx.Deleted != nil, in)
			}
		}
		t.Logf("%d transactions exported in %d files; %d were coming on Sunday", len(third), len(e.batches(t, f, m)), len(coming))
	})
}

// resync has the sandbox sync the connection, then pulls and processes.
func resync(t *testing.T, sb *psandbox.Server, agg *aggregator.Service, w *ingest.Worker, connID, userID int64) {
	t.Helper()
	if !sb.SyncConnection(connID) {
		t.Fatal("the sandbox lost the connection")
	}
	if _, err := agg.Reconcile(ctx, userID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}

// comingIDs lists the account's coming transactions.
func comingIDs(t *testing.T, s *store.Store, userID, accountID int64) map[int64]bool {
	t.Helper()
	out := map[int64]bool{}
	page, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: userID, AccountID: &accountID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, tx := range page {
		if tx.Coming {
			out[tx.ID] = true
		}
	}
	return out
}

// reference is the CFONB reference of our transaction id.
func reference(id int64) string { return fmt.Sprintf("FREENAHI%016d", id) }

// connectTestBank adds the sandbox's test bank with every account
// activated, and pulls it; it returns the Powens connection id.
func connectTestBank(t *testing.T, agg *aggregator.Service, userID int64) int64 {
	t.Helper()
	var connID int64
	err := agg.Do(ctx, userID, func(u *powens.UserClient) error {
		c, err := powenstest.ConnectTestBankActivated(ctx, u, "demo")
		if err == nil {
			connID = c.ID
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := agg.PullConnection(ctx, userID, connID); err != nil {
		t.Fatal(err)
	}
	return connID
}

// exportable lists the account's booked, non-deleted transactions.
func exportable(t *testing.T, s *store.Store, userID, accountID int64) []*freenahi.Transaction {
	t.Helper()
	var out []*freenahi.Transaction
	f := freenahi.TransactionFilter{UserID: userID, AccountID: &accountID, ExcludeComing: true, Limit: 1000}
	for {
		page, next, err := s.FindTransactions(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if next == nil {
			return out
		}
		f.After = next
	}
}
