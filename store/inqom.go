package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/freenahi/freenahi"
)

// inqomAAD binds a sealed Inqom secret to its user and field, so a sealed
// value copied into another row or column does not open.
func inqomAAD(userID int64, field string) string {
	return "inqom_" + field + ":" + strconv.FormatInt(userID, 10)
}

// SaveInqomCredentials stores a user's Inqom credentials, the password and
// client secret sealed, replacing earlier ones. EINVALID when a field is
// missing, ENOTFOUND when the user does not exist.
func (s *Store) SaveInqomCredentials(ctx context.Context, c *freenahi.InqomCredentials) error {
	if err := s.saveInqomCredentials(ctx, c); err != nil {
		return fmt.Errorf("save Inqom credentials of user %d: %w", c.UserID, err)
	}
	return nil
}

func (s *Store) saveInqomCredentials(ctx context.Context, c *freenahi.InqomCredentials) error {
	for _, f := range []struct{ name, v string }{{"username", c.Username}, {"password", c.Password},
		{"client_id", c.ClientID}, {"client_secret", c.ClientSecret}} {
		if strings.TrimSpace(f.v) == "" {
			return freenahi.FieldErrorf(f.name, "is required")
		}
	}
	pw, err := s.secrets.Seal([]byte(c.Password), inqomAAD(c.UserID, "password"))
	if err != nil {
		return fmt.Errorf("seal password: %w", err)
	}
	cs, err := s.secrets.Seal([]byte(c.ClientSecret), inqomAAD(c.UserID, "client_secret"))
	if err != nil {
		return fmt.Errorf("seal client secret: %w", err)
	}
	c.UpdatedAt = s.now()
	_, err = s.wdb.ExecContext(ctx, `
		INSERT INTO inqom_credentials (user_id, username, password_sealed, client_id, client_secret_sealed,
			environment, auth_url, banking_url, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, password_sealed = excluded.password_sealed,
			client_id = excluded.client_id, client_secret_sealed = excluded.client_secret_sealed,
			environment = excluded.environment, auth_url = excluded.auth_url, banking_url = excluded.banking_url,
			updated_at = excluded.updated_at`,
		c.UserID, c.Username, pw, c.ClientID, cs, c.Environment, c.AuthURL, c.BankingURL, micros(c.UpdatedAt))
	return userMissing(err, c.UserID)
}

// FindInqomCredentials returns a user's Inqom credentials, unsealed, or
// ENOTFOUND when the user has none (the global ones then apply).
func (s *Store) FindInqomCredentials(ctx context.Context, userID int64) (*freenahi.InqomCredentials, error) {
	c := &freenahi.InqomCredentials{UserID: userID}
	var pw, cs []byte
	err := s.rdb.QueryRowContext(ctx, `
		SELECT username, password_sealed, client_id, client_secret_sealed, environment, auth_url, banking_url, updated_at
		FROM inqom_credentials WHERE user_id = $1`, userID).Scan(&c.Username, &pw, &c.ClientID, &cs, &c.Environment,
		&c.AuthURL, &c.BankingURL, timeVal{&c.UpdatedAt})
	if err != nil {
		return nil, fmt.Errorf("find Inqom credentials of user %d: %w", userID, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "No Inqom credentials are saved for this user.")))
	}
	p, err := s.secrets.Open(pw, inqomAAD(userID, "password"))
	if err != nil {
		return nil, fmt.Errorf("find Inqom credentials of user %d: open password: %w", userID, err)
	}
	sec, err := s.secrets.Open(cs, inqomAAD(userID, "client_secret"))
	if err != nil {
		return nil, fmt.Errorf("find Inqom credentials of user %d: open client secret: %w", userID, err)
	}
	c.Password, c.ClientSecret = string(p), string(sec)
	return c, nil
}

const mappingColumns = `m.id, m.user_id, m.account_id, m.dossier_id, m.iban, m.bank_name, m.cfonb_control, m.start_date,
	m.inqom_account_id, m.registered_at, m.last_error, m.chain_date, m.chain_minor, m.created_at, m.unlinked_at`

func mappingDest(m *freenahi.InqomMapping) []any {
	return []any{&m.ID, &m.UserID, &m.AccountID, &m.DossierID, &m.IBAN, &m.BankName, boolVal{&m.CFONBControl},
		dateVal{&m.StartDate}, &m.InqomAccountID, timePtr{&m.RegisteredAt}, errorVal{&m.LastError}, datePtr{&m.ChainDate},
		intPtr{&m.ChainMinor}, timeVal{&m.CreatedAt}, timePtr{&m.UnlinkedAt}}
}

// datePtr scans a nullable YYYYMMDD column into a *Date.
type datePtr struct{ dst **freenahi.Date }

func (s datePtr) Scan(v any) error {
	var d freenahi.Date
	if err := (dateVal{&d}).Scan(v); err != nil || v == nil {
		*s.dst = nil
		return err
	}
	*s.dst = &d
	return nil
}

// CreateInqomMapping maps one of the user's accounts to a dossier, or
// returns the existing mapping of that account and dossier unchanged
// (created=false), so linking twice is harmless. ENOTFOUND when the account
// is not the user's; ECONFLICT when another account of the user is mapped
// to the dossier with the same IBAN.
func (s *Store) CreateInqomMapping(ctx context.Context, m *freenahi.InqomMapping) (created bool, err error) {
	created, err = s.createInqomMapping(ctx, m)
	if err != nil {
		return false, fmt.Errorf("map account %d to Inqom dossier %d: %w", m.AccountID, m.DossierID, err)
	}
	return created, nil
}

func (s *Store) createInqomMapping(ctx context.Context, m *freenahi.InqomMapping) (created bool, err error) {
	if _, err := s.FindAccountByID(ctx, m.UserID, m.AccountID); err != nil {
		return false, err
	}
	m.CreatedAt = s.now()
	err = s.wdb.QueryRowContext(ctx, `
		INSERT INTO inqom_mappings (user_id, account_id, dossier_id, iban, bank_name, cfonb_control, start_date, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (account_id, dossier_id) DO NOTHING RETURNING id`,
		m.UserID, m.AccountID, m.DossierID, m.IBAN, m.BankName, m.CFONBControl, nullDate(m.StartDate),
		micros(m.CreatedAt)).Scan(&m.ID)
	if errors.Is(err, sql.ErrNoRows) {
		existing, ferr := s.findMapping(ctx, `m.user_id = $1 AND m.account_id = $2 AND m.dossier_id = $3`, m.UserID, m.AccountID, m.DossierID)
		if ferr != nil {
			return false, ferr
		}
		if existing.UnlinkedAt != nil {
			// Linked again after an unlink: the same ledger resumes, so
			// nothing already sent goes a second time.
			if _, err := s.wdb.ExecContext(ctx, `UPDATE inqom_mappings SET unlinked_at = NULL WHERE id = $1`, existing.ID); err != nil {
				return false, fmt.Errorf("link mapping %d again: %w", existing.ID, err)
			}
			existing.UnlinkedAt = nil
		}
		*m = *existing
		return false, nil
	}
	if isUniqueViolation(err) {
		return false, freenahi.Errorf(freenahi.ECONFLICT, "IBAN %s is already mapped to dossier %d by another account.", m.IBAN, m.DossierID)
	} else if err != nil {
		return false, fmt.Errorf("insert mapping: %w", err)
	}
	return true, nil
}

// RecordInqomRegistration records the outcome of registering a mapping's
// account in Inqom: registered (with Inqom's account id, if any; the first
// registration time stays) or why not. ENOTFOUND when there is no such mapping.
func (s *Store) RecordInqomRegistration(ctx context.Context, mappingID int64, inqomAccountID string, regErr *freenahi.Error) error {
	var res sql.Result
	var err error
	if regErr != nil {
		res, err = s.wdb.ExecContext(ctx, `UPDATE inqom_mappings SET last_error = $1 WHERE id = $2`, errorText(regErr), mappingID)
	} else {
		res, err = s.wdb.ExecContext(ctx, `
			UPDATE inqom_mappings SET registered_at = COALESCE(registered_at, $1), last_error = '',
				inqom_account_id = CASE WHEN $2 <> '' THEN $2 ELSE inqom_account_id END
			WHERE id = $3`, micros(s.now()), inqomAccountID, mappingID)
	}
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "Inqom mapping %d not found.", mappingID)); err != nil {
		return fmt.Errorf("record registration of Inqom mapping %d: %w", mappingID, err)
	}
	return nil
}

// RecordInqomError records why the last push of a mapping failed (nil
// clears it). ENOTFOUND when there is no such mapping.
func (s *Store) RecordInqomError(ctx context.Context, mappingID int64, e *freenahi.Error) error {
	res, err := s.wdb.ExecContext(ctx, `UPDATE inqom_mappings SET last_error = $1 WHERE id = $2`, errorText(e), mappingID)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "Inqom mapping %d not found.", mappingID)); err != nil {
		return fmt.Errorf("record error of Inqom mapping %d: %w", mappingID, err)
	}
	return nil
}

// clip bounds a stored message. Messages quote what others sent (a payload,
// an answer), so they are made storable, and cut between two characters:
// half a character is not UTF-8, which PostgreSQL refuses.
func clip(s string) string {
	s = storableText(s)
	if len(s) > 2000 {
		n := 2000
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		return s[:n]
	}
	return s
}

// FindInqomMappingByID returns one of the user's mappings; ENOTFOUND if it
// does not exist or belongs to another user.
func (s *Store) FindInqomMappingByID(ctx context.Context, userID, id int64) (*freenahi.InqomMapping, error) {
	m, err := s.findMapping(ctx, `m.user_id = $1 AND m.id = $2`, userID, id)
	if err != nil {
		return nil, fmt.Errorf("find Inqom mapping %d: %w", id, err)
	}
	return m, nil
}

func (s *Store) findMapping(ctx context.Context, where string, args ...any) (*freenahi.InqomMapping, error) {
	m := &freenahi.InqomMapping{}
	err := s.rdb.QueryRowContext(ctx, `SELECT `+mappingColumns+` FROM inqom_mappings m WHERE `+where, args...).Scan(mappingDest(m)...)
	if err != nil {
		return nil, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "This link between an account and an Inqom dossier does not exist."))
	}
	return m, nil
}

// UnlinkInqomMapping stops the user's mapping: nothing more is sent to its
// dossier, and its ledger is kept so that linking the same account and
// dossier again resumes where it stopped. It returns the mapping as it
// was; ENOTFOUND if it does not exist, is already unlinked or belongs to
// another user.
func (s *Store) UnlinkInqomMapping(ctx context.Context, userID, id int64) (*freenahi.InqomMapping, error) {
	m, err := s.findMapping(ctx, `m.user_id = $1 AND m.id = $2 AND m.unlinked_at IS NULL`, userID, id)
	if err != nil {
		return nil, fmt.Errorf("unlink Inqom mapping %d: %w", id, err)
	}
	res, err := s.wdb.ExecContext(ctx, `UPDATE inqom_mappings SET unlinked_at = $1 WHERE id = $2 AND user_id = $3 AND unlinked_at IS NULL`,
		micros(s.now()), id, userID)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "This link between an account and an Inqom dossier does not exist.")); err != nil {
		return nil, fmt.Errorf("unlink Inqom mapping %d: %w", id, err)
	}
	return m, nil
}

// FindInqomMappings lists the user's linked mappings (not the unlinked
// ones), oldest first; userID 0 lists every user's, for the background push.
func (s *Store) FindInqomMappings(ctx context.Context, userID int64) ([]*freenahi.InqomMapping, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+mappingColumns+` FROM inqom_mappings m
		WHERE ($1 = 0 OR m.user_id = $1) AND m.unlinked_at IS NULL ORDER BY m.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("find Inqom mappings of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []*freenahi.InqomMapping
	for rows.Next() {
		m := &freenahi.InqomMapping{}
		if err := rows.Scan(mappingDest(m)...); err != nil {
			return nil, fmt.Errorf("find Inqom mappings of user %d: scan: %w", userID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find Inqom mappings of user %d: %w", userID, err)
	}
	return out, nil
}

// ClaimInqomMapping leases a mapping to owner until the lease ends, so that
// two instances never push the same mapping (and so the same batch) at once.
// It returns false when a live lease is held, even by the same process:
// owners are per claim. On PostgreSQL the row lock is taken with SKIP
// LOCKED, so a busy mapping is skipped rather than waited for.
//
// A refused claim is not a lost one: it asks the holder to look again
// before it lets go (ReleaseInqomMapping answers true), because the holder
// may have read the transactions before the sync that prompted this claim
// committed. When the holder let go in between, the claim is tried again.
func (s *Store) ClaimInqomMapping(ctx context.Context, mappingID int64, owner string, lease time.Duration) (bool, error) {
	for range 2 {
		ok, err := s.claimInqomMapping(ctx, mappingID, owner, lease)
		if err != nil || ok {
			return ok, err
		}
		asked, err := s.askInqomRescan(ctx, mappingID)
		if err != nil || asked {
			return false, err
		}
	}
	return false, nil
}

func (s *Store) claimInqomMapping(ctx context.Context, mappingID int64, owner string, lease time.Duration) (bool, error) {
	now := s.now()
	lock := ""
	if s.engine == Postgres {
		lock = "FOR UPDATE SKIP LOCKED"
	}
	res, err := s.wdb.ExecContext(ctx, `
		UPDATE inqom_mappings SET lease_owner = $1, lease_until = $2, last_run_at = $3
		WHERE id = (SELECT id FROM inqom_mappings WHERE id = $4
			AND (lease_until IS NULL OR lease_until < $3) `+lock+`)`,
		owner, micros(now.Add(lease)), micros(now), mappingID)
	if err != nil {
		return false, fmt.Errorf("claim Inqom mapping %d: %w", mappingID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim Inqom mapping %d: %w", mappingID, err)
	}
	return n == 1, nil
}

// askInqomRescan marks a mapping held by a live lease as to be looked at
// again by its holder; false when no live lease holds it (any more).
func (s *Store) askInqomRescan(ctx context.Context, mappingID int64) (bool, error) {
	res, err := s.wdb.ExecContext(ctx, `UPDATE inqom_mappings SET rescan = TRUE
		WHERE id = $1 AND lease_owner IS NOT NULL AND lease_until >= $2`, mappingID, micros(s.now()))
	if err != nil {
		return false, fmt.Errorf("ask the holder of Inqom mapping %d to look again: %w", mappingID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("ask the holder of Inqom mapping %d to look again: %w", mappingID, err)
	}
	return n == 1, nil
}

// RenewInqomMapping extends owner's lease on a mapping to now+lease; false
// when owner no longer holds it (it ended and another run took it).
func (s *Store) RenewInqomMapping(ctx context.Context, mappingID int64, owner string, lease time.Duration) (bool, error) {
	res, err := s.wdb.ExecContext(ctx, `UPDATE inqom_mappings SET lease_until = $1 WHERE id = $2 AND lease_owner = $3`,
		micros(s.now().Add(lease)), mappingID, owner)
	if err != nil {
		return false, fmt.Errorf("renew the lease of Inqom mapping %d: %w", mappingID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("renew the lease of Inqom mapping %d: %w", mappingID, err)
	}
	return n == 1, nil
}

// ReleaseInqomMapping ends owner's lease on a mapping, unless a refused
// claim asked owner to look again while it held it: then the request is
// cleared, the lease kept, and it returns true — owner runs once more and
// releases again. In one statement, so that no request falls between the
// look and the release. When stopping (shutdown), the lease ends whatever
// was asked and the request stays for the next holder. A lease owner no
// longer holds (it ended and another took it) is left alone, without error.
func (s *Store) ReleaseInqomMapping(ctx context.Context, mappingID int64, owner string, stopping bool) (again bool, err error) {
	if stopping {
		if _, err := s.wdb.ExecContext(ctx, `UPDATE inqom_mappings SET lease_owner = NULL, lease_until = NULL
			WHERE id = $1 AND lease_owner = $2`, mappingID, owner); err != nil {
			return false, fmt.Errorf("release Inqom mapping %d: %w", mappingID, err)
		}
		return false, nil
	}
	// SET reads the row as it was; RETURNING reads it as it is now.
	err = s.wdb.QueryRowContext(ctx, `UPDATE inqom_mappings SET
			lease_owner = CASE WHEN rescan THEN lease_owner ELSE NULL END,
			lease_until = CASE WHEN rescan THEN lease_until ELSE NULL END,
			rescan = FALSE
		WHERE id = $1 AND lease_owner = $2
		RETURNING lease_owner IS NOT NULL`, mappingID, owner).Scan(&again)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("release Inqom mapping %d: %w", mappingID, err)
	}
	return again, nil
}
