package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/freenahi/freenahi"
)

var _ freenahi.ShareService = (*Store)(nil)

// sharedWith is the condition "the account column col is shared with the
// user bound at $?": for query.where, whose placeholders it numbers.
func sharedWith(col string) string {
	return col + " IN (SELECT account_id FROM account_shares WHERE grantee_id = $?)"
}

const shareSelect = `SELECT s.id, s.account_id, s.owner_id, s.grantee_id, s.access, s.created_at, o.email, g.email,
	CASE WHEN a.display_name <> '' THEN a.display_name ELSE a.name END
	FROM account_shares s JOIN users o ON o.id = s.owner_id JOIN users g ON g.id = s.grantee_id
	JOIN accounts a ON a.id = s.account_id`

func shareDest(sh *freenahi.AccountShare) []any {
	return []any{&sh.ID, &sh.AccountID, &sh.OwnerID, &sh.GranteeID, (*string)(&sh.Access), timeVal{&sh.CreatedAt},
		&sh.OwnerEmail, &sh.GranteeEmail, &sh.AccountName}
}

// ShareAccount shares the owner's account with the user of in.Email, or
// changes the access of the share they have.
func (s *Store) ShareAccount(ctx context.Context, in freenahi.ShareInput) (*freenahi.AccountShare, error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("share account %d: %w", in.AccountID, err)
	}
	defer tx.Rollback()
	// Only the owner's own account: one shared with them is not theirs to
	// share, and looks like any other account they cannot see.
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM accounts WHERE id = $1 AND user_id = $2`, in.AccountID, in.OwnerID).Scan(&one); err != nil {
		return nil, fmt.Errorf("share account %d: %w", in.AccountID,
			notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", in.AccountID)))
	}
	// The input is checked once the account is known to be the owner's, so
	// that anyone else learns nothing but "not found".
	if !in.Access.Valid() {
		return nil, freenahi.FieldErrorf("access", "%q is not read or full", string(in.Access))
	}
	email, err := freenahi.NormalizeEmail(in.Email)
	if err != nil {
		return nil, freenahi.FieldErrorf("email", "%q is not an e-mail address", in.Email)
	}
	var grantee int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&grantee); err != nil {
		return nil, fmt.Errorf("share account %d: %w", in.AccountID,
			notFound(err, freenahi.FieldErrorf("email", "%s has no account on this freenahi", email)))
	}
	if grantee == in.OwnerID {
		return nil, freenahi.FieldErrorf("email", "%s is your own address; share with someone else", email)
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO account_shares (account_id, owner_id, grantee_id, access, created_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (account_id, grantee_id) DO UPDATE SET access = excluded.access
		RETURNING id`, in.AccountID, in.OwnerID, grantee, string(in.Access), micros(s.now())).Scan(&id); err != nil {
		return nil, fmt.Errorf("share account %d: %w", in.AccountID, err)
	}
	sh := &freenahi.AccountShare{}
	if err := tx.QueryRowContext(ctx, shareSelect+` WHERE s.id = $1`, id).Scan(shareDest(sh)...); err != nil {
		return nil, fmt.Errorf("share account %d: read back: %w", in.AccountID, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("share account %d: commit: %w", in.AccountID, err)
	}
	return sh, nil
}

// FindAccountShares lists the shares of the owner's account, oldest first.
func (s *Store) FindAccountShares(ctx context.Context, ownerID, accountID int64) ([]*freenahi.AccountShare, error) {
	if _, err := s.FindAccountByID(ctx, ownerID, accountID); err != nil {
		return nil, fmt.Errorf("find shares: %w", err)
	}
	return s.findShares(ctx, `s.owner_id = $1 AND s.account_id = $2`, ownerID, accountID)
}

// FindShares lists the shares the user gave and those they received.
func (s *Store) FindShares(ctx context.Context, userID int64) (given, received []*freenahi.AccountShare, err error) {
	if given, err = s.findShares(ctx, `s.owner_id = $1`, userID); err != nil {
		return nil, nil, err
	}
	if received, err = s.findShares(ctx, `s.grantee_id = $1`, userID); err != nil {
		return nil, nil, err
	}
	return given, received, nil
}

func (s *Store) findShares(ctx context.Context, where string, args ...any) ([]*freenahi.AccountShare, error) {
	rows, err := s.rdb.QueryContext(ctx, shareSelect+` WHERE `+where+` ORDER BY s.created_at, s.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find shares: %w", err)
	}
	defer rows.Close()
	out := []*freenahi.AccountShare{}
	for rows.Next() {
		sh := &freenahi.AccountShare{}
		if err := rows.Scan(shareDest(sh)...); err != nil {
			return nil, fmt.Errorf("find shares: scan: %w", err)
		}
		out = append(out, sh)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find shares: %w", err)
	}
	return out, nil
}

// RevokeShare deletes a share of one of the owner's accounts.
func (s *Store) RevokeShare(ctx context.Context, ownerID, shareID int64) error {
	res, err := s.wdb.ExecContext(ctx, `DELETE FROM account_shares WHERE id = $1 AND owner_id = $2`, shareID, ownerID)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "Share %d not found.", shareID)); err != nil {
		return fmt.Errorf("revoke share %d: %w", shareID, err)
	}
	return nil
}

// LeaveShare deletes a share the user received.
func (s *Store) LeaveShare(ctx context.Context, granteeID, shareID int64) error {
	res, err := s.wdb.ExecContext(ctx, `DELETE FROM account_shares WHERE id = $1 AND grantee_id = $2`, shareID, granteeID)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "Share %d not found.", shareID)); err != nil {
		return fmt.Errorf("leave share %d: %w", shareID, err)
	}
	return nil
}

// receivedShares maps the accounts shared with the user to how.
func (s *Store) receivedShares(ctx context.Context, q querier, userID int64) (map[int64]*freenahi.SharedAccount, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.account_id, s.id, o.email, s.access FROM account_shares s
		JOIN users o ON o.id = s.owner_id WHERE s.grantee_id = $1`, userID)
	if err != nil {
		return nil, fmt.Errorf("shares of user %d: %w", userID, err)
	}
	defer rows.Close()
	out := map[int64]*freenahi.SharedAccount{}
	for rows.Next() {
		var id int64
		sa := &freenahi.SharedAccount{}
		if err := rows.Scan(&id, &sa.ShareID, &sa.OwnerEmail, (*string)(&sa.Access)); err != nil {
			return nil, fmt.Errorf("shares of user %d: scan: %w", userID, err)
		}
		out[id] = sa
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("shares of user %d: %w", userID, err)
	}
	return out, nil
}

// FindVisibleAccount returns an account the user owns or that is shared
// with them, with Shared set then.
func (s *Store) FindVisibleAccount(ctx context.Context, userID, id int64) (*freenahi.Account, error) {
	a := &freenahi.Account{}
	err := s.rdb.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a
		WHERE (a.user_id = $1 OR a.id IN (SELECT account_id FROM account_shares WHERE grantee_id = $1)) AND a.id = $2`,
		userID, id).Scan(accountDest(a)...)
	if err != nil {
		return nil, fmt.Errorf("find account %d: %w", id, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", id)))
	}
	if a.UserID != userID {
		shared, err := s.receivedShares(ctx, s.rdb, userID)
		if err != nil {
			return nil, err
		}
		if a.Shared = shared[a.ID]; a.Shared == nil {
			// Revoked between the two reads.
			return nil, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", id)
		}
	}
	return a, nil
}

// ownerScope adds the filter's owner condition: the user's transactions
// and, with WithShared, those of the accounts shared with them. A user
// with no share keeps the plain condition, which the indexes serve best.
func (s *Store) ownerScope(ctx context.Context, q *query, f freenahi.TransactionFilter) error {
	if f.WithShared {
		var n int
		if err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM account_shares WHERE grantee_id = $1`, f.UserID).Scan(&n); err != nil {
			return fmt.Errorf("shares of user %d: %w", f.UserID, err)
		}
		if n > 0 {
			q.where("(t.user_id = $? OR "+sharedWith("t.account_id")+")", f.UserID, f.UserID)
			return nil
		}
	}
	q.where("t.user_id = $?", f.UserID)
	return nil
}

// FindVisibleTransaction returns a transaction of the user or of an account
// shared with them, with that account as the user reads it (Shared set when
// it is shared); ENOTFOUND otherwise.
func (s *Store) FindVisibleTransaction(ctx context.Context, userID, id int64) (*freenahi.Transaction, *freenahi.Account, error) {
	var r transactionRow
	err := s.rdb.QueryRowContext(ctx, transactionSelect+` WHERE (t.user_id = $1 OR t.account_id IN
		(SELECT account_id FROM account_shares WHERE grantee_id = $1)) AND t.id = $2`, userID, id).Scan(r.dest()...)
	if err != nil {
		return nil, nil, fmt.Errorf("find transaction %d: %w", id, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Transaction %d not found.", id)))
	}
	t := r.transaction()
	a, err := s.FindVisibleAccount(ctx, userID, t.AccountID)
	if err != nil {
		if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
			return nil, nil, freenahi.Errorf(freenahi.ENOTFOUND, "Transaction %d not found.", id)
		}
		return nil, nil, err
	}
	if t.Splits, err = findSplits(ctx, s.rdb, t.UserID, id); err != nil {
		return nil, nil, err
	}
	return t, a, nil
}

// editorOwner returns whose transaction id is for an edit by userID: their
// own, or the owner's when its account is shared with them in full. A read
// share is EFORBIDDEN, and so are categories and splits, which are filed in
// the owner's category tree; no share at all is ENOTFOUND.
func editorOwner(ctx context.Context, q execer, userID, id int64, e freenahi.TransactionEdit) (int64, error) {
	var owner int64
	var access *string
	err := q.QueryRowContext(ctx, `SELECT t.user_id, s.access FROM transactions t
		LEFT JOIN account_shares s ON s.account_id = t.account_id AND s.grantee_id = $1
		WHERE t.id = $2 AND (t.user_id = $1 OR s.id IS NOT NULL)`, userID, id).Scan(&owner, &access)
	if err != nil {
		return 0, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Transaction %d not found.", id))
	}
	if owner == userID {
		return owner, nil
	}
	if access == nil || freenahi.ShareAccess(*access) != freenahi.ShareFull {
		return 0, freenahi.Errorf(freenahi.EFORBIDDEN, "This account is shared with you read-only.")
	}
	if e.CategoryID != nil || e.Splits != nil {
		return 0, freenahi.Errorf(freenahi.EFORBIDDEN, "Categories of a shared account are its owner's.")
	}
	return owner, nil
}

// findAcrossShares reads up to f.Limit+1 rows of the person's transactions
// and of the accounts shared with them, in the filter's order (reversed
// when backward), as findTransactions does: the first f.Limit+1 rows of
// their own (f without WithShared) and of each shared account (its owner's,
// with that account), each through its index in order, merged. The merged
// first f.Limit+1 rows are among those. A single query with
// "user_id = me OR account_id IN (shared)" cannot walk an index in order: it
// read 200,000 rows for a page of 50. ok is false when the person has no
// share (the caller reads as usual).
func (s *Store) findAcrossShares(ctx context.Context, f freenahi.TransactionFilter, backward bool) (out []*freenahi.Transaction, ok bool, err error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT s.account_id, s.owner_id FROM account_shares s WHERE s.grantee_id = $1
		ORDER BY s.account_id`, f.UserID)
	if err != nil {
		return nil, false, fmt.Errorf("shares of user %d: %w", f.UserID, err)
	}
	type part struct{ account, owner int64 }
	var parts []part
	for rows.Next() {
		var p part
		if err := rows.Scan(&p.account, &p.owner); err != nil {
			rows.Close()
			return nil, false, fmt.Errorf("shares of user %d: scan: %w", f.UserID, err)
		}
		parts = append(parts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("shares of user %d: %w", f.UserID, err)
	}
	if len(parts) == 0 {
		return nil, false, nil
	}
	own := f
	own.WithShared = false
	all, err := s.findTransactions(ctx, own, backward)
	if err != nil {
		return nil, true, err
	}
	for _, p := range parts {
		if f.AccountID != nil && *f.AccountID != p.account {
			continue
		}
		g := f
		g.WithShared, g.UserID, g.AccountID = false, p.owner, &p.account
		page, err := s.findTransactions(ctx, g, backward)
		if err != nil {
			return nil, true, err
		}
		all = append(all, page...)
	}
	// In the order of the SQL of each part (orderBy): by date or amount,
	// then id, descending when the order is and the reading is forward.
	desc := freenahi.Descending(f.Sort) != backward
	byAmount := freenahi.ByAmount(f.Sort)
	slices.SortFunc(all, func(a, b *freenahi.Transaction) int {
		c := a.Date.Compare(b.Date)
		if byAmount {
			c = cmp.Compare(a.ValueMinor, b.ValueMinor)
		}
		if c == 0 {
			c = cmp.Compare(a.ID, b.ID)
		}
		if desc {
			return -c
		}
		return c
	})
	if len(all) > f.Limit+1 {
		all = all[:f.Limit+1]
	}
	return all, true, nil
}
