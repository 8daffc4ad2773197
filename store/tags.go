package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/freenahi/freenahi"
)

// FindTags returns the tags on the user's transactions, sorted, through
// the partial index of migration 00100 (only tagged rows are in it).
func (s *Store) FindTags(ctx context.Context, userID int64) ([]string, error) {
	rows, err := s.readQuery(ctx, `SELECT DISTINCT tags FROM transactions
		WHERE user_id = $1 AND tags <> '' AND deleted_at IS NULL`, userID)
	if err != nil {
		return nil, fmt.Errorf("find tags of user %d: %w", userID, err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var joined string
		if err := rows.Scan(&joined); err != nil {
			return nil, fmt.Errorf("find tags of user %d: %w", userID, err)
		}
		for _, t := range splitTags(joined) {
			seen[t] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find tags of user %d: %w", userID, err)
	}
	out := make([]string, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	slices.Sort(out)
	return out[:min(len(out), freenahi.MaxTagChoices)], nil
}
