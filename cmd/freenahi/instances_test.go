package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/powenstest"
	"github.com/freenahi/freenahi/seal"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// childEnv makes the test binary run `freenahi serve` instead of the tests,
// so that the instances test starts real processes it can SIGKILL.
const childEnv = "FREENAHI_TEST_SERVE_CHILD"

// childArgsEnv makes the test binary run the freenahi command line it holds
// (JSON), so that a test can SIGKILL any command in the middle.
const childArgsEnv = "FREENAHI_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if raw := os.Getenv(childArgsEnv); raw != "" {
		var args []string
		if err := json.Unmarshal([]byte(raw), &args); err != nil {
			fmt.Fprintln(os.Stderr, "child args:", err)
			os.Exit(2)
		}
		fm := NewMain()
		fm.LookupEnv = os.LookupEnv
		if err := fm.Run(context.Background(), args); err != nil {
			fmt.Fprintln(os.Stderr, "freenahi:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if os.Getenv(childEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		fm := NewMain()
		fm.LookupEnv = os.LookupEnv
		fm.OnListen = func(url string) { fmt.Println("LISTENING " + url) }
		if err := fm.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}); err != nil {
			fmt.Fprintln(os.Stderr, "serve:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// instance is a `freenahi serve` process.
type instance struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
}

func startInstance(t *testing.T, env map[string]string) *instance {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in := &instance{cmd: cmd, stderr: &syncBuffer{}}
	cmd.Stderr = in.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// Wait for the instance to say it listens, or to end: a condition, not
	// a clock (a loaded machine once took over 40 s to start a -race binary
	// and migrate). The bound only stops a hung start from taking the
	// package's whole timeout.
	lines, ended := make(chan string, 1), make(chan struct{})
	go func() {
		defer close(ended) // stdout closed: the process has ended
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if url, ok := strings.CutPrefix(sc.Text(), "LISTENING "); ok {
				lines <- url
			}
		}
	}()
	select {
	case in.url = <-lines:
	case <-ended:
		t.Fatalf("instance ended before it listened:\n%s", in.stderr)
	case <-time.After(5 * time.Minute):
		t.Fatalf("instance did not listen within 5 minutes:\n%s", in.stderr)
	}
	return in
}

// deliver posts a signed connection_synced webhook and expects 2xx.
func deliver(t *testing.T, in *instance, body []byte) {
	t.Helper()
	const path = "/webhook/connection_synced/"
	req, _ := http.NewRequest("POST", in.url+path, bytes.NewReader(body))
	date := powens.SignatureDate(time.Now())
	req.Header.Set(powens.HeaderSignatureDate, date)
	req.Header.Set(powens.HeaderSignature, powens.Sign("s3cret", "POST", path, date, body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("delivery to %s: %s", in.url, resp.Status)
	}
}

// expected reads a payload with encoding/json and math/big, apart from
// freenahi's parser: per Powens account id, the transactions and their sum
// in cents.
func expected(t *testing.T, body []byte, into map[int64]*accountSum) {
	var p struct {
		Connection struct {
			Accounts []struct {
				ID           int64 `json:"id"`
				Transactions []struct {
					ID    int64       `json:"id"`
					Value json.Number `json:"value"`
				} `json:"transactions"`
			} `json:"accounts"`
		} `json:"connection"`
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&p); err != nil {
		t.Fatal(err)
	}
	for _, a := range p.Connection.Accounts {
		s := into[a.ID]
		if s == nil {
			s = &accountSum{ids: map[int64]*big.Rat{}}
			into[a.ID] = s
		}
		for _, tx := range a.Transactions {
			v, ok := new(big.Rat).SetString(tx.Value.String())
			if !ok {
				t.Fatalf("value %q", tx.Value)
			}
			s.ids[tx.ID] = v
		}
	}
}

type accountSum struct{ ids map[int64]*big.Rat }

func (a *accountSum) cents() string {
	sum := new(big.Rat)
	for _, v := range a.ids {
		sum.Add(sum, v)
	}
	return new(big.Rat).Mul(sum, big.NewRat(100, 1)).FloatString(0)
}

// Three `serve` processes on one PostgreSQL: an instance is SIGKILLed in
// the middle of processing a large event, webhooks (each delivered twice,
// to two different instances) go to all of them, and every event ends
// processed once: stored once, the killed one taken over by another
// instance, and every account holding exactly the transactions and sum of
// the payloads, as read by an independent parser. The test does not wait
// for the inbox lease: it ends the dead instance's lease in the database, as
// time would, so it does not depend on the lease's length.
func TestInstances_ThreeServeProcessesOnePostgres(t *testing.T) {
	testenv.SkipIfShort(t, "starts four processes")
	url := storetest.URL(t, store.Postgres)
	key, _ := seal.GenerateKeyText()
	env := map[string]string{
		"FREENAHI_DATABASE_URL": url, "FREENAHI_DATA_DIR": t.TempDir(), "FREENAHI_SECRET_KEY": key,
		"POWENS_WEBHOOK_SECRET": "s3cret", "SERVER_LOG_LEVEL": "warn", "FREENAHI_WORKERS": "2",
	}
	admin := &testMain{t: t, env: env}
	for i := range 3 {
		email := fmt.Sprintf("user%d@example.com", i)
		admin.run("", "user", "create", "--email", email)
		admin.run(fmt.Sprintf("tok-%d\n", i), "user", "link-powens", "--email", email, "--powens-user-id", fmt.Sprint(101+i), "--powens-token-stdin")
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	want := map[int64]*accountSum{}

	// The victim, alone, receives a large event and starts processing it.
	victim := startInstance(t, env)
	large := powenstest.Synced{WebhookDataID: 1, PowensUserID: 101, ConnectionID: 1, Accounts: 4, TransactionsPerAccount: 10_000, Seed: 1}.Bytes()
	expected(t, large, want)
	deliver(t, victim, large)
	var id int64
	testenv.WaitFor(t, 30*time.Second, "the large event to be processing", func() bool {
		return db.QueryRow(`SELECT id FROM webhook_events WHERE delivery_key = 'p101/wd:1' AND status = 'processing'`).Scan(&id) == nil
	})
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	victim.cmd.Wait()
	var status string
	var stored int
	db.QueryRow(`SELECT status FROM webhook_events WHERE id = $1`, id).Scan(&status)
	db.QueryRow(`SELECT count(*) FROM transactions`).Scan(&stored)
	if status != "processing" || stored != 0 {
		t.Fatalf("after SIGKILL: event %s, %d transactions stored; want it caught in the middle, nothing half-written", status, stored)
	}

	// Three instances (one of them the victim, restarted); webhooks to all.
	instances := []*instance{startInstance(t, env), startInstance(t, env), startInstance(t, env)}
	t.Cleanup(func() { // on failure, say why: the inbox as it stands and what each instance logged
		if !t.Failed() {
			return
		}
		rows, err := db.Query(`SELECT id, status, attempts, last_error FROM webhook_events ORDER BY id`)
		if err == nil {
			for rows.Next() {
				var id, attempts int64
				var status, lastError string
				rows.Scan(&id, &status, &attempts, &lastError)
				t.Logf("event %d: %s after %d attempts; last error %q", id, status, attempts, lastError)
			}
			rows.Close()
		}
		for i, in := range instances {
			in.cmd.Process.Kill()
			in.cmd.Wait()
			t.Logf("instance %d logged:\n%s", i, in.stderr)
		}
	})
	deliveries := 1
	for i := range 9 {
		body := powenstest.Synced{WebhookDataID: int64(10 + i), PowensUserID: int64(101 + i%3), ConnectionID: int64(10 + i),
			Accounts: 2, TransactionsPerAccount: 300, Seed: uint64(i)}.Bytes()
		expected(t, body, want)
		deliver(t, instances[i%3], body)
		deliver(t, instances[(i+1)%3], body) // Powens may deliver twice
		deliveries += 2
	}
	// Only the dead victim's claim (the first attempt): an instance that
	// already took the event over holds a live lease.
	if _, err := db.Exec(`UPDATE webhook_events SET lease_until = 0 WHERE id = $1 AND status = 'processing' AND attempts = 1`, id); err != nil {
		t.Fatal(err)
	}
	testenv.WaitFor(t, 5*time.Minute, "every event processed", func() bool {
		var left int
		db.QueryRow(`SELECT count(*) FROM webhook_events WHERE status <> 'processed'`).Scan(&left)
		return left == 0
	})

	var events, attempts int
	db.QueryRow(`SELECT count(*) FROM webhook_events`).Scan(&events)
	db.QueryRow(`SELECT attempts FROM webhook_events WHERE id = $1`, id).Scan(&attempts)
	// Taken over at least once. More than once is allowed: on a loaded
	// machine a lease can end while its holder is stalled, and the fenced
	// claims make that a retry, never a second write (the sums below).
	if events != 10 || attempts < 2 {
		t.Errorf("%d deliveries stored as %d events (want 10); the killed event took %d attempts (want at least 2)", deliveries, events, attempts)
	}
	rows, err := db.Query(`SELECT a.powens_id, count(t.id), CAST(COALESCE(sum(t.value_minor), 0) AS TEXT), count(DISTINCT t.powens_id)
		FROM accounts a LEFT JOIN transactions t ON t.account_id = a.id GROUP BY a.powens_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var powensID int64
		var n, distinct int
		var sum string
		if err := rows.Scan(&powensID, &n, &sum, &distinct); err != nil {
			t.Fatal(err)
		}
		w := want[powensID]
		if w == nil {
			t.Errorf("account %d was not in any payload", powensID)
			continue
		}
		seen++
		if n != len(w.ids) || distinct != n || sum != w.cents() {
			t.Errorf("account %d: %d transactions (%d distinct) summing to %s cents, want %d summing to %s", powensID, n, distinct, sum, len(w.ids), w.cents())
		}
	}
	if seen != len(want) {
		t.Errorf("%d accounts stored, %d in the payloads", seen, len(want))
	}
	for _, in := range instances {
		if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if err := in.cmd.Wait(); err != nil {
			t.Errorf("instance %s stopped with %v:\n%s", in.url, err, in.stderr)
		}
	}
}
