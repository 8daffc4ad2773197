package ui_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_Import: a French bank's CSV previewed (rows as stored, lines
// left out, the columns guessed) then imported into a new manual account,
// then an OFX file previewed and imported into that account, on a desktop
// and a phone, in English and French, with screenshots.
func TestBrowser_Import(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	base := importUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	csv, err := filepath.Abs("../../bankfile/testdata/bank-fr-1252.csv")
	if err != nil {
		t.Fatal(err)
	}
	ofx, _ := filepath.Abs("../../bankfile/testdata/sgml-v102.ofx")
	b := newTab(t, base)
	b.signIn("ana@example.com")

	b.open("/accounts")
	b.do(chromedp.Click(chromedp.ID("import-link")))
	b.waitText("Import a bank file", false)
	b.do(chromedp.SetValue(chromedp.ID("new_name"), "Compte joint (avant 2024)"),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{csv}),
		chromedp.Click(chromedp.CSS(`button[value=preview]`)))
	b.waitText("3 new transactions", false)
	b.waitText("Line 5", false)
	b.shot("import-csv-preview-desktop")
	b.do(chromedp.Click(chromedp.ID("confirm")))
	b.waitText("File imported.", false)
	b.waitText("VIR SEPA SALAIRE", false)
	b.shot("import-csv-done-desktop")

	// The OFX file into the account just made.
	accts, err := s.FindManualAccounts(t.Context(), ana.ID)
	if err != nil || len(accts) != 1 {
		t.Fatalf("manual accounts: %v, %v", accts, err)
	}
	acct := fmt.Sprint(accts[0].ID)
	b.open("/import")
	b.do(chromedp.SetUploadFiles(chromedp.ID("file"), []string{ofx}), chromedp.SetValue(chromedp.ID("account"), acct))
	b.do(chromedp.Click(chromedp.CSS(`button[value=preview]`)))
	b.waitText("OFX · 2 new transactions", false)
	b.shot("import-ofx-preview-desktop")

	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)) // a phone
	b.shot("import-ofx-preview-phone")
	b.do(chromedp.Click(chromedp.ID("confirm")))
	b.waitText("File imported.", false)
	b.shot("import-ofx-done-phone")

	// The same CSV again, in French, on the phone: nothing new.
	b.open("/lang/fr?back=/import")
	b.waitText("Importer un fichier bancaire", false)
	b.do(chromedp.SetValue(chromedp.ID("account"), acct),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{csv}),
		chromedp.Click(chromedp.CSS(`button[value=preview]`)))
	b.waitText("3 déjà importées", false)
	b.waitText("Ligne 5", false)
	b.shot("import-csv-again-phone-fr")

	b.do(chromedp.EmulateViewport(1280, 900))
	b.open("/import")
	b.do(chromedp.SetValue(chromedp.ID("new_name"), "Livret d’avant"),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{csv}),
		chromedp.Click(chromedp.CSS(`button[value=preview]`)))
	b.waitText("3 nouvelles opérations", false)
	b.shot("import-csv-preview-desktop-fr")
}
