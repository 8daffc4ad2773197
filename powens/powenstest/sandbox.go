package powenstest

import (
	"context"
	"fmt"

	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/sandbox"
)

// ConnectTestBank adds the sandbox's test bank (sandbox.TestBankUUID,
// directaccess source) with a scripted login ("demo", "2fa", "big"…, see
// the sandbox's documentation) and returns the connection with the ids of
// the accounts it found, still disabled as Powens leaves them.
func ConnectTestBank(ctx context.Context, u *powens.UserClient, login string) (*powens.Connection, []int64, error) {
	c, _, err := u.CreateConnection(ctx, powens.CreateConnection{ConnectorUUID: sandbox.TestBankUUID, Source: "directaccess",
		Fields: map[string]string{"login": login, "password": "secret"}})
	if err != nil {
		return nil, nil, fmt.Errorf("connect the test bank as %q: %w", login, err)
	}
	accounts, err := u.ListConnectionAccounts(ctx, c.ID, true)
	if err != nil {
		return nil, nil, fmt.Errorf("list the accounts of connection %d: %w", c.ID, err)
	}
	var ids []int64
	for _, a := range accounts.Accounts {
		ids = append(ids, a.ID)
	}
	return c, ids, nil
}

// ConnectTestBankActivated is ConnectTestBank followed by the activation
// of every account found, as a person consenting to all of them would.
func ConnectTestBankActivated(ctx context.Context, u *powens.UserClient, login string) (*powens.Connection, error) {
	c, ids, err := ConnectTestBank(ctx, u, login)
	if err != nil {
		return nil, err
	}
	if _, err := u.ActivateAccounts(ctx, c.ID, ids); err != nil {
		return nil, fmt.Errorf("activate the accounts of connection %d: %w", c.ID, err)
	}
	return c, nil
}
