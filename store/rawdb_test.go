package store

import "database/sql"

// DB exposes the read pool to the store's external tests, which check what is
// stored at rest (sealed values) with plain SQL.
func (s *Store) DB() *sql.DB { return s.rdb }
