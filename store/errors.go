package store

import (
	"database/sql"
	"errors"

	"github.com/freenahi/freenahi"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
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
	var liteErr sqlite3.Error
	if errors.As(err, &liteErr) {
		c := liteErr.ExtendedCode
		return c == sqlite3.ErrConstraintUnique || c == sqlite3.ErrConstraintPrimaryKey
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
	var liteErr sqlite3.Error
	return errors.As(err, &liteErr) && liteErr.ExtendedCode == sqlite3.ErrConstraintForeignKey
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

// refusedByDatabase reports whether err is the database refusing a
// statement's data: a constraint it breaks, a value the column cannot hold, a
// limit it exceeds. The same event would be refused again, so retrying it
// only delays the events of its user queued behind it. The database not
// answering, or asking to try again (a lost connection, a serialization
// failure, a deadlock, a busy or locked file, a shutdown), is not a refusal,
// nor is any error whose cause is not known.
func refusedByDatabase(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code[:min(2, len(pgErr.Code))] {
		case "22", // data exception: NUL or bad UTF-8 in text, a number out of range
			"23", // integrity constraint violation
			"54": // program limit exceeded: a statement or value too large
			return true
		}
		return false
	}
	var liteErr sqlite3.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code & 0xff { // the primary code (ExtendedCode tells which constraint)
		case sqlite3.ErrConstraint, sqlite3.ErrMismatch, sqlite3.ErrTooBig, sqlite3.ErrRange:
			return true
		}
	}
	return false
}

// refusal makes a database refusal of an event's data a payload error
// (EINVALID), which the worker fails at once and keeps for replay; any
// other error is returned as it is, to be retried. Only an operator reads
// it (`freenahi webhooks`), so it is said in English with no message key.
func refusal(err error) error {
	if err == nil || !refusedByDatabase(err) {
		return err
	}
	return &freenahi.Error{Code: freenahi.EINVALID, Message: "the database refused the event's data: " + err.Error()}
}
