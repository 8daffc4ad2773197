package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

var _ freenahi.AccountService = (*Store)(nil)

// accountColumns reads an account and resolves its parent's id from the
// parent's Powens id, which may arrive after the child. Only for accounts
// that have a parent: PostgreSQL runs the subquery as a scan of the
// person's accounts, which for 200 accounts took 15 ms.
const accountColumns = `a.id, a.user_id, a.connection_id, a.powens_id, a.powens_connection_id, a.powens_parent_id,
	CASE WHEN a.powens_parent_id IS NOT NULL THEN (SELECT p.id FROM accounts p WHERE p.user_id = a.user_id AND p.powens_id = a.powens_parent_id) END,
	a.powens_source_id, a.type, a.usage, a.iban, a.bic, a.number, a.name, a.original_name, a.company_name,
	a.currency, a.currency_exponent, a.balance_minor, a.coming_minor, a.display, a.bookmarked, a.error,
	a.opening_date, a.disabled_at, a.deleted_at, a.last_update, a.updated_at,
	a.display_name, a.hidden, a.archived, a.chosen_group,
	(SELECT c.bank_name FROM connections c WHERE c.id = a.connection_id)`

func accountDest(a *freenahi.Account) []any {
	return []any{&a.ID, &a.UserID, &a.ConnectionID, accountPowensID{a}, &a.PowensConnectionID, intPtr{&a.PowensParentID},
		intPtr{&a.ParentID}, intPtr{&a.PowensSourceID}, &a.Type, &a.Usage, &a.IBAN, &a.BIC, &a.Number, &a.Name,
		&a.OriginalName, &a.CompanyName, &a.Currency.Code, &a.Currency.Exponent, intPtr{&a.BalanceMinor},
		intPtr{&a.ComingMinor}, boolVal{&a.Display}, boolVal{&a.Bookmarked}, &a.Error, dateVal{&a.OpeningDate},
		timePtr{&a.Disabled}, timePtr{&a.Deleted}, timePtr{&a.LastUpdate}, timeVal{&a.UpdatedAt},
		&a.DisplayName, boolVal{&a.Hidden}, boolVal{&a.Archived}, (*string)(&a.ChosenGroup), strVal{&a.BankName}}
}

// accountPowensID scans an account's Powens id and marks the manual
// accounts, whose id is negative.
type accountPowensID struct{ a *freenahi.Account }

func (s accountPowensID) Scan(v any) error {
	var id *int64
	if err := (intPtr{&id}).Scan(v); err != nil {
		return err
	}
	if id == nil {
		return fmt.Errorf("account powens_id is NULL")
	}
	s.a.PowensID, s.a.Manual = *id, *id < 0
	return nil
}

// FindAccounts lists the user's accounts, by connection then id; deleted
// ones only on request.
func (s *Store) FindAccounts(ctx context.Context, f freenahi.AccountFilter) ([]*freenahi.Account, error) {
	where, args := []string{"a.user_id = $1"}, []any{f.UserID}
	order := "a.connection_id, a.id"
	var shared map[int64]*freenahi.SharedAccount
	if f.WithShared {
		var err error
		if shared, err = s.receivedShares(ctx, s.rdb, f.UserID); err != nil {
			return nil, err
		}
		if len(shared) > 0 {
			// The user's own first, then those shared with them.
			where[0] = "(a.user_id = $1 OR a.id IN (SELECT account_id FROM account_shares WHERE grantee_id = $1))"
			order = "CASE WHEN a.user_id = $1 THEN 0 ELSE 1 END, " + order
		}
	}
	if f.Type != "" {
		args = append(args, f.Type)
		where = append(where, "a.type = $"+strconv.Itoa(len(args)))
	}
	if f.ConnectionID != nil {
		args = append(args, *f.ConnectionID)
		where = append(where, "a.connection_id = $"+strconv.Itoa(len(args)))
	}
	if !f.IncludeDeleted {
		where = append(where, "a.deleted_at IS NULL")
	}
	// Through the statement cache: the dashboard and net worth read a
	// person's accounts on every request, and parsing this statement was
	// a third of reading 200 accounts on SQLite.
	rows, err := s.readQuery(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+order, args...)
	if err != nil {
		return nil, fmt.Errorf("find accounts of user %d: %w", f.UserID, err)
	}
	defer rows.Close()
	var out []*freenahi.Account
	for rows.Next() {
		a := &freenahi.Account{}
		if err := rows.Scan(accountDest(a)...); err != nil {
			return nil, fmt.Errorf("find accounts of user %d: scan: %w", f.UserID, err)
		}
		if f.Group != "" && a.Group() != f.Group {
			continue
		}
		if a.UserID != f.UserID {
			if a.Shared = shared[a.ID]; a.Shared == nil {
				continue // revoked between the two reads
			}
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find accounts of user %d: %w", f.UserID, err)
	}
	return out, nil
}

// FindAccountByID returns one of the user's accounts, deleted or not.
func (s *Store) FindAccountByID(ctx context.Context, userID, id int64) (*freenahi.Account, error) {
	a := &freenahi.Account{}
	err := s.rdb.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.user_id = $1 AND a.id = $2`,
		userID, id).Scan(accountDest(a)...)
	if err != nil {
		return nil, fmt.Errorf("find account %d: %w", id, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", id)))
	}
	return a, nil
}

// FindBalances returns the balance history of one of the user's accounts,
// oldest first, between two dates (inclusive; zero dates leave a side open).
func (s *Store) FindBalances(ctx context.Context, userID, accountID int64, from, to freenahi.Date) ([]*freenahi.BalanceSnapshot, error) {
	a, err := s.FindVisibleAccount(ctx, userID, accountID)
	if err != nil {
		return nil, fmt.Errorf("find balances: %w", err)
	}
	// The account is the user's or shared with them: its owner's rows.
	where, args := []string{"user_id = $1", "account_id = $2"}, []any{a.UserID, accountID}
	if !from.IsZero() {
		args = append(args, micros(from.Time()))
		where = append(where, "at >= $"+strconv.Itoa(len(args)))
	}
	if !to.IsZero() {
		args = append(args, micros(to.AddDays(1).Time()))
		where = append(where, "at < $"+strconv.Itoa(len(args)))
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT account_id, at, balance_minor, coming_minor FROM balance_snapshots
		WHERE `+strings.Join(where, " AND ")+` ORDER BY at`, args...)
	if err != nil {
		return nil, fmt.Errorf("find balances of account %d: %w", accountID, err)
	}
	defer rows.Close()
	var out []*freenahi.BalanceSnapshot
	for rows.Next() {
		b := &freenahi.BalanceSnapshot{Currency: a.Currency}
		if err := rows.Scan(&b.AccountID, timeVal{&b.At}, &b.BalanceMinor, intPtr{&b.ComingMinor}); err != nil {
			return nil, fmt.Errorf("find balances of account %d: scan: %w", accountID, err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find balances of account %d: %w", accountID, err)
	}
	return out, nil
}
