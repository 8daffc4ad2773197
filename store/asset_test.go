package store_test

import (
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// mustCreateAsset creates an asset of u from the fields a person would give.
func mustCreateAsset(tb testing.TB, s *store.Store, userID int64, name string, kind freenahi.AssetKind, currency string) *freenahi.Asset {
	tb.Helper()
	a := &freenahi.Asset{UserID: userID}
	if err := (freenahi.AssetInput{Name: &name, Kind: &kind, Currency: &currency}).Apply(a, true); err != nil {
		tb.Fatal(err)
	}
	if err := s.CreateAsset(ctx, a); err != nil {
		tb.Fatal(err)
	}
	return a
}

func TestAssetService(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustCreateUser(t, s, "ana@example.com", 1)
		bob := MustCreateUser(t, s, "bob@example.com", 2)
		flat := mustCreateAsset(t, s, ana.ID, "Flat in Lyon", freenahi.AssetProperty, "eur")
		debt := mustCreateAsset(t, s, ana.ID, "Loan from Mum", freenahi.AssetLoan, "EUR")
		yen := mustCreateAsset(t, s, ana.ID, "Cash in Tokyo", freenahi.AssetCash, "JPY")
		bobs := mustCreateAsset(t, s, bob.ID, "Bob's car", freenahi.AssetVehicle, "EUR")

		t.Run("Values", func(t *testing.T) {
			for _, v := range []struct {
				id    int64
				day   string
				minor int64
			}{
				{flat.ID, "2024-03-01", 25000000},
				{flat.ID, "2023-01-15", 21000000},
				{flat.ID, "2024-03-01", 26000000}, // the same day again replaces it
				{debt.ID, "2024-01-01", 500000},
				{yen.ID, "2024-02-02", 123456789012},
			} {
				if err := s.SetAssetValue(ctx, ana.ID, v.id, freenahi.AssetValue{Date: date(v.day), ValueMinor: v.minor}); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.FindAssetValues(ctx, ana.ID, flat.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := []freenahi.AssetValue{{Date: date("2023-01-15"), ValueMinor: 21000000}, {Date: date("2024-03-01"), ValueMinor: 26000000}}
			if !slices.Equal(got, want) {
				t.Fatalf("values %v, want %v", got, want)
			}
			a, err := s.FindAssetByID(ctx, ana.ID, flat.ID)
			if err != nil {
				t.Fatal(err)
			}
			if a.Latest == nil || *a.Latest != want[1] || a.Currency != (freenahi.Currency{Code: "EUR", Exponent: 2}) {
				t.Fatalf("asset %+v latest %+v", a, a.Latest)
			}
			all, err := s.FindAllAssetValues(ctx, ana.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 3 || all[yen.ID][0].ValueMinor != 123456789012 {
				t.Fatalf("all values %v", all)
			}
		})
		t.Run("List", func(t *testing.T) {
			list, err := s.FindAssets(ctx, ana.ID)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, a := range list {
				names = append(names, a.Name)
			}
			if want := []string{"Cash in Tokyo", "Flat in Lyon", "Loan from Mum"}; !slices.Equal(names, want) {
				t.Fatalf("names %v, want %v", names, want)
			}
			if list[0].Currency.Exponent != 0 || list[2].Group() != freenahi.GroupLoans || list[1].Group() != freenahi.GroupOther {
				t.Fatalf("%+v %+v %+v", list[0], list[1], list[2])
			}
		})
		t.Run("Update", func(t *testing.T) {
			g, inst := freenahi.GroupSavings, "Banque Locale"
			a, err := s.UpdateAsset(ctx, ana.ID, flat.ID, freenahi.AssetInput{Group: &g, Institution: &inst})
			if err != nil {
				t.Fatal(err)
			}
			if a.Name != "Flat in Lyon" || a.Group() != g || a.Institution != inst {
				t.Fatalf("%+v", a)
			}
			for _, tc := range []struct {
				field string
				in    freenahi.AssetInput
			}{
				{"name", freenahi.AssetInput{Name: ptr("  ")}},
				{"kind", freenahi.AssetInput{Kind: ptr(freenahi.AssetKind("boat"))}},
				{"currency", freenahi.AssetInput{Currency: ptr("USD")}},
				{"group", freenahi.AssetInput{Name: ptr("Changed?"), Group: ptr(freenahi.AccountGroup("cars"))}},
			} {
				_, err := s.UpdateAsset(ctx, ana.ID, flat.ID, tc.in)
				if freenahi.ErrorCode(err) != freenahi.EINVALID || freenahi.ErrorField(err) != tc.field {
					t.Fatalf("%s: err %v", tc.field, err)
				}
			}
			a, _ = s.FindAssetByID(ctx, ana.ID, flat.ID)
			if a.Name != "Flat in Lyon" || a.Kind != freenahi.AssetProperty {
				t.Fatalf("a refused update was stored: %+v", a)
			}
		})
		t.Run("BadValue", func(t *testing.T) {
			for _, tc := range []struct {
				field string
				v     freenahi.AssetValue
			}{
				{"date", freenahi.AssetValue{ValueMinor: 1}},
				{"value", freenahi.AssetValue{Date: date("2024-01-01"), ValueMinor: -1}},
			} {
				err := s.SetAssetValue(ctx, ana.ID, flat.ID, tc.v)
				if freenahi.ErrorCode(err) != freenahi.EINVALID || freenahi.ErrorField(err) != tc.field {
					t.Fatalf("%s: err %v", tc.field, err)
				}
			}
		})
		t.Run("OwnerScoped", func(t *testing.T) {
			notFound := func(what string, err error) {
				t.Helper()
				if freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
					t.Fatalf("%s: err %v, want ENOTFOUND", what, err)
				}
			}
			_, err := s.FindAssetByID(ctx, ana.ID, bobs.ID)
			notFound("find", err)
			_, err = s.FindAssetValues(ctx, ana.ID, bobs.ID)
			notFound("values", err)
			_, err = s.UpdateAsset(ctx, ana.ID, bobs.ID, freenahi.AssetInput{Name: ptr("Mine")})
			notFound("update", err)
			notFound("set value", s.SetAssetValue(ctx, ana.ID, bobs.ID, freenahi.AssetValue{Date: date("2024-01-01"), ValueMinor: 1}))
			notFound("delete", s.DeleteAsset(ctx, ana.ID, bobs.ID))
			if all, _ := s.FindAllAssetValues(ctx, bob.ID); len(all) != 0 {
				t.Fatalf("bob has values: %v", all)
			}
			if b, err := s.FindAssetByID(ctx, bob.ID, bobs.ID); err != nil || b.Name != "Bob's car" {
				t.Fatalf("bob's asset: %+v %v", b, err)
			}
		})
		t.Run("Delete", func(t *testing.T) {
			if err := s.DeleteAssetValue(ctx, ana.ID, flat.ID, date("2023-01-15")); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteAssetValue(ctx, ana.ID, flat.ID, date("2023-01-15")); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
				t.Fatalf("second delete: %v", err)
			}
			if err := s.DeleteAsset(ctx, ana.ID, flat.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindAssetByID(ctx, ana.ID, flat.ID); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
				t.Fatalf("deleted asset: %v", err)
			}
			all, _ := s.FindAllAssetValues(ctx, ana.ID)
			if _, ok := all[flat.ID]; ok || len(all) != 2 {
				t.Fatalf("values after delete: %v", all)
			}
		})
	})
}
