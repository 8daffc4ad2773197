// Package inqom is a client of Inqom's API Banking: it signs in with the
// OAuth2 password grant, registers bank accounts in dossiers and imports
// CFONB 120 files. It imports only the standard library and the domain
// package.
//
//	c, err := inqom.NewClient(inqom.Config{Environment: inqom.Staging,
//		ClientID: id, ClientSecret: secret, Username: user, Password: pass})
//	_, err = c.RegisterAccount(ctx, 42, inqom.Account{IBAN: iban, BankName: "BNP", CFONBControl: true})
//	if err != nil && !errors.Is(err, inqom.ErrAlreadyRegistered) { … }
//	res, err := c.ImportCFONB(ctx, "releve-2026-03.txt", file)
//	if inqom.OutcomeUnknown(err) { /* keep the batch; resend the same bytes later */ }
//
// # What is known and what is assumed
//
// Inqom's page gives the token endpoint, its form fields, the two banking
// paths and their inputs, and nothing about answers or errors. So:
//
//   - The token is cached until a minute (or a tenth of its lifetime)
//     before expires_in; a 401 from a banking call drops it, fetches a new
//     one once and retries once. Only one fetch runs at a time.
//   - Answers are kept raw; an account id is extracted when one is found.
//   - Error bodies are decoded from any of the shapes an ASP.NET service may
//     answer (see DecodeError) into an *Error that reads in plain words.
//   - A registration refused with 409, or with words saying the account
//     exists, is ErrAlreadyRegistered.
//
// # Retries and unknown outcomes
//
// Every call is retried on 429, 5xx and network errors, with capped,
// jittered exponential backoff that honours Retry-After. The import body is
// built once, from the file alone, so every attempt sends the same bytes.
//
// Whether Inqom de-duplicates imports is not known. A 4xx, or a failure to
// connect, proves nothing was applied; a timeout or broken connection after
// sending, or a 5xx, leaves the outcome unknown, and that sticks for the
// rest of the call: a later 4xx may well be Inqom refusing the second copy.
// OutcomeUnknown(err) reports it, and ImportResult.PossibleDuplicate says
// an accepted file may have been applied twice.
package inqom
