package sandbox

import (
	"fmt"
	"strconv"
	"strings"
)

// A YAML reader limited to what Powens' OpenAPI files use: block mappings
// and sequences, plain, quoted, folded (>) and literal (|) scalars, plain
// scalars continued on more-indented lines, [] and {} flow literals, and
// full-line comments. go.mod has no YAML library, and this is test-only.

type yline struct {
	indent int
	text   string
}

type yparser struct {
	lines []yline
	i     int
}

func parseYAML(src string) (any, error) {
	p := &yparser{}
	for _, raw := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		text := strings.TrimSpace(raw)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		p.lines = append(p.lines, yline{indent: len(raw) - len(strings.TrimLeft(raw, " ")), text: text})
	}
	if len(p.lines) == 0 {
		return nil, nil
	}
	v, err := p.node(p.lines[0].indent)
	if err == nil && p.i < len(p.lines) {
		err = fmt.Errorf("line %q: unexpected indentation", p.lines[p.i].text)
	}
	return v, err
}

func isItem(text string) bool { return text == "-" || strings.HasPrefix(text, "- ") }

func (p *yparser) node(indent int) (any, error) {
	if isItem(p.lines[p.i].text) {
		return p.seq(indent)
	}
	return p.mapping(indent)
}

func (p *yparser) mapping(indent int) (any, error) {
	m := map[string]any{}
	for p.i < len(p.lines) && p.lines[p.i].indent == indent && !isItem(p.lines[p.i].text) {
		key, rest, err := splitKey(p.lines[p.i].text)
		if err != nil {
			return nil, err
		}
		p.i++
		if m[key], err = p.value(rest, indent); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (p *yparser) seq(indent int) (any, error) {
	list := []any{}
	for p.i < len(p.lines) && p.lines[p.i].indent == indent && isItem(p.lines[p.i].text) {
		item := strings.TrimSpace(strings.TrimPrefix(p.lines[p.i].text, "-"))
		switch _, _, err := splitKey(item); {
		case item == "":
			p.i++
			if p.i >= len(p.lines) || p.lines[p.i].indent <= indent {
				list = append(list, nil)
				continue
			}
			v, err := p.node(p.lines[p.i].indent)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		case err == nil && !strings.HasPrefix(item, `"`) || strings.HasPrefix(item, `"`) && strings.Contains(item, `":`):
			// "- key: value" opens a mapping indented like its first key.
			inner := indent + len(p.lines[p.i].text) - len(item)
			p.lines[p.i] = yline{indent: inner, text: item}
			v, err := p.mapping(inner)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		default:
			p.i++
			list = append(list, scalar(item))
		}
	}
	return list, nil
}

// value reads what follows "key:" on its line and the lines below it.
func (p *yparser) value(rest string, indent int) (any, error) {
	next := func() (yline, bool) {
		if p.i < len(p.lines) {
			return p.lines[p.i], true
		}
		return yline{}, false
	}
	switch {
	case rest == "":
		l, ok := next()
		if ok && (l.indent > indent || l.indent == indent && isItem(l.text)) {
			return p.node(l.indent)
		}
		return nil, nil
	case rest == "|" || rest == ">" || rest == "|-" || rest == ">-":
		var parts []string
		for l, ok := next(); ok && l.indent > indent; l, ok = next() {
			parts = append(parts, l.text)
			p.i++
		}
		sep := " "
		if rest[0] == '|' {
			sep = "\n"
		}
		return strings.Join(parts, sep), nil
	}
	for strings.HasPrefix(rest, `"`) && !closedQuote(rest) && p.i < len(p.lines) && p.lines[p.i].indent > indent {
		rest += " " + p.lines[p.i].text // a quoted scalar continued on the next line
		p.i++
	}
	v := scalar(rest)
	if s, ok := v.(string); ok && !strings.HasPrefix(rest, `"`) && !strings.HasPrefix(rest, "'") {
		for l, ok := next(); ok && l.indent > indent; l, ok = next() {
			s += " " + l.text // a plain scalar continued on the next lines
			p.i++
		}
		return s, nil
	}
	return v, nil
}

// closedQuote reports whether a double-quoted scalar ends on this text.
func closedQuote(s string) bool {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return true
		}
	}
	return false
}

// splitKey splits "key: rest" (key possibly double-quoted).
func splitKey(text string) (key, rest string, err error) {
	if strings.HasPrefix(text, `"`) {
		end := strings.Index(text[1:], `"`) + 1
		if end <= 0 || !strings.HasPrefix(text[end+1:], ":") {
			return "", "", fmt.Errorf("bad key in %q", text)
		}
		return text[1:end], strings.TrimSpace(text[end+2:]), nil
	}
	if i := strings.Index(text, ": "); i > 0 {
		return text[:i], strings.TrimSpace(text[i+2:]), nil
	}
	if strings.HasSuffix(text, ":") {
		return strings.TrimSuffix(text, ":"), "", nil
	}
	return "", "", fmt.Errorf("no key in %q", text)
}

func scalar(s string) any {
	switch {
	case strings.HasPrefix(s, `"`):
		if v, err := strconv.Unquote(s); err == nil {
			return v
		}
		return strings.Trim(s, `"`)
	case strings.HasPrefix(s, "'"):
		return strings.ReplaceAll(strings.Trim(s, "'"), "''", "'")
	case s == "[]":
		return []any{}
	case s == "{}":
		return map[string]any{}
	case strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]"):
		var out []any
		for _, part := range strings.Split(s[1:len(s)-1], ",") {
			out = append(out, scalar(strings.TrimSpace(part)))
		}
		return out
	case s == "true", s == "false":
		return s == "true"
	case s == "null", s == "~":
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	return s
}
