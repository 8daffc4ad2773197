package freenahi

import (
	"context"
	"time"
)

// Investment is a position (security, fund) held in an investment account.
// Quantities, prices and ratios are exact decimals; they have no fixed scale.
type Investment struct {
	ID                int64
	UserID            int64
	AccountID         int64
	PowensID          int64
	Label             string
	Code              string // ISIN or AMF code
	CodeType          string
	StockSymbol       string
	Currency          Currency // the account currency
	Quantity          *Decimal
	UnitPrice         *Decimal // average buying price
	UnitValue         *Decimal // current unit value
	Valuation         *Decimal
	Diff              *Decimal
	DiffPercent       *Decimal // ratio, 1 = 100 %
	PortfolioShare    *Decimal
	VDate             Date
	OriginalCurrency  *Currency
	OriginalValuation *Decimal
	Deleted           *time.Time
	LastUpdate        *time.Time
	UpdatedAt         time.Time
}

// Loan is the loan detail of a loan account.
type Loan struct {
	AccountID              int64
	UserID                 int64
	Currency               Currency
	Type                   string // mortgage, consumercredit, revolvingcredit, loan
	TotalAmountMinor       *int64
	AvailableAmountMinor   *int64
	UsedAmountMinor        *int64
	SubscriptionDate       Date
	MaturityDate           Date
	StartRepaymentDate     Date
	NextPaymentAmountMinor *int64
	NextPaymentDate        Date
	LastPaymentAmountMinor *int64
	LastPaymentDate        Date
	Rate                   *Decimal // percent, as Powens gives it
	NbPaymentsLeft         *int64
	NbPaymentsDone         *int64
	NbPaymentsTotal        *int64
	DurationMonths         *int64
	AccountLabel           string
	InsuranceLabel         string
	InsuranceAmountMinor   *int64
	InsuranceRate          *Decimal
	Deferred               *bool
	UpdatedAt              time.Time
}

// Valuation is a position's value on one day, the last a sync reported
// that day (Powens' value date, else the day of the sync).
type Valuation struct {
	InvestmentID int64
	AccountID    int64
	Date         Date
	Quantity     *Decimal
	UnitValue    *Decimal
	Valuation    *Decimal
}

// WealthService reads investments and loans, each scoped to one user: their
// own accounts' and those other users share with them.
type WealthService interface {
	// FindInvestments returns the user's current positions (not those
	// Powens deleted), of one account when accountID is set, by account then
	// label; an account of another user has none.
	FindInvestments(ctx context.Context, userID int64, accountID *int64) ([]*Investment, error)
	// FindLoans returns the loan details of the user's loan accounts that
	// are not deleted, by account.
	FindLoans(ctx context.Context, userID int64) ([]*Loan, error)
	// FindValuations returns the daily valuations of the user's positions
	// (of one account when accountID is set) from the day from on (all
	// when zero), by investment then day; an account of another user has none.
	FindValuations(ctx context.Context, userID int64, accountID *int64, from Date) ([]*Valuation, error)
}
