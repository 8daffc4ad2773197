package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// BenchmarkClaimEvent claims and finishes events of one Powens user with a
// long history behind them (10,000 processed, 2,000 queued), the situation
// of a busy user after months: a claim must not grow with history.
//
//	go test ./store -run '^$' -bench ClaimEvent
func BenchmarkClaimEvent(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			s := storetest.MustOpen(b, engine)
			u, _ := s.CreateUser(ctx, "claim@example.com", "")
			s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 7, Token: "t"})
			pid := int64(7)
			add := func(i int) {
				e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "k" + strconv.Itoa(i), PowensUserID: &pid,
					Auth: freenahi.AuthHMAC, Body: []byte(`{}`)}
				if _, err := s.ReceiveEvent(ctx, e); err != nil {
					b.Fatal(err)
				}
			}
			for i := 0; i < 12_000+b.N; i++ {
				add(i)
			}
			finish := func() {
				e, err := s.ClaimEvent(ctx, time.Minute)
				if err != nil || e == nil {
					b.Fatalf("claim: %v %v", e, err)
				}
				if err := s.ProcessEvent(ctx, e, func(context.Context, freenahi.SyncWriter) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
			for range 10_000 {
				finish()
			}
			b.ResetTimer()
			for range b.N {
				finish()
			}
		})
	}
}
