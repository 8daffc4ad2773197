// Package twofactor is the second factor of sign-in: time-based one-time
// passwords (TOTP, RFC 6238, the codes of authenticator apps) and recovery
// codes. It draws secrets, checks codes and draws the QR code an app scans;
// the store keeps the secret sealed and remembers the last step accepted.
package twofactor

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	qrcode "github.com/skip2/go-qrcode"
)

// Period is the life of one code; Digits its length. These are what every
// authenticator app assumes when the URI says nothing else.
const (
	Period = 30
	Digits = 6
)

// Skew is how many steps before and after now a code is still accepted,
// for a phone whose clock is a little off.
const Skew = 1

var opts = totp.ValidateOpts{Period: Period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Enrolment is a new secret with what the person needs to add it to an app.
type Enrolment struct {
	// Secret is the base32 secret (also typed by hand).
	Secret string
	// URI is the otpauth:// URI the QR code holds.
	URI string
}

// New draws a secret for account (the person's e-mail) at issuer.
func New(issuer, account string) (*Enrolment, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: Period,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, SecretSize: 20})
	if err != nil {
		return nil, fmt.Errorf("draw a TOTP secret: %w", err)
	}
	return &Enrolment{Secret: k.Secret(), URI: k.URL()}, nil
}

// QRCode draws the URI as a PNG QR code of about size pixels.
func QRCode(uri string, size int) ([]byte, error) {
	png, err := qrcode.Encode(uri, qrcode.Medium, size)
	if err != nil {
		return nil, fmt.Errorf("draw the QR code: %w", err)
	}
	return png, nil
}

// Verify checks a code against the secret at now, within Skew steps, and
// returns the time step it belongs to (steps count Period seconds since
// 1970), so that the caller refuses a step already used. Spaces in the code
// are ignored; anything but Digits digits is refused.
func Verify(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.ReplaceAll(code, " ", "")
	if len(code) != Digits || strings.Trim(code, "0123456789") != "" {
		return 0, false
	}
	now0 := now.Unix() / Period
	found := int64(0)
	// Every candidate is compared, in constant time, so the time taken
	// does not tell which step matched.
	for d := int64(-Skew); d <= Skew; d++ {
		s := now0 + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*Period, 0).UTC(), opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && found == 0 {
			found = s
		}
	}
	return found, found != 0
}

// recoveryAlphabet has no letters that read alike (0/o, 1/l/i).
const recoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// RecoveryCodes draws n recovery codes of 10 characters (about 50 bits),
// written xxxxx-xxxxx.
func RecoveryCodes(n int) []string {
	out := make([]string, n)
	for i := range out {
		b := make([]byte, 10)
		for j := range b {
			b[j] = recoveryAlphabet[randIntn(len(recoveryAlphabet))]
		}
		out[i] = string(b[:5]) + "-" + string(b[5:])
	}
	return out
}

// NormalizeRecoveryCode is a typed recovery code in the form it was drawn:
// lower case, spaces dropped, the dash put back.
func NormalizeRecoveryCode(typed string) string {
	c := strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(typed)))
	if len(c) != 10 {
		return c
	}
	return c[:5] + "-" + c[5:]
}

// randIntn draws uniformly in [0, n) from crypto/rand.
func randIntn(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err) // crypto/rand does not fail on supported systems
		}
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

// URI is the otpauth:// URI of an existing secret, for the QR code.
func URI(issuer, account, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", strconv.Itoa(Digits))
	v.Set("period", strconv.Itoa(Period))
	return (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: v.Encode()}).String()
}
