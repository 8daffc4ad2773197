// Package freenahi is the domain of freenahi, a self-hosted bank-data backend:
// users, their Powens connections, accounts, transactions, investments and
// loans, the webhook inbox, and the services that adapters implement.
//
// It imports only the standard library. Adapters (store, web, powens, ingest,
// cfonb, inqom) import it; it imports none of them.
package freenahi
