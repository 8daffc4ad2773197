package sandbox

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Scripted logins (DESIGN §7). The login typed in the credentials form picks
// the connection's behaviour; anything else behaves like "demo".
var scripts = []string{"2fa", "decoupled", "wrongpass", "sca", "webauth", "action", "expired", "down", "ratelimit", "slow", "big",
	"gross", "olderror", "partial", "reissue"}

func scriptOf(login string) string {
	login = strings.ToLower(strings.TrimSpace(login))
	if slices.Contains(scripts, login) || createErrors[login] != nil {
		return login
	}
	return ""
}

// actionMessage is the bank message of the "action" login.
const actionMessage = "Veuillez accepter les nouvelles conditions générales sur le site de votre banque."

// syncKind says who asked for a sync, which decides how SCA-like states end.
type syncKind int

const (
	syncCreate     syncKind = iota // first sync, or new credentials posted
	syncUser                       // the person is present: PUT psu_requested, POST update
	syncBackground                 // automatic: psu_requested=false, retries, /__sandbox/sync
	syncWebauth                    // the person authorized on the bank page
)

// blockingStates need a specific input; a plain sync leaves them as they are.
var blockingStates = []string{"additionalInformationNeeded", "decoupled", "validating", "passwordExpired", "wrongpass"}

// outcomeLocked decides the state a sync of c ends in ("" = success).
func (s *Server) outcomeLocked(c *connection, kind syncKind) (state, message string) {
	if slices.Contains(blockingStates, c.State) && kind != syncWebauth {
		return c.State, c.ErrorMessage
	}
	switch c.Script {
	case "2fa":
		if kind == syncCreate {
			return "additionalInformationNeeded", ""
		}
	case "decoupled":
		if kind == syncCreate {
			return "decoupled", ""
		}
	case "expired":
		if kind == syncCreate {
			return "passwordExpired", ""
		}
	case "down":
		if kind == syncCreate {
			return "websiteUnavailable", ""
		}
	case "ratelimit":
		if kind == syncCreate {
			return "rateLimiting", ""
		}
	case "action", "olderror":
		if kind == syncCreate || c.State == "actionNeeded" && kind == syncBackground {
			return "actionNeeded", actionMessage
		}
	case "sca":
		if c.State == "SCARequired" && kind != syncUser && kind != syncWebauth || c.Armed {
			c.Armed = false
			return "SCARequired", ""
		}
	case "webauth":
		if c.State == "webauthRequired" && kind != syncWebauth || c.Armed {
			c.Armed = false
			return "webauthRequired", ""
		}
	}
	return "", ""
}

// runSyncLocked runs one sync of c: the scripted outcome, then on success the
// discovery of accounts and the new bank data; it always ends with a
// CONNECTION_SYNCED webhook, carrying the non-null state of a failed sync.
func (s *Server) runSyncLocked(c *connection, kind syncKind) {
	now := s.now()
	state, msg := s.outcomeLocked(c, kind)
	c.State, c.ErrorMessage, c.NeedsOTP = state, msg, state == "additionalInformationNeeded"
	c.NextTry = time.Time{}
	for _, src := range c.Sources {
		if src.State != "webauthRequired" || kind == syncWebauth {
			src.State = state
		}
	}
	if state == "" {
		if c.Syncs == 0 && (c.Script == "sca" || c.Script == "webauth") {
			c.Armed = true
		}
		for _, src := range c.Sources {
			if src.State == "" {
				src.LastUpdate = now
				if !src.Ready {
					src.Ready = true
					s.discoverLocked(c, src)
				}
			}
		}
		s.revealLocked(c, now)
		if c.Script == "reissue" {
			s.reissueLocked(c, now)
		}
		c.LastUpdate = now
		c.Syncs++
	}
	if state == "websiteUnavailable" || state == "rateLimiting" {
		// Powens retries these by itself; so does the sandbox.
		c.NextTry = now.Add(s.cfg.RetryDelay)
		id := c.ID
		s.afterLocked(s.cfg.RetryDelay, func() { s.SyncConnection(id) })
	}
	s.touch()
	s.emitSyncedLocked(c)
}

// SyncConnection runs a background sync of one connection (as Powens' daily
// sync does) and reports whether it exists.
func (s *Server) SyncConnection(id int64) bool {
	s.mu.Lock()
	c := s.st.Connections[id]
	slow := c != nil && c.Script == "slow"
	s.mu.Unlock()
	if c == nil {
		return false
	}
	if slow && !s.sleep(s.cfg.SlowDelay) {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c = s.st.Connections[id]; c != nil && !s.closed {
		s.runSyncLocked(c, syncBackground)
	}
	return c != nil
}

// accountsOfLocked lists a connection's accounts by id.
func (s *Server) accountsOfLocked(connID int64) []*account {
	var out []*account
	for _, a := range s.st.Accounts {
		if a.ConnectionID == connID {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b *account) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// revealLocked stores the bank events of c's accounts that happened up to
// now, books the coming transactions whose date has come, and deletes the
// cancelled ones, moving their last_update.
func (s *Server) revealLocked(c *connection, now time.Time) {
	p := s.profile(c)
	today := parisDate(now)
	type pending struct {
		a   *account
		e   event
		seq int
	}
	var fresh []pending
	for _, a := range s.accountsOfLocked(c.ID) {
		for _, t := range a.Txns {
			if t.Coming && t.Deleted.IsZero() && !intDate(t.Date).After(today) {
				if t.Cancel {
					t.Deleted = now
				} else {
					t.Coming = false
				}
				t.LastUpdate = now
			}
		}
		day := p.start
		if !a.Revealed.IsZero() {
			day = parisDate(a.Revealed)
		}
		for ; !day.After(today); day = day.AddDays(1) {
			for _, e := range p.events(a.Slot, day) {
				seen := !a.Revealed.IsZero() && !e.At.After(a.Revealed)
				if seen || e.At.After(now) || e.Cancel && !e.Date.After(today) {
					continue // a pre-authorisation dropped before anyone saw it
				}
				fresh = append(fresh, pending{a, e, len(fresh)})
			}
		}
		a.Revealed = now
		a.LastUpdate = now
	}
	slices.SortStableFunc(fresh, func(x, y pending) int {
		return cmp.Or(x.e.At.Compare(y.e.At), cmp.Compare(x.a.ID, y.a.ID), cmp.Compare(x.seq, y.seq))
	})
	for _, f := range fresh {
		s.st.Seq.Transaction++
		e := f.e
		f.a.Txns = append(f.a.Txns, &txn{ID: s.st.Seq.Transaction, Date: e.Date.Int(), RDate: e.RDate.Int(), At: e.At,
			Minor: e.Minor, Type: e.Type, Label: e.Label, Simple: e.Simple, Card: e.Card, CP: e.CP, Split: e.Split,
			Coming: e.Date.After(today), Cancel: e.Cancel, Scraped: now, LastUpdate: now})
	}
}

// discoverLocked creates the accounts a source finds, disabled until the
// person activates them (Powens' GDPR rule).
func (s *Server) discoverLocked(c *connection, src *connSource) {
	b := s.bankByID(c.ConnectorID)
	p := s.profile(c)
	bySlot := map[int]int64{}
	for _, a := range s.accountsOfLocked(c.ID) {
		bySlot[a.Slot] = a.ID
	}
	now := s.now()
	for _, i := range b.slotsFor(src.Name, c.Website) {
		if bySlot[i] != 0 {
			continue
		}
		sl := b.Slots[i]
		s.st.Seq.Account++
		a := &account{ID: s.st.Seq.Account, ConnectionID: c.ID, UserID: c.UserID, SourceID: src.ID, Slot: i,
			Name: sl.Name, Display: true, Usage: sl.Usage, Disabled: now, LastUpdate: now}
		if sl.Parent >= 0 {
			a.ParentID = bySlot[sl.Parent]
		}
		a.Number, a.IBAN = p.numbers(i)
		for range p.instruments(i) {
			s.st.Seq.Investment++
			a.InvIDs = append(a.InvIDs, s.st.Seq.Investment)
		}
		s.st.Accounts[a.ID] = a
		bySlot[i] = a.ID
		s.emitLocked(c.UserID, c.ID, "account_found", accountFoundJSON{ID: a.ID, IDUser: a.UserID,
			IDConnection: a.ConnectionID, Disabled: datetime{a.Disabled}, Type: sl.Type})
	}
}

// numbers returns an account's number and, for deposit accounts, its IBAN.
func (p *profile) numbers(slot int) (number, iban string) {
	r := p.rng(slot, intDate(0), 5)
	acct := ""
	for range 11 {
		acct += string(rune('0' + r.IntN(10)))
	}
	switch p.bank.Slots[slot].Kind {
	case "checking", "savings":
		bankCode := "9999" + string(rune('0'+p.bank.ID%10))
		return acct, frenchIBAN(bankCode, "00042", acct)
	case "card":
		return "XXXXXXXXXXXX" + acct[7:], ""
	}
	return acct, ""
}
