package notify_test

import (
	"slices"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestRound_LowBalanceFollowsChoices: the low-balance alert watches the
// accounts the person counts, in the group they chose: a hidden or archived
// checking account, or one moved to savings, is not watched; moved back and
// renamed, it is, under the person's name. One round a day; the subjects
// are written by hand.
func TestRound_LowBalanceFollowsChoices(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, paris) // a Tuesday: no weekly summary
	s.Now = func() time.Time { return now }
	w := newWorld(t, s, "ana@example.com", 8, now)
	low := freenahi.MustParseDecimal("100")
	if err := s.SaveNotificationPrefs(ctx, &freenahi.NotificationPrefs{UserID: w.user.ID, Language: "fr", Email: true, LowBalance: &low}); err != nil {
		t.Fatal(err)
	}
	ms := startMailServer(t, "starttls")
	svc := newService(s, mailer(t, ms), &now)
	no, yes := false, true
	checking, savings := freenahi.GroupChecking, freenahi.GroupSavings
	name, renamed := "", "Compte de Léa"
	for _, step := range []struct {
		what    string
		choices freenahi.AccountChoices
		want    []string
	}{
		{"hidden", freenahi.AccountChoices{Hidden: &yes}, nil},
		{"archived", freenahi.AccountChoices{Hidden: &no, Archived: &yes}, nil},
		{"moved to savings", freenahi.AccountChoices{Archived: &no, Group: &savings}, nil},
		{"back in checking, renamed", freenahi.AccountChoices{Group: &checking, Name: &renamed}, []string{"Solde bas sur Compte de Léa"}},
		{"name given back", freenahi.AccountChoices{Name: &name}, []string{"Solde bas sur Compte joint"}},
	} {
		if _, err := s.UpdateAccountChoices(ctx, w.user.ID, w.account.ID, step.choices); err != nil {
			t.Fatal(err)
		}
		before := len(ms.mails())
		if err := svc.Round(ctx); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, subject := range subjects(t, ms, before) {
			if subject == "Solde bas sur Compte joint" || subject == "Solde bas sur Compte de Léa" {
				got = append(got, subject)
			}
		}
		if !slices.Equal(got, step.want) {
			t.Errorf("%s: low-balance mails %q, want %q", step.what, got, step.want)
		}
		now = now.Add(24 * time.Hour)
	}
}
