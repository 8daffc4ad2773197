package sandbox

import (
	"github.com/freenahi/freenahi"
)

// position is one investment line on a given day, in integer units.
type position struct {
	Inst      instrument
	Qty       int64 // whole shares, or thousandths of a unit when Inst.Units
	QtyScale  int
	UnitPrice int64 // average buying price, cents
	UnitValue int64 // current unit value, cents
	Valuation int64 // cents
	Cost      int64 // cents
}

func (p *profile) instruments(slot int) []instrument {
	switch p.bank.Slots[slot].Kind {
	case "pea":
		return peaInstruments
	case "lifeinsurance":
		return lifeInstruments
	case "per":
		return perInstruments
	}
	return nil
}

// positions values an investment account on day; quantities and buying
// prices are fixed at opening, unit values move a little every day.
func (p *profile) positions(slot int, day freenahi.Date) []position {
	insts := p.instruments(slot)
	base := p.rng(slot, freenahi.Date{}, 9)
	out := make([]position, 0, len(insts))
	for i, in := range insts {
		pos := position{Inst: in}
		drift := p.rng(slot, day, 10+uint64(i))
		if in.ISINBase == "" {
			// A euro fund: one line whose value accrues 2.5 % a year.
			capital := between(base, 5_000, 40_000) * 100
			days := int64(day.Time().Sub(p.start.Time()).Hours() / 24)
			pos.Qty, pos.UnitPrice, pos.Cost = 1, capital, capital
			pos.UnitValue = capital + divRound(capital*days*250, 365*10000)
			pos.Valuation = pos.UnitValue
			out = append(out, pos)
			continue
		}
		pos.UnitPrice = in.Price * between(base, 80, 110) / 100
		trend := int64(day.Time().Sub(p.start.Time()).Hours()/24) * 2 // +0.02 % a day
		pos.UnitValue = in.Price + divRound(in.Price*(between(drift, -150, 150)+trend), 10000)
		if in.Units {
			pos.Qty, pos.QtyScale = between(base, 5_000, 90_000), 3
			pos.Valuation = divRound(pos.Qty*pos.UnitValue, 1000)
			pos.Cost = divRound(pos.Qty*pos.UnitPrice, 1000)
		} else {
			pos.Qty = between(base, 5, 60)
			pos.Valuation, pos.Cost = pos.Qty*pos.UnitValue, pos.Qty*pos.UnitPrice
		}
		out = append(out, pos)
	}
	return out
}

// investmentBalance is the account balance of an investment account: the sum of its valuations.
func investmentBalance(ps []position) int64 {
	var total int64
	for _, p := range ps {
		total += p.Valuation
	}
	return total
}
