package store

import (
	"context"
	"fmt"
	"time"

	"github.com/freenahi/freenahi"
)

// UnmatchedUsage counts the events waiting for their Powens user to be
// linked, their bytes, and how many came from source: the receiver bounds
// each, since in bearer mode anyone can have such an event stored.
func (s *Store) UnmatchedUsage(ctx context.Context, source string) (*freenahi.UnmatchedUsage, error) {
	u := &freenahi.UnmatchedUsage{}
	err := s.rdb.QueryRowContext(ctx, `
		SELECT COUNT(*), COALESCE(SUM(body_size), 0), COALESCE(SUM(CASE WHEN source = $1 THEN 1 ELSE 0 END), 0), MIN(received_at)
		FROM webhook_events WHERE status = 'unmatched'`, source).Scan(&u.Count, &u.Bytes, &u.FromSource, timePtr{&u.Oldest})
	if err != nil {
		return nil, fmt.Errorf("count unmatched events: %w", err)
	}
	return u, nil
}

// pruneBatch bounds one delete, so that pruning a long history does not
// hold the (SQLite: only) writer for long.
const pruneBatch = 500

// PruneInbox removes the raw bodies of events processed (or ignored) longer
// than r.BodiesAfter ago, and the unmatched events received longer than
// r.UnmatchedAfter ago, in batches. Failed and unfinished events keep their
// bodies: a replay needs them.
func (s *Store) PruneInbox(ctx context.Context, r freenahi.InboxRetention) (bodies, unmatched int64, err error) {
	now := s.now()
	if r.BodiesAfter > 0 {
		bodies, err = s.pruneLoop(ctx, `
			DELETE FROM webhook_event_bodies WHERE event_id IN (
				SELECT e.id FROM webhook_events e
				WHERE e.status IN ('processed', 'ignored') AND e.processed_at < $1
				AND EXISTS (SELECT 1 FROM webhook_event_bodies b WHERE b.event_id = e.id)
				LIMIT `+fmt.Sprint(pruneBatch)+`)
			RETURNING event_id`,
			micros(now.Add(-r.BodiesAfter)))
		if err != nil {
			return 0, 0, fmt.Errorf("prune webhook bodies: %w", err)
		}
	}
	if r.UnmatchedAfter > 0 {
		// Their bodies go with them (ON DELETE CASCADE).
		unmatched, err = s.pruneLoop(ctx, `
			DELETE FROM webhook_events WHERE id IN (
				SELECT id FROM webhook_events WHERE status = 'unmatched' AND received_at < $1 LIMIT `+fmt.Sprint(pruneBatch)+`)
			RETURNING id`,
			micros(now.Add(-r.UnmatchedAfter)))
		if err != nil {
			return bodies, 0, fmt.Errorf("prune unmatched webhook events: %w", err)
		}
	}
	return bodies, unmatched, nil
}

func (s *Store) pruneLoop(ctx context.Context, query string, before int64) (int64, error) {
	var total int64
	for {
		// The query returns the event of each row it deletes (bodies come
		// in chunks): count events, not rows.
		rows, err := s.wdb.QueryContext(ctx, query, before)
		if err != nil {
			return total, err
		}
		events := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return total, err
			}
			events[id] = true
		}
		if err := rows.Close(); err != nil {
			return total, err
		}
		if err := rows.Err(); err != nil {
			return total, err
		}
		total += int64(len(events))
		if len(events) < pruneBatch {
			return total, nil
		}
		select {
		case <-ctx.Done():
			return total, ctx.Err()
		case <-time.After(10 * time.Millisecond): // let receipts in between
		}
	}
}
