package twofactor_test

import (
	"encoding/base32"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi/twofactor"
	"github.com/freenahi/freenahi/web/webtest"
)

// rfcSecret is the SHA-1 seed of RFC 6238's appendix B, in base32.
var rfcSecret = base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))

// rfcVectors are RFC 6238 appendix B's SHA-1 rows: time, 8-digit TOTP.
var rfcVectors = []struct {
	unix int64
	code string
}{
	{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
	{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
}

// hotp is webtest's own RFC 4226 HOTP, not the library's.
var hotp = webtest.HOTP

func TestHOTPOracle_RFCVectors(t *testing.T) {
	for _, v := range rfcVectors {
		if got := hotp([]byte("12345678901234567890"), uint64(v.unix/30), 8); got != v.code {
			t.Fatalf("the test's own TOTP at %d = %s, RFC says %s", v.unix, got, v.code)
		}
	}
}

func TestVerify_RFCVectors(t *testing.T) {
	for _, v := range rfcVectors {
		// Six digits are the last six of the eight (the value mod 10^6).
		code := v.code[2:]
		step, ok := twofactor.Verify(rfcSecret, code, time.Unix(v.unix, 0))
		if !ok || step != v.unix/30 {
			t.Errorf("Verify(%s at %d) = %d, %v; want step %d", code, v.unix, step, ok, v.unix/30)
		}
	}
}

func TestVerify_AgainstOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		e, err := twofactor.New("freenahi", "ana@example.com")
		if err != nil {
			t.Fatal(err)
		}
		key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(e.Secret)
		if err != nil {
			t.Fatalf("secret %q is not base32: %v", e.Secret, err)
		}
		now := time.Unix(r.Int64N(4_000_000_000), 0)
		step := now.Unix() / 30
		for d := int64(-3); d <= 3; d++ {
			code := hotp(key, uint64(step+d), 6)
			got, ok := twofactor.Verify(e.Secret, code, now)
			wantOK := d >= -1 && d <= 1
			// A code of a step outside the window may collide with one
			// inside (1 in 10^6): skip that case rather than flake.
			if !wantOK && ok && got != step+d {
				continue
			}
			if ok != wantOK || (ok && got != step+d) {
				t.Fatalf("code of step %+d: Verify = %d, %v; want %v at step %d", d, got, ok, wantOK, step+d)
			}
		}
		if _, ok := twofactor.Verify(e.Secret, "12345", now); ok {
			t.Fatal("a 5-digit code passed")
		}
		if _, ok := twofactor.Verify(e.Secret, "12a456", now); ok {
			t.Fatal("a code with a letter passed")
		}
	}
}

func TestNew_URI(t *testing.T) {
	e, err := twofactor.New("freenahi", "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(e.URI)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("URI %q: %v", e.URI, err)
	}
	if got := u.Query().Get("secret"); got != e.Secret {
		t.Fatalf("URI secret %q, want %q", got, e.Secret)
	}
	if got := u.Query().Get("issuer"); got != "freenahi" {
		t.Fatalf("issuer %q", got)
	}
	if len(e.Secret) != 32 { // 160 bits, RFC 4226's recommended length
		t.Fatalf("secret of %d base32 characters, want 32", len(e.Secret))
	}
	png, err := twofactor.QRCode(e.URI, 256)
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("QR code: %d bytes, %v", len(png), err)
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := twofactor.RecoveryCodes(10)
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
		if got := twofactor.NormalizeRecoveryCode(" " + strings.ToUpper(strings.ReplaceAll(c, "-", " ")) + " "); got != c {
			t.Fatalf("typed %q read as %q", c, got)
		}
	}
}
