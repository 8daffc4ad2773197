package store_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/freenahi/freenahi/store"
)

func openSQLiteDriver(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open(store.SQLiteDriver, "file:"+filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSQLiteDriver_IntegersStayIntegers stores integers in columns of the
// declared types freenahi uses and mattn/go-sqlite3 converts (DATE,
// BOOLEAN) and reads them back as they were stored, through every way the
// store reads rows: a query on the connection, a prepared statement, and a
// transaction. A TIMESTAMP of text (goose's version table) stays the time
// mattn reads.
func TestSQLiteDriver_IntegersStayIntegers(t *testing.T) {
	db := openSQLiteDriver(t)
	if _, err := db.Exec(`CREATE TABLE d (day DATE, big DATE, stamp TIMESTAMP, flag BOOLEAN, other BOOLEAN, n INTEGER, s TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO d VALUES (20260102, 1700000000123, '2026-12-07 06:30:00', 1, 0, 7, 'x'),
		(NULL, -86400, NULL, TRUE, FALSE, NULL, NULL)`); err != nil {
		t.Fatal(err)
	}
	want := [][]any{
		{int64(20260102), int64(1700000000123), time.Date(2026, 12, 7, 6, 30, 0, 0, time.UTC), int64(1), int64(0), int64(7), "x"},
		{nil, int64(-86400), nil, int64(1), int64(0), nil, nil},
	}
	read := func(rows *sql.Rows, err error) [][]any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out [][]any
		for rows.Next() {
			row := make([]any, 7)
			ptrs := make([]any, 7)
			for i := range row {
				ptrs[i] = &row[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, row)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	const q = `SELECT day, big, stamp, flag, other, n, s FROM d ORDER BY rowid`
	if diff := cmp.Diff(want, read(db.Query(q))); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	st, err := db.Prepare(q)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if diff := cmp.Diff(want, read(st.Query())); diff != "" {
		t.Errorf("prepared (-want +got):\n%s", diff)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if diff := cmp.Diff(want, read(tx.Query(q))); diff != "" {
		t.Errorf("in a transaction (-want +got):\n%s", diff)
	}
	var day int64
	var flag bool
	if err := tx.QueryRow(`SELECT day, flag FROM d WHERE n = 7`).Scan(&day, &flag); err != nil || day != 20260102 || !flag {
		t.Errorf("scan into int64 and bool: %d %v %v, want 20260102 true", day, flag, err)
	}
}

// TestSQLiteDriver_NumberedPlaceholders binds $n to the n-th argument
// wherever it stands in the statement, repeated or not, as the store's
// SQL expects; a "$1" inside quotes or a comment is text.
func TestSQLiteDriver_NumberedPlaceholders(t *testing.T) {
	db := openSQLiteDriver(t)
	if _, err := db.Exec(`CREATE TABLE j (id INTEGER PRIMARY KEY, attempts INTEGER, lease TEXT, note TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO j (id, attempts, lease, note) VALUES ($1, $2, $3, '$1 -- [$2]')`, 5, 2, "old"); err != nil {
		t.Fatal(err)
	}
	// The order of job.go's lease renewal: $3 first.
	res, err := db.Exec(`UPDATE j SET lease = $3 /* $1 */ WHERE id = $1 AND attempts = $2`, 5, 2, "new")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("updated %d rows, want 1", n)
	}
	var lease, note, a, b, c string
	if err := db.QueryRow(`SELECT lease, note FROM j WHERE id = $1`, 5).Scan(&lease, &note); err != nil || lease != "new" || note != "$1 -- [$2]" {
		t.Fatalf("lease %q note %q (%v), want new and $1 -- [$2]", lease, note, err)
	}
	st, err := db.Prepare(`SELECT $2 || '-', $1, $2 || $3 -- $9` + "\n")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.QueryRow("x", "y", "z").Scan(&a, &b, &c); err != nil || a != "y-" || b != "x" || c != "yz" {
		t.Fatalf("got %q %q %q (%v), want y- x yz", a, b, c, err)
	}
	if err := db.QueryRow(`SELECT ?, ?`, "p", "q").Scan(&a, &b); err != nil || a != "p" || b != "q" {
		t.Fatalf("? placeholders: %q %q (%v), want p q", a, b, err)
	}
}
