package main

import (
	"testing"
	"time"

	"github.com/freenahi/freenahi/internal/testenv"
)

// TestDemo_Inqom: the demo maps the checking account to its Inqom
// sandbox's dossier and pushes the booked transactions there by itself.
func TestDemo_Inqom(t *testing.T) {
	url, token, stop := runDemo(t, t.TempDir())
	defer stop()
	var got struct {
		Mappings []struct {
			DossierID int64  `json:"dossier_id"`
			Exported  int64  `json:"exported"`
			Waiting   int64  `json:"waiting"`
			LastError string `json:"last_error"`
		} `json:"mappings"`
	}
	// The demo pushes from its background loop. Transactions of a bank day
	// that has not ended yet (Paris time: from 23:00 UTC in winter it is
	// already tomorrow there) rightly wait for the next statement, so the
	// test asks for a push without error, not for nothing left waiting.
	testenv.WaitFor(t, 2*time.Minute, "the demo to push to its Inqom", func() bool {
		getJSON(t, url+"/api/v1/inqom/mappings", token, &got)
		return len(got.Mappings) == 1 && got.Mappings[0].Exported > 0
	})
	if e := got.Mappings[0].LastError; e != "" {
		t.Fatalf("the demo's push met an error: %s", e)
	}
	if got.Mappings[0].DossierID != demoInqomDossier {
		t.Fatalf("mapped to dossier %d", got.Mappings[0].DossierID)
	}
}
