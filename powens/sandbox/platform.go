package sandbox

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/freenahi/freenahi"
)

// The "gross" login makes the checking account a payment-platform account,
// the kind whose connectors send a sale as value null with gross_value and
// commission (issue 9): the amount is gross + commission when the commission
// is in the account's currency or has none, else the gross value alone; a
// sale whose amount is not known yet has value and gross_value null.

// grossSplit is how a payment platform reports one transaction: a gross
// value and a commission instead of a value.
type grossSplit struct {
	Gross      int64  // cents
	Commission int64  // cents, negative
	Currency   string // commission_currency: "" is null, else an ISO code
	Unknown    bool   // value, gross_value and commission are all null
}

// amount is the value the split stands for, by the rule above; an unknown
// amount counts as 0 in balances.
func (g *grossSplit) amount(accountCurrency string) int64 {
	switch {
	case g.Unknown:
		return 0
	case g.Currency == "" || g.Currency == accountCurrency:
		return g.Gross + g.Commission
	}
	return g.Gross
}

// platformCommission is the platform's fee on a sale: 2.9 % plus 0.35
// (a 30.00 sale costs 1.22).
func platformCommission(gross int64) int64 { return -(divRound(gross*290, 10000) + 35) }

// platformEvents are one day of a payment-platform account: sales, a weekly
// payout to the bank, a monthly subscription. The third day of history
// has a sale whose commission is charged in US dollars, the fourth a sale
// whose amount is not known yet.
func (p *profile) platformEvents(r *rand.Rand, day freenahi.Date) []event {
	var out []event
	sale := func(h int, g grossSplit) {
		e := fixed(day, h, 0, "payment", fmt.Sprintf("PAIEMENT RECU CMD %06d", r.IntN(1_000_000)), "Vente en ligne")
		e.Split = &g
		e.Minor = g.amount("EUR")
		out = append(out, e)
	}
	switch day {
	case p.start.AddDays(2):
		sale(11, grossSplit{Gross: 45_00, Commission: -1_65, Currency: "USD"})
	case p.start.AddDays(3):
		sale(11, grossSplit{Unknown: true})
	}
	for n := r.IntN(4); n > 0; n-- {
		gross := between(r, 15_00, 120_00)
		if r.IntN(4) == 0 {
			gross = 30_00
		}
		currency := ""
		if r.IntN(2) == 0 {
			currency = "EUR"
		}
		sale(8+r.IntN(12), grossSplit{Gross: gross, Commission: platformCommission(gross), Currency: currency})
	}
	if day.Time().Weekday() == time.Monday {
		out = append(out, fixed(day, 5, -400_00, "payout", "VIREMENT VERS COMPTE BANCAIRE", "Virement vers la banque"))
	}
	if day.Day == 1 {
		out = append(out, fixed(day, 4, -9_00, "fee", "ABONNEMENT PLATEFORME", "Abonnement plateforme"))
	}
	return out
}
