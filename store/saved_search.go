package store

import (
	"context"
	"fmt"

	"github.com/freenahi/freenahi"
)

var _ freenahi.SavedSearchService = (*Store)(nil)

// FindSavedSearches returns the user's saved searches by name.
func (s *Store) FindSavedSearches(ctx context.Context, userID int64) ([]*freenahi.SavedSearch, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, user_id, name, query, created_at FROM saved_searches
		WHERE user_id = $1 ORDER BY name, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("find saved searches: %w", err)
	}
	defer rows.Close()
	out := []*freenahi.SavedSearch{}
	for rows.Next() {
		ss := &freenahi.SavedSearch{}
		if err := rows.Scan(&ss.ID, &ss.UserID, &ss.Name, &ss.Query, timeVal{&ss.CreatedAt}); err != nil {
			return nil, fmt.Errorf("find saved searches: %w", err)
		}
		out = append(out, ss)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find saved searches: %w", err)
	}
	return out, nil
}

// CreateSavedSearch stores a user's named search; ECONFLICT when the name
// is taken, EINVALID past freenahi.MaxSavedSearches.
func (s *Store) CreateSavedSearch(ctx context.Context, ss *freenahi.SavedSearch) error {
	if err := ss.Validate(); err != nil {
		return err
	}
	ss.Name, ss.Query = storableText(ss.Name), storableText(ss.Query)
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create saved search: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM saved_searches WHERE user_id = $1`, ss.UserID).Scan(&n); err != nil {
		return fmt.Errorf("create saved search: %w", err)
	}
	if n >= freenahi.MaxSavedSearches {
		return freenahi.FieldErrorf("name", "You have %d saved searches already; delete one first.", freenahi.MaxSavedSearches)
	}
	now := s.now()
	err = tx.QueryRowContext(ctx, `INSERT INTO saved_searches (user_id, name, query, created_at) VALUES ($1, $2, $3, $4)
		RETURNING id`, ss.UserID, ss.Name, ss.Query, micros(now)).Scan(&ss.ID)
	if err != nil {
		if isUniqueViolation(err) {
			return freenahi.Errorf(freenahi.ECONFLICT, "A saved search named %q exists already.", ss.Name)
		}
		return fmt.Errorf("create saved search: %w", userMissing(err, ss.UserID))
	}
	ss.CreatedAt = fromMicros(micros(now))
	return tx.Commit()
}

// DeleteSavedSearch removes one of the user's saved searches.
func (s *Store) DeleteSavedSearch(ctx context.Context, userID, id int64) error {
	res, err := s.wdb.ExecContext(ctx, `DELETE FROM saved_searches WHERE id = $1 AND user_id = $2`, id, userID)
	return notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "Saved search %d not found.", id))
}
