package store_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/password"
)

// BenchmarkReserveSignin is the cost of counting a sign-in attempt in the
// database, as three buckets like the web UI's: refused (a throttled
// guess, which hashes nothing) and granted (then followed by a hash). The
// reference, measured in the same run, is the argon2id check that every
// granted attempt pays and every refused one saves.
//
//	go test ./store -run '^$' -bench ReserveSignin
func BenchmarkReserveSignin(b *testing.B) {
	b.Run("Argon2idVerify", func(b *testing.B) {
		h, err := password.Hash("correct horse battery")
		if err != nil {
			b.Fatal(err)
		}
		for range b.N {
			password.Verify(h, "wrong horse battery")
		}
	})
	for _, engine := range engines {
		b.Run(string(engine), func(b *testing.B) {
			s, _ := MustOpenStore(b, engine) // the clock stands still
			buckets := func(client string) []freenahi.SigninBucket {
				return []freenahi.SigninBucket{
					{Key: "client:ana@example.com|" + client, Account: "ana@example.com", Free: 5, MaxDelay: 15 * time.Minute},
					{Key: "account:ana@example.com", Account: "ana@example.com", Free: 1 << 30, MaxDelay: 15 * time.Minute},
					{Key: "address:" + client, Free: 1 << 30, MaxDelay: 15 * time.Minute},
				}
			}
			b.Run("Refused", func(b *testing.B) {
				throttled := buckets("192.0.2.1")
				for range 5 {
					s.ReserveSignin(ctx, throttled)
				}
				b.ResetTimer()
				for range b.N {
					if wait, err := s.ReserveSignin(ctx, throttled); err != nil || wait == 0 {
						b.Fatalf("wait %v, %v; want refused", wait, err)
					}
				}
			})
			b.Run("Granted", func(b *testing.B) {
				for i := range b.N {
					if wait, err := s.ReserveSignin(ctx, buckets("198.51.100."+strconv.Itoa(i))); err != nil || wait != 0 {
						b.Fatalf("wait %v, %v; want granted", wait, err)
					}
				}
			})
		})
	}
}
