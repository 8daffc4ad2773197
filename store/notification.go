package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
)

func webhookAAD(userID int64) string { return "notification-webhook:" + strconv.FormatInt(userID, 10) }

// FindNotificationPrefs returns the user's notification preferences;
// ENOTFOUND when they saved none.
func (s *Store) FindNotificationPrefs(ctx context.Context, userID int64) (*freenahi.NotificationPrefs, error) {
	p := &freenahi.NotificationPrefs{UserID: userID}
	var sealed []byte
	var off string
	var low, large sql.NullString
	err := s.rdb.QueryRowContext(ctx, `SELECT language, email, webhook_sealed, webhook_format, off_kinds, low_balance, large_debit
		FROM notification_prefs WHERE user_id = $1`, userID).
		Scan(&p.Language, boolVal{&p.Email}, &sealed, &p.WebhookFormat, &off, &low, &large)
	if err != nil {
		return nil, fmt.Errorf("find notification preferences of user %d: %w", userID,
			notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "No notification preferences saved.")))
	}
	if len(sealed) > 0 {
		u, err := s.secrets.Open(sealed, webhookAAD(userID))
		if err != nil {
			return nil, fmt.Errorf("open webhook address of user %d: %w", userID, err)
		}
		p.WebhookURL = string(u)
	}
	for _, k := range strings.Split(off, ",") {
		if k != "" {
			p.Off = append(p.Off, freenahi.NotificationKind(k))
		}
	}
	for _, c := range []struct {
		v   sql.NullString
		dst **freenahi.Decimal
	}{{low, &p.LowBalance}, {large, &p.LargeDebit}} {
		if c.v.Valid {
			d, err := freenahi.ParseDecimal(c.v.String)
			if err != nil {
				return nil, fmt.Errorf("notification threshold of user %d: %w", userID, err)
			}
			*c.dst = &d
		}
	}
	return p, nil
}

// SaveNotificationPrefs validates and stores the user's preferences.
func (s *Store) SaveNotificationPrefs(ctx context.Context, p *freenahi.NotificationPrefs) error {
	if err := p.Validate(); err != nil {
		return err
	}
	var sealed []byte
	if p.WebhookURL != "" {
		var err error
		if sealed, err = s.secrets.Seal([]byte(p.WebhookURL), webhookAAD(p.UserID)); err != nil {
			return fmt.Errorf("seal webhook address: %w", err)
		}
	}
	off := make([]string, len(p.Off))
	for i, k := range p.Off {
		off[i] = string(k)
	}
	_, err := s.wdb.ExecContext(ctx, `
		INSERT INTO notification_prefs (user_id, language, email, webhook_sealed, webhook_format, off_kinds, low_balance, large_debit, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (user_id) DO UPDATE SET language = excluded.language, email = excluded.email,
			webhook_sealed = excluded.webhook_sealed, webhook_format = excluded.webhook_format, off_kinds = excluded.off_kinds,
			low_balance = excluded.low_balance, large_debit = excluded.large_debit, updated_at = excluded.updated_at`,
		p.UserID, p.Language, p.Email, sealed, p.WebhookFormat, strings.Join(off, ","),
		nullDecimal(p.LowBalance), nullDecimal(p.LargeDebit), micros(s.now()))
	if err != nil {
		return fmt.Errorf("save notification preferences of user %d: %w", p.UserID, userMissing(err, p.UserID))
	}
	return nil
}

// AddNotification stores n unless the user already has its dedup key.
func (s *Store) AddNotification(ctx context.Context, n *freenahi.Notification) error {
	now := s.now()
	err := s.wdb.QueryRowContext(ctx, `
		INSERT INTO notifications (user_id, kind, dedup_key, subject, body, link, created_at, email, email_to, webhook, attempts, last_error)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		n.UserID, string(n.Kind), n.DedupKey, n.Subject, n.Body, n.Link, micros(now), string(n.Email), n.EmailTo,
		string(n.Webhook), n.Attempts, clip(n.LastError)).Scan(&n.ID)
	if err != nil {
		return fmt.Errorf("add notification %s of user %d: %w", n.DedupKey, n.UserID,
			userMissing(exists(err, freenahi.Errorf(freenahi.ECONFLICT, "This notification was already raised.")), n.UserID))
	}
	n.CreatedAt = now.UTC().Truncate(time.Microsecond)
	return nil
}

// UpdateNotificationDelivery stores where n's deliveries stand.
func (s *Store) UpdateNotificationDelivery(ctx context.Context, n *freenahi.Notification) error {
	res, err := s.wdb.ExecContext(ctx, `UPDATE notifications SET email = $1, webhook = $2, attempts = $3, last_error = $4
		WHERE id = $5 AND user_id = $6`, string(n.Email), string(n.Webhook), n.Attempts, clip(n.LastError), n.ID, n.UserID)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "Notification %d not found.", n.ID)); err != nil {
		return fmt.Errorf("update notification %d: %w", n.ID, err)
	}
	return nil
}

const notificationColumns = `id, user_id, kind, dedup_key, subject, body, link, created_at, email, email_to, webhook, attempts, last_error`

// FindNotifications returns the user's latest notifications, newest first.
func (s *Store) FindNotifications(ctx context.Context, userID int64, limit int) ([]*freenahi.Notification, error) {
	out, err := s.findNotifications(ctx, `SELECT `+notificationColumns+` FROM notifications
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("find notifications of user %d: %w", userID, err)
	}
	return out, nil
}

// FindUndeliveredNotifications returns notifications with a pending
// delivery created since t, oldest first, for every user: the sender's retries.
func (s *Store) FindUndeliveredNotifications(ctx context.Context, since time.Time) ([]*freenahi.Notification, error) {
	out, err := s.findNotifications(ctx, `SELECT `+notificationColumns+` FROM notifications
		WHERE (email = 'pending' OR webhook = 'pending') AND created_at >= $1 ORDER BY created_at, id LIMIT 1000`, micros(since))
	if err != nil {
		return nil, fmt.Errorf("find undelivered notifications: %w", err)
	}
	return out, nil
}

func (s *Store) findNotifications(ctx context.Context, query string, args ...any) ([]*freenahi.Notification, error) {
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*freenahi.Notification{}
	for rows.Next() {
		n := &freenahi.Notification{}
		if err := rows.Scan(&n.ID, &n.UserID, (*string)(&n.Kind), &n.DedupKey, &n.Subject, &n.Body, &n.Link, timeVal{&n.CreatedAt},
			(*string)(&n.Email), &n.EmailTo, (*string)(&n.Webhook), &n.Attempts, &n.LastError); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// AcquireLease takes the named lease for holder until now+d when it is free,
// expired or already the holder's; it reports whether holder has it.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, d time.Duration) (bool, error) {
	now := s.now()
	res, err := s.wdb.ExecContext(ctx, `
		INSERT INTO leases (name, holder, lease_until) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
		WHERE leases.holder = excluded.holder OR leases.lease_until < $4`,
		name, holder, micros(now.Add(d)), micros(now))
	if err != nil {
		return false, fmt.Errorf("acquire lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("acquire lease %s: %w", name, err)
	}
	return n == 1, nil
}
