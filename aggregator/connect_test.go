package aggregator_test

import (
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/internal/fold"
	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestConnectFlow walks the connection flow's steps through the service,
// against the sandbox, as the UI does: each answer says where to go next.
func TestConnectFlow(t *testing.T) {
	e := newEnv(t, storetest.MustOpen(t, store.SQLite))
	e.agg.PollInterval = 5 * time.Millisecond
	first := aggregator.Attempt{N: 1, FirstStarted: e.clock.Now()}
	form := func(t *testing.T, req aggregator.FormRequest) *freenahi.ConnectForm {
		t.Helper()
		f, err := e.agg.ConnectForm(ctx, e.user.ID, req)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	seal := func(t *testing.T, values map[string]string) aggregator.SealedValues {
		t.Helper()
		sealed, err := e.agg.SealValues(ctx, values)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range sealed {
			if v == values[k] || strings.Count(v, ".") != 4 {
				t.Fatalf("value %s sealed as %q: want a compact JWE, never the clear value", k, v)
			}
		}
		return sealed
	}
	submit := func(t *testing.T, f *freenahi.ConnectForm, login string) *freenahi.Next {
		t.Helper()
		next, err := e.agg.SubmitForm(ctx, e.user.ID, f, seal(t, map[string]string{"login": login, "password": "x"}), nil, aggregator.WebauthReturn{}, first)
		if err != nil {
			t.Fatal(err)
		}
		return next
	}

	t.Run("Connectors", func(t *testing.T) {
		all, err := e.agg.Connectors(ctx, freenahi.ConnectorQuery{})
		if err != nil || len(all) < 3 {
			t.Fatalf("Connectors=%d, %v", len(all), err)
		}
		for i := 1; i < len(all); i++ { // sorted by name, case and accents ignored
			if a, b := fold.String(all[i-1].Name), fold.String(all[i].Name); a > b {
				t.Errorf("not sorted: %q before %q", all[i-1].Name, all[i].Name)
			}
		}
		got, err := e.agg.Connectors(ctx, freenahi.ConnectorQuery{Name: "DEMO PRO"})
		if err != nil || len(got) != 1 || got[0].UUID != sandbox.ProBankUUID {
			t.Fatalf("search with other case and accents=%+v, %v", got, err)
		}
		wealth, _ := e.agg.Connectors(ctx, freenahi.ConnectorQuery{Capability: "wealth"})
		for _, c := range wealth {
			if c.UUID == sandbox.ProBankUUID {
				t.Fatalf("the wealth filter kept a bank without the bankwealth capability: %+v", c)
			}
		}
	})

	t.Run("FormOfTheFirstSource", func(t *testing.T) {
		f := form(t, aggregator.FormRequest{ConnectorUUID: sandbox.TestBankUUID})
		if f.Source != "directaccess" || f.Mechanism != freenahi.MechanismCredentials || len(f.Fields) != 2 {
			t.Fatalf("form=%+v; want the directaccess source's two credential fields", f)
		}
		if _, err := e.agg.ConnectForm(ctx, e.user.ID, aggregator.FormRequest{ConnectorUUID: sandbox.TestBankUUID, Source: "nope"}); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			t.Fatalf("unknown source: %v", err)
		}
		pro := form(t, aggregator.FormRequest{ConnectorUUID: sandbox.ProBankUUID})
		var website *freenahi.ConnectField
		for i := range pro.Fields {
			if pro.Fields[i].Name == "website" {
				website = &pro.Fields[i]
			}
		}
		if website == nil || website.Type != "list" || len(website.Choices) == 0 {
			t.Fatalf("Banque Démo Pro's list field=%+v", website)
		}
		if err := website.Check("not-a-choice"); freenahi.ErrorField(err) != "website" {
			t.Fatalf("a value outside the list: %v", err)
		}
	})

	t.Run("WrongPasswordLeadsBackToTheForm", func(t *testing.T) {
		next := submit(t, form(t, aggregator.FormRequest{ConnectorUUID: sandbox.TestBankUUID}), "wrongpass")
		if next.Step != freenahi.StepForm || next.Problem != freenahi.ProblemWrongpass || next.ConnectorUUID != sandbox.TestBankUUID {
			t.Fatalf("next=%+v; want the form again with the wrongpass problem", next)
		}
	})

	var pid int64
	t.Run("OneTimeCode", func(t *testing.T) {
		next := submit(t, form(t, aggregator.FormRequest{ConnectorUUID: sandbox.TestBankUUID}), "2fa")
		if next.Step != freenahi.StepState || next.PowensConnectionID == 0 {
			t.Fatalf("next=%+v; want the state step", next)
		}
		pid = next.PowensConnectionID
		check, err := e.agg.CheckConnection(ctx, e.user.ID, pid)
		if err != nil || check.State != freenahi.StateAdditionalInformationNeeded || len(check.Fields) != 1 {
			t.Fatalf("check=%+v, %v; want one OTP field", check, err)
		}
		otp := check.Fields[0].Name
		if _, errs := freenahi.CheckFields(check.Fields, map[string]string{otp: "12"}); errs[otp] == nil {
			t.Fatal("a code that breaks the field's pattern passes the check")
		}
		next, err = e.agg.SendFields(ctx, e.user.ID, pid, seal(t, map[string]string{otp: "000000"}), []int64{9})
		if err != nil || next.Problem != freenahi.ProblemWrongcode || next.Step != freenahi.StepState || len(next.Keep) != 1 {
			t.Fatalf("wrong code: next=%+v, %v; want the state step again with wrongcode, the choice kept", next, err)
		}
		next, err = e.agg.SendFields(ctx, e.user.ID, pid, seal(t, map[string]string{otp: "123456"}), nil)
		if err != nil || next.Problem != "" {
			t.Fatalf("right code: next=%+v, %v", next, err)
		}
		if check, _ := e.agg.CheckConnection(ctx, e.user.ID, pid); check.State != freenahi.StateOK {
			t.Fatalf("after the code the state is %q", check.State)
		}
	})

	t.Run("AnotherPersonsConnectionIsNotFound", func(t *testing.T) {
		bob, err := e.store.CreateUser(ctx, "bob@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.agg.CheckConnection(ctx, bob.ID, pid); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			t.Fatalf("bob reading ana's connection: %v", err)
		}
		if _, err := e.agg.Activate(ctx, bob.ID, pid, nil); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			t.Fatalf("bob activating ana's accounts: %v", err)
		}
		if _, err := e.agg.ConnectForm(ctx, bob.ID, aggregator.FormRequest{ConnectorUUID: sandbox.TestBankUUID, PowensConnectionID: pid}); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			t.Fatalf("bob adding a source to ana's connection: %v", err)
		}
	})

	t.Run("Activation", func(t *testing.T) {
		a, err := e.agg.Activation(ctx, e.user.ID, pid)
		if err != nil || len(a.Accounts) == 0 || a.NextSource != "openapi" {
			t.Fatalf("activation=%+v, %v; want accounts and the openapi source next", a, err)
		}
		for _, acc := range a.Accounts {
			if acc.Number != "" && len([]rune(acc.Number)) > 5 {
				t.Errorf("account number shown whole: %q", acc.Number)
			}
		}
		next, err := e.agg.Activate(ctx, e.user.ID, pid, nil)
		if err != nil || next.Problem != freenahi.ProblemNoneChosen {
			t.Fatalf("none chosen: %+v, %v", next, err)
		}
		if _, err := e.agg.Activate(ctx, e.user.ID, pid, []int64{a.Accounts[0].PowensID, 999999}); freenahi.ErrorField(err) != "account" {
			t.Fatalf("a foreign account id: %v", err)
		}
		next, err = e.agg.Activate(ctx, e.user.ID, pid, []int64{a.Accounts[0].PowensID})
		if err != nil || next.Step != freenahi.StepDone {
			t.Fatalf("activate=%+v, %v", next, err)
		}
		a, _ = e.agg.Activation(ctx, e.user.ID, pid)
		enabled := 0
		for _, acc := range a.Accounts {
			if acc.Enabled {
				enabled++
			}
		}
		if enabled != 1 {
			t.Fatalf("%d accounts enabled at Powens, want the 1 chosen", enabled)
		}
	})

	t.Run("Decoupled", func(t *testing.T) {
		next := submit(t, form(t, aggregator.FormRequest{ConnectorUUID: sandbox.TestBankUUID}), "decoupled")
		check, err := e.agg.CheckConnection(ctx, e.user.ID, next.PowensConnectionID)
		if err != nil || check.State != freenahi.StateDecoupled {
			t.Fatalf("check=%+v, %v; want decoupled", check, err)
		}
		if next, err = e.agg.Resume(ctx, e.user.ID, check.PowensConnectionID, nil); err != nil || next.Step != freenahi.StepState {
			t.Fatalf("resume=%+v, %v", next, err)
		}
		if check, _ = e.agg.CheckConnection(ctx, e.user.ID, check.PowensConnectionID); check.State != freenahi.StateOK {
			t.Fatalf("after the bank app's answer the state is %q", check.State)
		}
	})

	t.Run("InterruptedCreationIsAdopted", func(t *testing.T) {
		f := form(t, aggregator.FormRequest{ConnectorUUID: sandbox.ProBankUUID})
		values := map[string]string{"login": "demo", "password": "x", "website": "par"}
		before, err := e.agg.SubmitForm(ctx, e.user.ID, f, seal(t, values), nil, aggregator.WebauthReturn{}, first)
		if err != nil {
			t.Fatal(err)
		}
		// The instance died after Powens created the connection but before
		// the store knew it (its pull waits in the inbox, not processed):
		// the second attempt finds it instead of creating another.
		conns, _ := e.store.FindConnections(ctx, e.user.ID)
		for _, c := range conns {
			if c.PowensID == before.PowensConnectionID {
				t.Fatal("the store already knows the connection; the test would prove nothing")
			}
		}
		again, err := e.agg.SubmitForm(ctx, e.user.ID, f, seal(t, values), nil, aggregator.WebauthReturn{},
			aggregator.Attempt{N: 2, FirstStarted: e.clock.Now()})
		if err != nil || again.PowensConnectionID != before.PowensConnectionID {
			t.Fatalf("second attempt=%+v, %v; want the connection %d adopted", again, err, before.PowensConnectionID)
		}
	})
}
