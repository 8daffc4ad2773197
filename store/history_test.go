package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

func TestHistorySource_ReadHistoryData(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		tx := func(a *freenahi.Account, id int64, day string, minor int64) *freenahi.Transaction {
			return &freenahi.Transaction{AccountID: a.ID, PowensID: id, Date: date(day), ValueMinor: minor, Active: true}
		}
		coming, deleted, unknown := tx(ana.checking, 4, "2026-03-02", 7), tx(ana.checking, 5, "2026-03-02", 11), tx(ana.checking, 6, "2026-03-02", 0)
		coming.Coming, deleted.Deleted, unknown.AmountOrigin = true, ptr(clk.now), freenahi.AmountUnknown
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error {
			if err := w.UpsertTransactions(ctx, []*freenahi.Transaction{
				tx(ana.checking, 1, "2026-03-01", -1000), tx(ana.checking, 2, "2026-03-02", -250), tx(ana.checking, 3, "2026-03-02", 5000),
				coming, deleted, unknown, tx(ana.savings, 7, "2026-02-27", 300),
			}); err != nil {
				return err
			}
			for _, b := range []*freenahi.BalanceSnapshot{
				{AccountID: ana.checking.ID, At: time.Date(2026, 2, 20, 10, 0, 0, 0, time.UTC), BalanceMinor: 1},
				{AccountID: ana.checking.ID, At: time.Date(2026, 2, 25, 10, 0, 0, 0, time.UTC), BalanceMinor: 2},
				// 23:30 UTC is 00:30 the next day in Paris; the later
				// snapshot of that Paris day wins.
				{AccountID: ana.checking.ID, At: time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC), BalanceMinor: 3},
				{AccountID: ana.checking.ID, At: time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC), BalanceMinor: 4},
			} {
				if err := w.RecordBalance(ctx, b); err != nil {
					return err
				}
			}
			return nil
		})
		MustSync(t, s, bob.user, func(w freenahi.SyncWriter) error {
			return w.UpsertTransactions(ctx, []*freenahi.Transaction{tx(bob.checking, 1, "2026-03-01", 999)})
		})
		text := func(h *freenahi.HistoryData) string {
			if h == nil {
				return "<nil>"
			}
			return fmt.Sprint(h.Movements, h.Snapshots)
		}
		for _, tc := range []struct {
			name    string
			account *int64
			from    string
			want    map[int64]string
		}{
			{"All", nil, "", map[int64]string{
				ana.checking.ID: "[{2026-03-01 -1000} {2026-03-02 4750}] [{2026-02-20 1} {2026-02-25 2} {2026-03-02 4}]",
				ana.savings.ID:  "[{2026-02-27 300}] []"}},
			// From the 1st: the snapshot of the 25th carries in; the 20th's does not.
			{"From", nil, "2026-03-01", map[int64]string{
				ana.checking.ID: "[{2026-03-01 -1000} {2026-03-02 4750}] [{2026-02-25 2} {2026-03-02 4}]"}},
			{"OneAccount", &ana.savings.ID, "", map[int64]string{ana.savings.ID: "[{2026-02-27 300}] []"}},
			{"AnotherUsersAccount", &bob.checking.ID, "", map[int64]string{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var from freenahi.Date
				if tc.from != "" {
					from = date(tc.from)
				}
				got, err := s.ReadHistoryData(ctx, ana.user.ID, tc.account, from, paris)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tc.want) {
					t.Fatalf("%d accounts, want %d", len(got), len(tc.want))
				}
				for id, want := range tc.want {
					if g := text(got[id]); g != want {
						t.Errorf("account %d: %s\nwant %s", id, g, want)
					}
				}
			})
		}
	})
}

func TestWealthService_FindValuations(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		dec := func(v string) *freenahi.Decimal { d := freenahi.MustParseDecimal(v); return &d }
		position := func(a *freenahi.Account, vdate string, valuation string) *freenahi.Investment {
			in := &freenahi.Investment{AccountID: a.ID, PowensID: 1, Label: "MSCI World", Code: "IE00B4L5Y983",
				Quantity: dec("10"), UnitValue: dec("90.1234"), Valuation: dec(valuation)}
			if vdate != "" {
				in.VDate = date(vdate)
			}
			return in
		}
		sync := func(u *freenahi.User, invs ...*freenahi.Investment) {
			MustSync(t, s, u, func(w freenahi.SyncWriter) error { return w.UpsertInvestments(ctx, invs) })
		}
		sync(ana.user, position(ana.market, "2026-03-01", "901.23"))
		sync(ana.user, position(ana.market, "2026-03-01", "905.00")) // the same day again: the last values
		sync(ana.user, position(ana.market, "2026-03-04", "1000.01"))
		sync(ana.user, position(ana.market, "", "1000.02")) // no value date: the day of the sync
		gone := position(ana.market, "2026-03-05", "0")
		gone.PowensID, gone.Deleted = 2, ptr(clk.now) // a sold position leaves no valuation
		sync(ana.user, gone)
		sync(bob.user, position(bob.market, "2026-03-02", "1"))
		got, err := s.FindValuations(ctx, ana.user.ID, nil, freenahi.Date{})
		if err != nil {
			t.Fatal(err)
		}
		var text []string
		for _, v := range got {
			if v.AccountID != ana.market.ID {
				t.Fatalf("valuation of account %d", v.AccountID)
			}
			text = append(text, v.Date.String()+"="+v.Valuation.String()+"/"+v.Quantity.String()+"/"+v.UnitValue.String())
		}
		// The store's clock says 2026-03-02 (t0), the day of the undated one.
		want := fmt.Sprint([]string{"2026-03-01=905/10/90.1234", "2026-03-02=1000.02/10/90.1234", "2026-03-04=1000.01/10/90.1234"})
		if fmt.Sprint(text) != want {
			t.Fatalf("valuations %v\nwant %s", text, want)
		}
		if got, _ := s.FindValuations(ctx, ana.user.ID, nil, date("2026-03-02")); len(got) != 2 {
			t.Fatalf("from the 2nd: %d valuations, want 2", len(got))
		}
		if got, _ := s.FindValuations(ctx, ana.user.ID, &bob.market.ID, freenahi.Date{}); len(got) != 0 {
			t.Fatalf("ana reads %d valuations of bob's account", len(got))
		}
	})
}
