package freenahi

import "context"

// MonthFlow is one month's income and spending in one currency. Transfers
// between the person's own accounts (marked, or in a transfer category)
// are in neither.
type MonthFlow struct {
	Month         string // YYYY-MM
	Currency      string
	IncomeMinor   int64
	SpendingMinor int64 // positive
	Exponent      int
}

// SpendingLine is the spending of one category or payee over a period, in
// one currency.
type SpendingLine struct {
	CategoryID    *int64 // nil: not categorised
	Payee         string
	Currency      string
	Exponent      int
	SpendingMinor int64 // positive
	Count         int
}

// SpendingReport is where the money went over a period: debits by category
// and by payee (largest first), transfers left out.
type SpendingReport struct {
	From, To   Date
	ByCategory []SpendingLine
	ByPayee    []SpendingLine
}

// ReportService answers the reports of a user's money.
type ReportService interface {
	// Cashflow returns income and spending per month and currency from
	// from to to (inclusive), oldest first. EINVALID for a bad period.
	Cashflow(ctx context.Context, userID int64, from, to Date) ([]MonthFlow, error)
	// Spending returns the period's spending by category and by payee
	// (the 20 largest payees). EINVALID for a bad period.
	Spending(ctx context.Context, userID int64, from, to Date) (*SpendingReport, error)
}

// ValidatePeriod checks a report's period: both dates set, in order, at
// most ten years apart.
func ValidatePeriod(from, to Date) error {
	switch {
	case from.IsZero():
		return FieldErrorf("from", "is required")
	case to.IsZero():
		return FieldErrorf("to", "is required")
	case to.Before(from):
		return FieldErrorf("to", "%s is before the start date %s", to, from)
	case from.AddDays(3660).Before(to):
		return FieldErrorf("to", "the period is longer than ten years")
	}
	return nil
}

// SpendingService is everything about understanding one's spending:
// categories, rules, edits of transactions and reports.
type SpendingService interface {
	CategoryService
	RuleService
	TransactionEditor
	ReportService
	TransferDetector
	BudgetService
	RecurringService
}
