package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/freenahi/freenahi"
)

// syncWriter is the freenahi.SyncWriter of one event's transaction. Every
// upsert carries the event id and never lets an older event (a replay)
// overwrite what a newer one wrote; unchanged rows are not rewritten at all,
// which keeps a re-delivery cheap. Rows that name one of our connections or
// accounts by id are written only when it is the user's: ENOTFOUND else.
type syncWriter struct {
	s       *Store
	tx      textTx
	userID  int64
	eventID int64
	now     time.Time

	// owned holds the connection and account ids known to be the user's:
	// those the event upserted, and those already checked.
	owned map[ownedKey]bool

	// raw, on SQLite, runs the full batches on the driver's connection
	// through statements prepared once (rawBatches, batchesOn): parsing a
	// statement of 14,800 parameters costs as much as running it.
	raw *rawBatches
	// cells and args are the buffers of upsertTransactionBatch (SQLite),
	// reused from batch to batch: 550 kB a batch of garbage otherwise.
	cells, args []any

	// categorizer sorts the event's transactions, loaded from the user's
	// categories, rules and corrections on the first batch.
	categorizer *freenahi.Categorizer

	// conn, on PostgreSQL, is the connection of tx, through which
	// transactions are copied (sync_copy.go); nil elsewhere. pending are
	// the transactions collected for the next copy, staged tells whether
	// the staging table exists in this transaction.
	conn    *sql.Conn
	pending []*freenahi.Transaction
	staged  bool
	// deferred tells whether the event's report sums wait for finish
	// (report_defer, PostgreSQL): set before its first copy.
	deferred bool

	// gather, on SQLite, collects an event's transactions across
	// accounts so that every statement but the event's last carries a
	// full batch (sqliteGather); pending holds them until then.
	gather bool
	// deferral, on SQLite, is open while full batches are written with the
	// insert triggers out (sync_sqlite.go).
	deferral *insertDeferral
	// largeWrite tells that the event wrote full batches of new rows
	// (SQLite): its commit signals a checkpoint (checkpoint.go).
	largeWrite bool
	// wroteTransactions tells that the writer wrote transactions: on
	// PostgreSQL its commit asks for a merge of the word index's pending
	// list (search_pending.go).
	wroteTransactions bool
}

// ownedKey names a connection or an account by its table and our id.
type ownedKey struct {
	table string
	id    int64
}

// own checks that a connection or account (table) is the user's. The ingest
// path upserts an account before its transactions in the same event, so
// the check costs a query only for ids the event did not write.
func (w *syncWriter) own(ctx context.Context, table string, id int64) error {
	k := ownedKey{table, id}
	if w.owned[k] {
		return nil
	}
	var one int
	err := w.tx.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = $1 AND user_id = $2`, id, w.userID).Scan(&one)
	if err != nil {
		if table == "connections" {
			return notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Connection %d not found.", id))
		}
		return notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", id))
	}
	w.remember(table, id)
	return nil
}

func (w *syncWriter) remember(table string, id int64) {
	if w.owned == nil {
		w.owned = map[ownedKey]bool{}
	}
	w.owned[ownedKey{table, id}] = true
}

// UserID returns the user whose data the writer writes.
func (w *syncWriter) UserID() int64 { return w.userID }

// ConnectionID returns our id of the user's connection by its Powens id, or ENOTFOUND.
func (w *syncWriter) ConnectionID(ctx context.Context, powensID int64) (int64, error) {
	if err := w.flush(ctx); err != nil {
		return 0, err
	}
	var id int64
	err := w.tx.QueryRowContext(ctx, `SELECT id FROM connections WHERE user_id = $1 AND powens_id = $2`, w.userID, powensID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("find connection %d: %w", powensID, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Connection %d not found.", powensID)))
	}
	return id, nil
}

var connectionUpsert = &upsertSpec{
	table:    "connections",
	conflict: "user_id, powens_id",
	columns: []string{"user_id", "powens_id", "connector_id", "connector_uuid", "bank_name", "state", "error_message",
		"last_update", "created", "active", "expire", "next_try", "deleted_at", "event_id", "updated_at"},
	fixed: []string{"user_id", "powens_id"},
	// Events that do not expand the connector or omit dates keep what we know.
	merge: map[string]string{
		"connector_id":   "COALESCE(excluded.connector_id, connections.connector_id)",
		"connector_uuid": "CASE WHEN excluded.connector_uuid <> '' THEN excluded.connector_uuid ELSE connections.connector_uuid END",
		"bank_name":      "CASE WHEN excluded.bank_name <> '' THEN excluded.bank_name ELSE connections.bank_name END",
		"last_update":    "COALESCE(excluded.last_update, connections.last_update)",
		"created":        "COALESCE(excluded.created, connections.created)",
	},
	returning: "id",
}

// UpsertConnection writes a connection and its sources and sets c.ID.
func (w *syncWriter) UpsertConnection(ctx context.Context, c *freenahi.Connection) error {
	if err := w.flush(ctx); err != nil {
		return err
	}
	c.UserID = w.userID
	err := w.tx.QueryRowContext(ctx, connectionUpsert.sql(1, w.s.engine),
		w.userID, c.PowensID, nullInt(c.ConnectorID), c.ConnectorUUID, c.BankName, string(c.State), c.ErrorMessage,
		nullMicros(c.LastUpdate), nullMicros(c.Created), c.Active, nullMicros(c.Expire), nullMicros(c.NextTry),
		nil, w.eventID, micros(w.now)).Scan(&c.ID)
	if errors.Is(err, sql.ErrNoRows) {
		// Unchanged, or a newer event already wrote it: keep what is stored.
		c.ID, err = w.ConnectionID(ctx, c.PowensID)
	}
	if err != nil {
		return fmt.Errorf("upsert connection %d: %w", c.PowensID, err)
	}
	w.remember("connections", c.ID)
	for i := range c.Sources {
		if err := w.upsertSource(ctx, c.ID, &c.Sources[i]); err != nil {
			return err
		}
	}
	return nil
}

func (w *syncWriter) upsertSource(ctx context.Context, connectionID int64, src *freenahi.ConnectionSource) error {
	_, err := w.tx.ExecContext(ctx, `
		INSERT INTO connection_sources (user_id, connection_id, powens_id, name, connector_source_id, state,
			last_update, created, disabled, access_expire, expire, next_try)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (connection_id, powens_id) DO UPDATE SET
			name = excluded.name, connector_source_id = excluded.connector_source_id, state = excluded.state,
			last_update = excluded.last_update, created = excluded.created, disabled = excluded.disabled,
			access_expire = excluded.access_expire, expire = excluded.expire, next_try = excluded.next_try`,
		w.userID, connectionID, src.PowensID, src.Name, nullInt(src.ConnectorSourceID), string(src.State),
		nullMicros(src.LastUpdate), nullMicros(src.Created), nullMicros(src.Disabled), nullMicros(src.AccessExpire),
		nullMicros(src.Expire), nullMicros(src.NextTry))
	if err != nil {
		return fmt.Errorf("upsert source %d: %w", src.PowensID, err)
	}
	return nil
}

// MarkConnectionDeleted soft-deletes a connection and its accounts; a
// connection never synced here is not an error (there is nothing to hide).
func (w *syncWriter) MarkConnectionDeleted(ctx context.Context, powensID int64, at time.Time) error {
	if err := w.flush(ctx); err != nil {
		return err
	}
	id, err := w.ConnectionID(ctx, powensID)
	if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
		return nil
	} else if err != nil {
		return fmt.Errorf("mark connection deleted: %w", err)
	}
	if _, err := w.tx.ExecContext(ctx, `UPDATE connections SET deleted_at = COALESCE(deleted_at, $1), updated_at = $2 WHERE id = $3`,
		micros(at), micros(w.now), id); err != nil {
		return fmt.Errorf("mark connection %d deleted: %w", powensID, err)
	}
	if _, err = w.tx.ExecContext(ctx, `UPDATE accounts SET deleted_at = COALESCE(deleted_at, $1), updated_at = $2
		WHERE connection_id = $3 AND user_id = $4`, micros(at), micros(w.now), id, w.userID); err != nil {
		return fmt.Errorf("mark accounts of connection %d deleted: %w", powensID, err)
	}
	return nil
}

var accountUpsert = &upsertSpec{
	table:    "accounts",
	conflict: "user_id, powens_id",
	columns: []string{"user_id", "connection_id", "powens_id", "powens_connection_id", "powens_parent_id",
		"powens_source_id", "type", "usage", "iban", "bic", "number", "name", "original_name", "company_name",
		"currency", "currency_exponent", "balance_minor", "coming_minor", "display", "bookmarked", "error",
		"opening_date", "disabled_at", "deleted_at", "last_update", "event_id", "updated_at"},
	fixed:     []string{"user_id", "powens_id"},
	merge:     map[string]string{"last_update": "COALESCE(excluded.last_update, accounts.last_update)"},
	returning: "id",
}

// UpsertAccount writes an account of one of the user's connections and sets a.ID.
func (w *syncWriter) UpsertAccount(ctx context.Context, a *freenahi.Account) error {
	if err := w.flushAccount(ctx, a); err != nil {
		return err
	}
	if err := w.own(ctx, "connections", a.ConnectionID); err != nil {
		return fmt.Errorf("upsert account %d: %w", a.PowensID, err)
	}
	a.UserID = w.userID
	err := w.tx.QueryRowContext(ctx, accountUpsert.sql(1, w.s.engine),
		w.userID, a.ConnectionID, a.PowensID, a.PowensConnectionID, nullInt(a.PowensParentID), nullInt(a.PowensSourceID),
		a.Type, a.Usage, a.IBAN, a.BIC, a.Number, a.Name, a.OriginalName, a.CompanyName, a.Currency.Code,
		a.Currency.Exponent, nullInt(a.BalanceMinor), nullInt(a.ComingMinor), a.Display, a.Bookmarked, a.Error,
		nullDate(a.OpeningDate), nullMicros(a.Disabled), nullMicros(a.Deleted), nullMicros(a.LastUpdate),
		w.eventID, micros(w.now)).Scan(&a.ID)
	if errors.Is(err, sql.ErrNoRows) {
		err = w.tx.QueryRowContext(ctx, `SELECT id FROM accounts WHERE user_id = $1 AND powens_id = $2`, w.userID, a.PowensID).Scan(&a.ID)
	}
	if err != nil {
		return fmt.Errorf("upsert account %d: %w", a.PowensID, err)
	}
	w.remember("accounts", a.ID)
	return nil
}

// AccountCurrency returns the currency stored for the user's account by its
// Powens id; ENOTFOUND when there is no such account or its currency is
// unknown (stored empty).
func (w *syncWriter) AccountCurrency(ctx context.Context, powensID int64) (freenahi.Currency, error) {
	if err := w.flushUnrelated(ctx); err != nil {
		return freenahi.Currency{}, err
	}
	var c freenahi.Currency
	err := w.tx.QueryRowContext(ctx, `SELECT currency, currency_exponent FROM accounts WHERE user_id = $1 AND powens_id = $2`,
		w.userID, powensID).Scan(&c.Code, &c.Exponent)
	if err == nil && c.Code == "" {
		err = sql.ErrNoRows
	}
	if err != nil {
		return c, fmt.Errorf("find currency of account %d: %w", powensID,
			notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", powensID)))
	}
	return c, nil
}

// MarkVanishedTransactions marks deleted the account's live transactions
// from `from` on that listed does not have. The stored ids are read and
// compared here, so the statement stays small whatever the history.
func (w *syncWriter) MarkVanishedTransactions(ctx context.Context, accountID int64, from freenahi.Date, listed map[int64]bool, at time.Time) (int, error) {
	if err := w.flush(ctx); err != nil {
		return 0, err
	}
	if err := w.own(ctx, "accounts", accountID); err != nil {
		return 0, fmt.Errorf("mark vanished transactions: %w", err)
	}
	rows, err := w.tx.QueryContext(ctx, `SELECT id, powens_id FROM transactions
		WHERE account_id = $1 AND date >= $2 AND deleted_at IS NULL`, accountID, int64(from.Int()))
	if err != nil {
		return 0, fmt.Errorf("read transactions of account %d: %w", accountID, err)
	}
	var gone []int64
	for rows.Next() {
		var id, pid int64
		if err := rows.Scan(&id, &pid); err != nil {
			rows.Close()
			return 0, fmt.Errorf("read transactions of account %d: %w", accountID, err)
		}
		if !listed[pid] {
			gone = append(gone, id)
		}
	}
	if err := rows.Close(); err != nil {
		return 0, err
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("read transactions of account %d: %w", accountID, err)
	}
	for _, id := range gone {
		if _, err := w.tx.ExecContext(ctx, `UPDATE transactions SET deleted_at = $1, event_id = $2, updated_at = $3
			WHERE id = $4 AND deleted_at IS NULL`, micros(at), w.eventID, micros(w.now), id); err != nil {
			return 0, fmt.Errorf("mark transaction %d vanished: %w", id, err)
		}
	}
	return len(gone), nil
}

// SetAccountDisabled records an account_enabled (nil) or account_disabled
// event; an account never synced here, or written by a newer event, is left
// alone without error.
func (w *syncWriter) SetAccountDisabled(ctx context.Context, powensID int64, disabled *time.Time) error {
	if err := w.flush(ctx); err != nil {
		return err
	}
	if _, err := w.tx.ExecContext(ctx, `
		UPDATE accounts SET disabled_at = $1, event_id = $2, updated_at = $3
		WHERE user_id = $4 AND powens_id = $5 AND event_id <= $2`,
		nullMicros(disabled), w.eventID, micros(w.now), w.userID, powensID); err != nil {
		return fmt.Errorf("set account %d disabled: %w", powensID, err)
	}
	return nil
}

// transactionUpsert is keyed by user and Powens id, which Powens keeps
// when it moves a transaction to another account: account_id is updated
// like any other column, so the row moves instead of leaving a copy behind.
var transactionUpsert = &upsertSpec{
	table:    "transactions",
	conflict: "user_id, powens_id",
	columns: []string{"user_id", "account_id", "powens_id", "date", "rdate", "vdate", "application_date", "datetime",
		"rdatetime", "vdatetime", "value_minor", "amount_origin", "gross_value_minor", "original_value_minor",
		"original_gross_value_minor", "original_currency", "original_currency_exponent", "commission_minor",
		"commission_currency", "commission_currency_exponent", "type", "original_wording", "simplified_wording",
		"wording", "search_text", "search_numbers", "coming", "active", "card", "webid", "counterparty_label", "counterparty_scheme",
		"counterparty_identification", "counterparty_type", "deleted_at", "last_update", "event_id", "created_at",
		"updated_at", "payee", "category_id", "category_source", "tags", "transfer"},
	fixed:  []string{"user_id", "powens_id", "created_at"},
	shared: map[string]int{"user_id": 1, "event_id": 2, "created_at": 3, "updated_at": 3},
	merge: keepEdited(map[string]freenahi.Edits{"payee": freenahi.EditedPayee, "category_id": freenahi.EditedCategory,
		"category_source": freenahi.EditedCategory, "tags": freenahi.EditedTags, "transfer": freenahi.EditedTransfer}),
}

// transactionRare are the columns of transactionUpsert that most payloads
// leave NULL: a batch of SQLite rows in which all of them are NULL goes
// through transactionUpsertCommon, which leaves them out of the INSERT
// (none has a default: they are NULL in the inserted row and in excluded.*,
// as bound NULLs would be) and binds 24 parameters a row instead of 40.
var transactionRare = []string{"application_date", "datetime", "rdatetime", "vdatetime", "original_value_minor",
	"original_gross_value_minor", "original_currency", "original_currency_exponent", "commission_minor",
	"commission_currency", "commission_currency_exponent", "counterparty_label", "counterparty_scheme",
	"counterparty_identification", "counterparty_type", "deleted_at"}

// transactionUpsertCommon is transactionUpsert without transactionRare,
// with its very ON CONFLICT clause, so a row that had one of them set and
// comes again without it is updated to NULL as the full form would.
var transactionUpsertCommon = &upsertSpec{
	table:    transactionUpsert.table,
	conflict: transactionUpsert.conflict,
	columns: slices.DeleteFunc(slices.Clone(transactionUpsert.columns), func(c string) bool {
		return slices.Contains(transactionRare, c)
	}),
	shared: transactionUpsert.shared,
	clause: transactionUpsert,
}

// transactionBatch is the most rows one INSERT carries: 44 columns × 400 rows
// stays under SQLite's 32,766 bound parameters.
const transactionBatch = 400

// pgTransactionBatch is how many rows one PostgreSQL statement carries: with
// column arrays the parameter count does not grow with it.
const pgTransactionBatch = 2000

// UpsertTransactions writes transactions of the user's accounts, in batches.
func (w *syncWriter) UpsertTransactions(ctx context.Context, txs []*freenahi.Transaction) error {
	checked := int64(-1)
	for _, t := range txs {
		if t.AccountID == checked {
			continue // a batch is usually one account's
		}
		if err := w.own(ctx, "accounts", t.AccountID); err != nil {
			return fmt.Errorf("upsert transaction %d: %w", t.PowensID, err)
		}
		checked = t.AccountID
	}
	if err := w.categorize(ctx, txs); err != nil {
		return err
	}
	w.wroteTransactions = w.wroteTransactions || len(txs) > 0
	if w.conn != nil {
		return w.stage(ctx, txs)
	}
	if w.gather {
		return w.sqliteGather(ctx, txs)
	}
	size, write := transactionBatch, w.upsertTransactionBatch
	if w.s.engine == Postgres {
		size, write = pgTransactionBatch, w.upsertTransactionArrays
	}
	for len(txs) > 0 {
		n := min(len(txs), size)
		if err := write(ctx, lastByPowensID(txs[:n])); err != nil {
			return err
		}
		txs = txs[n:]
	}
	return nil
}

// lastByPowensID keeps the last version of a transaction listed twice in one
// batch (a pull whose pages shifted, or that saw it move between accounts):
// PostgreSQL refuses to update one row twice in a statement, and the last
// version is the newest. A batch is one user's, so the Powens id is the key.
func lastByPowensID(txs []*freenahi.Transaction) []*freenahi.Transaction {
	seen := make(map[int64]int, len(txs))
	dup := false
	for i, t := range txs {
		if _, ok := seen[t.PowensID]; ok {
			dup = true
		}
		seen[t.PowensID] = i
	}
	if !dup {
		return txs
	}
	out := make([]*freenahi.Transaction, 0, len(seen))
	for i, t := range txs {
		if seen[t.PowensID] == i {
			out = append(out, t)
		}
	}
	return out
}

// transactionRow returns the values of transactionUpsert.columns for t.
func (w *syncWriter) transactionRow(t *freenahi.Transaction, now int64, row []any) []any {
	t.UserID = w.userID
	var ocCode, ccCode, ocExp, ccExp, cpLabel, cpScheme, cpID, cpType any
	if t.OriginalCurrency != nil {
		ocCode, ocExp = t.OriginalCurrency.Code, int64(t.OriginalCurrency.Exponent)
	}
	if t.CommissionCurrency != nil {
		ccCode, ccExp = t.CommissionCurrency.Code, int64(t.CommissionCurrency.Exponent)
	}
	if cp := t.Counterparty; cp != nil {
		cpLabel, cpScheme, cpID, cpType = cp.Label, cp.AccountScheme, cp.AccountIdentification, cp.Type
	}
	var numbers any
	text, nums := cutSearchNumbers(searchText(t))
	if nums != "" {
		numbers = nums
	}
	return append(row,
		w.userID, t.AccountID, t.PowensID, int64(t.Date.Int()), nullDate(t.RDate), nullDate(t.VDate),
		nullDate(t.ApplicationDate), nullMicros(t.DateTime), nullMicros(t.RDateTime), nullMicros(t.VDateTime),
		t.ValueMinor, string(t.AmountOrigin), nullInt(t.GrossValueMinor), nullInt(t.OriginalValueMinor), nullInt(t.OriginalGrossValueMinor),
		ocCode, ocExp, nullInt(t.CommissionMinor), ccCode, ccExp, t.Type, t.OriginalWording, t.SimplifiedWording,
		t.Wording, text, numbers, t.Coming, t.Active, t.Card, t.Webid, cpLabel, cpScheme, cpID, cpType,
		nullMicros(t.Deleted), nullMicros(t.LastUpdate), w.eventID, now, now,
		t.Payee, nullInt(t.CategoryID), t.CategorySource, joinTags(t.Tags), t.Transfer)
}

// sqliteGather collects txs and writes full batches of them. Ingest hands
// over an account's transactions 400 at a time and its last batch short
// (5,000 an account: 12 full and one of 200), each short one a statement
// of its own size to parse; collected across accounts, an event of 50,000
// writes 125 full batches through one prepared statement. flush writes
// the rest.
func (w *syncWriter) sqliteGather(ctx context.Context, txs []*freenahi.Transaction) error {
	w.pending = append(w.pending, txs...)
	size := w.fullBatchRows()
	done := 0
	for len(w.pending)-done >= size {
		if err := w.upsertDeferred(ctx, lastByPowensID(w.pending[done:done+size])); err != nil {
			return err
		}
		done += size
	}
	n := copy(w.pending, w.pending[done:])
	clear(w.pending[n:])
	w.pending = w.pending[:n]
	return nil
}

// fullBatchRows is how many rows a full batch of SQLite's holds, the size
// whose statements are prepared once: transactionBatch, or what a test set
// with SetCopyRows so that a few rows cross batches.
func (w *syncWriter) fullBatchRows() int {
	if w.s.copyRows > 0 {
		return w.s.copyRows
	}
	return transactionBatch
}

// transactionColumnShared and transactionColumnRare tell, for each of
// transactionUpsert.columns, whether it is shared (bound once per statement on SQLite) or rare.
var transactionColumnShared, transactionColumnRare = func() ([]bool, []bool) {
	shared, rare := make([]bool, len(transactionUpsert.columns)), make([]bool, len(transactionUpsert.columns))
	for i, c := range transactionUpsert.columns {
		_, shared[i] = transactionUpsert.shared[c]
		rare[i] = slices.Contains(transactionRare, c)
	}
	return shared, rare
}()

// upsertTransactionBatch writes rows with the VALUES form (SQLite): the
// shared columns once, then each row's own; without the rare columns when
// the batch has none of them.
func (w *syncWriter) upsertTransactionBatch(ctx context.Context, txs []*freenahi.Transaction) error {
	now := micros(w.now)
	width := len(transactionUpsert.columns)
	cells := w.cells[:0]
	for _, t := range txs {
		cells = w.transactionRow(t, now, cells)
	}
	common := true
	for i, v := range cells {
		if v != nil && transactionColumnRare[i%width] {
			common = false
			break
		}
	}
	spec := transactionUpsert
	if common {
		spec = transactionUpsertCommon
	}
	args := append(w.args[:0], w.userID, w.eventID, now) // shared: $1, $2, $3
	for i, v := range cells {
		if c := i % width; !transactionColumnShared[c] && !(common && transactionColumnRare[c]) {
			args = append(args, v)
		}
	}
	// Kept for the next batch, emptied so that they hold no text meanwhile.
	defer func() { w.cells, w.args = clearAll(cells), clearAll(args) }()
	var err error
	if rows := w.fullBatchRows(); w.raw != nil && len(txs) == rows {
		err = w.raw.exec(ctx, common, spec.sql(rows, w.s.engine), args)
	} else {
		_, err = w.tx.ExecContext(ctx, spec.sql(len(txs), w.s.engine), args...)
	}
	if err != nil {
		return fmt.Errorf("upsert %d transactions: %w", len(txs), err)
	}
	return nil
}

// transactionArrayTypes are the PostgreSQL array types of transactionUpsert.columns.
var transactionArrayTypes = []string{
	"bigint", "bigint", "bigint", "integer", "integer", "integer", "integer", "bigint", "bigint", "bigint",
	"bigint", "text", "bigint", "bigint", "bigint", "text", "integer", "bigint", "text", "integer", "text", "text", "text",
	"text", "text", "text", "boolean", "boolean", "text", "text", "text", "text", "text", "text", "bigint", "bigint",
	"bigint", "bigint", "bigint", "text", "bigint", "text", "text", "boolean",
}

var transactionUnnestSQL = pgTransactionUpsert.unnestSQL(pgTransactionArrayTypes)

// upsertTransactionArrays writes rows with one array per column (PostgreSQL).
func (w *syncWriter) upsertTransactionArrays(ctx context.Context, txs []*freenahi.Transaction) error {
	cols := make([][]any, len(pgTransactionUpsert.columns))
	for i := range cols {
		cols[i] = make([]any, 0, len(txs))
	}
	now := micros(w.now)
	row := make([]any, 0, len(cols))
	for _, t := range txs {
		row = w.pgTransactionRow(t, now, row[:0])
		for i, v := range row {
			cols[i] = append(cols[i], v)
		}
	}
	args := make([]any, len(cols))
	for i, c := range cols {
		args[i] = typedArray(pgTransactionArrayTypes[i], c)
	}
	if _, err := w.tx.ExecContext(ctx, transactionUnnestSQL, args...); err != nil {
		return fmt.Errorf("upsert %d transactions: %w", len(txs), err)
	}
	return nil
}

// typedArray converts a column of values (nil for NULL) to the slice type
// the driver encodes as that SQL array type.
func typedArray(sqlType string, vals []any) any {
	switch sqlType {
	case "bigint", "integer":
		out := make([]*int64, len(vals))
		for i, v := range vals {
			if v != nil {
				n := v.(int64)
				out[i] = &n
			}
		}
		return out
	case "boolean":
		out := make([]bool, len(vals))
		for i, v := range vals {
			out[i] = v.(bool)
		}
		return out
	}
	out := make([]*string, len(vals))
	for i, v := range vals {
		if v != nil {
			s := v.(string)
			out[i] = &s
		}
	}
	return out
}

var investmentUpsert = &upsertSpec{
	table:    "investments",
	conflict: "account_id, powens_id",
	columns: []string{"user_id", "account_id", "powens_id", "label", "code", "code_type", "stock_symbol", "quantity",
		"unit_price", "unit_value", "valuation", "diff", "diff_percent", "portfolio_share", "vdate",
		"original_currency", "original_valuation", "deleted_at", "last_update", "event_id", "updated_at"},
	fixed: []string{"user_id", "account_id", "powens_id"},
}

// UpsertInvestments writes positions of the user's accounts.
func (w *syncWriter) UpsertInvestments(ctx context.Context, invs []*freenahi.Investment) error {
	if err := w.flushUnrelated(ctx); err != nil {
		return err
	}
	for _, in := range invs {
		if err := w.own(ctx, "accounts", in.AccountID); err != nil {
			return fmt.Errorf("upsert investment %d: %w", in.PowensID, err)
		}
		in.UserID = w.userID
		var oc any
		if in.OriginalCurrency != nil {
			oc = in.OriginalCurrency.Code
		}
		_, err := w.tx.ExecContext(ctx, investmentUpsert.sql(1, w.s.engine),
			w.userID, in.AccountID, in.PowensID, in.Label, in.Code, in.CodeType, in.StockSymbol,
			nullDecimal(in.Quantity), nullDecimal(in.UnitPrice), nullDecimal(in.UnitValue), nullDecimal(in.Valuation),
			nullDecimal(in.Diff), nullDecimal(in.DiffPercent), nullDecimal(in.PortfolioShare), nullDate(in.VDate), oc,
			nullDecimal(in.OriginalValuation), nullMicros(in.Deleted), nullMicros(in.LastUpdate), w.eventID, micros(w.now))
		if err != nil {
			return fmt.Errorf("upsert investment %d: %w", in.PowensID, err)
		}
		if err := w.recordValuation(ctx, in); err != nil {
			return err
		}
	}
	return nil
}

// recordValuation keeps the position's valuation of its day: Powens' value
// date, else the day of the sync (UTC). The same day again keeps the last
// values, so a replayed event changes nothing. A deleted position has none.
func (w *syncWriter) recordValuation(ctx context.Context, in *freenahi.Investment) error {
	if in.Deleted != nil {
		return nil
	}
	day := in.VDate
	if day.IsZero() {
		day = freenahi.DateOf(w.now.UTC())
	}
	_, err := w.tx.ExecContext(ctx, `
		INSERT INTO investment_snapshots (user_id, investment_id, account_id, day, quantity, unit_value, valuation)
		SELECT i.user_id, i.id, i.account_id, $1, i.quantity, i.unit_value, i.valuation FROM investments i
		WHERE i.user_id = $2 AND i.account_id = $3 AND i.powens_id = $4
		ON CONFLICT (investment_id, day) DO UPDATE SET quantity = excluded.quantity, unit_value = excluded.unit_value,
			valuation = excluded.valuation`,
		int64(day.Int()), w.userID, in.AccountID, in.PowensID)
	if err != nil {
		return fmt.Errorf("record valuation of investment %d: %w", in.PowensID, err)
	}
	return nil
}

var loanUpsert = &upsertSpec{
	table:    "loans",
	conflict: "account_id",
	columns: []string{"account_id", "user_id", "type", "total_amount_minor", "available_amount_minor",
		"used_amount_minor", "subscription_date", "maturity_date", "start_repayment_date",
		"next_payment_amount_minor", "next_payment_date", "last_payment_amount_minor", "last_payment_date", "rate",
		"nb_payments_left", "nb_payments_done", "nb_payments_total", "duration_months", "account_label",
		"insurance_label", "insurance_amount_minor", "insurance_rate", "deferred", "event_id", "updated_at"},
	fixed: []string{"account_id", "user_id"},
}

// UpsertLoan writes the loan detail of one of the user's accounts.
func (w *syncWriter) UpsertLoan(ctx context.Context, l *freenahi.Loan) error {
	if err := w.flushUnrelated(ctx); err != nil {
		return err
	}
	if err := w.own(ctx, "accounts", l.AccountID); err != nil {
		return fmt.Errorf("upsert loan of account %d: %w", l.AccountID, err)
	}
	l.UserID = w.userID
	_, err := w.tx.ExecContext(ctx, loanUpsert.sql(1, w.s.engine),
		l.AccountID, w.userID, l.Type, nullInt(l.TotalAmountMinor), nullInt(l.AvailableAmountMinor),
		nullInt(l.UsedAmountMinor), nullDate(l.SubscriptionDate), nullDate(l.MaturityDate),
		nullDate(l.StartRepaymentDate), nullInt(l.NextPaymentAmountMinor), nullDate(l.NextPaymentDate),
		nullInt(l.LastPaymentAmountMinor), nullDate(l.LastPaymentDate), nullDecimal(l.Rate), nullInt(l.NbPaymentsLeft),
		nullInt(l.NbPaymentsDone), nullInt(l.NbPaymentsTotal), nullInt(l.DurationMonths), l.AccountLabel,
		l.InsuranceLabel, nullInt(l.InsuranceAmountMinor), nullDecimal(l.InsuranceRate), nullBool(l.Deferred),
		w.eventID, micros(w.now))
	if err != nil {
		return fmt.Errorf("upsert loan of account %d: %w", l.AccountID, err)
	}
	return nil
}

// RecordBalance records the balance of one of the user's accounts at b.At;
// recording the same instant again keeps one snapshot, the last values.
func (w *syncWriter) RecordBalance(ctx context.Context, b *freenahi.BalanceSnapshot) error {
	if err := w.flushUnrelated(ctx); err != nil {
		return err
	}
	if err := w.own(ctx, "accounts", b.AccountID); err != nil {
		return fmt.Errorf("record balance of account %d: %w", b.AccountID, err)
	}
	_, err := w.tx.ExecContext(ctx, `
		INSERT INTO balance_snapshots (user_id, account_id, at, balance_minor, coming_minor)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (account_id, at) DO UPDATE SET balance_minor = excluded.balance_minor, coming_minor = excluded.coming_minor
		WHERE (balance_snapshots.balance_minor, balance_snapshots.coming_minor) IS DISTINCT FROM (excluded.balance_minor, excluded.coming_minor)`,
		w.userID, b.AccountID, micros(b.At), b.BalanceMinor, nullInt(b.ComingMinor))
	if err != nil {
		return fmt.Errorf("record balance of account %d: %w", b.AccountID, err)
	}
	return nil
}

// UnlinkPowensUser records that the user's Powens user was deleted: the
// link and its token go, the connections are marked deleted, data stays.
func (w *syncWriter) UnlinkPowensUser(ctx context.Context, at time.Time) error {
	if err := w.flush(ctx); err != nil {
		return err
	}
	if _, err := w.tx.ExecContext(ctx, `UPDATE powens_users SET unlinked_at = $1, token_sealed = NULL WHERE user_id = $2`,
		micros(at), w.userID); err != nil {
		return fmt.Errorf("unlink Powens user: %w", err)
	}
	if _, err := w.tx.ExecContext(ctx, `UPDATE connections SET deleted_at = COALESCE(deleted_at, $1), updated_at = $2 WHERE user_id = $3`,
		micros(at), micros(w.now), w.userID); err != nil {
		return fmt.Errorf("unlink Powens user: mark connections deleted: %w", err)
	}
	return nil
}

// clearAll zeroes s up to its length and returns it emptied.
func clearAll(s []any) []any {
	clear(s)
	return s[:0]
}
