package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/inqom"
	"github.com/freenahi/freenahi/inqom/sandbox"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// The Inqom sandbox of these tests: one Inqom user with rights on dossier 77.
const (
	sbUser     = "compta@example.com"
	sbPassword = "inqom-password-4821"
	sbClientID = "freenahi-test"
	sbSecret   = "inqom-client-secret-9917"
	sbDossier  = 77
	sbDossier2 = 79 // the Inqom user's second dossier
)

// inqomUI is the web UI with statements and the Inqom export over a local
// Inqom sandbox, as serve wires them.
type inqomUI struct {
	url   string
	sb    *sandbox.Server
	sbURL string
}

func newInqomUI(t *testing.T, s *store.Store) *inqomUI {
	t.Helper()
	sb := sandbox.New(sandbox.Config{ClientID: sbClientID, ClientSecret: sbSecret,
		Users: map[string]string{sbUser: sbPassword}, Dossiers: map[string][]int64{sbUser: {sbDossier, sbDossier2}}})
	api := httptest.NewServer(sb)
	t.Cleanup(func() { sb.Close(); api.Close() })
	// One attempt per call: the refusals these tests inject need no retry.
	// The sandbox is plain http on this computer, which the operator allows,
	// and vouched for: its answers show as Inqom's would.
	clients := &export.Clients{Store: s, Edit: func(c *inqom.Config) { c.MaxAttempts = 1 }, AllowLoopback: true,
		AnswersShownFrom: []string{strings.TrimPrefix(api.URL, "http://")}}
	pusher := &export.Pusher{Ledger: s, Importer: clients.Importer}
	ts, _ := webtest.NewUIServer(t, s, withStatements(s), func(w *web.Server) {
		w.Inqom, w.InqomCredentials, w.UI.InqomAllowLoopback = pusher, s, true
	})
	return &inqomUI{url: ts.URL, sb: sb, sbURL: api.URL}
}

// credentialsForm is the credentials form filled for the sandbox.
func (e *inqomUI) credentialsForm() url.Values {
	return url.Values{"username": {sbUser}, "password": {sbPassword}, "client_id": {sbClientID}, "client_secret": {sbSecret},
		"environment": {"production"}, "auth_url": {e.sbURL + sandbox.TokenPath}, "banking_url": {e.sbURL}}
}

// mappingForm links account to dossier 77 with the balance control on.
func mappingForm(account *freenahi.Account) url.Values {
	return url.Values{"account_id": {itoa(account.ID)}, "dossier_id": {itoa(sbDossier)}, "cfonb_control": {"true"}}
}

// push presses "push now" and returns the page it ends on, through the
// progress page when the push outlasts the quick wait.
func push(t *testing.T, c *webtest.Client) *webtest.Page {
	t.Helper()
	r := c.Post("/inqom/push", nil)
	testenv.WaitFor(t, 30*time.Second, "the push to finish", func() bool {
		loc := r.Location()
		if !strings.HasPrefix(loc, "/connect/jobs/") {
			return true
		}
		if r = c.Get(loc); r.Status == http.StatusAccepted {
			r.Header.Set("Location", loc)
		}
		return false
	})
	webtest.MustStatus(t, r, http.StatusSeeOther)
	return c.Get(r.Location())
}

// mustMapping returns the user's only mapping.
func mustMapping(t *testing.T, s *store.Store, userID int64) *freenahi.InqomMapping {
	t.Helper()
	ms, err := s.FindInqomMappings(ctx, userID)
	if err != nil || len(ms) != 1 {
		t.Fatalf("mappings %v %v, want one", ms, err)
	}
	return ms[0]
}

func TestUI_Inqom(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newInqomUI(t, s)
		ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
		eur := webtest.FrenchAccount(t, s, ana.ID)
		c := webtest.NewClient(t, e.url)
		c.SignInAs(s, ana.ID)

		r := c.Get("/inqom")
		webtest.MustStatus(t, r, http.StatusOK)
		webtest.MustContain(t, r, `href="/inqom" aria-current="page"`, "No account is linked to an Inqom dossier yet.",
			"You have not saved Inqom credentials", `action="/inqom/credentials"`, `<option value="`+itoa(eur.ID)+`">Compte chèque · FR76`)

		t.Run("Credentials", func(t *testing.T) {
			for _, tc := range []struct{ name, field, value, want string }{
				{"NoPassword", "password", "", "This field is required."},
				{"NoClientID", "client_id", " ", "This field is required."},
				{"BadEnvironment", "environment", "mars", "Choose one of the listed values."},
				{"BadURL", "banking_url", "ftp://inqom.example", "Banking API address: must be a full https address, without query"},
				{"PlainHTTP", "auth_url", "http://inqom.example/token", "Token endpoint address: must be an https address"},
				{"PrivateNetwork", "auth_url", "https://10.0.0.7/token", "Token endpoint address: must not be an address of a private network"},
				{"CloudMetadata", "banking_url", "https://169.254.169.254", "Banking API address: must not be an address of a private network"},
			} {
				f := e.credentialsForm()
				f.Set(tc.field, tc.value)
				r := c.Post("/inqom/credentials", f)
				webtest.MustStatus(t, r, http.StatusBadRequest)
				webtest.MustContain(t, r, tc.want, `role="alert"`, `value="`+sbUser+`"`)
				webtest.MustNotContain(t, r, sbPassword, sbSecret)
			}
			r := c.Post("/inqom/credentials", e.credentialsForm())
			if webtest.MustStatus(t, r, http.StatusSeeOther); r.Location() != "/inqom?msg=flash.inqom_saved" {
				t.Fatalf("Location %q", r.Location())
			}
			r = c.Get(r.Location())
			webtest.MustContain(t, r, "Your Inqom credentials are saved.", "Saved; leave empty to keep it.", `value="`+e.sbURL+`"`)
			webtest.MustNotContain(t, r, sbPassword, sbSecret)
			// Empty secrets keep the saved ones; the rest changes.
			f := e.credentialsForm()
			f.Set("password", "")
			f.Set("client_secret", "")
			f.Set("environment", "staging")
			webtest.MustStatus(t, c.Post("/inqom/credentials", f), http.StatusSeeOther)
			got, err := s.FindInqomCredentials(ctx, ana.ID)
			if err != nil || got.Password != sbPassword || got.ClientSecret != sbSecret || got.Environment != "staging" {
				t.Fatalf("credentials after a save without secrets: %v %v", got, err)
			}
			// Pointing an address elsewhere with the secrets left empty would
			// send the saved ones there: refused, and nothing changes.
			for _, field := range []string{"auth_url", "banking_url"} {
				f := e.credentialsForm()
				f.Set("password", "")
				f.Set("client_secret", "")
				f.Set(field, "https://listener.example/token")
				r := c.Post("/inqom/credentials", f)
				webtest.MustStatus(t, r, http.StatusBadRequest)
				webtest.MustContain(t, r, "Type the Inqom password and client secret again: the Inqom addresses changed")
				got, err := s.FindInqomCredentials(ctx, ana.ID)
				if err != nil || got.AuthURL != e.sbURL+sandbox.TokenPath || got.BankingURL != e.sbURL || got.Environment != "staging" {
					t.Fatalf("credentials after a refused change of %s: %+v %v", field, got, err)
				}
			}
		})
		t.Run("LinkPushHistory", func(t *testing.T) {
			r := c.Post("/inqom/mappings", mappingForm(eur))
			if webtest.MustStatus(t, r, http.StatusSeeOther); r.Location() != "/inqom?msg=flash.inqom_linked" {
				t.Fatalf("Location %q", r.Location())
			}
			if n := len(e.sb.Accounts(sbDossier)); n != 1 {
				t.Fatalf("the sandbox's dossier has %d accounts, want 1", n)
			}
			r = c.Get(r.Location())
			webtest.MustContain(t, r, "The account is linked and registered in Inqom.", "Compte chèque → Inqom dossier 77",
				"FR7630006000011234567890189", "<dt>Waiting to be sent</dt><dd>2</dd>", "<dt>CFONB balance control</dt><dd>on</dd>")
			m := mustMapping(t, s, ana.ID)

			r = push(t, c)
			webtest.MustContain(t, r, "Sent to Inqom", `class="badge badge-batch-sent">Sent</span> File #1`,
				"<dt>Transactions exported</dt><dd>2</dd>", "<dt>Waiting to be sent</dt><dd>0</dd>", "Inqom accepted this file.")
			if n := len(e.sb.Imports(sbDossier)); n == 0 {
				t.Fatal("the sandbox received nothing")
			}

			bs, err := s.FindExportBatches(ctx, ana.ID, m.ID, 10)
			if err != nil || len(bs) != 1 {
				t.Fatalf("batches %v %v", bs, err)
			}
			r = c.Get(fmt.Sprintf("/inqom/mappings/%d", m.ID))
			webtest.MustStatus(t, r, http.StatusOK)
			webtest.MustContain(t, r, "Compte chèque → Inqom dossier 77", "File #1", "Inqom accepted this file.", bs[0].SHA256,
				"Inqom accepted the file: 2 movements recorded (import ", "<dt>Transactions</dt><dd>2</dd>", "10 Jan 2025 – 14 Jan 2025", fmt.Sprintf(`href="/inqom/batches/%d/file"`, bs[0].ID))
			webtest.MustNotContain(t, r, "/resolve?action=", "HTTP 200", "importId") // a sent file needs no decision; Inqom's JSON is not for people

			file, err := s.FindExportBatchFile(ctx, ana.ID, bs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			r = c.Get(fmt.Sprintf("/inqom/batches/%d/file", bs[0].ID))
			webtest.MustStatus(t, r, http.StatusOK)
			if r.Body != string(file.Content) || r.Header.Get("Digest") != "sha-256="+bs[0].SHA256 ||
				!strings.Contains(r.Header.Get("Content-Disposition"), file.Filename) {
				t.Fatalf("file: %v\n%s", r.Header, r.Body)
			}
			r = c.Get(fmt.Sprintf("/inqom/batches/%d/resolve?action=retry", bs[0].ID))
			webtest.MustStatus(t, r, http.StatusConflict)
		})
		t.Run("DeletedAfterExport", func(t *testing.T) {
			deleteAtBank(t, s, ana.ID, eur, "CB CARREFOUR 13/01")
			r := c.Get("/inqom")
			webtest.MustContain(t, r, "1 transaction changed at the bank after it was sent to Inqom.",
				"14 Jan 2025: -€12.30, sent in the file with id", "deleted 2 Feb 2025")
			c.Get("/lang/fr?back=/")
			defer c.Get("/lang/en?back=/")
			r = c.Get("/inqom")
			webtest.MustContain(t, r, "Comptabilité (Inqom)", "1 opération a changé à la banque", "14 janv. 2025\u00a0: -12,30\u00a0€",
				"supprimée le 2 févr. 2025", `class="badge badge-batch-sent">Envoyé</span>`)
		})
	})
}

// TestUI_InqomLinkRefused: what the service or Inqom refuses shows in the
// form, and a link Inqom refused creates nothing: no transaction waits for
// a dossier it cannot reach.
func TestUI_InqomLinkRefused(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	e := newInqomUI(t, s)
	ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
	eur := webtest.FrenchAccount(t, s, ana.ID)
	c := webtest.NewClient(t, e.url)
	c.SignInAs(s, ana.ID)
	c.Get("/inqom")
	webtest.MustStatus(t, c.Post("/inqom/credentials", e.credentialsForm()), http.StatusSeeOther)

	f := mappingForm(eur)
	f.Set("dossier_id", "")
	r := c.Post("/inqom/mappings", f)
	webtest.MustStatus(t, r, http.StatusBadRequest)
	webtest.MustContain(t, r, "Enter the dossier id", `value="true" checked`)
	f.Set("dossier_id", "78") // not one of the Inqom user's dossiers
	r = c.Post("/inqom/mappings", f)
	webtest.MustStatus(t, r, http.StatusForbidden)
	webtest.MustContain(t, r, "The account could not be linked:", "no rights on dossier 78", `value="78"`)
	f.Set("dossier_id", "77")
	f.Set("iban", "DE89370400440532013000")
	r = c.Post("/inqom/mappings", f)
	webtest.MustStatus(t, r, http.StatusBadRequest)
	webtest.MustContain(t, r, "The account could not be linked:", "is from DE, not France or Monaco")
	r = c.Get("/inqom")
	webtest.MustContain(t, r, "No account is linked to an Inqom dossier yet.")
	webtest.MustNotContain(t, r, "Inqom dossier 78", "Inqom dossier 77")
	if ms, err := s.FindInqomMappings(ctx, ana.ID); err != nil || len(ms) != 0 {
		t.Fatalf("refused links left %d mappings (%v)", len(ms), err)
	}
}

// deleteAtBank stores, as a sync would, that the bank deleted the user's
// transaction with this wording on 2 Feb 2025.
func deleteAtBank(t *testing.T, s *store.Store, userID int64, a *freenahi.Account, wording string) {
	t.Helper()
	txs, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: userID, AccountID: &a.ID, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var gone *freenahi.Transaction
	for _, tx := range txs {
		if tx.OriginalWording == wording {
			gone = tx
		}
	}
	if gone == nil {
		t.Fatalf("no transaction %q", wording)
	}
	at := time.Date(2025, 2, 2, 10, 0, 0, 0, time.UTC)
	gone.Deleted = &at
	powensUser := int64(42)
	ev := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "test:delete:" + wording,
		PowensUserID: &powensUser, Auth: freenahi.AuthHMAC, Body: []byte("{}")}
	if _, err := s.ReceiveEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.ClaimEvent(ctx, time.Minute)
	if err != nil || claimed == nil {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	err = s.ProcessEvent(ctx, claimed, func(ctx context.Context, w freenahi.SyncWriter) error {
		return w.UpsertTransactions(ctx, []*freenahi.Transaction{gone})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUI_InqomUnlinkAndSecondDossier: one dossier per account unless the
// person confirms a second with the warning in view; unlink says what
// happens to waiting transactions, and linking again resumes the ledger.
func TestUI_InqomUnlinkAndSecondDossier(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	e := newInqomUI(t, s)
	ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
	eur := webtest.FrenchAccount(t, s, ana.ID)
	c := webtest.NewClient(t, e.url)
	c.SignInAs(s, ana.ID)
	c.Get("/inqom")
	webtest.MustStatus(t, c.Post("/inqom/credentials", e.credentialsForm()), http.StatusSeeOther)
	r := c.Get("/inqom")
	// Explicit addresses are in force: the page does not call them Production.
	webtest.MustContain(t, r, "In use: Sandbox or other explicit addresses ("+e.sbURL+")")
	webtest.MustNotContain(t, r, "In use: Production")
	webtest.MustContain(t, r, "Files stop at ", ", the last bank day that has ended")
	// The statement form says where statements stop and will not offer later days.
	last := freenahi.LastEndedBankDay(time.Now())
	r = c.Get(fmt.Sprintf("/accounts/%d", eur.ID))
	webtest.MustContain(t, r, fmt.Sprintf(`max="%s"`, last), "Statements stop at ", "later days may still receive bookings")

	webtest.MustStatus(t, c.Post("/inqom/mappings", mappingForm(eur)), http.StatusSeeOther)
	m := mustMapping(t, s, ana.ID)

	// A second dossier is refused until confirmed, with the warning shown.
	second := mappingForm(eur)
	second.Set("dossier_id", itoa(sbDossier2))
	r = c.Post("/inqom/mappings", second)
	webtest.MustStatus(t, r, http.StatusBadRequest)
	webtest.MustContain(t, r, "already sends its transactions to Inqom dossier 77", `id="l-additional"`,
		"Every transaction will then be in both dossiers’ books.")
	if ms, _ := s.FindInqomMappings(ctx, ana.ID); len(ms) != 1 {
		t.Fatalf("%d mappings after an unconfirmed second dossier, want 1", len(ms))
	}
	second.Set("additional", "true")
	webtest.MustStatus(t, c.Post("/inqom/mappings", second), http.StatusSeeOther)
	if ms, _ := s.FindInqomMappings(ctx, ana.ID); len(ms) != 2 {
		t.Fatalf("%d mappings after a confirmed second dossier, want 2", len(ms))
	}

	// Unlink says what happens, then the mapping is gone from the page.
	r = c.Get("/inqom")
	webtest.MustContain(t, r, fmt.Sprintf(`action="/inqom/mappings/%d/unlink"`, m.ID), "Unlinking stops sending this account to Inqom dossier 77.",
		"stay in freenahi and are not sent; files already sent stay in Inqom.", "Stop sending to dossier 77")
	r = c.Post(fmt.Sprintf("/inqom/mappings/%d/unlink", m.ID), nil)
	webtest.MustStatus(t, r, http.StatusSeeOther)
	r = c.Get(r.Location())
	webtest.MustContain(t, r, "The account is unlinked: nothing more is sent to that dossier.")
	webtest.MustNotContain(t, r, "→ Inqom dossier 77")
	if ms, _ := s.FindInqomMappings(ctx, ana.ID); len(ms) != 1 || ms[0].DossierID != sbDossier2 {
		t.Fatalf("mappings after unlink: %v", ms)
	}
	// Unlinking twice finds nothing to unlink.
	webtest.MustStatus(t, c.Post(fmt.Sprintf("/inqom/mappings/%d/unlink", m.ID), nil), http.StatusNotFound)

	// Linking again resumes the same mapping (and so its ledger).
	again := mappingForm(eur)
	again.Set("additional", "true")
	webtest.MustStatus(t, c.Post("/inqom/mappings", again), http.StatusSeeOther)
	ms, _ := s.FindInqomMappings(ctx, ana.ID)
	if len(ms) != 2 || ms[0].ID != m.ID {
		t.Fatalf("linking again made %v, want mapping %d back", ms, m.ID)
	}
}

// TestUI_InqomPushTroubleIsAWarning: a push that met problems is not shown
// in the success style.
func TestUI_InqomPushTroubleIsAWarning(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	e := newInqomUI(t, s)
	ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
	c := webtest.NewClient(t, e.url)
	c.SignInAs(s, ana.ID)
	r := c.Get("/inqom?msg=flash.inqom_push_trouble")
	webtest.MustContain(t, r, `<p class="flash flash-warn" role="alert">The push met problems`)
	r = c.Get("/inqom?msg=flash.inqom_pushed")
	webtest.MustContain(t, r, `<p class="flash" role="status">Sent to Inqom`)
}
