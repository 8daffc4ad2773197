package store

import (
	"context"
	"fmt"
)

// TryLock takes the lock called name if no other instance sharing the
// database holds it, and returns how to release it. On PostgreSQL it is a
// session advisory lock, held by a connection of its own, so that it goes
// with the instance if that dies. A SQLite database is served by one
// process, so there the lock is always granted.
func (s *Store) TryLock(ctx context.Context, name string) (release func(), ok bool, err error) {
	if s.engine != Postgres {
		return func() {}, true, nil
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("lock %s: %w", name, err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, "freenahi:"+name).Scan(&ok); err != nil || !ok {
		conn.Close()
		if err != nil {
			return nil, false, fmt.Errorf("lock %s: %w", name, err)
		}
		return nil, false, nil
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, "freenahi:"+name)
		conn.Close()
	}, true, nil
}

// Lock waits for the lock called name, held across every instance sharing
// the database (a PostgreSQL session advisory lock on a connection of its
// own, released if the instance dies), and returns how to release it. On
// SQLite, served by one process, it returns at once: in-process callers
// serialise themselves.
func (s *Store) Lock(ctx context.Context, name string) (release func(), err error) {
	if s.engine != Postgres {
		return func() {}, nil
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, "freenahi:"+name); err != nil {
		conn.Close()
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, "freenahi:"+name)
		conn.Close()
	}, nil
}
