package inqom_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi/cfonb"
	"github.com/freenahi/freenahi/inqom"
	"github.com/freenahi/freenahi/inqom/sandbox"
	"github.com/freenahi/freenahi/internal/testenv"
)

// Credentials of the test sandbox. "compta" may write dossiers 42 and 43,
// "other" only 99.
const (
	clientID     = "freenahi-test"
	clientSecret = "client-secret-value"
	user         = "compta@example.fr"
	password     = "user-password-value"
	otherUser    = "other@example.fr"
	// ibanA and ibanB are valid French IBANs (reference §5).
	ibanA = "FR7630006000011234567890189"
	ibanB = "FR1420041010050500013M02606"
)

var start = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)

// harness is a sandbox over real HTTP and a client pointed at it, with
// separate clocks (so a token can expire on one side only), recorded sleeps
// and the import bodies the sandbox received.
type harness struct {
	tb          testing.TB
	s           *sandbox.Server
	srv         *httptest.Server
	serverClock *testenv.Clock
	clientClock *testenv.Clock
	c           *inqom.Client

	mu      sync.Mutex
	sleeps  []time.Duration
	uploads [][]byte
}

// MustHarness starts a harness; edit tweaks the client configuration.
func MustHarness(tb testing.TB, edit ...func(*inqom.Config)) *harness {
	tb.Helper()
	h := &harness{tb: tb, serverClock: testenv.NewClock(start), clientClock: testenv.NewClock(start)}
	h.s = sandbox.New(sandbox.Config{
		ClientID: clientID, ClientSecret: clientSecret,
		Users:    map[string]string{user: password, otherUser: "other-password"},
		Dossiers: map[string][]int64{user: {42, 43}, otherUser: {99}},
		Now:      h.serverClock.Now,
	})
	h.srv = httptest.NewServer(http.HandlerFunc(h.capture))
	tb.Cleanup(func() { h.s.Close(); h.srv.Close() }) // release held requests first
	cfg := inqom.Config{
		AuthURL: h.srv.URL + sandbox.TokenPath, BankingURL: h.srv.URL,
		ClientID: clientID, ClientSecret: clientSecret, Username: user, Password: password,
		Now: h.clientClock.Now, Timeout: 5 * time.Second,
		Sleep: func(ctx context.Context, d time.Duration) error {
			h.mu.Lock()
			h.sleeps = append(h.sleeps, d)
			h.mu.Unlock()
			return ctx.Err()
		},
	}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := inqom.NewClient(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	h.c = c
	return h
}

// capture keeps a copy of every import body, then lets the sandbox serve.
func (h *harness) capture(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == sandbox.ImportPath {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.uploads = append(h.uploads, b)
		h.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	h.s.ServeHTTP(w, r)
}

func (h *harness) Sleeps() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Duration(nil), h.sleeps...)
}

func (h *harness) Uploads() [][]byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([][]byte(nil), h.uploads...)
}

// MustRegister registers iban in dossier with the balance control as asked.
func (h *harness) MustRegister(dossier int64, iban string, control bool) {
	h.tb.Helper()
	if _, err := h.c.RegisterAccount(context.Background(), dossier, inqom.Account{IBAN: iban, BankName: "Banque Test", CFONBControl: control}); err != nil {
		h.tb.Fatal(err)
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// MustStatement writes one CFONB statement of iban from opening at
// openDay, with one movement per amount on the following days, and returns
// the file and its closing balance.
func MustStatement(tb testing.TB, iban string, openDay time.Time, opening int64, amounts ...int64) ([]byte, int64) {
	tb.Helper()
	acct, err := cfonb.AccountFromIBAN(iban)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	w := cfonb.NewWriter(&buf)
	if err := w.Begin(acct, openDay, opening); err != nil {
		tb.Fatal(err)
	}
	for i, a := range amounts {
		m := cfonb.Movement{PowensType: "transfer", BookingDate: openDay.AddDate(0, 0, i+1), AmountMinor: a,
			Label: fmt.Sprintf("Virement %d", i+1), Reference: fmt.Sprintf("FNH-%06d", i+1)}
		if err := w.Movement(m); err != nil {
			tb.Fatal(err)
		}
	}
	closing, err := w.End(openDay.AddDate(0, 0, len(amounts)+1))
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), closing
}

// MustIBAN builds a valid French IBAN from a bank, branch and account number.
func MustIBAN(tb testing.TB, bank, branch, account string) string {
	tb.Helper()
	key, err := cfonb.RIBKey(bank, branch, account)
	if err != nil {
		tb.Fatal(err)
	}
	bban := bank + branch + account + key
	r := 0
	for _, c := range bban + "FR00" {
		switch {
		case c >= '0' && c <= '9':
			r = (r*10 + int(c-'0')) % 97
		default:
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	iban := fmt.Sprintf("FR%02d%s", 98-r, bban)
	if err := cfonb.ValidateIBAN(iban); err != nil {
		tb.Fatal(err)
	}
	return iban
}

// mustContain fails unless s contains every part.
func mustContain(tb testing.TB, s string, parts ...string) {
	tb.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			tb.Fatalf("%q does not contain %q", s, p)
		}
	}
}
