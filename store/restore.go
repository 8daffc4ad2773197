package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/freenahi/freenahi/archive"
	"github.com/freenahi/freenahi/seal"
)

// restoreMarker is a table that exists only while a restore is loading: it
// names the archive being loaded (so that running the same restore again
// resumes it) and makes Open refuse a half-loaded database.
const restoreMarker = "freenahi_restore"

var errUnfinishedRestore = errors.New("a restore or copy into this database did not finish: run the same `freenahi restore` or `freenahi copy` again to resume it, or add --force to start over")

// ErrArchiveKey means the configured secrets key is not the one the
// archive's secrets were sealed with.
var ErrArchiveKey = errors.New("the archive's secrets (Powens tokens, Inqom passwords) were sealed with another key: restoring needs the secrets key of the database that was backed up (FREENAHI_SECRET_KEY, or its secret.key file)")

// RestoreOptions configure Restore.
type RestoreOptions struct {
	// Secrets must be the key of the backed-up database.
	Secrets *seal.Key
	Logger  *slog.Logger
	// Force replaces whatever the target holds (undoing every migration
	// first), and starts over an unfinished restore of another archive.
	Force bool
	// Check reads the whole archive once before touching the target, so a
	// truncated or corrupt file is refused with the target untouched. A copy
	// streams from a database and skips it.
	Check bool
	// Progress, if set, is called after each commit with the rows of a table
	// loaded so far and the table's total.
	Progress func(table string, loaded, total int64)
	// CommitRows is how many rows a transaction of the load holds at most
	// (0: 10,000); what is committed stays when a run is interrupted.
	CommitRows int
}

// TableRestore tells what a restore did with a table.
type TableRestore struct {
	Name string
	Rows int64 // rows in the archive
	// Skipped rows were already loaded by an earlier, interrupted run.
	Skipped int64
}

// RestoreReport tells what a restore did and what it checked.
type RestoreReport struct {
	Header  archive.Header
	Resumed bool
	Tables  []TableRestore
	// Expected are the figures the archive carries; Restored the same query
	// run on the target after loading. Restore fails when they differ.
	Expected, Restored []AccountFigure
	// Migrated lists migrations applied after loading, for an archive
	// written by an older freenahi.
	Migrated []int64
}

// Restore loads an archive into the database at rawURL. The target must be
// empty (or Force set). The schema is built at the archive's migrations, the
// rows loaded in batches committed in archive order (so a restore
// interrupted part-way resumes where it stopped when run again), row counts
// and per-account figures compared with the archive's, and only then are the
// migrations this freenahi has beyond the archive's applied.
func Restore(ctx context.Context, rawURL string, open func() (io.ReadCloser, error), opts RestoreOptions) (*RestoreReport, error) {
	if opts.Secrets == nil {
		return nil, ErrArchiveKey
	}
	if opts.Check {
		if err := checkArchive(open, opts.Secrets); err != nil {
			return nil, err
		}
	}
	rc, err := open()
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer rc.Close()
	ar, err := archive.NewReader(rc)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	h := ar.Header()
	if err := checkKey(h, opts.Secrets); err != nil {
		return nil, err
	}
	s, err := openDB(ctx, rawURL, Options{Secrets: opts.Secrets, Logger: opts.Logger})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	p, err := s.provider()
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	known := map[int64]bool{}
	for _, src := range p.ListSources() {
		known[src.Version] = true
	}
	for _, v := range h.Migrations {
		if !known[v] {
			return nil, fmt.Errorf("restore: the archive was written by a newer freenahi (its schema has migration %d, which this freenahi does not know): restore it with freenahi %s or later", v, h.Freenahi)
		}
	}
	rep := &RestoreReport{Header: h}
	if rep.Resumed, err = s.prepareRestore(ctx, h, opts.Force); err != nil {
		return nil, err
	}
	if err := s.loadArchive(ctx, ar, rep, opts); err != nil {
		return rep, fmt.Errorf("restore: %w", err)
	}
	if err := s.verifyRestore(ctx, ar.Trailer(), rep); err != nil {
		return rep, fmt.Errorf("restore: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return rep, fmt.Errorf("restore: apply this freenahi's newer migrations: %w", err)
	}
	for _, r := range results {
		rep.Migrated = append(rep.Migrated, r.Source.Version)
	}
	if _, err := s.wdb.ExecContext(ctx, `DROP TABLE `+restoreMarker); err != nil {
		return rep, fmt.Errorf("restore: finish: %w", err)
	}
	return rep, nil
}

// checkArchive reads an archive to its end: structure, counts, CRC, key.
func checkArchive(open func() (io.ReadCloser, error), key *seal.Key) error {
	rc, err := open()
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer rc.Close()
	ar, err := archive.NewReader(rc)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := checkKey(ar.Header(), key); err != nil {
		return err
	}
	sealedChecked := false
	var row []any
	for {
		t, err := ar.Next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		for {
			var more bool
			if row, more, err = ar.Row(row); err != nil {
				return fmt.Errorf("restore: %w", err)
			} else if !more {
				break
			}
			// Beyond the header's check, open one real sealed value: the
			// key id in it says whether this key sealed it.
			for i, c := range t.Columns {
				b, ok := row[i].([]byte)
				if sealedChecked || !ok || len(b) == 0 || !strings.HasSuffix(c.Name, "_sealed") {
					continue
				}
				if _, err := key.Open(b, ""); errors.Is(err, seal.ErrWrongKey) {
					return fmt.Errorf("restore: %s.%s: %w", t.Name, c.Name, ErrArchiveKey)
				}
				sealedChecked = true
			}
		}
	}
}

func checkKey(h archive.Header, key *seal.Key) error {
	if len(h.KeyCheck) == 0 {
		return nil
	}
	if pt, err := key.Open(h.KeyCheck, keyCheckAAD); err != nil || string(pt) != keyCheckText {
		return ErrArchiveKey
	}
	return nil
}

// prepareRestore leaves the target at the archive's migrations with the
// marker in place, refusing a target that holds data unless forced. It
// reports whether an earlier run of the same archive is being resumed.
func (s *Store) prepareRestore(ctx context.Context, h archive.Header, force bool) (resumed bool, err error) {
	marked, err := s.tableExists(ctx, s.wdb, restoreMarker)
	if err != nil {
		return false, fmt.Errorf("restore: %w", err)
	}
	if marked {
		var id string
		if err := s.wdb.QueryRowContext(ctx, `SELECT archive_id FROM `+restoreMarker).Scan(&id); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return false, fmt.Errorf("restore: read the unfinished restore: %w", err)
		}
		switch {
		case id == h.ID && !force:
			resumed = true
		case !force:
			return false, fmt.Errorf("restore: this database holds an unfinished restore of another archive (%s); add --force to replace it", id)
		}
	} else if !force {
		full, err := s.nonEmptyTables(ctx)
		if err != nil {
			return false, fmt.Errorf("restore: %w", err)
		}
		if len(full) > 0 {
			return false, fmt.Errorf("restore: the database is not empty (%s hold rows): restore into an empty database, or add --force to replace everything in it", strings.Join(full, ", "))
		}
	}
	p, err := s.provider()
	if err != nil {
		return false, fmt.Errorf("restore: %w", err)
	}
	if !resumed {
		// Start from nothing: the archive's migrations are applied below,
		// whatever this freenahi's latest is.
		if versioned, err := s.tableExists(ctx, s.wdb, "goose_db_version"); err != nil {
			return false, fmt.Errorf("restore: %w", err)
		} else if versioned {
			if _, err := p.DownTo(ctx, 0); err != nil {
				return false, fmt.Errorf("restore: empty the database (undo its migrations): %w", err)
			}
		}
		if _, err := s.wdb.ExecContext(ctx, `DROP TABLE IF EXISTS `+restoreMarker); err != nil {
			return false, fmt.Errorf("restore: %w", err)
		}
		if left, err := s.catalog(ctx, s.wdb); err != nil {
			return false, fmt.Errorf("restore: %w", err)
		} else if len(left) > 0 {
			names := make([]string, len(left))
			for i, t := range left {
				names[i] = t.name
			}
			return false, fmt.Errorf("restore: tables that freenahi's migrations do not remove are in the way: %s", strings.Join(names, ", "))
		}
		if _, err := s.wdb.ExecContext(ctx, `CREATE TABLE `+restoreMarker+` (archive_id TEXT NOT NULL, started_at BIGINT NOT NULL)`); err != nil {
			return false, fmt.Errorf("restore: %w", err)
		}
		if _, err := s.wdb.ExecContext(ctx, `INSERT INTO `+restoreMarker+` (archive_id, started_at) VALUES ($1, $2)`, h.ID, s.now().UnixMicro()); err != nil {
			return false, fmt.Errorf("restore: %w", err)
		}
	}
	var applied []int64
	if versioned, err := s.tableExists(ctx, s.wdb, "goose_db_version"); err != nil {
		return false, fmt.Errorf("restore: %w", err)
	} else if versioned {
		if applied, err = appliedMigrations(ctx, s.wdb); err != nil {
			return false, fmt.Errorf("restore: %w", err)
		}
	}
	for _, v := range h.Migrations {
		if slices.Contains(applied, v) {
			continue
		}
		if _, err := p.ApplyVersion(ctx, v, true); err != nil {
			return false, fmt.Errorf("restore: build the archive's schema (migration %d): %w", v, err)
		}
	}
	return resumed, nil
}

// nonEmptyTables names the tables holding rows.
func (s *Store) nonEmptyTables(ctx context.Context) ([]string, error) {
	tables, err := s.catalog(ctx, s.wdb)
	if err != nil {
		return nil, err
	}
	var full []string
	for _, t := range tables {
		var one int
		err := s.wdb.QueryRowContext(ctx, `SELECT 1 FROM `+quoteIdent(t.name)+` LIMIT 1`).Scan(&one)
		if err == nil {
			full = append(full, t.name)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	return full, nil
}

// Batches: one INSERT carries at most this many parameters (SQLite allows
// 32,766, PostgreSQL 65,535) and bytes; a transaction commits after these
// many rows or bytes.
const (
	restoreParams    = 30_000
	restoreStmtBytes = 8 << 20
	restoreTxBytes   = 64 << 20
)

// restoreTxRows is the default of RestoreOptions.CommitRows.
const restoreTxRows = 10_000

func (s *Store) loadArchive(ctx context.Context, ar *archive.Reader, rep *RestoreReport, opts RestoreOptions) error {
	tables, err := s.catalog(ctx, s.wdb)
	if err != nil {
		return err
	}
	byName := map[string]tableInfo{}
	for _, t := range tables {
		byName[t.name] = t
	}
	var row []any
	for {
		at, err := ar.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		t, ok := byName[at.Name]
		if !ok {
			return fmt.Errorf("the archive's table %s does not exist in the schema of its migrations", at.Name)
		}
		types := make([]string, len(at.Columns))
		names := make([]string, len(at.Columns))
		for i, c := range at.Columns {
			j := slices.IndexFunc(t.columns, func(tc columnInfo) bool { return tc.name == c.Name })
			if j < 0 {
				return fmt.Errorf("the archive's column %s.%s does not exist in the schema of its migrations", at.Name, c.Name)
			}
			types[i], names[i] = t.columns[j].typ, quoteIdent(c.Name)
		}
		var loaded int64
		if err := s.wdb.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteIdent(at.Name)).Scan(&loaded); err != nil {
			return fmt.Errorf("count rows of %s: %w", at.Name, err)
		}
		if loaded > 0 && !rep.Resumed {
			return fmt.Errorf("table %s holds %d rows after its migrations ran; a restore needs it empty", at.Name, loaded)
		}
		tl := &tableLoader{s: s, table: at.Name, columns: names, types: types}
		var n int64
		for {
			var more bool
			if row, more, err = ar.Row(row); err != nil {
				return err
			} else if !more {
				break
			}
			if n++; n <= loaded {
				continue // loaded by an interrupted run: rows come in the same order
			}
			if err := tl.add(ctx, row); err != nil {
				return err
			}
			if tl.txRows >= cmp.Or(opts.CommitRows, restoreTxRows) || tl.txBytes >= restoreTxBytes {
				if err := tl.commit(ctx); err != nil {
					return err
				}
				if opts.Progress != nil {
					opts.Progress(at.Name, n, -1)
				}
			}
		}
		if err := tl.commit(ctx); err != nil {
			return err
		}
		if opts.Progress != nil {
			opts.Progress(at.Name, n, n)
		}
		rep.Tables = append(rep.Tables, TableRestore{Name: at.Name, Rows: n, Skipped: min(loaded, n)})
		if err := s.followIdentity(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// followIdentity moves PostgreSQL's identity sequences past the loaded ids
// (SQLite's follow inserted rowids by themselves).
func (s *Store) followIdentity(ctx context.Context, t tableInfo) error {
	for _, c := range t.identity {
		col, tbl := quoteIdent(c), quoteIdent(t.name)
		if _, err := s.wdb.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2),
			COALESCE((SELECT max(`+col+`) FROM `+tbl+`), 1), (SELECT max(`+col+`) FROM `+tbl+`) IS NOT NULL)`, tbl, c); err != nil {
			return fmt.Errorf("move the identity of %s.%s: %w", t.name, c, err)
		}
	}
	return nil
}

// tableLoader inserts rows of one table in multi-row INSERTs.
type tableLoader struct {
	s               *Store
	table           string
	columns, types  []string
	tx              *sql.Tx
	args            []any
	rows            int
	stmtBytes       int
	txRows, txBytes int
	fullSQL         string
}

func (tl *tableLoader) add(ctx context.Context, row []any) error {
	for i, v := range row {
		cv, size, err := convertValue(v, tl.types[i], tl.s.engine)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", tl.table, strings.Trim(tl.columns[i], `"`), err)
		}
		tl.args = append(tl.args, cv)
		tl.stmtBytes += size
	}
	tl.rows++
	if len(tl.args)+len(row) > restoreParams || tl.stmtBytes >= restoreStmtBytes {
		return tl.flush(ctx)
	}
	return nil
}

func (tl *tableLoader) insertSQL(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO ` + quoteIdent(tl.table) + ` (` + strings.Join(tl.columns, ", ") + `)`)
	if tl.s.engine == Postgres {
		b.WriteString(` OVERRIDING SYSTEM VALUE`)
	}
	b.WriteString(` VALUES `)
	p := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range tl.columns {
			if c > 0 {
				b.WriteString(", ")
			}
			// SQLite looks "$n" names up in a list, so a statement of n of
			// them parses in O(n²) (minutes for 30,000); "?" is positional.
			if tl.s.engine == SQLite {
				b.WriteByte('?')
			} else {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(p))
				p++
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

func (tl *tableLoader) flush(ctx context.Context) error {
	if tl.rows == 0 {
		return nil
	}
	if tl.tx == nil {
		var err error
		if tl.tx, err = tl.s.wdb.BeginTx(ctx, nil); err != nil {
			return err
		}
	}
	full := restoreParams / len(tl.columns)
	query := ""
	if tl.rows == full {
		if tl.fullSQL == "" {
			tl.fullSQL = tl.insertSQL(full)
		}
		query = tl.fullSQL
	} else {
		query = tl.insertSQL(tl.rows)
	}
	if _, err := tl.tx.ExecContext(ctx, query, tl.args...); err != nil {
		return fmt.Errorf("insert into %s: %w", tl.table, err)
	}
	tl.txRows += tl.rows
	tl.txBytes += tl.stmtBytes
	clear(tl.args)
	tl.args, tl.rows, tl.stmtBytes = tl.args[:0], 0, 0
	return nil
}

func (tl *tableLoader) commit(ctx context.Context) error {
	if err := tl.flush(ctx); err != nil {
		return err
	}
	if tl.tx == nil {
		return nil
	}
	err := tl.tx.Commit()
	tl.tx, tl.txRows, tl.txBytes = nil, 0, 0
	if err != nil {
		return fmt.Errorf("insert into %s: %w", tl.table, err)
	}
	return nil
}

// convertValue turns an archived value into what the target column takes:
// SQLite keeps booleans as 0 and 1, PostgreSQL wants true and false. It also
// returns the value's size, to bound a batch.
func convertValue(v any, typ string, engine Engine) (any, int, error) {
	switch v := v.(type) {
	case nil:
		return nil, 1, nil
	case int64:
		switch {
		case typ == archive.TypeBool && engine == Postgres:
			if v != 0 && v != 1 {
				return nil, 0, fmt.Errorf("%d is not a boolean", v)
			}
			return v == 1, 1, nil
		case typ == archive.TypeFloat:
			return float64(v), 8, nil
		}
		return v, 8, nil
	case bool:
		if engine == SQLite || typ == archive.TypeInt {
			if v {
				return int64(1), 1, nil
			}
			return int64(0), 1, nil
		}
		return v, 1, nil
	case string:
		if typ == archive.TypeBytes {
			return []byte(v), len(v), nil
		}
		if engine == Postgres && !utf8.ValidString(v) {
			return nil, 0, errors.New("text that is not valid UTF-8 cannot go into PostgreSQL")
		}
		return v, len(v), nil
	case []byte:
		if typ == archive.TypeText {
			return string(v), len(v), nil
		}
		return v, len(v), nil
	case float64:
		return v, 8, nil
	}
	return nil, 0, fmt.Errorf("unexpected value of type %T", v)
}

// verifyRestore compares the target with the archive's own counts and the
// source's per-account figures, each recomputed on the target by SQL.
func (s *Store) verifyRestore(ctx context.Context, tr *archive.Trailer, rep *RestoreReport) error {
	var problems []string
	for _, t := range rep.Tables {
		var n int64
		if err := s.wdb.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteIdent(t.Name)).Scan(&n); err != nil {
			return fmt.Errorf("count rows of %s: %w", t.Name, err)
		}
		if n != tr.Rows[t.Name] {
			problems = append(problems, fmt.Sprintf("table %s holds %d rows, the archive %d", t.Name, n, tr.Rows[t.Name]))
		}
	}
	var checks archiveChecks
	if len(tr.Checks) > 0 {
		if err := json.Unmarshal(tr.Checks, &checks); err != nil {
			return fmt.Errorf("the archive's checks: %w", err)
		}
	}
	rep.Expected = checks.Accounts
	var err error
	if rep.Restored, err = accountFigures(ctx, s.wdb); err != nil {
		return err
	}
	problems = append(problems, compareFigures(rep.Expected, rep.Restored)...)
	if len(problems) > 0 {
		return fmt.Errorf("the restored database does not match the archive (the database stays marked unfinished):\n%s", strings.Join(problems, "\n"))
	}
	return nil
}

func compareFigures(want, got []AccountFigure) []string {
	var out []string
	byID := map[int64]AccountFigure{}
	for _, f := range got {
		byID[f.ID] = f
	}
	for _, w := range want {
		g, ok := byID[w.ID]
		delete(byID, w.ID)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("account %d is missing", w.ID))
		case g.Transactions != w.Transactions || g.SumMinor != w.SumMinor:
			out = append(out, fmt.Sprintf("account %d: %d transactions summing to %s, the archive says %d summing to %s", w.ID, g.Transactions, g.SumMinor, w.Transactions, w.SumMinor))
		case g.UserID != w.UserID || g.Currency != w.Currency || g.Exponent != w.Exponent || !equalPtr(g.BalanceMinor, w.BalanceMinor):
			out = append(out, fmt.Sprintf("account %d: owner, currency or balance differ from the archive", w.ID))
		}
	}
	for id := range byID {
		out = append(out, fmt.Sprintf("account %d is not in the archive", id))
	}
	return out
}

func equalPtr(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
