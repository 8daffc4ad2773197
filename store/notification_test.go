package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/google/go-cmp/cmp"
)

func TestStore_NotificationPrefs(t *testing.T) {
	ctx := context.Background()
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u, err := s.CreateUser(ctx, "prefs@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindNotificationPrefs(ctx, u.ID); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			t.Fatalf("no preferences yet: %v", err)
		}
		low, large := freenahi.MustParseDecimal("100.5"), freenahi.MustParseDecimal("1000")
		want := &freenahi.NotificationPrefs{UserID: u.ID, Language: "fr", Email: true,
			WebhookURL: "https://gotify.example/message?token=SECRET-TOKEN", WebhookFormat: freenahi.WebhookFormatJSON,
			Off: []freenahi.NotificationKind{freenahi.NotifyWeeklySummary, freenahi.NotifySyncFailing}, LowBalance: &low, LargeDebit: &large}
		if err := s.SaveNotificationPrefs(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindNotificationPrefs(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b freenahi.Decimal) bool { return a.Equal(b) })); diff != "" {
			t.Fatalf("preferences (-saved +read):\n%s", diff)
		}
		// The webhook address carries a token: it is sealed at rest.
		var sealed []byte
		if err := s.DB().QueryRowContext(ctx, `SELECT webhook_sealed FROM notification_prefs WHERE user_id = $1`, u.ID).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(sealed, []byte("SECRET-TOKEN")) || len(sealed) == 0 {
			t.Fatalf("webhook address stored as %q", sealed)
		}
		// Bad input names its field and leaves the stored preferences alone.
		for field, bad := range map[string]freenahi.NotificationPrefs{
			"language":       {UserID: u.ID, Language: "de"},
			"webhook_url":    {UserID: u.ID, Language: "en", WebhookURL: "file:///etc/passwd"},
			"webhook_format": {UserID: u.ID, Language: "en", WebhookFormat: "xml"},
			"off":            {UserID: u.ID, Language: "en", Off: []freenahi.NotificationKind{"budget"}},
			"low_balance":    {UserID: u.ID, Language: "en", LowBalance: ptr(freenahi.MustParseDecimal("-1"))},
		} {
			err := s.SaveNotificationPrefs(ctx, &bad)
			if e, ok := err.(*freenahi.Error); !ok || e.Code != freenahi.EINVALID || e.Field != field {
				t.Errorf("%s: got %v", field, err)
			}
		}
		if again, _ := s.FindNotificationPrefs(ctx, u.ID); again == nil || again.Language != "fr" || again.WebhookURL != want.WebhookURL {
			t.Fatalf("refused input changed the stored preferences: %+v", again)
		}
		if err := s.SaveNotificationPrefs(ctx, &freenahi.NotificationPrefs{UserID: 9999, Language: "en"}); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			t.Fatalf("unknown user: %v", err)
		}
	})
}

func TestStore_NotificationsDedupAndScope(t *testing.T) {
	ctx := context.Background()
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		a, _ := s.CreateUser(ctx, "a@example.com", "")
		b, _ := s.CreateUser(ctx, "b@example.com", "")
		n := &freenahi.Notification{UserID: a.ID, Kind: freenahi.NotifyConnectionAction, DedupKey: "connection:1:SCARequired:2026-12-06",
			Subject: "s", Body: "b", Link: "https://x/connections/1", Email: freenahi.DeliveryPending, EmailTo: "a@example.com", Webhook: freenahi.DeliveryOff}
		if err := s.AddNotification(ctx, n); err != nil || n.ID == 0 || !n.CreatedAt.Equal(now) {
			t.Fatalf("add: %v %+v", err, n)
		}
		dup := *n
		if err := s.AddNotification(ctx, &dup); freenahi.ErrorCode(err) != freenahi.ECONFLICT {
			t.Fatalf("same key twice: %v", err)
		}
		// Another user's condition with the same key is theirs.
		other := *n
		other.UserID = b.ID
		if err := s.AddNotification(ctx, &other); err != nil {
			t.Fatal(err)
		}
		undelivered, err := s.FindUndeliveredNotifications(ctx, now.Add(-time.Hour))
		if err != nil || len(undelivered) != 2 {
			t.Fatalf("undelivered: %v %d", err, len(undelivered))
		}
		n.Email, n.Attempts, n.LastError = freenahi.DeliverySent, 1, ""
		if err := s.UpdateNotificationDelivery(ctx, n); err != nil {
			t.Fatal(err)
		}
		wrong := *n
		wrong.UserID = b.ID
		if err := s.UpdateNotificationDelivery(ctx, &wrong); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			t.Fatalf("another user's notification updated: %v", err)
		}
		mine, err := s.FindNotifications(ctx, a.ID, 10)
		if err != nil || len(mine) != 1 || mine[0].Email != freenahi.DeliverySent || mine[0].Attempts != 1 || mine[0].Link != n.Link {
			t.Fatalf("history of a: %v %+v", err, mine)
		}
		if undelivered, _ := s.FindUndeliveredNotifications(ctx, now.Add(-time.Hour)); len(undelivered) != 1 || undelivered[0].UserID != b.ID {
			t.Fatalf("undelivered after sending: %+v", undelivered)
		}
	})
}

func TestStore_Lease(t *testing.T) {
	ctx := context.Background()
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		steps := []struct {
			advance time.Duration
			holder  string
			want    bool
		}{
			{0, "one", true},
			{0, "two", false},               // held by one
			{30 * time.Second, "one", true}, // renewed
			{50 * time.Second, "two", false},
			{40 * time.Second, "two", true}, // one's lease (until +90s) expired at +120s
			{0, "one", false},
		}
		for i, st := range steps {
			now = now.Add(st.advance)
			got, err := s.AcquireLease(ctx, "notify", st.holder, time.Minute)
			if err != nil || got != st.want {
				t.Fatalf("step %d (%s): got %v, %v; want %v", i, st.holder, got, err, st.want)
			}
		}
	})
}
