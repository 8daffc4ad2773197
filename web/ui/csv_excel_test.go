package ui_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestUITransactionCSV_FrenchExcel: French pages download what French
// Excel opens right (a byte order mark, ';', decimal commas), and offer
// the comma file; English pages the reverse; a wrong separator is refused.
func TestUITransactionCSV_FrenchExcel(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	a := webtest.MustUserWithData(t, s, "a@example.com", 42)
	c := webtest.NewClient(t, ts.URL)
	c.SignInAs(s, a.ID)
	read := func(body string, sep rune) map[string][]string {
		r := csv.NewReader(strings.NewReader(body))
		r.Comma = sep
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%v\n%s", err, body)
		}
		out := map[string][]string{}
		for _, row := range rows[1:] {
			out[row[5]] = row
		}
		return out
	}
	webtest.MustContain(t, c.Get("/transactions"), `separator=semicolon`, "CSV for Excel in French (semicolons)")
	r := c.Get("/transactions.csv")
	if strings.HasPrefix(r.Body, "\ufeff") || read(r.Body, ',')["CB CARREFOUR 13/01"][7] != "-12.30" {
		t.Fatalf("English default:\n%.200s", r.Body)
	}
	for _, path := range []string{"/transactions.csv?separator=semicolon", "/lang/fr?back=/"} {
		if path[1] == 'l' {
			c.Get(path)
			webtest.MustContain(t, c.Get("/transactions"), `separator=comma`, "CSV avec virgules")
			path = "/transactions.csv"
		}
		r = c.Get(path)
		webtest.MustStatus(t, r, http.StatusOK)
		body, ok := strings.CutPrefix(r.Body, "\xef\xbb\xbf") // UTF-8 byte order mark
		if !ok {
			t.Fatalf("%s: no byte order mark: %q", path, r.Body[:10])
		}
		rows := read(body, ';')
		if row := rows["CB CARREFOUR 13/01"]; row[7] != "-12,30" || row[8] != "EUR" {
			t.Errorf("%s: carrefour %q", path, row)
		}
		if row := rows["INTERETS"]; row[7] != "0,001" {
			t.Errorf("%s: TND %q", path, row)
		}
	}
	r = c.Get("/transactions.csv?separator=comma")
	if strings.HasPrefix(r.Body, "\ufeff") || read(r.Body, ',')["CB CARREFOUR 13/01"][7] != "-12.30" {
		t.Fatalf("comma file on a French page:\n%.200s", r.Body)
	}
	r = c.Get("/transactions.csv?separator=tab")
	webtest.MustStatus(t, r, http.StatusBadRequest)
	webtest.MustContain(t, r, "Séparateur")
}
