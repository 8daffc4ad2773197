package sandbox

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestServer_Import(t *testing.T) {
	t.Run("ChainedStatementsInOneFile", func(t *testing.T) {
		h := MustHarness(t)
		tok := h.MustToken("u", "p")
		if status, body := h.Register(tok, "1", testIBAN, true); status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		file := MustFile(t, statement{testIBAN, day(1), 1000, []int64{5, -3}}, statement{testIBAN, day(2), 1002, []int64{7}})
		status, body := h.Import(tok, "f.txt", file)
		if status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		var got ImportSummary
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		want := ImportSummary{ImportID: 1, FileName: "f.txt", Statements: 2, Movements: 3,
			Accounts: []AccountImport{{AccountID: 1, EnterpriseID: 1, Iban: testIBAN, Statements: 2, Movements: 3}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("summary (-want +got):\n%s", diff)
		}
		st := h.s.State().Dossiers[0].Accounts[0]
		if st.LastClosing != "10.09" || st.LastClosingDate != "2026-03-03" {
			t.Fatalf("last closing %s on %s, want 10.09 on 2026-03-03", st.LastClosing, st.LastClosingDate)
		}
	})

	t.Run("BrokenChainInOneFile", func(t *testing.T) {
		h := MustHarness(t)
		tok := h.MustToken("u", "p")
		h.Register(tok, "1", testIBAN, true)
		file := MustFile(t, statement{testIBAN, day(1), 1000, []int64{5}}, statement{testIBAN, day(2), 999, nil})
		status, body := h.Import(tok, "f.txt", file)
		if status != 400 {
			t.Fatalf("%d %s", status, body)
		}
		mustContain(t, abpMessage(t, body), "Banking:CfonbControlFailed", "statement 2 opens at 9.99 EUR on 02/03/2026", "closed at 10.05 EUR on 02/03/2026")
		if len(h.s.Imports(1)) != 0 {
			t.Fatal("a refused file left statements behind")
		}
	})

	t.Run("DatesChainAcrossFiles", func(t *testing.T) {
		// Invariant 9 seen from Inqom: balances that chain are not enough, a
		// file must open on the day the account's statements ended.
		h := MustHarness(t)
		tok := h.MustToken("u", "p")
		h.Register(tok, "1", testIBAN, true)
		if status, body := h.Import(tok, "a.txt", MustFile(t, statement{testIBAN, day(1), 1000, []int64{2}})); status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		status, body := h.Import(tok, "restates.txt", MustFile(t, statement{testIBAN, day(1), 1002, []int64{-1}}))
		if status != 400 {
			t.Fatalf("a file restating 01/03: %d %s", status, body)
		}
		mustContain(t, abpMessage(t, body), "Banking:CfonbControlFailed", "statement 1 opens on 01/03/2026", "already run to 02/03/2026", "cannot be restated")
		status, body = h.Import(tok, "skips.txt", MustFile(t, statement{testIBAN, day(3), 1002, []int64{-1}}))
		if status != 400 {
			t.Fatalf("a file skipping 02/03–03/03: %d %s", status, body)
		}
		mustContain(t, abpMessage(t, body), "opens on 03/03/2026", "closed on 02/03/2026", "the days between are missing")
		if status, body := h.Import(tok, "next.txt", MustFile(t, statement{testIBAN, day(2), 1002, []int64{-1}})); status != 200 {
			t.Fatalf("the next file: %d %s", status, body)
		}
		if n := len(h.s.Imports(1)); n != 2 {
			t.Fatalf("%d statements held, want the 2 accepted", n)
		}
	})

	t.Run("AllOrNothing", func(t *testing.T) {
		h := MustHarness(t)
		tok := h.MustToken("u", "p")
		h.Register(tok, "1", testIBAN, false)
		file := MustFile(t, statement{testIBAN, day(1), 0, []int64{5}}, statement{testIBAN2, day(1), 0, nil})
		status, body := h.Import(tok, "f.txt", file)
		if status != 400 {
			t.Fatalf("%d %s", status, body)
		}
		mustContain(t, abpMessage(t, body), "Banking:UnknownAccount", "Statement 2 is for bank 20041, branch 01005, account 0500013M026")
		if len(h.s.Imports(1)) != 0 {
			t.Fatal("the first statement of a refused file was kept")
		}
	})

	t.Run("OtherUsersAccountsAreUnknown", func(t *testing.T) {
		h := MustHarness(t)
		h.Register(h.MustToken("v", "q"), "3", testIBAN, false)
		status, body := h.Import(h.MustToken("u", "p"), "f.txt", MustFile(t, statement{testIBAN, day(1), 0, nil}))
		if status != 400 {
			t.Fatalf("%d %s", status, body)
		}
		mustContain(t, abpMessage(t, body), "Banking:UnknownAccount")
	})

	t.Run("Ambiguous", func(t *testing.T) {
		h := MustHarness(t)
		tok := h.MustToken("u", "p")
		h.Register(tok, "1", testIBAN, false)
		h.Register(tok, "2", testIBAN, false)
		status, body := h.Import(tok, "f.txt", MustFile(t, statement{testIBAN, day(1), 0, nil}))
		if status != 400 {
			t.Fatalf("%d %s", status, body)
		}
		mustContain(t, abpMessage(t, body), "Banking:AmbiguousAccount", "several dossiers (1, 2)")
	})

	t.Run("Malformed", func(t *testing.T) {
		h := MustHarness(t)
		tok := h.MustToken("u", "p")
		file := MustFile(t, statement{testIBAN, day(1), 0, nil})
		status, body := h.Import(tok, "f.txt", bytes.ReplaceAll(file, []byte("\r\n"), []byte("\n")))
		var e struct {
			Error struct {
				Message string
				Data    map[string]int
			} `json:"error"`
		}
		if status != 400 || json.Unmarshal(body, &e) != nil {
			t.Fatalf("%d %s", status, body)
		}
		if diff := cmp.Diff(map[string]int{"line": 1, "column": 121}, e.Error.Data); diff != "" {
			t.Fatalf("data (-want +got):\n%s", diff)
		}
		mustContain(t, e.Error.Message, "The file f.txt is not a valid CFONB 120 file: line 1, column 121: record ends with LF only")
	})

	t.Run("TooLarge", func(t *testing.T) {
		h := MustHarness(t, func(c *Config) { c.MaxUploadBytes = 1000 })
		status, body := h.Import(h.MustToken("u", "p"), "f.txt", bytes.Repeat([]byte("x"), 2000))
		if status != 413 {
			t.Fatalf("%d %s", status, body)
		}
	})

	t.Run("MissingFilePart", func(t *testing.T) {
		h := MustHarness(t)
		status, _, body := h.Do("POST", ImportPath, "multipart/form-data; boundary=b", h.MustToken("u", "p"), []byte("--b--\r\n"))
		if status != 400 {
			t.Fatalf("%d %s", status, body)
		}
		mustContain(t, string(body), "The file field is required.")
	})
}

// TestServer_History checks that memory stays bounded while the balance
// control still knows where the account stands.
func TestServer_History(t *testing.T) {
	h := MustHarness(t, func(c *Config) { c.MaxHistory = 5 })
	tok := h.MustToken("u", "p")
	h.Register(tok, "1", testIBAN, true)
	balance := int64(0)
	for d := 1; d <= 4; d++ {
		if status, body := h.Import(tok, "f.txt", MustFile(t, statement{testIBAN, day(d), balance, []int64{10}})); status != 200 {
			t.Fatalf("day %d: %d %s", d, status, body)
		}
		balance += 10
	}
	imps := h.s.Imports(1)
	if len(imps) != 2 || imps[1].Statement.ClosingMinor != 40 {
		t.Fatalf("kept %d statements, want the last 2", len(imps))
	}
	if st := h.s.State().Dossiers[0].Accounts[0]; st.Statements != 4 || st.Movements != 4 {
		t.Fatalf("state counts %d statements, %d movements, want 4 and 4", st.Statements, st.Movements)
	}
	if status, _ := h.Import(tok, "f.txt", MustFile(t, statement{testIBAN, day(5), 0, nil})); status != 400 {
		t.Fatalf("status %d: the control forgot the last closing", status)
	}
}
