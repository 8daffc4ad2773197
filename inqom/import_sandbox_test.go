package inqom_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi/cfonb"
	"github.com/freenahi/freenahi/inqom"
	"github.com/freenahi/freenahi/inqom/sandbox"
	"github.com/google/go-cmp/cmp"
)

func TestClient_ImportCFONB(t *testing.T) {
	ctx := context.Background()

	t.Run("Accepted", func(t *testing.T) {
		h := MustHarness(t)
		h.MustRegister(42, ibanA, true)
		file, closing := MustStatement(t, ibanA, day(2026, 3, 1), 100000, 123456, -4590)
		res, err := h.c.ImportCFONB(ctx, "releve-2026-03.txt", file)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != 200 || res.Attempts != 1 || res.PossibleDuplicate {
			t.Fatalf("result %+v, want 200 at the first attempt", res)
		}
		mustContain(t, string(res.Body), `"statements":1`, `"movements":2`)
		imps := h.s.Imports(42)
		if len(imps) != 1 {
			t.Fatalf("%d statements imported, want 1", len(imps))
		}
		st := imps[0].Statement
		var refs []string
		for _, m := range st.Movements {
			refs = append(refs, m.Reference)
		}
		if diff := cmp.Diff([]string{"FNH-000001", "FNH-000002"}, refs); diff != "" {
			t.Fatalf("references (-want +got):\n%s", diff)
		}
		if st.ClosingMinor != closing || imps[0].Filename != "releve-2026-03.txt" || imps[0].IBAN != ibanA {
			t.Fatalf("imported %+v", imps[0])
		}
	})

	t.Run("Malformed", func(t *testing.T) {
		h := MustHarness(t)
		h.MustRegister(42, ibanA, true)
		file, _ := MustStatement(t, ibanA, day(2026, 3, 1), 1000, 250)
		file = bytes.Replace(file, []byte("VIREMENT 1"), []byte("Virement 1"), 1)
		_, want := cfonb.NewReader(bytes.NewReader(file)).Next()
		var ce *cfonb.Error
		if !errors.As(want, &ce) {
			t.Fatalf("the corrupted file reads with %v", want)
		}
		_, err := h.c.ImportCFONB(ctx, "bad.txt", file)
		e := inqom.AsError(err)
		if e == nil || e.Status != 400 {
			t.Fatalf("err=%v, want a 400 *Error", err)
		}
		mustContain(t, err.Error(), "Inqom refused the file (400 Banking:InvalidCfonbFile)")
		mustContain(t, e.Message, ce.Error())
		if len(h.s.Imports(42)) != 0 {
			t.Fatal("a malformed file was imported")
		}
	})

	t.Run("UnknownAccount", func(t *testing.T) {
		h := MustHarness(t)
		file, _ := MustStatement(t, ibanB, day(2026, 3, 1), 0, 100)
		_, err := h.c.ImportCFONB(ctx, "b.txt", file)
		mustContain(t, err.Error(), "Inqom refused the file (400", "bank 20041, branch 01005, account 0500013M026")
	})

	t.Run("BalanceControl", func(t *testing.T) {
		h := MustHarness(t)
		h.MustRegister(42, ibanA, true)
		h.MustRegister(43, ibanB, false)
		first, _ := MustStatement(t, ibanA, day(2026, 3, 1), 100000, 217632-100000)
		if _, err := h.c.ImportCFONB(ctx, "1.txt", first); err != nil {
			t.Fatal(err)
		}
		gap, _ := MustStatement(t, ibanA, day(2026, 3, 3), 100000, 5)
		_, err := h.c.ImportCFONB(ctx, "2.txt", gap)
		if e := inqom.AsError(err); e == nil || e.Status != 400 || inqom.OutcomeUnknown(err) {
			t.Fatalf("err=%v, want a definite 400", err)
		}
		mustContain(t, err.Error(), "Balance control failed", "opens at 1000.00 EUR", "closed at 2176.32 EUR")
		// Without the control, the same gap is imported as it is.
		for range 2 {
			f, _ := MustStatement(t, ibanB, day(2026, 3, 3), 100000, 5)
			if _, err := h.c.ImportCFONB(ctx, "3.txt", f); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := len(h.s.Imports(43)), 2; got != want {
			t.Fatalf("%d statements without control, want %d", got, want)
		}
	})
}

func TestClient_ImportRetries(t *testing.T) {
	ctx := context.Background()

	t.Run("500Then429ThenAccepted", func(t *testing.T) {
		h := MustHarness(t)
		h.MustRegister(42, ibanA, true)
		h.s.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Status: 500})
		h.s.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Status: 429, RetryAfter: 7})
		file, _ := MustStatement(t, ibanA, day(2026, 3, 1), 0, 100)
		res, err := h.c.ImportCFONB(ctx, "r.txt", file)
		if err != nil {
			t.Fatal(err)
		}
		if res.Attempts != 3 || !res.PossibleDuplicate {
			t.Fatalf("result %+v: want 3 attempts, and a possible duplicate after the 500", res)
		}
		sleeps := h.Sleeps()
		if len(sleeps) != 2 || sleeps[0] < 250*time.Millisecond || sleeps[0] > 500*time.Millisecond || sleeps[1] != 7*time.Second {
			t.Fatalf("sleeps %v, want [250ms..500ms, 7s]", sleeps)
		}
		ups := h.Uploads()
		if len(ups) != 3 || !bytes.Equal(ups[0], ups[1]) || !bytes.Equal(ups[1], ups[2]) {
			t.Fatalf("%d uploads, want 3 identical ones", len(ups))
		}
		if got := len(h.s.Imports(42)); got != 1 {
			t.Fatalf("%d statements imported, want 1", got)
		}
		// A later call with the same file sends the very same bytes (which
		// the balance control then refuses: they are already in).
		if _, err := h.c.ImportCFONB(ctx, "r.txt", file); inqom.AsError(err) == nil {
			t.Fatalf("resend: err=%v, want a refusal", err)
		}
		if ups := h.Uploads(); len(ups) != 4 || !bytes.Equal(ups[3], ups[0]) {
			t.Fatal("the resend did not send the same bytes")
		}
	})

	t.Run("RetryAfterCapped", func(t *testing.T) {
		h := MustHarness(t, func(c *inqom.Config) { c.RetryAfterCap = 3 * time.Second })
		h.s.InjectFault(sandbox.Fault{Path: sandbox.TokenPath, Status: 429, RetryAfter: 3600})
		h.MustRegister(42, ibanA, true)
		if got, want := h.Sleeps(), []time.Duration{3 * time.Second}; !cmp.Equal(got, want) {
			t.Fatalf("sleeps %v, want %v", got, want)
		}
	})

	t.Run("GivesUp", func(t *testing.T) {
		h := MustHarness(t, func(c *inqom.Config) { c.MaxAttempts = 2 })
		h.MustRegister(42, ibanA, true)
		h.s.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Status: 503, Count: 5})
		file, _ := MustStatement(t, ibanA, day(2026, 3, 1), 0, 100)
		_, err := h.c.ImportCFONB(ctx, "r.txt", file)
		if !inqom.OutcomeUnknown(err) {
			t.Fatalf("err=%v, want an unknown outcome after 5xx", err)
		}
		mustContain(t, err.Error(), "Inqom failed (503): \"503 Service Unavailable", "outcome unknown")
		if got := len(h.Sleeps()); got != 1 {
			t.Fatalf("%d sleeps, want 1", got)
		}
	})

	t.Run("ContextCancelled", func(t *testing.T) {
		h := MustHarness(t)
		h.MustRegister(42, ibanA, true)
		h.s.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Delay: time.Minute})
		file, _ := MustStatement(t, ibanA, day(2026, 3, 1), 0, 100)
		cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		began := time.Now()
		_, err := h.c.ImportCFONB(cctx, "r.txt", file)
		if !errors.Is(err, context.DeadlineExceeded) || !inqom.OutcomeUnknown(err) {
			t.Fatalf("err=%v, want a deadline with an unknown outcome", err)
		}
		if d := time.Since(began); d > 5*time.Second {
			t.Fatalf("took %v to stop", d)
		}
	})
}

func TestClient_ImportDropAfterProcessing(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		status int
	}{{"ConnectionClosed", 0}, {"BadGateway", 502}} {
		t.Run(tc.name, func(t *testing.T) {
			h := MustHarness(t, func(c *inqom.Config) { c.MaxAttempts = 1 })
			h.MustRegister(42, ibanA, true)
			h.s.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, DropAfterProcessing: true, Status: tc.status})
			file, _ := MustStatement(t, ibanA, day(2026, 3, 1), 0, 100)
			_, err := h.c.ImportCFONB(ctx, "d.txt", file)
			if !inqom.OutcomeUnknown(err) {
				t.Fatalf("err=%v, want an unknown outcome", err)
			}
			if got := len(h.s.Imports(42)); got != 1 {
				t.Fatalf("sandbox holds %d statements, want the 1 it applied", got)
			}
		})
	}

	// With retries, the second copy is refused by the balance control: the
	// 400 must not pass for a definite refusal, since the first copy went in.
	t.Run("RetryRefusedStaysUnknown", func(t *testing.T) {
		h := MustHarness(t)
		h.MustRegister(42, ibanA, true)
		h.s.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, DropAfterProcessing: true})
		file, _ := MustStatement(t, ibanA, day(2026, 3, 1), 0, 100)
		_, err := h.c.ImportCFONB(ctx, "d.txt", file)
		if !inqom.OutcomeUnknown(err) {
			t.Fatalf("err=%v, want an unknown outcome", err)
		}
		if e := inqom.AsError(err); e == nil || e.Status != 400 {
			t.Fatalf("err=%v, want the last answer, a 400, in the chain", err)
		}
		mustContain(t, err.Error(), "an earlier attempt may have been applied")
		if got := len(h.s.Imports(42)); got != 1 {
			t.Fatalf("sandbox holds %d statements, want 1", got)
		}
		if ups := h.Uploads(); len(ups) != 2 || !bytes.Equal(ups[0], ups[1]) {
			t.Fatalf("%d uploads, want 2 identical", len(ups))
		}
	})
}

// TestClient_NetworkErrorBeforeSending checks that a refused connection is
// a definite failure: nothing reached Inqom.
func TestClient_NetworkErrorBeforeSending(t *testing.T) {
	h := MustHarness(t, func(c *inqom.Config) { c.MaxAttempts = 2 })
	h.srv.Close()
	_, err := h.c.RegisterAccount(context.Background(), 42, inqom.Account{IBAN: ibanA})
	if err == nil || inqom.OutcomeUnknown(err) {
		t.Fatalf("err=%v, want a definite failure", err)
	}
	if strings.Contains(err.Error(), password) {
		t.Fatalf("error shows the password: %v", err)
	}
}
