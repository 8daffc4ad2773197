package store

import (
	"context"

	"github.com/freenahi/freenahi"
)

// SpentByMonth lets the external tests check budget progress's sums
// (debits less refunds per month and category, one currency) against their
// own query.
func (s *Store) SpentByMonth(ctx context.Context, userID int64, currency string, from, to freenahi.Date) (map[freenahi.Date]map[int64]int64, error) {
	all, err := s.allCategories(ctx, s.rdb, userID)
	if err != nil {
		return nil, err
	}
	return s.spentByMonth(ctx, userID, currency, from, to, all)
}
