package sandbox

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// allEvents are every webhook the sandbox can send.
var allEvents = []string{"user_created", "user_deleted", "connection_synced", "connection_deleted", "account_found",
	"account_enabled", "account_disabled", "accounts_fetched", "account_synced"}

// eventOf names a delivery's event from its receiver path.
func eventOf(hk hook) string { return strings.Trim(strings.TrimPrefix(hk.Path, "/webhook/"), "/") }

func TestWebhookSequence(t *testing.T) {
	t.Run("DocumentedOrder", func(t *testing.T) {
		rc := newReceiver(t)
		h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls(allEvents...) })
		tok := h.user()
		c := h.connect(tok, "demo", 201)
		h.activate(tok, c.ID)
		waitWebhooksDelivered(t, h)
		n := len(rc.wait(t, 1))
		h.call("DELETE", "/2.0/users/me", tok, nil, 204, nil)
		waitWebhooksDelivered(t, h)
		var got []string
		for _, hk := range rc.wait(t, n+1) {
			got = append(got, eventOf(hk))
		}
		// Creation: the user, the accounts found, then the sync's events
		// (no account enabled yet); activation: each account enabled, then a
		// sync that sends ACCOUNT_SYNCED per enabled account; deletion.
		want := "user_created account_found account_found account_found account_found accounts_fetched connection_synced " +
			"account_enabled account_enabled account_enabled account_enabled " +
			"accounts_fetched account_synced account_synced account_synced account_synced connection_synced user_deleted"
		if strings.Join(got, " ") != want {
			t.Fatalf("events\n%s\nwant\n%s", strings.Join(got, " "), want)
		}
	})

	t.Run("Bodies", func(t *testing.T) {
		rc := newReceiver(t)
		h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls("accounts_fetched", "account_synced", "connection_synced") })
		tok := h.user()
		c := h.connect(tok, "demo", 201)
		accounts := h.activate(tok, c.ID)
		hooks := rc.wait(t, 2+1+len(accounts)+1)
		var fetched struct {
			Connection struct{ Accounts []map[string]any }
		}
		json.Unmarshal(hooks[0].Body, &fetched)
		if len(fetched.Connection.Accounts) != len(accounts) || fetched.Connection.Accounts[0]["disabled"] == nil {
			t.Fatalf("ACCOUNTS_FETCHED at creation lists %d accounts (disabled %v), want the %d found, disabled",
				len(fetched.Connection.Accounts), fetched.Connection.Accounts[0]["disabled"], len(accounts))
		}
		inSynced, inAccounts := 0, 0
		for _, hk := range hooks[3 : 3+len(accounts)] {
			var a struct {
				ID           int64
				IDConnection int64 `json:"id_connection"`
				Transactions []json.RawMessage
			}
			json.Unmarshal(hk.Body, &a)
			if eventOf(hk) != "account_synced" || a.IDConnection != c.ID {
				t.Fatalf("%s %s", hk.Path, hk.Body[:200])
			}
			inAccounts += len(a.Transactions)
		}
		var synced struct {
			Connection struct {
				Accounts []struct{ Transactions []json.RawMessage }
			}
		}
		json.Unmarshal(hooks[len(hooks)-1].Body, &synced)
		for _, a := range synced.Connection.Accounts {
			inSynced += len(a.Transactions)
		}
		if inAccounts == 0 || inAccounts != inSynced || inSynced != len(h.transactions(tok, "")) {
			t.Fatalf("ACCOUNT_SYNCED carried %d transactions, CONNECTION_SYNCED %d, the API lists %d",
				inAccounts, inSynced, len(h.transactions(tok, "")))
		}
	})

	t.Run("PartialPushes", func(t *testing.T) {
		rc := newReceiver(t)
		h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls("connection_synced") })
		tok := h.user()
		c := h.connect(tok, "partial", 201)
		h.activate(tok, c.ID)
		h.clock.Add(24 * time.Hour)
		h.call("PUT", "/2.0/users/me/connections/"+itoa(c.ID), tok, nil, 200, nil)
		h.clock.Add(24 * time.Hour)
		h.call("PUT", "/2.0/users/me/connections/"+itoa(c.ID), tok, nil, 200, nil)
		type push struct {
			PushType   string `json:"push_type"`
			Connection struct {
				Accounts []struct {
					Disabled     *string
					Transactions []struct{ ID int64 }
				}
			}
		}
		hooks := rc.wait(t, 4)
		var p [4]push
		for i, hk := range hooks[:4] {
			json.Unmarshal(hk.Body, &p[i])
		}
		if p[0].PushType != "accounts" || len(p[0].Connection.Accounts) != 4 || p[0].Connection.Accounts[0].Disabled == nil ||
			p[0].Connection.Accounts[0].Transactions != nil {
			t.Fatalf("creation push: %s", hooks[0].Body)
		}
		if p[1].PushType != "" || p[3].PushType != "" || p[2].PushType != "partial_history" {
			t.Fatalf("push types %q %q %q", p[1].PushType, p[2].PushType, p[3].PushType)
		}
		sent, resent := map[int64]bool{}, 0
		for _, a := range p[1].Connection.Accounts {
			for _, tx := range a.Transactions {
				sent[tx.ID] = true
			}
		}
		for _, a := range p[2].Connection.Accounts {
			for _, tx := range a.Transactions {
				if sent[tx.ID] {
					resent++
				}
			}
		}
		if resent == 0 || resent >= len(sent) {
			t.Fatalf("the partial push sent %d of the %d transactions again, want some, not all", resent, len(sent))
		}
		if got := len(h.transactions(tok, "")); got < len(sent) {
			t.Fatalf("the API lists %d transactions after the partial push, %d were sent before", got, len(sent))
		}
	})

	t.Run("Reissue", func(t *testing.T) {
		h := newHarness(t, nil)
		tok := h.user()
		c := h.connect(tok, "reissue", 201)
		checking := h.activate(tok, c.ID)[0]
		before := h.rawTransactions(tok, checking.ID)
		sync := func() map[string]map[string]any {
			h.call("PUT", "/2.0/users/me/connections/"+itoa(c.ID), tok, nil, 200, nil)
			out := map[string]map[string]any{}
			for _, tx := range h.rawTransactions(tok, checking.ID) {
				out[tx["id"].(json.Number).String()] = tx
			}
			return out
		}
		first := sync()
		second := sync()
		third := sync()
		var deleted, vanished []string
		for _, tx := range before {
			id := tx["id"].(json.Number).String()
			switch {
			case first[id]["deleted"] != nil:
				deleted = append(deleted, id)
			case second[id] == nil:
				vanished = append(vanished, id)
			}
		}
		if len(deleted) != 1 || len(vanished) != 1 || len(third) != len(second) {
			t.Fatalf("deleted %v, vanished %v, third sync %d → %d", deleted, vanished, len(second), len(third))
		}
		for _, old := range []map[string]any{first[deleted[0]], findByID(before, vanished[0])} {
			twins := 0
			for id, tx := range third {
				if id != old["id"].(json.Number).String() && tx["deleted"] == nil && tx["date"] == old["date"] &&
					tx["value"] == old["value"] && tx["original_wording"] == old["original_wording"] {
					twins++
				}
			}
			if twins != 1 {
				t.Errorf("transaction %v has %d live twins under a new id, want 1", old["id"], twins)
			}
		}
	})
}

func findByID(list []map[string]any, id string) map[string]any {
	for _, tx := range list {
		if tx["id"].(json.Number).String() == id {
			return tx
		}
	}
	return nil
}
