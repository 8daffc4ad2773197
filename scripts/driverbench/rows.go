package main

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// accounts is how many accounts the rows spread over, as in the
// 10 accounts × 5,000 transactions payload of the ingest benchmarks.
const accounts = 10

// batch is the rows of one INSERT, as store.transactionBatch: 43 columns ×
// 400 rows stays under SQLite's 32,766 bound parameters.
const batch = 400

// columns are the transactions table's columns that ingest writes, in the
// order of store.transactionUpsert.
var columns = []string{"user_id", "account_id", "powens_id", "date", "rdate", "vdate", "application_date", "datetime",
	"rdatetime", "vdatetime", "value_minor", "amount_origin", "gross_value_minor", "original_value_minor",
	"original_gross_value_minor", "original_currency", "original_currency_exponent", "commission_minor",
	"commission_currency", "commission_currency_exponent", "type", "original_wording", "simplified_wording",
	"wording", "search_text", "coming", "active", "card", "webid", "counterparty_label", "counterparty_scheme",
	"counterparty_identification", "counterparty_type", "deleted_at", "last_update", "event_id", "created_at",
	"updated_at", "payee", "category_id", "category_source", "tags", "transfer"}

// row appends transaction i's values: a typical card payment of a typical
// payload, where about twenty optional Powens fields are absent (NULL).
func row(i int, r []any) []any {
	const day0 = 20_000 // days since 1970: 2024-10-04
	date := int64(day0 + i/40)
	wording := "CB CARREFOUR MARKET " + strconv.Itoa(i%997) + " PARIS"
	return append(r,
		int64(1), int64(1+i%accounts), int64(1_000_000+i), date, date-1, date, nil, nil,
		nil, nil, int64(-(i%50_000)-1), "value", nil, nil,
		nil, nil, nil, nil,
		nil, nil, "card", wording, "CARREFOUR MARKET", wording,
		strings.ToLower(wording+"\ncarrefour market\n"+wording), false, true, "XXXX XXXX XXXX 1234", "", nil, nil,
		nil, nil, nil, int64(1_700_000_000_000_000), int64(1), int64(1_700_000_000_000_000),
		int64(1_700_000_000_000_000), "Carrefour", nil, "", "", false)
}

// insertSQL is the INSERT of n rows into table, "?" placeholders (modernc
// resolves "$n" names by a linear scan; store.upsertSpec.sql).
func insertSQL(table string, n int) string {
	one := "(" + strings.Repeat("?, ", len(columns)-1) + "?)"
	return "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " +
		strings.Repeat(one+", ", n-1) + one
}

// insertRows writes n rows into table in one transaction with a prepared
// full-batch statement, as the ingest path does.
func insertRows(db *sql.DB, table string, n int) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	full, err := tx.Prepare(insertSQL(table, batch))
	if err != nil {
		return err
	}
	defer full.Close()
	args := make([]any, 0, batch*len(columns))
	for done := 0; done < n; {
		k := min(batch, n-done)
		args = args[:0]
		for i := range k {
			args = row(done+i, args)
		}
		if k == batch {
			_, err = full.Exec(args...)
		} else {
			_, err = tx.Exec(insertSQL(table, k), args...)
		}
		if err != nil {
			return err
		}
		done += k
	}
	return tx.Commit()
}

// insertPlain creates a table of the transactions' columns with no key and
// no index and writes n rows into it: the driver's raw insert rate.
func insertPlain(db *sql.DB, n int) error {
	defs := make([]string, len(columns))
	for i, c := range columns {
		defs[i] = c + " ANY"
	}
	if _, err := db.Exec(`CREATE TABLE plain (` + strings.Join(defs, ", ") + `) STRICT`); err != nil {
		return err
	}
	return insertRows(db, "plain", n)
}

// insertSchema writes n rows into freenahi's transactions table, with its
// indexes, triggers and search index.
func insertSchema(db *sql.DB, n int) error { return insertRows(db, "transactions", n) }

// scanAll reads every column of the user's transactions, newest first as a
// statement does, into typed Go values, and returns how many rows it read
// (checked against the rows written).
func scanAll(db *sql.DB) (int, error) {
	rows, err := db.Query(`SELECT `+strings.Join(columns, ", ")+` FROM transactions WHERE user_id = ? ORDER BY date DESC, id DESC`, 1)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	dest := make([]any, len(columns))
	var value *sql.NullInt64
	for i, c := range columns {
		switch {
		case c == "coming" || c == "active" || c == "transfer":
			dest[i] = new(bool)
		case isText(c):
			dest[i] = new(sql.NullString)
		default:
			dest[i] = new(sql.NullInt64)
			if c == "value_minor" {
				value = dest[i].(*sql.NullInt64)
			}
		}
	}
	n := 0
	var sum int64
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return n, err
		}
		sum += value.Int64 // keep the scan's values live
		n++
	}
	if sum == 0 && n > 0 {
		return n, fmt.Errorf("scanned amounts sum to zero")
	}
	return n, rows.Err()
}

// isText tells the text columns of columns.
func isText(c string) bool {
	switch c {
	case "amount_origin", "original_currency", "commission_currency", "type", "original_wording", "simplified_wording",
		"wording", "search_text", "card", "webid", "counterparty_label", "counterparty_scheme",
		"counterparty_identification", "counterparty_type", "payee", "category_source", "tags":
		return true
	}
	return false
}
