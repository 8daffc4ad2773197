package bankfile_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

func kindsOf(t *testing.T, data []byte) []string {
	t.Helper()
	f, err := bankfile.Parse(data, bankfile.Options{DayFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range f.Entries {
		kinds = append(kinds, e.Kind)
	}
	return kinds
}

// TestParse_Kinds: the operation kind of each readable line of the
// fixtures, written by hand from the files: OFX TRNTYPE when it names a
// means (CHECK, ATM), else the wording (CB …, VIR …); the QIF N field
// (CHK 102); the CFONB operation codes 05, B1 and 11; the CSV wording.
func TestParse_Kinds(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"sgml-v102.ofx", []string{"card", "transfer"}},
		{"xml-v220.ofx", []string{"check", "withdrawal", ""}},
		{"quicken-us.qif", []string{"", "", "check"}},
		{"french.qif", []string{"", "", ""}},
		{"bank-fr-1252.csv", []string{"card", "transfer", "order"}},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if got := kindsOf(t, data); !slices.Equal(got, tc.want) {
			t.Errorf("%s: kinds %q, want %q", tc.file, got, tc.want)
		}
	}
	if got, want := kindsOf(t, []byte(cfonbSeed)), []string{"transfer", "order", "card"}; !slices.Equal(got, want) {
		t.Errorf("CFONB: kinds %q, want %q", got, want)
	}
	csv := "Date;Libellé;Montant\n" +
		"01/03/2024;Prélèvement SEPA Free Mobile;-19,99\n" +
		"01/03/2024;INTÉRÊTS CRÉDITEURS 2023;12,00\n" +
		"01/03/2024;Retrait DAB Paris 12;-40,00\n" +
		"01/03/2024;CHQUOTIDIEN SARL;-5,00\n" +
		"01/03/2024;CHQ 1234567;-80,00\n" +
		"01/03/2024;FRAIS TENUE DE COMPTE;-2,00\n" +
		"01/03/2024;ECHEANCE PRET 0042;-350,00\n" +
		"01/03/2024;Card payment Tesco;-9,00\n"
	want := []string{"order", "profit", "withdrawal", "", "check", "bank", "loan_repayment", "card"}
	if got := kindsOf(t, []byte(csv)); !slices.Equal(got, want) {
		t.Errorf("wordings: kinds %q, want %q", got, want)
	}
}

// TestImporter_Kinds: imported transactions carry their kind, as synced
// ones carry Powens' type.
func TestImporter_Kinds(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, "ana@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		im := &bankfile.Importer{Store: s, Accounts: s}
		data, err := os.ReadFile(filepath.Join("testdata", "sgml-v102.ofx"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := im.Import(ctx, bankfile.Request{UserID: u.ID, Data: data,
			NewAccount: &freenahi.Account{Name: "Chèques", Currency: freenahi.Currency{Code: "EUR"}}}); err != nil {
			t.Fatal(err)
		}
		if got := findWording(t, s, u.ID, "CB CAFÉ DE LA GARE 03/01 CARTE 4521").Type; got != "card" {
			t.Errorf("card payment: type %q", got)
		}
		if got := findWording(t, s, u.ID, "VIR SALAIRE ACME & CO").Type; got != "transfer" {
			t.Errorf("salary: type %q", got)
		}
	})
}
