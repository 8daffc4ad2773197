package store

import (
	"database/sql"
	"errors"

	"github.com/freenahi/freenahi"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Driver errors are translated at the store edge: no rows → ENOTFOUND,
// unique violation → ECONFLICT. The caller gives the domain error itself, a
// whole sentence naming what was not found or already exists, so that each
// sentence has its own translation; other errors pass through, to be
// logged as internal.

// notFound returns e when err is "no rows", else err.
func notFound(err error, e *freenahi.Error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return e
	}
	return err
}

// exists returns e when err is a unique violation, else err.
func exists(err error, e *freenahi.Error) error {
	if isUniqueViolation(err) {
		return e
	}
	return err
}

// isUniqueViolation reports whether err is a unique or primary key
// violation, on either engine.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return true
		}
	}
	return false
}
