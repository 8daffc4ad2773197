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
