package freenahi_test

import (
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
)

func TestNormalizePayee(t *testing.T) {
	for _, tc := range []struct{ original, simplified, want string }{
		{"CB CARREFOUR 12/05 4521", "", "Carrefour"},
		{"CB CARREFOUR CITY 12/05", "Carrefour", "Carrefour"},
		{"PRLV SEPA EDF", "", "Edf"},
		{"PRLV SEPA FREE MOBILE", "Free Mobile", "Free Mobile"},
		{"VIR SEPA SALAIRE ACME SAS", "", "Salaire Acme Sas"},
		{"CARTE X4974 RESTAURANT LE PETIT ZINC 03/02", "", "Restaurant Le Petit Zinc"},
		{"PAIEMENT PAR CARTE 020524 SNCF CONNECT PARIS", "", "Sncf Connect Paris"},
		{"RETRAIT DAB 12/05", "Retrait", ""},
		{"CHQ 1234567", "Chèque", ""},
		{"AMAZON PAYMENTS", "AMAZON", "Amazon"},
		{"   ", "", ""},
		{"CB BOULANGERIE DU MARCHÉ 01/02", "", "Boulangerie Du Marché"},
	} {
		if got := freenahi.NormalizePayee(tc.original, tc.simplified); got != tc.want {
			t.Errorf("NormalizePayee(%q, %q)=%q, want %q", tc.original, tc.simplified, got, tc.want)
		}
	}
}

// keysCategorizer gives every default key its own id (its index + 1), so a
// test can read the key back from the id.
func keysCategorizer() (*freenahi.Categorizer, map[int64]string) {
	c := &freenahi.Categorizer{Keys: map[string]int64{}}
	names := map[int64]string{}
	for i, d := range freenahi.DefaultCategories {
		c.Keys[d.Key] = int64(i + 1)
		names[int64(i+1)] = d.Key
	}
	return c, names
}

// TestCategorizer_Builtin lists wordings as French banks print them (taken
// by hand from real statements' shapes) and the category a person would
// choose.
func TestCategorizer_Builtin(t *testing.T) {
	c, names := keysCategorizer()
	for _, tc := range []struct {
		typ, original, simplified string
		minor                     int64
		card                      bool
		want                      string
	}{
		{"card", "CB CARREFOUR 12/05 4521", "", -4250, true, "groceries"},
		{"card", "CB LECLERC 03/03", "E.Leclerc", -12000, true, "groceries"},
		{"card", "CB BOULANGERIE PAUL 03/03", "Paul", -380, true, "groceries"},
		{"order", "PRLV SEPA URSSAF", "URSSAF", -120000, false, "social_contributions"},
		{"order", "PRLV SEPA DGFIP TVA", "DGFIP", -80000, false, "vat"},
		{"order", "PRLV SEPA DGFIP IMPOT PAS", "", -30000, false, "income_tax"},
		{"card", "CB SNCF CONNECT 04/02", "SNCF", -5600, true, "trains"},
		{"order", "PRLV SEPA EDF", "EDF", -7800, false, "energy"},
		{"card", "CB TOTALENERGIES 01/02", "TotalEnergies", -6000, true, "fuel"},
		{"card", "CB PREAUTORISATION TOTAL 01/02", "", -15000, true, "fuel"},
		{"transfer", "VIR SEPA SALAIRE ACME SAS", "Salaire ACME", 450000, false, "salary"},
		{"withdrawal", "RETRAIT DAB 12/05", "Retrait", -4000, false, "cash"},
		{"bank", "FRAIS TENUE DE COMPTE", "Frais bancaires", -250, false, "bank_fees"},
		{"card", "CB UBER EATS 02/02", "Uber Eats", -2300, true, "food_delivery"},
		{"card", "CB UBER TRIP 02/02", "Uber", -1800, true, "taxi"},
		{"summary_card", "RELEVE CB DIFFERE XXXX4974", "", -120000, false, "card_settlement"},
		{"transfer", "VIR SEPA VERS LIVRET A", "", -15000, false, "savings"},
		{"transfer", "VIR SEPA DURAND SARL FACT 2025-042", "DURAND SARL", 120000, false, "business_income"},
		{"order", "PRLV SEPA FREE MOBILE", "Free Mobile", -1999, false, "telecom"},
		{"order", "PRLV SEPA MAIF", "MAIF", -5400, false, "insurance"},
		{"card", "CB PHARMACIE DU CENTRE 03/03", "Pharmacie", -1200, true, "pharmacy"},
		{"deposit", "INTERETS CREDITEURS 2025", "Intérêts", 4500, false, "interest"},
		{"transfer", "VIR CPAM PARIS REMBT SOINS", "", 2300, false, "benefits"},
		{"check", "CHQ 1234567", "Chèque", -5000, false, "cheques"},
		{"loan_payment", "ECHEANCE PRET IMMO 00012345", "", -95000, false, "loan_repayment"},
		// A person's name is not a bakery when it is a transfer.
		{"transfer", "VIR SEPA M PAUL DUPONT", "", -5000, false, ""},
		// A refund from a shop is not spending at that shop.
		{"card", "AVOIR CB CARREFOUR 12/05", "", 4250, true, ""},
		{"transfer", "VIR SEPA INCONNU", "", -100, false, ""},
	} {
		tx := &freenahi.Transaction{Type: tc.typ, OriginalWording: tc.original, SimplifiedWording: tc.simplified, ValueMinor: tc.minor}
		if tc.card {
			tx.Card = "XXXX4974"
		}
		c.Categorize(tx)
		got := ""
		if tx.CategoryID != nil {
			got = names[*tx.CategoryID]
		}
		if got != tc.want {
			t.Errorf("%s %q: category %q, want %q", tc.typ, tc.original, got, tc.want)
		}
		if (tc.want != "") != (tx.CategorySource == freenahi.CategoryFromBuiltin) {
			t.Errorf("%q: source %q", tc.original, tx.CategorySource)
		}
	}
}

// TestCategorizer_Precedence: the person's rules first, then their
// corrections, then the built-in rules; fields edited by hand stay.
func TestCategorizer_Precedence(t *testing.T) {
	c, _ := keysCategorizer()
	restaurants, groceries, mine := c.Keys["restaurants"], c.Keys["groceries"], int64(999)
	rule := &freenahi.Rule{If: freenahi.RuleConditions{WordingContains: "monoprix"},
		Then: freenahi.RuleActions{CategoryID: &mine, Tags: []string{"work"}, Transfer: ptr(false)}}
	if err := rule.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Rules = []*freenahi.Rule{rule}
	c.Learned = map[string]int64{"carrefour": restaurants, "monoprix": restaurants}

	tx := &freenahi.Transaction{Type: "card", Card: "X", OriginalWording: "CB CARREFOUR 12/05 4521", ValueMinor: -100}
	c.Categorize(tx)
	if *tx.CategoryID != restaurants || tx.CategorySource != freenahi.CategoryFromLearned {
		t.Errorf("learned payee: category %d (%s), want %d learned", *tx.CategoryID, tx.CategorySource, restaurants)
	}
	tx = &freenahi.Transaction{Type: "card", Card: "X", OriginalWording: "CB MONOPRIX 12/05", ValueMinor: -100}
	c.Categorize(tx)
	if *tx.CategoryID != mine || tx.CategorySource != freenahi.CategoryFromRule || !slices.Equal(tx.Tags, []string{"work"}) {
		t.Errorf("rule: %+v", tx)
	}
	tx = &freenahi.Transaction{Type: "card", Card: "X", OriginalWording: "CB MONOPRIX 12/05", ValueMinor: -100,
		CategoryID: &groceries, CategorySource: freenahi.CategoryFromManual, Payee: "My shop",
		Edits: freenahi.EditedCategory | freenahi.EditedPayee}
	c.Categorize(tx)
	if *tx.CategoryID != groceries || tx.CategorySource != freenahi.CategoryFromManual || tx.Payee != "My shop" {
		t.Errorf("manual edit overwritten: %+v", tx)
	}
}

func TestRule_Validate(t *testing.T) {
	one := int64(1)
	for _, tc := range []struct {
		name  string
		rule  freenahi.Rule
		field string
	}{
		{"no condition", freenahi.Rule{Then: freenahi.RuleActions{CategoryID: &one}}, "conditions"},
		{"no action", freenahi.Rule{If: freenahi.RuleConditions{WordingContains: "x"}}, "actions"},
		{"bad regexp", freenahi.Rule{If: freenahi.RuleConditions{WordingMatches: "("}, Then: freenahi.RuleActions{CategoryID: &one}}, "wording_matches"},
		{"bad sign", freenahi.Rule{If: freenahi.RuleConditions{Sign: "plus"}, Then: freenahi.RuleActions{CategoryID: &one}}, "sign"},
		{"negative amount", freenahi.Rule{If: freenahi.RuleConditions{MinAmount: ptr(freenahi.MustParseDecimal("-1"))}, Then: freenahi.RuleActions{CategoryID: &one}}, "min_amount"},
		{"range upside down", freenahi.Rule{If: freenahi.RuleConditions{MinAmount: ptr(freenahi.MustParseDecimal("10")), MaxAmount: ptr(freenahi.MustParseDecimal("9.99"))}, Then: freenahi.RuleActions{CategoryID: &one}}, "max_amount"},
		{"tag with comma", freenahi.Rule{If: freenahi.RuleConditions{WordingContains: "x"}, Then: freenahi.RuleActions{Tags: []string{"a,b"}}}, "tags"},
		{"fine", freenahi.Rule{If: freenahi.RuleConditions{WordingContains: "x"}, Then: freenahi.RuleActions{Tags: []string{" b ", "a", "b"}}}, ""},
	} {
		err := tc.rule.Validate()
		if got := freenahi.ErrorField(err); got != tc.field || (tc.field == "") != (err == nil) {
			t.Errorf("%s: err=%v, want field %q", tc.name, err, tc.field)
		}
	}
}

func TestRule_Matches(t *testing.T) {
	eur := freenahi.Currency{Code: "EUR", Exponent: 2}
	acct := int64(7)
	tx := &freenahi.Transaction{AccountID: 7, Currency: eur, ValueMinor: -4999, Type: "card", OriginalWording: "CB NETFLIX.COM 12/05", SimplifiedWording: "Netflix"}
	for _, tc := range []struct {
		name string
		c    freenahi.RuleConditions
		want bool
	}{
		{"contains, any case and accent", freenahi.RuleConditions{WordingContains: "NétFlix"}, true},
		{"contains, other word", freenahi.RuleConditions{WordingContains: "spotify"}, false},
		{"regexp", freenahi.RuleConditions{WordingMatches: `^cb netflix\.com`}, true},
		{"amount range holds 49.99", freenahi.RuleConditions{MinAmount: ptr(freenahi.MustParseDecimal("49.99")), MaxAmount: ptr(freenahi.MustParseDecimal("50"))}, true},
		{"amount above max", freenahi.RuleConditions{MaxAmount: ptr(freenahi.MustParseDecimal("49.98"))}, false},
		{"debit", freenahi.RuleConditions{Sign: "debit"}, true},
		{"credit", freenahi.RuleConditions{Sign: "credit"}, false},
		{"account", freenahi.RuleConditions{AccountID: &acct}, true},
		{"other account", freenahi.RuleConditions{AccountID: ptr(int64(8))}, false},
		{"type", freenahi.RuleConditions{Type: "card"}, true},
		{"payee", freenahi.RuleConditions{Payee: "NETFLIX"}, true},
		{"all together", freenahi.RuleConditions{WordingContains: "netflix", Sign: "debit", Type: "transfer"}, false},
	} {
		one := int64(1)
		r := &freenahi.Rule{If: tc.c, Then: freenahi.RuleActions{CategoryID: &one}}
		if err := r.Validate(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := r.Matches(tx, "Netflix"); got != tc.want {
			t.Errorf("%s: Matches=%v, want %v", tc.name, got, tc.want)
		}
	}
}

// BenchmarkCategorize measures the categoriser alone over wordings shaped
// like a French statement; the ingest benchmark shows its share of an event.
func BenchmarkCategorize(b *testing.B) {
	c, _ := keysCategorizer()
	txs := []freenahi.Transaction{
		{Type: "card", Card: "X", OriginalWording: "CB CARREFOUR CITY 12/05 4521", SimplifiedWording: "Carrefour", ValueMinor: -1200},
		{Type: "order", OriginalWording: "PRLV SEPA EDF 123456", SimplifiedWording: "EDF", ValueMinor: -7800},
		{Type: "transfer", OriginalWording: "VIR SEPA SALAIRE ACME SAS", SimplifiedWording: "Salaire ACME", ValueMinor: 450000},
		{Type: "card", Card: "X", OriginalWording: "CB MYSTERY SHOP 12/05", ValueMinor: -100},
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tx := txs[i%len(txs)]
		c.Categorize(&tx)
	}
}
