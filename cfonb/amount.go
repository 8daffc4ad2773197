package cfonb

import (
	"fmt"
	"strconv"
)

// MaxAmountMinor is the largest magnitude a 14-character CFONB amount can
// carry, in minor units: 14 nines, i.e. 999 999 999 999,99 with 2 decimals.
const MaxAmountMinor = 99_999_999_999_999

// amountWidth is the width of every signed amount zone (positions 91–104).
const amountWidth = 14

// The last character of an amount carries both the units digit and the sign
// (zoned-decimal overpunch, reference §1.7): index by the digit.
const (
	positiveSigns = "{ABCDEFGHI"
	negativeSigns = "}JKLMNOPQR"
)

// EncodeAmount returns the 14-character CFONB encoding of an amount in minor
// units. The number of decimals is not part of the field (it lives at
// position 20), so the same minor units encode the same way at any exponent.
func EncodeAmount(minor int64) (string, error) {
	var b [amountWidth]byte
	if err := putAmount(b[:], minor); err != nil {
		return "", err
	}
	return string(b[:]), nil
}

// putAmount writes minor into dst (14 bytes) without allocating, which keeps
// the writer's per-record cost flat.
func putAmount(dst []byte, minor int64) error {
	// Compare before negating: -math.MinInt64 does not exist.
	if minor > MaxAmountMinor || minor < -MaxAmountMinor {
		return fmt.Errorf("amount %d minor units does not fit in 14 digits", minor)
	}
	neg := minor < 0
	if neg {
		minor = -minor
	}
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = byte('0' + minor%10)
		minor /= 10
	}
	last := dst[len(dst)-1] - '0'
	// Zero takes the positive sign, as in every sample of the standard.
	if neg {
		dst[len(dst)-1] = negativeSigns[last]
	} else {
		dst[len(dst)-1] = positiveSigns[last]
	}
	return nil
}

// DecodeAmount parses a 14-character CFONB amount into signed minor units.
func DecodeAmount(field string) (int64, error) {
	v, _, msg := decodeAmount([]byte(field))
	if msg != "" {
		return 0, fmt.Errorf("%s", msg)
	}
	return v, nil
}

// decodeAmount returns the value, or the 0-based offset of the faulty
// character and a message, so that the reader can point at the column.
func decodeAmount(b []byte) (int64, int, string) {
	if len(b) != amountWidth {
		return 0, 0, fmt.Sprintf("amount %q is %d characters long, want %d", b, len(b), amountWidth)
	}
	var v int64
	for i, c := range b[:amountWidth-1] {
		if c < '0' || c > '9' {
			return 0, i, fmt.Sprintf("amount %q has a non-digit character %q", b, b[i:i+1])
		}
		v = v*10 + int64(c-'0')
	}
	last := b[amountWidth-1]
	for d := range 10 {
		if last == positiveSigns[d] {
			return v*10 + int64(d), 0, ""
		}
		if last == negativeSigns[d] {
			return -(v*10 + int64(d)), 0, ""
		}
	}
	return 0, amountWidth - 1, fmt.Sprintf("amount %q has an invalid sign character %q", b, b[amountWidth-1:])
}

// FormatMinor renders minor units as a decimal number with exponent decimals
// ("-45.90"), for messages meant for people; it never goes through float.
func FormatMinor(minor int64, exponent int) string {
	s := strconv.FormatInt(minor, 10)
	if exponent <= 0 {
		return s
	}
	sign := ""
	if minor < 0 {
		sign, s = "-", s[1:]
	}
	for len(s) <= exponent {
		s = "0" + s
	}
	return sign + s[:len(s)-exponent] + "." + s[len(s)-exponent:]
}
