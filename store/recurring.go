package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/freenahi/freenahi"
)

var _ freenahi.RecurringService = (*Store)(nil)

// recurringLookBack is how far back recurring payments are looked for:
// two years, so that a yearly payment shows after its second time.
const recurringLookBack = 2*366 + 31

// FindRecurring reads the user's debits of the look-back period (known
// amounts, transfers left out) and finds the recurring ones among them.
func (s *Store) FindRecurring(ctx context.Context, userID int64, today freenahi.Date) ([]freenahi.Recurring, error) {
	if today.IsZero() {
		return nil, freenahi.FieldErrorf("today", "is required")
	}
	all, err := s.allCategories(ctx, s.rdb, userID)
	if err != nil {
		return nil, fmt.Errorf("find recurring: %w", err)
	}
	q, err := reportWhereOf(userID, today.AddDays(-recurringLookBack), today, all, "t.category_id")
	if err != nil {
		return nil, err
	}
	q.where("t.value_minor < 0")
	q.where("t.coming = $?", false)
	// A series is of whole payments: split parts do not matter here.
	rows, err := s.readQuery(ctx, `SELECT t.id, t.date, t.value_minor, a.currency, a.currency_exponent, t.payee,
		t.wording, t.simplified_wording, t.original_wording, t.category_id
		FROM `+reportFrom+`
		WHERE `+q.sql(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("find recurring of user %d: %w", userID, err)
	}
	var txs []*freenahi.Transaction
	for rows.Next() {
		t := &freenahi.Transaction{UserID: userID}
		if err := rows.Scan(&t.ID, dateVal{&t.Date}, &t.ValueMinor, &t.Currency.Code, &t.Currency.Exponent, &t.Payee,
			&t.Wording, &t.SimplifiedWording, &t.OriginalWording, intPtr{&t.CategoryID}); err != nil {
			rows.Close()
			return nil, fmt.Errorf("find recurring of user %d: %w", userID, err)
		}
		txs = append(txs, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find recurring of user %d: %w", userID, err)
	}
	found := freenahi.DetectRecurring(txs, today)
	dismissed, err := s.dismissedSeries(ctx, userID)
	if err != nil {
		return nil, err
	}
	for i := range found {
		found[i].Dismissed = dismissed[found[i].Key]
	}
	return found, nil
}

func (s *Store) dismissedSeries(ctx context.Context, userID int64) (map[string]bool, error) {
	var keys []string
	if err := queryStrings(ctx, s.rdb, &keys, `SELECT series_key FROM recurring_dismissals WHERE user_id = $1`, userID); err != nil {
		return nil, fmt.Errorf("find dismissed series: %w", err)
	}
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[k] = true
	}
	return out, nil
}

// DismissRecurring marks a series as not recurring, or takes the mark back.
func (s *Store) DismissRecurring(ctx context.Context, userID int64, key string, dismissed bool) error {
	key = strings.TrimSpace(key)
	if key == "" || utf8.RuneCountInString(key) > 200 || !utf8.ValidString(key) {
		return freenahi.FieldErrorf("key", "is not a series this server found")
	}
	var err error
	if dismissed {
		_, err = s.wdb.ExecContext(ctx, `INSERT INTO recurring_dismissals (user_id, series_key, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (user_id, series_key) DO NOTHING`, userID, key, micros(s.now()))
	} else {
		_, err = s.wdb.ExecContext(ctx, `DELETE FROM recurring_dismissals WHERE user_id = $1 AND series_key = $2`, userID, key)
	}
	if err != nil {
		return fmt.Errorf("dismiss recurring of user %d: %w", userID, err)
	}
	return nil
}
