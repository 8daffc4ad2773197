package ingest_test

import (
	"database/sql"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// overheadParts are the variants of BenchmarkIngestParts: what
// BenchmarkIngest's First compares (all, none), and each of its two parts
// alone.
var overheadParts = []struct {
	name          string
	index, categs bool
}{{"all", true, true}, {"none", false, false}, {"index", true, false}, {"categorisation", false, true}}

// BenchmarkIngestParts splits what categorisation and the text search index
// cost at ingest (issue 13): one event of 50,000 transactions into an empty
// store with both, with neither, with the index alone and with
// categorisation alone, the four in turn in each iteration. For each it
// reports transactions per second (wall), this process's CPU per
// transaction (cpu-us/tx: all of SQLite's work) and, on PostgreSQL, the
// CPU of the database's server processes per transaction (server-us/tx,
// and merge-server-us/tx for the merge of the word index's pending list
// that follows the event, off its path; read from /proc: 0 unless the
// server runs on this machine and this process may read its processes).
// CPU moves less than wall with the load of a shared machine.
//
//	go test ./ingest -run '^$' -bench IngestParts -benchtime 3x
func BenchmarkIngestParts(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			n := len(overheadParts)
			wall, cpu, server, merge := make([]time.Duration, n), make([]time.Duration, n), make([]time.Duration, n), make([]time.Duration, n)
			for i := 0; i < b.N; i++ {
				for k := range n {
					v := (k + i) % n
					w, c, srv, m := ingestPart(b, engine, overheadParts[v].index, overheadParts[v].categs, int64(i+1))
					wall[v] += w
					cpu[v] += c
					server[v] += srv
					merge[v] += m
				}
			}
			per := float64(benchTransactions * b.N)
			for v, p := range overheadParts {
				b.ReportMetric(per/wall[v].Seconds(), p.name+"-tx/s")
				b.ReportMetric(cpu[v].Seconds()*1e6/per, p.name+"-cpu-us/tx")
				if engine == store.Postgres {
					b.ReportMetric(server[v].Seconds()*1e6/per, p.name+"-server-us/tx")
					if p.index {
						b.ReportMetric(merge[v].Seconds()*1e6/per, p.name+"-merge-server-us/tx")
					}
				}
			}
		})
	}
}

// ingestPart ingests benchPayload into an empty store, with or without the
// search index and categorisation, and returns the wall time, this
// process's CPU and the database server's CPU it took, and the server's CPU
// of the merge of the word index's pending list that the store runs after
// the event, beside the next one (PostgreSQL; see store/search_pending.go).
func ingestPart(b *testing.B, engine store.Engine, index, categorise bool, delivery int64) (wall, cpu, server, merge time.Duration) {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	dbURL := storetest.MigratedURL(b, engine)
	if !index {
		dropSearchIndex(b, dbURL)
	}
	s, err := store.Open(ctx, dbURL, store.Options{Secrets: storetest.Key(b), Migrate: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	s.SkipCategorization = !categorise
	w := benchSetup(b, s)
	queue(b, s, delivery)
	backends := serverBackends(b, dbURL)
	// The setup's garbage (the 21 MB body built and stored) is collected
	// now, not during the measured part.
	runtime.GC()
	server0 := processCPU(backends)
	cpu0, start := selfCPU(), time.Now()
	b.StartTimer()
	processOne(b, w)
	b.StopTimer()
	wall, cpu = time.Since(start), selfCPU()-cpu0
	// A connection the pool opened meanwhile counts from zero.
	backends = append(backends, serverBackends(b, dbURL)...)
	server1 := processCPU(backends)
	for pid, c := range server1 {
		server += c - server0[pid]
	}
	s.WaitSearchIndex()
	for pid, c := range processCPU(append(backends, serverBackends(b, dbURL)...)) {
		c0, ok := server1[pid]
		if !ok {
			c0 = server0[pid] // 0 for a connection opened since
		}
		merge += c - c0
	}
	return wall, cpu, server, merge
}

// selfCPU returns the user and system CPU this process used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serverBackends returns the process ids of the PostgreSQL backends
// connected to dbURL's database; nil on SQLite.
func serverBackends(b *testing.B, dbURL string) []int {
	b.Helper()
	engine, target := store.ParseURL(dbURL)
	if engine != store.Postgres {
		return nil
	}
	db, err := sql.Open("pgx", target)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var pids []int
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			b.Fatal(err)
		}
		pids = append(pids, pid)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return pids
}

// processCPU reads the user and system CPU of each process from
// /proc/PID/stat; a process that cannot be read is left out.
func processCPU(pids []int) map[int]time.Duration {
	out := map[int]time.Duration{}
	for _, pid := range pids {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			continue
		}
		// Fields after the command name, which may hold spaces: state is
		// the first, utime the 12th and stime the 13th, in clock ticks
		// (USER_HZ, 100 on Linux).
		s := string(stat)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 13 {
			continue
		}
		utime, err1 := strconv.ParseInt(f[11], 10, 64)
		stime, err2 := strconv.ParseInt(f[12], 10, 64)
		if err1 == nil && err2 == nil {
			out[pid] = time.Duration(utime+stime) * 10 * time.Millisecond
		}
	}
	return out
}
