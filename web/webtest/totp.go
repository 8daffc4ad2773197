package webtest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"
)

// HOTP is the tests' own RFC 4226 one-time password (HMAC-SHA1, dynamic
// truncation), written from the RFC, independent of the library the
// server verifies codes with.
func HOTP(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := (uint32(sum[off])&0x7f)<<24 | uint32(sum[off+1])<<16 | uint32(sum[off+2])<<8 | uint32(sum[off+3])
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTP is the 6-digit RFC 6238 code (30-second steps) of a base32 secret
// at t.
func TOTP(tb testing.TB, secret string, t time.Time) string {
	tb.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		tb.Fatalf("secret %q is not base32: %v", secret, err)
	}
	return HOTP(key, uint64(t.Unix()/30), 6)
}
