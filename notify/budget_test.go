package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestRound_BudgetExceeded: the rent of 750.00 goes over a rent budget of
// 700.00; the mail says by how much (worked out by hand), links to the
// budgets page, and is not sent again that day nor the next; a new amount
// still exceeded is told once more.
func TestRound_BudgetExceeded(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, paris)
		s.Now = func() time.Time { return now }
		w := newWorld(t, s, "ana@example.com", 7, now)
		var off []freenahi.NotificationKind
		for _, k := range freenahi.NotificationKinds {
			if k != freenahi.NotifyBudgetExceeded {
				off = append(off, k)
			}
		}
		if err := s.SaveNotificationPrefs(ctx, &freenahi.NotificationPrefs{UserID: w.user.ID, Language: "fr", Email: true, Off: off}); err != nil {
			t.Fatal(err)
		}
		cats, err := s.FindCategories(ctx, w.user.ID)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]int64{}
		for _, c := range cats {
			ids[c.Key] = c.ID
		}
		rent := ids["rent"]
		loyer, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: w.user.ID, Query: "LOYER DECEMBRE"})
		if err != nil || len(loyer) != 1 {
			t.Fatalf("the rent: %v %v", loyer, err)
		}
		if _, err := s.EditTransaction(ctx, w.user.ID, loyer[0].ID, freenahi.TransactionEdit{CategoryID: &rent}); err != nil {
			t.Fatal(err)
		}
		amount := freenahi.MustParseDecimal("700")
		b, err := s.CreateBudget(ctx, w.user.ID, freenahi.BudgetInput{CategoryID: &rent, Amount: &amount})
		if err != nil {
			t.Fatal(err)
		}
		groceries, plenty := ids["groceries"], freenahi.MustParseDecimal("500")
		if _, err := s.CreateBudget(ctx, w.user.ID, freenahi.BudgetInput{CategoryID: &groceries, Amount: &plenty}); err != nil {
			t.Fatal(err)
		}
		ms := startMailServer(t, "starttls")
		svc := newService(s, mailer(t, ms), &now)
		if err := svc.Round(ctx); err != nil {
			t.Fatal(err)
		}
		mails := ms.mails()
		if len(mails) != 1 {
			t.Fatalf("%d mails, want 1", len(mails))
		}
		m := decode(t, mails[0].raw)
		if m.Subject != "Budget dépassé\u00a0: Loyer" {
			t.Fatalf("subject %q", m.Subject)
		}
		for _, part := range []string{"750,00\u00a0€", "700,00\u00a0€", "50,00\u00a0€ de dépassement", "https://money.example/budgets"} {
			if !strings.Contains(m.Body, part) {
				t.Errorf("body lacks %q:\n%s", part, m.Body)
			}
		}
		for _, later := range []time.Duration{3 * time.Hour, 24 * time.Hour} {
			now = now.Add(later)
			if err := svc.Round(ctx); err != nil {
				t.Fatal(err)
			}
			if n := len(ms.mails()); n != 1 {
				t.Fatalf("%d mails %s later", n, later)
			}
		}
		more := freenahi.MustParseDecimal("740")
		if _, err := s.UpdateBudget(ctx, w.user.ID, b.ID, freenahi.BudgetInput{Amount: &more}); err != nil {
			t.Fatal(err)
		}
		if err := svc.Round(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(ms.mails()); n != 2 || !strings.Contains(decode(t, ms.mails()[1].raw).Body, "10,00\u00a0€ de dépassement") {
			t.Fatalf("%d mails after raising the budget to a still exceeded 740.00", n)
		}
	})
}
