package store_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

func TestStore_ReserveSignin(t *testing.T) {
	client := freenahi.SigninBucket{Key: "client:ana@example.com|192.0.2.1", Account: "ana@example.com", Free: 3, MaxDelay: 15 * time.Minute}
	address := freenahi.SigninBucket{Key: "address:192.0.2.1", Free: 20, MaxDelay: 15 * time.Minute}
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		reserve := func(t *testing.T, want time.Duration, buckets ...freenahi.SigninBucket) {
			t.Helper()
			got, err := s.ReserveSignin(ctx, buckets)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("ReserveSignin wait=%v, want %v", got, want)
			}
		}
		t.Run("GrowingDelays", func(t *testing.T) {
			// Three free failures, then 10 s, 20 s, 40 s, … (worked out by hand).
			for range 3 {
				reserve(t, 0, client, address)
			}
			reserve(t, 10*time.Second, client, address)
			clk.Add(4 * time.Second)
			reserve(t, 6*time.Second, client, address)
			clk.Add(6 * time.Second)
			reserve(t, 0, client, address) // the 4th failure: now 20 s
			clk.Add(19 * time.Second)
			reserve(t, time.Second, client, address)
			clk.Add(time.Second)
			reserve(t, 0, client, address) // the 5th: 40 s
			reserve(t, 40*time.Second, client)
		})
		t.Run("RefusedChargesNothing", func(t *testing.T) {
			// The client bucket waits; the address bucket, listed first in
			// sort order, must not have been charged for the refused tries.
			for range 10 {
				reserve(t, 40*time.Second, client, address)
			}
			other := freenahi.SigninBucket{Key: "address:192.0.2.1", Free: 5, MaxDelay: time.Hour}
			// address counted 5 failures (the 4 refused tries above charged
			// nothing); the 6th, with 5 free, makes the next wait 20 s.
			reserve(t, 0, other)
			reserve(t, 20*time.Second, other)
		})
		t.Run("SucceededForgetsAndRefunds", func(t *testing.T) {
			clk.Add(time.Hour)
			reserve(t, 0, client, address)
			if err := s.SigninSucceeded(ctx, []string{client.Key}, []string{address.Key}); err != nil {
				t.Fatal(err)
			}
			for range 3 {
				reserve(t, 0, client)
			}
			reserve(t, 10*time.Second, client)
			// address had 6 failures, +1 charged and refunded, so 6: the
			// 7th makes the next wait 40 s.
			other := freenahi.SigninBucket{Key: "address:192.0.2.1", Free: 5, MaxDelay: time.Hour}
			reserve(t, 0, other)
			reserve(t, 40*time.Second, other)
		})
		t.Run("ForgottenAfterADay", func(t *testing.T) {
			clk.Add(freenahi.SigninForgetAfter + time.Second)
			for range 3 {
				reserve(t, 0, client)
			}
			reserve(t, 10*time.Second, client)
		})
		t.Run("Unlock", func(t *testing.T) {
			device := freenahi.SigninBucket{Key: "device:ana@example.com|d1", Account: "ana@example.com", Free: 0, MaxDelay: time.Minute}
			reserve(t, 0, device)
			reserve(t, 10*time.Second, device)
			n, err := s.UnlockSignin(ctx, "ana@example.com")
			if err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Fatalf("UnlockSignin cleared %d buckets, want 2 (client and device)", n)
			}
			reserve(t, 0, client)
			reserve(t, 0, device)
		})
	})
}

// TestStore_ReserveSignin_Parallel is the attack of issue 10: 40 wrong
// passwords sent at once. Only the bucket's free attempts may be let through
// to the password hash, even from two instances sharing the database.
func TestStore_ReserveSignin_Parallel(t *testing.T) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			a, _, url := MustOpenStoreURL(t, engine)
			b, err := store.Open(ctx, url, store.Options{Secrets: storetest.Key(t)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			b.Now = a.Now // the clock stands still: no delay ends during the test
			bucket := freenahi.SigninBucket{Key: "client:bo@example.com|198.51.100.7", Account: "bo@example.com", Free: 5, MaxDelay: 15 * time.Minute}
			var granted, refused atomic.Int64
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range 40 {
				wg.Go(func() {
					<-start
					s := a
					if i%2 == 1 {
						s = b
					}
					wait, err := s.ReserveSignin(ctx, []freenahi.SigninBucket{bucket})
					switch {
					case err != nil:
						t.Error(err)
					case wait == 0:
						granted.Add(1)
					default:
						refused.Add(1)
					}
				})
			}
			close(start)
			wg.Wait()
			if granted.Load() != 5 || refused.Load() != 35 {
				t.Fatalf("40 parallel attempts: %d let through, %d refused; want 5 and 35", granted.Load(), refused.Load())
			}
		})
	}
}
