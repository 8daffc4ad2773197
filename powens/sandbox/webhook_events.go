package sandbox

import (
	"encoding/json"
	"log/slog"
	"slices"
	"strconv"
	"time"
)

// emitLocked queues an event for its configured URL. Bodies get the
// delivery's id_webhook_data; a temporary user's events are held until it
// becomes permanent, as Powens only pushes to permanent users.
func (s *Server) emitLocked(userID, connID int64, event string, body any) {
	target := s.cfg.WebhookURLs[event]
	if target == "" {
		return
	}
	b, err := json.Marshal(body)
	if err != nil || len(b) < 2 || b[0] != '{' {
		s.log.Error("webhook body", slog.String("event", event), slog.Any("error", err))
		return
	}
	s.st.Seq.Webhook++
	d := &delivery{ID: s.st.Seq.Webhook, Event: event, UserID: userID, ConnectionID: connID, URL: target, NextAt: time.Now(), Body: b}
	if c := s.st.Connections[connID]; c == nil || !s.bankByID(c.ConnectorID).Legacy {
		// Older pushes, like the legacy bank's, carry no id_webhook_data.
		prefix := `{"id_webhook_data":` + strconv.FormatInt(d.ID, 10)
		if len(b) > 2 {
			prefix += ","
		}
		d.Body = append([]byte(prefix), b[1:]...)
	}
	s.touch()
	if u := s.st.Users[userID]; u == nil || !u.Permanent {
		if len(s.st.Held) < maxPending {
			s.st.Held = append(s.st.Held, d)
		}
		return
	}
	d.Token = s.webhookTokenLocked(userID)
	s.queueLocked(d)
}

// pushed is what one sync brings for one enabled account: the transactions
// not sent before (plus those a partial push sends again) and the day's
// investment valuations.
type pushed struct {
	a   *account
	txs []transactionJSON
	inv []investmentJSON
}

// emitSyncedLocked sends the webhooks of one sync of c in the order Powens
// documents: ACCOUNTS_FETCHED (the accounts found, enabled or waiting for
// activation), ACCOUNT_SYNCED for each enabled account with its new
// transactions, then CONNECTION_SYNCED. A failed sync sends only
// CONNECTION_SYNCED, with the connection's state. Each event goes only to
// its configured URL; the transactions are marked sent either way.
func (s *Server) emitSyncedLocked(c *connection) {
	u := s.st.Users[c.UserID]
	if u == nil {
		return
	}
	hooks := s.cfg.WebhookURLs
	build := hooks["accounts_fetched"] != "" || hooks["account_synced"] != "" || hooks["connection_synced"] != ""
	pushType := s.pushTypeLocked(c)
	accounts := s.pushLocked(c, pushType, build)
	ok := c.visibleState() == ""
	if ok && s.cfg.WebhookURLs["accounts_fetched"] != "" {
		conn := s.connJSONLocked(c, map[string]bool{"connector": true, "sources": true})
		conn.Accounts = []*accountJSON{}
		for _, a := range s.accountsOfLocked(c.ID) {
			if a.Deleted.IsZero() {
				conn.Accounts = append(conn.Accounts, s.accountJSONLocked(a))
			}
		}
		s.emitLocked(c.UserID, c.ID, "accounts_fetched", accountsFetchedJSON{User: s.userJSON(u), Connection: conn})
	}
	if ok && s.cfg.WebhookURLs["account_synced"] != "" {
		for _, p := range accounts {
			body := &accountSyncedJSON{accountJSON: s.accountJSONLocked(p.a), PushType: pushType}
			body.Transactions, body.Investments = p.txs, p.inv
			s.emitLocked(c.UserID, c.ID, "account_synced", body)
		}
	}
	if s.cfg.WebhookURLs["connection_synced"] == "" {
		return
	}
	conn := s.connJSONLocked(c, map[string]bool{"connector": true, "sources": true})
	conn.Accounts = []*accountJSON{}
	for _, p := range accounts {
		pa := s.accountJSONLocked(p.a)
		pa.Transactions, pa.Investments = p.txs, p.inv
		conn.Accounts = append(conn.Accounts, pa)
	}
	if pushType == "accounts" {
		// A push of the accounts alone: those found, none with transactions.
		for _, a := range s.accountsOfLocked(c.ID) {
			if a.Deleted.IsZero() && !a.Disabled.IsZero() {
				conn.Accounts = append(conn.Accounts, s.accountJSONLocked(a))
			}
		}
	}
	s.emitLocked(c.UserID, c.ID, "connection_synced", connectionSyncedJSON{PushType: pushType, User: s.userJSON(u), Connection: conn})
}

// pushLocked gathers, for each enabled account of c, the transactions not
// sent before (marking them sent) and the investments of the day; a
// partial_history push also sends again half of the last 30 days. Without
// build, nothing is rendered: no event wants it.
func (s *Server) pushLocked(c *connection, pushType string, build bool) []pushed {
	today := parisDate(s.now())
	p := s.profile(c)
	var out []pushed
	for _, a := range s.accountsOfLocked(c.ID) {
		if !a.Disabled.IsZero() || !a.Deleted.IsZero() {
			continue
		}
		ap := pushed{a: a, txs: []transactionJSON{}}
		for i, t := range a.Txns {
			resend := pushType == "partial_history" && t.Announced && t.Deleted.IsZero() && i%2 == 0 &&
				!intDate(t.Date).Before(today.AddDays(-30))
			if (!t.Announced || resend) && build {
				ap.txs = append(ap.txs, txnJSON(a, t))
			}
			t.Announced = true
		}
		if len(a.InvIDs) > 0 && a.InvAnnounced < today.Int() {
			a.InvAnnounced = today.Int()
			if build {
				ap.inv = s.investmentsJSON(p, a, today)
			}
		}
		out = append(out, ap)
	}
	return out
}

// pushTypeLocked is the push_type of c's next CONNECTION_SYNCED: "" for a
// plain push; for the "partial" login, "accounts" while no account is
// enabled, then "partial_history" once, on the first sync after the
// transactions were pushed in full.
func (s *Server) pushTypeLocked(c *connection) string {
	if c.Script != "partial" || c.visibleState() != "" {
		return ""
	}
	enabled, sent := false, false
	for _, a := range s.accountsOfLocked(c.ID) {
		if a.Disabled.IsZero() && a.Deleted.IsZero() {
			enabled = true
			sent = sent || slices.ContainsFunc(a.Txns, func(t *txn) bool { return t.Announced })
		}
	}
	switch {
	case !enabled:
		return "accounts"
	case sent && !c.PartialSent:
		c.PartialSent = true
		return "partial_history"
	}
	return ""
}
