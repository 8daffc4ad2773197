package sandbox

// Webhook bodies as Powens documents them (powens-api.md §6.2–6.3, Powens'
// webhooks guide). emitLocked adds id_webhook_data to each.

// connectionSyncedJSON is the body of CONNECTION_SYNCED: the user, and the
// connection with its connector, sources and enabled accounts, each with
// the transactions the sync found.
type connectionSyncedJSON struct {
	User       *userJSON       `json:"user"`
	Connection *connectionJSON `json:"connection"`
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
