package web

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
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
	Required  bool
	// Pattern is set only for regexes anchored at both ends, where the
	// browser's whole-value match and Powens' search agree.
	Pattern string
	Options []powens.FieldValue
	// Value is shown back after an error; secrets never are.
	Value string
	// Error is a message key about this field.
	Error string
}

// fieldsFor filters a connector's fields as the guide says: those of the
// source being added, none of a source already added, and only those of
// the auth mechanism in use (credentials form, or fields shown before webauth).
func fieldsFor(all []powens.Field, source, mechanism string, added []string) []powens.Field {
	var out []powens.Field
	for _, f := range all {
		if source != "" && len(f.ConnectorSources) > 0 && !slices.Contains(f.ConnectorSources, source) {
			continue
		}
		if slices.ContainsFunc(f.ConnectorSources, func(s string) bool { return slices.Contains(added, s) }) {
			continue
		}
		if mechanism == "webauth" && !slices.Contains(f.AuthMechanisms, "webauth") {
			continue
		}
		if mechanism != "webauth" && len(f.AuthMechanisms) > 0 && !slices.Contains(f.AuthMechanisms, "credentials") {
			continue
		}
		out = append(out, f)
	}
	return out
}

// formFields prepares fields for the template, with values typed before
// (passwords excluded) and errors by field name.
func formFields(fields []powens.Field, typed url.Values, errs map[string]string) []formField {
	out := make([]formField, 0, len(fields))
	for _, f := range fields {
		ff := formField{Name: f.Name, Label: cmpStr(f.Label, f.Name), Required: f.Required, Error: errs[f.Name]}
		if f.Description != nil {
			ff.Description = *f.Description
		}
		switch f.Type {
		case "password":
			ff.Input = "password"
		case "date":
			ff.Input = "date"
		case "list":
			ff.Input, ff.Options = "select", f.Values
		case "number":
			ff.Input, ff.InputMode = "text", "decimal"
		default: // text, and any type Powens adds later
			ff.Input = "text"
		}
		if f.Regex != nil && strings.HasPrefix(*f.Regex, "^") && strings.HasSuffix(*f.Regex, "$") {
			ff.Pattern = *f.Regex
		}
		if ff.Input != "password" {
			ff.Value = typed.Get(fieldPrefix + f.Name)
		}
		out = append(out, ff)
	}
	return out
}

// readFields reads and checks the posted values of fields again on the
// server, whatever the browser checked: required, regex, list values, date
// and number shapes. Errors are message keys by field name.
func readFields(fields []powens.Field, form url.Values) (map[string]string, map[string]string) {
	values, errs := map[string]string{}, map[string]string{}
	for _, f := range fields {
		v := form.Get(fieldPrefix + f.Name)
		if f.Type != "password" {
			v = strings.TrimSpace(v)
		}
		if v == "" {
			if f.Required {
				errs[f.Name] = "form.required"
			}
			continue
		}
		if msg := checkField(f, v); msg != "" {
			errs[f.Name] = msg
			continue
		}
		values[f.Name] = v
	}
	return values, errs
}

func checkField(f powens.Field, v string) string {
	switch f.Type {
	case "list":
		if !slices.ContainsFunc(f.Values, func(o powens.FieldValue) bool { return o.Value == v }) {
			return "form.not_a_choice"
		}
	case "date":
		if _, err := freenahi.ParseDate(v); err != nil {
			return "form.not_a_date"
		}
	case "number":
		if _, err := freenahi.ParseDecimal(strings.Replace(v, ",", ".", 1)); err != nil {
			return "form.not_a_number"
		}
	}
	if f.Regex != nil {
		// Powens writes PCRE; a pattern Go's RE2 cannot compile is left to
		// Powens, which checks every value again anyway.
		if re, err := regexp.Compile(*f.Regex); err == nil && !re.MatchString(v) {
			return "form.bad_format"
		}
	}
	return ""
}

// sourcesByPriority returns a connector's usable sources, lowest priority
// first, skipping disabled ones, as the guide requires.
func sourcesByPriority(c *powens.Connector) []powens.ConnectorSource {
	var out []powens.ConnectorSource
	for _, s := range c.Sources {
		if s.Disabled.IsZero() {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b powens.ConnectorSource) int { return a.Priority - b.Priority })
	return out
}

// nextSource is the first usable source not yet added, or nil.
func nextSource(c *powens.Connector, added []string) *powens.ConnectorSource {
	for _, s := range sourcesByPriority(c) {
		if !slices.Contains(added, s.Name) {
			return &s
		}
	}
	return nil
}

// mechanismOf is the auth mechanism of a source, else of the connector.
func mechanismOf(c *powens.Connector, src *powens.ConnectorSource) string {
	if src != nil && src.AuthMechanism != nil {
		return *src.AuthMechanism
	}
	if c.AuthMechanism != nil {
		return *c.AuthMechanism
	}
	return "credentials"
}

func cmpStr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
