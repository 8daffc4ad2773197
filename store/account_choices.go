package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

// UpdateAccountChoices writes the person's choices on one of their
// accounts. Only the columns a sync never writes change, so the next sync
// keeps them.
func (s *Store) UpdateAccountChoices(ctx context.Context, userID, id int64, c freenahi.AccountChoices) (*freenahi.Account, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var set []string
	args := []any{userID, id}
	add := func(col string, v any) {
		args = append(args, v)
		set = append(set, col+" = $"+strconv.Itoa(len(args)))
	}
	if c.Name != nil {
		add("display_name", *c.Name)
	}
	if c.Hidden != nil {
		add("hidden", *c.Hidden)
	}
	if c.Archived != nil {
		add("archived", *c.Archived)
	}
	if c.Group != nil {
		add("chosen_group", string(*c.Group))
	}
	if len(set) > 0 {
		res, err := s.wdb.ExecContext(ctx, `UPDATE accounts SET `+strings.Join(set, ", ")+
			` WHERE user_id = $1 AND id = $2`, args...)
		if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", id)); err != nil {
			return nil, fmt.Errorf("update choices of account %d: %w", id, err)
		}
	}
	return s.FindAccountByID(ctx, userID, id)
}
