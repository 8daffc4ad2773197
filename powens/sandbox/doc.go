// Package sandbox is a local Powens: a real HTTP server that answers the
// Powens API 2.0 (under /2.0/, like https://{domain}.biapi.pro/2.0/) with the
// shapes, statuses and error bodies of the real one, scripted test banks,
// deterministic French bank data, signed webhooks, a webauth bank page, a
// Connect/Manage/Reconnect webview, and fault injection for tests.
//
// # Test banks
//
//   - "Connecteur de test" (id 40): source directaccess (credentials, priority
//     1: checking account, deferred card, Livret A, mortgage) and openapi
//     (webauth, priority 2: PEA and life insurance, with investments).
//   - "Banque Démo Pro" (id 41): a website list field (par or pro) and one
//     credentials source; pro gives ORGA accounts.
//   - "Assurance Vie Démo" (id 42, capability bankwealth): life insurance and PER.
//   - "Banque Historique" (id 43): answers in older shapes Powens still
//     sends: form fields without required, bookmarked as 0/1, account types
//     livret_a, ldds and csl, webhooks without id_webhook_data, DELETE of a
//     connection answering 200 {}.
//
// # Scripted logins (DESIGN §7)
//
// The login typed in the credentials form decides what happens; any password
// is accepted unless the row says otherwise.
//
//	login      behaviour
//	(other)    connection created, state null, accounts found, disabled until activated
//	2fa        additionalInformationNeeded with one otp field (^\d{6}$); 123456 succeeds, other codes answer 400 wrongpass
//	decoupled  decoupled; {"resume": true} shows validating, then succeeds after DecoupledDelay (2 s)
//	wrongpass  400 wrongpass on creation; nothing created
//	sca        succeeds; the next sync ends in SCARequired until a sync with the person present (PUT, POST, reconnect)
//	webauth    succeeds; the next sync ends in webauthRequired, repaired only through /webauth and the bank page
//	action     actionNeeded with a bank message in error_message; background syncs keep it, a user sync clears it
//	expired    passwordExpired; posting a new password (same login) repairs it
//	down       websiteUnavailable; retried automatically after RetryDelay, any later sync succeeds
//	ratelimit  rateLimiting; same as down
//	slow       every answer (creation, sync) waits SlowDelay (20 s) first
//	big        succeeds with 50,000 transactions over the checking, card and savings accounts
//	gross      succeeds; the checking account is a payment platform's: sales with value null, gross_value
//	           and commission (commission_currency null or EUR; once USD, once all null: amount unknown)
//	olderror   like action, but answered the older way: state null, the problem in error, the bank's text in error_message
//	partial    succeeds; pushes carry push_type accounts until an account is enabled, then the first
//	           sync after the full history pushes a partial_history (half of the last 30 days again)
//	reissue    succeeds; each of the next two syncs re-issues the checking account's latest booked
//	           transaction under a new id: the old id deleted the first time, gone the second
//	err-passwordexpired  creation answers 400 passwordExpired; nothing created
//	err-action           creation answers 400 actionNeeded with the bank's message
//	err-down             creation answers 503 websiteUnavailable
//	err-bug              creation answers 500 bug
//	err-ratelimit        creation answers 429 rateLimiting with Retry-After: 60
//
// Any creation on a bank where another connection of the same user waits
// for a decoupled validation answers 400 badRequest (resume it instead).
//
// # Payloads
//
// Answers and webhook bodies are written from the sandbox's own types
// (payload*.go), shaped after Powens' documentation, and webhooks are signed
// by the sandbox's own HMAC code. The package does not import the powens
// client: a typing mistake in the client cannot be mirrored here, so it
// fails a test instead.
//
// # Data
//
// A connection's books are a pure function of (Seed, connection id, account,
// day): every event has the instant it happens, and a sync reveals what
// happened since the previous one, so the same seed and the same clock give
// the same JSON byte for byte. Amounts are integer cents. Checking, card and
// savings balances equal the sum of their booked, non-deleted transactions
// (coming = the sum of the coming ones); investment accounts are the sum of
// their valuations; a loan is minus its remaining capital. Card payments are
// coming until they post (next day, or the end of the month for the deferred
// card) and are then booked with the same id; Saturday fuel
// pre-authorisations are deleted when they should post. Like a French bank,
// nothing is booked on a Saturday, Sunday or public holiday
// (freenahi.IsBankDay): those movements post on the next bank day.
//
// # Choices where Powens' references disagree or are silent
//
// Creation answers 201 (202 while the person must act: 2fa, decoupled);
// updates and syncs 200 (or 202). A bad or missing token is 401 with code
// "forbidden"; bad client credentials 403. noAccount is 409 (the docs; the
// SDK says 400) on accounts without ?all, transactions and investments. A
// forced sync (PUT) within MinSyncInterval of a successful one is 409
// tooManySync. Transactions require limit (1…1000), come newest first (date,
// then id) and page through an opaque keyset cursor in _links.next; prev is
// always null, and the date bounds are null on an empty list. coming_balances
// is balance + coming per currency. The webhook HMAC covers the uncompressed
// JSON and the path of the receiver URL. Livret A is typed "savings" and
// loan repayments "loan_payment", as the OpenAPI enums spell them.
// background=true is asynchronous for resume only. The connect callback
// carries connection_id, state and, for an anonymous user, code; reconnect
// carries state only.
//
// A successful sync sends ACCOUNTS_FETCHED (every account found, enabled or
// not), then ACCOUNT_SYNCED for each enabled account with its new
// transactions, then CONNECTION_SYNCED; a failed one only CONNECTION_SYNCED.
// Each event is sent only to its URL in Config.WebhookURLs. push_type sits
// at the root of CONNECTION_SYNCED and ACCOUNT_SYNCED (issue 9 reports it in
// real payloads; the reference does not place it). Create-time errors use
// 400 for the bank's refusals, 429, 500 and 503 otherwise. Config.RateLimit
// (off by default) answers 429 rateLimiting with Retry-After to a user's
// calls beyond it in a minute. The webhook flusher retries each delivery
// with Config.WebhookRetry's back-off and pauses WebhookFlushInterval after
// 10 consecutive failures or 2 timeouts of one delivery, as Powens' guide
// says; it never disables a webhook.
//
// # Controls
//
// POST /__sandbox/faults (a Fault or a list; status 401 answers the older
// {"code": "unauthorized"}), DELETE /__sandbox/faults,
// POST /__sandbox/sync ({"id_connection": N} or {} for all) and
// GET /__sandbox/state. They need no token: never expose a sandbox publicly.
package sandbox
