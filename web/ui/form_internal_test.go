package ui

import (
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/freenahi/freenahi"
)

// TestFormFields_PhoneKeyboards: a code the bank sends gets the number pad
// and the phone's offer to fill it from the SMS; a login of digits gets the
// number pad only; a password or a free text neither.
func TestFormFields_PhoneKeyboards(t *testing.T) {
	s := &Handler{}
	s.Config.setDefaults()
	tests := []struct {
		field        freenahi.ConnectField
		inputMode    string
		autocomplete string
	}{
		{freenahi.ConnectField{Name: "otp", Type: "text", Regex: `^\d{6}$`}, "numeric", "one-time-code"},
		{freenahi.ConnectField{Name: "smscode", Type: "text", Regex: `^[0-9]{4,8}$`}, "numeric", "one-time-code"},
		{freenahi.ConnectField{Name: "code", Type: "text"}, "", "one-time-code"},
		{freenahi.ConnectField{Name: "login", Type: "text", Regex: `^\d+$`}, "numeric", "off"},
		{freenahi.ConnectField{Name: "login", Type: "text", Regex: `^[a-z0-9]+$`}, "", "off"},
		{freenahi.ConnectField{Name: "postalcode", Type: "text", Regex: `^\d{5}$`}, "numeric", "off"},
		{freenahi.ConnectField{Name: "password", Type: "password", Regex: `^\d{6}$`}, "", "off"},
		{freenahi.ConnectField{Name: "amount", Type: "number"}, "decimal", "off"},
	}
	r := httptest.NewRequest("GET", "/", nil)
	for _, tt := range tests {
		got := s.formFields(r, []freenahi.ConnectField{tt.field}, url.Values{}, nil)[0]
		if got.InputMode != tt.inputMode || got.Autocomplete != tt.autocomplete {
			t.Errorf("%s %s %q: inputmode %q autocomplete %q, want %q %q", tt.field.Name, tt.field.Type, tt.field.Regex,
				got.InputMode, got.Autocomplete, tt.inputMode, tt.autocomplete)
		}
	}
}
