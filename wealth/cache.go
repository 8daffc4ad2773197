package wealth

import (
	"context"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
)

// DefaultCacheDays is how many days of history (movements, snapshots and
// computed balances together) a Service keeps in memory when CacheDays is
// zero: about 200 MB at most, the data of some 40 people with 200 accounts
// over three years, or of thousands of people with a few accounts.
const DefaultCacheDays = 4_000_000

// cache keeps, per person and account, the history data read from the
// store and the balances computed from it, each under the version the
// store gave for the account before the data was read: an entry is used
// only while the store still gives that version, so it is never stale.
type cache struct {
	mu    sync.Mutex
	users map[int64]*userCache
	days  int // held by all entries, as noted
	tick  uint64
}

// userCache is one person's entry; its lock is held while it is checked
// and filled, so that concurrent requests after a change read the store
// once, not once each.
type userCache struct {
	mu       sync.Mutex
	userID   int64
	zone     *time.Location
	accounts map[int64]*accountCache
	sums     sumMemo
	days     int    // held by its accounts, under mu
	held     int    // days as last noted, under cache.mu
	used     uint64 // cache.tick at the last use, for eviction
}

// accountCache is one account's data at one version and the histories
// computed from it.
type accountCache struct {
	version int64
	data    *freenahi.HistoryData
	points  map[pointsKey][]freenahi.BalancePoint
}

// pointsKey is everything a history depends on besides the account's data.
type pointsKey struct {
	current     int64
	hasCurrent  bool
	reconstruct bool
	from, to    freenahi.Date
}

// maxPointsPerAccount bounds the histories kept per account: the periods
// a dashboard and an account page ask for.
const maxPointsPerAccount = 4

// staleAfter is the number of stale accounts from which one query for the
// whole person is cheaper than one per account.
const staleAfter = 8

// cachedHistories returns the daily balances of accounts (all the
// person's, ids unique) up to to, from from or, when it is zero, from the
// first day any of them has a balance (firstFrom, counting computed
// balances when computed is set), with that start. It
// reads only the accounts whose data changed since they were cached. ok is
// false when the source cannot say what changed (it does not implement
// HistoryVersioner) or caching is off: the caller reads and computes itself.
func (s *Service) cachedHistories(ctx context.Context, userID int64, accounts []*freenahi.Account, from, to freenahi.Date, computed bool) (points [][]freenahi.BalancePoint, start freenahi.Date, memo *sumMemo, err error) {
	ver, ok := s.Source.(freenahi.HistoryVersioner)
	if !ok || s.CacheDays < 0 {
		return nil, from, nil, nil
	}
	// The versions are read before the data: data read after them is at
	// least as new, and a change after them shows as a new version.
	versions, err := ver.HistoryVersions(ctx, userID)
	if err != nil {
		return nil, from, nil, err
	}
	uc := s.cache.user(userID)
	uc.mu.Lock()
	if uc.zone != s.zone() {
		uc.zone, uc.accounts, uc.days = s.zone(), map[int64]*accountCache{}, 0
	}
	var stale []int64
	for _, a := range accounts {
		if ac := uc.accounts[a.ID]; ac == nil || ac.version != versions[a.ID] {
			stale = append(stale, a.ID)
		}
	}
	if err := s.reload(ctx, userID, uc, stale, versions); err != nil {
		uc.mu.Unlock()
		return nil, from, nil, err
	}
	if from.IsZero() {
		from = firstFrom(accounts, func(id int64) *freenahi.HistoryData { return uc.accounts[id].data }, to, computed)
	}
	// Computed under the person's lock, so that concurrent requests compute
	// each history once.
	points = make([][]freenahi.BalancePoint, len(accounts))
	for i, a := range accounts {
		points[i] = uc.points(a, from, to)
	}
	days := uc.days
	uc.mu.Unlock()
	s.cache.note(uc, days, s.cacheDays())
	return points, from, &uc.sums, nil
}

// points returns a's history from from to to, computed at most once per
// version of its data.
func (uc *userCache) points(a *freenahi.Account, from, to freenahi.Date) []freenahi.BalancePoint {
	ac := uc.accounts[a.ID]
	k := pointsKey{reconstruct: a.Reconstructs(), from: from, to: to}
	if a.BalanceMinor != nil {
		k.current, k.hasCurrent = *a.BalanceMinor, true
	}
	if p, ok := ac.points[k]; ok {
		return p
	}
	p := history(a, ac.data, from, to)
	if len(ac.points) >= maxPointsPerAccount {
		for old, op := range ac.points {
			uc.days -= len(op)
			delete(ac.points, old)
		}
	}
	ac.points[k] = p
	uc.days += len(p)
	return p
}

// reload reads the data of the stale accounts and files it under the
// versions read before.
func (s *Service) reload(ctx context.Context, userID int64, uc *userCache, stale []int64, versions map[int64]int64) error {
	if len(stale) == 0 {
		return nil
	}
	read := map[int64]*freenahi.HistoryData{}
	if len(stale) > staleAfter {
		all, err := s.Source.ReadHistoryData(ctx, userID, nil, freenahi.Date{}, s.zone())
		if err != nil {
			return err
		}
		read = all
	} else {
		for _, id := range stale {
			one, err := s.Source.ReadHistoryData(ctx, userID, &id, freenahi.Date{}, s.zone())
			if err != nil {
				return err
			}
			read[id] = one[id]
		}
	}
	for _, id := range stale {
		if old := uc.accounts[id]; old != nil {
			uc.days -= dataDays(old.data)
			for _, p := range old.points {
				uc.days -= len(p)
			}
		}
		d := read[id]
		if d == nil {
			d = &freenahi.HistoryData{}
		}
		uc.accounts[id] = &accountCache{version: versions[id], data: d, points: map[pointsKey][]freenahi.BalancePoint{}}
		uc.days += dataDays(d)
	}
	return nil
}

func dataDays(d *freenahi.HistoryData) int {
	return len(d.Movements) + len(d.Snapshots) + len(d.Computed)
}

func (s *Service) cacheDays() int {
	if s.CacheDays == 0 {
		return DefaultCacheDays
	}
	return s.CacheDays
}

// user returns the person's entry, created empty, marked as just used.
func (c *cache) user(userID int64) *userCache {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.users == nil {
		c.users = map[int64]*userCache{}
	}
	uc := c.users[userID]
	if uc == nil {
		uc = &userCache{userID: userID, accounts: map[int64]*accountCache{}}
		c.users[userID] = uc
	}
	c.tick++
	uc.used = c.tick
	return uc
}

// note records how many days the person's entry holds and, over budget,
// drops the entries of the people least recently served (never this one:
// a single person over budget is still served from memory).
func (c *cache) note(uc *userCache, days, budget int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.users[uc.userID] != uc {
		return // dropped meanwhile
	}
	c.days += days - uc.held
	uc.held = days
	for c.days > budget {
		var oldest int64
		var o *userCache
		for id, e := range c.users {
			if e != uc && (o == nil || e.used < o.used) {
				oldest, o = id, e
			}
		}
		if o == nil {
			return
		}
		// A request holding o keeps using it; it is simply no longer found.
		delete(c.users, oldest)
		c.days -= o.held
	}
}

// sumMemo keeps the last net-worth series computed for a person (one per
// period asked: the dashboard's daily one, the API's monthly one…) with
// what they were computed from: the same accounts (id, currency, group)
// with the very same cached histories (the same slices, which the memo
// keeps alive, so their addresses cannot be reused by other data) at the
// same dates give the same sums. Histories computed fresh for a request
// never match, so inputs that are not cached are always summed again.
type sumMemo struct {
	mu      sync.Mutex
	entries []sumEntry // most recent last
}

type sumEntry struct {
	histories []freenahi.AccountHistory
	from, to  freenahi.Date
	interval  string
	series    []freenahi.NetWorthSeries
}

// maxSums bounds the series a person's memo keeps.
const maxSums = 4

// sum returns freenahi.SumHistories(hs, SampleDates(from, to, interval)),
// from the memo when its inputs are those of an earlier call.
func (m *sumMemo) sum(hs []freenahi.AccountHistory, from, to freenahi.Date, interval string) []freenahi.NetWorthSeries {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, e := range m.entries {
		if e.from == from && e.to == to && e.interval == interval && sameHistories(e.histories, hs) {
			m.entries = append(append(m.entries[:i:i], m.entries[i+1:]...), e)
			return e.series
		}
	}
	e := sumEntry{from: from, to: to, interval: interval, series: freenahi.SumHistories(hs, freenahi.SampleDates(from, to, interval)),
		histories: make([]freenahi.AccountHistory, len(hs))}
	for i, h := range hs {
		a := *h.Account // a copy: the caller's account may change after
		e.histories[i] = freenahi.AccountHistory{Account: &a, Points: h.Points}
	}
	if len(m.entries) >= maxSums {
		m.entries = m.entries[1:]
	}
	m.entries = append(m.entries, e)
	return e.series
}

func sameHistories(a, b []freenahi.AccountHistory) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Account.ID != y.Account.ID || x.Account.Currency != y.Account.Currency || x.Account.Group() != y.Account.Group() ||
			len(x.Points) != len(y.Points) || (len(x.Points) > 0 && &x.Points[0] != &y.Points[0]) {
			return false
		}
	}
	return true
}
