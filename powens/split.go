package powens

import "encoding/json"

// DecodeConnectionSynced decodes a CONNECTION_SYNCED body, leaving each
// account's transactions raw (see DecodeTransactions).
//
// The transaction arrays are most of a large body, and encoding/json reads a
// body twice (validation, then decoding) even where it only keeps raw bytes.
// So the arrays are first cut out by a structural scan and the small rest is
// decoded; the arrays are validated when they are decoded, one transaction at
// a time. Anything unusual (escaped or repeated keys) falls back to plain
// json.Unmarshal, and both paths give the same result (see FuzzSplitTransactions).
func DecodeConnectionSynced(body []byte) (*ConnectionSynced, error) {
	var p ConnectionSynced
	envelope, raws, ok := splitTransactions(body)
	if !ok {
		envelope, raws = body, nil
	}
	if err := json.Unmarshal(envelope, &p); err != nil {
		if ok {
			// Report the error as the standard decoder sees the whole body.
			if err2 := json.Unmarshal(body, &p); err2 != nil {
				return nil, err2
			}
		}
		return nil, err
	}
	if p.Connection != nil {
		for i, raw := range raws {
			if raw != nil && i < len(p.Connection.Accounts) {
				p.Connection.Accounts[i].Transactions = raw
			}
		}
	}
	return &p, nil
}

// scanFrame is one open object or array during splitTransactions.
type scanFrame struct {
	object bool
	key    string // the key whose value is being read, for objects
	index  int    // the element being read, for arrays
	seen   map[string]bool
}

// splitTransactions copies body with every connection.accounts[i].transactions
// array replaced by [], and returns those arrays by account index. ok is false
// when the scan meets something it does not handle (then decode body as is).
func splitTransactions(body []byte) (envelope []byte, raws [][]byte, ok bool) {
	var stack []scanFrame
	out := make([]byte, 0, 4096)
	last := 0 // body[last:i] is yet to be copied to out
	expectKey := false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; c {
		case '"':
			end, esc := scanString(body, i)
			if end < 0 {
				return nil, nil, false
			}
			if expectKey && len(stack) > 0 && stack[len(stack)-1].object {
				top := &stack[len(stack)-1]
				if esc {
					return nil, nil, false // an escaped key might spell one we route on
				}
				top.key = string(body[i+1 : end])
				if len(stack) <= 4 {
					// encoding/json keeps the last of repeated keys; rather
					// than mimic it, leave such bodies to it.
					if top.seen == nil {
						top.seen = map[string]bool{}
					}
					if top.seen[top.key] {
						return nil, nil, false
					}
					top.seen[top.key] = true
				}
				expectKey = false
			}
			i = end
		case '[':
			if atTransactions(stack) {
				end := matchBracket(body, i)
				if end < 0 {
					return nil, nil, false
				}
				acct := stack[2].index
				for len(raws) <= acct {
					raws = append(raws, nil)
				}
				raws[acct] = body[i : end+1]
				out = append(out, body[last:i]...)
				out = append(out, '[', ']')
				last, i = end+1, end
				continue
			}
			stack = append(stack, scanFrame{})
		case '{':
			stack = append(stack, scanFrame{object: true})
			expectKey = true
		case '}', ']':
			if len(stack) == 0 || stack[len(stack)-1].object != (c == '}') {
				return nil, nil, false
			}
			stack = stack[:len(stack)-1]
			expectKey = false
		case ',':
			if len(stack) > 0 {
				if top := &stack[len(stack)-1]; top.object {
					expectKey = true
				} else {
					top.index++
				}
			}
		}
	}
	if len(stack) != 0 {
		return nil, nil, false
	}
	return append(out, body[last:]...), raws, true
}

// atTransactions reports whether a value starting now is at
// connection.accounts[i].transactions.
func atTransactions(stack []scanFrame) bool {
	return len(stack) == 4 && stack[0].object && stack[0].key == "connection" && stack[1].object &&
		stack[1].key == "accounts" && !stack[2].object && stack[3].object && stack[3].key == "transactions"
}

// scanString returns the index of the closing quote of the string starting
// at body[i], and whether it contains escapes; -1 if it is not closed.
func scanString(body []byte, i int) (int, bool) {
	esc := false
	for j := i + 1; j < len(body); j++ {
		switch body[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return j, esc
		}
	}
	return -1, esc
}

// matchBracket returns the index of the ']' closing the array at body[i]
// (skipping strings and nested values), or -1.
func matchBracket(body []byte, i int) int {
	depth := 0
	for j := i; j < len(body); j++ {
		switch body[j] {
		case '"':
			end, _ := scanString(body, j)
			if end < 0 {
				return -1
			}
			j = end
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				if body[j] != ']' {
					return -1
				}
				return j
			}
		}
	}
	return -1
}
