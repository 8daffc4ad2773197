package fold

import "testing"

func TestString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"PRÉLÈVEMENT", "prelevement"},
		{"Crédit Agricole", "credit agricole"},
		{"Cœur d'Œuvre", "coeur d'oeuvre"},
		{"Straße", "strasse"},
		{"ÇA VA", "ca va"},
		{"plain ascii", "plain ascii"},
		{"Ελληνικά", "ελληνικα"},
	} {
		if got := String(tc.in); got != tc.want {
			t.Errorf("String(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
	if !Contains("Banque Populaire Rives de Paris", "RIVES") || Contains("LCL", "bnp") {
		t.Error("Contains does not ignore case, or matches too much")
	}
}

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"CB CARREFOUR 12/05 4521", []string{"cb", "carrefour", "12", "05", "4521"}},
		{"  Chèque n°1234 ", []string{"cheque", "n", "1234"}},
		{"frais_de-port 50%", []string{"frais", "de", "port", "50"}},
		{"edf EDF Edf", []string{"edf"}},
		{"www.edf.fr", []string{"www", "edf", "fr"}},
		{"%_-", nil},
	} {
		got := Words(tc.in)
		if len(got) != len(tc.want) {
			t.Fatalf("Words(%q) = %q, want %q", tc.in, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("Words(%q) = %q, want %q", tc.in, got, tc.want)
			}
		}
	}
}
