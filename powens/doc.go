// Package powens speaks the Powens (ex-Budget Insight) API 2.0: payload types
// tolerant of the API's inconsistencies, webhook signatures, and the client.
//
// Decoding follows Powens' forward-compatibility rules: unknown fields are
// ignored, enums are open strings, money is kept as exact decimal text
// (Number), and naive datetimes are Europe/Paris wall-clock times (Time) except
// the transaction instants Powens documents as UTC (UTCTime).
//
// The package imports the freenahi domain for its value types only; it knows
// nothing of storage or HTTP serving.
package powens
