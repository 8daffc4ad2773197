package freenahi

import "strconv"

// Split is one part of a transaction split across categories. A split
// transaction's parts, in its currency, add up to its amount exactly;
// reports and budgets count the parts instead of the whole.
type Split struct {
	CategoryID  int64
	AmountMinor int64 // signed like the transaction's amount
}

// SplitPart is a part as a person gives it: a category and an exact
// decimal amount, signed like the transaction's.
type SplitPart struct {
	CategoryID int64
	Amount     Decimal
}

// Limits of a split.
const maxSplitParts = 20

// SplitsOf checks parts against a transaction's amount (valueMinor, in a
// currency with the given exponent) and returns them in minor units. No
// part means "no split". The error names the field at fault:
// splits[i].amount, splits[i].category_id or splits.
func SplitsOf(parts []SplitPart, valueMinor int64, exponent int) ([]Split, error) {
	if len(parts) == 0 {
		return nil, nil
	}
	if len(parts) < 2 || len(parts) > maxSplitParts {
		return nil, FieldErrorf("splits", "must have between 2 and %d parts", maxSplitParts)
	}
	out := make([]Split, len(parts))
	var sum int64
	for i, p := range parts {
		field := "splits[" + strconv.Itoa(i) + "]"
		if p.CategoryID <= 0 {
			return nil, FieldErrorf(field+".category_id", "is required")
		}
		m, err := p.Amount.Minor(exponent)
		if err != nil {
			return nil, FieldErrorf(field+".amount", "%q has more decimals than its currency allows (%d), or is too large", p.Amount.String(), exponent)
		}
		if m == 0 {
			return nil, FieldErrorf(field+".amount", "must not be zero")
		}
		if next := sum + m; (m > 0 && next < sum) || (m < 0 && next > sum) {
			return nil, FieldErrorf(field+".amount", "is too large")
		} else {
			sum = next
		}
		out[i] = Split{CategoryID: p.CategoryID, AmountMinor: m}
	}
	if sum != valueMinor {
		return nil, FieldErrorf("splits", "the parts add up to %s, not to the amount %s", FormatMinor(sum, exponent), FormatMinor(valueMinor, exponent))
	}
	return out, nil
}
