package store

import (
	"strings"

	"github.com/freenahi/freenahi"
)

// A report reads the whole months of its period from the monthly sums the
// triggers of migration 00110 keep (report_flows, report_parts) and the
// days of a partial month at either edge from the transactions, so that a
// period starting or ending mid-month gives what summing its transactions
// gives.

// reportSpan is how a period is read: days from the transactions (at most
// two ranges, at the edges), and the whole months m1…m2 (YYYYMM) from the
// sums, none when m1 > m2.
type reportSpan struct {
	days   [][2]freenahi.Date
	m1, m2 int
}

// spanOf splits the period from…to (checked) into its whole months and
// the days around them.
func spanOf(from, to freenahi.Date) reportSpan {
	first := from // the first day of the first whole month
	if from.Day != 1 {
		first = nextMonth(from)
	}
	last := to // the last day of the last whole month
	if to.AddDays(1).Day != 1 {
		last = freenahi.Date{Year: to.Year, Month: to.Month, Day: 1}.AddDays(-1)
	}
	if first.After(last) {
		return reportSpan{days: [][2]freenahi.Date{{from, to}}, m1: 1}
	}
	sp := reportSpan{m1: first.Int() / 100, m2: last.Int() / 100}
	if from.Before(first) {
		sp.days = append(sp.days, [2]freenahi.Date{from, first.AddDays(-1)})
	}
	if last.Before(to) {
		sp.days = append(sp.days, [2]freenahi.Date{last.AddDays(1), to})
	}
	return sp
}

// nextMonth is the first day of the month after d's.
func nextMonth(d freenahi.Date) freenahi.Date {
	if d.Month == 12 {
		return freenahi.Date{Year: d.Year + 1, Month: 1, Day: 1}
	}
	return freenahi.Date{Year: d.Year, Month: d.Month + 1, Day: 1}
}

// reportUnion returns the UNION ALL of a report's parts over span: days
// builds the query of a range of days over the transactions, months that
// of whole months over the sums, each adding its arguments to u (numbered
// across the parts). Both must name their columns alike.
func reportUnion(u *query, span reportSpan, days func(b *query, from, to freenahi.Date) string, months func(b *query, m1, m2 int) string) string {
	var parts []string
	part := func(build func(b *query) string) {
		b := &query{args: u.args}
		parts = append(parts, build(b))
		u.args = b.args
	}
	for _, d := range span.days {
		part(func(b *query) string { return days(b, d[0], d[1]) })
	}
	if span.m1 <= span.m2 {
		part(func(b *query) string { return months(b, span.m1, span.m2) })
	}
	return strings.Join(parts, "\nUNION ALL\n")
}

// monthsWhere returns the conditions of a read of the monthly sums: the
// user's months m1…m2, the transfer categories left out.
func monthsWhere(b *query, userID int64, m1, m2 int, transfers []int64) string {
	b.where("user_id = $?", userID)
	b.where("month >= $?", int64(m1))
	b.where("month <= $?", int64(m2))
	if len(transfers) > 0 {
		b.where("category_id NOT IN (" + idList(b, transfers) + ")")
	}
	return b.sql()
}
