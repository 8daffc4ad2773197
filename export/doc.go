// Package export turns stored, booked transactions into CFONB 120
// statements, ISO 20022 camt.053.001.02 statements, OFX 2.2 statements
// and CSV files, and pushes CFONB to Inqom's API Banking exactly once per
// transaction, through a ledger kept in the store.
//
// # Statements for a period
//
// Exporter.ExportStatement writes an account's statement for From…To:
//
//   - Only booked (not coming), non-deleted transactions count, ordered by
//     date, then Powens id; the file depends on the stored data alone (no
//     clock), so the same inputs always give the same bytes.
//   - Closing balance of the period = the account's stored balance (that of
//     its latest sync) − Σ booked, non-deleted transactions dated after To.
//     Opening balance = closing − Σ the period's transactions. Both come from
//     one database snapshot, so a sync running meanwhile cannot skew them.
//     The rule assumes the stored balance includes every stored booked
//     transaction, which holds when both come from the same sync.
//   - By default there is one statement per bank day with movements; the
//     first opens on From − 1, each next one opens where the previous
//     closed (date and balance), and the last closes on To, so the files of
//     consecutive periods chain too. A period without movements is one
//     statement 01 + 07 from From − 1 to To. With PerPeriod, one statement
//     covers the whole period.
//   - Transactions are read a page at a time with a keyset cursor and
//     written through a streaming writer: memory does not grow with their
//     number.
//
// A movement's label is the bank's original wording (else Powens'
// wording); the counterparty's name goes in a 05 NPY (money in) or NBE
// (money out); the reference is "FREENAHI" and our transaction id on 16
// digits, so a 05 REF carries it whole and the 04 reference zone its 16
// digits; the operation code comes from cfonb.OperationCode.
//
// Positions 8–11, the bank's internal operation code, stay blank: we never
// know it. Powens' transaction (bank-transactions.yml, and the fields seen
// on live payloads) has the operation's kind (type, which gives the
// interbank code of 33–34), the wordings, and webid, a legacy bank-side
// identifier of the transaction with no fixed length or alphabet: not an
// operation code. An internal code is one bank's own (9162, 0117 in real
// files) and means nothing beside another bank's code in the 01; made up,
// it would mislead software that matches on it. CFONB marks the zone
// optional, to be left blank when there is none; cfonb.Movement carries
// one for a source that would know it.
//
// CFONB 120 identifies an account by its French RIB: the account's IBAN
// must be French (FR or MC). Otherwise the export fails with an error
// naming the account, unless the person gives the RIB (bank, branch,
// account number and optionally key, or a French IBAN) as an override.
//
// Every format stops at the last bank day that has ended
// (freenahi.LastEndedBankDay): a later To is shortened and the summary says
// so (Stopped); a From after it is refused.
//
// # camt.053 and OFX
//
// The same selection, read the same way, written as one camt.053.001.02
// BkToCstmrStmt (OPBD and CLBD booked balances, one BOOK entry per
// transaction with BookgDt, ValDt, Amt and Ccy, CdtDbtInd, the ISO bank
// transaction code mapped from the Powens type with the CFONB operation
// code as proprietary code, AcctSvcrRef = our reference, the wording whole
// in repeated 140-character Ustrd) or one OFX 2.2 STMTRS (CCSTMTRS for a
// card account; TRNTYPE mapped, FITID = our reference, LEDGERBAL). Both
// are dated by the period, never the clock, so the bytes depend on the
// data alone. camt.go and ofx.go list the mappings. Readers we did not
// write check them in the tests (thirdparty_test.go): the OFX DTD through
// xmllint, libofx, AqBanking.
//
// # CSV
//
// The same pipeline writes CSV: UTF-8 without BOM, a header row, CRLF line
// ends (RFC 4180), ';' between fields by default (what French spreadsheets
// expect) or ','. Amounts are exact decimals with a '.' point and no
// thousands separator ("-1234.56"); balance is the running balance after
// the row; a label or counterparty starting with = + - or @ gets a leading
// apostrophe, so a spreadsheet never runs it as a formula. Columns: date, value_date, amount, currency, balance, label,
// counterparty, type, operation_code, reference, powens_id, id, category, payee, tags (comma-separated).
//
// # The Inqom ledger
//
// A mapping sends one account to one Inqom dossier. Pusher exports what is
// waiting, mapping by mapping, under a lease so two instances never push
// the same mapping at once:
//
//  1. Freeze: the not-yet-exported booked, non-deleted transactions (at
//     most MaxBatch, oldest first) become ONE pending batch in one database
//     transaction, with the exact file bytes and their SHA-256, before any
//     network call. A transaction is in at most one live batch of a mapping
//     (a unique index says so). A batch opens where the previous one closed
//     (date and balance), so consecutive files chain for Inqom's balance
//     control, and its dates never go backwards: a sent statement is never
//     restated. A late transaction, dated on or before that date, is booked
//     on the next bank day with its own date as value date. Only
//     transactions of days that have ended (up to the last bank day that
//     has ended, Europe/Paris) go out; the others wait.
//  2. Send: the attempt is recorded as in flight, then the stored bytes are
//     imported. Accepted → sent. Unknown outcome (timeout, broken
//     connection, 5xx) → review: the same bytes are resent later, never
//     rebuilt, and the batch stays flagged. Refused by Inqom (4xx on the
//     file) → failed. Not sent at all (sign-in refused, no connection) →
//     stays pending and is retried.
//  3. A batch found in flight at the next run was interrupted (a crash
//     between upload and ledger commit): it turns to review and its bytes
//     are resent.
//
// A mapping has one open batch at a time: nothing new is frozen, and
// nothing later sent, while a batch is pending, in review or failed. A
// failed batch keeps its transactions (none is lost, none is put in a
// second file) until a person resolves it: retry (same bytes), sent (Inqom
// has it after all) or release (it never reached Inqom: its transactions go
// into the next batch). A review batch that Inqom then refuses is held the
// same way, since the refusal may be of a second copy. Coming transactions
// wait until booked; a transaction deleted or changed after export is
// listed in the mapping's status, never silently dropped.
package export
