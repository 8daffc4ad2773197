package ui

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/freenahi/freenahi"
)

// Connector forms are built from Powens' field descriptions. Inputs are
// named "f.<field>" so a connector field can never collide with the form's
// own csrf or action inputs.

const fieldPrefix = "f."

// formField is one input of a connector form, ready for the template.
type formField struct {
	Name, Label, Description string
	// Input is the HTML control: text, password, date, select.
	Input string
	// InputMode hints a phone keyboard (numeric fields).
	InputMode string
	// Autocomplete is "one-time-code" for a code the bank just sent, so a
	// phone offers it from the SMS; "off" otherwise.
	Autocomplete string
	Required     bool
	// Pattern is set only for regexes anchored at both ends, where the
	// browser's whole-value match and Powens' search agree.
	Pattern string
	Options []freenahi.FieldChoice
	// Value is shown back after an error; secrets never are.
	Value string
	// Error is what is wrong with the value, in the page's language.
	Error string
}

// formFields prepares fields for the template, with values typed before
// (passwords excluded) and errors by field name.
func (s *Handler) formFields(r *http.Request, fields []freenahi.ConnectField, typed url.Values, errs map[string]error) []formField {
	l := s.localeOf(r)
	out := make([]formField, 0, len(fields))
	for _, f := range fields {
		ff := formField{Name: f.Name, Label: f.Label, Description: f.Description, Required: f.Required}
		if err := errs[f.Name]; err != nil {
			ff.Error = l.Err(err)
		}
		switch f.Type {
		case "password":
			ff.Input = "password"
		case "date":
			ff.Input = "date"
		case "list":
			ff.Input, ff.Options = "select", f.Choices
		case "number":
			ff.Input, ff.InputMode = "text", "decimal"
		default: // text, and any type Powens adds later
			ff.Input = "text"
		}
		if strings.HasPrefix(f.Regex, "^") && strings.HasSuffix(f.Regex, "$") {
			ff.Pattern = f.Regex
		}
		if ff.Input == "text" && digitsOnly.MatchString(f.Regex) {
			ff.InputMode = "numeric"
		}
		ff.Autocomplete = "off"
		if ff.Input == "text" && oneTimeCode(f.Name) {
			ff.Autocomplete = "one-time-code"
		}
		if ff.Input != "password" {
			ff.Value = typed.Get(fieldPrefix + f.Name)
		}
		out = append(out, ff)
	}
	return out
}

// digitsOnly matches the regexes of fields that take digits only
// (^\d{6}$, ^[0-9]{4,8}$): a phone shows its number pad for them.
var digitsOnly = regexp.MustCompile(`^\^(\\d|\[0-9\])(\{\d+(,\d*)?\}|\+|\*)?\$$`)

// oneTimeCode reports whether a field is a code the bank sends (Powens
// names it otp, code, sms or similar), which phones offer to fill in.
func oneTimeCode(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "otp") || n == "code" || n == "sms" || strings.HasSuffix(n, "code") && !strings.Contains(n, "postal") && !strings.Contains(n, "zip")
}

// postedFields reads the connector fields of a posted form by field name.
func postedFields(form url.Values) map[string]string {
	out := map[string]string{}
	for k, v := range form {
		if name, ok := strings.CutPrefix(k, fieldPrefix); ok && len(v) > 0 {
			out[name] = v[0]
		}
	}
	return out
}
