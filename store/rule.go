package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/freenahi/freenahi"
)

var _ freenahi.RuleService = (*Store)(nil)

// findRules returns the user's rules in order, validated for matching.
func (s *Store) findRules(ctx context.Context, tx execer, userID int64) ([]*freenahi.Rule, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, user_id, position, name, conditions, actions, created_at, updated_at
		FROM rules WHERE user_id = $1 ORDER BY position, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	defer rows.Close()
	var out []*freenahi.Rule
	for rows.Next() {
		r := &freenahi.Rule{}
		var cond, act string
		if err := rows.Scan(&r.ID, &r.UserID, &r.Position, &r.Name, &cond, &act, timeVal{&r.CreatedAt}, timeVal{&r.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("read rules: %w", err)
		}
		if err := json.Unmarshal([]byte(cond), &r.If); err != nil {
			return nil, fmt.Errorf("read rule %d: %w", r.ID, err)
		}
		if err := json.Unmarshal([]byte(act), &r.Then); err != nil {
			return nil, fmt.Errorf("read rule %d: %w", r.ID, err)
		}
		// A rule stored by an older version that no longer validates is
		// skipped rather than stopping every ingest of the user.
		if r.Validate() == nil {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}

// FindRules returns the user's rules in order.
func (s *Store) FindRules(ctx context.Context, userID int64) ([]*freenahi.Rule, error) {
	rules, err := s.findRules(ctx, s.rdb, userID)
	if err != nil {
		return nil, fmt.Errorf("find rules: %w", err)
	}
	return rules, nil
}

// checkRuleRefs refuses a rule naming another user's category or account.
func (s *Store) checkRuleRefs(ctx context.Context, tx execer, r *freenahi.Rule) error {
	if id := r.Then.CategoryID; id != nil {
		c, err := s.findCategory(ctx, tx, r.UserID, *id)
		if err != nil || c.MergedInto != nil {
			return freenahi.FieldErrorf("category_id", "is not one of your categories")
		}
	}
	if id := r.If.AccountID; id != nil {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM accounts WHERE id = $1 AND user_id = $2`, *id, r.UserID).Scan(&one); err != nil {
			return freenahi.FieldErrorf("account_id", "is not one of your accounts")
		}
	}
	return nil
}

// CreateRule validates and saves a rule at the end of the user's list.
func (s *Store) CreateRule(ctx context.Context, r *freenahi.Rule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create rule: %w", err)
	}
	defer tx.Rollback()
	if err := s.checkRuleRefs(ctx, tx, r); err != nil {
		return err
	}
	cond, _ := json.Marshal(r.If)
	act, _ := json.Marshal(r.Then)
	now := s.now()
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM rules WHERE user_id = $1`, r.UserID).Scan(&r.Position); err != nil {
		return fmt.Errorf("create rule: %w", err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO rules (user_id, position, name, conditions, actions, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, r.UserID, r.Position, r.Name, string(cond), string(act), micros(now)).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("create rule: %w", err)
	}
	r.CreatedAt, r.UpdatedAt = fromMicros(micros(now)), fromMicros(micros(now))
	return tx.Commit()
}

// DeleteRule removes one of the user's rules.
func (s *Store) DeleteRule(ctx context.Context, userID, id int64) error {
	res, err := s.wdb.ExecContext(ctx, `DELETE FROM rules WHERE id = $1 AND user_id = $2`, id, userID)
	if err != nil {
		return fmt.Errorf("delete rule %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return freenahi.Errorf(freenahi.ENOTFOUND, "Rule %d not found.", id)
	}
	return nil
}

// retargetRules points the user's rules at category into instead of from.
func (s *Store) retargetRules(ctx context.Context, tx execer, userID, from, into int64) error {
	rules, err := s.findRules(ctx, tx, userID)
	if err != nil {
		return err
	}
	for _, r := range rules {
		if r.Then.CategoryID == nil || *r.Then.CategoryID != from {
			continue
		}
		r.Then.CategoryID = &into
		act, _ := json.Marshal(r.Then)
		if _, err := tx.ExecContext(ctx, `UPDATE rules SET actions = $1 WHERE id = $2`, string(act), r.ID); err != nil {
			return fmt.Errorf("retarget rule %d: %w", r.ID, err)
		}
	}
	return nil
}

// DryRunRule counts the user's live transactions the rule would change.
func (s *Store) DryRunRule(ctx context.Context, r *freenahi.Rule) (int, error) {
	if err := r.Validate(); err != nil {
		return 0, err
	}
	if err := s.checkRuleRefs(ctx, s.rdb, r); err != nil {
		return 0, err
	}
	n := 0
	err := s.eachTransaction(ctx, s.rdb, r.UserID, func(t *freenahi.Transaction) error {
		if r.RuleChanges(t) {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("dry-run rule: %w", err)
	}
	return n, nil
}

// ApplyRule applies one of the user's rules to their past transactions.
func (s *Store) ApplyRule(ctx context.Context, userID, id int64) (int, error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("apply rule %d: %w", id, err)
	}
	defer tx.Rollback()
	rules, err := s.findRules(ctx, tx, userID)
	if err != nil {
		return 0, fmt.Errorf("apply rule %d: %w", id, err)
	}
	var rule *freenahi.Rule
	for _, r := range rules {
		if r.ID == id {
			rule = r
		}
	}
	if rule == nil {
		return 0, freenahi.Errorf(freenahi.ENOTFOUND, "Rule %d not found.", id)
	}
	var changed []*freenahi.Transaction
	if err := s.eachTransaction(ctx, tx, userID, func(t *freenahi.Transaction) error {
		if rule.RuleChanges(t) {
			changed = append(changed, t)
		}
		return nil
	}); err != nil {
		return 0, fmt.Errorf("apply rule %d: %w", id, err)
	}
	now := micros(s.now())
	for _, t := range changed {
		if _, err := tx.ExecContext(ctx, `UPDATE transactions SET payee = $1, category_id = $2, category_source = $3, tags = $4,
			transfer = $5, updated_at = $6 WHERE id = $7 AND user_id = $8`,
			t.Payee, nullInt(t.CategoryID), t.CategorySource, joinTags(t.Tags), t.Transfer, now, t.ID, userID); err != nil {
			return 0, fmt.Errorf("apply rule %d to transaction %d: %w", id, t.ID, err)
		}
	}
	if err := s.bumpPageVersion(ctx, tx, userID); err != nil {
		return 0, err
	}
	return len(changed), tx.Commit()
}

// eachTransaction calls fn with each live transaction of the user.
func (s *Store) eachTransaction(ctx context.Context, db execer, userID int64, fn func(*freenahi.Transaction) error) error {
	rows, err := db.QueryContext(ctx, transactionSelect+` WHERE t.user_id = $1 AND t.deleted_at IS NULL`, userID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var r transactionRow
	dest := r.dest()
	for rows.Next() {
		r = transactionRow{}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if err := fn(r.transaction()); err != nil {
			return err
		}
	}
	return rows.Err()
}
