package store

import (
	"context"
	"fmt"

	"github.com/freenahi/freenahi"
)

var _ freenahi.ConnectionService = (*Store)(nil)

const connectionColumns = `id, user_id, powens_id, connector_id, connector_uuid, bank_name, state, error_message,
	last_update, created, active, expire, next_try, deleted_at, updated_at`

func connectionDest(c *freenahi.Connection) []any {
	return []any{&c.ID, &c.UserID, &c.PowensID, intPtr{&c.ConnectorID}, &c.ConnectorUUID, &c.BankName,
		stateVal{&c.State}, &c.ErrorMessage, timePtr{&c.LastUpdate}, timePtr{&c.Created}, boolVal{&c.Active},
		timePtr{&c.Expire}, timePtr{&c.NextTry}, timePtr{&c.Deleted}, timeVal{&c.UpdatedAt}}
}

// stateVal scans a connection state.
type stateVal struct{ dst *freenahi.ConnectionState }

func (s stateVal) Scan(v any) error {
	var text string
	err := strVal{&text}.Scan(v)
	*s.dst = freenahi.ConnectionState(text)
	return err
}

// FindConnections lists the user's connections with their sources, deleted
// ones last. The placeholder connection of manual accounts is not one.
func (s *Store) FindConnections(ctx context.Context, userID int64) ([]*freenahi.Connection, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+connectionColumns+` FROM connections
		WHERE user_id = $1 AND NOT manual ORDER BY deleted_at IS NOT NULL, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("find connections of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []*freenahi.Connection
	byID := map[int64]*freenahi.Connection{}
	for rows.Next() {
		c := &freenahi.Connection{}
		if err := rows.Scan(connectionDest(c)...); err != nil {
			return nil, fmt.Errorf("find connections of user %d: scan: %w", userID, err)
		}
		out = append(out, c)
		byID[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find connections of user %d: %w", userID, err)
	}
	if err := s.loadSources(ctx, userID, byID); err != nil {
		return nil, fmt.Errorf("find connections of user %d: %w", userID, err)
	}
	return out, nil
}

// FindConnectionByID returns one of the user's connections with its sources.
func (s *Store) FindConnectionByID(ctx context.Context, userID, id int64) (*freenahi.Connection, error) {
	c := &freenahi.Connection{}
	err := s.rdb.QueryRowContext(ctx, `SELECT `+connectionColumns+` FROM connections WHERE user_id = $1 AND id = $2 AND NOT manual`,
		userID, id).Scan(connectionDest(c)...)
	if err != nil {
		return nil, fmt.Errorf("find connection %d: %w", id, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Connection %d not found.", id)))
	}
	if err := s.loadSources(ctx, userID, map[int64]*freenahi.Connection{c.ID: c}); err != nil {
		return nil, fmt.Errorf("find connection %d: %w", id, err)
	}
	return c, nil
}

// loadSources attaches the user's sources to the connections of byID.
func (s *Store) loadSources(ctx context.Context, userID int64, byID map[int64]*freenahi.Connection) error {
	if len(byID) == 0 {
		return nil
	}
	rows, err := s.rdb.QueryContext(ctx, `
		SELECT connection_id, powens_id, name, connector_source_id, state, last_update, created, disabled,
			access_expire, expire, next_try
		FROM connection_sources WHERE user_id = $1 ORDER BY connection_id, powens_id`, userID)
	if err != nil {
		return fmt.Errorf("load sources: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var connID int64
		var src freenahi.ConnectionSource
		if err := rows.Scan(&connID, &src.PowensID, &src.Name, intPtr{&src.ConnectorSourceID}, stateVal{&src.State},
			timePtr{&src.LastUpdate}, timePtr{&src.Created}, timePtr{&src.Disabled}, timePtr{&src.AccessExpire},
			timePtr{&src.Expire}, timePtr{&src.NextTry}); err != nil {
			return fmt.Errorf("load sources: scan: %w", err)
		}
		if c := byID[connID]; c != nil {
			c.Sources = append(c.Sources, src)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load sources: %w", err)
	}
	return nil
}
