package ingest_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/google/go-cmp/cmp"
)

// synced is a CONNECTION_SYNCED body of Powens user 42's connection 10 with
// the given accounts (JSON objects).
func synced(accounts string) []byte {
	return []byte(`{"user": {"id": 42}, "connection": {"id": 10, "id_user": 42, "accounts": [` + accounts + `]}}`)
}

// TestWorker_DeterministicFailuresDoNotBlock: with the worker's real
// retry policy (8 attempts, backoff from 5 s), an event PostgreSQL could not
// store as sent (a NUL in a wording) is stored, U+FFFD in place of the NUL
// on both engines, and an event that can never be stored (a malformed
// amount) fails at its first attempt. Either way the next event of the same
// user is processed in the same pass instead of waiting behind retries.
func TestWorker_DeterministicFailuresDoNotBlock(t *testing.T) {
	for _, tc := range []struct {
		name, account string
		status        freenahi.InboxStatus
	}{
		{"NUL", `{"id": 100, "name": "Compte\u0000joint", "currency": {"id": "EUR"}, "balance": 10, "transactions": [
			{"id": 1, "date": "2025-01-10", "value": -1.5, "original_wording": "CB\u0000CAFE", "wording": "Caf\u00e9\u0000",
			 "counterparty": {"label": "\u0000"}}]}`, freenahi.StatusProcessed},
		{"MalformedAmount", `{"id": 100, "currency": {"id": "EUR"}, "transactions": [
			{"id": 1, "date": "2025-01-10", "value": "-1.5\u0000"}]}`, freenahi.StatusFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Engines(t, func(t *testing.T, s *store.Store) {
				u := mustUser(t, s, "a@example.com", 42)
				first := receive(t, s, freenahi.EventConnectionSynced, "wd:1", 42, synced(tc.account))
				next := receive(t, s, freenahi.EventConnectionSynced, "wd:2", 42, synced(`{"id": 101, "currency": {"id": "EUR"},
					"transactions": [{"id": 2, "date": "2025-01-11", "value": 3, "original_wording": "VIR"}]}`))
				n, err := (&ingest.Worker{Inbox: s}).Drain(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n != 2 {
					t.Fatalf("one pass handled %d events, want both", n)
				}
				got, _ := s.FindEventByID(ctx, first.ID)
				if got.Status != tc.status || got.Attempts != 1 {
					t.Fatalf("first event: %s after %d attempts (%q), want %s after 1", got.Status, got.Attempts, got.LastError, tc.status)
				}
				if got, _ := s.FindEventByID(ctx, next.ID); got.Status != freenahi.StatusProcessed {
					t.Fatalf("next event of the same user: %s (%q)", got.Status, got.LastError)
				}
				st := dump(t, s, u.ID)
				txByPowensID(t, st, 2)
				if tc.status != freenahi.StatusProcessed {
					return
				}
				const r = "\uFFFD"
				if a := accountByPowensID(t, st, 100); a.Name != "Compte"+r+"joint" {
					t.Errorf("account name %q", a.Name)
				}
				tx := txByPowensID(t, st, 1)
				if tx.OriginalWording != "CB"+r+"CAFE" || tx.Wording != "Café"+r || tx.Counterparty == nil || tx.Counterparty.Label != r {
					t.Errorf("transaction text %q %q %+v", tx.OriginalWording, tx.Wording, tx.Counterparty)
				}
			})
		})
	}
}

// TestApply_IdsRefused: rows are keyed by Powens ids, so an object without
// one (null, absent) or with one Powens never gives (zero, negative) would
// merge with another or squat a key. The event fails at once naming the
// JSON path, and stores nothing.
func TestApply_IdsRefused(t *testing.T) {
	tx := func(id string) string {
		return `{` + id + `"date": "2025-01-10", "value": -1, "original_wording": "CB"}`
	}
	account := func(id, extra string) string {
		return `{` + id + `"currency": {"id": "EUR"}, "balance": 1` + extra + `}`
	}
	for _, tc := range []struct {
		name, event, body, path, says string
	}{
		{"TransactionIDNull", freenahi.EventConnectionSynced,
			string(synced(account(`"id": 100,`, `, "transactions": [`+tx(`"id": 1,`)+`, `+tx(`"id": null,`)+`, `+tx(`"id": null,`)+`]`))),
			"connection.accounts[0].transactions[1].id", "is missing"},
		{"TransactionIDAbsent", freenahi.EventConnectionSynced,
			string(synced(account(`"id": 100,`, `, "transactions": [`+tx(``)+`]`))), "connection.accounts[0].transactions[0].id", "is missing"},
		{"TransactionIDNegative", freenahi.EventConnectionSynced,
			string(synced(account(`"id": 100,`, `, "transactions": [`+tx(`"id": -5,`)+`]`))), "connection.accounts[0].transactions[0].id", "is -5"},
		{"AccountIDNull", freenahi.EventConnectionSynced,
			string(synced(account(`"id": 100,`, ``) + `, ` + account(`"id": null,`, ``))), "connection.accounts[1].id", "is missing"},
		{"ConnectionIDNegative", freenahi.EventConnectionSynced,
			`{"connection": {"id": -10, "id_user": 42, "accounts": []}}`, "connection.id", "is -10"},
		{"SourceIDNull", freenahi.EventConnectionSynced,
			`{"connection": {"id": 10, "id_user": 42, "sources": [{"id": null, "name": "openapi"}]}}`, "connection.sources[0].id", "is missing"},
		{"InvestmentIDNull", freenahi.EventConnectionSynced,
			string(synced(account(`"id": 100,`, `, "investments": [{"id": null, "label": "ETF", "valuation": 10}]`))),
			"connection.accounts[0].investments[0].id", "is missing"},
		{"AccountSyncedIDNull", freenahi.EventAccountSynced,
			`{"id": null, "id_connection": 10, "currency": {"id": "EUR"}, "balance": 1}`, "account.id", "is missing"},
		{"AccountDisabledIDZero", freenahi.EventAccountDisabled,
			`{"id": 0, "id_connection": 10, "disabled": "2025-01-01 00:00:00"}`, "id", "is missing"},
		{"ConnectionDeletedIDNull", freenahi.EventConnectionDeleted, `{"id": null, "id_user": 42}`, "id", "is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Engines(t, func(t *testing.T, s *store.Store) {
				u := mustUser(t, s, "a@example.com", 42)
				receive(t, s, freenahi.EventConnectionSynced, "wd:1", 42, synced(account(`"id": 100,`, ``)))
				drain(t, s)
				before := dump(t, s, u.ID)
				e := receive(t, s, tc.event, "wd:2", 42, []byte(tc.body))
				drain(t, s)
				got, _ := s.FindEventByID(ctx, e.ID)
				if want := tc.path + ": " + tc.says; got.Status != freenahi.StatusFailed || !strings.Contains(got.LastError, want) {
					t.Fatalf("event %s, error %q; want failed with %q", got.Status, got.LastError, want)
				}
				if diff := cmp.Diff(before, dump(t, s, u.ID), ignoreClock); diff != "" {
					t.Fatalf("a refused event changed stored data (-before +after):\n%s", diff)
				}
			})
		})
	}
}

// TestApply_CurrencyNull: an account's amounts are never read in a currency
// Powens did not give. With currency null, a known account keeps its
// currency (a JPY account stays JPY, where it used to become EUR and its
// 1,500,000 yen 1,500,000.00 euros); an unknown account with amounts is
// refused; an unknown account without any amount (a disabled account
// waiting for activation, as Powens documents one) is stored with its
// currency unknown, until a payload gives it.
func TestApply_CurrencyNull(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "a@example.com", 42)
		steps := []struct {
			event, body, fails string
		}{
			{freenahi.EventConnectionSynced, string(synced(`{"id": 101, "currency": {"id": "JPY"}, "balance": 1500000}`)), ""},
			{freenahi.EventConnectionSynced, string(synced(`{"id": 101, "currency": null, "balance": 1500000, "coming": -200,
				"transactions": [{"id": 5, "date": "2025-01-10", "value": -1500, "original_wording": "CB TOKYO"}]}`)), ""},
			{freenahi.EventAccountDisabled, `{"id": 101, "id_connection": 10, "currency": null, "balance": 1500000,
				"disabled": "2025-01-20 10:00:00"}`, ""},
			{freenahi.EventConnectionSynced, string(synced(`{"id": 320, "currency": null, "balance": null, "coming": null,
				"disabled": "2026-11-02 10:41:25", "transactions": []}`)), ""},
			{freenahi.EventConnectionSynced, string(synced(`{"id": 320, "currency": null, "balance": 10}`)),
				"connection.accounts[0].currency: is missing, and the account's currency is not known"},
			{freenahi.EventConnectionSynced, string(synced(`{"id": 330, "transactions": [{"id": 6, "date": "2025-01-10", "value": -1}]}`)),
				"connection.accounts[0].currency: is missing"},
		}
		for i, step := range steps {
			e := receive(t, s, step.event, "wd:"+strconv.Itoa(i), 42, []byte(step.body))
			drain(t, s)
			got, _ := s.FindEventByID(ctx, e.ID)
			if step.fails == "" && got.Status != freenahi.StatusProcessed {
				t.Fatalf("step %d: %s %q, want processed", i, got.Status, got.LastError)
			}
			if step.fails != "" && (got.Status != freenahi.StatusFailed || !strings.Contains(got.LastError, step.fails)) {
				t.Fatalf("step %d: %s %q, want failed with %q", i, got.Status, got.LastError, step.fails)
			}
		}
		st := dump(t, s, u.ID)
		yen := accountByPowensID(t, st, 101)
		if got, want := yen.Balance().String(), "1500000 JPY"; got != want {
			t.Errorf("balance %s, want %s", got, want)
		}
		if yen.Disabled == nil {
			t.Error("ACCOUNT_DISABLED without a currency was not recorded")
		}
		if got, want := txByPowensID(t, st, 5).Value().String(), "-1500 JPY"; got != want {
			t.Errorf("transaction %s, want %s", got, want)
		}
		waiting := accountByPowensID(t, st, 320)
		if waiting.Currency.Code != "" || waiting.BalanceMinor != nil || waiting.Disabled == nil {
			t.Errorf("account waiting for activation: currency %q, balance %v, disabled %v; want unknown, none, disabled",
				waiting.Currency.Code, waiting.BalanceMinor, waiting.Disabled)
		}
		for _, a := range st.Accounts {
			if a.PowensID == 330 {
				t.Error("an account with a transaction and no currency was stored")
			}
		}

		receive(t, s, freenahi.EventConnectionSynced, "wd:usd", 42, synced(`{"id": 320, "currency": {"id": "USD"}, "balance": 120.4}`))
		drain(t, s)
		if got, want := accountByPowensID(t, dump(t, s, u.ID), 320).Balance().String(), "120.40 USD"; got != want {
			t.Errorf("once activated: balance %s, want %s", got, want)
		}
	})
}

// TestApply_TransactionMoves: Powens transaction ids are unique per user; a
// transaction listed under another account has moved there, and must not
// stay behind in its old account as well (it would count twice in balances,
// statements and exports). An older event replayed does not move it back; a
// reconcile pull that reads both accounts' whole history moves it, and does
// not take it for vanished from the account it left.
func TestApply_TransactionMoves(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "a@example.com", 42)
		tx := func(id int, date string) string {
			return `{"id": ` + strconv.Itoa(id) + `, "date": "` + date + `", "value": -12.3, "original_wording": "CB ` + strconv.Itoa(id) + `"}`
		}
		account := func(id int, txs ...string) string {
			return `{"id": ` + strconv.Itoa(id) + `, "currency": {"id": "EUR"}, "transactions": [` + strings.Join(txs, ", ") + `]}`
		}
		where := func(t *testing.T, want map[int64]int64) {
			t.Helper()
			st := dump(t, s, u.ID)
			got := map[int64]int64{}
			for _, x := range st.Transactions {
				if x.Deleted != nil {
					continue
				}
				for _, a := range st.Accounts {
					if a.ID == x.AccountID {
						got[x.PowensID] = a.PowensID
					}
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("live transactions by Powens id → account (-want +got):\n%s", diff)
			}
			if len(st.Transactions) != len(want) {
				t.Fatalf("%d transaction rows, want %d (one per Powens id)", len(st.Transactions), len(want))
			}
		}

		first := receive(t, s, freenahi.EventConnectionSynced, "wd:1", 42, synced(account(100, tx(1, "2025-01-10"))+", "+account(101)))
		drain(t, s)
		where(t, map[int64]int64{1: 100})

		receive(t, s, freenahi.EventConnectionSynced, "wd:2", 42, synced(account(101, tx(1, "2025-01-10"))))
		drain(t, s)
		where(t, map[int64]int64{1: 101})

		if err := s.ReplayEvent(ctx, first.ID); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		where(t, map[int64]int64{1: 101})

		pulled := `{"user": {"id": 42}, "connection": {"id": 10, "id_user": 42, "accounts": [` +
			account(101, tx(2, "2025-01-09")) + `, ` + account(100, tx(1, "2025-01-10")) + `]},
			"freenahi_complete_accounts": [101, 100]}`
		receive(t, s, freenahi.EventReconcile, "pull:1", 42, []byte(pulled))
		drain(t, s)
		where(t, map[int64]int64{1: 100, 2: 101})
	})
}
