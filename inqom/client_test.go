package inqom

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
)

func TestNewClient(t *testing.T) {
	valid := Config{ClientID: "id", ClientSecret: "s", Username: "u", Password: "p"}

	t.Run("DefaultsToProduction", func(t *testing.T) {
		c, err := NewClient(valid)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.auth.String(), ProductionAuthURL; got != want {
			t.Fatalf("auth=%s, want %s", got, want)
		}
		if got, want := c.bankingURL(importPathForTest), ProductionBankingURL+importPathForTest; got != want {
			t.Fatalf("banking=%s, want %s", got, want)
		}
	})

	t.Run("Staging", func(t *testing.T) {
		cfg := valid
		env, err := ParseEnvironment("Recette")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Environment = env
		c, err := NewClient(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if c.auth.String() != StagingAuthURL || c.banking.String() != StagingBankingURL {
			t.Fatalf("URLs %s %s, want staging", c.auth, c.banking)
		}
	})

	t.Run("Refusals", func(t *testing.T) {
		for _, tc := range []struct {
			field string
			edit  func(*Config)
		}{
			{"Password", func(c *Config) { c.Password = "" }},
			{"ClientID", func(c *Config) { c.ClientID = "" }},
			{"AuthURL", func(c *Config) { c.AuthURL = "auth.inqom.com/token" }},
			{"BankingURL", func(c *Config) { c.BankingURL = "https://x.example/?a=b" }},
		} {
			cfg := valid
			tc.edit(&cfg)
			_, err := NewClient(cfg)
			if freenahi.ErrorCode(err) != freenahi.EINVALID || freenahi.ErrorField(err) != tc.field {
				t.Errorf("%s: err=%v, want EINVALID on %s", tc.field, err, tc.field)
			}
		}
		if _, err := ParseEnvironment("dev"); freenahi.ErrorCode(err) != freenahi.EINVALID {
			t.Errorf("ParseEnvironment(dev): err=%v", err)
		}
	})
}

const importPathForTest = "/api/app/banking/ebics/accounts/import"

func TestImportBody(t *testing.T) {
	content := []byte("0130006    00001EUR2 12345678901  280226\r\n")
	name := `relevé "mars".txt`
	ct, body, err := importBody(name, content)
	if err != nil {
		t.Fatal(err)
	}
	ct2, body2, _ := importBody(name, content)
	if ct != ct2 || !bytes.Equal(body, body2) {
		t.Fatal("the same file gave two different bodies")
	}
	if _, other, _ := importBody(name, append(content, '0')); bytes.Equal(body, other) {
		t.Fatal("two files gave the same body")
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("content type %q: %v", ct, err)
	}
	part, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).NextPart()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(part)
	if part.FormName() != "file" || part.FileName() != name || part.Header.Get("Content-Type") != "text/plain" || !bytes.Equal(got, content) {
		t.Fatalf("part %q %q %q %q", part.FormName(), part.FileName(), part.Header.Get("Content-Type"), got)
	}
}

func TestCheckFilename(t *testing.T) {
	for _, name := range []string{"", "a\r\nX-Evil: 1", strings.Repeat("a", 256)} {
		if err := checkFilename(name); freenahi.ErrorCode(err) != freenahi.EINVALID {
			t.Errorf("checkFilename(%q)=%v, want EINVALID", name, err)
		}
	}
	if err := checkFilename("releve-2026-03.txt"); err != nil {
		t.Error(err)
	}
}

func TestExtractID(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"id":7}`, "7"},
		{`{"Id":"a-b"}`, "a-b"},
		{`{"AccountId":12,"Iban":"FR76"}`, "12"},
		{`{"result":{"id":3}}`, "3"},
		{`{"data":{"value":{"account":{"id":9}}}}`, ""},
		{`42`, "42"},
		{`"e1f2"`, "e1f2"},
		{``, ""},
		{`<html>`, ""},
		{`{"id":{"nested":1}}`, ""},
	} {
		if got := extractID([]byte(tc.body), 2); got != tc.want {
			t.Errorf("extractID(%s)=%q, want %q", tc.body, got, tc.want)
		}
	}
}
