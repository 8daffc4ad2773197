package store

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// SQLiteDriver is the database/sql name under which the store registers
// SQLite (mattn/go-sqlite3, see sqliteDriver); tests and tools that open a
// freenahi database directly use it to read what the store reads. It is
// neither mattn's own name ("sqlite3") nor modernc's ("sqlite"), so that
// scripts/driverbench can load both drivers beside the store.
const SQLiteDriver = "freenahi-sqlite"

func init() { sql.Register(SQLiteDriver, &sqliteDriver{}) }

// sqliteDriver is mattn/go-sqlite3 with integers read back as integers.
// That driver turns an INTEGER read from a column declared DATE (or
// DATETIME, TIMESTAMP) into a time.Time, taking it for Unix seconds, and
// one declared BOOLEAN into a bool. freenahi's schema declares its YYYYMMDD
// dates DATE (20260102 would read as 1970-08-23T01:48:22Z) and its 0/1
// flags BOOLEAN, and every reader of a row (the store's scanners, the
// archive, tests reading SELECT *) expects the integer that is stored, as
// modernc.org/sqlite, the driver before, returned it. freenahi declares no
// DATETIME or TIMESTAMP column; goose's version table has a TIMESTAMP of
// text, which both drivers read as a time.Time and goose scans as one, so
// those are left as mattn reads them.
type sqliteDriver struct{ sqlite3.SQLiteDriver }

// Open opens a connection of mattn's driver and wraps it.
func (d *sqliteDriver) Open(dsn string) (driver.Conn, error) {
	c, err := d.SQLiteDriver.Open(dsn)
	if err != nil {
		return nil, err
	}
	conn, ok := c.(*sqlite3.SQLiteConn)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("sqlite driver: a connection of type %T", c)
	}
	if strings.Contains(dsn, backgroundCheckpointParam+"=1") {
		if _, err := conn.Exec(`PRAGMA wal_autocheckpoint = 0`, nil); err != nil {
			conn.Close()
			return nil, fmt.Errorf("sqlite driver: turn automatic checkpoints off: %w", err)
		}
	}
	return &sqliteConn{conn}, nil
}

// sqliteConn wraps every way a connection takes SQL text (to number its
// placeholders, see numberedParams) or hands out rows; the rest
// (transactions, Ping, Close) is mattn's own.
type sqliteConn struct{ *sqlite3.SQLiteConn }

func (c *sqliteConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *sqliteConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.SQLiteConn.PrepareContext(ctx, numberedParams(query))
	if err != nil {
		return nil, err
	}
	return &sqliteStmt{st.(*sqlite3.SQLiteStmt)}, nil
}

func (c *sqliteConn) Exec(query string, args []driver.Value) (driver.Result, error) {
	return c.SQLiteConn.Exec(numberedParams(query), args)
}

func (c *sqliteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.SQLiteConn.ExecContext(ctx, numberedParams(query), args)
}

func (c *sqliteConn) Query(query string, args []driver.Value) (driver.Rows, error) {
	return wrapRows(c.SQLiteConn.Query(numberedParams(query), args))
}

func (c *sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return wrapRows(c.SQLiteConn.QueryContext(ctx, numberedParams(query), args))
}

// numberedParams writes the store's placeholders $1…$n as SQLite's ?1…?n.
// SQLite reads "$2" as a parameter named "$2" and numbers such names in
// the order they first appear, while mattn binds the n-th argument to the
// n-th number: `SET lease_until = $3 WHERE id = $1` would bind the id to
// lease_until. modernc.org/sqlite looked names up, so the store's SQL never
// had to list its placeholders in order (several statements do not); "?3"
// is number 3 wherever it stands. Text in quotes and comments is left alone.
func numberedParams(query string) string {
	if strings.IndexByte(query, '$') < 0 {
		return query
	}
	b := []byte(query)
	for i := 0; i < len(b); i++ {
		var end string
		switch c := b[i]; {
		case c == '\'' || c == '"' || c == '`':
			end = string(c) // a doubled quote closes and reopens: same result
		case c == '[':
			end = "]"
		case c == '-' && i+1 < len(b) && b[i+1] == '-':
			end = "\n"
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			end, i = "*/", i+1
		case c == '$' && i+1 < len(b) && b[i+1] >= '0' && b[i+1] <= '9':
			b[i] = '?'
			continue
		default:
			continue
		}
		j := bytes.Index(b[i+1:], []byte(end))
		if j < 0 {
			break
		}
		i += j + len(end)
	}
	return string(b)
}

type sqliteStmt struct{ *sqlite3.SQLiteStmt }

func (s *sqliteStmt) Query(args []driver.Value) (driver.Rows, error) {
	return wrapRows(s.SQLiteStmt.Query(args))
}

func (s *sqliteStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return wrapRows(s.SQLiteStmt.QueryContext(ctx, args))
}

// sqliteRows undoes mattn's conversions in the columns it converts.
type sqliteRows struct {
	*sqlite3.SQLiteRows
	converted []int // columns declared DATE or BOOLEAN
}

func wrapRows(r driver.Rows, err error) (driver.Rows, error) {
	if err != nil {
		return nil, err
	}
	rows, ok := r.(*sqlite3.SQLiteRows)
	if !ok {
		return r, nil
	}
	var converted []int
	for i, decl := range rows.DeclTypes() { // lower case, as mattn compares them
		switch decl {
		case "date", "boolean":
			converted = append(converted, i)
		}
	}
	if converted == nil {
		return rows, nil
	}
	return &sqliteRows{rows, converted}, nil
}

func (r *sqliteRows) Next(dest []driver.Value) error {
	if err := r.SQLiteRows.Next(dest); err != nil {
		return err
	}
	for _, i := range r.converted {
		if i >= len(dest) {
			break
		}
		switch v := dest[i].(type) {
		case time.Time:
			dest[i] = storedInteger(v)
		case bool:
			dest[i] = int64(0)
			if v {
				dest[i] = int64(1)
			}
		}
	}
	return nil
}

// storedInteger is the INTEGER mattn read as t: Unix seconds when it was at
// most 10¹² in size, else Unix milliseconds. freenahi keeps no text in its
// DATE columns (text would be parsed as a date, which cannot be undone) and
// its YYYYMMDD dates are far below 10⁹, where the two readings cannot be
// confused.
func storedInteger(t time.Time) int64 {
	if sec := t.Unix(); t.Nanosecond() == 0 && sec <= 1e12 && sec >= -1e12 {
		return sec
	}
	return t.UnixMilli()
}
