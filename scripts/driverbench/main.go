// Command driverbench measures, in one run on one machine, the two SQLite
// drivers freenahi could use on the rows it writes most: modernc.org/sqlite
// (ours: SQLite translated to Go, no C compiler needed) and
// github.com/mattn/go-sqlite3 (cgo: SQLite's C amalgamation). Issues 11 and
// 15 found export scans and ingest inserts bound by the driver's per-row
// cost; this says how much a switch would buy, without making it.
//
// It is a module of its own so that the product's build never compiles
// cgo: freenahi's go.mod does not list mattn/go-sqlite3.
//
//	cd scripts/driverbench && go run -tags sqlite_fts5 . [-rows 50000] [-runs 3]
//
// Each run measures, for each driver in turn (alternating which goes first,
// so both share the machine's load of the moment), on a file of its own
// with freenahi's pragmas:
//
//   - plain: rows of the transactions table's 43 columns into a table with
//     no key and no index, 400-row prepared INSERTs in one transaction: the
//     reference of scripts/ingestbench;
//   - schema: the same rows into freenahi's real transactions table (the
//     migrated schema, its indexes, day-sum triggers and FTS5 index);
//   - scan: every column of those rows read back and scanned into Go values,
//     as a statement export does.
//
// It prints rows per second and this process's CPU per 1,000 rows (user +
// system, which the machine's other load moves less than wall time), and the
// ratio mattn ÷ modernc of each.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/freenahi/freenahi/seal"
	"github.com/freenahi/freenahi/store"
	_ "github.com/mattn/go-sqlite3"
	_ "modernc.org/sqlite"
)

// drivers are the database/sql driver names: modernc registers "sqlite",
// mattn "sqlite3".
var drivers = []string{"sqlite", "sqlite3"}

func main() {
	rows := flag.Int("rows", 50_000, "transactions per measure (10 accounts)")
	runs := flag.Int("runs", 3, "runs; each measures both drivers")
	ablation := flag.Bool("ablate", false, "instead, measure the schema insert with each index and insert trigger dropped in turn")
	flag.Parse()
	if !fts5() {
		fmt.Fprintln(os.Stderr, "driverbench: mattn/go-sqlite3 was built without FTS5, which freenahi's schema needs: run with -tags sqlite_fts5")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "driverbench-*")
	check(err)
	defer os.RemoveAll(dir)
	template := filepath.Join(dir, "template.db")
	check(migrated(template))
	if *ablation {
		check(ablate(template, dir, *rows))
		return
	}
	fmt.Printf("driverbench: %d rows per measure; SQLite %s (modernc), %s (mattn); load average %s\n",
		*rows, version("sqlite"), version("sqlite3"), loadavg())
	results := map[string]map[string][]measure{}
	for run := 1; run <= *runs; run++ {
		order := slices.Clone(drivers)
		if run%2 == 0 {
			slices.Reverse(order)
		}
		for _, d := range order {
			ms, err := measureDriver(d, template, filepath.Join(dir, fmt.Sprintf("%s-%d.db", d, run)), *rows)
			check(err)
			if results[d] == nil {
				results[d] = map[string][]measure{}
			}
			for _, m := range ms {
				results[d][m.what] = append(results[d][m.what], m)
				fmt.Printf("run %d %-8s %-6s %9.0f rows/s  %6.1f cpu-ms/1000 rows\n", run, name(d), m.what, m.rate(), m.cpuPerK())
			}
		}
	}
	fmt.Printf("medians of %d runs, load average %s:\n", *runs, loadavg())
	for _, what := range []string{"plain", "schema", "scan"} {
		a, b := results["sqlite"][what], results["sqlite3"][what]
		ra, rb := median(a, measure.rate), median(b, measure.rate)
		ca, cb := median(a, measure.cpuPerK), median(b, measure.cpuPerK)
		fmt.Printf("  %-6s modernc %9.0f rows/s (%5.1f cpu-ms/1000)  mattn %9.0f rows/s (%5.1f cpu-ms/1000)  mattn÷modernc %.2f× rate, %.2f× CPU\n",
			what, ra, ca, rb, cb, rb/ra, cb/ca)
	}
}

// measure is one timed step: rows handled, wall time and this process's CPU.
type measure struct {
	what      string
	rows      int
	wall, cpu time.Duration
}

func (m measure) rate() float64 { return float64(m.rows) / m.wall.Seconds() }
func (m measure) cpuPerK() float64 {
	return float64(m.cpu) / float64(time.Millisecond) / float64(m.rows) * 1000
}

// timed runs f and returns its measure.
func timed(what string, rows int, f func() error) (measure, error) {
	c0, t0 := cpu(), time.Now()
	err := f()
	return measure{what: what, rows: rows, wall: time.Since(t0), cpu: cpu() - c0}, err
}

// measureDriver copies the migrated template to path and measures the
// three steps with driver d.
func measureDriver(d, template, path string, n int) ([]measure, error) {
	if err := copyFile(template, path); err != nil {
		return nil, err
	}
	db, err := open(d, path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	plain, err := timed("plain", n, func() error { return insertPlain(db, n) })
	if err != nil {
		return nil, fmt.Errorf("%s plain: %w", d, err)
	}
	schema, err := timed("schema", n, func() error { return insertSchema(db, n) })
	if err != nil {
		return nil, fmt.Errorf("%s schema: %w", d, err)
	}
	var got int
	scan, err := timed("scan", n, func() (err error) { got, err = scanAll(db); return err })
	if err != nil {
		return nil, fmt.Errorf("%s scan: %w", d, err)
	}
	if got != n {
		return nil, fmt.Errorf("%s scan read %d rows, want %d", d, got, n)
	}
	return []measure{plain, schema, scan}, nil
}

// open opens path with driver d on one connection and sets freenahi's
// pragmas (store.sqliteDSN) by SQL, which both drivers run the same way.
func open(d, path string) (*sql.DB, error) {
	db, err := sql.Open(d, "file:"+path)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	for _, p := range []string{"busy_timeout = 10000", "journal_mode = WAL", "foreign_keys = 1", "synchronous = NORMAL", "cache_size = -32000"} {
		if _, err := db.Exec("PRAGMA " + p); err != nil {
			db.Close()
			return nil, fmt.Errorf("pragma %s: %w", p, err)
		}
	}
	return db, nil
}

// migrated creates freenahi's schema at path through the store (modernc),
// with one user, connection and ten accounts for the rows to belong to.
func migrated(path string) error {
	ctx := context.Background()
	text, err := seal.GenerateKeyText()
	if err != nil {
		return err
	}
	key, err := seal.ParseKey(text)
	if err != nil {
		return err
	}
	s, err := store.Open(ctx, "sqlite:"+path, store.Options{Secrets: key, Migrate: true})
	if err != nil {
		return err
	}
	s.Close()
	db, err := open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	seed := []string{
		`INSERT INTO users (id, email, created_at) VALUES (1, 'bench@example.com', 0)`,
		`INSERT INTO connections (id, user_id, powens_id, updated_at) VALUES (1, 1, 1, 0)`,
	}
	for a := 1; a <= accounts; a++ {
		seed = append(seed, fmt.Sprintf(`INSERT INTO accounts (id, user_id, connection_id, powens_id, powens_connection_id,
			currency, currency_exponent, updated_at) VALUES (%d, 1, 1, %d, 1, 'EUR', 2, 0)`, a, a))
	}
	for _, q := range seed {
		if _, err := db.Exec(q); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	_, err = db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// fts5 tells whether mattn's build has FTS5 (the sqlite_fts5 build tag).
func fts5() bool {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return false
	}
	defer db.Close()
	_, err = db.Exec(`CREATE VIRTUAL TABLE t USING fts5(x)`)
	return err == nil
}

// version is the SQLite library version driver d runs.
func version(d string) string {
	db, err := sql.Open(d, ":memory:")
	if err != nil {
		return "?"
	}
	defer db.Close()
	var v string
	if err := db.QueryRow(`SELECT sqlite_version()`).Scan(&v); err != nil {
		return "?"
	}
	return v
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// cpu is this process's user + system CPU time so far.
func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func name(d string) string {
	if d == "sqlite" {
		return "modernc"
	}
	return "mattn"
}

func median(ms []measure, f func(measure) float64) float64 {
	v := make([]float64, len(ms))
	for i, m := range ms {
		v[i] = f(m)
	}
	slices.Sort(v)
	return v[len(v)/2]
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "driverbench:", err)
		os.Exit(1)
	}
}
