package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens/powenstest"
	"github.com/freenahi/freenahi/seal"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// `freenahi copy` to PostgreSQL, killed with SIGKILL after it committed part
// of the transactions (as a power cut or an impatient operator would), is
// refused by a server, then resumed by running it again; the target ends
// holding exactly the source's rows, per account the same count and sum.
func TestCommands_CopyKilledThenResumed(t *testing.T) {
	testenv.SkipIfShort(t, "copies transactions in a child process")
	src := newTestMain(t, store.SQLite)
	keyText, err := seal.GenerateKeyText()
	if err != nil {
		t.Fatal(err)
	}
	src.env["FREENAHI_SECRET_KEY"] = keyText
	key, _ := seal.ParseKey(keyText)
	ctx := context.Background()
	s, err := store.Open(ctx, src.env["FREENAHI_DATABASE_URL"], store.Options{Secrets: key, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(ctx, "ana@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	powensUser := int64(42)
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: powensUser, Token: "tok"}); err != nil {
		t.Fatal(err)
	}
	body := powenstest.Synced{WebhookDataID: 1, PowensUserID: powensUser, ConnectionID: 1, Accounts: 3, TransactionsPerAccount: 1_000, Seed: 7}.Bytes()
	if _, err := s.ReceiveEvent(ctx, &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "p42/wd:1",
		PowensUserID: &powensUser, Auth: freenahi.AuthHMAC, Body: body}); err != nil {
		t.Fatal(err)
	}
	if n, err := (&ingest.Worker{Inbox: s, MaxAttempts: 1}).Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain: %d %v", n, err)
	}
	s.Close()
	want := accountSums(t, store.SQLiteDriver, strings.TrimPrefix(src.env["FREENAHI_DATABASE_URL"], "sqlite:"))
	if len(want) != 3 {
		t.Fatalf("source accounts: %v", want)
	}

	// The copy, in a child process, killed after its first commit of transactions.
	pg := storetest.URL(t, store.Postgres)
	args, _ := json.Marshal([]string{"copy", "--to", pg, "--commit-every", "100"})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+string(args))
	for k, v := range src.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	progress, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	committed := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(progress)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "transactions:") { // "  transactions: 100 rows…", after a commit
				close(committed)
				break
			}
		}
		for sc.Scan() {
		}
	}()
	select {
	case <-committed:
	case <-time.After(5 * time.Minute):
		t.Fatal("the copy never reported a commit of transactions")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("the copy finished before it could be killed")
	}
	var loaded int
	db, err := sql.Open("pgx", pg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT count(*) FROM transactions`).Scan(&loaded); err != nil || loaded == 0 || loaded >= 3_000 {
		t.Fatalf("after SIGKILL the target holds %d of 3,000 transactions (%v), want a part", loaded, err)
	}

	// A server refuses the half-copied database, saying why.
	half := newTestMain(t, store.SQLite)
	half.env["FREENAHI_DATABASE_URL"] = pg
	half.env["FREENAHI_SECRET_KEY"] = keyText
	if err := half.runErr("", "user", "list"); err == nil || !strings.Contains(err.Error(), "did not finish") {
		t.Fatalf("using the half-copied database: %v, want a refusal", err)
	}

	// Run again: it resumes where the kill left it.
	out := src.run("", "copy", "--to", pg)
	if !strings.Contains(out, "resumed an interrupted run") || !strings.Contains(out, "copied") {
		t.Fatalf("second copy:\n%s", out)
	}
	if got := accountSums(t, "pgx", pg); !maps.Equal(got, want) {
		t.Fatalf("after the resumed copy, per account (count, sum): %v, want %v", got, want)
	}
	if out := half.run("", "user", "list"); !strings.Contains(out, "ana@example.com") {
		t.Fatalf("users on the copy: %s", out)
	}
}

// accountSums reads, with plain SQL apart from the store, each account's
// number of transactions and their sum in minor units, by Powens id.
func accountSums(t *testing.T, driver, dsn string) map[int64][2]int64 {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT a.powens_id, count(t.id), COALESCE(sum(t.value_minor), 0)
		FROM accounts a LEFT JOIN transactions t ON t.account_id = a.id GROUP BY a.powens_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64][2]int64{}
	for rows.Next() {
		var id, n, sum int64
		if err := rows.Scan(&id, &n, &sum); err != nil {
			t.Fatal(err)
		}
		out[id] = [2]int64{n, sum}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
