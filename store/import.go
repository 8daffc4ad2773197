package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

var _ freenahi.ImportService = (*Store)(nil)

// importedPowensBase is where the Powens ids of imported transactions
// start, going down: -(2^50) - the import line's id. It stays clear of the
// negative ids of transactions a move left behind (-their own id).
const importedPowensBase = -(int64(1) << 50)

// ImportTransactions adds the lines of a bank file to a manual account.
func (s *Store) ImportTransactions(ctx context.Context, imp *freenahi.Import) (*freenahi.ImportResult, error) {
	res, err := s.importTransactions(ctx, imp)
	if err != nil {
		return nil, fmt.Errorf("import into account %d: %w", imp.AccountID, err)
	}
	return res, nil
}

func (s *Store) importTransactions(ctx context.Context, imp *freenahi.Import) (*freenahi.ImportResult, error) {
	if imp.DryRun && !s.SkipCategorization {
		// The default categories are created for good first: created
		// inside a dry run, they would be rolled back, and on PostgreSQL
		// the preview would name ids that the kept ones do not have.
		if _, err := s.FindCategories(ctx, imp.UserID); err != nil {
			return nil, err
		}
	}
	tx, conn, err := s.beginSync(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer tx.Rollback()
	w := &syncWriter{s: s, tx: textTx{tx}, userID: imp.UserID, now: s.now()}
	defer w.batchesOn(conn)()
	var a *freenahi.Account
	if imp.NewAccount != nil {
		a, err = w.createManualAccount(ctx, imp.NewAccount)
	} else {
		a, err = w.manualAccount(ctx, imp.AccountID)
	}
	if err != nil {
		return nil, err
	}
	res := &freenahi.ImportResult{Account: a}
	ids, err := w.claimImportLines(ctx, a.ID, imp.Lines)
	if err != nil {
		return nil, err
	}
	for _, l := range imp.Lines {
		id, ok := ids[l.Key]
		if !ok {
			res.Skipped++ // already imported, or listed twice in this file
			continue
		}
		delete(ids, l.Key)
		res.Added = append(res.Added, &freenahi.Transaction{UserID: imp.UserID, AccountID: a.ID, PowensID: importedPowensBase - id,
			Date: l.Date, Currency: a.Currency, ValueMinor: l.AmountMinor, OriginalWording: l.Wording, Type: l.Kind, Active: true})
	}
	w.remember("accounts", a.ID)
	if err := w.UpsertTransactions(ctx, res.Added); err != nil {
		return nil, err
	}
	if res.BalanceMinor, err = w.settleImportBalance(ctx, a.ID, imp.Balance, res.Added); err != nil {
		return nil, err
	}
	a.BalanceMinor = &res.BalanceMinor
	if imp.DryRun {
		return res, nil // the deferred rollback keeps nothing
	}
	if err := s.bumpPageVersion(ctx, tx, imp.UserID); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if w.wroteTransactions {
		s.searchClean.signal()
	}
	return res, nil
}

// importLineBatch is how many import lines one INSERT carries (4
// parameters each).
const importLineBatch = 500

// claimImportLines records the keys of lines in the account's
// import_lines, in batches, and returns the id of each key it recorded:
// keys the account already held are not in the map.
func (w *syncWriter) claimImportLines(ctx context.Context, accountID int64, lines []freenahi.ImportLine) (map[string]int64, error) {
	ids := make(map[string]int64, len(lines))
	seen := make(map[string]bool, len(lines))
	var keys []string
	for _, l := range lines {
		if !seen[l.Key] { // a statement may not name one row twice on PostgreSQL
			seen[l.Key] = true
			keys = append(keys, l.Key)
		}
	}
	now := micros(w.now)
	for len(keys) > 0 {
		batch := keys[:min(len(keys), importLineBatch)]
		keys = keys[len(batch):]
		values := make([]string, len(batch))
		args := make([]any, 0, 3+len(batch))
		args = append(args, w.userID, accountID, now)
		for i, k := range batch {
			args = append(args, k)
			values[i] = "($1, $2, $3, $" + strconv.Itoa(4+i) + ")"
		}
		rows, err := w.tx.QueryContext(ctx, `INSERT INTO import_lines (user_id, account_id, created_at, import_key) VALUES `+
			strings.Join(values, ", ")+` ON CONFLICT (account_id, import_key) DO NOTHING RETURNING id, import_key`, args...)
		if err != nil {
			return nil, fmt.Errorf("record import lines: %w", err)
		}
		for rows.Next() {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				rows.Close()
				return nil, fmt.Errorf("record import lines: %w", err)
			}
			ids[key] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("record import lines: %w", err)
		}
	}
	return ids, nil
}

// manualAccount returns the user's account id, locked for the import (on
// PostgreSQL; SQLite has one writer), or an error when it is not manual.
func (w *syncWriter) manualAccount(ctx context.Context, id int64) (*freenahi.Account, error) {
	lock := ""
	if w.s.engine == Postgres {
		lock = " FOR UPDATE OF a"
	}
	a := &freenahi.Account{}
	err := w.tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.user_id = $1 AND a.id = $2`+lock,
		w.userID, id).Scan(accountDest(a)...)
	if err != nil {
		return nil, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", id))
	}
	if a.PowensID >= 0 {
		return nil, freenahi.FieldErrorf("account_id", "is an account of a bank connection: import only into a manual account")
	}
	return a, nil
}

// createManualAccount stores a new manual account under the user's
// placeholder connection, created on first use.
func (w *syncWriter) createManualAccount(ctx context.Context, a *freenahi.Account) (*freenahi.Account, error) {
	if err := a.ValidateManual(); err != nil {
		return nil, err
	}
	now := micros(w.now)
	if _, err := w.tx.ExecContext(ctx, `INSERT INTO connections (user_id, powens_id, manual, active, updated_at)
		VALUES ($1, 0, $2, $3, $4) ON CONFLICT (user_id, powens_id) DO NOTHING`, w.userID, true, true, now); err != nil {
		return nil, fmt.Errorf("create manual connection: %w", err)
	}
	var connID, lowest int64
	if err := w.tx.QueryRowContext(ctx, `SELECT id FROM connections WHERE user_id = $1 AND powens_id = 0 AND manual = $2`,
		w.userID, true).Scan(&connID); err != nil {
		return nil, fmt.Errorf("find manual connection: %w", err)
	}
	if err := w.tx.QueryRowContext(ctx, `SELECT COALESCE(MIN(powens_id), 0) FROM accounts WHERE user_id = $1 AND powens_id < 0`,
		w.userID).Scan(&lowest); err != nil {
		return nil, fmt.Errorf("number manual account: %w", err)
	}
	a.UserID, a.ConnectionID, a.PowensID, a.Display, a.Manual, a.UpdatedAt = w.userID, connID, lowest-1, true, true, w.now
	err := w.tx.QueryRowContext(ctx, `INSERT INTO accounts (user_id, connection_id, powens_id, powens_connection_id, type, name,
		original_name, currency, currency_exponent, display, updated_at) VALUES ($1, $2, $3, 0, $4, $5, $5, $6, $7, $8, $9) RETURNING id`,
		w.userID, connID, a.PowensID, a.Type, a.Name, a.Currency.Code, a.Currency.Exponent, true, now).Scan(&a.ID)
	if err != nil {
		return nil, exists(err, freenahi.Errorf(freenahi.ECONFLICT, "Another account was created at the same time; try again."))
	}
	return a, nil
}

// FindManualAccounts lists the user's manual accounts, by id.
func (s *Store) FindManualAccounts(ctx context.Context, userID int64) ([]*freenahi.Account, error) {
	all, err := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: userID})
	if err != nil {
		return nil, err
	}
	var out []*freenahi.Account
	for _, a := range all {
		if a.Manual {
			out = append(out, a)
		}
	}
	return out, nil
}
