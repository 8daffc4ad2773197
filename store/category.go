package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/freenahi/freenahi"
)

var _ freenahi.CategoryService = (*Store)(nil)

// execer is what the category helpers need of a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ensureCategories creates the user's default tree if it has none yet; a
// default the person merged or renamed is never recreated.
func (s *Store) ensureCategories(ctx context.Context, tx execer, userID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM categories WHERE user_id = $1 AND key <> ''`, userID).Scan(&n); err != nil {
		return fmt.Errorf("count categories: %w", err)
	}
	if n >= len(freenahi.DefaultCategories) {
		return nil
	}
	groups := map[string]int64{}
	now := micros(s.now())
	for i, d := range freenahi.DefaultCategories {
		var parent any
		if d.Group != "" {
			parent = groups[d.Group]
		}
		// ON CONFLICT keeps what exists: two first ingests of one user
		// never make two trees.
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO categories (user_id, parent_id, key, name, position, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, key) WHERE key <> '' DO UPDATE SET key = excluded.key RETURNING id`,
			userID, parent, d.Key, d.Name, i*10, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("create default category %s: %w", d.Key, err)
		}
		if d.Group == "" {
			groups[d.Key] = id
		}
	}
	return nil
}

const categorySelect = `SELECT id, user_id, parent_id, key, name, renamed, hidden, merged_into_id, position, created_at FROM categories`

func scanCategory(row interface{ Scan(...any) error }) (*freenahi.Category, error) {
	c := &freenahi.Category{}
	err := row.Scan(&c.ID, &c.UserID, intPtr{&c.ParentID}, &c.Key, &c.Name, boolVal{&c.Renamed}, boolVal{&c.Hidden},
		intPtr{&c.MergedInto}, &c.Position, timeVal{&c.CreatedAt})
	return c, err
}

// FindCategories returns the user's categories in tree order, merged ones
// left out, creating the default tree on first use.
func (s *Store) FindCategories(ctx context.Context, userID int64) ([]*freenahi.Category, error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("find categories: %w", err)
	}
	defer tx.Rollback()
	if err := s.ensureCategories(ctx, tx, userID); err != nil {
		return nil, fmt.Errorf("find categories: %w", err)
	}
	all, err := s.allCategories(ctx, tx, userID)
	if err != nil {
		return nil, fmt.Errorf("find categories: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("find categories: %w", err)
	}
	var out []*freenahi.Category
	for _, c := range all {
		if c.MergedInto == nil {
			out = append(out, c)
		}
	}
	return treeOrder(out), nil
}

// allCategories returns every category of the user, merged ones included.
func (s *Store) allCategories(ctx context.Context, tx execer, userID int64) ([]*freenahi.Category, error) {
	rows, err := tx.QueryContext(ctx, categorySelect+` WHERE user_id = $1 ORDER BY position, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*freenahi.Category
	for rows.Next() {
		c, err := scanCategory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// treeOrder puts each group before its categories, groups by position.
func treeOrder(cs []*freenahi.Category) []*freenahi.Category {
	var out []*freenahi.Category
	for _, g := range cs {
		if g.ParentID != nil {
			continue
		}
		out = append(out, g)
		for _, c := range cs {
			if c.ParentID != nil && *c.ParentID == g.ID {
				out = append(out, c)
			}
		}
	}
	return out
}

// findCategory returns one of the user's categories, merged or not.
func (s *Store) findCategory(ctx context.Context, tx execer, userID, id int64) (*freenahi.Category, error) {
	c, err := scanCategory(tx.QueryRowContext(ctx, categorySelect+` WHERE user_id = $1 AND id = $2`, userID, id))
	if err != nil {
		return nil, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Category %d not found.", id))
	}
	return c, nil
}

// CreateCategory adds a category of the user under parentID (nil: a group).
func (s *Store) CreateCategory(ctx context.Context, userID int64, name string, parentID *int64) (*freenahi.Category, error) {
	name, err := freenahi.ValidateCategoryName(name)
	if err != nil {
		return nil, err
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("create category: %w", err)
	}
	defer tx.Rollback()
	if err := s.ensureCategories(ctx, tx, userID); err != nil {
		return nil, fmt.Errorf("create category: %w", err)
	}
	if parentID != nil {
		p, err := s.findCategory(ctx, tx, userID, *parentID)
		if err != nil || !p.IsGroup() || p.MergedInto != nil {
			return nil, freenahi.FieldErrorf("parent_id", "is not one of your groups")
		}
	}
	if err := s.checkSiblingName(ctx, tx, userID, parentID, name, 0); err != nil {
		return nil, err
	}
	var pos int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 10 FROM categories WHERE user_id = $1`, userID).Scan(&pos); err != nil {
		return nil, fmt.Errorf("create category: %w", err)
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO categories (user_id, parent_id, key, name, renamed, position, created_at)
		VALUES ($1, $2, '', $3, $4, $5, $6) RETURNING id`, userID, nullInt(parentID), name, true, pos, micros(s.now())).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("create category: %w", err)
	}
	c, err := s.findCategory(ctx, tx, userID, id)
	if err != nil {
		return nil, fmt.Errorf("create category: %w", err)
	}
	return c, tx.Commit()
}

// checkSiblingName refuses a name another live category of the same parent has.
func (s *Store) checkSiblingName(ctx context.Context, tx execer, userID int64, parentID *int64, name string, except int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM categories WHERE user_id = $1 AND merged_into_id IS NULL
		AND COALESCE(parent_id, 0) = $2`, userID, derefInt(parentID))
	if err != nil {
		return fmt.Errorf("check category name: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var other string
		if err := rows.Scan(&id, &other); err != nil {
			return fmt.Errorf("check category name: %w", err)
		}
		if id != except && strings.EqualFold(other, name) {
			e := freenahi.Errorf(freenahi.ECONFLICT, "A category named %q already exists there.", name)
			e.Field = "name"
			return e
		}
	}
	return rows.Err()
}

func derefInt(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// UpdateCategory renames, hides, shows or moves one of the user's categories.
func (s *Store) UpdateCategory(ctx context.Context, userID, id int64, upd freenahi.CategoryUpdate) (*freenahi.Category, error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("update category %d: %w", id, err)
	}
	defer tx.Rollback()
	c, err := s.findCategory(ctx, tx, userID, id)
	if err != nil {
		return nil, fmt.Errorf("update category %d: %w", id, err)
	}
	if c.MergedInto != nil {
		return nil, freenahi.Errorf(freenahi.ENOTFOUND, "Category %d not found.", id)
	}
	if upd.ParentID != nil {
		if err := s.moveCategory(ctx, tx, c, *upd.ParentID); err != nil {
			return nil, err
		}
	}
	if upd.Name != nil {
		name, err := freenahi.ValidateCategoryName(*upd.Name)
		if err != nil {
			return nil, err
		}
		if err := s.checkSiblingName(ctx, tx, userID, c.ParentID, name, c.ID); err != nil {
			return nil, err
		}
		c.Name, c.Renamed = name, true
	}
	if upd.Hidden != nil {
		c.Hidden = *upd.Hidden
	}
	if _, err := tx.ExecContext(ctx, `UPDATE categories SET name = $1, renamed = $2, hidden = $3, parent_id = $4 WHERE id = $5 AND user_id = $6`,
		c.Name, c.Renamed, c.Hidden, nullInt(c.ParentID), c.ID, userID); err != nil {
		return nil, fmt.Errorf("update category %d: %w", id, err)
	}
	return c, tx.Commit()
}

// moveCategory sets c's parent (0: make it a group), refusing trees deeper than two.
func (s *Store) moveCategory(ctx context.Context, tx execer, c *freenahi.Category, parentID int64) error {
	if parentID == 0 {
		c.ParentID = nil
		return nil
	}
	p, err := s.findCategory(ctx, tx, c.UserID, parentID)
	if err != nil || !p.IsGroup() || p.MergedInto != nil || p.ID == c.ID {
		return freenahi.FieldErrorf("parent_id", "is not one of your groups")
	}
	var children int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM categories WHERE parent_id = $1 AND merged_into_id IS NULL`, c.ID).Scan(&children); err != nil {
		return fmt.Errorf("move category %d: %w", c.ID, err)
	}
	if children > 0 {
		return freenahi.FieldErrorf("parent_id", "a group with categories cannot go under another group")
	}
	c.ParentID = &p.ID
	return nil
}

// MergeCategory moves everything of category from into category into and retires from.
func (s *Store) MergeCategory(ctx context.Context, userID, from, into int64) (int, error) {
	if from == into {
		return 0, freenahi.FieldErrorf("into", "is the category being merged")
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("merge category %d: %w", from, err)
	}
	defer tx.Rollback()
	src, err := s.findCategory(ctx, tx, userID, from)
	if err != nil || src.MergedInto != nil {
		return 0, fmt.Errorf("merge category: %w", freenahi.Errorf(freenahi.ENOTFOUND, "Category %d not found.", from))
	}
	dst, err := s.findCategory(ctx, tx, userID, into)
	if err != nil || dst.MergedInto != nil {
		return 0, freenahi.FieldErrorf("into", "is not one of your categories")
	}
	var children int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM categories WHERE parent_id = $1 AND merged_into_id IS NULL`, from).Scan(&children); err != nil {
		return 0, fmt.Errorf("merge category %d: %w", from, err)
	}
	if children > 0 {
		return 0, freenahi.FieldErrorf("from", "a group with categories cannot be merged; move or merge its categories first")
	}
	res, err := tx.ExecContext(ctx, `UPDATE transactions SET category_id = $1 WHERE user_id = $2 AND category_id = $3`, into, userID, from)
	if err != nil {
		return 0, fmt.Errorf("merge category %d: move transactions: %w", from, err)
	}
	moved, _ := res.RowsAffected()
	stmts := []string{
		`UPDATE payee_categories SET category_id = $1 WHERE user_id = $2 AND category_id = $3`,
		`UPDATE transaction_splits SET category_id = $1 WHERE user_id = $2 AND category_id = $3`,
		// A budget follows unless the category taking over has its own.
		`UPDATE budgets SET category_id = $1 WHERE user_id = $2 AND category_id = $3
			AND NOT EXISTS (SELECT 1 FROM budgets b WHERE b.user_id = $2 AND b.category_id = $1)`,
		`DELETE FROM budgets WHERE category_id = $3 AND user_id = $2 AND $1 > 0`,
		// Categories merged into from earlier follow it.
		`UPDATE categories SET merged_into_id = $1 WHERE user_id = $2 AND merged_into_id = $3`,
		`UPDATE categories SET merged_into_id = $1, hidden = TRUE WHERE user_id = $2 AND id = $3`,
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q, into, userID, from); err != nil {
			return 0, fmt.Errorf("merge category %d: %w", from, err)
		}
	}
	if err := s.retargetRules(ctx, tx, userID, from, into); err != nil {
		return 0, fmt.Errorf("merge category %d: %w", from, err)
	}
	if err := s.bumpPageVersion(ctx, tx, userID); err != nil {
		return 0, err
	}
	return int(moved), tx.Commit()
}

// categoryKeys maps each default key of the user to the live category that
// holds it, merges followed.
func categoryKeys(all []*freenahi.Category) map[string]int64 {
	byID := make(map[int64]*freenahi.Category, len(all))
	for _, c := range all {
		byID[c.ID] = c
	}
	keys := make(map[string]int64, len(all))
	for _, c := range all {
		if c.Key == "" {
			continue
		}
		target := c
		for hops := 0; target.MergedInto != nil && hops < 10; hops++ {
			next, ok := byID[*target.MergedInto]
			if !ok {
				break
			}
			target = next
		}
		keys[c.Key] = target.ID
	}
	return keys
}
