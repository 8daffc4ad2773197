package store

import (
	"database/sql"
	"errors"

	"github.com/freenahi/freenahi"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// translate maps driver errors to domain errors: no rows → ENOTFOUND, unique
// violation → ECONFLICT. Other errors pass through, to be logged as internal.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return freenahi.Errorf(freenahi.ENOTFOUND, "%s not found.", what)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return freenahi.Errorf(freenahi.ECONFLICT, "%s already exists.", what)
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return freenahi.Errorf(freenahi.ECONFLICT, "%s already exists.", what)
		}
	}
	return err
}
