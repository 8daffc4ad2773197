package freenahi

import (
	"context"
	"slices"
	"time"
)

// BalanceSource says where a point of a balance history comes from.
type BalanceSource string

// Balance sources.
const (
	// SourceSnapshot is the balance a sync reported that day (its last one).
	SourceSnapshot BalanceSource = "snapshot"
	// SourceReconstructed is a later known balance minus the booked
	// transactions dated after the day: the rule statements use.
	SourceReconstructed BalanceSource = "reconstructed"
	// SourceCarried is the latest earlier snapshot carried forward, for
	// accounts whose value moves without transactions (investments follow
	// the market, loans accrue interest).
	SourceCarried BalanceSource = "carried"
	// SourceComputed is a loan's balance before its first known one,
	// computed from its terms (LoanPast), and carried to the next.
	SourceComputed BalanceSource = "computed"
)

// BalancePoint is an account's balance at the end of one day.
type BalancePoint struct {
	Date         Date
	BalanceMinor int64
	Source       BalanceSource
}

// DayAmount is an amount tied to one day: the sum of an account's booked
// transactions of that day, or the last balance a sync reported that day.
type DayAmount struct {
	Date  Date
	Minor int64
}

// HistoryData is what an account's balance history is rebuilt from.
type HistoryData struct {
	// Movements are the sums of the booked, non-deleted transactions with
	// a known amount, one per day, oldest first, from the query's start on
	// (none later left out).
	Movements []DayAmount
	// Snapshots are the balances reported at syncs, the last of each day,
	// oldest first: those from the query's start on and the last before it.
	Snapshots []DayAmount
	// Computed are balances computed, not reported, all before the first
	// snapshot, oldest first: a loan's past from its terms (LoanPast), all
	// of it whatever the query's start. Only accounts that do not
	// reconstruct have them.
	Computed []DayAmount
}

// HistoryInput is what BalanceHistory needs for one account.
type HistoryInput struct {
	HistoryData
	// Current is the account's balance as of its latest sync; nil when
	// Powens gave none.
	Current *int64
	// From and To bound the days given, both included.
	From, To Date
	// Reconstruct rebuilds the days between snapshots from transactions;
	// otherwise the latest snapshot is carried forward.
	Reconstruct bool
}

// Reconstructs reports whether a's past balances follow from its
// transactions: true for checking, savings and other accounts; false for
// investments (valued at market prices) and loans (interest and insurance
// are not transactions of the account).
func (a *Account) Reconstructs() bool {
	// The type decides, not the group the person chose: the arithmetic
	// follows what the account is.
	g := GroupOf(a.Type)
	return g != GroupInvestments && g != GroupLoans
}

// BalanceHistory returns one point per day from in.From to in.To (fewer
// when the balance of the first days is unknown), oldest first.
//
// Reconstructed: the balance at the end of day d is that of the nearest
// anchor at or after d (a snapshot of that day, else the current balance)
// minus the booked transactions dated after d and up to the anchor. A day
// with a snapshot shows the snapshot, so a bank balance that disagrees with
// the transactions shows as a step on the day after it, never hidden.
// Carried: each day shows the latest snapshot at or before it.
func BalanceHistory(in HistoryInput) []BalancePoint {
	if in.To.Before(in.From) || in.From.IsZero() {
		return nil
	}
	if in.Reconstruct {
		return reconstruct(in)
	}
	return carry(in)
}

func reconstruct(in HistoryInput) []BalancePoint {
	var bal int64
	known := in.Current != nil
	if known {
		bal = *in.Current
	}
	// The walk starts after the last movement and snapshot, even past To,
	// so that a day's balance does not depend on the window asked for.
	last := in.To
	for _, s := range [][]DayAmount{in.Movements, in.Snapshots} {
		if len(s) > 0 && s[len(s)-1].Date.After(last) {
			last = s[len(s)-1].Date
		}
	}
	mi, si := len(in.Movements)-1, len(in.Snapshots)-1
	out := make([]BalancePoint, 0, daysBetween(in.From, in.To)+1)
	for d := last; !d.Before(in.From); d = prevDay(d) {
		src := SourceReconstructed
		if si >= 0 && in.Snapshots[si].Date == d {
			bal, known, src = in.Snapshots[si].Minor, true, SourceSnapshot
			si--
		}
		if known && !d.After(in.To) {
			out = append(out, BalancePoint{Date: d, BalanceMinor: bal, Source: src})
		}
		if mi >= 0 && in.Movements[mi].Date == d {
			bal -= in.Movements[mi].Minor
			mi--
		}
	}
	slices.Reverse(out)
	return out
}

func carry(in HistoryInput) []BalancePoint {
	var bal int64
	known, computed := false, false
	si, ci := 0, 0
	out := make([]BalancePoint, 0, daysBetween(in.From, in.To)+1)
	for d := in.From; !d.After(in.To); d = nextDay(d) {
		src := SourceCarried
		// Computed balances come before the snapshots: a snapshot of the
		// same day or earlier ends them.
		for ; ci < len(in.Computed) && !in.Computed[ci].Date.After(d); ci++ {
			if len(in.Snapshots) == 0 || in.Computed[ci].Date.Before(in.Snapshots[0].Date) {
				bal, known, computed = in.Computed[ci].Minor, true, true
			}
		}
		for ; si < len(in.Snapshots) && !in.Snapshots[si].Date.After(d); si++ {
			bal, known, computed = in.Snapshots[si].Minor, true, false
			if in.Snapshots[si].Date == d {
				src = SourceSnapshot
			}
		}
		if computed {
			src = SourceComputed
		}
		if known {
			out = append(out, BalancePoint{Date: d, BalanceMinor: bal, Source: src})
		}
	}
	return out
}

// prevDay and nextDay step one day without the time package: histories
// step through hundreds of thousands of days.
func prevDay(d Date) Date {
	if d.Day > 1 {
		d.Day--
		return d
	}
	if d.Month == time.January {
		return Date{Year: d.Year - 1, Month: time.December, Day: 31}
	}
	return Date{Year: d.Year, Month: d.Month - 1, Day: monthDays(d.Month-1, d.Year)}
}

func nextDay(d Date) Date {
	if d.Day < 28 || d.Day < monthDays(d.Month, d.Year) {
		d.Day++
		return d
	}
	if d.Month == time.December {
		return Date{Year: d.Year + 1, Month: time.January, Day: 1}
	}
	return Date{Year: d.Year, Month: d.Month + 1, Day: 1}
}

// monthDays is the number of days of month m of year (Gregorian).
func monthDays(m time.Month, year int) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// daysBetween returns the number of days from a to b (negative when b is before a).
func daysBetween(a, b Date) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}

// FirstDay returns the earliest day of d's movements, snapshots and
// computed balances; the zero Date when it has none.
func (d *HistoryData) FirstDay() Date {
	var first Date
	for _, s := range [][]DayAmount{d.Movements, d.Snapshots, d.Computed} {
		if len(s) > 0 && (first.IsZero() || s[0].Date.Before(first)) {
			first = s[0].Date
		}
	}
	return first
}

// Intervals of a net-worth history.
const (
	IntervalDay   = "day"
	IntervalWeek  = "week"
	IntervalMonth = "month"
)

// SampleDates returns the days a history over from…to shows at interval:
// every day; the Sunday ending each week; the last day of each month. The
// last date is always to, so the latest value is shown whatever the interval.
func SampleDates(from, to Date, interval string) []Date {
	var out []Date
	for d := from; !d.After(to); d = nextDay(d) {
		switch interval {
		case IntervalWeek:
			if d.Time().Weekday() != time.Sunday && d != to {
				continue
			}
		case IntervalMonth:
			if d.Day != monthDays(d.Month, d.Year) && d != to {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}

// AccountHistory is one account with its daily balances.
type AccountHistory struct {
	Account *Account
	Points  []BalancePoint
}

// NetWorthPoint is net worth in one currency at the end of one day:
// the sum of every counted account's balance, and that sum per group.
type NetWorthPoint struct {
	Date       Date
	TotalMinor int64
	// GroupMinor is indexed like AccountGroups.
	GroupMinor [5]int64
}

// NetWorthSeries is the net-worth history of one currency.
type NetWorthSeries struct {
	Currency Currency
	Points   []NetWorthPoint
}

// SumHistories adds up the histories per currency at each of dates, in
// currency code order. An account counts from its first known day; loans
// count with their (negative) balance, so the total is assets − liabilities.
func SumHistories(histories []AccountHistory, dates []Date) []NetWorthSeries {
	byCode := map[string]*NetWorthSeries{}
	for _, h := range histories {
		if len(h.Points) == 0 {
			continue
		}
		c := h.Account.Currency
		s := byCode[c.Code]
		if s == nil {
			s = &NetWorthSeries{Currency: c, Points: make([]NetWorthPoint, len(dates))}
			for i, d := range dates {
				s.Points[i].Date = d
			}
			byCode[c.Code] = s
		}
		g := slices.Index(AccountGroups, h.Account.Group())
		// Dates and points both ascend: one merge pass.
		k := 0
		for i, d := range dates {
			for k < len(h.Points) && h.Points[k].Date.Before(d) {
				k++
			}
			if k == len(h.Points) {
				break
			}
			if h.Points[k].Date == d {
				s.Points[i].TotalMinor += h.Points[k].BalanceMinor
				s.Points[i].GroupMinor[g] += h.Points[k].BalanceMinor
			}
		}
	}
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	out := make([]NetWorthSeries, 0, len(codes))
	for _, c := range codes {
		out = append(out, *byCode[c])
	}
	return out
}

// NetWorthQuery asks for a person's net-worth history.
type NetWorthQuery struct {
	UserID int64
	// From and To bound the history; zero From starts at the first known
	// day, zero To is today.
	From, To Date
	// Interval is IntervalDay, IntervalWeek or IntervalMonth (the default).
	Interval string
	// Accounts, when not nil, are the person's accounts as FindAccounts
	// gives them, already read by a caller that shows them too (the
	// dashboard), so that they are not read twice; nil reads them.
	Accounts []*Account
}

// NetWorth is a person's net-worth history, per currency.
type NetWorth struct {
	From, To Date
	Interval string
	Series   []NetWorthSeries
	// Accounts are the accounts counted, with their daily history.
	Accounts []AccountHistory
	// Assets are the person's manual assets, with their daily worth.
	Assets []AssetHistory
}

// HistorySource reads what balance histories are rebuilt from.
type HistorySource interface {
	// ReadHistoryData returns, per account id, the history data of the
	// user's accounts and of those shared with them (only accountID when set) from the day from on (all
	// of it when from is zero), snapshot instants taken as days in zone.
	// Accounts without data are left out; another user's account has none.
	ReadHistoryData(ctx context.Context, userID int64, accountID *int64, from Date, zone *time.Location) (map[int64]*HistoryData, error)
}

// HistoryService serves balance and net-worth histories, scoped to one user.
type HistoryService interface {
	// AccountHistory returns the daily balances of the user's account (or
	// one shared with them) from
	// from to to (zero: its first known day, today); ENOTFOUND for an
	// account of another user, EINVALID when to is before from.
	AccountHistory(ctx context.Context, userID, accountID int64, from, to Date) (*AccountHistory, error)
	// NetWorth returns the user's net worth over time, counting the accounts
	// (their own and those shared with them) that Account.Counted accepts
	// and the manual assets; EINVALID (naming the field) for
	// a bad interval or to before from.
	NetWorth(ctx context.Context, q NetWorthQuery) (*NetWorth, error)
	// AssetHistory returns the daily worth of the user's manual asset from
	// from to to (zero: its first value, today); ENOTFOUND for an asset of
	// another user.
	AssetHistory(ctx context.Context, userID, assetID int64, from, to Date) (*AssetHistory, error)
}

// HistoryVersioner is a HistorySource that tells when an account's history
// data changed, so that histories can be cached.
type HistoryVersioner interface {
	// HistoryVersions returns, per account of the user or shared with
	// them, a number that
	// changes whenever the account's history data does; accounts left out
	// count as 0. Data read after it returned v for an account is current
	// while it still returns v.
	HistoryVersions(ctx context.Context, userID int64) (map[int64]int64, error)
}

// PageVersioner tells when what a person's dashboard and net worth may
// show has changed, so that servers can cache them, several instances on
// one database included.
type PageVersioner interface {
	// PageVersion returns a word that changes with every committed write
	// that can change what the person sees there: their data, that of the
	// owners of the accounts shared with them, and those shares. Data read
	// after it returned v is at least as new as v.
	PageVersion(ctx context.Context, userID int64) (string, error)
}
