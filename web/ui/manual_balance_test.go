package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestUI_ManualBalance sets a manual account's balance on a day through
// its page: 50,00 on 2024-03-04, then the 100.00 received on 03-05 gives
// 150.00 (figures by hand); a bad amount shows the form again with its
// error and changes nothing; a synced account has no such form.
func TestUI_ManualBalance(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	base := importUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	c := webtest.NewClient(t, base)
	c.SignIn("ana@example.com")
	im := &bankfile.Importer{Store: s, Accounts: s}
	out, err := im.Import(context.Background(), bankfile.Request{UserID: ana.ID, Options: bankfile.Options{DayFirst: true},
		Data:       []byte("Date;Libellé;Montant\n02/03/2024;CB BOULANGERIE;-12,30\n05/03/2024;VIR RECU;100,00\n"),
		NewAccount: &freenahi.Account{Name: "Joint", Currency: freenahi.Currency{Code: "EUR"}}})
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/accounts/%d", out.Result.Account.ID)
	r := c.Get(page)
	webtest.MustContain(t, r, `action="`+page+`/balance"`, "Set the balance on a day", "87.70")
	r = c.Post(page+"/balance", url.Values{"date": {"2024-03-04"}, "balance": {"1 000,001"}})
	webtest.MustStatus(t, r, http.StatusBadRequest)
	webtest.MustContain(t, r, "Balance: 1000.001 has more decimals", `value="1 000,001"`)
	r = c.Follow(c.Post(page+"/balance", url.Values{"date": {"2024-03-04"}, "balance": {"50,00"}}))
	webtest.MustContain(t, r, "Balance saved.", "150.00")
	a, _ := s.FindAccountByID(context.Background(), ana.ID, out.Result.Account.ID)
	if *a.BalanceMinor != 15000 {
		t.Fatalf("balance %d, want 15000", *a.BalanceMinor)
	}
	accounts, _ := s.FindAccounts(context.Background(), freenahi.AccountFilter{UserID: ana.ID})
	for _, x := range accounts {
		if !x.Manual {
			webtest.MustNotContain(t, c.Get(fmt.Sprintf("/accounts/%d", x.ID)), "Set the balance on a day")
			webtest.MustStatus(t, c.Post(fmt.Sprintf("/accounts/%d/balance", x.ID), url.Values{"date": {"2024-03-04"}, "balance": {"1"}}), http.StatusBadRequest)
			break
		}
	}
	ben := webtest.MustUserWithPassword(t, s, "ben@example.com")
	cb := webtest.NewClient(t, base)
	cb.SignIn(ben.Email)
	webtest.MustStatus(t, cb.Post(page+"/balance", url.Values{"date": {"2024-03-04"}, "balance": {"1"}}), http.StatusNotFound)
	toFrench(t, c)
	webtest.MustContain(t, c.Get(page), "Indiquer le solde à une date")
}
