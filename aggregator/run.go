package aggregator

import (
	"context"
	"log/slog"
	"time"
)

// pullClaim is how long a claimed pull stays reserved to its instance.
const pullClaim = 15 * time.Minute

// RunReconcile pulls every linked user's data once per ReconcileInterval, in
// the background, until ctx is done. It respects Powens' fair use: users are
// pulled one at a time, spaced by spacing (default 10 s), never all at once;
// a failed pull is retried later, not in a loop.
func (s *Service) RunReconcile(ctx context.Context, spacing time.Duration) {
	if spacing <= 0 {
		spacing = 10 * time.Second
	}
	t := time.NewTimer(spacing)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		due, err := s.Store.PullDue(ctx, s.now(), 1)
		if err != nil && ctx.Err() == nil {
			s.logger().Error("reconcile: reading due users failed", slog.Any("error", err))
		}
		for _, userID := range due {
			log := s.logger().With(slog.Int64("user_id", userID))
			// Several instances see the same due users: the claim lets one
			// pull; should it die, the pull is due again in pullClaim.
			now := s.now()
			if ok, err := s.Store.ClaimPull(ctx, userID, now, now.Add(pullClaim)); err != nil || !ok {
				if err != nil && ctx.Err() == nil {
					log.Error("reconcile: claiming a pull failed", slog.Any("error", err))
				}
				continue
			}
			n, err := s.Reconcile(ctx, userID)
			if err != nil {
				log.Warn("reconcile pull failed; will retry later", slog.Any("error", err))
			} else {
				log.Info("reconcile pull queued", slog.Int("connections", n))
			}
		}
		t.Reset(spacing)
	}
}
