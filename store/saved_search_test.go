package store_test

import (
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

func TestSavedSearchService(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustCreateUser(t, s, "ana@example.com", 0)
		bob := MustCreateUser(t, s, "bob@example.com", 0)
		create := func(u *freenahi.User, name, query string) (*freenahi.SavedSearch, error) {
			ss := &freenahi.SavedSearch{UserID: u.ID, Name: name, Query: query}
			return ss, s.CreateSavedSearch(ctx, ss)
		}
		courses, err := create(ana, "  Courses ", "q=carrefour&direction=spending")
		if err != nil || courses.ID == 0 || courses.Name != "Courses" {
			t.Fatalf("create: %+v %v", courses, err)
		}
		if _, err := create(ana, "Assurance", "q=maif"); err != nil {
			t.Fatal(err)
		}
		if _, err := create(bob, "Courses", "q=lidl"); err != nil {
			t.Fatalf("another user's search of the same name: %v", err)
		}
		_, err = create(ana, "Courses", "q=lidl")
		wantCode(t, err, freenahi.ECONFLICT, "same name twice")
		for _, bad := range []struct{ name, query, field string }{
			{"  ", "q=x", "name"},
			{strings.Repeat("é", 101), "q=x", "name"},
			{"Long", strings.Repeat("x", freenahi.MaxSavedSearchQuery+1), "query"},
		} {
			_, err := create(ana, bad.name, bad.query)
			if freenahi.ErrorField(err) != bad.field {
				t.Errorf("name %q: err %v, want one naming %s", bad.name, err, bad.field)
			}
		}
		got, err := s.FindSavedSearches(ctx, ana.ID)
		if err != nil || len(got) != 2 || got[0].Name != "Assurance" || got[1].Name != "Courses" ||
			got[1].Query != "q=carrefour&direction=spending" {
			t.Fatalf("ana's searches: %+v %v", got, err)
		}
		wantCode(t, s.DeleteSavedSearch(ctx, bob.ID, courses.ID), freenahi.ENOTFOUND, "another user's search")
		if err := s.DeleteSavedSearch(ctx, ana.ID, courses.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindSavedSearches(ctx, ana.ID); len(got) != 1 {
			t.Fatalf("after delete: %d searches", len(got))
		}
		if got, _ := s.FindSavedSearches(ctx, bob.ID); len(got) != 1 || got[0].Query != "q=lidl" {
			t.Fatalf("bob's searches: %+v", got)
		}
	})
}
