package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/freenahi/freenahi"
)

var _ freenahi.BudgetService = (*Store)(nil)

const budgetSelect = `SELECT id, user_id, category_id, amount_minor, currency, currency_exponent, rollover, start,
	created_at, updated_at FROM budgets`

func scanBudget(row interface{ Scan(...any) error }) (*freenahi.Budget, error) {
	b := &freenahi.Budget{}
	err := row.Scan(&b.ID, &b.UserID, &b.CategoryID, &b.AmountMinor, &b.Currency.Code, &b.Currency.Exponent,
		boolVal{&b.Rollover}, dateVal{&b.Start}, timeVal{&b.CreatedAt}, timeVal{&b.UpdatedAt})
	return b, err
}

// FindBudgets returns the user's budgets in the order of their categories.
func (s *Store) FindBudgets(ctx context.Context, userID int64) ([]*freenahi.Budget, error) {
	budgets, err := s.findBudgets(ctx, s.rdb, userID)
	if err != nil {
		return nil, fmt.Errorf("find budgets: %w", err)
	}
	all, err := s.allCategories(ctx, s.rdb, userID)
	if err != nil {
		return nil, fmt.Errorf("find budgets: %w", err)
	}
	return inCategoryOrder(budgets, all), nil
}

func (s *Store) findBudgets(ctx context.Context, q execer, userID int64) ([]*freenahi.Budget, error) {
	rows, err := q.QueryContext(ctx, budgetSelect+` WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*freenahi.Budget
	for rows.Next() {
		b, err := scanBudget(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// inCategoryOrder sorts budgets like the category tree.
func inCategoryOrder(budgets []*freenahi.Budget, all []*freenahi.Category) []*freenahi.Budget {
	rank := map[int64]int{}
	for i, c := range treeOrder(all) {
		rank[c.ID] = i
	}
	slices.SortStableFunc(budgets, func(a, b *freenahi.Budget) int { return rank[a.CategoryID] - rank[b.CategoryID] })
	return budgets
}

// CreateBudget adds a budget on one of the user's live categories, counted
// from the current month.
func (s *Store) CreateBudget(ctx context.Context, userID int64, in freenahi.BudgetInput) (*freenahi.Budget, error) {
	if in.CategoryID == nil {
		return nil, freenahi.FieldErrorf("category_id", "is required")
	}
	code := strings.ToUpper(strings.TrimSpace(in.Currency))
	if code == "" {
		code = "EUR"
	}
	if len(code) != 3 || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return nil, freenahi.FieldErrorf("currency", "%q is not a currency code such as EUR", in.Currency)
	}
	cur := freenahi.LookupCurrency(code, nil)
	amount, err := in.AmountMinor(cur.Exponent)
	if err != nil {
		return nil, err
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("create budget: %w", err)
	}
	defer tx.Rollback()
	if c, err := s.findCategory(ctx, tx, userID, *in.CategoryID); err != nil || c.MergedInto != nil {
		return nil, freenahi.FieldErrorf("category_id", "is not one of your categories")
	}
	now := s.now()
	b := &freenahi.Budget{UserID: userID, CategoryID: *in.CategoryID, AmountMinor: amount, Currency: cur,
		Rollover: in.Rollover != nil && *in.Rollover, Start: freenahi.MonthStart(freenahi.DateOf(now)), CreatedAt: now, UpdatedAt: now}
	err = tx.QueryRowContext(ctx, `INSERT INTO budgets (user_id, category_id, amount_minor, currency, currency_exponent,
		rollover, start, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
		userID, b.CategoryID, amount, cur.Code, cur.Exponent, b.Rollover, int64(b.Start.Int()), micros(now)).Scan(&b.ID)
	if err != nil {
		e := freenahi.Errorf(freenahi.ECONFLICT, "This category already has a budget.")
		e.Field = "category_id"
		return nil, fmt.Errorf("create budget: %w", exists(err, e))
	}
	return b, tx.Commit()
}

// UpdateBudget changes the amount or the rollover of one of the user's budgets.
func (s *Store) UpdateBudget(ctx context.Context, userID, id int64, in freenahi.BudgetInput) (*freenahi.Budget, error) {
	if in.CategoryID != nil || in.Currency != "" {
		return nil, freenahi.FieldErrorf("category_id", "cannot change: delete the budget and create another")
	}
	if in.Amount == nil && in.Rollover == nil {
		return nil, freenahi.FieldErrorf("body", "changes nothing: give amount or rollover")
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("update budget %d: %w", id, err)
	}
	defer tx.Rollback()
	b, err := scanBudget(tx.QueryRowContext(ctx, budgetSelect+` WHERE user_id = $1 AND id = $2`, userID, id))
	if err != nil {
		return nil, fmt.Errorf("update budget %d: %w", id, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Budget %d not found.", id)))
	}
	if in.Amount != nil {
		if b.AmountMinor, err = in.AmountMinor(b.Currency.Exponent); err != nil {
			return nil, err
		}
	}
	if in.Rollover != nil {
		b.Rollover = *in.Rollover
	}
	b.UpdatedAt = s.now()
	if _, err := tx.ExecContext(ctx, `UPDATE budgets SET amount_minor = $1, rollover = $2, updated_at = $3 WHERE id = $4 AND user_id = $5`,
		b.AmountMinor, b.Rollover, micros(b.UpdatedAt), id, userID); err != nil {
		return nil, fmt.Errorf("update budget %d: %w", id, err)
	}
	return b, tx.Commit()
}

// DeleteBudget removes one of the user's budgets.
func (s *Store) DeleteBudget(ctx context.Context, userID, id int64) error {
	res, err := s.wdb.ExecContext(ctx, `DELETE FROM budgets WHERE id = $1 AND user_id = $2`, id, userID)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "Budget %d not found.", id)); err != nil {
		return fmt.Errorf("delete budget %d: %w", id, err)
	}
	return nil
}

// BudgetProgress reads what was spent per month and category from the
// earliest start of the user's budgets to month, once per currency, and
// works out each budget's progress from it.
func (s *Store) BudgetProgress(ctx context.Context, userID int64, month freenahi.Date) ([]freenahi.BudgetProgress, error) {
	if month.IsZero() {
		return nil, freenahi.FieldErrorf("month", "is required")
	}
	budgets, err := s.FindBudgets(ctx, userID)
	if err != nil || len(budgets) == 0 {
		return nil, err
	}
	all, err := s.allCategories(ctx, s.rdb, userID)
	if err != nil {
		return nil, fmt.Errorf("budget progress: %w", err)
	}
	month = freenahi.MonthStart(month)
	to := month.AddDays(40)
	to = freenahi.MonthStart(to).AddDays(-1)
	spent := map[string]map[freenahi.Date]map[int64]int64{} // currency → month → category → spent
	out := make([]freenahi.BudgetProgress, 0, len(budgets))
	for _, b := range budgets {
		if spent[b.Currency.Code] == nil {
			from := month
			for _, o := range budgets {
				if o.Currency.Code == b.Currency.Code && o.Rollover && o.Start.Before(from) {
					from = o.Start
				}
			}
			if spent[b.Currency.Code], err = s.spentByMonth(ctx, userID, b.Currency.Code, from, to, all); err != nil {
				return nil, err
			}
		}
		byMonth := map[freenahi.Date]int64{}
		scope := freenahi.CategoryScope(all, b.CategoryID)
		for m, cats := range spent[b.Currency.Code] {
			for _, id := range scope {
				byMonth[m] += cats[id]
			}
		}
		out = append(out, freenahi.ComputeBudgetProgress(b, month, byMonth))
	}
	return out, nil
}

// spentByMonth sums the debits less the refunds of each month and
// category in one currency, transfers left out, split transactions by
// their parts.
func (s *Store) spentByMonth(ctx context.Context, userID int64, currency string, from, to freenahi.Date, all []*freenahi.Category) (map[freenahi.Date]map[int64]int64, error) {
	if err := freenahi.ValidatePeriod(from, to); err != nil {
		return nil, err
	}
	transfers := transferCategories(all)
	u := &query{}
	union := reportUnion(u, spanOf(from, to), func(b *query, from, to freenahi.Date) string {
		addReportWhere(b, userID, from, to, transfers, partCategory)
		b.where("a.currency = $?", currency)
		return `SELECT t.date / 100 AS month, ` + partCategory + ` AS category_id, SUM(-` + partAmount + `) AS spent
			FROM ` + reportFrom + ` ` + splitJoin + ` WHERE ` + b.sql() + `
			GROUP BY t.date / 100, ` + partCategory
	}, func(b *query, m1, m2 int) string {
		b.where("currency = $?", currency)
		return `SELECT month, NULLIF(category_id, 0) AS category_id, SUM(debit_minor - credit_minor) AS spent
			FROM report_parts WHERE ` + monthsWhere(b, userID, m1, m2, transfers) + `
			GROUP BY month, NULLIF(category_id, 0)`
	})
	rows, err := s.readQuery(ctx, `SELECT month, category_id, CAST(SUM(spent) AS BIGINT)
		FROM (`+union+`) x GROUP BY month, category_id`, u.args...)
	if err != nil {
		return nil, fmt.Errorf("budget spending of user %d: %w", userID, err)
	}
	defer rows.Close()
	out := map[freenahi.Date]map[int64]int64{}
	for rows.Next() {
		var ym, sum int64
		var cat *int64
		if err := rows.Scan(&ym, intPtr{&cat}, &sum); err != nil {
			return nil, fmt.Errorf("budget spending of user %d: %w", userID, err)
		}
		if cat == nil {
			continue
		}
		m := freenahi.DateFromInt(int(ym*100 + 1))
		if out[m] == nil {
			out[m] = map[int64]int64{}
		}
		out[m][*cat] += sum
	}
	return out, rows.Err()
}
