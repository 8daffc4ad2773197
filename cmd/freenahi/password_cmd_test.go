package main

import (
	"context"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/password"
	"github.com/freenahi/freenahi/store"
)

// TestUserSetPassword: a forgotten password is replaced from the command
// line without touching the user's data; the new one verifies with the
// password package, the old one no longer does; bad input changes nothing.
func TestUserSetPassword(t *testing.T) {
	tm := newTestMain(t, store.SQLite)
	tm.run("old password 123\n", "user", "create", "--email", "ana@example.com", "--password-stdin")
	out := tm.run("brand new password\n", "user", "set-password", "--email", "ANA@example.com", "--password-stdin")
	if !strings.Contains(out, "password of user 1 <ana@example.com> set") {
		t.Fatalf("output %q", out)
	}
	hash := func() string {
		m, _, _ := tm.main("")
		var h string
		err := m.withStore(context.Background(), func(s *store.Store) error {
			u, err := s.FindUserByEmail(context.Background(), "ana@example.com")
			if err == nil {
				h, err = s.UserPasswordHash(context.Background(), u.ID)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	h := hash()
	if password.Verify(h, "brand new password") != nil || password.Verify(h, "old password 123") == nil {
		t.Fatal("the stored hash does not match the new password only")
	}
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"short\n", []string{"--email", "ana@example.com", "--password-stdin"}, "at least 10"},
		{"long enough pw\n", []string{"--email", "nobody@example.com", "--password-stdin"}, "not found"},
		{"long enough pw\n", []string{"--email", "ana@example.com"}, "--password-stdin are required"},
	} {
		err := tm.runErr(c.stdin, append([]string{"user", "set-password"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error about %q", c.args, err, c.want)
		}
	}
	if hash() != h {
		t.Fatal("a refused command changed the password")
	}
}
