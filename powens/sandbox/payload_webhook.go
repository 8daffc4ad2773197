package sandbox

// Webhook bodies as Powens documents them (powens-api.md §6.2–6.3, Powens'
// webhooks guide). emitLocked adds id_webhook_data to each.

// connectionSyncedJSON is the body of CONNECTION_SYNCED: the user, and the
// connection with its connector, sources and enabled accounts, each with
// the transactions the sync found.
type connectionSyncedJSON struct {
	// PushType is absent on a plain push; "accounts" for a push of the
	// accounts alone, "partial_history" for a push that carries only some
	// transactions of a period (issue 9: seen in real payloads; Powens'
	// reference does not place it, so the sandbox puts it at the root).
	PushType   string          `json:"push_type,omitempty"`
	User       *userJSON       `json:"user"`
	Connection *connectionJSON `json:"connection"`
}

// accountsFetchedJSON is the body of ACCOUNTS_FETCHED, sent during a sync
// once the accounts are known and before their transactions: the user, and
// the connection with its connector, sources and every account found,
// enabled or waiting for activation.
type accountsFetchedJSON struct {
	User       *userJSON       `json:"user"`
	Connection *connectionJSON `json:"connection"`
}

// accountSyncedJSON is the body of ACCOUNT_SYNCED: one enabled account (a
// BankAccount at the root) with the transactions and investments the sync
// brought.
type accountSyncedJSON struct {
	*accountJSON
	PushType string `json:"push_type,omitempty"`
}

// accountFoundJSON is the body of ACCOUNT_FOUND: a newly discovered
// account, disabled until the person activates it.
type accountFoundJSON struct {
	ID           int64    `json:"id"`
	IDUser       int64    `json:"id_user"`
	IDConnection int64    `json:"id_connection"`
	Disabled     datetime `json:"disabled"`
	Type         string   `json:"type"`
}
