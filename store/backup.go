package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/freenahi/freenahi/archive"
)

// keyCheck is sealed into every archive's header with the source's secrets
// key, so that a restore can tell a missing or wrong key before loading.
const (
	keyCheckText = "freenahi archive key check"
	keyCheckAAD  = "archive_key_check"
)

// BackupOptions describe an archive.
type BackupOptions struct {
	// ID identifies the archive; a restore interrupted part-way resumes only
	// with the same ID. Default: random.
	ID string
	// Source names the database in the header (no password).
	Source string
	// Freenahi is the program's version.
	Freenahi string
}

// AccountFigure is what a backup says of an account, and what a restore
// checks: the number of its transactions, their sum and its balance.
type AccountFigure struct {
	ID           int64  `json:"id"`
	UserID       int64  `json:"user_id"`
	Currency     string `json:"currency"`
	Exponent     int    `json:"exponent"`
	BalanceMinor *int64 `json:"balance_minor"`
	Transactions int64  `json:"transactions"`
	// SumMinor is the sum of value_minor over every transaction row of the
	// account (deleted ones too), as decimal text: it may exceed 64 bits.
	SumMinor string `json:"sum_minor"`
}

// archiveChecks is the trailer's "checks" object.
type archiveChecks struct {
	Accounts []AccountFigure `json:"accounts"`
}

// BackupSummary says what an archive holds.
type BackupSummary struct {
	Header   archive.Header
	Rows     map[string]int64
	Tables   []string // in archive order
	Accounts []AccountFigure
}

// Backup writes every row of every table to w as an archive (see package
// archive), read in one snapshot: a read transaction on SQLite (WAL keeps
// what it sees fixed while writers go on), REPEATABLE READ on PostgreSQL. The
// archive is therefore consistent while the server keeps serving. Sealed
// secrets are copied as they are: restoring needs the same key.
func (s *Store) Backup(ctx context.Context, w io.Writer, opts BackupOptions) (*BackupSummary, error) {
	txOpts := &sql.TxOptions{ReadOnly: true}
	if s.engine == Postgres {
		txOpts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.rdb.BeginTx(ctx, txOpts)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer tx.Rollback()
	// The snapshot starts at the first read on SQLite: take it now.
	migrations, err := appliedMigrations(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	tables, err := s.catalog(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	check, err := s.secrets.Seal([]byte(keyCheckText), keyCheckAAD)
	if err != nil {
		return nil, fmt.Errorf("backup: seal the key check: %w", err)
	}
	if opts.ID == "" {
		b := make([]byte, 16)
		rand.Read(b)
		opts.ID = hex.EncodeToString(b)
	}
	h := archive.Header{ID: opts.ID, Source: opts.Source, Engine: string(s.engine), Migrations: migrations,
		CreatedAt: s.now(), Freenahi: opts.Freenahi, KeyCheck: check}
	aw, err := archive.NewWriter(w, h)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	sum := &BackupSummary{Header: h}
	for _, t := range tables {
		if err := s.dumpTable(ctx, tx, aw, t); err != nil {
			return nil, fmt.Errorf("backup table %s: %w", t.name, err)
		}
		sum.Tables = append(sum.Tables, t.name)
	}
	if sum.Accounts, err = accountFigures(ctx, tx); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	checks, err := json.Marshal(archiveChecks{Accounts: sum.Accounts})
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	tr := archive.Trailer{Checks: checks}
	if err := aw.Close(tr); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	sum.Rows = aw.Rows()
	return sum, nil
}

// dumpTable writes a table's rows in primary-key order: the same data gives
// the same archive, and an interrupted restore resumes by counting the rows
// it already loaded.
func (s *Store) dumpTable(ctx context.Context, tx *sql.Tx, aw *archive.Writer, t tableInfo) error {
	cols := make([]archive.Column, len(t.columns))
	sel := make([]string, len(t.columns))
	for i, c := range t.columns {
		cols[i] = archive.Column{Name: c.name, Type: c.typ}
		sel[i] = quoteIdent(c.name)
		if c.cast {
			sel[i] += "::text"
		}
	}
	order := t.key
	if len(order) == 0 {
		order = make([]string, len(t.columns))
		for i, c := range t.columns {
			order[i] = c.name
		}
	}
	by := make([]string, len(order))
	for i, o := range order {
		by[i] = quoteIdent(o)
	}
	if err := aw.BeginTable(archive.Table{Name: t.name, Columns: cols}); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(sel, ", ")+` FROM `+quoteIdent(t.name)+` ORDER BY `+strings.Join(by, ", "))
	if err != nil {
		return err
	}
	defer rows.Close()
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range values {
			switch v := v.(type) {
			case int32:
				values[i] = int64(v)
			case int16:
				values[i] = int64(v)
			case time.Time:
				return fmt.Errorf("column %s holds a time (%v); freenahi stores instants as integers", t.columns[i].name, v)
			}
		}
		if err := aw.WriteRow(values); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return aw.EndTable()
}

// accountFigures counts and sums each account's transactions, in SQL: the
// restore runs the same query on the target, so the figures come from the
// databases themselves and not from the archive code.
func accountFigures(ctx context.Context, q querier) ([]AccountFigure, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.user_id, a.currency, a.currency_exponent, a.balance_minor,
			(SELECT count(*) FROM transactions t WHERE t.account_id = a.id),
			CAST(COALESCE((SELECT sum(t.value_minor) FROM transactions t WHERE t.account_id = a.id), 0) AS TEXT)
		FROM accounts a ORDER BY a.id`)
	if err != nil {
		return nil, fmt.Errorf("account figures: %w", err)
	}
	defer rows.Close()
	var out []AccountFigure
	for rows.Next() {
		var f AccountFigure
		var bal sql.NullInt64
		if err := rows.Scan(&f.ID, &f.UserID, &f.Currency, &f.Exponent, &bal, &f.Transactions, &f.SumMinor); err != nil {
			return nil, fmt.Errorf("account figures: %w", err)
		}
		if bal.Valid {
			f.BalanceMinor = &bal.Int64
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("account figures: %w", err)
	}
	return out, nil
}
