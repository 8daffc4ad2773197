package store

import (
	"context"
	"fmt"
	"time"

	"github.com/freenahi/freenahi"
)

// refusalRetention is how long hourly counts of refused deliveries are kept.
const refusalRetention = 30 * 24 * time.Hour

// RecordRefusals adds refused deliveries to their hourly counts, keeping the
// latest detail, and forgets counts older than refusalRetention.
func (s *Store) RecordRefusals(ctx context.Context, rs []freenahi.WebhookRefusal) error {
	if len(rs) == 0 {
		return nil
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record refusals: %w", err)
	}
	defer tx.Rollback()
	for _, r := range rs {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO webhook_refusals (hour, event, reason, count, last_at, last_detail) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (hour, event, reason) DO UPDATE SET count = webhook_refusals.count + excluded.count,
				last_at = CASE WHEN excluded.last_at > webhook_refusals.last_at THEN excluded.last_at ELSE webhook_refusals.last_at END,
				last_detail = CASE WHEN excluded.last_at > webhook_refusals.last_at THEN excluded.last_detail ELSE webhook_refusals.last_detail END`,
			micros(r.Hour.UTC().Truncate(time.Hour)), r.Event, r.Reason, r.Count, micros(r.LastAt), clip(r.LastDetail))
		if err != nil {
			return fmt.Errorf("record refusals of %s (%s): %w", r.Event, r.Reason, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_refusals WHERE hour < $1`, micros(s.now().Add(-refusalRetention))); err != nil {
		return fmt.Errorf("forget old refusals: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record refusals: %w", err)
	}
	return nil
}

// FindRefusals returns the hourly counts of refused deliveries since t,
// newest first.
func (s *Store) FindRefusals(ctx context.Context, since time.Time) ([]freenahi.WebhookRefusal, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT hour, event, reason, count, last_at, last_detail FROM webhook_refusals
		WHERE hour >= $1 ORDER BY hour DESC, last_at DESC`, micros(since.UTC().Truncate(time.Hour)))
	if err != nil {
		return nil, fmt.Errorf("find refusals: %w", err)
	}
	defer rows.Close()
	var out []freenahi.WebhookRefusal
	for rows.Next() {
		var r freenahi.WebhookRefusal
		if err := rows.Scan(timeVal{&r.Hour}, &r.Event, &r.Reason, &r.Count, timeVal{&r.LastAt}, &r.LastDetail); err != nil {
			return nil, fmt.Errorf("find refusals: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find refusals: %w", err)
	}
	return out, nil
}
