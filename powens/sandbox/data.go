package sandbox

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/freenahi/freenahi"
)

// The bank's books are a pure function of (seed, connection id, account slot,
// day): every day has its events, each with the instant it happens. A sync
// reveals the events that happened since the previous one, so the data only
// depends on the seed and the clock, never on how often syncs ran.

// event is one bank movement before it is stored as a transaction.
type event struct {
	RDate, Date         freenahi.Date // order date; posting date (later for card payments)
	At                  time.Time     // when it becomes visible
	Minor               int64
	Type, Label, Simple string
	Card, Cancel        bool // Cancel: a pre-authorisation the bank drops at its posting date
	CP                  *counterparty
	Split               *grossSplit // payment platforms: gross value and commission instead of a value
}

// profile is the generation context of one connection.
type profile struct {
	seed    int64
	conn    *connection
	bank    *bank
	slots   []int // slots of the connection's website, all sources
	created freenahi.Date
	start   freenahi.Date // first day of history
	big     bool
	bigDays int
}

func (s *Server) profile(c *connection) *profile {
	b := s.bankByID(c.ConnectorID)
	p := &profile{seed: s.cfg.Seed, conn: c, bank: b, created: parisDate(c.Created), big: c.Script == "big", bigDays: s.cfg.BigDays}
	for _, src := range b.Sources {
		p.slots = append(p.slots, b.slotsFor(src.Name, c.Website)...)
	}
	p.start = p.created.AddDays(-s.cfg.HistoryDays)
	if p.big {
		p.start = p.created.AddDays(-s.cfg.BigDays)
	}
	return p
}

func parisDate(t time.Time) freenahi.Date { return freenahi.DateOf(t.In(paris)) }

// at is the instant of hh:mm Paris time on day d.
func at(d freenahi.Date, h, m int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, paris).UTC()
}

func (p *profile) rng(slot int, day freenahi.Date, salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(p.seed), uint64(p.conn.ID)<<40^uint64(slot)<<32^uint64(day.Int())^salt<<60))
}

func between(r *rand.Rand, lo, hi int64) int64 { return lo + r.Int64N(hi-lo+1) }

// sibling returns the slot of the given kind (child of parent when parent >= 0), or -1.
func (p *profile) sibling(kind string, parent int) int {
	for _, i := range p.slots {
		if sl := p.bank.Slots[i]; sl.Kind == kind && (parent < 0 || sl.Parent == parent) {
			return i
		}
	}
	return -1
}

// events returns the events of one account on one day, in a stable order.
// Like a French bank, the sandbox books nothing on Saturdays, Sundays and
// public holidays: what happens then is posted on the next bank day (the
// order date, RDate, stays the day it happened).
func (p *profile) events(slot int, day freenahi.Date) []event {
	out := p.rawEvents(slot, day)
	for i := range out {
		if !freenahi.IsBankDay(out[i].Date) {
			out[i].Date = freenahi.NextBankDay(out[i].Date)
		}
	}
	return out
}

// rawEvents are the day's events with their calendar posting dates.
func (p *profile) rawEvents(slot int, day freenahi.Date) []event {
	if day.Before(p.start) {
		return nil
	}
	if p.big && day.Before(p.created) {
		return p.bigEvents(slot, day)
	}
	switch p.bank.Slots[slot].Kind {
	case "checking":
		return p.checkingEvents(slot, day)
	case "card":
		return append(p.cardPurchases(slot, day), p.cardSummary(slot, day, 1)...)
	case "savings":
		return p.savingsEvents(slot, day)
	}
	return nil
}

func dm(d freenahi.Date) string { return fmt.Sprintf("%02d/%02d", d.Day, int(d.Month)) }

func cardEvent(r *rand.Rand, m merchant, day, posted freenahi.Date, typ string) event {
	return event{RDate: day, Date: posted, At: at(day, 8+r.IntN(13), r.IntN(60)), Minor: -between(r, m.Min, m.Max),
		Type: typ, Label: "CB " + m.Label + " " + dm(day), Simple: m.Simple, Card: true}
}

func fixed(day freenahi.Date, h int, minor int64, typ, label, simple string) event {
	return event{RDate: day, Date: day, At: at(day, h, 0), Minor: minor, Type: typ, Label: label, Simple: simple}
}

func (p *profile) checkingEvents(slot int, day freenahi.Date) []event {
	r := p.rng(slot, day, 0)
	pro := p.bank.Slots[slot].Usage == "ORGA"
	var out []event
	if day == p.start {
		// Large enough that a checking account starts, and stays, in credit.
		out = append(out, fixed(day, 9, between(r, 6500, 9000)*100, "transfer", "VIR SEPA VERSEMENT INITIAL", "Versement initial"))
	}
	switch {
	case p.conn.Script == "gross":
		out = append(out, p.platformEvents(r, day)...)
	case pro:
		out = append(out, p.proEvents(r, day)...)
	default:
		out = append(out, p.privateEvents(r, slot, day)...)
	}
	if r.IntN(100) < 18 {
		e := fixed(day, 10+r.IntN(10), -[]int64{20, 40, 50, 60, 80, 100}[r.IntN(6)]*100, "withdrawal", "RETRAIT DAB "+dm(day), "Retrait")
		out = append(out, e)
	}
	if r.IntN(100) < 5 {
		e := fixed(day, 6, -between(r, 30_00, 250_00), "check", fmt.Sprintf("CHQ %07d", 1_000_000+r.IntN(9_000_000)), "Chèque")
		e.RDate = day.AddDays(-3)
		out = append(out, e)
	}
	if card := p.sibling("card", slot); card >= 0 {
		out = append(out, p.cardSummary(card, day, -1)...)
	}
	return out
}

func (p *profile) privateEvents(r *rand.Rand, slot int, day freenahi.Date) []event {
	var out []event
	switch day.Day {
	case 1:
		out = append(out, fixed(day, 6, -2_50, "bank", "FRAIS TENUE DE COMPTE", "Frais bancaires"))
	case 3:
		if p.sibling("savings", -1) >= 0 {
			out = append(out, fixed(day, 7, -150_00, "transfer", "VIR SEPA VERS LIVRET A", "Virement Livret A"))
		}
	case 5:
		if l := p.sibling("loan", -1); l >= 0 {
			plan := p.loan(l)
			if k := plan.paymentsDone(day); k > 0 && plan.paymentDate(k-1) == day {
				out = append(out, fixed(day, 6, -plan.Payment, "loan_payment", "ECHEANCE PRET IMMO 00012345", "Échéance prêt"))
			}
		}
	case 8:
		out = append(out, fixed(day, 6, -between(r, 55_00, 140_00), "order", "PRLV SEPA EDF", "EDF"))
	case 12:
		out = append(out, fixed(day, 6, -19_99, "order", "PRLV SEPA FREE MOBILE", "Free Mobile"))
	case 15:
		out = append(out, fixed(day, 6, -between(r, 45_00, 75_00), "order", "PRLV SEPA MAIF", "MAIF"))
	case 27:
		e := fixed(day, 7, between(r, 4300, 4900)*100, "transfer", "VIR SEPA SALAIRE ACME SAS", "Salaire ACME")
		e.CP = &counterparty{Label: "ACME SAS", IBAN: frenchIBAN("30003", "01234", "00050012345"), Type: "debtor"}
		out = append(out, e)
	}
	for n := r.IntN(3); n > 0; n-- {
		out = append(out, cardEvent(r, dailyMerchants[r.IntN(len(dailyMerchants))], day, day.AddDays(1), "card"))
	}
	if day.Time().Weekday() == time.Saturday {
		// A fuel pre-authorisation the bank drops when it should post: the
		// "deleted" case of Powens transactions.
		e := fixed(day, 9, -150_00, "card", "CB PREAUTORISATION TOTAL "+dm(day), "TotalEnergies")
		e.Date, e.Card, e.Cancel = day.AddDays(2), true, true
		out = append(out, e)
	}
	return out
}

func (p *profile) proEvents(r *rand.Rand, day freenahi.Date) []event {
	var out []event
	switch day.Day {
	case 1:
		out = append(out, fixed(day, 6, -12_00, "bank", "FRAIS TENUE DE COMPTE PRO", "Frais bancaires"))
	case 5:
		out = append(out, fixed(day, 6, -between(r, 800_00, 1500_00), "order", "PRLV SEPA URSSAF", "URSSAF"))
	case 20:
		out = append(out, fixed(day, 6, -between(r, 600_00, 2000_00), "order", "PRLV SEPA DGFIP TVA", "DGFIP"))
	}
	if wd := day.Time().Weekday(); wd != time.Saturday && wd != time.Sunday && r.IntN(100) < 35 {
		who := proCustomers[r.IntN(len(proCustomers))]
		e := fixed(day, 8+r.IntN(8), between(r, 300_00, 4000_00), "transfer",
			fmt.Sprintf("VIR SEPA %s FACT %d-%03d", who, day.Year, 1+r.IntN(400)), who)
		e.CP = &counterparty{Label: who, Type: "debtor"}
		out = append(out, e)
	}
	return out
}

// cardPurchases are the deferred card payments made on day; they post at the
// end of the month (the next one for the last day's payments).
func (p *profile) cardPurchases(slot int, day freenahi.Date) []event {
	if day.Before(p.start) {
		return nil
	}
	if p.big && day.Before(p.created) {
		return p.bigEvents(slot, day)
	}
	r := p.rng(slot, day, 0)
	pool := deferredMerchants
	if p.bank.Slots[slot].Usage == "ORGA" {
		pool = proMerchants
	}
	var out []event
	for n := r.IntN(3); n > 0; n-- {
		out = append(out, cardEvent(r, pool[r.IntN(len(pool))], day, endOfMonth(day.AddDays(1)), "deferred_card"))
	}
	return out
}

// cardSummary is the monthly debit of the deferred card on its last day:
// sign +1 is the credit on the card account, -1 the debit on the checking one.
func (p *profile) cardSummary(card int, day freenahi.Date, sign int64) []event {
	if day != endOfMonth(day) || p.big && day.Before(p.created) {
		return nil
	}
	var total int64
	for d := endOfMonth(day.AddDays(-day.Day)); d.Before(day); d = d.AddDays(1) {
		for _, e := range p.cardPurchases(card, d) {
			if e.Date == day {
				total += e.Minor
			}
		}
	}
	if total == 0 {
		return nil
	}
	if sign > 0 {
		return []event{fixed(day, 5, -total, "summary_card", "DEBIT MENSUEL CARTE", "Débit mensuel carte")}
	}
	return []event{fixed(day, 5, total, "summary_card", "RELEVE CB DIFFERE XXXX4974", "Relevé carte")}
}

func (p *profile) savingsEvents(slot int, day freenahi.Date) []event {
	r := p.rng(slot, day, 0)
	var out []event
	if day == p.start {
		out = append(out, fixed(day, 9, between(r, 2000, 15000)*100, "deposit", "VERSEMENT INITIAL", "Versement initial"))
	}
	if day.Day == 3 && p.sibling("checking", -1) >= 0 && p.bank.Slots[slot].Usage == "PRIV" {
		out = append(out, fixed(day, 7, 150_00, "transfer", "VIR SEPA DEPUIS COMPTE CHEQUES", "Virement compte chèques"))
	}
	if day.Month == time.December && day.Day == 31 {
		out = append(out, fixed(day, 6, between(r, 20_00, 90_00), "deposit", fmt.Sprintf("INTERETS CREDITEURS %d", day.Year), "Intérêts"))
	}
	return out
}

// bigEvents fills the "big" login's long history: 50 transactions a day,
// shared between the accounts that carry transactions.
func (p *profile) bigEvents(slot int, day freenahi.Date) []event {
	var carriers []int
	for _, i := range p.slots {
		if k := p.bank.Slots[i].Kind; k == "checking" || k == "card" || k == "savings" {
			carriers = append(carriers, i)
		}
	}
	n := 0
	for j, i := range carriers {
		if i == slot {
			n = 50/len(carriers) + btoi(j < 50%len(carriers))
		}
	}
	r := p.rng(slot, day, 1)
	out := make([]event, 0, n)
	for ; n > 0; n-- {
		switch kind := p.bank.Slots[slot].Kind; {
		case kind == "card":
			out = append(out, cardEvent(r, deferredMerchants[r.IntN(len(deferredMerchants))], day, endOfMonth(day.AddDays(1)), "deferred_card"))
		case kind == "savings" || r.IntN(5) == 0:
			out = append(out, fixed(day, 8+r.IntN(12), between(r, -400_00, 450_00), "transfer", "VIR SEPA INTERNE "+dm(day), "Virement"))
		default:
			e := cardEvent(r, dailyMerchants[r.IntN(len(dailyMerchants))], day, day, "card")
			out = append(out, e)
		}
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// loan returns the deterministic loan behind a loan slot.
func (p *profile) loan(slot int) *loanPlan {
	r := p.rng(slot, freenahi.Date{}, 7)
	signed := p.created.AddDays(-int(between(r, 2*365, 8*365)))
	start := freenahi.DateOf(time.Date(signed.Year, signed.Month+1, 5, 0, 0, 0, 0, time.UTC))
	plan := &loanPlan{Principal: between(r, 150, 300) * 1000_00, RateBP: between(r, 90, 190),
		Months: []int{240, 300}[r.IntN(2)], Start: start, Signed: signed}
	plan.solvePayment()
	return plan
}

func intDate(n int) freenahi.Date { return freenahi.DateFromInt(n) }
