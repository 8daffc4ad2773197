package export_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/inqom"
)

func TestCheckCredentialURLs(t *testing.T) {
	for _, tc := range []struct {
		url      string
		loopback bool
		want     string // "" when accepted
	}{
		{"", false, ""},
		{"https://auth.inqom.com/identity/connect/token", false, ""},
		{"https://inqom.example:8443/token", false, ""},
		{"http://inqom.example/token", false, "must be an https address"},
		{"http://inqom.example/token", true, "must be an https address"},
		{"ftp://inqom.example/", false, "must be a full https address"},
		{"https:///token", false, "must be a full https address"},
		{"https://inqom.example/token?x=1", false, "must be a full https address"},
		{"https://user:pw@inqom.example/token", false, "must be a full https address"},
		{"http://127.0.0.1:8082/token", false, "must not be an address of this computer"},
		{"https://localhost/token", false, "must not be an address of this computer"},
		{"http://[::1]:8082/token", false, "must not be an address of this computer"},
		{"http://127.0.0.1:8082/token", true, ""},
		{"http://localhost:8082/token", true, ""},
		{"https://10.1.2.3/token", true, "must not be an address of a private network"},
		{"https://192.168.1.1/token", false, "must not be an address of a private network"},
		{"https://169.254.169.254/latest/meta-data", true, "must not be an address of a private network"},
		{"https://[fd00::1]/token", false, "must not be an address of a private network"},
		{"https://0.0.0.0/token", true, "must not be an address of a private network"},
	} {
		err := export.CheckCredentialURLs(&freenahi.InqomCredentials{AuthURL: tc.url}, tc.loopback)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q (loopback %v): %v, want accepted", tc.url, tc.loopback, err)
		case tc.want != "" && (err == nil || !strings.Contains(freenahi.ErrorMessage(err), tc.want)):
			t.Errorf("%q (loopback %v): %v, want %q", tc.url, tc.loopback, err, tc.want)
		case tc.want != "" && !strings.HasPrefix(freenahi.ErrorMessage(err), "auth_url: "):
			t.Errorf("%q: %q does not name the field", tc.url, freenahi.ErrorMessage(err))
		}
	}
}

func TestKeepSecrets(t *testing.T) {
	saved := &freenahi.InqomCredentials{Password: "saved-pw", ClientSecret: "saved-secret", Environment: "production",
		AuthURL: "https://inqom.example/token", BankingURL: "https://banking.example"}
	for _, tc := range []struct {
		name       string
		edit       func(c *freenahi.InqomCredentials)
		refused    bool
		pw, secret string
	}{
		{"SameAddresses", func(c *freenahi.InqomCredentials) {}, false, "saved-pw", "saved-secret"},
		{"EnvironmentOnly", func(c *freenahi.InqomCredentials) { c.Environment = "staging" }, false, "saved-pw", "saved-secret"},
		{"NewPasswordOnly", func(c *freenahi.InqomCredentials) { c.Password = "new" }, false, "new", "saved-secret"},
		{"OtherAuthURL", func(c *freenahi.InqomCredentials) { c.AuthURL = "https://listener.example/token" }, true, "", ""},
		{"OtherBankingURL", func(c *freenahi.InqomCredentials) { c.BankingURL = "https://listener.example" }, true, "", ""},
		{"BackToInqom", func(c *freenahi.InqomCredentials) { c.AuthURL, c.BankingURL = "", "" }, true, "", ""},
		{"OtherURLBothRetyped", func(c *freenahi.InqomCredentials) {
			c.AuthURL, c.Password, c.ClientSecret = "https://other.example/token", "typed", "typed-secret"
		}, false, "typed", "typed-secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := *saved
			c.Password, c.ClientSecret = "", ""
			tc.edit(&c)
			err := export.KeepSecrets(&c, saved)
			if tc.refused {
				if err == nil || freenahi.ErrorCode(err) != freenahi.EINVALID || !strings.Contains(freenahi.ErrorMessage(err), "Type the Inqom password and client secret again") {
					t.Fatalf("KeepSecrets=%v, want a refusal", err)
				}
				if c.Password != "" || c.ClientSecret != "" {
					t.Fatal("a refusal still filled in the saved secrets")
				}
				return
			}
			if err != nil || c.Password != tc.pw || c.ClientSecret != tc.secret {
				t.Fatalf("KeepSecrets=%v, secrets %q %q; want %q %q", err, c.Password, c.ClientSecret, tc.pw, tc.secret)
			}
		})
	}
}

// ownCredentials is a store holding one user's own credentials.
type ownCredentials struct{ c *freenahi.InqomCredentials }

func (o ownCredentials) FindInqomCredentials(context.Context, int64) (*freenahi.InqomCredentials, error) {
	c := *o.c
	return &c, nil
}

// TestClients_ForeignAnswerNotShown: credentials pointed at a server that
// is not Inqom (here an "internal" one on this computer, allowed for the
// test) never bring its answer back, refused or accepted: only the outcome
// in words and the status.
func TestClients_ForeignAnswerNotShown(t *testing.T) {
	const leak = "INTERNAL-ADMIN-PAGE root:x:0:0"
	var hits atomic.Int64
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.Copy(io.Discard, r.Body)
		switch r.URL.Path {
		case "/token":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"t","expires_in":3600}`))
		case "/refuse/api/app/banking/ebics/accounts/import":
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":{"code":"Leak:Code","message":"` + leak + `"}}`))
		default:
			w.Write([]byte(leak))
		}
	}))
	defer foreign.Close()
	for _, tc := range []struct {
		name, banking string
		wantErr       string
	}{
		{"Refused", foreign.URL + "/refuse", "Inqom refused the file (HTTP 400)."},
		{"Accepted", foreign.URL + "/accept", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			creds := &freenahi.InqomCredentials{UserID: 1, Username: "u@example.com", Password: "pw", ClientID: "cid", ClientSecret: "cs",
				Environment: "production", AuthURL: foreign.URL + "/token", BankingURL: tc.banking}
			clients := &export.Clients{Store: ownCredentials{creds}, AllowLoopback: true,
				Edit: func(c *inqom.Config) { c.MaxAttempts = 1 }}
			imp, err := clients.Importer(t.Context(), 1)
			if err != nil {
				t.Fatal(err)
			}
			res, err := imp.ImportCFONB(t.Context(), "f.txt", []byte("0130002 x\r\n"))
			if tc.wantErr != "" {
				ie := inqom.AsError(err)
				if ie == nil || freenahi.ErrorMessage(err) != tc.wantErr {
					t.Fatalf("import: %v (%q), want %q", err, freenahi.ErrorMessage(err), tc.wantErr)
				}
				if strings.Contains(err.Error(), "INTERNAL") || strings.Contains(err.Error(), "Leak") || ie.Body != "" {
					t.Fatalf("the foreign answer came back: %v, body %q", err, ie.Body)
				}
				return
			}
			if err != nil || res.Status != 200 || len(res.Body) != 0 {
				t.Fatalf("import: %v, status %d, body %q; want 200 and no body kept", err, res.Status, res.Body)
			}
		})
	}
}

// TestClients_LoopbackRefusedUnlessAllowed: without the operator's leave,
// saved credentials pointing at this computer are refused before any call.
func TestClients_LoopbackRefusedUnlessAllowed(t *testing.T) {
	var hits atomic.Int64
	listener := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer listener.Close()
	creds := &freenahi.InqomCredentials{UserID: 1, Username: "u@example.com", Password: "pw", ClientID: "cid", ClientSecret: "cs",
		Environment: "production", AuthURL: listener.URL + "/token", BankingURL: listener.URL}
	clients := &export.Clients{Store: ownCredentials{creds}}
	_, err := clients.Importer(t.Context(), 1)
	if freenahi.ErrorCode(err) != freenahi.EINVALID || !strings.Contains(freenahi.ErrorMessage(err), "must not be an address of this computer") {
		t.Fatalf("Importer=%v, want EINVALID naming the address", err)
	}
	if hits.Load() != 0 {
		t.Fatal("the listener was called")
	}
}
