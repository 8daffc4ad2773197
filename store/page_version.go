package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

var _ freenahi.PageVersioner = (*Store)(nil)

// pageVersionSQL reads the counters of the person and of the owners of the
// accounts shared with them (migration 00150), each half along an index.
const pageVersionSQL = `SELECT user_id, version FROM page_versions WHERE user_id = $1
	UNION ALL SELECT v.user_id, v.version FROM page_versions v
	WHERE v.user_id IN (SELECT DISTINCT owner_id FROM account_shares WHERE grantee_id = $1)
	ORDER BY 1`

// PageVersion returns a word that changes with every committed write that
// can change what the person's dashboard and net worth show: their own data
// and that of the owners whose accounts they see, and the shares given or
// received. Data read after PageVersion said v is at least as new as v.
func (s *Store) PageVersion(ctx context.Context, userID int64) (string, error) {
	rows, err := s.readQuery(ctx, pageVersionSQL, userID)
	if err != nil {
		return "", fmt.Errorf("page version of user %d: %w", userID, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, v int64
		if err := rows.Scan(&id, &v); err != nil {
			return "", fmt.Errorf("page version of user %d: scan: %w", userID, err)
		}
		b.WriteString(strconv.FormatInt(id, 10))
		b.WriteByte(':')
		b.WriteString(strconv.FormatInt(v, 10))
		b.WriteByte(' ')
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("page version of user %d: %w", userID, err)
	}
	return b.String(), nil
}

// bumpPageVersion raises the person's page version in tx, which writes
// their transactions. PostgreSQL's statement triggers do it there (one
// upsert per statement); SQLite has only row triggers, which would cost
// ingest an upsert per transaction, so the store does it once per write
// transaction instead. Every method that writes the transactions table
// calls it.
func (s *Store) bumpPageVersion(ctx context.Context, tx execer, userID int64) error {
	if s.engine != SQLite {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO page_versions (user_id, version) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET version = page_versions.version + 1`, userID, micros(s.now())); err != nil {
		return fmt.Errorf("page version of user %d: %w", userID, err)
	}
	return nil
}
