package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/powenstest"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

func TestSyncAndWebview(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, agg := webtest.NewSandboxServer(t, s)
	u, _ := s.CreateUser(ctx, "ana@example.com", "")
	tok, _ := s.CreateAPIToken(ctx, u.ID, "t")

	// A connection made through Powens, known here only after a pull.
	var powensConn *powens.Connection
	err := agg.Do(ctx, u.ID, func(uc *powens.UserClient) error {
		var err error
		powensConn, _, err = powenstest.ConnectTestBank(ctx, uc, "demo")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := ts.Post(tok.Secret, "/api/v1/sync"); r.Status != http.StatusAccepted || !strings.Contains(string(r.Body), `"connections":1`) {
		t.Fatalf("sync: %d %s", r.Status, r.Body)
	}
	webtest.DrainInbox(t, s)
	conns, _ := s.FindConnections(ctx, u.ID)
	if len(conns) != 1 || conns[0].PowensID != powensConn.ID {
		t.Fatalf("connections after sync=%+v", conns)
	}
	if r := ts.Post(tok.Secret, "/api/v1/connections/"+itoa(conns[0].ID)+"/sync"); r.Status != http.StatusAccepted {
		t.Fatalf("connection sync: %d %s", r.Status, r.Body)
	}

	r := ts.Get(tok.Secret, "/api/v1/webview/reconnect?connection_id="+itoa(conns[0].ID))
	var link struct{ URL string }
	r.Decode(t, &link)
	u1, err := url.Parse(link.URL)
	if err != nil || !strings.Contains(u1.Path, "/fr/reconnect") || u1.Query().Get("code") == "" ||
		u1.Query().Get("connection_id") != itoa(powensConn.ID) || u1.Query().Get("domain") != "freenahi-sandbox" {
		t.Fatalf("reconnect link=%s", link.URL)
	}
	state := u1.Query().Get("state")

	t.Run("Callback", func(t *testing.T) {
		ts := ts.With(t)
		for _, tc := range []struct {
			query  string
			status int
			want   string
		}{
			// The connection is already ingested: the visit updated it.
			{"state=" + state + "&connection_id=" + itoa(powensConn.ID), 200, "1 connection updated"},
			// One freenahi has never seen is new: it is being imported.
			{"state=" + state + "&connection_id=" + itoa(powensConn.ID+1000), 200, "1 connection is being imported"},
			{"state=" + state + "&error=access_denied", 200, "You cancelled"},
			{"state=" + state + "&error=weird_new_code&error_description=hm", 200, "weird_new_code"},
			{"state=forged&connection_id=1", 403, "not one freenahi started"},
			{"state=" + state + "&connection_id=abc", 400, "malformed"},
		} {
			r := ts.Get("", "/webview/callback?"+tc.query)
			if r.Status != tc.status || !strings.Contains(string(r.Body), tc.want) {
				t.Errorf("%s: %d %s, want %d with %q", tc.query, r.Status, r.Body, tc.status, tc.want)
			}
		}
	})
	t.Run("OtherUsersConnection", func(t *testing.T) {
		b, _ := s.CreateUser(ctx, "bob@example.com", "")
		btok, _ := s.CreateAPIToken(ctx, b.ID, "t")
		ts := ts.With(t)
		if r := ts.Post(btok.Secret, "/api/v1/connections/"+itoa(conns[0].ID)+"/sync"); r.Status != http.StatusNotFound {
			t.Fatalf("bob syncing ana's connection: %d", r.Status)
		}
		if r := ts.Get(btok.Secret, "/api/v1/webview/reconnect?connection_id="+itoa(conns[0].ID)); r.Status != http.StatusNotFound {
			t.Fatalf("bob repairing ana's connection: %d", r.Status)
		}
	})
}

func TestSync_WithoutPowens(t *testing.T) {
	ts := webtest.NewServer(t, storetest.MustOpen(t, store.SQLite))
	u, _ := ts.Store.CreateUser(ctx, "a@example.com", "")
	tok, _ := ts.Store.CreateAPIToken(ctx, u.ID, "t")
	if r := ts.Post(tok.Secret, "/api/v1/sync"); r.Status != http.StatusServiceUnavailable || !strings.Contains(r.Problem(t).Detail, "POWENS_CLIENT_ID") {
		t.Fatalf("sync without Powens: %d %s", r.Status, r.Body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
