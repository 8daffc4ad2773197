package api_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/cfonb"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/inqom/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// exportServer is a test server with statements and an Inqom exporter; the
// returned function gives a user credentials for a local Inqom sandbox.
func exportServer(t *testing.T, s *store.Store) (*webtest.Server, *sandbox.Server, func(userID int64)) {
	t.Helper()
	sb := sandbox.New(sandbox.Config{ClientID: "cid", ClientSecret: "csecret",
		Users: map[string]string{"compta@example.com": "pw"}, Dossiers: map[string][]int64{"compta@example.com": {77, 79}}})
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { sb.Close(); srv.Close() })
	clients := &export.Clients{Store: s, AllowLoopback: true} // the sandbox is on this computer
	pusher := &export.Pusher{Ledger: s, Importer: clients.Importer}
	ts := webtest.NewServer(t, s, func(w *web.Server) {
		w.Statements, w.Inqom = &export.Exporter{Source: s}, pusher
	})
	credentials := func(userID int64) {
		err := s.SaveInqomCredentials(ctx, &freenahi.InqomCredentials{UserID: userID, Username: "compta@example.com",
			Password: "pw", ClientID: "cid", ClientSecret: "csecret", AuthURL: srv.URL + sandbox.TokenPath, BankingURL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
	}
	return ts, sb, credentials
}

func TestAPI_Export(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts, _, _ := exportServer(t, s)
		ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
		bob := webtest.MustUserWithData(t, s, "bob@example.com", 43)
		acct := webtest.FrenchAccount(t, s, ana.ID)
		base := "/api/v1/accounts/" + itoa(acct.ID)

		t.Run("CFONB", func(t *testing.T) {
			r := ts.With(t).Get(ana.Token, base+"/export.cfonb?from=2025-01-01&to=2025-01-31")
			if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") ||
				!strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("%d %v %s", r.Status, r.Header, r.Body)
			}
			rd := cfonb.NewReader(bytes.NewReader(r.Body))
			var last *cfonb.Statement
			movements := 0
			for {
				st, err := rd.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				last, movements = st, movements+len(st.Movements)
			}
			// Exact to the cent at 123,456,789.99; the coming transaction is left out.
			if last.ClosingMinor != 12345678999 || movements != 2 {
				t.Fatalf("closing %d with %d movements, want 12345678999 with 2", last.ClosingMinor, movements)
			}
		})
		t.Run("CSV", func(t *testing.T) {
			r := ts.With(t).Get(ana.Token, base+"/export.csv?from=2025-01-01&to=2025-01-31&separator=,")
			if r.Status != 200 || !strings.HasPrefix(string(r.Body), "date,value_date,amount") || !strings.Contains(string(r.Body), "123456789.99") {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
		})
		for _, c := range []struct {
			name, token, path, field string
			status                   int
		}{
			{"NoFrom", ana.Token, base + "/export.cfonb?to=2025-01-31", "from", 400},
			{"UnknownParameter", ana.Token, base + "/export.cfonb?from=2025-01-01&to=2025-01-31&format=x", "format", 400},
			{"BadSeparator", ana.Token, base + "/export.csv?from=2025-01-01&to=2025-01-31&separator=|", "separator", 400},
			{"NotYours", bob.Token, base + "/export.cfonb?from=2025-01-01&to=2025-01-31", "", 404},
			{"NoToken", "", base + "/export.cfonb?from=2025-01-01&to=2025-01-31", "", 401},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := ts.With(t).Get(c.token, c.path)
				if p := r.Problem(t); r.Status != c.status || p.Field != c.field {
					t.Fatalf("%d %+v, want %d naming %q", r.Status, p, c.status, c.field)
				}
			})
		}
		t.Run("NoFrenchIBAN", func(t *testing.T) {
			accounts, _ := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: ana.ID})
			var jpy *freenahi.Account
			for _, a := range accounts {
				if a.Currency.Code == "JPY" {
					jpy = a
				}
			}
			path := "/api/v1/accounts/" + itoa(jpy.ID) + "/export.cfonb?from=2025-01-01&to=2025-01-31"
			r := ts.With(t).Get(ana.Token, path)
			if p := r.Problem(t); r.Status != 400 || p.Field != "rib" || !strings.Contains(p.Detail, "no IBAN") {
				t.Fatalf("%d %+v", r.Status, p)
			}
			r = ts.With(t).Get(ana.Token, path+"&rib=30006+00001+12345678901+89")
			if r.Status != 200 || !bytes.Contains(r.Body, []byte("JPY0")) {
				t.Fatalf("with a RIB: %d %s", r.Status, r.Body)
			}
		})
	})
}

func TestAPI_Export_NotConfigured(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts := webtest.NewServer(t, s)
	ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
	for _, path := range []string{"/api/v1/accounts/1/export.cfonb?from=2025-01-01&to=2025-01-31", "/api/v1/inqom/mappings"} {
		if r := ts.Get(ana.Token, path); r.Status != http.StatusServiceUnavailable {
			t.Fatalf("%s: %d, want 503", path, r.Status)
		}
	}
}
