package freenahi

import "math/big"

// maxCalculatorMonths bounds the calculators' horizon (100 years).
const maxCalculatorMonths = 1200

// Growth is the result of CompoundInterest, in minor units.
type Growth struct {
	FinalMinor       int64
	ContributedMinor int64 // the initial amount plus every contribution
	InterestMinor    int64
	// Years holds the value at the end of each full year (and of the last
	// month when the horizon is not a whole number of years).
	Years []int64
}

// CompoundInterest grows initialMinor with monthlyMinor added at the end of
// each month, at a nominal yearly rate compounded monthly, over months.
// The arithmetic is exact; values are rounded half up at the end only.
func CompoundInterest(initialMinor, monthlyMinor int64, ratePercent Decimal, months int) (*Growth, error) {
	r, err := monthlyRate(ratePercent)
	if err != nil {
		return nil, err
	}
	switch {
	case initialMinor < 0:
		return nil, FieldErrorf("initial", "must not be negative")
	case monthlyMinor < 0:
		return nil, FieldErrorf("monthly", "must not be negative")
	case months < 1 || months > maxCalculatorMonths:
		return nil, FieldErrorf("months", "must be between 1 and %d", maxCalculatorMonths)
	}
	g := new(big.Rat).Add(big.NewRat(1, 1), r)
	v := new(big.Rat).SetInt64(initialMinor)
	add := new(big.Rat).SetInt64(monthlyMinor)
	out := &Growth{ContributedMinor: initialMinor + monthlyMinor*int64(months)}
	for m := 1; m <= months; m++ {
		v.Mul(v, g)
		v.Add(v, add)
		if m%12 == 0 || m == months {
			out.Years = append(out.Years, roundRat(v))
		}
	}
	out.FinalMinor = roundRat(v)
	out.InterestMinor = out.FinalMinor - out.ContributedMinor
	return out, nil
}

// SavingsGoal returns the monthly saving, added at the end of each month,
// that takes initialMinor to at least targetMinor in months at a nominal
// yearly rate compounded monthly; rounded up to the minor unit so that the
// goal is reached. Zero when the initial amount alone gets there.
func SavingsGoal(targetMinor, initialMinor int64, ratePercent Decimal, months int) (int64, error) {
	r, err := monthlyRate(ratePercent)
	if err != nil {
		return 0, err
	}
	switch {
	case targetMinor <= 0:
		return 0, FieldErrorf("target", "must be positive")
	case initialMinor < 0:
		return 0, FieldErrorf("initial", "must not be negative")
	case months < 1 || months > maxCalculatorMonths:
		return 0, FieldErrorf("months", "must be between 1 and %d", maxCalculatorMonths)
	}
	pow := big.NewRat(1, 1)
	g := new(big.Rat).Add(big.NewRat(1, 1), r)
	for range months {
		pow.Mul(pow, g)
	}
	// target = initial·g^n + p·(g^n − 1)/r, or initial + p·n without interest.
	rest := new(big.Rat).Sub(new(big.Rat).SetInt64(targetMinor), new(big.Rat).Mul(new(big.Rat).SetInt64(initialMinor), pow))
	if rest.Sign() <= 0 {
		return 0, nil
	}
	var p *big.Rat
	if r.Sign() == 0 {
		p = rest.Quo(rest, big.NewRat(int64(months), 1))
	} else {
		p = rest.Mul(rest, r)
		p.Quo(p, new(big.Rat).Sub(pow, big.NewRat(1, 1)))
	}
	return ceilRat(p), nil
}

// monthlyRate is a twelfth of a yearly percentage, as a ratio.
func monthlyRate(ratePercent Decimal) (*big.Rat, error) {
	if ratePercent.Sign() < 0 {
		return nil, FieldErrorf("rate", "must not be negative")
	}
	r, ok := new(big.Rat).SetString(ratePercent.String())
	if !ok || r.Cmp(big.NewRat(100, 1)) > 0 {
		return nil, FieldErrorf("rate", "must be between 0 and 100")
	}
	return r.Quo(r, big.NewRat(1200, 1)), nil
}

// ceilRat rounds a non-negative rational up to an integer.
func ceilRat(x *big.Rat) int64 {
	q, m := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int))
	if m.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}
