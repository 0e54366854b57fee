package walkthrough_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// A pattern is an answer as the README shows it: JSON in which `...` stands
// for what was left out. In an object it allows members not shown (an
// object always may have more); in a list it stands for items left out
// there; inside a string for the rest of the text. Everything shown must be
// in the real answer exactly: numbers are compared as printed, so a rounded
// number the service never prints does not match.
type pattern struct {
	kind    byte // '{', '[', '"', '0' (number), 'l' (true/false/null), '.' (ellipsis)
	members []member
	items   []*pattern
	text    string // string value, number or literal as written
}

type member struct {
	key string
	val *pattern
}

type patternParser struct {
	s   string
	pos int
}

func parsePattern(s string) (*pattern, error) {
	ps, err := parsePatterns(s)
	if err != nil {
		return nil, err
	}
	if len(ps) != 1 {
		return nil, fmt.Errorf("%d values shown, one expected", len(ps))
	}
	return ps[0], nil
}

// parsePatterns reads the answers of a block whose commands print several.
func parsePatterns(s string) ([]*pattern, error) {
	p := &patternParser{s: s}
	var out []*pattern
	for {
		p.space()
		if p.pos == len(p.s) {
			return out, nil
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

func (p *patternParser) space() {
	for p.pos < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[p.pos])) {
		p.pos++
	}
}

func (p *patternParser) value() (*pattern, error) {
	p.space()
	switch {
	case p.pos >= len(p.s):
		return nil, fmt.Errorf("pattern ends early")
	case strings.HasPrefix(p.s[p.pos:], "..."):
		p.pos += 3
		return &pattern{kind: '.'}, nil
	case p.s[p.pos] == '{':
		return p.object()
	case p.s[p.pos] == '[':
		return p.list()
	case p.s[p.pos] == '"':
		s, err := p.str()
		return &pattern{kind: '"', text: s}, err
	}
	start := p.pos
	for p.pos < len(p.s) && !strings.ContainsRune(",]} \t\r\n", rune(p.s[p.pos])) {
		p.pos++
	}
	lit := p.s[start:p.pos]
	switch lit {
	case "true", "false", "null":
		return &pattern{kind: 'l', text: lit}, nil
	}
	if !json.Valid([]byte(lit)) {
		return nil, fmt.Errorf("bad value %q at %d", lit, start)
	}
	return &pattern{kind: '0', text: lit}, nil
}

func (p *patternParser) str() (string, error) {
	start := p.pos
	for p.pos++; p.pos < len(p.s); p.pos++ {
		switch p.s[p.pos] {
		case '\\':
			p.pos++
		case '"':
			p.pos++
			var s string
			err := json.Unmarshal([]byte(p.s[start:p.pos]), &s)
			return s, err
		}
	}
	return "", fmt.Errorf("unterminated string at %d", start)
}

func (p *patternParser) object() (*pattern, error) {
	p.pos++ // {
	out := &pattern{kind: '{'}
	for {
		p.space()
		if p.pos < len(p.s) && p.s[p.pos] == '}' {
			p.pos++
			return out, nil
		}
		if strings.HasPrefix(p.s[p.pos:], "...") {
			p.pos += 3
		} else {
			key, err := p.str()
			if err != nil {
				return nil, err
			}
			p.space()
			if p.pos >= len(p.s) || p.s[p.pos] != ':' {
				return nil, fmt.Errorf("':' expected after %q", key)
			}
			p.pos++
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			out.members = append(out.members, member{key, v})
		}
		p.space()
		if p.pos < len(p.s) && p.s[p.pos] == ',' {
			p.pos++
		}
	}
}

func (p *patternParser) list() (*pattern, error) {
	p.pos++ // [
	out := &pattern{kind: '['}
	for {
		p.space()
		if p.pos < len(p.s) && p.s[p.pos] == ']' {
			p.pos++
			return out, nil
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out.items = append(out.items, v)
		p.space()
		if p.pos < len(p.s) && p.s[p.pos] == ',' {
			p.pos++
		}
	}
}

// decodeAnswer reads an answer keeping numbers as printed.
func decodeAnswer(b []byte) (any, error) {
	vs, err := decodeAnswers(b)
	if err != nil {
		return nil, err
	}
	if len(vs) != 1 {
		return nil, fmt.Errorf("%d values printed, one expected", len(vs))
	}
	return vs[0], nil
}

// decodeAnswers reads what several commands printed, one value after the
// other.
func decodeAnswers(b []byte) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out []any
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

// match reports why actual does not have what p shows ("" when it does).
func (p *pattern) match(actual any, at string) string {
	switch p.kind {
	case '.':
		return ""
	case '{':
		obj, ok := actual.(map[string]any)
		if !ok {
			return at + ": an object is shown"
		}
		for _, m := range p.members {
			v, ok := obj[m.key]
			if !ok {
				return at + "." + m.key + ": not in the answer"
			}
			if why := m.val.match(v, at+"."+m.key); why != "" {
				return why
			}
		}
		return ""
	case '[':
		list, ok := actual.([]any)
		if !ok {
			return at + ": a list is shown"
		}
		if matchItems(p.items, list, at) {
			return ""
		}
		// Without an ellipsis the items pair up: name the first that differs.
		if len(p.items) == len(list) && !slices.ContainsFunc(p.items, func(i *pattern) bool { return i.kind == '.' }) {
			for i, item := range p.items {
				if why := item.match(list[i], fmt.Sprintf("%s[%d]", at, i)); why != "" {
					return why
				}
			}
		}
		return fmt.Sprintf("%s: the items shown are not in the answer's %d items in that order", at, len(list))
	case '"':
		s, ok := actual.(string)
		if !ok {
			return at + ": a string is shown"
		}
		if !globMatch(p.text, s) {
			return fmt.Sprintf("%s: %q is shown, the answer has %q", at, p.text, s)
		}
		return ""
	case '0':
		n, ok := actual.(json.Number)
		if !ok || n.String() != p.text {
			return fmt.Sprintf("%s: %s is shown, the answer has %v", at, p.text, actual)
		}
		return ""
	}
	if fmt.Sprint(actual) != p.text && !(actual == nil && p.text == "null") {
		return fmt.Sprintf("%s: %s is shown, the answer has %v", at, p.text, actual)
	}
	return ""
}

// matchItems matches shown items against the answer's: in order, an
// ellipsis standing for any number of items.
func matchItems(ps []*pattern, list []any, at string) bool {
	if len(ps) == 0 {
		return len(list) == 0
	}
	if ps[0].kind == '.' {
		for skip := 0; skip <= len(list); skip++ {
			if matchItems(ps[1:], list[skip:], at) {
				return true
			}
		}
		return false
	}
	return len(list) > 0 && ps[0].match(list[0], at) == "" && matchItems(ps[1:], list[1:], at)
}

// globMatch: "..." in a shown string stands for any text.
func globMatch(shown, s string) bool {
	parts := strings.Split(shown, "...")
	if len(parts) == 1 {
		return shown == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, part := range parts[1 : len(parts)-1] {
		i := strings.Index(s, part)
		if i < 0 {
			return false
		}
		s = s[i+len(part):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

func TestPatternMatch(t *testing.T) {
	answer := []byte(`[{"A":190.73250000000002,"B":"US:\"x\";NO:\"y\"","C":[1,2,3],"D":null,"E":true},{"A":2}]`)
	got, err := decodeAnswer(answer)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		shown string
		ok    bool
	}{
		{`[{"A":190.73250000000002, ...}, ...]`, true},
		{`[{"A":190.7325, ...}, ...]`, false}, // a rounded number the service never prints
		{`[{"A":1.9073250000000002e2}, ...]`, false},
		{`[..., {"A":2}]`, true},
		{`[{"A":2}, ...]`, false},
		{`[{"B":"US:\"x\";..."}, ...]`, true},
		{`[{"B":"US:\"z\";..."}, ...]`, false},
		{`[{"C":[1, ...]}, ...]`, true},
		{`[{"C":[..., 3]}, ...]`, true},
		{`[{"C":[1, 3]}, ...]`, false},
		{`[{"C":[1, ..., 3]}, ...]`, true},
		{`[{"D":null,"E":true}, ...]`, true},
		{`[{"D":false}, ...]`, false},
		{`[{"F":1}, ...]`, false},
		{`[{...}, {...}]`, true},
		{`[{...}]`, false},
	}
	for _, c := range cases {
		p, err := parsePattern(c.shown)
		if err != nil {
			t.Fatalf("%s: %v", c.shown, err)
		}
		if why := p.match(got, "answer"); (why == "") != c.ok {
			t.Errorf("%s: matched=%v, want %v (%s)", c.shown, why == "", c.ok, why)
		}
	}
	if _, err := parsePattern(`{"A":}`); err == nil {
		t.Error("a broken pattern must not parse")
	}
}
