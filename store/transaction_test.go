package store_test

import (
	"cmp"
	"fmt"
	"math/big"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// wordings are the seeded transactions' wordings, each with its search
// form written by hand (lower case, no accents, ligatures spelt out): the
// oracle for the text filter.
var wordings = []struct{ text, folded string }{
	{"PRÉLÈVEMENT EDF", "prelevement edf"},
	{"CB CARREFOUR 04/03", "cb carrefour 04/03"},
	{"VIR SEPA REÇU ACME", "vir sepa recu acme"},
	{"REMISE 50% SOLDES", "remise 50% soldes"},
	{"VIREMENT 500 EUR", "virement 500 eur"},
	{"FRAIS_TENUE", "frais_tenue"},
	{"FRAIS TENUE", "frais tenue"},
	{"Œuvre caritative", "oeuvre caritative"},
	{"Café de la Gare", "cafe de la gare"},
}

// seeded is a transaction as the test wrote it, with what the oracles need.
type seeded struct {
	*freenahi.Transaction
	folded string
}

// mustSeedTransactions writes pseudo-random transactions (fixed seed) on
// the bank's checking, card and yen accounts in one event, several a day
// so that pages break inside days, some coming, some deleted; it returns
// them with their ids.
func mustSeedTransactions(tb testing.TB, s *store.Store, b *bank, seed uint64) []seeded {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	var out []seeded
	byAccount := map[int64][]*freenahi.Transaction{}
	add := func(a *freenahi.Account, n int, maxMinor int64, edges ...int64) {
		for i := range n {
			w := wordings[r.IntN(len(wordings))]
			t := &freenahi.Transaction{AccountID: a.ID, PowensID: a.PowensID*1000 + int64(i), Currency: a.Currency,
				Date: date("2026-01-01").AddDays(r.IntN(15)), ValueMinor: r.Int64N(2*maxMinor+1) - maxMinor,
				OriginalWording: w.text, Type: "card", Active: true, Coming: i%9 == 4}
			if i < len(edges) {
				t.ValueMinor = edges[i]
			}
			if i%13 == 6 {
				t.Deleted = ptr(t0.Add(-time.Hour))
			}
			folded := w.folded
			if i%10 == 3 {
				t.Counterparty = &freenahi.Counterparty{Label: "Société Générale", Type: "creditor"}
				folded += "\nsociete generale"
			}
			byAccount[a.ID] = append(byAccount[a.ID], t)
			out = append(out, seeded{t, folded})
		}
	}
	// The edges sit on and beside the amount bounds the filter test uses.
	add(b.checking, 60, 20000, -1050, -1051, -1049, 2500, 2501, 2499)
	add(b.card, 12, 5000)
	add(b.yen, 18, 3000, -10, -11, -9, 25, 26, 24)
	MustSync(tb, s, b.user, func(w freenahi.SyncWriter) error {
		for _, txs := range byAccount {
			if err := w.UpsertTransactions(ctx, txs); err != nil {
				return err
			}
		}
		return nil
	})
	ids := map[[2]int64]int64{}
	for _, t := range mustAllTransactions(tb, s, freenahi.TransactionFilter{UserID: b.user.ID, IncludeDeleted: true}) {
		ids[[2]int64{t.AccountID, t.PowensID}] = t.ID
	}
	for _, t := range out {
		if t.ID = ids[[2]int64{t.AccountID, t.PowensID}]; t.ID == 0 {
			tb.Fatalf("transaction %d of account %d was not stored", t.PowensID, t.AccountID)
		}
	}
	return out
}

// mustAllTransactions walks every page of a listing.
func mustAllTransactions(tb testing.TB, s *store.Store, f freenahi.TransactionFilter) []*freenahi.Transaction {
	tb.Helper()
	var all []*freenahi.Transaction
	for {
		page, next, err := s.FindTransactions(ctx, f)
		if err != nil {
			tb.Fatalf("FindTransactions(%+v): %v", f, err)
		}
		if next != nil && len(page) == 0 {
			tb.Fatalf("an empty page with a next cursor %v", next)
		}
		all = append(all, page...)
		if next == nil {
			return all
		}
		f.After = next
	}
}

// newestFirst is the listing order the oracle applies: date, then id, descending.
func newestFirst(txs []seeded) []int64 {
	txs = slices.Clone(txs)
	slices.SortFunc(txs, func(x, y seeded) int {
		return cmp.Or(y.Date.Compare(x.Date), cmp.Compare(y.ID, x.ID))
	})
	ids := make([]int64, len(txs))
	for i, t := range txs {
		ids[i] = t.ID
	}
	return ids
}

func idsOf(txs []*freenahi.Transaction) []int64 {
	ids := make([]int64, len(txs))
	for i, t := range txs {
		ids[i] = t.ID
	}
	return ids
}

// amount is a transaction's exact value as a rational, for the amount oracle.
func amount(t seeded) *big.Rat {
	return new(big.Rat).SetFrac(big.NewInt(t.ValueMinor), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(t.Currency.Exponent)), nil))
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

func filterSeeded(txs []seeded, keep func(seeded) bool) []seeded {
	var out []seeded
	for _, t := range txs {
		if keep(t) {
			out = append(out, t)
		}
	}
	return out
}

func TestTransactionService_FindTransactions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		mine := mustSeedTransactions(t, s, ana, 1)
		theirs := mustSeedTransactions(t, s, bob, 2)
		visible := filterSeeded(mine, func(t seeded) bool { return t.Deleted == nil })

		t.Run("Pages", func(t *testing.T) {
			want := newestFirst(visible)
			// With limit 1 and limit = the count, the last page is full: its
			// next cursor must still be nil. One less leaves one on the last.
			for _, limit := range []int{1, 7, len(want) - 1, len(want), len(want) + 1} {
				got := idsOf(mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, Limit: limit}))
				if !slices.Equal(got, want) {
					t.Fatalf("limit %d: pages give\n%v\nwant\n%v", limit, got, want)
				}
			}
		})
		t.Run("DefaultLimit", func(t *testing.T) {
			page, next, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: ana.user.ID})
			if err != nil || len(page) != freenahi.DefaultPageLimit || next == nil {
				t.Fatalf("no limit: %d transactions, next %v, err %v; want %d and a cursor", len(page), next, err, freenahi.DefaultPageLimit)
			}
		})
		t.Run("CursorPastTheEnd", func(t *testing.T) {
			page, next, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: ana.user.ID,
				After: &freenahi.Cursor{Date: date("2025-12-31"), ID: 1 << 40}})
			if err != nil || len(page) != 0 || next != nil {
				t.Fatalf("after the oldest: %d transactions, next %v, err %v", len(page), next, err)
			}
		})
		t.Run("Filters", func(t *testing.T) {
			from, to := date("2026-01-04"), date("2026-01-09")
			for _, tc := range []struct {
				name   string
				filter freenahi.TransactionFilter
				keep   func(seeded) bool
			}{
				{"Account", freenahi.TransactionFilter{AccountID: &ana.card.ID},
					func(t seeded) bool { return t.AccountID == ana.card.ID }},
				{"AnotherUsersAccount", freenahi.TransactionFilter{AccountID: &bob.checking.ID},
					func(seeded) bool { return false }},
				{"From", freenahi.TransactionFilter{From: &from},
					func(t seeded) bool { return !t.Date.Before(from) }},
				{"To", freenahi.TransactionFilter{To: &to},
					func(t seeded) bool { return !t.Date.After(to) }},
				{"FromTo", freenahi.TransactionFilter{From: &from, To: &to},
					func(t seeded) bool { return !t.Date.Before(from) && !t.Date.After(to) }},
				{"OneDay", freenahi.TransactionFilter{From: &from, To: &from},
					func(t seeded) bool { return t.Date == from }},
				{"ExcludeComing", freenahi.TransactionFilter{ExcludeComing: true},
					func(t seeded) bool { return !t.Coming }},
				{"IncludeDeleted", freenahi.TransactionFilter{IncludeDeleted: true},
					func(seeded) bool { return true }},
				{"ComingOnly", freenahi.TransactionFilter{ComingOnly: true},
					func(t seeded) bool { return t.Coming }},
				{"ComingDebits", freenahi.TransactionFilter{ComingOnly: true, Direction: freenahi.DirectionSpending},
					func(t seeded) bool { return t.Coming && t.ValueMinor < 0 }},
				{"ComingOnlyIncludeDeleted", freenahi.TransactionFilter{ComingOnly: true, IncludeDeleted: true},
					func(t seeded) bool { return t.Coming }},
				{"Accents", freenahi.TransactionFilter{Query: "prelevement"},
					func(t seeded) bool { return startsWords(t.folded, "prelevement") }},
				{"AccentsInQuery", freenahi.TransactionFilter{Query: " Reçu "},
					func(t seeded) bool { return startsWords(t.folded, "recu") }},
				{"Ligature", freenahi.TransactionFilter{Query: "ŒUVRE"},
					func(t seeded) bool { return startsWords(t.folded, "oeuvre") }},
				{"Counterparty", freenahi.TransactionFilter{Query: "generale"},
					func(t seeded) bool { return startsWords(t.folded, "generale") }},
				{"WordPrefix", freenahi.TransactionFilter{Query: "carre"},
					func(t seeded) bool { return startsWords(t.folded, "carrefour") }},
				{"NotInsideAWord", freenahi.TransactionFilter{Query: "arrefour"},
					func(t seeded) bool { return false }},
				{"WordsInAnyOrder", freenahi.TransactionFilter{Query: "EDF Prél"},
					func(t seeded) bool { return startsWords(t.folded, "edf", "prelevement") }},
				{"PunctuationSeparates", freenahi.TransactionFilter{Query: "50%"},
					func(t seeded) bool { return startsWords(t.folded, "50") }},
				{"UnderscoreSeparates", freenahi.TransactionFilter{Query: "frais_"},
					func(t seeded) bool { return startsWords(t.folded, "frais") }},
				{"NoWordNoFilter", freenahi.TransactionFilter{Query: "%_"},
					func(t seeded) bool { return true }},
				{"MinAmount", freenahi.TransactionFilter{MinAmount: ptr(freenahi.MustParseDecimal("-10.50"))},
					func(t seeded) bool { return amount(t).Cmp(rat("-10.50")) >= 0 }},
				{"MaxAmount", freenahi.TransactionFilter{MaxAmount: ptr(freenahi.MustParseDecimal("25"))},
					func(t seeded) bool { return amount(t).Cmp(rat("25")) <= 0 }},
				{"AmountRange", freenahi.TransactionFilter{MinAmount: ptr(freenahi.MustParseDecimal("-10.5")), MaxAmount: ptr(freenahi.MustParseDecimal("25.005"))},
					func(t seeded) bool { return amount(t).Cmp(rat("-10.5")) >= 0 && amount(t).Cmp(rat("25.005")) <= 0 }},
				{"AmountFinerThanCents", freenahi.TransactionFilter{MinAmount: ptr(freenahi.MustParseDecimal("-10.505")), MaxAmount: ptr(freenahi.MustParseDecimal("-10.495"))},
					func(t seeded) bool { return amount(t).Cmp(rat("-10.505")) >= 0 && amount(t).Cmp(rat("-10.495")) <= 0 }},
				{"Spending", freenahi.TransactionFilter{Direction: freenahi.DirectionSpending},
					func(t seeded) bool { return t.ValueMinor < 0 }},
				{"Income", freenahi.TransactionFilter{Direction: freenahi.DirectionIncome},
					func(t seeded) bool { return t.ValueMinor > 0 }},
				{"SpendingSize", freenahi.TransactionFilter{Direction: freenahi.DirectionSpending,
					MinAmount: ptr(freenahi.MustParseDecimal("-10.50")), MaxAmount: ptr(freenahi.MustParseDecimal("25"))},
					func(t seeded) bool {
						a := new(big.Rat).Neg(amount(t))
						return a.Sign() > 0 && a.Cmp(rat("10.50")) >= 0 && a.Cmp(rat("25")) <= 0
					}},
				{"IncomeSize", freenahi.TransactionFilter{Direction: freenahi.DirectionIncome,
					MinAmount: ptr(freenahi.MustParseDecimal("10.5")), MaxAmount: ptr(freenahi.MustParseDecimal("25"))},
					func(t seeded) bool { return amount(t).Cmp(rat("10.5")) >= 0 && amount(t).Cmp(rat("25")) <= 0 }},
				{"AnySize", freenahi.TransactionFilter{Direction: freenahi.DirectionAny,
					MinAmount: ptr(freenahi.MustParseDecimal("10.5")), MaxAmount: ptr(freenahi.MustParseDecimal("25.005"))},
					func(t seeded) bool {
						a := new(big.Rat).Abs(amount(t))
						return a.Cmp(rat("10.5")) >= 0 && a.Cmp(rat("25.005")) <= 0
					}},
				{"AnySizeAtLeast", freenahi.TransactionFilter{Direction: freenahi.DirectionAny,
					MinAmount: ptr(freenahi.MustParseDecimal("150"))},
					func(t seeded) bool { return new(big.Rat).Abs(amount(t)).Cmp(rat("150")) >= 0 }},
				{"Everything", freenahi.TransactionFilter{AccountID: &ana.checking.ID, From: &from, Query: "e", ExcludeComing: true,
					MinAmount: ptr(freenahi.MustParseDecimal("-150"))},
					func(t seeded) bool {
						return t.AccountID == ana.checking.ID && !t.Date.Before(from) && startsWords(t.folded, "e") &&
							!t.Coming && amount(t).Cmp(rat("-150")) >= 0
					}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					f := tc.filter
					f.UserID, f.Limit = ana.user.ID, 4
					want := newestFirst(filterSeeded(mine, func(t seeded) bool {
						return (t.Deleted == nil || f.IncludeDeleted) && tc.keep(t)
					}))
					if len(want) == 0 && tc.name != "AnotherUsersAccount" && tc.name != "NotInsideAWord" {
						t.Fatal("the oracle selects nothing: the case tests nothing")
					}
					if got := idsOf(mustAllTransactions(t, s, f)); !slices.Equal(got, want) {
						t.Fatalf("got  %v\nwant %v", got, want)
					}
					checkTotals(t, s, f, filterSeeded(mine, func(t seeded) bool {
						return (t.Deleted == nil || f.IncludeDeleted) && tc.keep(t)
					}))
				})
			}
		})
		t.Run("UserWithoutAccounts", func(t *testing.T) {
			u := MustCreateUser(t, s, "nobody@example.com", 0)
			page, next, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: u.ID, MinAmount: ptr(freenahi.MustParseDecimal("1"))})
			if err != nil || len(page) != 0 || next != nil {
				t.Fatalf("%d transactions, next %v, err %v", len(page), next, err)
			}
		})
		t.Run("Invalid", func(t *testing.T) {
			for _, f := range []freenahi.TransactionFilter{
				{Limit: freenahi.MaxPageLimit + 1},
				{Limit: -1},
				{From: ptr(date("2026-01-05")), To: ptr(date("2026-01-04"))},
				{MinAmount: ptr(freenahi.MustParseDecimal("2")), MaxAmount: ptr(freenahi.MustParseDecimal("1"))},
				{Query: strings.Repeat("x", 201)},
			} {
				f.UserID = ana.user.ID
				_, _, err := s.FindTransactions(ctx, f)
				wantCode(t, err, freenahi.EINVALID, fmt.Sprintf("filter %+v", f))
			}
		})
		t.Run("OwnerScoping", func(t *testing.T) {
			mineIDs := map[int64]bool{}
			for _, t := range mine {
				mineIDs[t.ID] = true
			}
			for _, tx := range mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, IncludeDeleted: true, Limit: 1000}) {
				if !mineIDs[tx.ID] || tx.UserID != ana.user.ID {
					t.Fatalf("ana's listing holds transaction %d of user %d", tx.ID, tx.UserID)
				}
			}
			for _, their := range theirs {
				_, err := s.FindTransactionByID(ctx, ana.user.ID, their.ID)
				wantCode(t, err, freenahi.ENOTFOUND, "ana reading bob's transaction")
			}
		})
	})
}

func TestTransactionService_FindTransactionByID(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		mine := mustSeedTransactions(t, s, ana, 1)
		for _, want := range mine[:5] {
			got, err := s.FindTransactionByID(ctx, ana.user.ID, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.AccountID != want.AccountID || got.PowensID != want.PowensID || got.ValueMinor != want.ValueMinor ||
				got.Date != want.Date || got.Currency != want.Currency || got.OriginalWording != want.OriginalWording {
				t.Fatalf("FindTransactionByID(%d)=%+v, want %+v", want.ID, got, want.Transaction)
			}
		}
		_, err := s.FindTransactionByID(ctx, ana.user.ID, 1<<40)
		wantCode(t, err, freenahi.ENOTFOUND, "unknown transaction")
		if msg := freenahi.ErrorMessage(err); !strings.Contains(msg, "not found") {
			t.Fatalf("message %q does not say what is missing", msg)
		}
	})
}

// startsWords reports whether each word starts a word of the hand-folded
// text: preceded by its start or by a character that is neither a letter nor
// a digit. A regular expression, not the store's word splitting.
func startsWords(folded string, words ...string) bool {
	for _, w := range words {
		if !regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(w)).MatchString(folded) {
			return false
		}
	}
	return true
}

// checkTotals compares SumTransactions with counts and sums made here, in
// big integers, per currency code.
func checkTotals(t *testing.T, s *store.Store, f freenahi.TransactionFilter, want []seeded) {
	t.Helper()
	f.After = &freenahi.Cursor{Date: date("2026-01-05"), ID: 3} // ignored
	got, err := s.SumTransactions(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	counts, sums := map[string]int64{}, map[string]*big.Int{}
	for _, tx := range want {
		if sums[tx.Currency.Code] == nil {
			sums[tx.Currency.Code] = new(big.Int)
		}
		counts[tx.Currency.Code]++
		sums[tx.Currency.Code].Add(sums[tx.Currency.Code], big.NewInt(tx.ValueMinor))
	}
	if len(got) != len(counts) {
		t.Fatalf("totals %+v, want %d currencies %v %v", got, len(counts), counts, sums)
	}
	for _, tot := range got {
		if tot.Count != counts[tot.Currency.Code] || sums[tot.Currency.Code].Cmp(big.NewInt(tot.SumMinor)) != 0 {
			t.Fatalf("%s: count %d sum %d, want %d and %s", tot.Currency.Code, tot.Count, tot.SumMinor,
				counts[tot.Currency.Code], sums[tot.Currency.Code])
		}
	}
}
