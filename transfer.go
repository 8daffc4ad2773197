package freenahi

import (
	"context"
	"sort"
)

// TransferWindowDays is how far apart the two sides of a transfer between
// one's own accounts may be dated: banks post the credit a day or two
// after the debit, and a deferred card's settlement on its own day.
const TransferWindowDays = 3

// TransferCandidate is what pairing reads of a transaction: a person's
// first sync holds tens of thousands, so not the whole Transaction.
type TransferCandidate struct {
	ID, AccountID int64
	Date          Date
	ValueMinor    int64
	Currency      string // its account's currency code
	Card          bool   // a card payment, immediate or deferred
	AmountKnown   bool
}

// TransferCandidate returns what PairTransfers reads of t.
func (t *Transaction) TransferCandidate() TransferCandidate {
	return TransferCandidate{ID: t.ID, AccountID: t.AccountID, Date: t.Date, ValueMinor: t.ValueMinor,
		Currency: t.Currency.Code, Card: isCardPayment(t), AmountKnown: t.AmountKnown()}
}

// PairTransfers finds moves between a person's own accounts among txs: a
// debit and a credit of the same amount and currency on two different
// accounts, dated at most TransferWindowDays apart. Card payments are
// never a side (a purchase is not a transfer, even when a credit of the
// same amount shows up). Each transaction is in at most one pair; the
// pairs nearest in date are taken first, then the oldest, then by id, so
// the result does not depend on the order of txs (given ids). It returns
// pairs of indexes into txs, debit first, in the order they were taken.
func PairTransfers(txs []TransferCandidate) [][2]int {
	type key struct {
		currency string
		minor    int64
	}
	credits := map[key][]int{}
	for i := range txs {
		if t := &txs[i]; t.ValueMinor > 0 && t.AmountKnown && !t.Card {
			k := key{t.Currency, t.ValueMinor}
			credits[k] = append(credits[k], i)
		}
	}
	type candidate struct{ debit, credit, gap int }
	var cands []candidate
	for d := range txs {
		t := &txs[d]
		if t.ValueMinor >= 0 || !t.AmountKnown || t.Card {
			continue
		}
		for _, c := range credits[key{t.Currency, -t.ValueMinor}] {
			if gap := daysApart(t.Date, txs[c].Date); gap <= TransferWindowDays && txs[c].AccountID != t.AccountID {
				cands = append(cands, candidate{d, c, gap})
			}
		}
	}
	sort.SliceStable(cands, func(a, b int) bool {
		x, y := cands[a], cands[b]
		if x.gap != y.gap {
			return x.gap < y.gap
		}
		if dx, dy := txs[x.debit].Date, txs[y.debit].Date; dx != dy {
			return dx.Before(dy)
		}
		// Then by id, which a stored transaction always has: the order of
		// txs (the database's, which no query fixes) decided ties before,
		// and two debits of one day and amount competing for one credit
		// could make another set of pairs, even another number of them.
		if dx, dy := txs[x.debit].ID, txs[y.debit].ID; dx != dy {
			return dx < dy
		}
		if cx, cy := txs[x.credit].ID, txs[y.credit].ID; cx != cy {
			return cx < cy
		}
		if x.debit != y.debit {
			return x.debit < y.debit
		}
		return x.credit < y.credit
	})
	used := make(map[int]bool)
	var pairs [][2]int
	for _, c := range cands {
		if !used[c.debit] && !used[c.credit] {
			used[c.debit], used[c.credit] = true, true
			pairs = append(pairs, [2]int{c.debit, c.credit})
		}
	}
	return pairs
}

func isCardPayment(t *Transaction) bool { return t.Type == "card" || t.Type == "deferred_card" }

func daysApart(a, b Date) int {
	d := int(a.Time().Sub(b.Time()).Hours() / 24)
	if d < 0 {
		return -d
	}
	return d
}

// TransferDetector pairs a user's transfers between their own accounts.
type TransferDetector interface {
	// DetectTransfers pairs the user's live transactions that are not yet
	// transfers and whose transfer mark the person never set by hand, marks
	// both sides of each pair as a transfer, and returns how many pairs it
	// made. Undo or confirm a pair with EditTransaction (transfer false or
	// true), which acts on both sides.
	DetectTransfers(ctx context.Context, userID int64) (int, error)
}
