package cfonb

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var (
	powensTypes = []string{"transfer", "order", "check", "deposit", "payback", "withdrawal", "loan_repayment",
		"loan_payment", "bank", "card", "deferred_card", "summary_card", "card_summary", "unknown", "market_order",
		"market_fee", "arbitrage", "profit", "refund", "payout", "payment", "fee", "", "tomorrows_type"}
	words = []string{"vir", "sepa", "reçu", "prlv", "CB", "carrefour", "Électricité", "œuvre", "straße", "06/03",
		"m&s", "loyer", "n°12", "facture", "2026-0042", "(remboursement)", "*", "frais_tenue", "Île-de-France", "a"}
)

// randomText joins up to n random words with random spacing.
func randomText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range rng.IntN(n + 1) {
		b.WriteString(words[rng.IntN(len(words))])
		b.WriteString([]string{" ", "  ", "\t", ", "}[rng.IntN(4)])
	}
	return b.String()
}

// randomAmount spreads amounts over every order of magnitude a statement
// can hold, both signs and zero.
func randomAmount(rng *rand.Rand) int64 {
	v := rng.Int64N([]int64{1, 10, 10_000, 10_000_000, 100_000_000_000}[rng.IntN(5)])
	if rng.IntN(2) == 0 {
		v = -v
	}
	return v
}

// randomMovement returns a movement to write and the movement the reader
// must give back: codes derived, texts folded, dates as UTC midnights.
func randomMovement(rng *rand.Rand, booking time.Time) (in, out Movement) {
	in = Movement{
		PowensType:       powensTypes[rng.IntN(len(powensTypes))],
		BookingDate:      booking,
		AmountMinor:      randomAmount(rng),
		Label:            randomText(rng, 10), // always fits the 04 and three LIBs
		Counterparty:     randomText(rng, 4),
		EntryNumber:      rng.IntN(MaxEntryNumber + 1),
		CommissionExempt: rng.IntN(2) == 0,
		Unavailable:      rng.IntN(5) == 0,
	}
	if rng.IntN(2) == 0 {
		in.ValueDate = booking.AddDate(0, 0, rng.IntN(5)-2)
	}
	switch rng.IntN(4) {
	case 1:
		in.Reference = fmt.Sprint(rng.Int64N(1e15))
	case 2:
		in.Reference = fmt.Sprintf("freenahi_tx-%d", rng.Int64N(1e18))
	case 3:
		in.OperationCode, in.InternalCode, in.RejectCode = "C2", "9162", "64"
	}
	other := map[string]string{"NPY": "NBE", "NBE": "NPY"}[counterpartyQualifier(in.AmountMinor)]
	for range rng.IntN(3) {
		q := []string{"RCN", "LCC", "LC2", "RUM", "AAA", other}[rng.IntN(6)]
		info := randomText(rng, 3) + strings.Repeat(" ", rng.IntN(30)) + randomText(rng, 3)
		in.Complements = append(in.Complements, Complement{q, info})
	}

	out = in
	out.PowensType = ""
	if out.OperationCode == "" {
		out.OperationCode = OperationCode(in.PowensType, in.AmountMinor)
	}
	if out.ValueDate.IsZero() {
		out.ValueDate = booking
	}
	out.Label, out.Counterparty, out.Reference = Fold(in.Label), Fold(in.Counterparty), Fold(in.Reference)
	if strings.Trim(out.Label, " *-./()") == "" {
		out.Label = KindLabel(in.PowensType, in.AmountMinor)
	}
	out.Complements = nil
	for _, c := range in.Complements {
		info := string(appendFold(nil, c.Info, false))
		out.Complements = append(out.Complements, Complement{c.Qualifier, strings.TrimRight(info[:min(len(info), infoWidth)], " ")})
	}
	return in, out
}

func TestRoundTrip(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 0x12c))
			accounts := []Account{
				MustAccount(t, "FR7630006000011234567890189"),
				MustAccount(t, "FR1420041010050500013M02606"),
				MustAccount(t, "FR7630001007941234567890185"),
			}
			accounts[2].Currency, accounts[2].Exponent = "TND", 3
			type state struct {
				day     time.Time
				balance int64
			}
			last := map[int]state{}
			var buf bytes.Buffer
			w := NewWriter(&buf)
			var want []*Statement
			for range 1 + rng.IntN(12) {
				i := rng.IntN(len(accounts))
				s, ok := last[i]
				if !ok {
					s = state{date(2025, time.Month(1+rng.IntN(12)), 1+rng.IntN(28)), randomAmount(rng)}
				}
				st := &Statement{Account: accounts[i], OpeningDate: s.day, OpeningMinor: s.balance}
				mustDo(t, w.Begin(st.Account, s.day, s.balance))
				days := 1 + rng.IntN(5)
				for range rng.IntN(30) {
					in, out := randomMovement(rng, s.day.AddDate(0, 0, 1+rng.IntN(days)))
					mustDo(t, w.Movement(in))
					st.Movements = append(st.Movements, out)
					s.balance += in.AmountMinor
				}
				s.day = s.day.AddDate(0, 0, days)
				closing, err := w.End(s.day)
				mustDo(t, err)
				if closing != s.balance {
					t.Fatalf("End returned %d, want %d", closing, s.balance)
				}
				st.ClosingDate, st.ClosingMinor = s.day, s.balance
				last[i] = s
				want = append(want, st)
			}
			mustDo(t, w.Flush())
			got, err := readAll(NewReader(&buf))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("read back differs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRoundTrip_LongLabelWhole(t *testing.T) {
	label := strings.Repeat("ABCDEFGHI ", 30)                         // 300 characters, more than the old cap of 31+3×70
	party := strings.TrimSpace(strings.Repeat("SOCIETE ANONYME ", 6)) // 95 characters, more than one 70 zone
	var buf bytes.Buffer
	w := NewWriter(&buf)
	mustDo(t, w.Begin(MustAccount(t, "FR7630006000011234567890189"), date(2026, 3, 1), 0))
	mustDo(t, w.Movement(Movement{BookingDate: date(2026, 3, 2), AmountMinor: 1, Label: label, Counterparty: party}))
	_, err := w.End(date(2026, 3, 2))
	mustDo(t, err)
	mustDo(t, w.Flush())
	// 31 holds 3 words, each 70 holds 7: 27 words over 4 LIB records.
	if got, want := strings.Count(buf.String(), "LIB"), 4; got != want {
		t.Fatalf("%d LIB records, want %d", got, want)
	}
	if got, want := strings.Count(buf.String(), "NPY"), 2; got != want {
		t.Fatalf("%d NPY records, want %d", got, want)
	}
	got, err := readAll(NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := got[0].Movements[0].Label, strings.TrimSpace(label); got != want {
		t.Fatalf("Label=%q, want %q", got, want)
	}
	if got := got[0].Movements[0].Counterparty; got != party {
		t.Fatalf("Counterparty=%q, want %q", got, party)
	}
}
