package store

import (
	"context"
	"fmt"

	"github.com/freenahi/freenahi"
)

var _ freenahi.WealthService = (*Store)(nil)

// FindInvestments lists the user's current positions (not those Powens
// deleted), optionally of one account, by account then label.
func (s *Store) FindInvestments(ctx context.Context, userID int64, accountID *int64) ([]*freenahi.Investment, error) {
	q := &query{}
	q.where("(i.user_id = $? OR "+sharedWith("i.account_id")+")", userID, userID) // and the accounts shared with them
	q.where("i.deleted_at IS NULL")
	if accountID != nil {
		q.where("i.account_id = $?", *accountID)
	}
	rows, err := s.rdb.QueryContext(ctx, `
		SELECT i.id, i.user_id, i.account_id, i.powens_id, i.label, i.code, i.code_type, i.stock_symbol,
			a.currency, a.currency_exponent, i.quantity, i.unit_price, i.unit_value, i.valuation, i.diff,
			i.diff_percent, i.portfolio_share, i.vdate, i.original_currency, i.original_valuation, i.deleted_at,
			i.last_update, i.updated_at
		FROM investments i JOIN accounts a ON a.id = i.account_id
		WHERE `+q.sql()+` ORDER BY i.account_id, i.label, i.id`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("find investments of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []*freenahi.Investment
	for rows.Next() {
		in := &freenahi.Investment{}
		var oc string
		if err := rows.Scan(&in.ID, &in.UserID, &in.AccountID, &in.PowensID, &in.Label, &in.Code, &in.CodeType,
			&in.StockSymbol, &in.Currency.Code, &in.Currency.Exponent, decimalPtr{&in.Quantity},
			decimalPtr{&in.UnitPrice}, decimalPtr{&in.UnitValue}, decimalPtr{&in.Valuation}, decimalPtr{&in.Diff},
			decimalPtr{&in.DiffPercent}, decimalPtr{&in.PortfolioShare}, dateVal{&in.VDate}, strVal{&oc},
			decimalPtr{&in.OriginalValuation}, timePtr{&in.Deleted}, timePtr{&in.LastUpdate},
			timeVal{&in.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("find investments of user %d: scan: %w", userID, err)
		}
		if oc != "" {
			c := freenahi.LookupCurrency(oc, nil)
			in.OriginalCurrency = &c
		}
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find investments of user %d: %w", userID, err)
	}
	return out, nil
}

// FindLoans lists the loan details of the user's loan accounts that are
// not deleted, by account.
func (s *Store) FindLoans(ctx context.Context, userID int64) ([]*freenahi.Loan, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+loanColumns+`
		FROM loans l JOIN accounts a ON a.id = l.account_id
		WHERE (l.user_id = $1 OR l.account_id IN (SELECT account_id FROM account_shares WHERE grantee_id = $1)) AND a.deleted_at IS NULL ORDER BY l.account_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("find loans of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []*freenahi.Loan
	for rows.Next() {
		l := &freenahi.Loan{}
		if err := rows.Scan(loanDest(l)...); err != nil {
			return nil, fmt.Errorf("find loans of user %d: scan: %w", userID, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find loans of user %d: %w", userID, err)
	}
	return out, nil
}

// loanColumns are a loan's columns, of loans l joined to its account a, in
// the order loanDest scans them.
const loanColumns = `l.account_id, l.user_id, a.currency, a.currency_exponent, l.type, l.total_amount_minor,
	l.available_amount_minor, l.used_amount_minor, l.subscription_date, l.maturity_date,
	l.start_repayment_date, l.next_payment_amount_minor, l.next_payment_date, l.last_payment_amount_minor,
	l.last_payment_date, l.rate, l.nb_payments_left, l.nb_payments_done, l.nb_payments_total,
	l.duration_months, l.account_label, l.insurance_label, l.insurance_amount_minor, l.insurance_rate,
	l.deferred, l.updated_at`

// loanDest are the scan destinations of loanColumns into l.
func loanDest(l *freenahi.Loan) []any {
	return []any{&l.AccountID, &l.UserID, &l.Currency.Code, &l.Currency.Exponent, &l.Type,
		intPtr{&l.TotalAmountMinor}, intPtr{&l.AvailableAmountMinor}, intPtr{&l.UsedAmountMinor},
		dateVal{&l.SubscriptionDate}, dateVal{&l.MaturityDate}, dateVal{&l.StartRepaymentDate},
		intPtr{&l.NextPaymentAmountMinor}, dateVal{&l.NextPaymentDate}, intPtr{&l.LastPaymentAmountMinor},
		dateVal{&l.LastPaymentDate}, decimalPtr{&l.Rate}, intPtr{&l.NbPaymentsLeft}, intPtr{&l.NbPaymentsDone},
		intPtr{&l.NbPaymentsTotal}, intPtr{&l.DurationMonths}, &l.AccountLabel, &l.InsuranceLabel,
		intPtr{&l.InsuranceAmountMinor}, decimalPtr{&l.InsuranceRate}, boolPtr{&l.Deferred},
		timeVal{&l.UpdatedAt}}
}

// FindValuations lists the daily valuations of the user's positions, by
// investment then day.
func (s *Store) FindValuations(ctx context.Context, userID int64, accountID *int64, from freenahi.Date) ([]*freenahi.Valuation, error) {
	q := &query{}
	q.where("(v.user_id = $? OR "+sharedWith("v.account_id")+")", userID, userID) // and the accounts shared with them
	if accountID != nil {
		q.where("v.account_id = $?", *accountID)
	}
	if !from.IsZero() {
		q.where("v.day >= $?", int64(from.Int()))
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT v.investment_id, v.account_id, v.day, v.quantity, v.unit_value, v.valuation
		FROM investment_snapshots v WHERE `+q.sql()+` ORDER BY v.investment_id, v.day`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("find valuations of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []*freenahi.Valuation
	for rows.Next() {
		v := &freenahi.Valuation{}
		if err := rows.Scan(&v.InvestmentID, &v.AccountID, dateVal{&v.Date}, decimalPtr{&v.Quantity},
			decimalPtr{&v.UnitValue}, decimalPtr{&v.Valuation}); err != nil {
			return nil, fmt.Errorf("find valuations of user %d: scan: %w", userID, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find valuations of user %d: %w", userID, err)
	}
	return out, nil
}
