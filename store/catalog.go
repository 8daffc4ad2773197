package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/freenahi/freenahi/archive"
)

// querier is what catalog queries need: a *sql.DB, *sql.Tx or *sql.Conn.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// tableInfo describes one table as the database itself declares it, so that
// backups carry every table, including those added by later migrations,
// without a list to keep up to date.
type tableInfo struct {
	name     string
	columns  []columnInfo
	key      []string // primary key columns, in key order
	refs     []string // tables its foreign keys point to
	identity []string // PostgreSQL identity columns, whose sequences follow a restore
}

type columnInfo struct {
	name string
	typ  string // an archive type
	// cast is set for PostgreSQL types the archive carries as text (numeric,
	// json…): selected as ::text.
	cast bool
}

// Tables that are not freenahi's data: goose's own table (the archive
// records the applied migrations in its header instead), SQLite's internals,
// the marker of an unfinished restore and the tables derived from others by
// triggers (derivedTables), which a restore rebuilds as it loads their source.
func skipTable(name string) bool {
	return name == "goose_db_version" || name == restoreMarker || strings.HasPrefix(name, "sqlite_") ||
		slices.Contains(derivedTables, name) ||
		// The search index (and its shadow tables) is derived from transactions:
		// the database rebuilds it, row by row, as a restore writes them.
		strings.HasPrefix(name, "transactions_search")
}

// derivedTables are kept by triggers from other tables: the per-day sums
// of transactions and the history versions (migration 00055), the monthly
// sums the reports read (00110), the page versions (00150).
var derivedTables = []string{"transaction_days", "history_versions", "report_flows", "report_parts", "page_versions"}

// catalog lists the tables in an order where every table comes after the
// tables it references, ties by name.
func (s *Store) catalog(ctx context.Context, q querier) ([]tableInfo, error) {
	var names []string
	query := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if s.engine == Postgres {
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	if err := queryStrings(ctx, q, &names, query); err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	var tables []tableInfo
	for _, n := range names {
		if skipTable(n) {
			continue
		}
		t, err := s.describe(ctx, q, n)
		if err != nil {
			return nil, fmt.Errorf("describe table %s: %w", n, err)
		}
		tables = append(tables, t)
	}
	return sortByReferences(tables), nil
}

func (s *Store) describe(ctx context.Context, q querier, name string) (tableInfo, error) {
	t := tableInfo{name: name}
	if s.engine == SQLite {
		rows, err := q.QueryContext(ctx, `SELECT name, type, pk FROM pragma_table_info($1) ORDER BY cid`, name)
		if err != nil {
			return t, err
		}
		type keyCol struct {
			name string
			pos  int
		}
		var keys []keyCol
		for rows.Next() {
			var c columnInfo
			var decl string
			var pk int
			if err := rows.Scan(&c.name, &decl, &pk); err != nil {
				rows.Close()
				return t, err
			}
			c.typ = sqliteType(decl)
			t.columns = append(t.columns, c)
			if pk > 0 {
				keys = append(keys, keyCol{c.name, pk})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return t, err
		}
		slices.SortFunc(keys, func(a, b keyCol) int { return cmp.Compare(a.pos, b.pos) })
		for _, k := range keys {
			t.key = append(t.key, k.name)
		}
		if err := queryStrings(ctx, q, &t.refs, `SELECT DISTINCT "table" FROM pragma_foreign_key_list($1)`, name); err != nil {
			return t, err
		}
		return t, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT column_name, data_type, is_identity FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, name)
	if err != nil {
		return t, err
	}
	for rows.Next() {
		var c columnInfo
		var dataType, identity string
		if err := rows.Scan(&c.name, &dataType, &identity); err != nil {
			rows.Close()
			return t, err
		}
		if name == "transactions" && c.name == "search_words" {
			// Derived from search_text by the writer (migration 00240),
			// and PostgreSQL's alone: an archive restores into either
			// engine, and a row restored without it is indexed from its
			// search text, as before 00240.
			continue
		}
		c.typ, c.cast = postgresType(dataType)
		t.columns = append(t.columns, c)
		if identity == "YES" {
			t.identity = append(t.identity, c.name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}
	const rel = `(quote_ident(current_schema()) || '.' || quote_ident($1))::regclass`
	if err := queryStrings(ctx, q, &t.key, `SELECT a.attname FROM pg_index i
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
		WHERE i.indrelid = `+rel+` AND i.indisprimary
		ORDER BY array_position(i.indkey::int2[], a.attnum)`, name); err != nil {
		return t, err
	}
	if err := queryStrings(ctx, q, &t.refs, `SELECT DISTINCT c.relname FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.confrelid
		WHERE k.conrelid = `+rel+` AND k.contype = 'f'`, name); err != nil {
		return t, err
	}
	return t, nil
}

// sqliteType follows SQLite's own affinity rules (section 3.1 of "Datatypes
// In SQLite"), with BOOLEAN told apart.
func sqliteType(decl string) string {
	d := strings.ToUpper(decl)
	switch {
	case strings.Contains(d, "BOOL"):
		return archive.TypeBool
	case strings.Contains(d, "INT"):
		return archive.TypeInt
	case strings.Contains(d, "CHAR"), strings.Contains(d, "CLOB"), strings.Contains(d, "TEXT"):
		return archive.TypeText
	case d == "", strings.Contains(d, "BLOB"):
		return archive.TypeBytes
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"):
		return archive.TypeFloat
	}
	return archive.TypeText
}

func postgresType(dataType string) (typ string, cast bool) {
	switch dataType {
	case "smallint", "integer", "bigint":
		return archive.TypeInt, false
	case "boolean":
		return archive.TypeBool, false
	case "bytea":
		return archive.TypeBytes, false
	case "text", "character varying", "character":
		return archive.TypeText, false
	case "double precision", "real":
		return archive.TypeFloat, false
	}
	return archive.TypeText, true
}

// sortByReferences orders tables so that referenced tables come first.
func sortByReferences(tables []tableInfo) []tableInfo {
	slices.SortFunc(tables, func(a, b tableInfo) int { return strings.Compare(a.name, b.name) })
	done := map[string]bool{}
	present := map[string]bool{}
	for _, t := range tables {
		present[t.name] = true
	}
	var out []tableInfo
	for len(out) < len(tables) {
		progressed := false
		for _, t := range tables {
			if done[t.name] {
				continue
			}
			ready := true
			for _, r := range t.refs {
				if r != t.name && present[r] && !done[r] {
					ready = false
				}
			}
			if ready {
				out = append(out, t)
				done[t.name] = true
				progressed = true
			}
		}
		if !progressed { // a cycle: keep the rest by name
			for _, t := range tables {
				if !done[t.name] {
					out = append(out, t)
					done[t.name] = true
				}
			}
		}
	}
	return out
}

func queryStrings(ctx context.Context, q querier, dst *[]string, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		*dst = append(*dst, v)
	}
	return rows.Err()
}

// quoteIdent quotes a table or column name for both engines.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// tableExists reports whether a table exists (in the current schema on PostgreSQL).
func (s *Store) tableExists(ctx context.Context, q querier, name string) (bool, error) {
	query := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1`
	if s.engine == Postgres {
		query = `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`
	}
	rows, err := q.QueryContext(ctx, query, name)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var n int
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return false, err
		}
	}
	return n > 0, rows.Err()
}

// appliedMigrations lists the versions goose records as applied (its table
// keeps a history: the latest row of a version tells).
func appliedMigrations(ctx context.Context, q querier) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT version_id, is_applied FROM goose_db_version ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	defer rows.Close()
	applied := map[int64]bool{}
	for rows.Next() {
		var v int64
		var ok bool
		if err := rows.Scan(&v, &ok); err != nil {
			return nil, fmt.Errorf("read applied migrations: %w", err)
		}
		applied[v] = ok
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	var out []int64
	for v, ok := range applied {
		if ok && v > 0 {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out, nil
}
