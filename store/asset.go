package store

import (
	"context"
	"fmt"

	"github.com/freenahi/freenahi"
)

var _ freenahi.AssetService = (*Store)(nil)

// assetColumns reads an asset with its latest value (day and amount; NULL
// when it has none).
const assetColumns = `a.id, a.user_id, a.name, a.kind, a.chosen_group, a.institution, a.currency,
	a.currency_exponent, a.created_at, a.updated_at,
	(SELECT v.day FROM asset_values v WHERE v.asset_id = a.id ORDER BY v.day DESC LIMIT 1),
	(SELECT v.value_minor FROM asset_values v WHERE v.asset_id = a.id ORDER BY v.day DESC LIMIT 1)`

// scanAsset reads one row of assetColumns.
func scanAsset(row interface{ Scan(...any) error }) (*freenahi.Asset, error) {
	a := &freenahi.Asset{}
	var day freenahi.Date
	var value *int64
	if err := row.Scan(&a.ID, &a.UserID, &a.Name, (*string)(&a.Kind), (*string)(&a.ChosenGroup), &a.Institution,
		&a.Currency.Code, &a.Currency.Exponent, timeVal{&a.CreatedAt}, timeVal{&a.UpdatedAt}, dateVal{&day},
		intPtr{&value}); err != nil {
		return nil, err
	}
	if value != nil {
		a.Latest = &freenahi.AssetValue{Date: day, ValueMinor: *value}
	}
	return a, nil
}

func assetNotFound(id int64) *freenahi.Error {
	return freenahi.Errorf(freenahi.ENOTFOUND, "Asset %d not found.", id)
}

// FindAssets lists the user's assets, by name then id.
func (s *Store) FindAssets(ctx context.Context, userID int64) ([]*freenahi.Asset, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+assetColumns+` FROM assets a WHERE a.user_id = $1
		ORDER BY a.name, a.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("find assets of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []*freenahi.Asset
	for rows.Next() {
		a, err := scanAsset(rows)
		if err != nil {
			return nil, fmt.Errorf("find assets of user %d: scan: %w", userID, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find assets of user %d: %w", userID, err)
	}
	return out, nil
}

// FindAssetByID returns one of the user's assets.
func (s *Store) FindAssetByID(ctx context.Context, userID, id int64) (*freenahi.Asset, error) {
	a, err := scanAsset(s.rdb.QueryRowContext(ctx, `SELECT `+assetColumns+` FROM assets a
		WHERE a.user_id = $1 AND a.id = $2`, userID, id))
	if err != nil {
		return nil, fmt.Errorf("find asset %d: %w", id, notFound(err, assetNotFound(id)))
	}
	return a, nil
}

// CreateAsset stores a new asset and sets its ID and times.
func (s *Store) CreateAsset(ctx context.Context, a *freenahi.Asset) error {
	now := s.now()
	err := s.wdb.QueryRowContext(ctx, `INSERT INTO assets (user_id, name, kind, chosen_group, institution, currency,
		currency_exponent, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
		a.UserID, a.Name, string(a.Kind), string(a.ChosenGroup), a.Institution, a.Currency.Code, a.Currency.Exponent,
		micros(now)).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("create asset of user %d: %w", a.UserID, err)
	}
	a.CreatedAt, a.UpdatedAt = now, now
	return nil
}

// UpdateAsset applies the person's changes to one of their assets.
func (s *Store) UpdateAsset(ctx context.Context, userID, id int64, in freenahi.AssetInput) (*freenahi.Asset, error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("update asset %d: %w", id, err)
	}
	defer tx.Rollback()
	a, err := scanAsset(tx.QueryRowContext(ctx, `SELECT `+assetColumns+` FROM assets a
		WHERE a.user_id = $1 AND a.id = $2`, userID, id))
	if err != nil {
		return nil, fmt.Errorf("update asset %d: %w", id, notFound(err, assetNotFound(id)))
	}
	if err := in.Apply(a, false); err != nil {
		return nil, err
	}
	a.UpdatedAt = s.now()
	if _, err := tx.ExecContext(ctx, `UPDATE assets SET name = $1, kind = $2, chosen_group = $3, institution = $4,
		updated_at = $5 WHERE user_id = $6 AND id = $7`, a.Name, string(a.Kind), string(a.ChosenGroup), a.Institution,
		micros(a.UpdatedAt), userID, id); err != nil {
		return nil, fmt.Errorf("update asset %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("update asset %d: %w", id, err)
	}
	return a, nil
}

// DeleteAsset deletes one of the user's assets; its values go with it.
func (s *Store) DeleteAsset(ctx context.Context, userID, id int64) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete asset %d: %w", id, err)
	}
	defer tx.Rollback()
	// Values first: the foreign key cascades, but only where the engine
	// enforces it, and the store does not rely on that.
	if _, err := tx.ExecContext(ctx, `DELETE FROM asset_values WHERE user_id = $1 AND asset_id = $2`, userID, id); err != nil {
		return fmt.Errorf("delete asset %d: %w", id, err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM assets WHERE user_id = $1 AND id = $2`, userID, id)
	if err := notFoundIfNone(res, err, assetNotFound(id)); err != nil {
		return fmt.Errorf("delete asset %d: %w", id, err)
	}
	return tx.Commit()
}

// FindAssetValues returns the values of one of the user's assets, oldest first.
func (s *Store) FindAssetValues(ctx context.Context, userID, id int64) ([]freenahi.AssetValue, error) {
	if _, err := s.FindAssetByID(ctx, userID, id); err != nil {
		return nil, err
	}
	all, err := s.assetValues(ctx, userID, &id)
	return all[id], err
}

// FindAllAssetValues returns the values of all the user's assets.
func (s *Store) FindAllAssetValues(ctx context.Context, userID int64) (map[int64][]freenahi.AssetValue, error) {
	return s.assetValues(ctx, userID, nil)
}

func (s *Store) assetValues(ctx context.Context, userID int64, id *int64) (map[int64][]freenahi.AssetValue, error) {
	q := &query{}
	q.where("user_id = $?", userID)
	if id != nil {
		q.where("asset_id = $?", *id)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT asset_id, day, value_minor FROM asset_values WHERE `+q.sql()+
		` ORDER BY asset_id, day`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("find asset values of user %d: %w", userID, err)
	}
	defer rows.Close()
	out := map[int64][]freenahi.AssetValue{}
	for rows.Next() {
		var aid int64
		var v freenahi.AssetValue
		if err := rows.Scan(&aid, dateVal{&v.Date}, &v.ValueMinor); err != nil {
			return nil, fmt.Errorf("find asset values of user %d: scan: %w", userID, err)
		}
		out[aid] = append(out[aid], v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find asset values of user %d: %w", userID, err)
	}
	return out, nil
}

// SetAssetValue sets the value of one day of one of the user's assets.
func (s *Store) SetAssetValue(ctx context.Context, userID, id int64, v freenahi.AssetValue) error {
	if err := freenahi.CheckAssetValue(v); err != nil {
		return err
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set value of asset %d: %w", id, err)
	}
	defer tx.Rollback()
	now := micros(s.now())
	// The asset must be the user's: checked in the same transaction, so a
	// value never lands on another person's asset.
	res, err := tx.ExecContext(ctx, `UPDATE assets SET updated_at = $1 WHERE user_id = $2 AND id = $3`, now, userID, id)
	if err := notFoundIfNone(res, err, assetNotFound(id)); err != nil {
		return fmt.Errorf("set value of asset %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO asset_values (user_id, asset_id, day, value_minor, updated_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (asset_id, day) DO UPDATE SET value_minor = excluded.value_minor,
		updated_at = excluded.updated_at`, userID, id, int64(v.Date.Int()), v.ValueMinor, now); err != nil {
		return fmt.Errorf("set value of asset %d: %w", id, err)
	}
	return tx.Commit()
}

// DeleteAssetValue deletes the value of one day of one of the user's assets.
func (s *Store) DeleteAssetValue(ctx context.Context, userID, id int64, day freenahi.Date) error {
	res, err := s.wdb.ExecContext(ctx, `DELETE FROM asset_values WHERE user_id = $1 AND asset_id = $2 AND day = $3`,
		userID, id, int64(day.Int()))
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "Asset %d has no value on %s.", id, day)); err != nil {
		return fmt.Errorf("delete value of asset %d: %w", id, err)
	}
	return nil
}
