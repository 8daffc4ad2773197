package aggregator

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// Every connection state has its own step and action, as Powens' guide to
// SCA and connection states describes.

// CheckConnection returns where one of the person's connections stands at
// Powens, with the fields to answer or the new credentials to type when its
// state asks for them. ENOTFOUND for a connection that is not theirs.
func (s *Service) CheckConnection(ctx context.Context, userID, pid int64) (*freenahi.ConnectCheck, error) {
	conn, err := s.powensConnection(ctx, userID, pid)
	if err != nil {
		return nil, err
	}
	st := conn.ConnectionState()
	c := &freenahi.ConnectCheck{PowensConnectionID: conn.ID, State: st, NextTry: conn.NextTry.Ptr()}
	if conn.Connector != nil {
		c.Bank = conn.Connector.Name
	}
	if conn.ErrorMessage != nil {
		c.Message = *conn.ErrorMessage
	}
	switch st {
	case freenahi.StateAdditionalInformationNeeded:
		c.Fields = toFields(conn.Fields)
	case freenahi.StateWrongpass, freenahi.StatePasswordExpired:
		c.Fields = toFields(s.credentialFields(ctx, conn))
	}
	for _, src := range conn.Sources {
		if src.State != nil && *src.State == string(freenahi.StateWebauthRequired) {
			c.WebauthSource = src.Name
		}
	}
	if known, err := s.Store.FindConnections(ctx, userID); err == nil {
		for _, k := range known {
			if k.PowensID == pid && k.Deleted == nil {
				c.LocalID = k.ID
			}
		}
	}
	return c, nil
}

// credentialFields are the fields to post new credentials: those Powens
// returned with the connection, else the credentials fields of its sources.
func (s *Service) credentialFields(ctx context.Context, conn *powens.Connection) []powens.Field {
	if len(conn.Fields) > 0 {
		return conn.Fields
	}
	ref := conn.ConnectorUUID
	if ref == "" && conn.IDConnector != nil {
		ref = itoa(*conn.IDConnector)
	}
	c, err := s.Powens.GetConnector(ctx, ref, "sources", "fields")
	if err != nil {
		s.logger().Warn("connector fields unavailable", "error", err)
		return nil
	}
	var out []powens.Field
	for _, f := range fieldsFor(c.Fields, "", freenahi.MechanismCredentials, nil) {
		if len(f.ConnectorSources) == 0 || slices.ContainsFunc(conn.Sources, func(src powens.ConnectionSource) bool {
			return slices.Contains(f.ConnectorSources, src.Name)
		}) {
			out = append(out, f)
		}
	}
	return out
}

// SendFields posts the values a state asks for, checked against
// CheckConnection's fields and sealed (see SealValues): the answer or
// one-time code of additionalInformationNeeded, or new credentials for
// wrongpass and passwordExpired. A refused value leads back to the state
// step with ProblemWrongcode or ProblemWrongpass; a state that moved on
// meanwhile leads to the current one, nothing sent.
func (s *Service) SendFields(ctx context.Context, userID, pid int64, sealed SealedValues, keep []int64) (*freenahi.Next, error) {
	check, err := s.CheckConnection(ctx, userID, pid)
	if err != nil {
		return nil, err
	}
	refused := freenahi.ProblemWrongpass
	switch check.State {
	case freenahi.StateAdditionalInformationNeeded:
		refused = freenahi.ProblemWrongcode
	case freenahi.StateWrongpass, freenahi.StatePasswordExpired:
	default:
		return stateStep(pid, keep, ""), nil
	}
	err = s.Do(ctx, userID, func(u *powens.UserClient) error {
		_, _, err := u.UpdateConnection(ctx, pid, powens.UpdateConnection{Fields: sealed})
		return err
	})
	if powens.IsCode(err, powens.CodeWrongpass) {
		return stateStep(pid, keep, refused), nil
	} else if err != nil {
		return nil, powensError("send the values to the bank", err)
	}
	return s.afterChange(ctx, userID, pid, keep), nil
}

// Resume resumes a decoupled validation and waits, polling every
// PollInterval, until the bank app's answer is in.
func (s *Service) Resume(ctx context.Context, userID, pid int64, keep []int64) (*freenahi.Next, error) {
	err := s.Do(ctx, userID, func(u *powens.UserClient) error {
		if _, _, err := u.UpdateConnection(ctx, pid, powens.UpdateConnection{Resume: true, Background: true}); err != nil {
			return err
		}
		return s.waitValidation(ctx, u, pid)
	})
	if err != nil {
		return nil, powensError("resume the validation", err)
	}
	return s.afterChange(ctx, userID, pid, keep), nil
}

// waitValidation polls until the connection leaves decoupled and validating.
func (s *Service) waitValidation(ctx context.Context, u *powens.UserClient, pid int64) error {
	t := time.NewTicker(cmp.Or(s.PollInterval, 2*time.Second))
	defer t.Stop()
	for {
		conn, err := u.GetConnection(ctx, pid, "sources")
		if err != nil {
			return err
		}
		if st := conn.ConnectionState(); st != freenahi.StateDecoupled && st != freenahi.StateValidating {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Retry syncs with the person present: an empty update, which is how
// Powens' guide answers SCARequired; it also rechecks a connection after an
// actionNeeded was dealt with at the bank, or a transient failure.
func (s *Service) Retry(ctx context.Context, userID, pid int64, keep []int64) (*freenahi.Next, error) {
	err := s.Do(ctx, userID, func(u *powens.UserClient) error {
		_, _, err := u.UpdateConnection(ctx, pid, powens.UpdateConnection{})
		return err
	})
	if err != nil {
		return nil, powensError("sync the connection", err)
	}
	return s.afterChange(ctx, userID, pid, keep), nil
}

// RepairWebauth returns the bank's page to repair a webauthRequired
// connection (the failing source, when one is named).
func (s *Service) RepairWebauth(ctx context.Context, userID, pid int64, source string, back WebauthReturn) (*freenahi.Next, error) {
	var code *powens.AuthCode
	err := s.Do(ctx, userID, func(u *powens.UserClient) (err error) {
		code, err = u.TemporaryCode(ctx, powens.CodeSingleAccess)
		return err
	})
	if err != nil {
		return nil, powensError("prepare the bank's page", err)
	}
	link, err := s.Powens.BrowserWebauthURL(powens.Webauth{RedirectURI: back.RedirectURI, ConnectionID: pid, Source: source, State: back.State}, code.Code)
	if err != nil {
		return nil, err
	}
	return &freenahi.Next{Step: freenahi.StepBank, URL: link}, nil
}

// BackFromBank ends a visit to the bank's page: the connection's data is
// pulled and the flow goes on to its state.
func (s *Service) BackFromBank(ctx context.Context, userID, pid int64, keep []int64) (*freenahi.Next, error) {
	return s.afterChange(ctx, userID, pid, keep), nil
}

func stateStep(pid int64, keep []int64, problem string) *freenahi.Next {
	return &freenahi.Next{Step: freenahi.StepState, PowensConnectionID: pid, Keep: keep, Problem: problem}
}

// Activation returns the accounts of a connection (disabled ones included)
// and the next source of its connector. ECONFLICT when the connection's
// state needs the person first (the caller shows its state step).
func (s *Service) Activation(ctx context.Context, userID, pid int64) (*freenahi.Activation, error) {
	conn, err := s.powensConnection(ctx, userID, pid)
	if err != nil {
		return nil, err
	}
	if conn.ConnectionState() != freenahi.StateOK {
		return nil, errNotReady
	}
	var list *powens.AccountList
	err = s.Do(ctx, userID, func(u *powens.UserClient) (err error) {
		list, err = u.ListConnectionAccounts(ctx, conn.ID, true)
		return err
	})
	if err != nil && !powens.IsCode(err, powens.CodeNoAccount) {
		return nil, powensError("list the connection's accounts", err)
	}
	a := &freenahi.Activation{PowensConnectionID: conn.ID}
	if list != nil {
		for _, acc := range list.Accounts {
			a.Accounts = append(a.Accounts, toActivationAccount(acc))
		}
	}
	if conn.Connector != nil {
		a.Bank, a.ConnectorUUID = conn.Connector.Name, conn.Connector.UUID
		c, err := s.Powens.GetConnector(ctx, conn.Connector.UUID, "sources")
		if err != nil {
			return nil, powensError("read the connector", err)
		}
		var added []string
		for _, src := range conn.Sources {
			added = append(added, src.Name)
		}
		if next := nextSource(c, added); next != nil {
			a.NextSource = next.Name
		}
	}
	return a, nil
}

// errNotReady says a connection cannot have its accounts activated yet.
var errNotReady = freenahi.Errorf(freenahi.ECONFLICT, "The connection needs attention before its accounts can be activated.")

// IsNotReady reports whether err is Activation's "state needs the person first".
func IsNotReady(err error) bool { return err == errNotReady }

func toActivationAccount(a powens.Account) freenahi.ActivationAccount {
	out := freenahi.ActivationAccount{PowensID: a.ID, Name: cmp.Or(a.Name, a.OriginalName), Type: string(a.Type), Enabled: a.Disabled.IsZero()}
	if a.IBAN != nil {
		out.Number = maskNumber(*a.IBAN)
	} else if a.Number != nil {
		out.Number = maskNumber(*a.Number)
	}
	if a.Currency != nil && a.Balance.Valid() {
		cur := a.Currency.Domain()
		if d, err := a.Balance.Decimal(); err == nil {
			if minor, err := d.Minor(cur.Exponent); err == nil {
				out.Balance = &freenahi.Money{Minor: minor, Currency: cur}
			}
		}
	}
	return out
}

// maskNumber shows the last four characters of an account number.
func maskNumber(n string) string {
	n = strings.ReplaceAll(n, " ", "")
	if len(n) <= 4 {
		return n
	}
	return "…" + n[len(n)-4:]
}

// Activate enables the chosen accounts of a connection in one call, then
// pulls its data. Ids that are not accounts of this connection are refused
// (EINVALID), whoever they belong to; none chosen leads back with
// ProblemNoneChosen.
func (s *Service) Activate(ctx context.Context, userID, pid int64, chosen []int64) (*freenahi.Next, error) {
	a, err := s.Activation(ctx, userID, pid)
	if err != nil {
		return nil, err
	}
	if err := checkChosen(chosen, a.Accounts); err != nil {
		return nil, err
	}
	if len(chosen) == 0 {
		return &freenahi.Next{Step: freenahi.StepAccounts, PowensConnectionID: pid, Problem: freenahi.ProblemNoneChosen}, nil
	}
	var toEnable []int64
	for _, acc := range a.Accounts {
		if slices.Contains(chosen, acc.PowensID) && !acc.Enabled {
			toEnable = append(toEnable, acc.PowensID)
		}
	}
	if len(toEnable) > 0 {
		err := s.Do(ctx, userID, func(u *powens.UserClient) error {
			_, err := u.ActivateAccounts(ctx, pid, toEnable)
			return err
		})
		if err != nil {
			return nil, powensError("activate the accounts", err)
		}
	}
	if err := s.PullConnection(ctx, userID, pid); err != nil {
		return nil, err
	}
	return &freenahi.Next{Step: freenahi.StepDone, PowensConnectionID: pid}, nil
}

// checkChosen refuses ids that are not listed accounts of the connection.
func checkChosen(chosen []int64, listed []freenahi.ActivationAccount) error {
	for _, id := range chosen {
		if !slices.ContainsFunc(listed, func(a freenahi.ActivationAccount) bool { return a.PowensID == id }) {
			return freenahi.FieldErrorf("account", "%d is not an account of this connection.", id)
		}
	}
	return nil
}
