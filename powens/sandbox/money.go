package sandbox

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
)

// Money stays in integer minor units here; only formatting turns it into
// decimal text (freenahi.FormatMinor), so no float ever touches an amount.

// mod97 computes the remainder of a long decimal string by 97.
func mod97(digits string) int {
	r := 0
	for _, c := range digits {
		r = (r*10 + int(c-'0')) % 97
	}
	return r
}

// ribKey is the French RIB key of a bank code, branch code and numeric account number.
func ribKey(bank, branch, acct string) string {
	return fmt.Sprintf("%02d", 97-mod97(bank+branch+acct+"00"))
}

// frenchIBAN builds a valid FR IBAN; a valid RIB key always yields check digits 76.
func frenchIBAN(bank, branch, acct string) string {
	bban := bank + branch + acct + ribKey(bank, branch, acct)
	check := 98 - mod97(bban+"152700") // F=15, R=27, then "00"
	return fmt.Sprintf("FR%02d%s", check, bban)
}

// ibanValid checks the mod-97 rule of any IBAN (letters as 10…35).
func ibanValid(iban string) bool {
	if len(iban) < 15 {
		return false
	}
	var b strings.Builder
	for _, c := range iban[4:] + iban[:4] {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			b.WriteString(strconv.Itoa(int(c-'A') + 10))
		default:
			return false
		}
	}
	return mod97(b.String()) == 1
}

// isin appends the Luhn check digit to an 11-character ISIN base.
func isin(base string) string {
	var digits strings.Builder
	for _, c := range base {
		if c >= 'A' && c <= 'Z' {
			digits.WriteString(strconv.Itoa(int(c-'A') + 10))
		} else {
			digits.WriteRune(c)
		}
	}
	s, sum := digits.String(), 0
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if (len(s)-1-i)%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return base + strconv.Itoa((10-sum%10)%10)
}

// amount formats minor units as exact decimal text.
func amount(minor int64) string { return freenahi.FormatMinor(minor, 2) }

// divRound divides with rounding half away from zero.
func divRound(a, b int64) int64 {
	if (a < 0) != (b < 0) {
		return -((-a + b/2) / b)
	}
	return (a + b/2) / b
}

// loanPlan is a constant-annuity loan computed with integer cents.
type loanPlan struct {
	Principal int64 // cents
	RateBP    int64 // annual rate in basis points (135 = 1.35 %)
	Months    int
	Start     freenahi.Date // first repayment date
	Signed    freenahi.Date
	Payment   int64 // monthly payment, cents
}

// interest is one month's interest on rem.
func (p *loanPlan) interest(rem int64) int64 { return divRound(rem*p.RateBP, 120000) }

// remaining is the capital due after k payments.
func (p *loanPlan) remaining(k int) int64 {
	rem := p.Principal
	for i := 0; i < k && i < p.Months; i++ {
		rem -= p.Payment - p.interest(rem)
	}
	if rem < 0 || k >= p.Months {
		return 0
	}
	return rem
}

// solvePayment finds the smallest payment that repays the loan in Months,
// by bisection over integer cents: no floating-point annuity formula.
func (p *loanPlan) solvePayment() {
	lo, hi := p.Principal/int64(p.Months), p.Principal
	for lo < hi {
		p.Payment = (lo + hi) / 2
		rem := p.Principal
		for i := 0; i < p.Months && rem > 0; i++ {
			rem -= p.Payment - p.interest(rem)
		}
		if rem <= 0 {
			hi = p.Payment
		} else {
			lo = p.Payment + 1
		}
	}
	p.Payment = lo
}

// paymentDate is the date of payment k (0-based).
func (p *loanPlan) paymentDate(k int) freenahi.Date {
	t := p.Start.Time().AddDate(0, k, 0)
	return freenahi.DateOf(t)
}

// paymentsDone counts the payments due on or before day.
func (p *loanPlan) paymentsDone(day freenahi.Date) int {
	if day.Before(p.Start) {
		return 0
	}
	months := (day.Year-p.Start.Year)*12 + int(day.Month-p.Start.Month)
	if day.Day < p.Start.Day {
		months--
	}
	return min(months+1, p.Months)
}

// endOfMonth is the last day of d's month.
func endOfMonth(d freenahi.Date) freenahi.Date {
	return freenahi.DateOf(time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC))
}

// decimalRatio formats a/b as a decimal with 4 places (a ratio, 1 = 100 %).
func decimalRatio(a, b int64) string {
	if b == 0 {
		return "0"
	}
	return freenahi.FormatMinor(divRound(a*10000, b), 4)
}
