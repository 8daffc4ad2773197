package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi/cfonb"
	"github.com/freenahi/freenahi/internal/testenv"
)

const (
	testIBAN  = "FR7630006000011234567890189"
	testIBAN2 = "FR1420041010050500013M02606"
)

// harness is a sandbox served over HTTP with a test clock.
type harness struct {
	tb    testing.TB
	s     *Server
	srv   *httptest.Server
	clock *testenv.Clock
}

// MustHarness starts a sandbox where "u" (password "p") may write dossiers
// 1 and 2 and "v" dossier 3; edit tweaks the configuration.
func MustHarness(tb testing.TB, edit ...func(*Config)) *harness {
	tb.Helper()
	h := &harness{tb: tb, clock: testenv.NewClock(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))}
	cfg := Config{ClientID: "cid", ClientSecret: "csecret",
		Users:    map[string]string{"u": "p", "v": "q"},
		Dossiers: map[string][]int64{"u": {1, 2}, "v": {3}}, Now: h.clock.Now}
	for _, e := range edit {
		e(&cfg)
	}
	h.s = New(cfg)
	h.srv = httptest.NewServer(h.s)
	tb.Cleanup(func() { h.s.Close(); h.srv.Close() }) // release held requests first
	return h
}

// Do sends a request and returns the status, headers and body.
func (h *harness) Do(method, path, contentType, token string, body []byte) (int, http.Header, []byte) {
	h.tb.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		h.tb.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.tb.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.tb.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

// TokenRequest posts a token form.
func (h *harness) TokenRequest(form url.Values) (int, http.Header, []byte) {
	h.tb.Helper()
	return h.Do("POST", TokenPath, "application/x-www-form-urlencoded", "", []byte(form.Encode()))
}

// MustToken signs user in with the right credentials.
func (h *harness) MustToken(user, password string) string {
	h.tb.Helper()
	status, _, body := h.TokenRequest(url.Values{"grant_type": {"password"}, "username": {user}, "password": {password},
		"scope": {"openid apidata"}, "client_id": {"cid"}, "client_secret": {"csecret"}})
	var ans struct {
		AccessToken string `json:"access_token"`
	}
	if status != 200 || json.Unmarshal(body, &ans) != nil || ans.AccessToken == "" {
		h.tb.Fatalf("token: %d %s", status, body)
	}
	return ans.AccessToken
}

// Register registers iban in dossier as tok's user.
func (h *harness) Register(tok string, dossier string, iban string, control bool) (int, []byte) {
	h.tb.Helper()
	b, _ := json.Marshal(map[string]any{"Iban": iban, "BankName": "Banque", "IsCfonbControlActive": control})
	status, _, body := h.Do("POST", "/api/app/banking/enterprises/"+dossier+"/manual/ebics/accounts", "application/json", tok, b)
	return status, body
}

// Import uploads content as tok's user.
func (h *harness) Import(tok, name string, content []byte) (int, []byte) {
	h.tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		h.tb.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	status, _, body := h.Do("POST", ImportPath, mw.FormDataContentType(), tok, buf.Bytes())
	return status, body
}

// statement is one statement to write: account, opening, movement amounts.
type statement struct {
	iban    string
	day     time.Time
	opening int64
	amounts []int64
}

// MustFile writes the statements as one CFONB file.
func MustFile(tb testing.TB, sts ...statement) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := cfonb.NewWriter(&buf)
	for _, st := range sts {
		acct, err := cfonb.AccountFromIBAN(st.iban)
		if err != nil {
			tb.Fatal(err)
		}
		if err := w.Begin(acct, st.day, st.opening); err != nil {
			tb.Fatal(err)
		}
		for i, a := range st.amounts {
			if err := w.Movement(cfonb.Movement{BookingDate: st.day.AddDate(0, 0, 1), AmountMinor: a,
				Label: "MOUVEMENT", Reference: "REF" + string(rune('A'+i))}); err != nil {
				tb.Fatal(err)
			}
		}
		if _, err := w.End(st.day.AddDate(0, 0, 1)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func day(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }

// abpMessage returns error.message of an ABP error body.
func abpMessage(tb testing.TB, body []byte) string {
	tb.Helper()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		tb.Fatalf("not an ABP error: %s", body)
	}
	return e.Error.Code + ": " + e.Error.Message
}

func mustContain(tb testing.TB, s string, parts ...string) {
	tb.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			tb.Fatalf("%q does not contain %q", s, p)
		}
	}
}
