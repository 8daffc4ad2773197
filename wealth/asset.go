package wealth

import (
	"context"
	"fmt"

	"github.com/freenahi/freenahi"
)

// readAssets reads the person's manual assets and their values; none when
// the service has no asset store.
func (s *Service) readAssets(ctx context.Context, userID int64) ([]*freenahi.Asset, map[int64][]freenahi.AssetValue, error) {
	if s.Assets == nil {
		return nil, nil, nil
	}
	assets, err := s.Assets.FindAssets(ctx, userID)
	if err != nil {
		return nil, nil, fmt.Errorf("assets of user %d: %w", userID, err)
	}
	values, err := s.Assets.FindAllAssetValues(ctx, userID)
	if err != nil {
		return nil, nil, fmt.Errorf("asset values of user %d: %w", userID, err)
	}
	return assets, values, nil
}

// assetsFirstDay moves from back to the first day an asset has a value.
func assetsFirstDay(values map[int64][]freenahi.AssetValue, from freenahi.Date) freenahi.Date {
	for _, vs := range values {
		if len(vs) > 0 && vs[0].Date.Before(from) {
			from = vs[0].Date
		}
	}
	return from
}

// AssetHistory returns the daily worth of one of the user's assets from
// from to to (zero: its first value, today).
func (s *Service) AssetHistory(ctx context.Context, userID, id int64, from, to freenahi.Date) (*freenahi.AssetHistory, error) {
	if s.Assets == nil {
		return nil, freenahi.Errorf(freenahi.ENOTFOUND, "Asset %d not found.", id)
	}
	from, to, err := s.period(from, to)
	if err != nil {
		return nil, err
	}
	a, err := s.Assets.FindAssetByID(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	values, err := s.Assets.FindAssetValues(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	if from.IsZero() {
		from = to
		if len(values) > 0 && values[0].Date.Before(to) {
			from = values[0].Date
		}
	}
	return &freenahi.AssetHistory{Asset: a, Points: freenahi.AssetPoints(a, values, from, to)}, nil
}
