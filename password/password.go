// Package password hashes and checks passwords with argon2id, stored in the
// PHC string format so parameters can be raised later without breaking old hashes.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/freenahi/freenahi"
)

// Parameters follow the OWASP recommendation for argon2id (19 MiB, 2 passes).
const (
	memoryKiB = 19 * 1024
	passes    = 2
	lanes     = 1
	keyLen    = 32
	saltLen   = 16
)

// MinLength and MaxLength bound the length of a password, in characters.
const (
	MinLength = 10
	MaxLength = 1024
)

// ErrMismatch means the password does not match the hash.
var ErrMismatch = errors.New("password does not match")

// Check tells whether a new password is acceptable, in words a person can
// act on (an EINVALID error on the field "password"): long enough, and not
// easy to guess — not a common password, a repetition, a sequence, a
// keyboard pattern, a date, nor made of userInputs (the account's e-mail
// address, its parts). Every place that sets a password calls it.
func Check(pw string, userInputs ...string) error {
	if err := checkLength(pw); err != nil {
		return err
	}
	return checkStrength(pw, inputsOf(userInputs))
}

// checkLength bounds a password's length, the one check Hash repeats.
func checkLength(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinLength:
		return freenahi.FieldErrorf("password", "must be at least %d characters long", MinLength)
	case n > MaxLength:
		return freenahi.FieldErrorf("password", "must be at most %d characters long", MaxLength)
	}
	return nil
}

// inputsOf adds the parts of e-mail addresses ("ana.dupont@example.com"
// gives "ana", "dupont", "example") to the words a password may not be made of.
func inputsOf(inputs []string) []string {
	out := slices.Clone(inputs)
	for _, in := range inputs {
		out = append(out, strings.FieldsFunc(strings.ToLower(in), func(r rune) bool { return strings.ContainsRune("@.-_+", r) })...)
	}
	return out
}

// Hash returns the PHC-encoded argon2id hash of pw. It checks only the
// length: callers setting a person's password call Check first.
func Hash(pw string) (string, error) {
	if err := checkLength(pw); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	return encode(salt, argon2.IDKey([]byte(pw), salt, passes, memoryKiB, lanes, keyLen)), nil
}

// Unmatchable returns a hash in Hash's format and parameters whose key is
// random instead of derived from a password: no password matches it (but
// with odds of 2⁻²⁵⁶), and verifying a password against it costs what
// verifying against a real hash does. Sign-in verifies it when there is no
// real hash to check, so that timing does not tell the cases apart; unlike
// Hash it costs nothing to make.
func Unmatchable() string {
	salt, key := make([]byte, saltLen), make([]byte, keyLen)
	rand.Read(salt) // never returns an error (it crashes the program instead)
	rand.Read(key)
	return encode(salt, key)
}

// encode writes a salt and key in the PHC string format, with the
// parameters of Hash.
func encode(salt, key []byte) string {
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memoryKiB, passes, lanes,
		enc.EncodeToString(salt), enc.EncodeToString(key))
}

// Verify checks pw against a hash made by Hash, in constant time.
func Verify(hash, pw string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("not an argon2id hash")
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return errors.New("unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return errors.New("malformed argon2 parameters")
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return errors.New("malformed salt")
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return errors.New("malformed key")
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}
