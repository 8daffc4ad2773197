package powens

// DecodeTransactionsV1 lets the external benchmark measure the
// encoding/json reference beside DecodeTransactions.
var DecodeTransactionsV1 = decodeTransactionsV1
