package ui

import (
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/locale"
)

func TestWords(t *testing.T) {
	fr, en := locale.New("fr", nil), locale.New("en", nil)
	for _, tc := range []struct {
		got, want string
	}{
		{accountTypeName(fr, "pea"), "Plan d’épargne en actions (PEA)"},
		{accountTypeName(en, "loan"), "Loan"},
		{accountTypeName(fr, "tontine"), "Autre type de compte (tontine)"},
		{accountTypeName(fr, ""), "Compte de type inconnu"},
		{capabilityNames(fr, []string{"bank", "bankwealth", "teleportation"}), "comptes bancaires, épargne et placements"},
		{sourceName(fr, "directaccess"), "accès direct avec vos identifiants"},
		{sourceName(en, "carrier-pigeon"), "another access"},
		{stateName(fr, "notSupported"), "non pris en charge"},
		{stateName(fr, "quantumEntanglement"), ""},
		{keptProblemOf(fr, freenahi.Errorf(freenahi.ENOTFOUND, "Job not found.")).Text, "Opération introuvable."},
		{keptProblemOf(fr, &freenahi.Error{Code: freenahi.EINTERNAL, Message: "dial tcp: refused"}).Detail, "dial tcp: refused"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
