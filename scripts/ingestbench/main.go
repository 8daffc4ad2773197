// Command ingestbench measures freenahi's ingest end to end — a signed
// CONNECTION_SYNCED posted to a real `freenahi serve`, until the event is
// processed — and, in the same run on the same machine, a reference: the raw
// insert rate of the same database driver into a plain table with as many
// columns as freenahi's transactions table, no index, one transaction. The
// machine is shared and its speed moves; the ratio of the two does not.
//
//	go build -o /tmp/freenahi ./cmd/freenahi
//	go run ./scripts/ingestbench -bin /tmp/freenahi [-pg postgres://…] [-accounts 10] [-tx 5000] [-runs 3] [-memory]
//
// scripts/ingestbench.sh builds and runs it on SQLite and, when
// FREENAHI_TEST_POSTGRES_URL is set, PostgreSQL. With -memory it reports the
// server's peak RSS (VmHWM of the child process) while acknowledging a body
// and, separately, while processing it.
package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/freenahi/freenahi/internal/procstat"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/powenstest"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3" // the driver freenahi's store wraps
)

const (
	secret     = "ingestbench-secret"
	powensUser = 4242
	email      = "bench@example.com"
)

func main() {
	bin := flag.String("bin", "", "the freenahi binary to measure (required)")
	pg := flag.String("pg", "", "a PostgreSQL URL whose role may create databases; empty: SQLite only")
	engines := flag.String("engines", "sqlite,postgres", "engines to measure (postgres needs -pg)")
	accounts := flag.Int("accounts", 10, "accounts in the payload")
	tx := flag.Int("tx", 5000, "transactions per account")
	runs := flag.Int("runs", 3, "measured deliveries per engine (each a first sync, then its re-delivery)")
	memory := flag.Bool("memory", false, "report the server's peak RSS while acknowledging and while processing instead")
	linked := flag.Bool("linked", false, "with -memory, also the peak RSS from POST until processed for a user linked beforehand (the body handed to the worker)")
	flag.Parse()
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "ingestbench: -bin is required")
		os.Exit(2)
	}
	b := &bench{bin: *bin, accounts: *accounts, tx: *tx}
	// A large first sync (10 × 50,000 is about 210 MB) needs the body
	// bound raised above its 64 MiB default, and the 60 s server timeouts
	// longer than its acknowledgement, as its operator would set them.
	if size := int64(len(b.payload(1, false, powensUser))); size > 64<<20 {
		os.Setenv("FREENAHI_WEBHOOK_MAX_BYTES", strconv.FormatInt(size+1<<20, 10))
		os.Setenv("SERVER_TIMEOUT_READ", "10m")
		os.Setenv("SERVER_TIMEOUT_WRITE", "10m")
	}
	for _, engine := range strings.Split(*engines, ",") {
		if engine == "postgres" && *pg == "" {
			continue
		}
		var err error
		if *memory {
			err = b.memory(engine, *pg)
			if err == nil && *linked {
				err = b.memoryLinked(engine, *pg)
			}
		} else {
			err = b.speed(engine, *pg, *runs)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "ingestbench %s: %v\n", engine, err)
			os.Exit(1)
		}
	}
}

type bench struct {
	bin          string
	accounts, tx int
}

func (b *bench) rows() int { return b.accounts * b.tx }

// payload is delivery n: connection n with its own transaction ids, so
// each run is the first sync of a new connection; again re-delivers it
// under a new delivery id (same data, nothing to change).
func (b *bench) payload(n int, again bool, user int64) []byte {
	delivery := int64(n)
	if again {
		delivery += 1_000_000
	}
	return powenstest.Synced{WebhookDataID: delivery, PowensUserID: user, ConnectionID: int64(n), Accounts: b.accounts,
		TransactionsPerAccount: b.tx, FirstTransactionID: int64(1 + (n-1)*b.rows()), Seed: uint64(n)}.Bytes()
}

// speed prints, per run, the reference insert rate and freenahi's end-to-end
// rate for a first delivery and its re-delivery.
func (b *bench) speed(engine, pg string, runs int) error {
	srv, err := start(b.bin, engine, pg)
	if err != nil {
		return err
	}
	defer srv.stop()
	if err := srv.cli(srv.token+"\n", "user", "link-powens", "--email", email, "--powens-user-id", strconv.Itoa(powensUser), "--powens-token-stdin"); err != nil {
		return err
	}
	fmt.Printf("== %s: %d accounts × %d transactions per delivery (%s body)\n", engine, b.accounts, b.tx, mib(len(b.payload(1, false, powensUser))))
	var ref, first, again, firstCPU, againCPU []float64
	for n := 1; n <= runs; n++ {
		r, err := rawInsertRate(srv, b.rows())
		if err != nil {
			return fmt.Errorf("reference: %w", err)
		}
		ref = append(ref, r)
		for _, redelivery := range []bool{false, true} {
			body := b.payload(n, redelivery, powensUser)
			cpu0 := srv.cpu()
			ack, total, err := srv.deliverAndWait(body, deliveryKey(body))
			if err != nil {
				return err
			}
			// The server's own CPU per 1,000 transactions, which the
			// machine's other load moves less than the wall time (it
			// leaves out the PostgreSQL server's share).
			cpuK := ms(srv.cpu()-cpu0) / float64(b.rows()) * 1000
			rate := float64(b.rows()) / total.Seconds()
			what := "first    "
			if redelivery {
				what = "redeliver"
				again, againCPU = append(again, rate), append(againCPU, cpuK)
			} else {
				first, firstCPU = append(first, rate), append(firstCPU, cpuK)
			}
			fmt.Printf("run %d %s: ack %6.0f ms, processed after %6.0f ms: %8.0f tx/s, server CPU %5.1f ms/1000 tx   (reference %8.0f rows/s, ratio %.2f)\n",
				n, what, ms(ack), ms(total), rate, cpuK, r, rate/r)
		}
	}
	fmt.Printf("%s median: first %.0f tx/s, re-delivery %.0f tx/s; reference raw insert %.0f rows/s; ratios %.2f and %.2f; server CPU %.1f and %.1f ms/1000 tx; load average %s\n\n",
		engine, median(first), median(again), median(ref), median(first)/median(ref), median(again)/median(ref),
		median(firstCPU), median(againCPU), loadavg())
	return nil
}

// memory prints the server's peak RSS while it acknowledges one body (for
// a Powens user not linked yet, so nothing is processed), then, after the
// counter is reset, while it processes that body once the user is linked.
func (b *bench) memory(engine, pg string) error {
	srv, err := start(b.bin, engine, pg)
	if err != nil {
		return err
	}
	defer srv.stop()
	body := b.payload(1, false, powensUser)
	size := len(body)
	startKiB := srv.resetPeak()
	t0 := time.Now()
	if err := srv.deliver(body); err != nil {
		return err
	}
	ack := time.Since(t0)
	ackKiB := srv.status("VmHWM")
	key := deliveryKey(body)
	body = nil
	procStartKiB := srv.resetPeak()
	t1 := time.Now()
	if err := srv.cli(srv.token+"\n", "user", "link-powens", "--email", email, "--powens-user-id", strconv.Itoa(powensUser), "--powens-token-stdin"); err != nil {
		return err
	}
	if err := srv.waitProcessed(key); err != nil {
		return err
	}
	procKiB := srv.status("VmHWM")
	// Peaks are the whole process's RSS; beside each, what it grew above
	// the RSS of the moment the phase began (the idle server's, then what
	// the acknowledgement left), both per byte of body.
	fmt.Printf("== %s, %s body (%d × %d), idle server %s\n", engine, mib(size), b.accounts, b.tx, mib(int(startKiB)<<10))
	fmt.Printf("   acknowledging (%.0f ms): peak RSS %s = %.2f× body; grew %s = %.2f× body\n", ms(ack),
		mib(int(ackKiB)<<10), float64(ackKiB<<10)/float64(size), mib(int(ackKiB-startKiB)<<10), float64((ackKiB-startKiB)<<10)/float64(size))
	fmt.Printf("   processing (%.0f ms, from RSS %s): peak RSS %s = %.2f× body; grew %s = %.2f× body\n", ms(time.Since(t1)),
		mib(int(procStartKiB)<<10), mib(int(procKiB)<<10), float64(procKiB<<10)/float64(size),
		mib(int(procKiB-procStartKiB)<<10), float64((procKiB-procStartKiB)<<10)/float64(size))
	return nil
}

// memoryLinked prints the server's peak RSS from the POST of a body for a
// Powens user linked beforehand until it is processed: the usual path, on
// which the receiver hands the body over to the worker instead of its
// being read back from the inbox.
func (b *bench) memoryLinked(engine, pg string) error {
	srv, err := start(b.bin, engine, pg)
	if err != nil {
		return err
	}
	defer srv.stop()
	if err := srv.cli(srv.token+"\n", "user", "link-powens", "--email", email, "--powens-user-id", strconv.Itoa(powensUser), "--powens-token-stdin"); err != nil {
		return err
	}
	body := b.payload(1, false, powensUser)
	size, key := len(body), deliveryKey(body)
	startKiB := srv.resetPeak()
	ack, total, err := srv.deliverAndWait(body, key)
	if err != nil {
		return err
	}
	peakKiB := srv.status("VmHWM")
	fmt.Printf("   user linked beforehand (ack %.0f ms, processed after %.0f ms, from RSS %s): peak RSS %s = %.2f× body; grew %s = %.2f× body\n",
		ms(ack), ms(total), mib(int(startKiB)<<10), mib(int(peakKiB)<<10), float64(peakKiB<<10)/float64(size),
		mib(int(peakKiB-startKiB)<<10), float64((peakKiB-startKiB)<<10)/float64(size))
	return nil
}

// deliveryKey is the inbox's key of a signed body: its Powens user and
// id_webhook_data (web/webhook's deliveryKey).
func deliveryKey(body []byte) string {
	var head struct {
		ID   int64 `json:"id_webhook_data"`
		User struct {
			ID int64 `json:"id"`
		} `json:"user"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		panic(err)
	}
	return fmt.Sprintf("p%d/wd:%d", head.User.ID, head.ID)
}

// server is a `freenahi serve` child process on loopback and a fresh database.
type server struct {
	bin, dir, url, dbURL, token string
	engine                      string
	cmd                         *exec.Cmd
	db                          *sql.DB // the bench's own connection: polling, reference table
	dropDB                      func()
}

func start(bin, engine, pg string) (*server, error) {
	dir, err := os.MkdirTemp("", "freenahi-ingestbench-*")
	if err != nil {
		return nil, err
	}
	s := &server{bin: bin, dir: dir, engine: engine, token: "bench-token", dropDB: func() {}}
	switch engine {
	case "sqlite":
		s.dbURL = "sqlite:" + filepath.Join(dir, "freenahi.db")
	case "postgres":
		if s.dbURL, s.dropDB, err = freshPostgres(pg); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown engine %q", engine)
	}
	if err := s.cli("", "migrate"); err == nil {
		err = s.cli("", "user", "create", "--email", email)
	}
	if err == nil {
		err = s.launch()
	}
	if err == nil {
		s.db, err = s.open()
	}
	if err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// freshPostgres creates an empty database beside the one of base and returns its URL.
func freshPostgres(base string) (string, func(), error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("freenahi_ingestbench_%d", os.Getpid())
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		admin.Close()
	}
	return u.String(), drop, nil
}

func (s *server) open() (*sql.DB, error) {
	if s.engine == "postgres" {
		return sql.Open("pgx", s.dbURL)
	}
	return sql.Open("sqlite3", "file:"+strings.TrimPrefix(s.dbURL, "sqlite:")+"?_busy_timeout=10000")
}

func (s *server) env() []string {
	return append(os.Environ(), "FREENAHI_DATABASE_URL="+s.dbURL, "FREENAHI_DATA_DIR="+s.dir, "FREENAHI_SECRET_KEY=",
		"SERVER_LOG_LEVEL=warn", "POWENS_DOMAIN=", "POWENS_API_URL=", "INQOM_USERNAME=", "POWENS_WEBHOOK_SECRET="+secret)
}

func (s *server) cli(stdin string, args ...string) error {
	c := exec.Command(s.bin, args...)
	c.Dir, c.Env, c.Stdin = s.dir, s.env(), strings.NewReader(stdin)
	if out, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("freenahi %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// launch starts serve on a free loopback port and waits until it answers.
func (s *server) launch() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	log, err := os.Create(filepath.Join(s.dir, "server.log"))
	if err != nil {
		return err
	}
	s.cmd = exec.Command(s.bin, "serve", "--addr", addr)
	s.cmd.Dir, s.cmd.Env, s.cmd.Stdout, s.cmd.Stderr = s.dir, s.env(), log, log
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.url = "http://" + addr
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(s.url + "/healthz"); err == nil {
			resp.Body.Close()
			return nil
		}
	}
	return errors.New("the server did not answer /healthz within 60 s")
}

func (s *server) stop() {
	if s.db != nil {
		s.db.Close()
	}
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			s.cmd.Process.Kill()
			<-done
		}
	}
	s.dropDB()
	os.RemoveAll(s.dir)
}

var client = &http.Client{Timeout: 10 * time.Minute}

// deliver signs and posts a CONNECTION_SYNCED body, as Powens does.
func (s *server) deliver(body []byte) error {
	const path = "/webhook/connection_synced/"
	req, err := http.NewRequest("POST", s.url+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	date := powens.SignatureDate(time.Now())
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(powens.HeaderSignatureDate, date)
	req.Header.Set(powens.HeaderSignature, powens.Sign(secret, "POST", path, date, body))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("webhook answered %d: %s", resp.StatusCode, text)
	}
	return nil
}

// deliverAndWait posts body and returns the time to the acknowledgement
// and to the event's processed mark.
func (s *server) deliverAndWait(body []byte, key string) (ack, total time.Duration, err error) {
	t0 := time.Now()
	if err := s.deliver(body); err != nil {
		return 0, 0, err
	}
	ack = time.Since(t0)
	if err := s.waitProcessed(key); err != nil {
		return 0, 0, err
	}
	return ack, time.Since(t0), nil
}

// waitProcessed polls the inbox every 2 ms until the event is processed:
// a few cheap indexed reads, next to a processing of hundreds of ms.
func (s *server) waitProcessed(key string) error {
	q := `SELECT status, last_error FROM webhook_events WHERE delivery_key = $1`
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		var status, lastErr string
		err := s.db.QueryRow(q, key).Scan(&status, &lastErr)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case status == "processed":
			return nil
		case status == "failed":
			return fmt.Errorf("event %s failed: %s", key, lastErr)
		}
	}
	return fmt.Errorf("event %s not processed within 3 minutes", key)
}

// resetPeak clears the kernel's peak-RSS counter (VmHWM) of the server
// (/proc/PID/clear_refs) and returns the current RSS in KiB.
func (s *server) resetPeak() int64 {
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0)
	return s.status("VmRSS")
}

// cpu is the server's CPU time so far.
func (s *server) cpu() time.Duration { return procstat.CPU(s.cmd.Process.Pid) }

// loadavg is the machine's load average over 1, 5 and 15 minutes.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// status reads a KiB field of the server's /proc/PID/status.
func (s *server) status(field string) int64 { return procstat.KiB(s.cmd.Process.Pid, field) }

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mib(n int) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
