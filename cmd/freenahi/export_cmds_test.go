package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/cfonb"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/inqom/sandbox"
	"github.com/freenahi/freenahi/seal"
	"github.com/freenahi/freenahi/store"
)

// newExportMain is a testMain whose database holds the ingest fixture for
// ana@example.com; it returns the ids of her French EUR account and of an
// account without IBAN.
func newExportMain(t *testing.T) (*testMain, int64, int64) {
	t.Helper()
	tm := newTestMain(t, store.SQLite)
	keyText, err := seal.GenerateKeyText()
	if err != nil {
		t.Fatal(err)
	}
	tm.env["FREENAHI_SECRET_KEY"] = keyText
	key, _ := seal.ParseKey(keyText)
	ctx := context.Background()
	s, err := store.Open(ctx, tm.env["FREENAHI_DATABASE_URL"], store.Options{Secrets: key, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.CreateUser(ctx, "ana@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	powensUser := int64(42)
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: powensUser, Token: "tok"}); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile("../../ingest/testdata/connection_synced.json")
	if err != nil {
		t.Fatal(err)
	}
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "k", PowensUserID: &powensUser,
		Auth: freenahi.AuthHMAC, Body: body}
	if _, err := s.ReceiveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	if n, err := (&ingest.Worker{Inbox: s, MaxAttempts: 1}).Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain: %d %v", n, err)
	}
	accounts, _ := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: u.ID})
	var french, other int64
	for _, a := range accounts {
		switch {
		case strings.HasPrefix(a.IBAN, "FR"):
			french = a.ID
		case a.IBAN == "" && a.Currency.Code == "EUR":
			other = a.ID
		}
	}
	return tm, french, other
}

func TestExportCommands(t *testing.T) {
	tm, french, other := newExportMain(t)
	id := strconv.FormatInt(french, 10)
	out := filepath.Join(t.TempDir(), "releve.txt")
	tm.run("", "export", "cfonb", "--account", id, "--from", "2025-01-01", "--to", "2025-01-31", "-o", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	r := cfonb.NewReader(bytes.NewReader(b))
	n := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the written file does not read back: %v", err)
		}
		n++
	}
	if n != 2 {
		t.Fatalf("%d statements, want one per bank day with movements", n)
	}
	if got := tm.run("", "export", "cfonb", "--account", id, "--from", "2025-01-01", "--to", "2025-01-31", "--per-period"); strings.Count(got, "\r\n") != 2+2+2 {
		t.Fatalf("per period: %q", got)
	}
	if got := tm.run("", "export", "csv", "--account", id, "--from", "2025-01-01", "--to", "2025-01-31", "--email", "ana@example.com"); !strings.HasPrefix(got, "date;value_date;amount;") {
		t.Fatalf("csv: %q", got)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "cfonb", "--from", "2025-01-01", "--to", "2025-01-31"}, "--account is required"},
		{[]string{"export", "cfonb", "--account", id, "--from", "2025-01-01"}, "--to is required"},
		{[]string{"export", "cfonb", "--account", strconv.FormatInt(other, 10), "--from", "2025-01-01", "--to", "2025-01-31", "-o", out + ".2"}, "has no IBAN"},
	} {
		if err := tm.runErr("", c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("freenahi %s: %v, want %q", strings.Join(c.args, " "), err, c.want)
		}
	}
	if _, err := os.Stat(out + ".2"); err == nil {
		t.Fatal("a refused export left a file behind")
	}
}

func TestInqomCommands(t *testing.T) {
	tm, french, _ := newExportMain(t)
	sb := sandbox.New(sandbox.Config{ClientID: "cid", ClientSecret: "csecret",
		Users: map[string]string{"compta@example.com": "pw"}, Dossiers: map[string][]int64{"compta@example.com": {5}}})
	srv := httptest.NewServer(sb)
	defer func() { sb.Close(); srv.Close() }()
	// A local Inqom (plain http on this computer) only when the operator allows it.
	credentials := []string{"inqom", "credentials", "--email", "ana@example.com", "--username", "compta@example.com",
		"--client-id", "cid", "--auth-url", srv.URL + sandbox.TokenPath, "--banking-url", srv.URL}
	if err := tm.runErr("pw\ncsecret\n", credentials...); err == nil || !strings.Contains(err.Error(), "auth_url: must not be an address of this computer") {
		t.Fatalf("credentials for a loopback Inqom, not allowed: %v", err)
	}
	if err := tm.runErr("pw\ncsecret\n", "inqom", "credentials", "--email", "ana@example.com", "--username", "compta@example.com",
		"--client-id", "cid", "--auth-url", "http://inqom.example/token"); err == nil || !strings.Contains(err.Error(), "auth_url: must be an https address") {
		t.Fatalf("credentials over plain http: %v", err)
	}
	tm.env["FREENAHI_INQOM_ALLOW_LOOPBACK"] = "true"
	tm.run("pw\ncsecret\n", credentials...)
	if out := tm.run("", "inqom", "link", "--account", strconv.FormatInt(french, 10), "--dossier", "5"); !strings.Contains(out, "registered in Inqom") {
		t.Fatalf("link: %s", out)
	}
	if out := tm.run("", "inqom", "push"); !strings.Contains(out, "1 sent") {
		t.Fatalf("push: %s", out)
	}
	if len(sb.Imports(5)) == 0 {
		t.Fatal("nothing reached Inqom")
	}
	if out := tm.run("", "inqom", "status", "--mapping", "1"); !strings.Contains(out, "freenahi-m1-b00001-") {
		t.Fatalf("status: %s", out)
	}
	file := filepath.Join(t.TempDir(), "b1.txt")
	tm.run("", "inqom", "file", "--batch", "1", "-o", file)
	if b, _ := os.ReadFile(file); !bytes.HasPrefix(b, []byte("01")) {
		t.Fatalf("file: %q", b)
	}
	if err := tm.runErr("", "inqom", "resolve", "--batch", "1", "--action", "retry"); err == nil || !strings.Contains(err.Error(), "is already sent") {
		t.Fatalf("resolve a sent file: %v", err)
	}
	// The secrets were read from stdin and never printed back.
	if out := tm.run("", "inqom", "status"); strings.Contains(out, "csecret") || strings.Contains(out, "pw\n") {
		t.Fatal("a secret was printed")
	}
}
