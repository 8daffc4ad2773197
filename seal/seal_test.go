package seal_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/freenahi/freenahi/seal"
)

func TestKey_SealOpen(t *testing.T) {
	k := mustKey(t)
	sealed, err := k.Seal([]byte("permanent-token"), "powens_token:1")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k.Open(sealed, "powens_token:1"); err != nil || string(got) != "permanent-token" {
		t.Fatalf("Open=%q, %v", got, err)
	}
	t.Run("OtherRecord", func(t *testing.T) {
		if _, err := k.Open(sealed, "powens_token:2"); err == nil {
			t.Fatal("opened a value sealed for another record")
		}
	})
	t.Run("OtherKey", func(t *testing.T) {
		if _, err := mustKey(t).Open(sealed, "powens_token:1"); !errors.Is(err, seal.ErrWrongKey) {
			t.Fatalf("err=%v, want ErrWrongKey", err)
		}
	})
	t.Run("Tampered", func(t *testing.T) {
		bad := append([]byte(nil), sealed...)
		bad[len(bad)-1] ^= 1
		if _, err := k.Open(bad, "powens_token:1"); err == nil {
			t.Fatal("opened a tampered value")
		}
	})
}

func TestParseKey(t *testing.T) {
	for _, tc := range []struct {
		text string
		ok   bool
	}{
		{"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", true},
		{"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", true},
		{"too-short", false},
		{"", false},
	} {
		if _, err := seal.ParseKey(tc.text); (err == nil) != tc.ok {
			t.Errorf("ParseKey(%q) err=%v, want ok=%v", tc.text, err, tc.ok)
		}
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "secret.key")
	k1, created, err := seal.LoadOrCreateKeyFile(path)
	if err != nil || !created {
		t.Fatalf("created=%v err=%v", created, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode=%v err=%v, want 0600", fi.Mode().Perm(), err)
	}
	k2, created, err := seal.LoadOrCreateKeyFile(path)
	if err != nil || created {
		t.Fatalf("second load created=%v err=%v", created, err)
	}
	sealed, _ := k1.Seal([]byte("x"), "a")
	if _, err := k2.Open(sealed, "a"); err != nil {
		t.Fatalf("reloaded key cannot open: %v", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := seal.LoadOrCreateKeyFile(path); err == nil {
		t.Fatal("accepted a world-readable key file")
	}
}

func mustKey(t *testing.T) *seal.Key {
	t.Helper()
	text, err := seal.GenerateKeyText()
	if err != nil {
		t.Fatal(err)
	}
	k, err := seal.ParseKey(text)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
