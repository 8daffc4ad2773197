package store

// PGSearchWords is the expression of PostgreSQL's word index, for tests
// that ask the planner whether it uses the index.
const PGSearchWords = pgSearchWords
