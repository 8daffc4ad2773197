package store

import (
	"database/sql"
	"errors"

	"github.com/freenahi/freenahi"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Errors leave the store in one shape: a short lowercase phrase saying what
// the store was doing, wrapping either a *freenahi.Error (what a person may
// read, found with errors.As through the phrase) or the driver's error (an
// internal error, logged with its cause):
//
//	return nil, fmt.Errorf("find account %d: %w", id, translate(err, "Account "+…))

// translate maps driver errors to domain errors: no rows → ENOTFOUND, unique
// violation → ECONFLICT, each with a message naming what (e.g. "Account 5").
// Other errors pass through, to be logged as internal.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return freenahi.Errorf(freenahi.ENOTFOUND, "%s not found.", what)
	case isUniqueViolation(err):
		return freenahi.Errorf(freenahi.ECONFLICT, "%s already exists.", what)
	}
	return err
}

// isUniqueViolation reports whether err is a driver's unique or primary key violation.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		c := liteErr.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isForeignKeyViolation reports whether err is a driver's foreign key
// violation: a row refers to one that does not exist (a deleted user).
func isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23503"
	}
	var liteErr *sqlite.Error
	return errors.As(err, &liteErr) && liteErr.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// userMissing translates a foreign key violation of a row that belongs to
// userID: the user does not exist. Other errors go through translate.
func userMissing(err error, userID int64, what string) error {
	if isForeignKeyViolation(err) {
		return freenahi.Errorf(freenahi.ENOTFOUND, "User %d not found.", userID)
	}
	return translate(err, what)
}

// notFoundIfNone checks the result of an UPDATE or DELETE of one row: the
// driver's error as is, or ENOTFOUND with the formatted message when no row
// matched.
func notFoundIfNone(res sql.Result, err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return freenahi.Errorf(freenahi.ENOTFOUND, format, args...)
	}
	return nil
}
