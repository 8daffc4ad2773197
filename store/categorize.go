package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

// keepEdited gives the upsert's update expression of each column a person
// may edit: the stored value stays when the row's user_edits has the
// field's bit, so a sync never overwrites a manual edit.
func keepEdited(cols map[string]freenahi.Edits) map[string]string {
	out := make(map[string]string, len(cols))
	for col, bit := range cols {
		keep := "(transactions.user_edits & " + strconv.Itoa(int(bit)) + ") <> 0"
		if col == "transfer" {
			// A detected pair keeps its mark too, until the person undoes it.
			keep += " OR transactions.transfer_pair_id IS NOT NULL"
		}
		out[col] = "CASE WHEN " + keep + " THEN transactions." + col + " ELSE excluded." + col + " END"
	}
	return out
}

// categorize gives each transaction its payee and category, in the event's
// own database transaction, with what the user has taught so far.
func (w *syncWriter) categorize(ctx context.Context, txs []*freenahi.Transaction) error {
	if w.s.SkipCategorization {
		return nil
	}
	if w.categorizer == nil {
		c, err := w.s.loadCategorizer(ctx, w.tx, w.userID)
		if err != nil {
			return fmt.Errorf("categorize: %w", err)
		}
		w.categorizer = c
	}
	for _, t := range txs {
		w.categorizer.Categorize(t)
	}
	return nil
}

// loadCategorizer reads what categorisation needs of the user: the
// category tree (created on first use), rules and learned payees.
func (s *Store) loadCategorizer(ctx context.Context, tx execer, userID int64) (*freenahi.Categorizer, error) {
	if err := s.ensureCategories(ctx, tx, userID); err != nil {
		return nil, err
	}
	all, err := s.allCategories(ctx, tx, userID)
	if err != nil {
		return nil, fmt.Errorf("read categories: %w", err)
	}
	rules, err := s.findRules(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	learned := map[string]int64{}
	rows, err := tx.QueryContext(ctx, `SELECT payee_key, category_id FROM payee_categories WHERE user_id = $1`, userID)
	if err != nil {
		return nil, fmt.Errorf("read learned payees: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var id int64
		if err := rows.Scan(&key, &id); err != nil {
			return nil, fmt.Errorf("read learned payees: %w", err)
		}
		learned[key] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read learned payees: %w", err)
	}
	return &freenahi.Categorizer{Rules: rules, Learned: learned, Keys: categoryKeys(all)}, nil
}

// joinTags stores tags one per line (a tag holds no newline).
func joinTags(tags []string) string { return strings.Join(tags, "\n") }

func splitTags(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
