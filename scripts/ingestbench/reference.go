package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// referenceTypes are the SQL types of a plain table shaped like freenahi's
// transactions table: as many columns, of the same kinds (migration 00001
// onwards). Which ones a row leaves NULL follows a typical payload, where
// about twenty optional Powens fields are absent.
var referenceTypes = []string{
	"bigint", "bigint", "bigint", "integer", "integer", "integer", "integer", "bigint", "bigint", "bigint",
	"bigint", "text", "bigint", "bigint", "bigint", "text", "integer", "bigint", "text", "integer", "text", "text", "text",
	"text", "text", "boolean", "boolean", "text", "text", "text", "text", "text", "text", "bigint", "bigint",
	"bigint", "bigint", "bigint", "text", "bigint", "text", "text", "boolean",
}

// referenceNull are the columns a typical row leaves NULL.
var referenceNull = map[int]bool{5: true, 6: true, 7: true, 8: true, 9: true, 12: true, 13: true, 14: true, 15: true,
	16: true, 17: true, 18: true, 19: true, 29: true, 30: true, 31: true, 32: true, 33: true, 39: true}

// referenceRow returns row i's values.
func referenceRow(i int, row []any) []any {
	for c, typ := range referenceTypes {
		switch {
		case referenceNull[c]:
			row = append(row, nil)
		case typ == "text":
			row = append(row, "CB CARREFOUR MARKET "+strconv.Itoa(i*31+c))
		case typ == "boolean":
			row = append(row, c%2 == 0)
		default:
			row = append(row, int64(i*43+c))
		}
	}
	return row
}

// rawInsertRate creates a plain table (no key, no index) of the reference
// shape in the server's database, inserts n rows in one transaction with
// prepared multi-row INSERTs through the same driver freenahi uses, drops
// it, and returns rows per second.
func rawInsertRate(s *server, n int) (float64, error) {
	cols := make([]string, len(referenceTypes))
	for i, t := range referenceTypes {
		cols[i] = fmt.Sprintf("c%d %s", i, t)
	}
	if _, err := s.db.Exec(`DROP TABLE IF EXISTS ingestbench_reference`); err != nil {
		return 0, err
	}
	if _, err := s.db.Exec(`CREATE TABLE ingestbench_reference (` + strings.Join(cols, ", ") + `)`); err != nil {
		return 0, err
	}
	defer s.db.Exec(`DROP TABLE ingestbench_reference`)
	// The most rows a statement may carry: SQLite binds at most 32,766
	// parameters, PostgreSQL 65,535. freenahi's SQLite path uses 400.
	batch := 400
	if s.engine == "postgres" {
		batch = 1000
	}
	start := time.Now()
	tx, err := s.db.Begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	full, err := tx.Prepare(referenceInsert(batch, s.engine))
	if err != nil {
		return 0, err
	}
	args := make([]any, 0, batch*len(referenceTypes))
	for done := 0; done < n; {
		k := min(batch, n-done)
		args = args[:0]
		for i := range k {
			args = referenceRow(done+i, args)
		}
		if k == batch {
			_, err = full.Exec(args...)
		} else {
			_, err = tx.Exec(referenceInsert(k, s.engine), args...)
		}
		if err != nil {
			return 0, err
		}
		done += k
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// referenceInsert is the INSERT of rows rows: "?" placeholders on SQLite
// (SQLite's own, positional), "$n" on PostgreSQL.
func referenceInsert(rows int, engine string) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ingestbench_reference VALUES ")
	p := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range referenceTypes {
			if c > 0 {
				b.WriteString(", ")
			}
			if engine == "sqlite" {
				b.WriteByte('?')
			} else {
				b.WriteString("$" + strconv.Itoa(p))
			}
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}
