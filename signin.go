package freenahi

import "time"

// SigninBucket is one count of failed sign-ins that an attempt is charged
// against before its password is checked: an account from one client, an
// account from one known device, every account from one client address.
// Counting before the slow hash, in the database, is what makes parallel
// guesses and several instances share one limit.
type SigninBucket struct {
	// Key identifies the bucket, e.g. "client:alice@example.com|192.0.2.1".
	Key string
	// Account is the e-mail address the bucket concerns, so that
	// `freenahi user unlock` can clear it; "" for a bucket of a client alone.
	Account string
	// Free is how many attempts pass before the first delay (at least one).
	Free int
	// MaxDelay caps the growing delay after the free failures.
	MaxDelay time.Duration
}

// SigninFirstDelay is the wait after a bucket's free failures; each further
// failure doubles it, up to the bucket's MaxDelay.
const SigninFirstDelay = 10 * time.Second

// SigninForgetAfter is how long after its last failure a bucket starts
// afresh.
const SigninForgetAfter = 24 * time.Hour

// DelayAfter is how long the bucket makes the next attempt wait once it has
// counted failures: nothing for the free ones, then SigninFirstDelay
// doubling up to MaxDelay. It never refuses for good: a delay always ends.
func (b SigninBucket) DelayAfter(failures int) time.Duration {
	over := failures - max(b.Free, 1)
	if over < 0 {
		return 0
	}
	d := SigninFirstDelay
	for range over {
		if d >= b.MaxDelay {
			break
		}
		d *= 2
	}
	return min(d, b.MaxDelay)
}
