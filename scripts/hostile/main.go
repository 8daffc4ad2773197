// Command hostile replays, against a freenahi server it starts on loopback,
// the HTTP attacks of issue 10 ("safe on the open internet") and prints, per
// attack, what the server answered, what it stored and the peak resident
// memory of the server process during the attack.
//
//	go build -o /tmp/freenahi ./cmd/freenahi
//	go run ./scripts/hostile -bin /tmp/freenahi [-duration 60s] [-only gzip-bomb,key-squat]
//
// It is bounded (fixed numbers of requests, a duration per flood) and talks to
// 127.0.0.1 only: the server is a child process on a temporary SQLite
// database, started again for each attack so that each peak is its own. Run it
// against two builds (before and after a change) and compare the outputs: it
// reports what happens, not what should.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/freenahi/freenahi/internal/procstat"
	_ "github.com/mattn/go-sqlite3"
)

const (
	webhookSecret = "hostile-test-secret"
	anaEmail      = "ana@example.com"
	anaPassword   = "correct horse battery staple"
	anaToken      = "powens-token-of-ana"
	anaPowensID   = 42
	apiOnlyEmail  = "bob@example.com"
)

func main() {
	bin := flag.String("bin", "", "the freenahi binary to attack (required)")
	fixture := flag.String("fixture", "ingest/testdata/connection_synced.json", "a genuine CONNECTION_SYNCED body for Powens user 42")
	duration := flag.Duration("duration", 60*time.Second, "how long each flood lasts")
	only := flag.String("only", "", "comma-separated attack names to run (default all)")
	flag.Parse()
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "hostile: -bin is required")
		os.Exit(2)
	}
	body, err := os.ReadFile(*fixture)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
	env := &environment{bin: *bin, fixture: body, duration: *duration}
	fmt.Printf("freenahi hostile-traffic report: %s (%s), floods of %s\n\n", *bin, version(*bin), *duration)
	for _, a := range attacks {
		if *only != "" && !strings.Contains(","+*only+",", ","+a.name+",") {
			continue
		}
		fmt.Printf("== %s (issue 10 item %s, %s mode)\n", a.name, a.item, a.mode)
		res := env.run(a)
		for _, line := range res.lines {
			fmt.Println("   " + line)
		}
		if res.peakKiB > 0 {
			fmt.Printf("   peak RSS of the server: %.1f MiB (at start %.1f MiB)\n", float64(res.peakKiB)/1024, float64(res.startKiB)/1024)
		}
		fmt.Println()
	}
}

func version(bin string) string {
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		return "version unknown"
	}
	return strings.TrimSpace(string(out))
}

// attack is one scenario; fn reports lines of findings.
type attack struct {
	name, item string
	mode       string // "hmac" (POWENS_WEBHOOK_SECRET set) or "bearer"
	fn         func(*server, *environment) []string
}

type environment struct {
	bin      string
	fixture  []byte
	duration time.Duration
}

type result struct {
	lines             []string
	peakKiB, startKiB int64
}

// run starts a fresh server for a, resets its peak-RSS counter once it is
// up, runs a and reads the peak back.
func (env *environment) run(a attack) result {
	srv, err := startServer(env.bin, a.mode)
	if err != nil {
		return result{lines: []string{"could not start the server: " + err.Error()}}
	}
	defer srv.stop()
	start := srv.resetPeak()
	lines := a.fn(srv, env)
	return result{lines: lines, peakKiB: srv.peakKiB(), startKiB: start}
}

// server is a freenahi serve process on 127.0.0.1 and a temporary database.
type server struct {
	bin, dir, url, mode string
	cmd                 *exec.Cmd
	db                  *sql.DB
}

func (s *server) env() []string {
	e := append(os.Environ(), "FREENAHI_DATABASE_URL=sqlite:"+filepath.Join(s.dir, "freenahi.db"),
		"FREENAHI_SECRET_KEY=", "SERVER_LOG_LEVEL=error", "POWENS_DOMAIN=", "POWENS_API_URL=", "INQOM_USERNAME=")
	if s.mode == "hmac" {
		e = append(e, "POWENS_WEBHOOK_SECRET="+webhookSecret)
	} else {
		e = append(e, "POWENS_WEBHOOK_SECRET=")
	}
	return e
}

func (s *server) cli(stdin string, args ...string) error {
	c := exec.Command(s.bin, args...)
	c.Dir, c.Env, c.Stdin = s.dir, s.env(), strings.NewReader(stdin)
	if out, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("freenahi %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

func startServer(bin, mode string) (*server, error) {
	dir, err := os.MkdirTemp("", "freenahi-hostile-*")
	if err != nil {
		return nil, err
	}
	s := &server{bin: bin, dir: dir, mode: mode}
	for _, step := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"migrate"}},
		{anaPassword + "\n", []string{"user", "create", "--email", anaEmail, "--password-stdin"}},
		{anaToken + "\n", []string{"user", "link-powens", "--email", anaEmail, "--powens-user-id", strconv.Itoa(anaPowensID), "--powens-token-stdin"}},
		{"", []string{"user", "create", "--email", apiOnlyEmail}},
	} {
		if err := s.cli(step.stdin, step.args...); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	if err := s.launch(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.db, err = sql.Open("sqlite3", "file:"+filepath.Join(dir, "freenahi.db")+"?mode=ro&_busy_timeout=5000")
	return s, err
}

// launch starts serve on a free loopback port and waits until it answers.
func (s *server) launch() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	log, _ := os.OpenFile(filepath.Join(s.dir, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	s.cmd = exec.Command(s.bin, "serve", "--addr", addr)
	s.cmd.Dir, s.cmd.Env, s.cmd.Stdout, s.cmd.Stderr = s.dir, s.env(), log, log
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.url = "http://" + addr
	for range 200 {
		if resp, err := http.Get(s.url + "/healthz"); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("the server did not answer /healthz within 10 s")
}

// kill9 kills the server as a crash would.
func (s *server) kill9() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
}

func (s *server) stop() {
	if s.cmd != nil && s.cmd.ProcessState == nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			s.kill9()
		}
	}
	if s.db != nil {
		s.db.Close()
	}
	os.RemoveAll(s.dir)
}

// resetPeak clears the kernel's peak-RSS counter (VmHWM) of the server, as
// /proc/PID/clear_refs allows, and returns the current RSS in KiB.
func (s *server) resetPeak() int64 {
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0)
	return s.procStatus("VmRSS")
}

func (s *server) peakKiB() int64 { return s.procStatus("VmHWM") }

func (s *server) procStatus(field string) int64 { return procstat.KiB(s.cmd.Process.Pid, field) }

// inbox summarises the stored webhook events by status, with their bytes.
func (s *server) inbox() string {
	rows, err := s.db.QueryContext(context.Background(), `SELECT status, COUNT(*), COALESCE(SUM(body_size), 0) FROM webhook_events GROUP BY status ORDER BY status`)
	if err != nil {
		return "inbox unreadable: " + err.Error()
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var status string
		var n, bytes int64
		rows.Scan(&status, &n, &bytes)
		parts = append(parts, fmt.Sprintf("%d %s (%s)", n, status, mib(bytes)))
	}
	if len(parts) == 0 {
		return "inbox: nothing stored"
	}
	return "inbox: " + strings.Join(parts, ", ")
}

// dbBytes is the size of the database files (main, WAL).
func (s *server) dbBytes() int64 {
	var n int64
	for _, suffix := range []string{"", "-wal"} {
		if st, err := os.Stat(filepath.Join(s.dir, "freenahi.db"+suffix)); err == nil {
			n += st.Size()
		}
	}
	return n
}

func (s *server) count(query string, args ...any) int64 {
	var n int64
	if err := s.db.QueryRow(query, args...).Scan(&n); err != nil {
		return -1
	}
	return n
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

var client = &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// answer sends req and returns its status and up to 200 bytes of its body.
func answer(req *http.Request) (int, string) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}
