package store_test

import (
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// TestStatementSource_Extras: a statement read carries category, payee and
// tags only when asked (the CSV), and every other field the same either
// way; the expected values are the ones this test stored by hand.
func TestStatementSource_Extras(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		txs := []*freenahi.Transaction{
			{AccountID: ana.checking.ID, PowensID: 2, ValueMinor: -1250, Date: date("2025-03-03"), VDate: date("2025-03-05"),
				Type: "card", OriginalWording: "CB PAUL", Wording: "Paul", SimplifiedWording: "PAUL", Active: true,
				Counterparty: &freenahi.Counterparty{Label: "BOULANGERIE PAUL", Type: "creditor"}},
			{AccountID: ana.checking.ID, PowensID: 1, ValueMinor: 420000, Date: date("2025-03-03"), Type: "transfer",
				OriginalWording: "VIR SALAIRE", Active: true},
		}
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
		stored, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: ana.user.ID, AccountID: &ana.checking.ID})
		if err != nil || len(stored) != 2 {
			t.Fatalf("FindTransactions: %d, %v", len(stored), err)
		}
		food, err := s.CreateCategory(ctx, ana.user.ID, "Boulangerie", nil)
		if err != nil {
			t.Fatal(err)
		}
		work, err := s.CreateCategory(ctx, ana.user.ID, "Paie", nil)
		if err != nil {
			t.Fatal(err)
		}
		// Set by hand, over what the ingest rules chose, so the test knows them.
		for _, st := range stored {
			e := freenahi.TransactionEdit{CategoryID: &food.ID, Payee: ptr("Paul"), Tags: &[]string{"midi", "pro"}}
			if st.PowensID == 1 {
				e = freenahi.TransactionEdit{CategoryID: &work.ID, Payee: ptr("Employeur"), Tags: &[]string{}}
			}
			if _, err = s.EditTransaction(ctx, ana.user.ID, st.ID, e); err != nil {
				t.Fatal(err)
			}
		}
		type seen struct {
			powens, value              int64
			date, vdate                freenahi.Date
			typ, orig, wording, simple string
			counterparty, payee        string
			tags                       []string
			category                   int64
		}
		read := func(extras bool) []seen {
			var out []seen
			err := s.ReadStatement(ctx, freenahi.StatementQuery{UserID: ana.user.ID, AccountID: ana.checking.ID,
				From: date("2025-03-01"), To: date("2025-03-31"), Extras: extras}, func(d *freenahi.StatementData) error {
				for tr, err := range d.Transactions {
					if err != nil {
						return err
					}
					v := seen{powens: tr.PowensID, value: tr.ValueMinor, date: tr.Date, vdate: tr.VDate, typ: tr.Type,
						orig: tr.OriginalWording, wording: tr.Wording, simple: tr.SimplifiedWording, payee: tr.Payee,
						tags: slices.Clone(tr.Tags)}
					if tr.Counterparty != nil {
						v.counterparty = tr.Counterparty.Label
					}
					if tr.CategoryID != nil {
						v.category = *tr.CategoryID
					}
					out = append(out, v)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		same := func(a, b seen) bool {
			return a.powens == b.powens && a.value == b.value && a.date == b.date && a.vdate == b.vdate && a.typ == b.typ &&
				a.orig == b.orig && a.wording == b.wording && a.simple == b.simple && a.counterparty == b.counterparty &&
				a.payee == b.payee && slices.Equal(a.tags, b.tags) && a.category == b.category
		}
		salary := seen{powens: 1, value: 420000, date: date("2025-03-03"), typ: "transfer", orig: "VIR SALAIRE"}
		bread := seen{powens: 2, value: -1250, date: date("2025-03-03"), vdate: date("2025-03-05"), typ: "card",
			orig: "CB PAUL", wording: "Paul", simple: "PAUL", counterparty: "BOULANGERIE PAUL"}
		if got, want := read(false), []seen{salary, bread}; !slices.EqualFunc(got, want, same) {
			t.Errorf("narrow read:\n got %+v\nwant %+v", got, want)
		}
		bread.payee, bread.tags, bread.category = "Paul", []string{"midi", "pro"}, food.ID
		salary.payee, salary.category = "Employeur", work.ID
		if got, want := read(true), []seen{salary, bread}; !slices.EqualFunc(got, want, same) {
			t.Errorf("read with extras:\n got %+v\nwant %+v", got, want)
		}
	})
}
