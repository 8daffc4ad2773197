package inqom_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/inqom"
)

// TestClient_HideAnswers: with HideAnswers, nothing of a server's words
// comes back — refusals keep the outcome, the status and a known OAuth2
// code; accepted answers keep no body and only an id-like id.
func TestClient_HideAnswers(t *testing.T) {
	const leak = "root:x:0:0:root:/root:/bin/bash"
	for _, tc := range []struct {
		name, token, register string
		status                int
		wantErr, wantID       string
	}{
		{"TokenRefused", `{"error":"invalid_grant","error_description":"` + leak + `"}`, "", 0,
			"Inqom refused the username or password (HTTP 400 invalid_grant).", ""},
		{"TokenNotJSON", leak, "", 0, "", ""},
		{"RegisterRefused", "", `{"error":{"code":"Leak:` + leak + `","message":"` + leak + `"}}`, 400,
			"Inqom refused the account (HTTP 400).", ""},
		{"RegisterAcceptedLeakyID", "", `{"id":"` + leak + `"}`, 200, "", ""},
		{"RegisterAcceptedGUID", "", `{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}`, 200, "", "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/token" {
					if tc.token != "" {
						if strings.HasPrefix(tc.token, "{") {
							w.WriteHeader(http.StatusBadRequest)
						}
						w.Write([]byte(tc.token))
						return
					}
					w.Write([]byte(`{"access_token":"tok","expires_in":3600}`))
					return
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.register))
			}))
			defer srv.Close()
			c, err := inqom.NewClient(inqom.Config{AuthURL: srv.URL + "/token", BankingURL: srv.URL, ClientID: "c", ClientSecret: "s",
				Username: "u@example.com", Password: "p", HideAnswers: true, MaxAttempts: 1, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			acct, err := c.RegisterAccount(context.Background(), 5, inqom.Account{IBAN: "FR7630006000011234567890189", BankName: "B"})
			if err != nil && strings.Contains(err.Error(), "root:") {
				t.Fatalf("the answer came back in the error: %v", err)
			}
			if tc.wantErr != "" && freenahi.ErrorMessage(err) != tc.wantErr {
				t.Fatalf("error %q, want %q", freenahi.ErrorMessage(err), tc.wantErr)
			}
			if tc.status == 200 {
				if err != nil || acct.ID != tc.wantID || len(acct.Body) != 0 {
					t.Fatalf("registered %+v, %v; want id %q and no body", acct, err, tc.wantID)
				}
			} else if err == nil {
				t.Fatal("no error")
			}
		})
	}
}
