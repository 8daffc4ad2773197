package freenahi

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// maxDecimalScale bounds the number of fractional digits a Decimal keeps; Powens
// quantities and rates never come close, and the bound keeps arithmetic in int64.
const maxDecimalScale = 18

// Decimal is an exact decimal number, coef × 10^-scale. Money on its way from the
// Powens JSON to the database travels as a Decimal and is converted to integer
// minor units with Minor, never through a float.
type Decimal struct {
	coef  int64
	scale uint8
}

// NewDecimal returns coef × 10^-scale.
func NewDecimal(coef int64, scale int) Decimal {
	if scale < 0 || scale > maxDecimalScale {
		panic(fmt.Sprintf("freenahi: decimal scale %d out of range", scale))
	}
	return Decimal{coef: coef, scale: uint8(scale)}.normalize()
}

// ParseDecimal parses decimal text such as "-12.30", "0.01", "1234" or "1.5E+2"
// exactly. It rejects anything else (no spaces, fractions, hexadecimal or digit
// separators), and numbers beyond its limits: an exponent beyond ±40, digits
// (trailing fractional zeros aside) that do not fit an int64, or a value with
// more than 18 decimals or whose coefficient does not fit an int64.
func ParseDecimal(s string) (Decimal, error) {
	orig := s
	if s == "" {
		return Decimal{}, fmt.Errorf("empty number")
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 40 || e < -40 {
			return Decimal{}, fmt.Errorf("%q is not a decimal number", orig)
		}
		exp, s = e, s[:i]
	}
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	intPart, fracPart, hasDot := strings.Cut(s, ".")
	if intPart == "" && fracPart == "" || hasDot && fracPart == "" && intPart == "" {
		return Decimal{}, fmt.Errorf("%q is not a decimal number", orig)
	}
	if strings.HasPrefix(intPart, "-") || strings.HasPrefix(intPart, "+") {
		return Decimal{}, fmt.Errorf("%q is not a decimal number", orig)
	}
	// Trailing fractional zeros carry no value; dropping them before accumulating
	// lets "1.50000000000000000000" fit in an int64 coefficient.
	fracPart = strings.TrimRight(fracPart, "0")
	digits := intPart + fracPart
	scale := len(fracPart) - exp
	var coef uint64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return Decimal{}, fmt.Errorf("%q is not a decimal number", orig)
		}
		hi, lo := bits.Mul64(coef, 10)
		if hi != 0 {
			return Decimal{}, fmt.Errorf("%q has too many digits", orig)
		}
		sum, carry := bits.Add64(lo, uint64(c-'0'), 0)
		if carry != 0 || sum > math.MaxInt64 {
			return Decimal{}, fmt.Errorf("%q has too many digits", orig)
		}
		coef = sum
	}
	for scale > 0 && coef != 0 && coef%10 == 0 {
		coef /= 10
		scale--
	}
	if coef == 0 {
		scale = 0
	}
	for scale < 0 {
		if coef > math.MaxInt64/10 {
			return Decimal{}, fmt.Errorf("%q is too large", orig)
		}
		coef *= 10
		scale++
	}
	if scale > maxDecimalScale {
		return Decimal{}, fmt.Errorf("%q has more than %d decimals", orig, maxDecimalScale)
	}
	c := int64(coef)
	if neg {
		c = -c
	}
	return Decimal{coef: c, scale: uint8(scale)}, nil
}

// MustParseDecimal is ParseDecimal for constants in tests and tables; it panics on error.
func MustParseDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// normalize removes trailing fractional zeros so equal values compare equal.
func (d Decimal) normalize() Decimal {
	for d.scale > 0 && d.coef%10 == 0 {
		d.coef /= 10
		d.scale--
	}
	if d.coef == 0 {
		d.scale = 0
	}
	return d
}

// IsZero reports whether d is zero.
func (d Decimal) IsZero() bool { return d.coef == 0 }

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int {
	switch {
	case d.coef < 0:
		return -1
	case d.coef > 0:
		return 1
	}
	return 0
}

// Equal reports whether d and o are the same number (1.50 equals 1.5).
func (d Decimal) Equal(o Decimal) bool { return d.normalize() == o.normalize() }

// Scale returns the number of significant fractional digits of d.
func (d Decimal) Scale() int { return int(d.normalize().scale) }

// String returns d in canonical form: no exponent, no trailing fractional zeros.
func (d Decimal) String() string {
	d = d.normalize()
	return formatScaled(d.coef, int(d.scale), false)
}

// Minor converts d to integer minor units of a currency with the given number of
// decimals. It fails, rather than round, when d has more decimals than that:
// an amount must never change on its way into the database.
func (d Decimal) Minor(exponent int) (int64, error) {
	d = d.normalize()
	if int(d.scale) > exponent {
		return 0, fmt.Errorf("%s has %d decimals, the currency allows %d", d, d.scale, exponent)
	}
	v := d.coef
	for i := int(d.scale); i < exponent; i++ {
		if v > math.MaxInt64/10 || v < math.MinInt64/10 {
			return 0, fmt.Errorf("%s is too large", d)
		}
		v *= 10
	}
	return v, nil
}

// MinorBound converts d to minor units for use as a filter bound, rounding
// up (ceiling) for a lower bound and down (floor) for an upper bound, so that
// "value ≥ d" and "value ≤ d" keep their meaning at the currency's precision.
func (d Decimal) MinorBound(exponent int, lower bool) (int64, error) {
	d = d.normalize()
	if int(d.scale) <= exponent {
		return d.Minor(exponent)
	}
	div := int64(1)
	for i := exponent; i < int(d.scale); i++ {
		div *= 10 // scale ≤ 18, so div ≤ 10^18 fits
	}
	// Go's division truncates toward zero: that is the ceiling for negative
	// values and the floor for positive ones; step once where it is not.
	q, r := d.coef/div, d.coef%div
	if r != 0 && lower && d.coef > 0 {
		q++
	} else if r != 0 && !lower && d.coef < 0 {
		q--
	}
	return q, nil
}

// DecimalFromMinor returns the exact decimal value of minor units with the given exponent.
func DecimalFromMinor(minor int64, exponent int) Decimal {
	return NewDecimal(minor, exponent)
}

// MarshalText encodes d in canonical form, so JSON carries it as an exact string.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses decimal text.
func (d *Decimal) UnmarshalText(b []byte) error {
	v, err := ParseDecimal(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// FormatMinor renders minor units with the given exponent as exact decimal text,
// e.g. FormatMinor(-1, 2) == "-0.01" and FormatMinor(1234, 0) == "1234".
func FormatMinor(minor int64, exponent int) string {
	return formatScaled(minor, exponent, true)
}

// formatScaled prints v × 10^-scale; keepZeros keeps all `scale` fractional digits.
func formatScaled(v int64, scale int, keepZeros bool) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-(v + 1)) + 1 // safe for math.MinInt64
	}
	s := strconv.FormatUint(u, 10)
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		intPart, frac := s[:len(s)-scale], s[len(s)-scale:]
		if !keepZeros {
			frac = strings.TrimRight(frac, "0")
		}
		s = intPart
		if frac != "" {
			s += "." + frac
		}
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ParseAmount parses decimal text into minor units of a currency with the given
// exponent, exactly; field names the input in the error.
func ParseAmount(field, text string, exponent int) (int64, error) {
	d, err := ParseDecimal(strings.TrimSpace(text))
	if err != nil {
		return 0, FieldErrorf(field, "%q is not an amount such as -12.50", text)
	}
	m, err := d.Minor(exponent)
	if err != nil {
		return 0, FieldErrorf(field, "%q has more decimals than its currency allows (%d), or is too large", text, exponent)
	}
	return m, nil
}

// Abs returns the size of d.
func (d Decimal) Abs() Decimal {
	if d.coef < 0 {
		d.coef = -d.coef
	}
	return d
}
