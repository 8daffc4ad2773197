package inqom_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/inqom"
)

func TestClient_Token(t *testing.T) {
	ctx := context.Background()

	t.Run("FetchedOnceAndCached", func(t *testing.T) {
		h := MustHarness(t)
		h.MustRegister(42, ibanA, true)
		h.MustRegister(42, ibanB, true)
		file, _ := MustStatement(t, ibanA, day(2026, 3, 1), 1000, 250)
		if _, err := h.c.ImportCFONB(ctx, "a.txt", file); err != nil {
			t.Fatal(err)
		}
		if got, want := h.s.State().TokensIssued, 1; got != want {
			t.Fatalf("TokensIssued=%d, want %d", got, want)
		}
	})

	t.Run("RenewedOnceOn401", func(t *testing.T) {
		h := MustHarness(t)
		h.MustRegister(42, ibanA, true)
		// The sandbox's clock moves past expiry; the client's does not, so
		// only the 401 can tell it.
		h.serverClock.Add(2 * time.Hour)
		h.MustRegister(42, ibanB, true)
		if got, want := h.s.State().TokensIssued, 2; got != want {
			t.Fatalf("TokensIssued=%d, want %d", got, want)
		}
		if got := h.Sleeps(); len(got) != 0 {
			t.Fatalf("slept %v; a renewal must not wait", got)
		}
	})

	t.Run("RevokedTokenRenewed", func(t *testing.T) {
		h := MustHarness(t)
		h.MustRegister(42, ibanA, true)
		h.s.RevokeTokens()
		h.MustRegister(43, ibanA, true)
		if got, want := h.s.State().TokensIssued, 2; got != want {
			t.Fatalf("TokensIssued=%d, want %d", got, want)
		}
	})

	t.Run("RenewedAheadOfExpiry", func(t *testing.T) {
		h := MustHarness(t)
		h.MustRegister(42, ibanA, true)
		// One hour lifetime, renewed a minute early: 59 min 30 s is too late.
		h.clientClock.Add(59*time.Minute + 30*time.Second)
		h.MustRegister(42, ibanB, true)
		if got, want := h.s.State().TokensIssued, 2; got != want {
			t.Fatalf("TokensIssued=%d, want %d", got, want)
		}
	})

	t.Run("OneFetchForConcurrentCalls", func(t *testing.T) {
		h := MustHarness(t)
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			iban := MustIBAN(t, "30006", "00001", fmt.Sprintf("%011d", 1000+i))
			wg.Go(func() {
				_, err := h.c.RegisterAccount(ctx, 42, inqom.Account{IBAN: iban})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got, want := h.s.State().TokensIssued, 1; got != want {
			t.Fatalf("TokensIssued=%d, want %d", got, want)
		}
	})

	t.Run("WrongPassword", func(t *testing.T) {
		h := MustHarness(t, func(c *inqom.Config) { c.Password = "wrong" })
		_, err := h.c.RegisterAccount(ctx, 42, inqom.Account{IBAN: ibanA})
		if err == nil {
			t.Fatal("no error")
		}
		mustContain(t, err.Error(), `Inqom refused the username or password (400 invalid_grant): "invalid_username_or_password"`)
		if got, want := freenahi.ErrorCode(err), freenahi.EINVALID; got != want {
			t.Fatalf("ErrorCode=%q, want %q", got, want)
		}
		if inqom.OutcomeUnknown(err) {
			t.Fatal("OutcomeUnknown: the account was never sent")
		}
		if got := h.Sleeps(); len(got) != 0 {
			t.Fatalf("slept %v; a refused password is not retried", got)
		}
		if got := h.s.Accounts(42); len(got) != 0 {
			t.Fatalf("accounts %v registered without a token", got)
		}
	})

	t.Run("WrongClientSecret", func(t *testing.T) {
		h := MustHarness(t, func(c *inqom.Config) { c.ClientSecret = "wrong" })
		_, err := h.c.ImportCFONB(ctx, "a.txt", []byte("x"))
		e := inqom.AsError(err)
		if e == nil || e.Status != 401 || e.Code != "invalid_client" {
			t.Fatalf("err=%v, want a 401 invalid_client *Error", err)
		}
		mustContain(t, err.Error(), "Inqom refused the API client id or secret")
	})
}

// TestClient_SecretsNeverLogged runs a refused and a successful sign-in
// with a debug logger and looks for the secrets in the output.
func TestClient_SecretsNeverLogged(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := MustHarness(t, func(c *inqom.Config) { c.Logger = logger })
	h.MustRegister(42, ibanA, true)
	h.s.RevokeTokens()
	h.MustRegister(42, ibanB, true)
	bad := MustHarness(t, func(c *inqom.Config) { c.Logger = logger; c.Password = "wrong-" + password })
	if _, err := bad.c.RegisterAccount(context.Background(), 42, inqom.Account{IBAN: ibanA}); err == nil {
		t.Fatal("no error with a wrong password")
	}
	out := buf.String()
	for _, secret := range []string{password, clientSecret, "eyJ"} {
		if bytes.Contains([]byte(out), []byte(secret)) {
			t.Fatalf("log contains %q:\n%s", secret, out)
		}
	}
	if got := fmt.Sprintf("%v %+v %#v", h.c, inqom.Config{Password: password, ClientSecret: clientSecret}, inqom.Config{Password: password}); bytes.Contains([]byte(got), []byte(password)) {
		t.Fatalf("formatting shows the password: %s", got)
	}
}

func TestClient_RegisterAccount(t *testing.T) {
	ctx := context.Background()
	h := MustHarness(t)

	t.Run("Registered", func(t *testing.T) {
		res, err := h.c.RegisterAccount(ctx, 42, inqom.Account{IBAN: "fr76 3000 6000 0112 3456 7890 189", BankName: "Société Générale", CFONBControl: true})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res.ID, "1"; got != want {
			t.Fatalf("ID=%q, want %q", got, want)
		}
		if got, want := res.IBAN, ibanA; got != want {
			t.Fatalf("IBAN=%q, want %q", got, want)
		}
		accts := h.s.Accounts(42)
		if len(accts) != 1 || accts[0].IBAN != ibanA || accts[0].BankName != "Société Générale" || !accts[0].CFONBControl {
			t.Fatalf("sandbox accounts %+v", accts)
		}
	})

	t.Run("AlreadyRegistered", func(t *testing.T) {
		_, err := h.c.RegisterAccount(ctx, 42, inqom.Account{IBAN: ibanA})
		if !errors.Is(err, inqom.ErrAlreadyRegistered) {
			t.Fatalf("err=%v, want ErrAlreadyRegistered", err)
		}
		if e := inqom.AsError(err); e == nil || e.Status != 409 {
			t.Fatalf("err=%v, want a 409 *Error", err)
		}
		mustContain(t, err.Error(), "Inqom already has this account in the dossier (409 Banking:AccountAlreadyRegistered)", "already registered in dossier 42")
		if got, want := freenahi.ErrorCode(err), freenahi.ECONFLICT; got != want {
			t.Fatalf("ErrorCode=%q, want %q", got, want)
		}
	})

	t.Run("ForeignDossier", func(t *testing.T) {
		_, err := h.c.RegisterAccount(ctx, 99, inqom.Account{IBAN: ibanB})
		if e := inqom.AsError(err); e == nil || e.Status != 403 {
			t.Fatalf("err=%v, want a 403 *Error", err)
		}
		mustContain(t, err.Error(), "Inqom denied access to the dossier (403 Forbidden)", "no rights on dossier 99")
		if got, want := freenahi.ErrorCode(err), freenahi.EFORBIDDEN; got != want {
			t.Fatalf("ErrorCode=%q, want %q", got, want)
		}
	})

	t.Run("BadIBAN", func(t *testing.T) {
		_, err := h.c.RegisterAccount(ctx, 42, inqom.Account{IBAN: "FR7730006000011234567890189"})
		e := inqom.AsError(err)
		if e == nil || e.Status != 400 {
			t.Fatalf("err=%v, want a 400 *Error", err)
		}
		mustContain(t, e.Message, "Your request is not valid! The IBAN FR7730006000011234567890189 is not valid", "check digits 77 are wrong")
		if errors.Is(err, inqom.ErrAlreadyRegistered) || inqom.OutcomeUnknown(err) {
			t.Fatalf("err=%v is neither already registered nor of unknown outcome", err)
		}
	})

	t.Run("NoDossier", func(t *testing.T) {
		_, err := h.c.RegisterAccount(ctx, 0, inqom.Account{IBAN: ibanB})
		if got, want := freenahi.ErrorCode(err), freenahi.EINVALID; got != want {
			t.Fatalf("ErrorCode=%q, want %q (err=%v)", got, want, err)
		}
	})
}
