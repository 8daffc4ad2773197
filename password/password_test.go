package password_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/password"
)

func TestHashVerify(t *testing.T) {
	h, err := password.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash=%q", h)
	}
	if err := password.Verify(h, "correct horse battery"); err != nil {
		t.Fatalf("Verify(right)=%v", err)
	}
	if err := password.Verify(h, "correct horse batterz"); !errors.Is(err, password.ErrMismatch) {
		t.Fatalf("Verify(wrong)=%v, want ErrMismatch", err)
	}
	if h2, _ := password.Hash("correct horse battery"); h2 == h {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", h[:len(h)-3] + "!!!"} {
		if err := password.Verify(bad, "correct horse battery"); err == nil {
			t.Errorf("Verify(%q) accepted a malformed hash", bad)
		}
	}
}

// TestUnmatchable: the stand-in hash sign-in verifies for unknown e-mails
// carries the parameters of a real hash (they set what verifying costs,
// which must not tell the cases apart), and no password matches it.
func TestUnmatchable(t *testing.T) {
	h := password.Unmatchable()
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("Unmatchable()=%q, want the parameters of Hash", h)
	}
	if real, _ := password.Hash("correct horse battery"); len(real) != len(h) {
		t.Fatalf("Unmatchable()=%q, not the length of a real hash %q (salt and key sizes differ)", h, real)
	}
	for _, pw := range []string{"correct horse battery", "", "not-a-real-password-"} {
		if err := password.Verify(h, pw); !errors.Is(err, password.ErrMismatch) {
			t.Errorf("Verify(Unmatchable(), %q)=%v, want ErrMismatch", pw, err)
		}
	}
	if h2 := password.Unmatchable(); h2 == h {
		t.Fatal("two unmatchable hashes are equal: not random")
	}
}

func TestCheck(t *testing.T) {
	if _, err := password.Hash("short"); err == nil {
		t.Fatal("accepted a 5-character password")
	}
	if err := password.Check("Lw8 #qz tP"); err != nil {
		t.Fatalf("refused a 10-character random password: %v", err)
	}
}
