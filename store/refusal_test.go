package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

func TestStore_Refusals(t *testing.T) {
	ctx := context.Background()
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 11, 2, 10, 30, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		at := func(m int) time.Time { return now.Add(time.Duration(m) * time.Minute) }
		err := s.RecordRefusals(ctx, []freenahi.WebhookRefusal{
			{Hour: at(0), Event: "connection_synced", Reason: "bad_token", Count: 3, LastAt: at(1), LastDetail: "first"},
			{Hour: at(0), Event: "connection_synced", Reason: "bad_signature", Count: 1, LastAt: at(2), LastDetail: "sig"},
			{Hour: at(-31 * 24 * 60), Event: "connection_synced", Reason: "bad_token", Count: 9, LastAt: at(-31 * 24 * 60), LastDetail: "old"},
		})
		if err != nil {
			t.Fatal(err)
		}
		// A later flush adds up; an older detail does not replace a newer one.
		err = s.RecordRefusals(ctx, []freenahi.WebhookRefusal{
			{Hour: at(10), Event: "connection_synced", Reason: "bad_token", Count: 2, LastAt: at(12), LastDetail: "latest"},
			{Hour: at(10), Event: "connection_synced", Reason: "bad_signature", Count: 1, LastAt: at(-5), LastDetail: "older"},
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.FindRefusals(ctx, now.Add(-48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]freenahi.WebhookRefusal{}
		for _, r := range got {
			counts[r.Reason] = r
		}
		if len(got) != 2 || counts["bad_token"].Count != 5 || counts["bad_token"].LastDetail != "latest" ||
			counts["bad_signature"].Count != 2 || counts["bad_signature"].LastDetail != "sig" {
			t.Fatalf("refusals %+v", got)
		}
		if all, _ := s.FindRefusals(ctx, now.Add(-60*24*time.Hour)); len(all) != 2 {
			t.Fatalf("the 31-day-old count was kept: %+v", all)
		}
	})
}
