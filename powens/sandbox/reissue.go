package sandbox

import (
	"slices"
	"time"
)

// maxReissues is how many transactions a "reissue" connection re-issues.
const maxReissues = 2

// reissueLocked is the "reissue" login: the bank changes the reference of
// a booked transaction, so Powens shows it again under a new id, with the
// same dates, amount and wording. Once the checking account's history has
// been pushed, each sync re-issues its latest booked transaction: the
// first time the old id is marked deleted, the second time it vanishes
// from the API altogether.
func (s *Server) reissueLocked(c *connection, now time.Time) {
	if c.Reissued >= maxReissues {
		return
	}
	for _, a := range s.accountsOfLocked(c.ID) {
		if s.profile(c).bank.Slots[a.Slot].Kind != "checking" || !a.Disabled.IsZero() {
			continue
		}
		i := slices.IndexFunc(a.Txns, func(t *txn) bool { return t.Announced })
		if i < 0 {
			return // not pushed yet: nothing the receiver could have kept
		}
		old := latestBooked(a)
		if old == nil {
			return
		}
		s.st.Seq.Transaction++
		fresh := *old
		fresh.ID, fresh.Scraped, fresh.LastUpdate, fresh.Announced, fresh.ReissuedFrom = s.st.Seq.Transaction, now, now, false, old.ID
		if c.Reissued == 0 {
			old.Deleted, old.LastUpdate = now, now
		} else {
			a.Txns = slices.DeleteFunc(a.Txns, func(t *txn) bool { return t == old })
		}
		old.Reissued = true
		a.Txns = append(a.Txns, &fresh)
		c.Reissued++
		return
	}
}

// latestBooked is the account's most recent booked, live transaction that
// was not re-issued already, or nil.
func latestBooked(a *account) *txn {
	var best *txn
	for _, t := range a.Txns {
		if t.Coming || !t.Deleted.IsZero() || t.Reissued || t.ReissuedFrom != 0 || t.Split != nil {
			continue
		}
		if best == nil || t.Date > best.Date || t.Date == best.Date && t.ID > best.ID {
			best = t
		}
	}
	return best
}
