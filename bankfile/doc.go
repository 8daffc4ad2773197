// Package bankfile reads the bank files a person downloads from their bank,
// for history Powens does not cover or that predates the connection: CFONB
// 120 (through the strict reader of package cfonb), OFX 1.x (SGML) and 2.x
// (XML), QIF, and CSV with a column mapping.
//
// Parse returns the entries as they will be stored and, separately, one
// error per entry it could not read, naming the line and the field, so a
// preview can show both before anything is written. Input is bounded
// (MaxSize bytes, MaxEntries entries) and any text encoding is accepted:
// UTF-8 with or without a byte-order mark, UTF-16 with one, else
// Windows-1252, which French banks still use.
//
// Each entry carries a Key, stable across files: the bank's own id (OFX
// FITID) when the file has one, else a digest of date, amount and wording
// with the occurrence number of that triple in the file (two identical
// coffees on one day are two entries). Importing the same file twice, or
// an overlapping one, finds the same keys and adds nothing the second time.
//
// It imports only the standard library, the root package, package cfonb
// and golang.org/x/text.
package bankfile
