package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared read statements by SQL text. The SQLite driver
// parses a statement on every Query (modernc's did; mattn's does unless its
// own per-connection cache is turned on), which was a quarter of serving a
// page of transactions; query texts are few (one per combination of filters).
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// maxCachedStmts bounds the cache; past it, statements are not kept.
const maxCachedStmts = 512

func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, bool, error) {
	c.mu.Lock()
	st := c.stmts[query]
	c.mu.Unlock()
	if st != nil {
		return st, true, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	if prev := c.stmts[query]; prev != nil {
		st.Close()
		return prev, true, nil
	}
	if len(c.stmts) >= maxCachedStmts {
		return st, false, nil
	}
	c.stmts[query] = st
	return st, true, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// readQuery runs a read query through the statement cache.
func (s *Store) readQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, cached, err := s.reads.get(ctx, s.rdb, query)
	if err != nil {
		return nil, err
	}
	if !cached {
		defer st.Close()
	}
	return st.QueryContext(ctx, args...)
}

// readRow runs a one-row read query through the statement cache and scans it.
func (s *Store) readRow(ctx context.Context, query string, args []any, dest ...any) error {
	rows, err := s.readQuery(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}
