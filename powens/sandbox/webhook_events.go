package sandbox

import (
	"encoding/json"
	"log/slog"
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
	d := &delivery{ID: s.st.Seq.Webhook, Event: event, UserID: userID, ConnectionID: connID, URL: target, NextAt: time.Now()}
	prefix := `{"id_webhook_data":` + strconv.FormatInt(d.ID, 10)
	if len(b) > 2 {
		prefix += ","
	}
	d.Body = append([]byte(prefix), b[1:]...)
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

// emitSyncedLocked sends CONNECTION_SYNCED for c: the connection with its
// connector and sources, and its activated accounts with the transactions and
// investments not sent before.
func (s *Server) emitSyncedLocked(c *connection) {
	if s.cfg.WebhookURLs["connection_synced"] == "" {
		return
	}
	u := s.st.Users[c.UserID]
	if u == nil {
		return
	}
	today := parisDate(s.now())
	conn := s.connJSONLocked(c, map[string]bool{"connector": true, "sources": true})
	conn.Accounts = []*accountJSON{}
	p := s.profile(c)
	for _, a := range s.accountsOfLocked(c.ID) {
		if !a.Disabled.IsZero() || !a.Deleted.IsZero() {
			continue
		}
		pa := s.accountJSONLocked(a)
		pa.Transactions = []transactionJSON{}
		for _, t := range a.Txns {
			if !t.Announced {
				t.Announced = true
				pa.Transactions = append(pa.Transactions, txnJSON(a, t))
			}
		}
		if len(a.InvIDs) > 0 && a.InvAnnounced < today.Int() {
			a.InvAnnounced = today.Int()
			pa.Investments = s.investmentsJSON(p, a, today)
		}
		conn.Accounts = append(conn.Accounts, pa)
	}
	s.emitLocked(c.UserID, c.ID, "connection_synced", connectionSyncedJSON{User: s.userJSON(u), Connection: conn})
}
