package store

import (
	"net/url"
	"strings"
	"testing"
)

// TestSQLiteDSN_BusyTimeoutFirst checks the pragma order of both pools:
// busy_timeout before journal_mode, so a connection that meets a lock while
// switching to WAL waits instead of failing with SQLITE_BUSY.
func TestSQLiteDSN_BusyTimeoutFirst(t *testing.T) {
	for _, writer := range []bool{true, false} {
		dsn := sqliteDSN("/tmp/x.db", writer)
		_, query, _ := strings.Cut(dsn, "?")
		q, err := url.ParseQuery(query)
		if err != nil {
			t.Fatal(err)
		}
		pragmas := q["_pragma"]
		if len(pragmas) < 2 || !strings.HasPrefix(pragmas[0], "busy_timeout(") {
			t.Fatalf("writer=%v: pragmas %q, want busy_timeout first", writer, pragmas)
		}
		if got, want := q.Get("_txlock") == "immediate", writer; got != want {
			t.Fatalf("writer=%v: _txlock=%q", writer, q.Get("_txlock"))
		}
	}
}
