package freenahi

import (
	"context"
	"time"
)

// Budget is the amount a person means to spend each month in one category,
// or in a group (then every category of the group counts). Spending is the
// month's debits less its refunds in the budget's currency, transfers
// between the person's own accounts left out, a split transaction counted
// by its parts. With Rollover, what was left (or overspent) in each month
// since Start carries into the next.
type Budget struct {
	ID         int64
	UserID     int64
	CategoryID int64
	// AmountMinor is the monthly amount in Currency's minor units, positive.
	AmountMinor int64
	Currency    Currency
	Rollover    bool
	// Start is the first day of the first month the budget counts.
	Start     Date
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Amount returns the monthly amount as Money.
func (b *Budget) Amount() Money { return Money{Minor: b.AmountMinor, Currency: b.Currency} }

// maxBudgetMinor bounds a monthly amount so that ten years of rollover
// stay far inside int64.
const maxBudgetMinor = 1_000_000_000_000_00

// BudgetInput is what a person gives to create a budget or change one; nil
// fields of a change stay as they are.
type BudgetInput struct {
	CategoryID *int64
	Amount     *Decimal
	Currency   string // ISO 4217, default EUR; fixed once created
	Rollover   *bool
}

// AmountMinor checks the amount and returns it in the minor units of a
// currency with the given exponent.
func (in *BudgetInput) AmountMinor(exponent int) (int64, error) {
	if in.Amount == nil {
		return 0, FieldErrorf("amount", "is required")
	}
	m, err := in.Amount.Minor(exponent)
	switch {
	case err != nil:
		return 0, FieldErrorf("amount", "%q has more decimals than its currency allows (%d), or is too large", in.Amount.String(), exponent)
	case m <= 0:
		return 0, FieldErrorf("amount", "must be more than zero")
	case m > maxBudgetMinor:
		return 0, FieldErrorf("amount", "is too large")
	}
	return m, nil
}

// MonthStart returns the first day of d's month.
func MonthStart(d Date) Date { return Date{Year: d.Year, Month: d.Month, Day: 1} }

// ParseMonth parses YYYY-MM into the first day of that month.
func ParseMonth(field, s string) (Date, error) {
	d, err := ParseDate(s + "-01")
	if err != nil || len(s) != 7 {
		return Date{}, FieldErrorf(field, "%q is not a month (YYYY-MM)", s)
	}
	return d, nil
}

// monthIndex numbers months consecutively.
func monthIndex(d Date) int { return d.Year*12 + int(d.Month) - 1 }

// BudgetProgress is where a budget stands in one month.
type BudgetProgress struct {
	Budget *Budget
	Month  Date // first day
	// SpentMinor is the month's debits less its refunds; negative when
	// refunds were larger.
	SpentMinor int64
	// CarriedMinor is what earlier months left (positive) or overspent
	// (negative), with Rollover; 0 without.
	CarriedMinor int64
	// AvailableMinor is the amount plus what was carried; LeftMinor what
	// remains of it, negative once the budget is exceeded.
	AvailableMinor int64
	LeftMinor      int64
}

// Over reports whether the month spent more than was available.
func (p *BudgetProgress) Over() bool { return p.LeftMinor < 0 }

// Percent is the part of the available amount spent, 0 to 100 (100 once
// over, or when nothing was available and something was spent).
func (p *BudgetProgress) Percent() int {
	switch {
	case p.SpentMinor <= 0:
		return 0
	case p.AvailableMinor <= 0 || p.SpentMinor >= p.AvailableMinor:
		return 100
	}
	return int(p.SpentMinor * 100 / p.AvailableMinor)
}

// ComputeBudgetProgress works out b's progress in month from what was
// spent in b's categories each month (keyed by the month's first day).
// Months before Start carry nothing.
func ComputeBudgetProgress(b *Budget, month Date, spent map[Date]int64) BudgetProgress {
	month = MonthStart(month)
	p := BudgetProgress{Budget: b, Month: month, SpentMinor: spent[month]}
	if b.Rollover {
		start := MonthStart(b.Start)
		for i := monthIndex(start); i < monthIndex(month); i++ {
			m := Date{Year: i / 12, Month: time.Month(i%12 + 1), Day: 1}
			p.CarriedMinor += b.AmountMinor - spent[m]
		}
	}
	p.AvailableMinor = b.AmountMinor + p.CarriedMinor
	p.LeftMinor = p.AvailableMinor - p.SpentMinor
	return p
}

// CategoryScope returns the categories whose transactions count for a
// budget on category id: itself, its categories when it is a group, and
// every category merged into any of them.
func CategoryScope(all []*Category, id int64) []int64 {
	in := map[int64]bool{id: true}
	for changed := true; changed; {
		changed = false
		for _, c := range all {
			if in[c.ID] {
				continue
			}
			if c.ParentID != nil && in[*c.ParentID] || c.MergedInto != nil && in[*c.MergedInto] {
				in[c.ID], changed = true, true
			}
		}
	}
	out := make([]int64, 0, len(in))
	for _, c := range all {
		if in[c.ID] {
			out = append(out, c.ID)
		}
	}
	return out
}

// BudgetService keeps each user's budgets.
type BudgetService interface {
	// FindBudgets returns the user's budgets in category order.
	FindBudgets(ctx context.Context, userID int64) ([]*Budget, error)
	// CreateBudget adds a budget starting this month. EINVALID (naming the
	// field) for a bad amount, currency or a category not the user's;
	// ECONFLICT when the category already has a budget.
	CreateBudget(ctx context.Context, userID int64, in BudgetInput) (*Budget, error)
	// UpdateBudget changes the amount or the rollover of a budget.
	// ENOTFOUND for another user's budget; EINVALID for a bad amount.
	UpdateBudget(ctx context.Context, userID, id int64, in BudgetInput) (*Budget, error)
	// DeleteBudget removes a budget; ENOTFOUND for another user's.
	DeleteBudget(ctx context.Context, userID, id int64) error
	// BudgetProgress returns where each of the user's budgets stands in
	// month (any day of it), in category order.
	BudgetProgress(ctx context.Context, userID int64, month Date) ([]BudgetProgress, error)
}
