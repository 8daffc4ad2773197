package inqom

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// fake is an httptest Inqom whose token endpoint succeeds unless told
// otherwise and whose banking endpoints answer one canned error.
type fake struct {
	srv    *httptest.Server
	tokens atomic.Int32
	calls  atomic.Int32
}

func newFake(tb testing.TB, tokenStatus, status int, contentType, body string) *fake {
	tb.Helper()
	f := &fake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			f.tokens.Add(1)
			if tokenStatus != http.StatusOK {
				w.Header().Set("Content-Type", contentType)
				w.WriteHeader(tokenStatus)
				w.Write([]byte(body))
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"tok","expires_in":"3600","token_type":"Bearer"}`))
			return
		}
		f.calls.Add(1)
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	tb.Cleanup(f.srv.Close)
	return f
}

// MustFakeClient returns a client of f that does not retry.
func (f *fake) MustClient(tb testing.TB) *Client {
	tb.Helper()
	c, err := NewClient(Config{AuthURL: f.srv.URL + "/token", BankingURL: f.srv.URL + "/",
		ClientID: "id", ClientSecret: "secret", Username: "u@example.fr", Password: "pw", MaxAttempts: 1})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestDecodeError_OverHTTP(t *testing.T) {
	const jsonType = "application/json; charset=utf-8"
	for _, tc := range []struct {
		name        string
		op          string
		status      int
		contentType string
		body        string
		want        string
	}{
		{"ABP", OpImport, 400, jsonType,
			`{"error":{"code":null,"message":"Le relevé ne correspond à aucun compte","details":null,"validationErrors":null}}`,
			`Inqom refused the file (400): "Le relevé ne correspond à aucun compte"`},
		{"ABPValidation", OpRegister, 400, jsonType,
			`{"error":{"code":"App:01","message":"Your request is not valid!","details":"x","validationErrors":[{"message":"The Iban field is required.","members":["iban"]}]}}`,
			`Inqom refused the account (400 App:01): "Your request is not valid! The Iban field is required."`},
		{"LowerMessage", OpImport, 404, jsonType, `{"message":"Compte introuvable"}`,
			`Inqom refused the file (404): "Compte introuvable"`},
		{"PascalMessage", OpImport, 500, jsonType, `{"Message":"An error has occurred."}`,
			`Inqom failed (500): "An error has occurred."`},
		{"ProblemDetailsErrors", OpImport, 400, "application/problem+json",
			`{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"errors":{"file":["The file field is required."],"Content":["Too short."]}}`,
			`Inqom refused the file (400): "One or more validation errors occurred. Content: Too short.; file: The file field is required."`},
		{"ProblemDetailsDetail", OpImport, 422, "application/problem+json", `{"title":"Unprocessable","detail":"Fichier vide"}`,
			`Inqom refused the file (422): "Fichier vide"`},
		{"ErrorsStrings", OpRegister, 400, jsonType, `{"errors":["IBAN invalide","Banque inconnue"]}`,
			`Inqom refused the account (400): "IBAN invalide; Banque inconnue"`},
		{"ErrorsObjects", OpRegister, 400, jsonType, `{"errors":[{"message":"a"},{"ErrorMessage":"b"}]}`,
			`Inqom refused the account (400): "a; b"`},
		{"ErrorSentenceAlreadyRegistered", OpRegister, 400, jsonType, `{"error":"Le compte existe déjà"}`,
			`Inqom already has this account in the dossier (400): "Le compte existe déjà"`},
		{"JSONString", OpImport, 400, jsonType, `"Relevé refusé"`, `Inqom refused the file (400): "Relevé refusé"`},
		{"Text", OpImport, 400, "text/plain", "Relevé\r\n  refusé\n", `Inqom refused the file (400): "Relevé refusé"`},
		{"HTMLGateway", OpImport, 502, "text/html",
			"<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Oops</h1></body></html>",
			`Inqom failed (502): "502 Bad Gateway Oops"`},
		{"Empty", OpImport, 413, "", "", `Inqom refused the file (413 Request Entity Too Large)`},
		{"BrokenJSON", OpImport, 400, jsonType, `{"message": "cut`, `Inqom refused the file (400): "{\"message\": \"cut"`},
		{"Forbidden", OpRegister, 403, "", "", `Inqom denied access to the dossier (403 Forbidden)`},
		{"RateLimited", OpImport, 429, jsonType, `{"message":"slow down"}`, `Inqom is limiting the request rate (429): "slow down"`},
		{"TokenUnauthorizedClient", OpToken, 400, jsonType, `{"error":"unauthorized_client"}`,
			`Inqom does not allow this API client to sign in with a password (400 unauthorized_client)`},
		{"TokenMixedCase", OpToken, 401, jsonType, `{"Error":"invalid_client","ERROR_DESCRIPTION":"Unknown client"}`,
			`Inqom refused the API client id or secret (401 invalid_client): "Unknown client"`},
		{"TokenServerError", OpToken, 503, "text/html", `<p>Maintenance</p>`, `Inqom's sign-in service failed (503): "Maintenance"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tokenStatus := http.StatusOK
			if tc.op == OpToken {
				tokenStatus = tc.status
			}
			f := newFake(t, tokenStatus, tc.status, tc.contentType, tc.body)
			c := f.MustClient(t)
			var err error
			if tc.op == OpRegister {
				_, err = c.RegisterAccount(context.Background(), 7, Account{IBAN: "FR7630006000011234567890189"})
			} else {
				_, err = c.ImportCFONB(context.Background(), "f.txt", []byte("x"))
			}
			e := AsError(err)
			if e == nil {
				t.Fatalf("err=%v, want an *Error", err)
			}
			if got := e.Error(); got != tc.want {
				t.Fatalf("Error()=\n%s\nwant\n%s", got, tc.want)
			}
			if got, want := e.Op, tc.op; got != want {
				t.Fatalf("Op=%q, want %q", got, want)
			}
			if got, want := e.Body, tc.body; got != want {
				t.Fatalf("Body=%q, want %q", got, want)
			}
		})
	}
}

// TestClient_OneRenewalOnly checks that a banking endpoint refusing every
// token gets one renewal, not a loop.
func TestClient_OneRenewalOnly(t *testing.T) {
	f := newFake(t, http.StatusOK, http.StatusUnauthorized, "", "")
	c := f.MustClient(t)
	c.cfg.MaxAttempts = 4
	_, err := c.ImportCFONB(context.Background(), "f.txt", []byte("x"))
	if got, want := err.Error(), `import "f.txt": Inqom refused the access token (401 Unauthorized)`; got != want {
		t.Fatalf("err=%q, want %q", got, want)
	}
	if OutcomeUnknown(err) {
		t.Fatal("a 401 applied nothing")
	}
	if got, want := f.tokens.Load(), int32(2); got != want {
		t.Fatalf("%d token fetches, want %d", got, want)
	}
	if got, want := f.calls.Load(), int32(2); got != want {
		t.Fatalf("%d import calls, want %d", got, want)
	}
}

func TestDecodeError_Bounds(t *testing.T) {
	long := strings.Repeat("é", 5000)
	e := DecodeError(OpImport, 400, []byte(`{"message":"`+long+`"}`))
	if n := len([]rune(e.Message)); n != maxMessageRunes+1 || !strings.HasSuffix(e.Message, "…") {
		t.Fatalf("message of %d runes, want %d ending with …", n, maxMessageRunes+1)
	}
	if len(e.Body) > maxErrorBody {
		t.Fatalf("body of %d bytes kept, want at most %d", len(e.Body), maxErrorBody)
	}
	if !errors.Is(DecodeError(OpRegister, 409, nil), ErrAlreadyRegistered) {
		t.Fatal("409 on registration is not ErrAlreadyRegistered")
	}
	if errors.Is(DecodeError(OpImport, 409, nil), ErrAlreadyRegistered) {
		t.Fatal("409 on import is ErrAlreadyRegistered")
	}
}
