package store_test

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// TestBudgets: three months of groceries and restaurants, a refund, a
// transfer, a split and a yen payment; every figure below is worked out by
// hand from the fixture and the group's total again with math/big.
func TestBudgets(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		u := b.user
		groceries, restaurants := categoryByKey(t, s, u.ID, "groceries"), categoryByKey(t, s, u.ID, "restaurants")
		food := categoryByKey(t, s, u.ID, "food")
		clk.now = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC) // budgets made in January
		mk := func(cat int64, amount string, rollover bool) *freenahi.Budget {
			t.Helper()
			d := freenahi.MustParseDecimal(amount)
			bu, err := s.CreateBudget(ctx, u.ID, freenahi.BudgetInput{CategoryID: &cat, Amount: &d, Rollover: &rollover})
			if err != nil {
				t.Fatal(err)
			}
			return bu
		}
		bGroceries := mk(groceries.ID, "200.00", true)
		bFood := mk(food.ID, "300", false)
		bRestaurants := mk(restaurants.ID, "50.00", false)
		clk.now = t0

		tx := func(pid int64, day, wording string, minor int64) *freenahi.Transaction {
			return &freenahi.Transaction{AccountID: b.checking.ID, PowensID: pid, Date: date(day), Currency: eur,
				ValueMinor: minor, Type: "card", OriginalWording: wording, Active: true}
		}
		yen := &freenahi.Transaction{AccountID: b.yen.ID, PowensID: 20, Date: date("2026-03-04"), Currency: b.yen.Currency,
			ValueMinor: -5000, Type: "card", OriginalWording: "CB AEON TOKYO", Active: true}
		fixture := []*freenahi.Transaction{
			tx(1, "2026-01-10", "CB CARREFOUR 10/01", -15000),
			tx(2, "2026-01-20", "AVOIR CARREFOUR", 2000), // a refund
			tx(3, "2026-02-11", "CB CARREFOUR 11/02", -26000),
			tx(4, "2026-03-03", "CB CARREFOUR 03/03", -10000),
			tx(5, "2026-03-05", "CB MARCHE BIO 05/03", -9000), // split below: 60.00 groceries, 30.00 restaurants
			tx(6, "2026-03-06", "CB LE PETIT ZINC", -4500),
			tx(7, "2026-03-07", "CB CARREFOUR DRIVE", -50000), // marked as a transfer below
			tx(8, "2026-04-01", "CB CARREFOUR 01/04", -700),   // next month
			yen,
		}
		mustUpsert(t, s, u, fixture...)
		for pid, cat := range map[int64]int64{1: groceries.ID, 2: groceries.ID, 3: groceries.ID, 4: groceries.ID, 6: restaurants.ID,
			7: groceries.ID, 8: groceries.ID, 20: groceries.ID} {
			if _, err := s.EditTransaction(ctx, u.ID, txByPowensID(t, s, u.ID, pid).ID, freenahi.TransactionEdit{CategoryID: &cat}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.EditTransaction(ctx, u.ID, txByPowensID(t, s, u.ID, 7).ID, freenahi.TransactionEdit{Transfer: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		split := txByPowensID(t, s, u.ID, 5)
		if _, err := s.EditTransaction(ctx, u.ID, split.ID, freenahi.TransactionEdit{Splits: &[]freenahi.SplitPart{
			{CategoryID: groceries.ID, Amount: freenahi.MustParseDecimal("-60.00")},
			{CategoryID: restaurants.ID, Amount: freenahi.MustParseDecimal("-30")}}}); err != nil {
			t.Fatal(err)
		}

		got, err := s.BudgetProgress(ctx, u.ID, date("2026-03-18"))
		if err != nil {
			t.Fatal(err)
		}
		// By hand: groceries spent 150.00 − 20.00 = 130.00 in January,
		// 260.00 in February, 100.00 + 60.00 = 160.00 in March; carried
		// (200 − 130) + (200 − 260) = 10.00; available 210.00, left 50.00.
		// Food (no rollover): 160.00 + 30.00 + 45.00 = 235.00, left 65.00.
		// Restaurants: 30.00 + 45.00 = 75.00 of 50.00: 25.00 over.
		want := map[int64][4]int64{ // spent, carried, available, left
			bGroceries.ID:   {16000, 1000, 21000, 5000},
			bFood.ID:        {23500, 0, 30000, 6500},
			bRestaurants.ID: {7500, 0, 5000, -2500},
		}
		if len(got) != 3 {
			t.Fatalf("%d budgets, want 3", len(got))
		}
		for _, p := range got {
			w := want[p.Budget.ID]
			if g := [4]int64{p.SpentMinor, p.CarriedMinor, p.AvailableMinor, p.LeftMinor}; g != w {
				t.Errorf("budget on %d: spent, carried, available, left = %v, want %v", p.Budget.CategoryID, g, w)
			}
			if p.Over() != (p.Budget.ID == bRestaurants.ID) {
				t.Errorf("budget on %d: Over=%v", p.Budget.CategoryID, p.Over())
			}
		}
		// Tree order: the food group before its categories.
		if got[0].Budget.ID != bFood.ID {
			t.Errorf("first budget is on %d, want the food group", got[0].Budget.CategoryID)
		}
		// A second oracle for the group: March's euro debits in food,
		// added with math/big from the fixture, the transfer left out.
		sum := new(big.Int)
		for _, m := range []int64{-10000, -6000, -3000, -4500} {
			sum.Sub(sum, big.NewInt(m))
		}
		if sum.Int64() != want[bFood.ID][0] {
			t.Fatalf("the hand figure %d disagrees with the sum %s", want[bFood.ID][0], sum)
		}

		// The spending report counts the parts too.
		rep, err := s.Spending(ctx, u.ID, date("2026-03-01"), date("2026-03-31"))
		if err != nil {
			t.Fatal(err)
		}
		byCat := map[int64]int64{}
		for _, l := range rep.ByCategory {
			if l.Currency == "EUR" {
				byCat[*l.CategoryID] = l.SpendingMinor
			}
		}
		if byCat[groceries.ID] != 16000 || byCat[restaurants.ID] != 7500 {
			t.Fatalf("spending by category %v, want groceries 16000 and restaurants 7500", byCat)
		}
		// Its drill-down lists the split payment under restaurants too.
		drill := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: u.ID, CategoryID: &restaurants.ID,
			From: ptr(date("2026-03-01")), To: ptr(date("2026-03-31"))})
		if len(drill) != 2 {
			t.Fatalf("drill-down to restaurants: %d transactions, want the split one and the Petit Zinc", len(drill))
		}

		// Changes, and what is refused without touching the stored budget.
		d := freenahi.MustParseDecimal("80.5")
		up, err := s.UpdateBudget(ctx, u.ID, bRestaurants.ID, freenahi.BudgetInput{Amount: &d})
		if err != nil || up.AmountMinor != 8050 {
			t.Fatalf("update: %+v, %v", up, err)
		}
		bad := freenahi.MustParseDecimal("1.234")
		_, err = s.UpdateBudget(ctx, u.ID, bRestaurants.ID, freenahi.BudgetInput{Amount: &bad})
		wantField(t, err, "amount")
		neg := freenahi.MustParseDecimal("-5")
		_, err = s.CreateBudget(ctx, u.ID, freenahi.BudgetInput{CategoryID: &restaurants.ID, Amount: &neg})
		wantField(t, err, "amount")
		_, err = s.CreateBudget(ctx, u.ID, freenahi.BudgetInput{CategoryID: &restaurants.ID, Amount: &d})
		wantCode(t, err, freenahi.ECONFLICT, "a second budget on a category")
		_, err = s.CreateBudget(ctx, u.ID, freenahi.BudgetInput{CategoryID: &restaurants.ID, Amount: &d, Currency: "E1"})
		wantField(t, err, "currency")
		if bs, _ := s.FindBudgets(ctx, u.ID); len(bs) != 3 || bs[2].AmountMinor != 8050 {
			t.Fatalf("budgets after refusals: %+v", bs)
		}

		// Another user sees, changes and deletes none of them.
		ben := MustCreateUser(t, s, "ben@example.com", 0)
		if bs, err := s.FindBudgets(ctx, ben.ID); err != nil || len(bs) != 0 {
			t.Fatalf("ben's budgets: %v, %v", bs, err)
		}
		_, err = s.UpdateBudget(ctx, ben.ID, bFood.ID, freenahi.BudgetInput{Amount: &d})
		wantCode(t, err, freenahi.ENOTFOUND, "another user's budget")
		wantCode(t, s.DeleteBudget(ctx, ben.ID, bFood.ID), freenahi.ENOTFOUND, "another user's budget")
		_, err = s.CreateBudget(ctx, ben.ID, freenahi.BudgetInput{CategoryID: &food.ID, Amount: &d})
		wantField(t, err, "category_id")
		if err := s.DeleteBudget(ctx, u.ID, bFood.ID); err != nil {
			t.Fatal(err)
		}
		if bs, _ := s.FindBudgets(ctx, u.ID); len(bs) != 2 {
			t.Fatalf("%d budgets after a delete, want 2", len(bs))
		}
	})
}

// TestSplits: parts that do not add up are refused naming the field and
// store nothing; good ones are kept by a later sync of the transaction.
func TestSplits(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		u := b.user
		groceries, restaurants := categoryByKey(t, s, u.ID, "groceries"), categoryByKey(t, s, u.ID, "restaurants")
		orig := cardTx(b.checking, 1, "CB HYPER U 02/03", -12345)
		mustUpsert(t, s, u, orig)
		tr := txByPowensID(t, s, u.ID, 1)
		parts := func(a, b string) *[]freenahi.SplitPart {
			return &[]freenahi.SplitPart{{CategoryID: groceries.ID, Amount: freenahi.MustParseDecimal(a)},
				{CategoryID: restaurants.ID, Amount: freenahi.MustParseDecimal(b)}}
		}
		for _, c := range []struct {
			name, field string
			parts       *[]freenahi.SplitPart
		}{
			{"one cent short", "splits", parts("-100.00", "-23.44")},
			{"too many decimals", "splits[1].amount", parts("-100.00", "-23.451")},
			{"a zero part", "splits[1].amount", parts("-123.45", "0")},
			{"a single part", "splits", &[]freenahi.SplitPart{{CategoryID: groceries.ID, Amount: freenahi.MustParseDecimal("-123.45")}}},
			{"no category", "splits[0].category_id", &[]freenahi.SplitPart{{Amount: freenahi.MustParseDecimal("-100")},
				{CategoryID: groceries.ID, Amount: freenahi.MustParseDecimal("-23.45")}}},
			{"another user's category", "splits[1].category_id", &[]freenahi.SplitPart{{CategoryID: groceries.ID, Amount: freenahi.MustParseDecimal("-100")},
				{CategoryID: categoryByKey(t, s, MustCreateUser(t, s, "ben+"+strings.ReplaceAll(t.Name(), "/", "")+"@example.com", 0).ID, "groceries").ID,
					Amount: freenahi.MustParseDecimal("-23.45")}}},
		} {
			_, err := s.EditTransaction(ctx, u.ID, tr.ID, freenahi.TransactionEdit{Splits: c.parts})
			wantField(t, err, c.field)
			if got, _ := s.FindTransactionByID(ctx, u.ID, tr.ID); len(got.Splits) != 0 {
				t.Fatalf("%s: splits stored: %+v", c.name, got.Splits)
			}
		}
		_, err := s.EditTransaction(ctx, u.ID, tr.ID, freenahi.TransactionEdit{Splits: parts("-100.00", "-23.44")})
		if msg := freenahi.ErrorMessage(err); !strings.Contains(msg, "-123.44") || !strings.Contains(msg, "-123.45") {
			t.Fatalf("message %q does not give both sums", msg)
		}
		if _, err := s.EditTransaction(ctx, u.ID, tr.ID, freenahi.TransactionEdit{Splits: parts("-100", "-23.45")}); err != nil {
			t.Fatal(err)
		}
		// The bank renames and books it: a sync updates the row in place.
		orig.OriginalWording = "CB HYPER U SAINT-MALO 02/03"
		mustUpsert(t, s, u, orig)
		got, err := s.FindTransactionByID(ctx, u.ID, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []freenahi.Split{{CategoryID: groceries.ID, AmountMinor: -10000}, {CategoryID: restaurants.ID, AmountMinor: -2345}}
		if got.OriginalWording != orig.OriginalWording || len(got.Splits) != 2 || got.Splits[0] != want[0] || got.Splits[1] != want[1] {
			t.Fatalf("after a sync: %q %+v, want %+v", got.OriginalWording, got.Splits, want)
		}
		if _, err := s.EditTransaction(ctx, u.ID, tr.ID, freenahi.TransactionEdit{Splits: &[]freenahi.SplitPart{}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindTransactionByID(ctx, u.ID, tr.ID); len(got.Splits) != 0 {
			t.Fatalf("an empty list kept the split: %+v", got.Splits)
		}
	})
}

// TestRecurring: a monthly subscription found with its next date and
// yearly cost, dismissed and taken back; a one-off payment is not.
func TestRecurring(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		u := b.user
		tx := func(pid int64, day, wording string, minor int64) *freenahi.Transaction {
			return &freenahi.Transaction{AccountID: b.checking.ID, PowensID: pid, Date: date(day), Currency: eur,
				ValueMinor: minor, Type: "order", OriginalWording: wording, Active: true}
		}
		mustUpsert(t, s, u,
			tx(1, "2025-12-05", "PRLV SEPA NETFLIX.COM", -1349),
			tx(2, "2026-01-05", "PRLV SEPA NETFLIX.COM", -1349),
			tx(3, "2026-02-05", "PRLV SEPA NETFLIX.COM", -1599),
			tx(4, "2026-02-20", "CB FNAC PARIS", -8999),
		)
		found, err := s.FindRecurring(ctx, u.ID, date("2026-03-02"))
		if err != nil {
			t.Fatal(err)
		}
		if len(found) != 1 {
			t.Fatalf("found %+v, want one series", found)
		}
		r := found[0]
		if r.Interval != freenahi.Monthly || r.Next != date("2026-03-05") || r.AmountMinor != 1599 || r.YearlyMinor != 12*1599 || r.Count != 3 || r.Dismissed {
			t.Fatalf("series %+v", r)
		}
		if err := s.DismissRecurring(ctx, u.ID, r.Key, true); err != nil {
			t.Fatal(err)
		}
		if err := s.DismissRecurring(ctx, u.ID, r.Key, true); err != nil { // twice is once
			t.Fatal(err)
		}
		if found, _ := s.FindRecurring(ctx, u.ID, date("2026-03-02")); !found[0].Dismissed {
			t.Fatal("not dismissed")
		}
		ben := MustCreateUser(t, s, "ben@example.com", 0)
		if err := s.DismissRecurring(ctx, ben.ID, r.Key, false); err != nil {
			t.Fatal(err)
		}
		if found, _ := s.FindRecurring(ctx, u.ID, date("2026-03-02")); !found[0].Dismissed {
			t.Fatal("another user took the dismissal back")
		}
		if err := s.DismissRecurring(ctx, u.ID, r.Key, false); err != nil {
			t.Fatal(err)
		}
		if found, _ := s.FindRecurring(ctx, u.ID, date("2026-03-02")); found[0].Dismissed {
			t.Fatal("still dismissed")
		}
		wantField(t, s.DismissRecurring(ctx, u.ID, " ", true), "key")
	})
}

// wantField checks that err is EINVALID about field.
func wantField(tb testing.TB, err error, field string) {
	tb.Helper()
	if freenahi.ErrorCode(err) != freenahi.EINVALID || freenahi.ErrorField(err) != field {
		tb.Fatalf("err=%v, want EINVALID about %s", err, field)
	}
}

// TestBudgets_Merge: merging a category moves its budget and split parts
// to the category that takes it over, unless that one has a budget of its
// own: then the merged one's budget goes.
func TestBudgets_Merge(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		u := b.user
		groceries, restaurants, cafes := categoryByKey(t, s, u.ID, "groceries"), categoryByKey(t, s, u.ID, "restaurants"), categoryByKey(t, s, u.ID, "cafes")
		food := categoryByKey(t, s, u.ID, "food_delivery")
		d := freenahi.MustParseDecimal("100")
		for _, id := range []int64{restaurants.ID, food.ID, groceries.ID} {
			if _, err := s.CreateBudget(ctx, u.ID, freenahi.BudgetInput{CategoryID: &id, Amount: &d}); err != nil {
				t.Fatal(err)
			}
		}
		mustUpsert(t, s, u, cardTx(b.checking, 1, "CB BRASSERIE 02/03", -3000))
		tr := txByPowensID(t, s, u.ID, 1)
		if _, err := s.EditTransaction(ctx, u.ID, tr.ID, freenahi.TransactionEdit{Splits: &[]freenahi.SplitPart{
			{CategoryID: restaurants.ID, Amount: freenahi.MustParseDecimal("-20")},
			{CategoryID: groceries.ID, Amount: freenahi.MustParseDecimal("-10")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MergeCategory(ctx, u.ID, restaurants.ID, cafes.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MergeCategory(ctx, u.ID, food.ID, groceries.ID); err != nil {
			t.Fatal(err)
		}
		bs, err := s.FindBudgets(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		on := map[int64]bool{}
		for _, b := range bs {
			on[b.CategoryID] = true
		}
		if len(bs) != 2 || !on[cafes.ID] || !on[groceries.ID] {
			t.Fatalf("budgets after the merges: %+v", bs)
		}
		got, _ := s.FindTransactionByID(ctx, u.ID, tr.ID)
		if got.Splits[0].CategoryID != cafes.ID || got.Splits[1].CategoryID != groceries.ID {
			t.Fatalf("split after the merge: %+v", got.Splits)
		}
	})
}
