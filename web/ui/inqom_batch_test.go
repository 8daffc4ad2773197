package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/inqom/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// refusedBatch links ana's French account, has Inqom refuse the first
// file, and returns the mapping and that file.
func refusedBatch(t *testing.T, s *store.Store, e *inqomUI, c *webtest.Client, ana *webtest.User) (*freenahi.InqomMapping, *freenahi.ExportBatch) {
	t.Helper()
	c.Get("/inqom")
	webtest.MustStatus(t, c.Post("/inqom/credentials", e.credentialsForm()), http.StatusSeeOther)
	webtest.MustStatus(t, c.Post("/inqom/mappings", mappingForm(webtest.FrenchAccount(t, s, ana.ID))), http.StatusSeeOther)
	e.sb.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Status: http.StatusBadRequest})
	r := push(t, c)
	webtest.MustContain(t, r, "The push met problems", `class="badge badge-batch-failed">Refused</span> File #1`, "Inqom refused this file.")
	m := mustMapping(t, s, ana.ID)
	bs, err := s.FindExportBatches(ctx, ana.ID, m.ID, 10)
	if err != nil || len(bs) != 1 || bs[0].Status != freenahi.BatchFailed {
		t.Fatalf("batches %v %v, want one failed", bs, err)
	}
	return m, bs[0]
}

func TestUI_InqomResolve(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newInqomUI(t, s)
		ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
		c := webtest.NewClient(t, e.url)
		c.SignInAs(s, ana.ID)
		m, b := refusedBatch(t, s, e, c, ana)
		history := fmt.Sprintf("/inqom/mappings/%d", m.ID)
		resolve := fmt.Sprintf("/inqom/batches/%d/resolve", b.ID)

		r := c.Get(history)
		webtest.MustContain(t, r, "Inqom refused this file. Its transactions stay in it", "HTTP 400", "Injected fault.", "Decide:",
			resolve+"?action=retry", resolve+"?action=sent", resolve+"?action=release")

		r = c.Get(resolve + "?action=release")
		webtest.MustStatus(t, r, http.StatusOK)
		webtest.MustContain(t, r, "Decide about a file", "File #1 of Compte chèque → Inqom dossier 77, 2 transactions:",
			"It never reached Inqom", "they will appear there twice", `name="action" value="release"`,
			`class="danger">Confirm: It never reached Inqom</button>`, `href="`+history+`#b-`+itoa(b.ID)+`"`)
		webtest.MustStatus(t, c.Get(resolve+"?action=forget"), http.StatusBadRequest)

		r = c.Get(resolve + "?action=retry")
		webtest.MustContain(t, r, "freenahi sends the very same file again, now.", `class="primary">Confirm: Send it again</button>`)
		r = c.Post(resolve, url.Values{"action": {"retry"}})
		if webtest.MustStatus(t, r, http.StatusSeeOther); r.Location() != history+"?msg=flash.inqom_resolved#b-"+itoa(b.ID) {
			t.Fatalf("Location %q", r.Location())
		}
		r = c.Get(history + "?msg=flash.inqom_resolved")
		webtest.MustContain(t, r, "Your decision is recorded.", `class="badge badge-batch-pending">Waiting</span>`, "<dt>Next attempt</dt>")
		webtest.MustNotContain(t, r, "Decide:")

		r = push(t, c)
		webtest.MustContain(t, r, `class="badge badge-batch-sent">Sent</span> File #1`)
		got, err := s.FindExportBatchFile(ctx, ana.ID, b.ID)
		if err != nil || got.Status != freenahi.BatchSent || got.SHA256 != b.SHA256 {
			t.Fatalf("after retry and push: %v %v, want the same file sent", got, err)
		}

		t.Run("French", func(t *testing.T) {
			c.Get("/lang/fr?back=/")
			defer c.Get("/lang/en?back=/")
			r := c.Get(history)
			webtest.MustContain(t, r, "Fichiers envoyés à Inqom", "Fichier n°\u00a01", "Inqom a accepté ce fichier.", "Télécharger le fichier exact")
		})
	})
}

// TestUI_InqomOwnerScoping changes ids in URLs and forms: another person's
// mappings, files and accounts are not found, and nothing of theirs changes.
func TestUI_InqomOwnerScoping(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newInqomUI(t, s)
		ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
		bob := webtest.MustUserWithData(t, s, "bob@example.com", 43)
		ca, cb := webtest.NewClient(t, e.url), webtest.NewClient(t, e.url)
		ca.SignInAs(s, ana.ID)
		cb.SignInAs(s, bob.ID)
		m, b := refusedBatch(t, s, e, ca, ana)

		r := cb.Get("/inqom")
		webtest.MustStatus(t, r, http.StatusOK)
		webtest.MustContain(t, r, "No account is linked to an Inqom dossier yet.", "You have not saved Inqom credentials")
		webtest.MustNotContain(t, r, sbUser, fmt.Sprintf("/inqom/mappings/%d", m.ID))
		for _, path := range []string{
			fmt.Sprintf("/inqom/mappings/%d", m.ID),
			fmt.Sprintf("/inqom/batches/%d/file", b.ID),
			fmt.Sprintf("/inqom/batches/%d/resolve?action=release", b.ID),
			"/inqom/mappings/999999", "/inqom/mappings/x", "/inqom/batches/0/file",
		} {
			r := cb.Get(path)
			webtest.MustStatus(t, r, http.StatusNotFound)
			webtest.MustNotContain(t, r, "Compte chèque → Inqom", "FREENAHI", b.SHA256)
		}
		webtest.MustStatus(t, cb.Post(fmt.Sprintf("/inqom/batches/%d/resolve", b.ID), url.Values{"action": {"release"}}), http.StatusNotFound)
		webtest.MustStatus(t, cb.Post("/inqom/mappings", mappingForm(webtest.FrenchAccount(t, s, ana.ID))), http.StatusNotFound)
		webtest.MustStatus(t, cb.Post("/inqom/mappings", url.Values{"account_id": {"abc"}, "dossier_id": {"77"}}), http.StatusNotFound)

		if got, err := s.FindExportBatchFile(ctx, ana.ID, b.ID); err != nil || got.Status != freenahi.BatchFailed {
			t.Fatalf("ana's file after bob's attempts: %v %v", got, err)
		}
		if ms, err := s.FindInqomMappings(ctx, bob.ID); err != nil || len(ms) != 0 {
			t.Fatalf("bob's mappings %v %v, want none", ms, err)
		}
		if n := len(e.sb.Accounts(sbDossier)); n != 1 {
			t.Fatalf("dossier has %d accounts, want ana's only", n)
		}
	})
}

// TestUI_InqomCSRF refuses the accounting page's forms without the page's
// token or from another site; nothing changes.
func TestUI_InqomCSRF(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	e := newInqomUI(t, s)
	ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
	c := webtest.NewClient(t, e.url)
	c.SignInAs(s, ana.ID)
	m, b := refusedBatch(t, s, e, c, ana)
	resolve := fmt.Sprintf("/inqom/batches/%d/resolve", b.ID)
	send := func(path string, form url.Values, site string) *webtest.Page {
		t.Helper()
		req, _ := http.NewRequest("POST", e.url+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", site)
		return c.Do(req)
	}
	c.Get("/inqom")
	good := c.CSRF
	staging := e.credentialsForm()
	staging.Set("environment", "staging")
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/inqom/push", url.Values{}},
		{"/inqom/mappings", mappingForm(accountOf(t, s, ana.ID, "JPY"))},
		{"/inqom/credentials", staging},
		{resolve, url.Values{"action": {"release"}}},
	} {
		for name, f := range map[string]func() *webtest.Page{
			"NoToken":    func() *webtest.Page { return send(tc.path, tc.form, "same-origin") },
			"WrongToken": func() *webtest.Page { tc.form.Set("csrf", good+"x"); return send(tc.path, tc.form, "same-origin") },
			"CrossSite":  func() *webtest.Page { tc.form.Set("csrf", good); return send(tc.path, tc.form, "cross-site") },
		} {
			tc.form.Del("csrf")
			if r := f(); r.Status != http.StatusForbidden {
				t.Errorf("%s %s: status %d, want 403", name, tc.path, r.Status)
			}
		}
	}
	if got, _ := s.FindExportBatchFile(ctx, ana.ID, b.ID); got.Status != freenahi.BatchFailed {
		t.Fatalf("file %s after refused posts, want failed", got.Status)
	}
	if ms, _ := s.FindInqomMappings(ctx, ana.ID); len(ms) != 1 || ms[0].ID != m.ID {
		t.Fatalf("mappings %v after refused posts", ms)
	}
	if cr, _ := s.FindInqomCredentials(ctx, ana.ID); cr.Environment != "production" {
		t.Fatalf("credentials changed by a refused post: %s", cr.Environment)
	}
}

// TestUI_InqomNotConfigured: a server without the Inqom export says so.
func TestUI_InqomNotConfigured(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
	c := webtest.NewClient(t, ts.URL)
	c.SignInAs(s, ana.ID)
	r := c.Get("/inqom")
	webtest.MustStatus(t, r, http.StatusServiceUnavailable)
	webtest.MustContain(t, r, "The Inqom export is not configured on this server.")
}
