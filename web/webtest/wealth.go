package webtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// Wealth is a person with a bank's worth of history: a checking account and
// a Livret A with three years of transactions, a PEA with positions and a
// year of valuations, a mortgage with its loan detail.
type Wealth struct {
	*User
	Checking, Savings, PEA, Mortgage *freenahi.Account
	// Transactions are the booked transactions written, oldest first.
	Transactions []*freenahi.Transaction
	Positions    []*freenahi.Investment
	Loan         *freenahi.Loan
}

// MustSync runs fn with a SyncWriter of Powens user powensUser inside one
// processed inbox event, as ingestion does. No other event may be waiting.
func MustSync(tb testing.TB, s *store.Store, powensUser int64, fn func(ctx context.Context, w freenahi.SyncWriter) error) {
	tb.Helper()
	ctx := context.Background()
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: fmt.Sprintf("test:sync:%d:%d", powensUser, syncs.Add(1)),
		PowensUserID: &powensUser, Auth: freenahi.AuthHMAC, Body: []byte("{}")}
	if _, err := s.ReceiveEvent(ctx, e); err != nil {
		tb.Fatal(err)
	}
	claimed, err := s.ClaimEvent(ctx, time.Minute)
	if err != nil || claimed == nil {
		tb.Fatalf("claim: %v %v", claimed, err)
	}
	if err := s.ProcessEvent(ctx, claimed, fn); err != nil {
		tb.Fatal(err)
	}
}

// syncs numbers the events MustSync delivers.
var syncs atomic.Int64

func dec(s string) *freenahi.Decimal {
	d := freenahi.MustParseDecimal(s)
	return &d
}

// MustUserWithWealth creates a user linked to Powens user powensUser, with
// an API token, whose data ends on today. The data is the same for the
// same today.
func MustUserWithWealth(tb testing.TB, s *store.Store, email string, powensUser int64, today freenahi.Date) *Wealth {
	tb.Helper()
	u, err := s.CreateUser(context.Background(), email, "")
	if err != nil {
		tb.Fatal(err)
	}
	return MustAddWealth(tb, s, u, powensUser, today)
}

// MustAddWealth links an existing user to Powens user powensUser and gives
// it MustUserWithWealth's data and an API token.
func MustAddWealth(tb testing.TB, s *store.Store, u *freenahi.User, powensUser int64, today freenahi.Date) *Wealth {
	tb.Helper()
	ctx := context.Background()
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: powensUser, Token: "powens-token-" + u.Email}); err != nil {
		tb.Fatal(err)
	}
	tok, err := s.CreateAPIToken(ctx, u.ID, "test")
	if err != nil {
		tb.Fatal(err)
	}
	w := &Wealth{User: &User{User: u, Token: tok.Secret}}
	now := today.Time().Add(8 * time.Hour)
	eur := freenahi.Currency{Code: "EUR", Exponent: 2}
	MustSync(tb, s, powensUser, func(ctx context.Context, sw freenahi.SyncWriter) error {
		c := &freenahi.Connection{PowensID: 1, BankName: "Banque Test", Active: true, LastUpdate: &now}
		if err := sw.UpsertConnection(ctx, c); err != nil {
			return err
		}
		account := func(id int64, typ, name string, balance int64) *freenahi.Account {
			return &freenahi.Account{ConnectionID: c.ID, PowensID: id, PowensConnectionID: 1, Type: typ, Name: name,
				Currency: eur, BalanceMinor: &balance, Display: true, LastUpdate: &now}
		}
		w.Checking = account(1, "checking", "Compte chèques", 234567)
		w.Checking.IBAN = "FR7630006000011234567890189"
		w.Savings = account(2, "livret_a", "Livret A", 1200000)
		w.PEA = account(3, "pea", "PEA", 1854030)
		w.Mortgage = account(4, "mortgage", "Prêt immobilier", -18234512)
		for _, a := range []*freenahi.Account{w.Checking, w.Savings, w.PEA, w.Mortgage} {
			if err := sw.UpsertAccount(ctx, a); err != nil {
				return err
			}
		}
		w.Transactions = wealthTransactions(w, today)
		if err := sw.UpsertTransactions(ctx, w.Transactions); err != nil {
			return err
		}
		// Today's sync reports the current balances; the PEA and the
		// mortgage also have a month-end snapshot for three years.
		for _, a := range []*freenahi.Account{w.Checking, w.Savings, w.PEA, w.Mortgage} {
			if err := sw.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: a.ID, At: now, BalanceMinor: *a.BalanceMinor}); err != nil {
				return err
			}
		}
		for m := 1; m <= 36; m++ {
			at := time.Date(today.Year, today.Month, 1, 20, 0, 0, 0, time.UTC).AddDate(0, 1-m, -1)
			pea := int64(1854030 - 31000*m + 41000*(m%3))
			debt := int64(-18234512 - 74321*m)
			for _, b := range []*freenahi.BalanceSnapshot{{AccountID: w.PEA.ID, At: at, BalanceMinor: pea},
				{AccountID: w.Mortgage.ID, At: at, BalanceMinor: debt}} {
				if err := sw.RecordBalance(ctx, b); err != nil {
					return err
				}
			}
		}
		if err := writePositions(ctx, sw, w, today); err != nil {
			return err
		}
		w.Loan = &freenahi.Loan{AccountID: w.Mortgage.ID, Type: "mortgage", TotalAmountMinor: ptr(int64(25000000)),
			SubscriptionDate: freenahi.Date{Year: 2021, Month: 2, Day: 10}, StartRepaymentDate: freenahi.Date{Year: 2021, Month: 3, Day: 5},
			MaturityDate: freenahi.Date{Year: 2046, Month: 2, Day: 5}, Rate: dec("1.85"), DurationMonths: ptr(int64(300)),
			NextPaymentAmountMinor: ptr(int64(104147)), NextPaymentDate: nextFifth(today),
			LastPaymentAmountMinor: ptr(int64(104147)), LastPaymentDate: nextFifth(today).AddDays(-30),
			NbPaymentsTotal: ptr(int64(300)), InsuranceLabel: "CNP Assurances", InsuranceAmountMinor: ptr(int64(4583)),
			InsuranceRate: dec("0.22")}
		return sw.UpsertLoan(ctx, w.Loan)
	})
	for _, a := range []*freenahi.Account{w.Checking, w.Savings, w.PEA, w.Mortgage} {
		a.UserID = u.ID
	}
	return w
}

func ptr[T any](v T) *T { return &v }

// nextFifth is the next 5th of a month on or after d, the mortgage's day.
func nextFifth(d freenahi.Date) freenahi.Date {
	n := freenahi.Date{Year: d.Year, Month: d.Month, Day: 5}
	if n.Before(d) {
		n = freenahi.DateOf(n.Time().AddDate(0, 1, 0))
	}
	return n
}

// wealthTransactions writes three years of a life: a salary on the 28th,
// rent on the 5th, shopping every other day, a monthly transfer to the
// Livret A and its yearly interest.
func wealthTransactions(w *Wealth, today freenahi.Date) []*freenahi.Transaction {
	r := rand.New(rand.NewPCG(uint64(today.Int()), 7))
	var out []*freenahi.Transaction
	id := int64(1000)
	add := func(a *freenahi.Account, d freenahi.Date, minor int64, wording string) {
		id++
		out = append(out, &freenahi.Transaction{AccountID: a.ID, PowensID: id, Date: d, ValueMinor: minor,
			OriginalWording: wording, Wording: wording, Currency: a.Currency, Active: true, Type: "card"})
	}
	shops := []string{"CARREFOUR MARKET", "SNCF", "BOULANGERIE PAUL", "FNAC", "PHARMACIE", "MONOPRIX"}
	for d := today.AddDays(-3 * 365); !d.After(today); d = d.AddDays(1) {
		switch d.Day {
		case 28:
			add(w.Checking, d, 280000, "VIR SALAIRE")
		case 5:
			add(w.Checking, d, -95000, "PRLV LOYER")
		case 2:
			add(w.Checking, d, -20000, "VIR LIVRET A")
			add(w.Savings, d, 20000, "VIR COMPTE CHEQUES")
		}
		if d.Day == 31 && d.Month == 12 {
			add(w.Savings, d, 15000+r.Int64N(5000), "INTERETS")
		}
		if d.Day%2 == 0 {
			add(w.Checking, d, -(500 + r.Int64N(11500)), shops[r.IntN(len(shops))])
		}
	}
	return out
}

// writePositions writes the PEA's three positions with a valuation at each
// month end of the past year, then today's.
func writePositions(ctx context.Context, sw freenahi.SyncWriter, w *Wealth, today freenahi.Date) error {
	positions := func(vdate freenahi.Date, world, airLiquide string, worldValue, alValue string) []*freenahi.Investment {
		return []*freenahi.Investment{
			{AccountID: w.PEA.ID, PowensID: 1, Label: "Amundi MSCI World UCITS ETF", Code: "LU1681043599", CodeType: "ISIN",
				Quantity: dec("40"), UnitPrice: dec("350.00"), UnitValue: dec(world), Valuation: dec(worldValue), VDate: vdate},
			{AccountID: w.PEA.ID, PowensID: 2, Label: "Air Liquide", Code: "FR0000120073", CodeType: "ISIN",
				Quantity: dec("12"), UnitPrice: dec("150.50"), UnitValue: dec(airLiquide), Valuation: dec(alValue), VDate: vdate},
			{AccountID: w.PEA.ID, PowensID: 3, Label: "Liquidités", Code: "XX-liquidity", Valuation: dec("86.70"), VDate: vdate},
		}
	}
	for m := 12; m >= 1; m-- {
		vdate := freenahi.DateOf(time.Date(today.Year, today.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1-m, -1))
		world := 38000 + 250*int64(12-m) // unit values in cents
		al := 15800 + 100*int64(12-m)
		if err := sw.UpsertInvestments(ctx, positions(vdate, freenahi.FormatMinor(world, 2), freenahi.FormatMinor(al, 2),
			freenahi.FormatMinor(world*40, 2), freenahi.FormatMinor(al*12, 2))); err != nil {
			return err
		}
	}
	// Today: 40 × 410.25 = 16 410.00 (cost 14 000.00, +2 410.00,
	// +17.2143 %); 12 × 170.30 = 2 043.60 (cost 1 806.00, +237.60,
	// +13.1561 %); with 86.70 of cash, 18 540.30 in all.
	w.Positions = positions(today, "410.25", "170.30", "16410.00", "2043.60")
	w.Positions[0].Diff, w.Positions[0].DiffPercent, w.Positions[0].PortfolioShare = dec("2410.00"), dec("0.172143"), dec("0.8851")
	w.Positions[1].Diff, w.Positions[1].DiffPercent, w.Positions[1].PortfolioShare = dec("237.60"), dec("0.131561"), dec("0.1102")
	w.Positions[2].PortfolioShare = dec("0.0047")
	return sw.UpsertInvestments(ctx, w.Positions)
}
