package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
)

// openStatuses are the statuses of a batch still in the way of the next
// one: a mapping has at most one such batch, and freezes nothing new while
// it has one, so files reach Inqom in order and each opens where the one
// before closed.
const openStatuses = `('pending', 'review', 'failed')`

// FreezeExportBatch freezes the mapping's not-yet-exported transactions
// (booked, not deleted, dated from the mapping's start date; at most limit
// of them, oldest first) into one new pending batch, in one database
// transaction: the file bytes, their SHA-256, the items and the mapping's
// new closing point commit together, before any network call. It returns
// the new batch with its file; ENOTFOUND when there is nothing to export,
// ECONFLICT when an open batch is in the way or owner no longer holds the
// mapping's lease, and build's error (wrapped) when the file cannot be built.
//
// scan is where to look from, in (date, id) order, and is moved past what
// was looked at: one run freezing batch after batch passes it along so
// that each batch reads on from the last instead of from the start (which
// made a large backlog quadratic). A zero scan looks at everything, which
// finds transactions that arrived late with an old date; a run starts so.
func (s *Store) FreezeExportBatch(ctx context.Context, mappingID int64, owner string, limit int, scan *freenahi.Cursor,
	build func(*freenahi.BatchInput) (filename string, content []byte, err error)) (*freenahi.ExportBatch, error) {
	b, err := s.freezeExportBatch(ctx, mappingID, owner, limit, scan, build)
	if err != nil {
		return nil, fmt.Errorf("freeze a batch of Inqom mapping %d: %w", mappingID, err)
	}
	return b, nil
}

func (s *Store) freezeExportBatch(ctx context.Context, mappingID int64, owner string, limit int, scan *freenahi.Cursor,
	build func(*freenahi.BatchInput) (filename string, content []byte, err error)) (*freenahi.ExportBatch, error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	m := &freenahi.InqomMapping{}
	var leaseOwner sql.NullString
	var seq int
	err = tx.QueryRowContext(ctx, `SELECT `+mappingColumns+`, m.lease_owner, m.batches FROM inqom_mappings m WHERE m.id = $1`,
		mappingID).Scan(append(mappingDest(m), &leaseOwner, &seq)...)
	if err != nil {
		return nil, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "This link between an account and an Inqom dossier does not exist."))
	}
	if leaseOwner.String != owner {
		return nil, freenahi.Errorf(freenahi.ECONFLICT, "The lease of Inqom mapping %d is no longer this worker's.", mappingID)
	}
	var open int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM export_batches WHERE mapping_id = $1 AND status IN `+openStatuses+` LIMIT 1`,
		mappingID).Scan(&open)
	if err == nil {
		return nil, freenahi.Errorf(freenahi.ECONFLICT, "Export batch %d of Inqom mapping %d is not sent yet: the next batch waits for it.", open, mappingID)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find an open batch: %w", err)
	}
	in := &freenahi.BatchInput{Mapping: m, Account: &freenahi.Account{}, Seq: seq + 1}
	err = tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.id = $1`, m.AccountID).Scan(accountDest(in.Account)...)
	if err != nil {
		return nil, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", m.AccountID))
	}
	if in.Transactions, err = s.unexported(ctx, tx, m, limit, scan); err != nil {
		return nil, fmt.Errorf("find unexported transactions: %w", err)
	}
	if len(in.Transactions) == 0 {
		return nil, freenahi.Errorf(freenahi.ENOTFOUND, "Inqom mapping %d has no transaction waiting to be exported.", mappingID)
	}
	if err := s.batchOpening(ctx, tx, in); err != nil {
		return nil, err
	}
	filename, content, err := build(in)
	if err != nil {
		return nil, fmt.Errorf("build batch %d: %w", in.Seq, err)
	}
	if len(in.Transactions) == 0 {
		return nil, freenahi.Errorf(freenahi.ENOTFOUND, "Inqom mapping %d has no transaction whose day has ended.", mappingID)
	}
	b := newBatch(in, filename, content, s.now())
	b.Content = content
	if err := s.insertBatch(ctx, tx, b, in, content); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE inqom_mappings SET chain_date = $1, chain_minor = $2, batches = $3 WHERE id = $4`,
		int64(b.ClosingDate.Int()), b.ClosingMinor, b.Seq, m.ID); err != nil {
		return nil, fmt.Errorf("move the mapping's closing point: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return b, nil
}

// unexported returns up to limit booked, non-deleted transactions of the
// mapping's account that no live batch of the mapping holds, the first
// after scan in (date, id) order, sorted by date then Powens id. Like
// statement pages, it reads windows of dates that follow the (account_id,
// date, id) index, so that no plan reads more than a window per query.
func (s *Store) unexported(ctx context.Context, tx *sql.Tx, m *freenahi.InqomMapping, limit int, scan *freenahi.Cursor) ([]*freenahi.Transaction, error) {
	var first, last sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT MIN(date), MAX(date) FROM transactions WHERE account_id = $1`, m.AccountID).Scan(&first, &last)
	if err != nil {
		return nil, fmt.Errorf("find the account's dates: %w", err)
	}
	var out []*freenahi.Transaction
	if !last.Valid {
		return out, nil // the account has no transaction at all
	}
	cur, maxDate := *scan, freenahi.DateFromInt(int(last.Int64))
	if from := freenahi.DateFromInt(int(first.Int64)); cur.Date.Before(from) || cur.Date.Before(m.StartDate) {
		cur = freenahi.Cursor{Date: from}
		if from.Before(m.StartDate) {
			cur.Date = m.StartDate
		}
	}
	for window := 32; len(out) < limit && !cur.Date.After(maxDate); window = min(window*2, 1<<14) {
		end := cur.Date.AddDays(window)
		if end.After(maxDate) {
			end = maxDate
		}
		want := limit - len(out)
		got, err := s.unexportedRange(ctx, tx, m, cur, end, want, &out)
		if err != nil {
			return nil, err
		}
		if got == want {
			cur = freenahi.Cursor{Date: out[len(out)-1].Date, ID: out[len(out)-1].ID}
			break
		}
		cur = freenahi.Cursor{Date: end, ID: math.MaxInt64}
		if end == maxDate {
			break
		}
	}
	*scan = cur
	slices.SortFunc(out, func(x, y *freenahi.Transaction) int {
		return cmp.Or(x.Date.Compare(y.Date), cmp.Compare(x.PowensID, y.PowensID))
	})
	return out, nil
}

// unexportedRange appends up to n unexported transactions after cur and up
// to end, in (date, id) order, and says how many it appended.
func (s *Store) unexportedRange(ctx context.Context, tx *sql.Tx, m *freenahi.InqomMapping, cur freenahi.Cursor, end freenahi.Date, n int, out *[]*freenahi.Transaction) (int, error) {
	rows, err := tx.QueryContext(ctx, transactionSelect+`
		WHERE t.account_id = $1 AND t.date >= $2 AND (t.date > $2 OR t.id > $3) AND t.date <= $4 AND `+exportable+`
		AND NOT EXISTS (SELECT 1 FROM export_batch_items i
			WHERE i.mapping_id = $5 AND i.transaction_id = t.id AND i.released = FALSE)
		ORDER BY t.date, t.id LIMIT `+strconv.Itoa(n), m.AccountID, int64(cur.Date.Int()), cur.ID, int64(end.Int()), m.ID)
	if err != nil {
		return 0, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		var r transactionRow
		if err := rows.Scan(r.dest()...); err != nil {
			return got, err
		}
		*out = append(*out, r.transaction())
		got++
	}
	return got, rows.Err()
}

// batchOpening sets where the batch opens. After the first batch it is the
// previous batch's closing date and balance, so consecutive files chain
// whatever the bank's balance did meanwhile; it never moves back, even when
// a late transaction is dated before it (invariant 9: the file builder
// books such a transaction on the next bank day). The first batch
// opens the day before its first movement, at the balance the statement
// rule gives: the stored balance minus the booked, non-deleted
// transactions dated after that day.
func (s *Store) batchOpening(ctx context.Context, tx *sql.Tx, in *freenahi.BatchInput) error {
	dayBefore := in.Transactions[0].Date.AddDays(-1)
	if m := in.Mapping; m.ChainMinor != nil && m.ChainDate != nil {
		in.OpeningMinor, in.OpeningDate = *m.ChainMinor, *m.ChainDate
		return nil
	}
	a := in.Account
	if a.BalanceMinor == nil {
		return freenahi.Errorf(freenahi.EINVALID, "Account %d (%s) has no balance yet, so the first statement's opening balance cannot be computed.", a.ID, a.Name)
	}
	var after int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(t.value_minor), 0) FROM transactions t
		WHERE t.account_id = $1 AND t.date > $2 AND `+exportable, a.ID, int64(dayBefore.Int())).Scan(&after)
	if err != nil {
		return fmt.Errorf("compute the opening balance: %w", err)
	}
	in.OpeningMinor, in.OpeningDate = *a.BalanceMinor-after, dayBefore
	return nil
}

// newBatch describes a batch about to be inserted.
func newBatch(in *freenahi.BatchInput, filename string, content []byte, now time.Time) *freenahi.ExportBatch {
	sum := sha256.Sum256(content)
	b := &freenahi.ExportBatch{UserID: in.Mapping.UserID, MappingID: in.Mapping.ID, Seq: in.Seq, Status: freenahi.BatchPending,
		Currency: in.Account.Currency,
		Filename: filename, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content)), Transactions: len(in.Transactions),
		FirstDate: in.Transactions[0].Date, OpeningDate: in.OpeningDate, OpeningMinor: in.OpeningMinor,
		NextAttemptAt: now, CreatedAt: now}
	b.ClosingMinor = in.OpeningMinor
	for _, t := range in.Transactions {
		b.ClosingMinor += t.ValueMinor
		b.LastDate = t.Date // oldest first, so the last is the latest
	}
	b.ClosingDate = b.LastDate
	if in.ClosingDate.After(b.ClosingDate) {
		b.ClosingDate = in.ClosingDate // a late transaction was booked on a later day
	}
	return b
}

// itemsPerInsert is how many items one INSERT carries. SQLite looks
// numbered parameters up one by one, so a statement with thousands of them
// costs more to parse than to run: small statements, prepared once.
const itemsPerInsert = 100

// insertBatch writes the batch row, its file and its items.
func (s *Store) insertBatch(ctx context.Context, tx *sql.Tx, b *freenahi.ExportBatch, in *freenahi.BatchInput, content []byte) error {
	sum, _ := hex.DecodeString(b.SHA256)
	err := tx.QueryRowContext(ctx, `
		INSERT INTO export_batches (user_id, mapping_id, seq, status, filename, sha256, size, transactions, first_date,
			last_date, opening_date, opening_minor, closing_date, closing_minor, next_attempt_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
		b.UserID, b.MappingID, b.Seq, string(b.Status), b.Filename, sum, b.Size, b.Transactions,
		int64(b.FirstDate.Int()), int64(b.LastDate.Int()), int64(b.OpeningDate.Int()), b.OpeningMinor,
		int64(b.ClosingDate.Int()), b.ClosingMinor, micros(b.CreatedAt)).Scan(&b.ID)
	if err != nil {
		return fmt.Errorf("insert batch: %w", exists(err, freenahi.Errorf(freenahi.ECONFLICT, "Another file of this linked account was made at the same time; try again.")))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO export_batch_files (batch_id, content) VALUES ($1, $2)`, b.ID, content); err != nil {
		return fmt.Errorf("insert file: %w", err)
	}
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, 5*itemsPerInsert)
	for txs := in.Transactions; len(txs) > 0; {
		n := min(len(txs), itemsPerInsert)
		args = args[:0]
		for _, t := range txs[:n] {
			args = append(args, b.ID, b.MappingID, t.ID, int64(t.Date.Int()), t.ValueMinor)
		}
		var err error
		switch {
		case n < itemsPerInsert:
			_, err = tx.ExecContext(ctx, itemsInsert(n), args...)
		case full == nil:
			if full, err = tx.PrepareContext(ctx, itemsInsert(n)); err == nil {
				_, err = full.ExecContext(ctx, args...)
			}
		default:
			_, err = full.ExecContext(ctx, args...)
		}
		// The partial unique index refuses a transaction already in a live
		// batch of the mapping: the last line of defence of invariant 7.
		if err != nil {
			return fmt.Errorf("insert items: %w", exists(err, freenahi.Errorf(freenahi.ECONFLICT, "A transaction of this file is already in another file of the same linked account.")))
		}
		txs = txs[n:]
	}
	return nil
}

// itemsInsert is the INSERT of n items.
func itemsInsert(n int) string {
	var sb strings.Builder
	sb.WriteString(`INSERT INTO export_batch_items (batch_id, mapping_id, transaction_id, date, value_minor) VALUES `)
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		k := 5 * i
		fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, $%d)", k+1, k+2, k+3, k+4, k+5)
	}
	return sb.String()
}

const batchColumns = `b.id, b.user_id, b.mapping_id, b.seq, b.status, b.review, b.held, b.filename, b.sha256, b.size,
	b.transactions, b.first_date, b.last_date, b.opening_date, b.opening_minor, b.closing_date, b.closing_minor,
	b.attempts, b.next_attempt_at, b.last_error, b.answer_status, b.answer, b.created_at, b.sent_at,
	a.currency, a.currency_exponent`

// batchFrom joins what batchColumns reads: the batch and its account.
const batchFrom = ` FROM export_batches b JOIN inqom_mappings m ON m.id = b.mapping_id JOIN accounts a ON a.id = m.account_id `

// batchRow scans batchColumns.
type batchRow struct {
	b      freenahi.ExportBatch
	status string
	sum    []byte
}

func (r *batchRow) dest() []any {
	b := &r.b
	return []any{&b.ID, &b.UserID, &b.MappingID, &b.Seq, &r.status, boolVal{&b.Review}, boolVal{&b.Held}, &b.Filename,
		&r.sum, &b.Size, &b.Transactions, dateVal{&b.FirstDate}, dateVal{&b.LastDate}, dateVal{&b.OpeningDate},
		&b.OpeningMinor, dateVal{&b.ClosingDate}, &b.ClosingMinor, &b.Attempts, timeVal{&b.NextAttemptAt},
		errorVal{&b.LastError}, &b.AnswerStatus, &b.Answer, timeVal{&b.CreatedAt}, timePtr{&b.SentAt}, &b.Currency.Code, &b.Currency.Exponent}
}

func (r *batchRow) batch() *freenahi.ExportBatch {
	b := r.b
	b.Status, b.SHA256 = freenahi.BatchStatus(r.status), hex.EncodeToString(r.sum)
	return &b
}

// FindOpenExportBatch returns the mapping's open batch (pending, review or
// failed) with its file; ENOTFOUND when there is none.
func (s *Store) FindOpenExportBatch(ctx context.Context, mappingID int64) (*freenahi.ExportBatch, error) {
	var r batchRow
	var content []byte
	err := s.rdb.QueryRowContext(ctx, `SELECT `+batchColumns+`, f.content`+batchFrom+`
		JOIN export_batch_files f ON f.batch_id = b.id
		WHERE b.mapping_id = $1 AND b.status IN `+openStatuses+` ORDER BY b.seq LIMIT 1`, mappingID).Scan(append(r.dest(), &content)...)
	if err != nil {
		return nil, fmt.Errorf("find the open batch of Inqom mapping %d: %w", mappingID,
			notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Inqom mapping %d has no open export batch.", mappingID)))
	}
	b := r.batch()
	b.Content = content
	return b, nil
}

// FindExportBatches lists up to limit of a mapping's batches (default and
// bound as for transactions), newest first, without files; ENOTFOUND if the
// mapping does not exist or belongs to another user.
func (s *Store) FindExportBatches(ctx context.Context, userID, mappingID int64, limit int) ([]*freenahi.ExportBatch, error) {
	if _, err := s.findMapping(ctx, `m.user_id = $1 AND m.id = $2`, userID, mappingID); err != nil {
		return nil, fmt.Errorf("find export batches of Inqom mapping %d: %w", mappingID, err)
	}
	if limit <= 0 || limit > freenahi.MaxPageLimit {
		limit = freenahi.DefaultPageLimit
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+batchColumns+batchFrom+`
		WHERE b.user_id = $1 AND b.mapping_id = $2 ORDER BY b.seq DESC LIMIT $3`, userID, mappingID, limit)
	if err != nil {
		return nil, fmt.Errorf("find export batches of Inqom mapping %d: %w", mappingID, err)
	}
	defer rows.Close()
	var out []*freenahi.ExportBatch
	for rows.Next() {
		var r batchRow
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, fmt.Errorf("find export batches of Inqom mapping %d: scan: %w", mappingID, err)
		}
		out = append(out, r.batch())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find export batches of Inqom mapping %d: %w", mappingID, err)
	}
	return out, nil
}

// FindExportBatchFile returns one of the user's batches with its exact
// file; ENOTFOUND if it does not exist or belongs to another user.
func (s *Store) FindExportBatchFile(ctx context.Context, userID, batchID int64) (*freenahi.ExportBatch, error) {
	var r batchRow
	var content []byte
	err := s.rdb.QueryRowContext(ctx, `SELECT `+batchColumns+`, f.content`+batchFrom+`
		JOIN export_batch_files f ON f.batch_id = b.id WHERE b.user_id = $1 AND b.id = $2`, userID, batchID).
		Scan(append(r.dest(), &content)...)
	if err != nil {
		return nil, fmt.Errorf("find export batch %d: %w", batchID, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Export batch %d not found.", batchID)))
	}
	b := r.batch()
	b.Content = content
	return b, nil
}
