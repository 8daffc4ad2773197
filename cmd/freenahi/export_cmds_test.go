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
	"time"

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
	if got := tm.run("", "export", "camt053", "--account", id, "--from", "2025-01-01", "--to", "2025-01-31"); !strings.Contains(got, `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">`) ||
		strings.Count(got, "<Ntry>") != 2 {
		t.Fatalf("camt053: %q", got)
	}
	if got := tm.run("", "export", "ofx", "--account", id, "--from", "2025-01-01", "--to", "2025-01-31"); !strings.Contains(got, `<?OFX OFXHEADER="200" VERSION="220"`) ||
		strings.Count(got, "<STMTTRN>") != 2 {
		t.Fatalf("ofx: %q", got)
	}
	// A period past the last bank day that has ended stops there, and says so.
	m, stdout, stderr := tm.main("")
	if err := m.Run(context.Background(), []string{"export", "cfonb", "--account", id, "--from", "2025-01-01", "--to", "2079-12-31"}); err != nil {
		t.Fatal(err)
	}
	last := freenahi.LastEndedBankDay(time.Now())
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\r\n"), "\r\n")
	closing := lines[len(lines)-1]
	if !strings.Contains(stderr.String(), "the period stops at "+last.String()+", the last bank day that has ended") ||
		closing[:2] != "07" || closing[34:40] != last.Time().Format("020106") {
		t.Fatalf("a period into the future: stderr %q, last record %q", stderr.String(), closing)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "cfonb", "--from", "2025-01-01", "--to", "2025-01-31"}, "--account is required"},
		{[]string{"export", "ofx", "--account", id, "--from", "2079-01-01", "--to", "2079-01-31"}, "has not ended yet"},
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
	if out := tm.run("", "inqom", "status"); strings.Contains(out, "csecret") || strings.Contains(out, "pw\n") || !strings.Contains(out, "FR76") {
		t.Fatalf("a secret was printed, or the mapping is not listed: %s", out)
	}
	// A link Inqom refuses (no rights on dossier 6) creates nothing.
	if err := tm.runErr("", "inqom", "link", "--account", strconv.FormatInt(french, 10), "--dossier", "6", "--additional"); err == nil {
		t.Fatal("linking to a dossier without rights succeeded")
	}
	out := tm.run("", "inqom", "unlink", "--mapping", "1")
	for _, want := range []string{"unlinked mapping 1: nothing more is sent to Inqom dossier 5.",
		"waiting stay in freenahi and are not sent; files already sent stay in Inqom.", "resumes where it stopped, sending nothing twice"} {
		if !strings.Contains(out, want) {
			t.Fatalf("unlink says %q, want %q", out, want)
		}
	}
	if err := tm.runErr("", "inqom", "unlink", "--mapping", "1"); err == nil {
		t.Fatal("unlinking twice succeeded")
	}
	// status lists linked mappings, one row each with its IBAN: none is left.
	if out := tm.run("", "inqom", "status"); strings.Contains(out, "FR76") {
		t.Fatalf("status after unlink and a refused link: %s", out)
	}
}
