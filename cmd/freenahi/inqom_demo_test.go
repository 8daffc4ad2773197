package main

import (
	"testing"
	"time"
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
	deadline := time.Now().Add(30 * time.Second)
	for {
		getJSON(t, url+"/api/v1/inqom/mappings", token, &got)
		if len(got.Mappings) == 1 && got.Mappings[0].Exported > 0 && got.Mappings[0].Waiting == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo did not push to its Inqom: %+v", got)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got.Mappings[0].DossierID != demoInqomDossier {
		t.Fatalf("mapped to dossier %d", got.Mappings[0].DossierID)
	}
}
