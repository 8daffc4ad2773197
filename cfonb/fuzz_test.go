package cfonb

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the reader: it must never panic, and
// every failure must be an *Error with a sensible position.
func FuzzReader(f *testing.F) {
	ref, err := os.ReadFile("testdata/reference_1_10.cfonb")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ref)
	f.Add([]byte(crlf(chainedLines(f))))
	f.Add([]byte(strings.ReplaceAll(string(ref), "\r\n", "\n")))
	f.Add(ref[:300])
	f.Add([]byte{})
	for _, tc := range goldenCases {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		tc.write(f, w)
		mustDo(f, w.Flush())
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, skip := range []bool{false, true} {
			r := NewReader(bytes.NewReader(data))
			r.SkipChainCheck = skip
			for {
				st, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					var e *Error
					if !errors.As(err, &e) {
						t.Fatalf("error %v is a %T, not an *Error", err, err)
					}
					if e.Line < 1 || e.Column < 1 || e.Column > recordLen+1 || e.Msg == "" {
						t.Fatalf("error has a bad position: %v", e)
					}
					break
				}
				sum := st.OpeningMinor
				for _, m := range st.Movements {
					sum += m.AmountMinor
				}
				if sum != st.ClosingMinor {
					t.Fatalf("accepted a statement that does not balance: %+v", st)
				}
			}
		}
	})
}
