// Package wealth tells a person what they own: balance histories rebuilt
// from transactions and snapshots, net worth over time, portfolios and
// loans. It orchestrates the domain's pure functions over the store.
package wealth

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/freenahi/freenahi"
)

var _ freenahi.HistoryService = (*Service)(nil)

// paris is Powens' zone, in which its dates are days.
var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// Service serves balance and net-worth histories. Set its fields before use.
type Service struct {
	Accounts freenahi.AccountService
	Source   freenahi.HistorySource
	// Assets, when set, adds the person's manual assets to net worth.
	Assets freenahi.AssetService
	// Location is the zone whose days the histories count in; Powens'
	// own, Europe/Paris, when nil.
	Location *time.Location
	Now      func() time.Time
	// CacheDays bounds the days of history kept in memory between requests
	// (DefaultCacheDays when zero; negative: no cache). The cache is used
	// only with a Source that implements freenahi.HistoryVersioner.
	CacheDays int

	cache cache
}

func (s *Service) zone() *time.Location {
	if s.Location == nil {
		return paris
	}
	return s.Location
}

// Today returns the current day in the service's zone.
func (s *Service) Today() freenahi.Date {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return freenahi.DateOf(now().In(s.zone()))
}

// AccountHistory returns the daily balances of one of the user's accounts.
// Without from it starts the day before its first known movement (the
// balance before any transaction) or at its first snapshot.
func (s *Service) AccountHistory(ctx context.Context, userID, accountID int64, from, to freenahi.Date) (*freenahi.AccountHistory, error) {
	from, to, err := s.period(from, to)
	if err != nil {
		return nil, err
	}
	a, err := s.Accounts.FindVisibleAccount(ctx, userID, accountID)
	if err != nil {
		return nil, err
	}
	if pts, _, memo, err := s.cachedHistories(ctx, userID, []*freenahi.Account{a}, from, to, true); err != nil {
		return nil, fmt.Errorf("history of account %d: %w", a.ID, err)
	} else if memo != nil {
		return &freenahi.AccountHistory{Account: a, Points: pts[0]}, nil
	}
	data, err := s.Source.ReadHistoryData(ctx, userID, &a.ID, from, s.zone())
	if err != nil {
		return nil, fmt.Errorf("history of account %d: %w", a.ID, err)
	}
	return &freenahi.AccountHistory{Account: a, Points: history(a, data[a.ID], from, to)}, nil
}

// period checks a requested period and fills in To (today).
func (s *Service) period(from, to freenahi.Date) (freenahi.Date, freenahi.Date, error) {
	if to.IsZero() {
		to = s.Today()
	}
	if !from.IsZero() && to.Before(from) {
		return from, to, freenahi.FieldErrorf("to", "%s is before the start date %s", to, from)
	}
	return from, to, nil
}

// history rebuilds one account's days; from may be zero (from its start).
func history(a *freenahi.Account, data *freenahi.HistoryData, from, to freenahi.Date) []freenahi.BalancePoint {
	if data == nil {
		data = &freenahi.HistoryData{}
	}
	if from.IsZero() {
		from = firstDay(a, data, to, true)
	}
	return freenahi.BalanceHistory(freenahi.HistoryInput{HistoryData: *data, Current: a.BalanceMinor, From: from, To: to,
		Reconstruct: a.Reconstructs()})
}

// firstDay is where an account's full history starts: the day before its
// first movement when it is rebuilt from them, else its first computed
// balance (when asked for) or snapshot; to when it has none.
func firstDay(a *freenahi.Account, data *freenahi.HistoryData, to freenahi.Date, computed bool) freenahi.Date {
	first := data.FirstDay()
	if !a.Reconstructs() {
		// Its movements do not tell its value: it starts when a value is
		// known, computed (a loan's past) or reported.
		first = freenahi.Date{}
		if computed && len(data.Computed) > 0 {
			first = data.Computed[0].Date
		} else if len(data.Snapshots) > 0 {
			first = data.Snapshots[0].Date
		}
	} else if len(data.Movements) > 0 && !data.Movements[0].Date.After(first) {
		first = data.Movements[0].Date.AddDays(-1)
	}
	if first.IsZero() || first.After(to) {
		return to
	}
	return first
}

// firstFrom is where a history of accounts without a start begins: the
// earliest first day of those that have data; to when none has. For net
// worth (computed false) a loan's computed past does not move it back: it
// fills the days the person's other accounts tell (a mortgage no longer
// enters net worth as a fall on the day of its first sync) without drawing
// years of a debt alone before them; a loan's own history starts when it
// was lent.
func firstFrom(accounts []*freenahi.Account, data func(id int64) *freenahi.HistoryData, to freenahi.Date, computed bool) freenahi.Date {
	from := to
	for _, a := range accounts {
		if d := data(a.ID); d != nil {
			if f := firstDay(a, d, to, computed); f.Before(from) {
				from = f
			}
		}
	}
	return from
}

// NetWorth sums the histories of the user's counted accounts per currency
// at each date of the interval. Without From it starts at the first day any
// account has a balance.
func (s *Service) NetWorth(ctx context.Context, q freenahi.NetWorthQuery) (*freenahi.NetWorth, error) {
	switch q.Interval {
	case "":
		q.Interval = freenahi.IntervalMonth
	case freenahi.IntervalDay, freenahi.IntervalWeek, freenahi.IntervalMonth:
	default:
		return nil, freenahi.FieldErrorf("interval", "%q is not day, week or month", q.Interval)
	}
	from, to, err := s.period(q.From, q.To)
	if err != nil {
		return nil, err
	}
	accounts := q.Accounts
	if accounts == nil {
		if accounts, err = s.Accounts.FindAccounts(ctx, freenahi.AccountFilter{UserID: q.UserID, WithShared: true}); err != nil {
			return nil, err
		}
	}
	accounts = counted(accounts)
	assets, values, err := s.readAssets(ctx, q.UserID)
	if err != nil {
		return nil, err
	}
	pts, from, memo, err := s.accountHistories(ctx, q.UserID, accounts, from, to)
	if err != nil {
		return nil, err
	}
	// Without a start asked for, net worth starts at the first day anything
	// counted has a value: an asset valued before every account's history
	// moves the start back, and the accounts' histories are read again from
	// there.
	if q.From.IsZero() {
		if early := assetsFirstDay(values, from); early.Before(from) {
			from = early
			if pts, from, memo, err = s.accountHistories(ctx, q.UserID, accounts, from, to); err != nil {
				return nil, err
			}
		}
	}
	nw := &freenahi.NetWorth{From: from, To: to, Interval: q.Interval}
	for i, a := range accounts {
		nw.Accounts = append(nw.Accounts, freenahi.AccountHistory{Account: a, Points: pts[i]})
	}
	dates := freenahi.SampleDates(from, to, q.Interval)
	if memo != nil {
		nw.Series = memo.sum(nw.Accounts, from, to, q.Interval)
	} else {
		nw.Series = freenahi.SumHistories(nw.Accounts, dates)
	}
	if len(assets) > 0 {
		for _, a := range assets {
			nw.Assets = append(nw.Assets, freenahi.AssetHistory{Asset: a, Points: freenahi.AssetPoints(a, values[a.ID], from, to)})
		}
		// A copy: the memoised sums are shared between requests, and
		// AddAssets adds into the series it is given.
		nw.Series = freenahi.AddAssets(cloneSeries(nw.Series), nw.Assets, dates)
	}
	return nw, nil
}

// accountHistories returns the daily points of accounts from from (or from
// their first day when from is zero) to to: from the cache when the store
// keeps versions, else read and rebuilt now (memo nil).
func (s *Service) accountHistories(ctx context.Context, userID int64, accounts []*freenahi.Account, from, to freenahi.Date) ([][]freenahi.BalancePoint, freenahi.Date, *sumMemo, error) {
	pts, from, memo, err := s.cachedHistories(ctx, userID, accounts, from, to, false)
	if err != nil {
		return nil, from, nil, fmt.Errorf("net worth of user %d: %w", userID, err)
	}
	if memo != nil {
		return pts, from, memo, nil
	}
	data, err := s.Source.ReadHistoryData(ctx, userID, nil, from, s.zone())
	if err != nil {
		return nil, from, nil, fmt.Errorf("net worth of user %d: %w", userID, err)
	}
	if from.IsZero() {
		from = firstFrom(accounts, func(id int64) *freenahi.HistoryData { return data[id] }, to, false)
	}
	pts = make([][]freenahi.BalancePoint, len(accounts))
	for i, a := range accounts {
		pts[i] = history(a, data[a.ID], from, to)
	}
	return pts, from, nil, nil
}

// cloneSeries copies series and their points.
func cloneSeries(series []freenahi.NetWorthSeries) []freenahi.NetWorthSeries {
	out := make([]freenahi.NetWorthSeries, len(series))
	for i, x := range series {
		out[i] = freenahi.NetWorthSeries{Currency: x.Currency, Points: slices.Clone(x.Points)}
	}
	return out
}

// counted are the accounts net worth counts: active ones the person has
// neither hidden nor archived, as the accounts page totals them.
func counted(accounts []*freenahi.Account) []*freenahi.Account {
	var out []*freenahi.Account
	for _, a := range accounts {
		if a.Counted() {
			out = append(out, a)
		}
	}
	return out
}
