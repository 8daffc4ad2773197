package freenahi

import (
	"context"
	"slices"
	"time"
)

// Interval is how often a recurring payment comes back.
type Interval string

// Intervals a recurring payment is detected at.
const (
	Weekly    Interval = "weekly"
	Monthly   Interval = "monthly"
	Quarterly Interval = "quarterly"
	Yearly    Interval = "yearly"
)

// cadence describes one interval: the gaps in days between two payments
// that count as it, how many payments in a row it takes to be believed,
// how many times a year it comes, and how late the next one may be before
// the series is taken as ended.
type cadence struct {
	interval       Interval
	minGap, maxGap int
	minCount       int
	perYear        int64
	months, days   int // the step to the next expected date
	grace          int
}

// Bank dates move with weekends and holidays, and months are 28 to 31
// days long: the gap windows allow for both, and do not overlap.
var cadences = []cadence{
	{Weekly, 6, 8, 4, 52, 0, 7, 4},
	{Monthly, 26, 35, 3, 12, 1, 0, 15},
	{Quarterly, 85, 98, 3, 4, 3, 0, 30},
	{Yearly, 350, 380, 2, 1, 12, 0, 45},
}

// Recurring is a payment that comes back at a regular interval with a
// similar amount: a subscription, a rent, an insurance premium.
type Recurring struct {
	// Key is the payee's PayeeKey and the currency: what a dismissal names.
	Key      string
	Payee    string
	Interval Interval
	Currency Currency
	// AmountMinor is the last payment, positive; YearlyMinor what a year
	// of it costs at that amount.
	AmountMinor int64
	YearlyMinor int64
	Count       int
	First, Last Date
	// Next is when the next payment is expected.
	Next       Date
	CategoryID *int64
	Dismissed  bool
}

// recurringTolerance: every payment of a series is within a fifth of the
// series' median amount (a price rise of up to 20 % keeps a subscription).
const recurringTolerance = 5

// DetectRecurring finds the recurring payments among a person's debits
// (transfers and deleted ones already left out), still running on today:
// payments to one payee in one currency whose latest run of gaps all fall
// in one interval's window, with amounts close to their median. The most
// costly per year come first.
func DetectRecurring(txs []*Transaction, today Date) []Recurring {
	groups := map[string][]*Transaction{}
	for _, t := range txs {
		if t.ValueMinor >= 0 || !t.AmountKnown() || t.Deleted != nil || t.Transfer {
			continue
		}
		payee := t.Payee
		if payee == "" {
			payee = t.Label()
		}
		key := PayeeKey(payee)
		if key == "" {
			continue
		}
		key += "|" + t.Currency.Code
		groups[key] = append(groups[key], t)
	}
	var out []Recurring
	for key, g := range groups {
		if r, ok := detectSeries(key, g, today); ok {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Recurring) int {
		if a.YearlyMinor != b.YearlyMinor {
			if a.YearlyMinor > b.YearlyMinor {
				return -1
			}
			return 1
		}
		if a.Key < b.Key {
			return -1
		}
		return 1
	})
	return out
}

// detectSeries looks at one payee's payments, oldest first.
func detectSeries(key string, g []*Transaction, today Date) (Recurring, bool) {
	slices.SortFunc(g, func(a, b *Transaction) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	if len(g) < 2 {
		return Recurring{}, false
	}
	last := g[len(g)-1]
	c, ok := cadenceOf(daysBetween(g[len(g)-2].Date, last.Date))
	if !ok {
		return Recurring{}, false
	}
	// The latest run: walk back while the gaps stay in the same window.
	first := len(g) - 2
	for first > 0 {
		gap := daysBetween(g[first-1].Date, g[first].Date)
		if gap < c.minGap || gap > c.maxGap {
			break
		}
		first--
	}
	run := g[first:]
	if len(run) < c.minCount || !similarAmounts(run) {
		return Recurring{}, false
	}
	next := addMonthsClamped(last.Date, c.months).AddDays(c.days)
	if next.AddDays(c.grace).Before(today) {
		return Recurring{}, false // it stopped
	}
	amount := -last.ValueMinor
	return Recurring{Key: key, Payee: payeeOf(last), Interval: c.interval, Currency: last.Currency,
		AmountMinor: amount, YearlyMinor: amount * c.perYear, Count: len(run), First: run[0].Date, Last: last.Date,
		Next: next, CategoryID: last.CategoryID}, true
}

func payeeOf(t *Transaction) string {
	if t.Payee != "" {
		return t.Payee
	}
	return t.Label()
}

// cadenceOf returns the interval whose window holds gap.
func cadenceOf(gap int) (cadence, bool) {
	for _, c := range cadences {
		if gap >= c.minGap && gap <= c.maxGap {
			return c, true
		}
	}
	return cadence{}, false
}

// similarAmounts reports whether every amount is within the tolerance of
// the median amount.
func similarAmounts(run []*Transaction) bool {
	amounts := make([]int64, len(run))
	for i, t := range run {
		amounts[i] = -t.ValueMinor
	}
	slices.Sort(amounts)
	median := amounts[len(amounts)/2]
	for _, a := range amounts {
		d := a - median
		if d < 0 {
			d = -d
		}
		if d > median/recurringTolerance {
			return false
		}
	}
	return true
}

// addMonthsClamped adds n months to d, keeping the day of the month or the
// month's last day when it has fewer (31 January + 1 month = 28 February).
func addMonthsClamped(d Date, n int) Date {
	i := monthIndex(d) + n
	y, m := i/12, time.Month(i%12+1)
	return Date{Year: y, Month: m, Day: min(d.Day, daysIn(m, y))}
}

// RecurringService finds a person's recurring payments.
type RecurringService interface {
	// FindRecurring returns the recurring payments among the user's
	// debits of the last two years still running on today, dismissed ones
	// included and marked.
	FindRecurring(ctx context.Context, userID int64, today Date) ([]Recurring, error)
	// DismissRecurring marks the series of key as not recurring (or, with
	// dismissed false, takes the mark back). EINVALID for an empty key.
	DismissRecurring(ctx context.Context, userID int64, key string, dismissed bool) error
}
