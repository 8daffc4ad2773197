package ui

import (
	"slices"

	"github.com/freenahi/freenahi"
)

// lateItem is an account or asset whose value is known only from a day
// after the start of a period: changes over that period leave it out.
type lateItem struct {
	Name  string
	Since freenahi.Date
}

// netWorthChanges is how net worth in currency c moved over each period up
// to today, counting only what had a value at both ends of the period: an
// investment account first valued at its first sync, or an asset first
// valued last week, is no change of wealth when it enters the sum, but a
// fall or a gain of its whole value read as one. late lists what some
// period left out, with the day its value is known from, so the page can
// say so. The percent is of the value, at the start, of what was counted.
func netWorthChanges(l interface{ PercentOf(int64, int64) string }, nw *freenahi.NetWorth, c freenahi.Currency, today freenahi.Date) (out []change, late []lateItem) {
	type item struct {
		name   string
		points []freenahi.BalancePoint
	}
	var items []item
	for _, h := range nw.Accounts {
		if h.Account.Currency == c && len(h.Points) > 0 {
			items = append(items, item{h.Account.Title(), h.Points})
		}
	}
	for _, h := range nw.Assets {
		if h.Asset.Currency == c && len(h.Points) > 0 {
			items = append(items, item{h.Asset.Name, h.Points})
		}
	}
	if len(items) == 0 {
		return nil, nil
	}
	// The longest period starts on the history's first day (nw.From): what
	// it leaves out, every period that leaves anything out leaves out.
	for _, it := range items {
		if first := it.points[0].Date; first.After(nw.From) && it.points[len(it.points)-1].Date == today {
			late = append(late, lateItem{Name: it.name, Since: first})
		}
	}
	for _, p := range periods {
		base := nw.From
		if p.days > 0 {
			if day := today.AddDays(-p.days); day.After(base) {
				base = day
			}
		}
		var from, to int64
		for _, it := range items {
			last := it.points[len(it.points)-1]
			if last.Date != today {
				continue // not valued today (its history ends earlier): in no change
			}
			// Points are daily from the item's first known day on.
			if it.points[0].Date.After(base) {
				continue // in late
			}
			k, found := slices.BinarySearchFunc(it.points, base, func(pt freenahi.BalancePoint, d freenahi.Date) int { return pt.Date.Compare(d) })
			if !found {
				continue
			}
			from += it.points[k].BalanceMinor
			to += last.BalanceMinor
		}
		ch := change{Period: p.key, Money: freenahi.Money{Minor: to - from, Currency: c}}
		if from > 0 {
			ch.Percent = l.PercentOf(to-from, from)
		}
		out = append(out, ch)
	}
	slices.SortFunc(late, func(a, b lateItem) int { return a.Since.Compare(b.Since) })
	return out, late
}
