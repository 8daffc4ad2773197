package aggregator

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// pullMargin widens each incremental pull: Powens' last_update filter is a
// naive Paris time whose autumn hour repeats, and clocks drift.
const pullMargin = 2 * time.Hour

// pull is what one pull fetched for one Powens user.
type pull struct {
	connections  []powens.Connection
	accounts     map[int64][]powens.Account     // by Powens connection id
	transactions map[int64][]powens.Transaction // by Powens account id
	investments  map[int64][]powens.Investment  // by Powens account id
	// complete lists the accounts whose whole history was read (a pull of
	// one connection): ingestion marks deleted what they no longer list.
	complete []int64
}

// pulledBody is a pulled connection in the CONNECTION_SYNCED shape, with the
// accounts whose whole history it carries.
type pulledBody struct {
	powens.ConnectionSynced
	Complete []int64 `json:"freenahi_complete_accounts,omitempty"`
}

// fetch reads connections, all accounts (including disabled ones), their
// investments and the transactions updated since `since` (deleted ones too).
// With onlyConnection set, it reads that connection's accounts' full history.
func (s *Service) fetch(ctx context.Context, u *powens.UserClient, since time.Time, onlyConnection int64) (*pull, error) {
	p := &pull{accounts: map[int64][]powens.Account{}, transactions: map[int64][]powens.Transaction{},
		investments: map[int64][]powens.Investment{}}
	conns, err := u.ListConnections(ctx, "sources", "connector")
	if err != nil {
		return nil, err
	}
	for _, c := range conns {
		if onlyConnection == 0 || c.ID == onlyConnection {
			p.connections = append(p.connections, c)
		}
	}
	accounts, err := u.ListAccounts(ctx, true)
	if err != nil && !powens.IsCode(err, powens.CodeNoAccount) {
		return nil, err
	}
	var enabled []int64
	if accounts != nil {
		for _, a := range accounts.Accounts {
			if a.IDConnection == nil || (onlyConnection != 0 && *a.IDConnection != onlyConnection) {
				continue
			}
			p.accounts[*a.IDConnection] = append(p.accounts[*a.IDConnection], a)
			if a.Disabled.IsZero() {
				enabled = append(enabled, a.ID)
			}
		}
	}
	if len(enabled) == 0 {
		return p, nil // Powens answers noAccount to data calls when nothing is enabled.
	}
	invs, err := u.ListInvestments(ctx, true)
	if err != nil && !powens.IsCode(err, powens.CodeNoAccount) {
		return nil, err
	}
	if invs != nil {
		for _, in := range invs.Investments {
			p.investments[in.IDAccount] = append(p.investments[in.IDAccount], in)
		}
	}
	collect := func(page *powens.TransactionPage) error {
		for _, t := range page.Transactions {
			p.transactions[t.IDAccount] = append(p.transactions[t.IDAccount], t)
		}
		return nil
	}
	if onlyConnection != 0 {
		for _, id := range enabled {
			if err := u.EachTransactionPage(ctx, powens.TransactionQuery{AccountID: id, All: true}, collect); err != nil {
				return nil, err
			}
		}
		p.complete = enabled
		return p, nil
	}
	err = u.EachTransactionPage(ctx, powens.TransactionQuery{LastUpdate: since, All: true}, collect)
	if err != nil && !powens.IsCode(err, powens.CodeNoAccount) {
		return nil, err
	}
	return p, nil
}

// queue turns a pull into one inbox event per connection, in the
// CONNECTION_SYNCED shape, and reports how many it stored.
func (s *Service) queue(ctx context.Context, pu *freenahi.PowensUser, p *pull, started time.Time) (int, error) {
	n := 0
	for i := range p.connections {
		c := p.connections[i]
		c.Accounts = nil
		for _, a := range p.accounts[c.ID] {
			txs := p.transactions[a.ID]
			if txs == nil {
				txs = []powens.Transaction{}
			}
			raw, err := json.Marshal(txs)
			if err != nil {
				return n, err
			}
			a.Transactions = raw
			a.Investments = p.investments[a.ID]
			c.Accounts = append(c.Accounts, a)
		}
		var complete []int64
		for _, a := range c.Accounts {
			if slices.Contains(p.complete, a.ID) {
				complete = append(complete, a.ID)
			}
		}
		body, err := json.Marshal(pulledBody{ConnectionSynced: powens.ConnectionSynced{User: &powens.User{ID: pu.PowensUserID},
			Connection: &c}, Complete: complete})
		if err != nil {
			return n, err
		}
		pid := pu.PowensUserID
		e := &freenahi.InboxEvent{Event: freenahi.EventReconcile, Auth: freenahi.AuthLocal, PowensUserID: &pid, Body: body,
			DeliveryKey: "pull:" + strconv.FormatInt(c.ID, 10) + ":" + strconv.FormatInt(started.UnixMicro(), 10)}
		if _, err := s.Store.ReceiveEvent(ctx, e); err != nil {
			return n, fmt.Errorf("queue pulled connection %d: %w", c.ID, err)
		}
		n++
	}
	if n > 0 && s.EventQueued != nil {
		s.EventQueued()
	}
	return n, nil
}

// Reconcile pulls what changed at Powens since the user's last successful
// pull (everything on the first one) and queues it for ingestion. Connections
// we know that Powens no longer lists are queued as deleted.
func (s *Service) Reconcile(ctx context.Context, userID int64) (int, error) {
	pu, err := s.Store.FindPowensUser(ctx, userID)
	if err != nil {
		return 0, err
	}
	started := s.now()
	var since time.Time
	if pu.LastPullAt != nil {
		since = pu.LastPullAt.Add(-pullMargin)
	}
	var p *pull
	err = s.Do(ctx, userID, func(u *powens.UserClient) error {
		var err error
		p, err = s.fetch(ctx, u, since, 0)
		return err
	})
	if err == nil {
		var n int
		n, err = s.queue(ctx, pu, p, started)
		if err == nil {
			err = s.queueVanished(ctx, pu, p, started)
		}
		if err == nil {
			err = s.Store.RecordPull(ctx, userID, started, started.Add(s.interval()), "")
			return n, err
		}
	}
	next := started.Add(min(s.interval(), 30*time.Minute))
	if rerr := s.Store.RecordPull(ctx, userID, started, next, err.Error()); rerr != nil {
		s.logger().Error("recording a failed pull failed", slog.Any("error", rerr))
	}
	return 0, powensError("read your bank data", err)
}

// queueVanished queues a connection_deleted event for each connection we keep
// that Powens no longer lists: the webhook that said so was missed.
func (s *Service) queueVanished(ctx context.Context, pu *freenahi.PowensUser, p *pull, started time.Time) error {
	listed := map[int64]bool{}
	for _, c := range p.connections {
		listed[c.ID] = true
	}
	local, err := s.Store.FindConnections(ctx, pu.UserID)
	if err != nil {
		return err
	}
	for _, c := range local {
		if c.Deleted != nil || listed[c.PowensID] {
			continue
		}
		body, _ := json.Marshal(map[string]int64{"id": c.PowensID, "id_user": pu.PowensUserID})
		pid := pu.PowensUserID
		e := &freenahi.InboxEvent{Event: freenahi.EventConnectionDeleted, Auth: freenahi.AuthLocal, PowensUserID: &pid, Body: body,
			DeliveryKey: "pull-deleted:" + strconv.FormatInt(c.PowensID, 10) + ":" + strconv.FormatInt(started.UnixMicro(), 10)}
		if _, err := s.Store.ReceiveEvent(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) interval() time.Duration {
	if s.ReconcileInterval > 0 {
		return s.ReconcileInterval
	}
	return 6 * time.Hour
}

// PullConnection pulls one connection's accounts and full transaction history
// now, for a connection just added or repaired, so its data shows without
// waiting for the webhook.
func (s *Service) PullConnection(ctx context.Context, userID, powensConnectionID int64) error {
	pu, err := s.PowensUser(ctx, userID)
	if err != nil {
		return err
	}
	started := s.now()
	var p *pull
	err = s.Do(ctx, userID, func(u *powens.UserClient) error {
		var err error
		p, err = s.fetch(ctx, u, time.Time{}, powensConnectionID)
		return err
	})
	if err != nil {
		return powensError("read the connection's data", err)
	}
	_, err = s.queue(ctx, pu, p, started)
	return err
}

// SyncConnection asks Powens to sync one of the user's connections now (the
// person is present, so SCA may be requested), then pulls the result. A 409
// means Powens synced it recently: the pull alone is what the person wants.
func (s *Service) SyncConnection(ctx context.Context, userID, connectionID int64) (*freenahi.Connection, error) {
	c, err := s.Store.FindConnectionByID(ctx, userID, connectionID)
	if err != nil {
		return nil, err
	}
	err = s.Do(ctx, userID, func(u *powens.UserClient) error {
		_, err := u.SyncConnection(ctx, c.PowensID, true)
		return err
	})
	if err != nil && !powens.IsConflict(err) {
		return nil, powensError("sync the connection", err)
	}
	if err := s.PullConnection(ctx, userID, c.PowensID); err != nil {
		return nil, err
	}
	return c, nil
}

// DeleteConnection deletes one of the user's connections at Powens (which
// deletes its data there) and marks it deleted here; our copy of its data is kept.
func (s *Service) DeleteConnection(ctx context.Context, userID, connectionID int64) error {
	c, err := s.Store.FindConnectionByID(ctx, userID, connectionID)
	if err != nil {
		return err
	}
	err = s.Do(ctx, userID, func(u *powens.UserClient) error { return u.DeleteConnection(ctx, c.PowensID) })
	if err != nil && !powens.IsNotFound(err) {
		return powensError("delete the connection", err)
	}
	pu, err := s.Store.FindPowensUser(ctx, userID)
	if err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]int64{"id": c.PowensID, "id_user": pu.PowensUserID})
	pid := pu.PowensUserID
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionDeleted, Auth: freenahi.AuthLocal, PowensUserID: &pid, Body: body,
		DeliveryKey: "deleted-by-user:" + strconv.FormatInt(c.PowensID, 10)}
	if _, err := s.Store.ReceiveEvent(ctx, e); err != nil {
		return err
	}
	if s.EventQueued != nil {
		s.EventQueued()
	}
	return nil
}
