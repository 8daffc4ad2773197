package freenahi

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// SavedSearch is a transaction search a person named to run again: the
// query string of the transactions page (q, from, direction…), kept as
// typed so that a later filter parameter needs no migration.
type SavedSearch struct {
	ID        int64
	UserID    int64
	Name      string
	Query     string
	CreatedAt time.Time
}

// Saved search bounds.
const (
	MaxSavedSearchName  = 100 // the message says 100
	MaxSavedSearchQuery = 2000
	MaxSavedSearches    = 100
)

// Validate trims the name and checks both fields' sizes.
func (s *SavedSearch) Validate() error {
	s.Name = strings.TrimSpace(s.Name)
	switch {
	case s.Name == "":
		return FieldErrorf("name", "is required")
	case utf8.RuneCountInString(s.Name) > MaxSavedSearchName:
		return FieldErrorf("name", "is longer than 100 characters")
	case len(s.Query) > MaxSavedSearchQuery:
		return FieldErrorf("query", "must be at most %d characters long", MaxSavedSearchQuery)
	}
	return nil
}

// SavedSearchService keeps each person's saved searches.
type SavedSearchService interface {
	// FindSavedSearches returns the user's saved searches by name.
	FindSavedSearches(ctx context.Context, userID int64) ([]*SavedSearch, error)
	// CreateSavedSearch stores s for s.UserID and sets its ID; EINVALID
	// when it does not validate or the user has MaxSavedSearches already,
	// ECONFLICT when the user has a search of that name.
	CreateSavedSearch(ctx context.Context, s *SavedSearch) error
	// DeleteSavedSearch removes one of the user's saved searches;
	// ENOTFOUND if it is not theirs.
	DeleteSavedSearch(ctx context.Context, userID, id int64) error
}
