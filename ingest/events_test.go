package ingest_test

import (
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/google/go-cmp/cmp"
)

// The bodies below follow Powens' webhook documentation (event list and
// shapes: ../shared/reference/powens-api.md §6.2), written by hand.

const accountsFetched = `{
  "id_webhook_data": 11,
  "user": {"id": 42, "signin": "2026-11-02 09:14:07", "platform": "sharedAccess"},
  "connection": {
    "id": 801, "id_user": 42, "id_connector": 40, "connector_uuid": "3a2c0f1e-7b4d-4c1a-9e59-0c7d1f0a4040",
    "state": null, "error": null, "error_message": null, "last_update": "2026-11-02 09:14:07",
    "created": "2026-11-02 09:13:50", "active": true, "last_push": null, "expire": null, "next_try": null,
    "connector": {"id": 40, "uuid": "3a2c0f1e-7b4d-4c1a-9e59-0c7d1f0a4040", "name": "Connecteur de test"},
    "sources": [{"id": 1, "id_connection": 801, "name": "directaccess", "state": null, "last_update": null,
                 "created": "2026-11-02 09:13:50", "disabled": null, "access_expire": "2027-05-01 09:13:50"}],
    "accounts": [
      {"id": 9001, "id_connection": 801, "id_user": 42, "id_parent": null, "number": "0001", "original_name": "Compte chèques",
       "name": "Compte chèques", "balance": 1520.33, "coming": null, "currency": {"id": "EUR", "precision": 2},
       "iban": "FR7630006000011234567890189", "type": "checking", "usage": "PRIV", "bookmarked": false,
       "disabled": "2026-11-02 09:14:00", "deleted": null, "last_update": "2026-11-02 09:14:07", "error": null},
      {"id": 9002, "id_connection": 801, "id_user": 42, "id_parent": null, "number": "0002", "original_name": "Livret A",
       "name": "Livret A", "balance": 3000, "coming": null, "currency": {"id": "EUR", "precision": 2},
       "iban": null, "type": "savings", "usage": "PRIV", "bookmarked": 0,
       "disabled": "2026-11-02 09:14:00", "deleted": null, "last_update": "2026-11-02 09:14:07", "error": null}
    ]
  }
}`

const accountSynced = `{
  "id_webhook_data": 12,
  "id": 9001, "id_connection": 801, "id_user": 42, "id_parent": null, "number": "0001",
  "original_name": "Compte chèques", "name": "Compte chèques", "balance": 1520.33, "coming": -12.5,
  "currency": {"id": "EUR", "precision": 2}, "iban": "FR7630006000011234567890189", "type": "checking",
  "usage": "PRIV", "bookmarked": false, "disabled": null, "deleted": null, "last_update": "2026-11-02 09:14:20",
  "error": null,
  "transactions": [
    {"id": 5001, "id_account": 9001, "date": "2026-10-30", "rdate": "2026-10-29", "vdate": "2026-10-30",
     "value": -42.1, "gross_value": null, "commission": null, "commission_currency": null, "type": "card",
     "original_wording": "CB MONOPRIX 29/10", "simplified_wording": "Monoprix", "wording": null,
     "coming": false, "active": true, "deleted": null, "last_update": "2026-11-02 09:14:20"},
    {"id": 5002, "id_account": 9001, "date": "2026-11-03", "rdate": "2026-11-01", "vdate": null,
     "value": -12.5, "gross_value": null, "commission": null, "commission_currency": null, "type": "deferred_card",
     "original_wording": "CB SNCF 01/11", "simplified_wording": "SNCF", "wording": null,
     "coming": true, "active": true, "deleted": null, "last_update": "2026-11-02 09:14:20"}
  ],
  "investments": []
}`

// connectionSyncedPartial mentions the checking account again with one new
// transaction only, as a partial push does: nothing earlier may vanish.
const connectionSyncedPartial = `{
  "id_webhook_data": 13,
  "push_type": "partial_history",
  "user": {"id": 42},
  "connection": {
    "id": 801, "id_user": 42, "connector_uuid": "3a2c0f1e-7b4d-4c1a-9e59-0c7d1f0a4040",
    "state": null, "error": null, "error_message": null, "last_update": "2026-11-02 09:15:00",
    "connector": {"id": 40, "uuid": "3a2c0f1e-7b4d-4c1a-9e59-0c7d1f0a4040", "name": "Connecteur de test"},
    "accounts": [
      {"id": 9001, "id_connection": 801, "id_user": 42, "number": "0001", "original_name": "Compte chèques",
       "name": "Compte chèques", "balance": 1500.33, "coming": -12.5, "currency": {"id": "EUR", "precision": 2},
       "type": "checking", "disabled": null, "deleted": null, "last_update": "2026-11-02 09:15:00",
       "transactions": [
         {"id": 5003, "id_account": 9001, "date": "2026-11-02", "value": -20, "type": "withdrawal",
          "original_wording": "RETRAIT DAB", "simplified_wording": "Retrait", "wording": null,
          "coming": false, "active": true, "deleted": null, "last_update": "2026-11-02 09:15:00"}
       ]}
    ]
  }
}`

const userSynced = `{
  "id_webhook_data": 14,
  "user": {"id": 42},
  "connections": [
    {"id": 802, "id_user": 42, "state": "SCARequired", "error": null, "error_message": null,
     "last_update": "2026-11-02 10:00:00", "accounts": []},
    {"id": 803, "id_user": 42, "state": null, "error": "actionNeeded", "error_message": "Veuillez accepter les CGU.",
     "last_update": "2026-11-02 10:00:00", "accounts": []}
  ]
}`

// TestApply_SyncSequence: the webhooks of one sync, in Powens' documented
// order — ACCOUNTS_FETCHED, ACCOUNT_SYNCED per account, CONNECTION_SYNCED (a
// partial one here) — and USER_SYNCED each store what they carry, and none
// hides what it does not mention.
func TestApply_SyncSequence(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "ana@example.com", 42)
		for i, ev := range []struct{ event, body string }{
			{freenahi.EventAccountsFetched, accountsFetched},
			{freenahi.EventAccountSynced, accountSynced},
			{freenahi.EventConnectionSynced, connectionSyncedPartial},
			{freenahi.EventUserSynced, userSynced},
		} {
			e := receive(t, s, ev.event, "wd:"+string(rune('a'+i)), 42, []byte(ev.body))
			drain(t, s)
			if got, _ := s.FindEventByID(ctx, e.ID); got.Status != freenahi.StatusProcessed {
				t.Fatalf("%s: %s %q; want processed", ev.event, got.Status, got.LastError)
			}
		}
		st := dump(t, s, u.ID)
		checking, savings := accountByPowensID(t, st, 9001), accountByPowensID(t, st, 9002)
		if checking.Disabled != nil {
			t.Errorf("the checking account, synced after its activation, is still disabled: %v", checking.Disabled)
		}
		if savings.Disabled == nil {
			t.Errorf("the savings account, fetched but never activated, should wait for activation")
		}
		for _, id := range []int64{5001, 5002, 5003} {
			txByPowensID(t, st, id) // the partial push kept 5001 and 5002
		}
		if got := txByPowensID(t, st, 5002); !got.Coming {
			t.Errorf("transaction 5002 should be coming")
		}
		states := map[int64]freenahi.ConnectionState{}
		for _, c := range st.Connections {
			states[c.PowensID] = c.State
		}
		if states[801] != freenahi.StateOK || states[802] != freenahi.StateSCARequired {
			t.Errorf("connection states %v", states)
		}
		// The problem of connection 803 sits in the deprecated error field.
		if states[803] != freenahi.StateActionNeeded {
			t.Errorf("connection 803 with error=actionNeeded and state null is %q, want actionNeeded", states[803])
		}
	})
}

// TestApply_AccountSyncedBeforeItsConnection: on a first sync, ACCOUNT_SYNCED
// arrives before any CONNECTION_SYNCED has made the connection known.
func TestApply_AccountSyncedBeforeItsConnection(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "ana@example.com", 42)
		e := receive(t, s, freenahi.EventAccountSynced, "wd:12", 42, []byte(accountSynced))
		drain(t, s)
		if got, _ := s.FindEventByID(ctx, e.ID); got.Status != freenahi.StatusProcessed {
			t.Fatalf("account_synced: %s %q", got.Status, got.LastError)
		}
		st := dump(t, s, u.ID)
		if len(st.Connections) != 1 || st.Connections[0].PowensID != 801 || len(st.Transactions) != 2 {
			t.Fatalf("connections %+v, %d transactions; want connection 801 made from the account, 2 transactions",
				st.Connections, len(st.Transactions))
		}
		receive(t, s, freenahi.EventConnectionSynced, "wd:13", 42, []byte(connectionSyncedPartial))
		drain(t, s)
		st = dump(t, s, u.ID)
		if len(st.Connections) != 1 || st.Connections[0].BankName != "Connecteur de test" || len(st.Transactions) != 3 {
			t.Fatalf("after CONNECTION_SYNCED: %+v, %d transactions", st.Connections, len(st.Transactions))
		}
	})
}

// TestApply_IgnoredEvents: every event Powens may send is kept; those that
// carry nothing freenahi stores are marked ignored, say why, change nothing,
// and can be replayed.
func TestApply_IgnoredEvents(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "ana@example.com", 42)
		before := dump(t, s, u.ID)
		for i, ev := range []struct{ event, body string }{
			{freenahi.EventUserCreated, `{"id": 42, "signin": "2026-11-02 09:14:07", "platform": "sharedAccess", "id_webhook_data": 1}`},
			{"account_categorized", `{"id": 9001, "id_user": 42, "transactions": [], "id_webhook_data": 2}`},
			{"a_future_event", `{"user": {"id": 42}, "something": [1, 2, 3], "id_webhook_data": 3}`},
		} {
			e := receive(t, s, ev.event, "wd:i"+string(rune('0'+i)), 42, []byte(ev.body))
			drain(t, s)
			got, _ := s.FindEventByID(ctx, e.ID)
			if got.Status != freenahi.StatusIgnored || !strings.Contains(got.LastError, strings.ToUpper(ev.event)) {
				t.Fatalf("%s: %s %q; want ignored, saying why", ev.event, got.Status, got.LastError)
			}
			if err := s.ReplayEvent(ctx, e.ID); err != nil {
				t.Fatalf("replay of an ignored %s: %v", ev.event, err)
			}
			drain(t, s)
		}
		if diff := cmpState(before, dump(t, s, u.ID)); diff != "" {
			t.Fatalf("ignored events changed stored data:\n%s", diff)
		}
	})
}

func cmpState(a, b *state) string { return cmp.Diff(a, b, ignoreClock) }

// TestApply_CompleteHistory: a pull of a connection's whole history names
// the accounts it carries in full. Their stored transactions it no longer
// lists (a bank reissued them under new ids, and the old id vanished) are
// marked deleted — but only within the dates the pull covers, and only for
// those accounts.
func TestApply_CompleteHistory(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "ana@example.com", 42)
		receive(t, s, freenahi.EventAccountSynced, "wd:12", 42, []byte(accountSynced))              // 5001 (30 Oct), 5002 (3 Nov)
		receive(t, s, freenahi.EventConnectionSynced, "wd:13", 42, []byte(connectionSyncedPartial)) // 5003 (2 Nov)
		drain(t, s)
		// The full pull lists 5003 (2 Nov) and a reissued 5004 in place of 5002.
		full := strings.Replace(connectionSyncedPartial, `"push_type": "partial_history",`, `"freenahi_complete_accounts": [9001],`, 1)
		full = strings.Replace(full, `"id_webhook_data": 13,`, ``, 1)
		full = strings.Replace(full, `"transactions": [`, `"transactions": [
         {"id": 5004, "id_account": 9001, "date": "2026-11-03", "value": -12.5, "type": "deferred_card",
          "original_wording": "CB SNCF 01/11", "coming": true, "deleted": null},`, 1)
		e := receive(t, s, freenahi.EventReconcile, "pull:801:1", 42, []byte(full))
		drain(t, s)
		if got, _ := s.FindEventByID(ctx, e.ID); got.Status != freenahi.StatusProcessed {
			t.Fatalf("pull: %s %q", got.Status, got.LastError)
		}
		st := dump(t, s, u.ID)
		if txByPowensID(t, st, 5002).Deleted == nil {
			t.Error("5002, no longer listed within the pulled dates, is still live")
		}
		if txByPowensID(t, st, 5001).Deleted != nil {
			t.Error("5001, dated before the pull's first date, was marked deleted")
		}
		for _, id := range []int64{5003, 5004} {
			if txByPowensID(t, st, id).Deleted != nil {
				t.Errorf("%d, listed by the pull, is deleted", id)
			}
		}

		// The same body as a webhook (no marker) deletes nothing.
		webhook := strings.Replace(full, `"freenahi_complete_accounts": [9001],`, `"id_webhook_data": 99,`, 1)
		webhook = strings.Replace(webhook, `"id": 5004,`, `"id": 5005,`, 1)
		receive(t, s, freenahi.EventConnectionSynced, "wd:99", 42, []byte(webhook))
		drain(t, s)
		if txByPowensID(t, dump(t, s, u.ID), 5004).Deleted != nil {
			t.Error("a webhook, which lists only what is new, deleted what it did not list")
		}
	})
}
