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
// the store was doing, wrapping either a *freenahi.Error (a whole sentence a
// person may read, each with its own translation, found with errors.As
// through the phrase) or the driver's error (an internal error, logged with
// its cause):
//
//	return nil, fmt.Errorf("find account %d: %w", id, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", id)))

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
// userID: the user does not exist. Other errors pass through.
func userMissing(err error, userID int64) error {
	if isForeignKeyViolation(err) {
		return freenahi.Errorf(freenahi.ENOTFOUND, "User %d not found.", userID)
	}
	return err
}

// notFoundIfNone checks the result of an UPDATE or DELETE of one row: the
// driver's error as is, or e when no row matched.
func notFoundIfNone(res sql.Result, err error, e *freenahi.Error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return e
	}
	return nil
}
