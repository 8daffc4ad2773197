// Package sandbox is a local Inqom: a real HTTP server answering the
// endpoints of Inqom's API Banking page — the OAuth2 token endpoint and the
// two banking calls — so that the inqom client, the exporter and the demo
// run end to end without Inqom.
//
// One base URL serves everything: AuthURL is base+TokenPath, BankingURL is
// base. Endpoints and what they check:
//
//	POST /identity/connect/token
//	    password grant; client credentials in the form or HTTP Basic.
//	    400 invalid_request, 401 invalid_client, 400 unsupported_grant_type,
//	    400 invalid_scope (unknown scope, or no apidata), 400 invalid_grant
//	    "invalid_username_or_password". Tokens look like JWTs, expire after
//	    TokenLifetime on the Config clock, and die with RevokeTokens.
//	POST /api/app/banking/enterprises/{dossierId}/manual/ebics/accounts
//	    {Iban, BankName, IsCfonbControlActive}. 401 without a valid token
//	    (empty body, reason in WWW-Authenticate), 403 for a dossier the user
//	    may not write, 400 for a malformed IBAN (MOD 97, and the RIB key of
//	    French ones), 409 for an IBAN already in the dossier.
//	POST /api/app/banking/ebics/accounts/import
//	    multipart part "file". The strict cfonb reader reads every statement
//	    (400 with its line and column otherwise); each statement goes to the
//	    account whose IBAN has its bank, branch and account number, among
//	    the dossiers the user may write (400 naming them otherwise); with
//	    IsCfonbControlActive, a statement must open on the date and at the
//	    balance the account's previous statement closed on: a file that
//	    restates a day already imported, or skips days, is refused. A file is applied whole or
//	    not at all, and, like Inqom as far as anyone knows, twice if sent
//	    twice when the control is off.
//
// Errors of the banking endpoints follow the ABP framework's shape,
// {"error": {"code", "message", "details", "data", "validationErrors"}}:
// Inqom's /api/app/ routes suggest ABP, but its error bodies are not
// documented, so clients must read them tolerantly. Messages are English.
//
// # Controls
//
// Accounts, Imports and State inspect; InjectFault (or POST
// /__sandbox/faults, DELETE to clear) injects failures, including
// DropAfterProcessing, which applies an import and then loses the answer;
// GET /__sandbox/state summarises. The controls need no token: never expose
// a sandbox publicly.
package sandbox
