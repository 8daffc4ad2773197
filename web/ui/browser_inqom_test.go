package ui_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/inqom/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_InqomFrenchPhone goes through what a new user found broken
// on the accounting page, in French on a phone: a refused link creates
// nothing, the environment in force is named, a second dossier needs
// confirming with a warning, unlinking says what happens, a push answers
// in words.
func TestBrowser_InqomFrenchPhone(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	e := newInqomUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	eur := webtest.FrenchAccount(t, s, ana.ID)
	b := newTab(t, e.url)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)) // a phone
	b.signIn("ana@example.com")
	b.open("/lang/fr?back=/inqom")
	b.waitText("Aucun compte n’est encore lié à un dossier Inqom.", false)
	b.fill(map[string]string{"i-username": sbUser, "i-password": sbPassword, "i-client-id": sbClientID, "i-client-secret": sbSecret,
		"i-auth-url": e.sbURL + sandbox.TokenPath, "i-banking-url": e.sbURL}, `form[action="/inqom/credentials"] button[type=submit]`)
	b.waitText("En service\u00a0: bac à sable ou autres adresses explicites", false)

	// Dossier 78 is not the Inqom user's: refused, and nothing is created.
	b.do(chromedp.SetValue(chromedp.ID("l-account"), itoa(eur.ID)))
	b.fill(map[string]string{"l-dossier": "78"}, `form[action="/inqom/mappings"] button[type=submit]`)
	b.waitText("Le compte n’a pas pu être lié", false)
	b.shot("inqom-fr-refused")
	b.open("/inqom")
	b.waitText("Aucun compte n’est encore lié à un dossier Inqom.", false)

	b.do(chromedp.SetValue(chromedp.ID("l-account"), itoa(eur.ID)))
	b.fill(map[string]string{"l-dossier": itoa(sbDossier)}, `form[action="/inqom/mappings"] button[type=submit]`)
	b.waitText("Le compte est lié et enregistré dans Inqom.", false)
	b.do(chromedp.Click(chromedp.CSS(`form[action="/inqom/push"] button`)))
	b.waitLocation("/inqom?msg=")
	b.waitText("Envoyé à Inqom", false)

	// A second dossier: refused with the warning, then confirmed.
	b.do(chromedp.SetValue(chromedp.ID("l-account"), itoa(eur.ID)))
	b.fill(map[string]string{"l-dossier": itoa(sbDossier2)}, `form[action="/inqom/mappings"] button[type=submit]`)
	b.waitText("Chaque opération sera alors dans la comptabilité des deux dossiers.", false)
	b.shot("inqom-fr-second-dossier")
	b.do(chromedp.Click(chromedp.ID("l-additional")), chromedp.Click(chromedp.CSS(`form[action="/inqom/mappings"] button[type=submit]`)))
	b.waitText("Le compte est lié et enregistré dans Inqom.", false)

	m := linkedTo(t, s, ana.ID, sbDossier)
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#m-%d ~ details.unlink summary`, m.ID))))
	b.waitText("Délier arrête l’envoi de ce compte au dossier Inqom 77.", false)
	b.shot("inqom-fr-unlink")
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="/inqom/mappings/%d/unlink"] button`, m.ID))))
	b.waitText("Le compte est délié", false)

	b.open(fmt.Sprintf("/inqom/mappings/%d", m.ID))
	b.waitText("Inqom a accepté le fichier", false)
	b.waitText("plus rien n’est envoyé à ce dossier", false)
	if h := b.mainText(); contains(h, "importId") || contains(h, "HTTP 200") {
		t.Fatalf("Inqom's raw answer is shown:\n%s", h)
	}
	b.shot("inqom-fr-history")
}

// linkedTo returns the user's linked mapping to dossier.
func linkedTo(t *testing.T, s *store.Store, userID, dossier int64) *freenahi.InqomMapping {
	t.Helper()
	ms, err := s.FindInqomMappings(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.DossierID == dossier {
			return m
		}
	}
	t.Fatalf("no mapping of user %d to dossier %d", userID, dossier)
	return nil
}
