package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/freenahi/freenahi"
)

// UpdateRule saves a rule's new name, conditions and actions in place.
func (s *Store) UpdateRule(ctx context.Context, r *freenahi.Rule) error {
	if err := s.updateRule(ctx, r); err != nil {
		return fmt.Errorf("update rule %d: %w", r.ID, err)
	}
	return nil
}

func (s *Store) updateRule(ctx context.Context, r *freenahi.Rule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.checkRuleRefs(ctx, tx, r); err != nil {
		return err
	}
	cond, _ := json.Marshal(r.If)
	act, _ := json.Marshal(r.Then)
	now := micros(s.now())
	err = tx.QueryRowContext(ctx, `UPDATE rules SET name = $1, conditions = $2, actions = $3, updated_at = $4
		WHERE id = $5 AND user_id = $6 RETURNING position, created_at`, r.Name, string(cond), string(act), now, r.ID, r.UserID).
		Scan(&r.Position, timeVal{&r.CreatedAt})
	if err != nil {
		return notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Rule %d not found.", r.ID))
	}
	r.UpdatedAt = fromMicros(now)
	return tx.Commit()
}

// MoveRule puts one of the user's rules at a position and numbers the
// user's rules 1…n again in their new order.
func (s *Store) MoveRule(ctx context.Context, userID, id int64, position int) error {
	if err := s.moveRule(ctx, userID, id, position); err != nil {
		return fmt.Errorf("move rule %d: %w", id, err)
	}
	return nil
}

func (s *Store) moveRule(ctx context.Context, userID, id int64, position int) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	lock := ""
	if s.engine == Postgres {
		lock = " FOR UPDATE" // two moves at once would interleave their numbering
	}
	// Every rule, even one an older version stored that no longer
	// validates (findRules skips those), keeps a place in the order.
	rows, err := tx.QueryContext(ctx, `SELECT id FROM rules WHERE user_id = $1 ORDER BY position, id`+lock, userID)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, rid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	at := slices.Index(ids, id)
	if at < 0 {
		return freenahi.Errorf(freenahi.ENOTFOUND, "Rule %d not found.", id)
	}
	if position < 1 || position > len(ids) {
		return freenahi.FieldErrorf("position", "must be between 1 and %d", len(ids))
	}
	ids = slices.Insert(slices.Delete(ids, at, at+1), position-1, id)
	for i, rid := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE rules SET position = $1 WHERE id = $2 AND user_id = $3 AND position <> $1`,
			i+1, rid, userID); err != nil {
			return err
		}
	}
	return tx.Commit()
}
