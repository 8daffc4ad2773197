// Package cfonb writes and strictly reads CFONB 120 bank statements
// ("relevé de compte sur support informatique", also called AFB 120), the
// format French accounting software such as Inqom imports.
//
// It imports only the standard library: amounts are int64 minor units with
// the currency's exponent (0 to 3 decimals), never floats, so 123456789.99
// travels as 12345678999 and is written as 0001234567899I.
//
// # Files
//
// A file is a sequence of statements. A statement is one 01 record (old
// balance), zero or more 04 records (movements), each followed by any
// number of 05 records (complements), and one 07 record (new balance).
// Every record is exactly 120 ASCII characters followed by CRLF, the last
// one too. Positions follow the reference tables (CFONB 2004 and its 2010
// SEPA addendum); record.go lists them.
//
// # Writing
//
// Writer streams: Begin writes the 01, Movement writes a 04 and its 05s,
// End writes the 07 with the new balance it computed (old balance plus the
// movements) and returns it. The output depends on the inputs only.
//
//	w := cfonb.NewWriter(f)
//	acct, err := cfonb.AccountFromIBAN("FR7630006000011234567890189")
//	err = w.Begin(acct, lastClosing, openingMinor)
//	err = w.Movement(cfonb.Movement{PowensType: "card", BookingDate: d, AmountMinor: -1234, Label: "CB Carrefour"})
//	closing, err := w.End(periodEnd)
//	err = w.Flush()
//
// Text is folded to the CFONB character set (digits, upper-case letters,
// space and * - . / ( )): see Fold; Cyrillic and Greek are romanised
// (ICAO Doc 9303, ELOT 743). The 04 label is never blank: a wording with
// nothing CFONB can show (emoji only, an unknown script) is replaced by the
// movement's kind (KindLabel: "PAIEMENT CB", "VIREMENT", …). A label longer
// than the 31 characters of the 04 continues in as many 05 LIB records as
// it needs, cut at word boundaries, each zone starting with a word: readers
// that join the zones with a space read the whole text back. Only a word
// longer than its zone is cut inside. The counterparty goes in a 05 NPY
// (money in) or NBE (money out), continued the same way past 70
// characters. Our reference goes in the 04 reference zone (105–120) when it
// fits in 16 characters, otherwise whole in a 05 REF (instruction id half, 84–118).
//
// # Reading
//
// Reader returns one Statement at a time and checks everything the writer
// guarantees: length and CRLF, record order, allowed characters, digits and
// dates, signed amounts, one account per statement, 01 + Σ 04 = 07, and that
// each statement starts where the previous one of the same account ended.
// Errors are *Error values with a 1-based line and column.
//
//	r := cfonb.NewReader(f)
//	for {
//		st, err := r.Next() // io.EOF after the last statement
//		…
//	}
//
// Two-digit years read as 2000–2079 for 00–79 and 1980–1999 for 80–99; the
// writer refuses dates outside that window so that every date round-trips.
//
// # Operation codes
//
// A Movement without an OperationCode gets one from its Powens type and
// the sign of its amount. A zero amount has no sign: it takes the code of
// what its kind usually is (the non-reversal side; money out when the kind
// goes both ways), never 99. 99 ("annulations et
// régularisations") stands for a movement whose sign contradicts its type,
// such as a positive ATM withdrawal; 91 ("opérations diverses") for types
// that say nothing about the operation, including future ones.
//
//	Powens type                   credit (> 0)          debit (< 0)
//	transfer                      05 transfer received  06 transfer issued
//	order                         A1 SDD collected      B1 SDD paid
//	check                         02 cheque deposit     01 cheque paid
//	deposit                       04 cash deposit       99 reversal
//	withdrawal                    99 reversal           29 ATM withdrawal
//	card, deferred_card           11 card refund        11 card payment
//	summary_card, card_summary    99 reversal           28 card invoices paid
//	loan_repayment, loan_payment  99 reversal           72 credit instalment
//	bank, fee, market_fee         99 fee refund         62 commissions and fees
//	market_order, arbitrage       51 securities         51 securities
//	profit                        63 financial income   99 reversal
//	payback, refund               99 adjustment         99 adjustment
//	payout                        05 transfer received  99 reversal
//	payment, unknown, any other   91 miscellaneous      91 miscellaneous
//
// # IBAN and RIB
//
// A CFONB 120 record identifies the account by the bank code, branch code
// and account number of its French RIB, which are slices of the IBAN.
// ParseIBAN checks the IBAN (MOD 97-10) and the RIB key; AccountFromIBAN
// gives the Account to write; RIBKey computes a key.
package cfonb
