package ui_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_FreshServeWithoutPowens: the first person sets freenahi up on
// a server without Powens; the Banks page and the add-bank link say that
// adding banks is not configured and how to configure it, never
// "temporarily unavailable".
func TestBrowser_FreshServeWithoutPowens(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	b := newTab(t, ts.URL)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.open("/lang/fr?back=/setup")
	b.fill(map[string]string{"email": "first@example.com", "password": webtest.Password, "confirm": webtest.Password}, `button[type=submit]`)
	b.waitLocation("/connections")
	b.waitText("Ce serveur ne peut pas ajouter ni réparer de connexions bancaires", false)
	b.waitText("POWENS_CLIENT_SECRET", false)
	if text := b.mainText(); !contains(text, "Votre compte est prêt.") || contains(text, "Ajoutez votre première banque") {
		t.Fatalf("welcome without Powens:\n%s", text)
	}
	b.shot("fresh-no-powens-fr")
	b.open("/accounts")
	b.do(chromedp.Click(chromedp.CSS(`a.button.primary[href="/connect"]`)))
	b.waitText("L’ajout de banques n’est pas configuré", false)
	if text := b.mainText(); contains(text, "momentanément") || contains(text, "Temporarily") {
		t.Fatalf("a lasting configuration shown as an outage:\n%s", text)
	}
	b.shot("connect-no-powens-fr")
}

// TestBrowser_ConnectionStatesAgree: a connection whose added source waits
// for the person is not "OK" on the Banks page, and one with no account
// synchronised leads to choosing them.
func TestBrowser_ConnectionStatesAgree(t *testing.T) {
	t.Parallel() // see TestMain
	ctx := context.Background()
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) { srv.Aggregator = &aggregator.Service{} })
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	pid := int64(77)
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: pid, Token: "tok"}); err != nil {
		t.Fatal(err)
	}
	var halfway, empty *freenahi.Connection
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "states", PowensUserID: &pid, Auth: freenahi.AuthHMAC, Body: []byte("{}")}
	if _, err := s.ReceiveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.ClaimEvent(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	err = s.ProcessEvent(ctx, claimed, func(ctx context.Context, w freenahi.SyncWriter) error {
		// "Add more accounts" left half-way: the new source waits for an SCA.
		halfway = &freenahi.Connection{PowensID: 771, BankName: "Banque À Moitié", Active: true, Sources: []freenahi.ConnectionSource{
			{PowensID: 7711, Name: "directaccess"}, {PowensID: 7712, Name: "openapi", State: freenahi.StateSCARequired}}}
		// Back from an outage with no account chosen.
		empty = &freenahi.Connection{PowensID: 772, BankName: "Banque Vide", Active: true}
		for _, c := range []*freenahi.Connection{halfway, empty} {
			if err := w.UpsertConnection(ctx, c); err != nil {
				return err
			}
		}
		return w.UpsertAccount(ctx, &freenahi.Account{ConnectionID: halfway.ID, PowensID: 7713, PowensConnectionID: 771, Type: "checking",
			Name: "Compte", Currency: freenahi.Currency{Code: "EUR", Exponent: 2}, BalanceMinor: new(int64), Display: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	b := newTab(t, ts.URL)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.signIn("ana@example.com")
	b.open("/lang/fr?back=/connections")
	b.waitText("Banque Vide", false)
	b.shot("connections-states-fr")
	half, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(fmt.Sprintf(`section[aria-labelledby="c-%d"]`, halfway.ID))))
	if err != nil || contains(half, "Tout fonctionne") || !contains(half, "Réparer") {
		t.Fatalf("half-way connection (%v):\n%s", err, half)
	}
	emptyText, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(fmt.Sprintf(`section[aria-labelledby="c-%d"]`, empty.ID))))
	if err != nil || contains(emptyText, "Tout fonctionne") || !contains(emptyText, "Aucun compte n’est synchronisé") {
		t.Fatalf("connection without accounts (%v):\n%s", err, emptyText)
	}
	attr, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS(fmt.Sprintf(`section[aria-labelledby="c-%d"] a.button.primary`, empty.ID)), "href"))
	if href := attr.Value; err != nil || href != fmt.Sprintf("/connections/%d/accounts", empty.ID) {
		t.Fatalf("choose-accounts link %q (%v)", attr.Value, err)
	}
}
