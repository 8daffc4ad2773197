package api

import (
	"context"
	"encoding/json"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/internal/lru"
)

// netWorthCacheBytes bounds the net-worth answers kept in memory: a
// monthly series over three years is about 10 KB, a daily one 300 KB.
const netWorthCacheBytes = 16 << 20

// netWorthKey is a net-worth question, as parsed: the answer depends on
// nothing else but the person's data and the day.
type netWorthKey struct {
	userID   int64
	from, to freenahi.Date
	interval string
}

// netWorthEntry is an answer as computed under a page version on a day.
type netWorthEntry struct {
	version string
	today   freenahi.Date
	body    json.RawMessage
}

func newNetWorthCache() *lru.Cache[netWorthKey, *netWorthEntry] {
	return lru.New[netWorthKey, *netWorthEntry](netWorthCacheBytes)
}

// today is the history service's day, which a net worth without an end
// ends on; ok is false when the service does not tell it.
type todayTeller interface{ Today() freenahi.Date }

// cachedNetWorth returns the body of GET /api/v1/networth, from the cache
// when the store's page version of the person and the history service's
// day are those it was computed under (the version read first, so that an
// entry is never older than its version; see ui.cachedDashboard).
func (s *Handler) cachedNetWorth(ctx context.Context, q freenahi.NetWorthQuery) (json.RawMessage, error) {
	tt, ok := s.History.(todayTeller)
	if s.Pages == nil || !ok {
		return s.netWorthJSON(ctx, q)
	}
	version, err := s.Pages.PageVersion(ctx, q.UserID)
	if err != nil {
		return nil, err
	}
	today := tt.Today()
	key := netWorthKey{userID: q.UserID, from: q.From, to: q.To, interval: q.Interval}
	e, err := s.netWorths.GetOrFill(key, func(e *netWorthEntry) bool { return e.version == version && e.today == today },
		func() (*netWorthEntry, int, error) {
			body, err := s.netWorthJSON(ctx, q)
			if err != nil {
				return nil, 0, err
			}
			return &netWorthEntry{version: version, today: today, body: body}, len(body) + len(version) + 64, nil
		})
	if err != nil {
		return nil, err
	}
	return e.body, nil
}
