package bankfile_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"testing"

	"github.com/freenahi/freenahi/bankfile"
)

// benchCSV is a French bank's CSV of n lines: ';', decimal comma, debit
// and credit columns.
func benchCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Date;Libellé;Débit;Crédit\n")
	for i := range n {
		day := i%28 + 1
		if i%5 == 0 {
			fmt.Fprintf(&b, "%02d/%02d/2024;VIR SEPA SALAIRE %d;;%d,%02d\n", day, i%12+1, i, 1000+i%900, i%100)
		} else {
			fmt.Fprintf(&b, "%02d/%02d/2024;CB CARREFOUR MARKET %d;%d,%02d;\n", day, i%12+1, i, 10+i%90, i%100)
		}
	}
	return b.Bytes()
}

// BenchmarkParseCSV reads a 50,000-line statement (the MaxEntries bound)
// into entries with their keys; BenchmarkReadCSVReference only splits the
// same bytes into fields with encoding/csv, the floor any CSV import pays.
//
//	go test -run XXX -bench 'CSV' -benchmem ./bankfile/
func BenchmarkParseCSV(b *testing.B) {
	data := benchCSV(bankfile.MaxEntries - 1)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		f, err := bankfile.Parse(data, bankfile.Options{})
		if err != nil || len(f.Entries) != bankfile.MaxEntries-1 {
			b.Fatalf("%v, %d entries", err, len(f.Entries))
		}
	}
}

func BenchmarkReadCSVReference(b *testing.B) {
	data := benchCSV(bankfile.MaxEntries - 1)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		r.Comma, r.FieldsPerRecord = ';', -1
		n := 0
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != bankfile.MaxEntries {
			b.Fatalf("%d rows", n)
		}
	}
}
