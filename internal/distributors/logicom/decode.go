package logicom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Logicom's payloads are loose (distributors.md, Logicom → Responses):
// numbers as strings with thousands separators or empty, keys with stray
// spaces and several spellings, blocks that are an object one time and an
// array the next, four date formats. The wire types below decode all of that
// with their own UnmarshalJSON; nothing loose leaves this file.

// normKey folds a key for lookup: trimmed, lower-case, without spaces,
// underscores, dashes or a percent sign (" IsESD " = "isesd",
// "Discount %" = "discount", "PO Delivery Date " = "podeliverydate").
func normKey(k string) string {
	var b strings.Builder
	b.Grow(len(k))
	for _, r := range strings.ToLower(k) {
		switch r {
		case ' ', '_', '-', '%', '\t', '\u00a0':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// field is one member of a JSON object, with its key normalised.
type field struct {
	key string
	raw json.RawMessage
}

// object is a JSON object's members in order, duplicates kept (the seed's
// GetPrice example repeats "VolumePrice" three times in one object).
type object []field

// parseObject reads a JSON object; null or "" gives an empty object. It
// splits the members with a small scanner instead of json.Decoder tokens
// (ten times fewer allocations); the input has passed json.Valid (or
// repairJSON) in decodeEnvelope, and anything unexpected is an error.
func parseObject(b []byte) (object, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" || string(b) == `""` {
		return nil, nil
	}
	if b[0] != '{' {
		return nil, fmt.Errorf("want an object, got %s", kindOfJSON(b))
	}
	o := make(object, 0, 16)
	i := skipWS(b, 1)
	if i < len(b) && b[i] == '}' {
		return o, nil
	}
	for i < len(b) {
		if b[i] != '"' {
			return nil, errors.New("object key expected")
		}
		end := scanString(b, i)
		if end < 0 {
			return nil, errors.New("unterminated key")
		}
		key := rawString(b[i:end])
		i = skipWS(b, end)
		if i >= len(b) || b[i] != ':' {
			return nil, errors.New("colon expected")
		}
		i = skipWS(b, i+1)
		vend := scanValue(b, i)
		if vend < 0 {
			return nil, errors.New("bad value")
		}
		o = append(o, field{normKey(key), json.RawMessage(b[i:vend])})
		i = skipWS(b, vend)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
			continue
		}
		if i < len(b) && b[i] == '}' {
			return o, nil
		}
		return nil, errors.New("comma or } expected")
	}
	return nil, errors.New("unterminated object")
}

// splitArray returns the elements of a JSON array.
func splitArray(b []byte) ([]json.RawMessage, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '[' {
		return nil, errors.New("want an array")
	}
	var out []json.RawMessage
	i := skipWS(b, 1)
	if i < len(b) && b[i] == ']' {
		return out, nil
	}
	for i < len(b) {
		end := scanValue(b, i)
		if end < 0 {
			return nil, errors.New("bad array element")
		}
		out = append(out, json.RawMessage(b[i:end]))
		i = skipWS(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
			continue
		}
		if i < len(b) && b[i] == ']' {
			return out, nil
		}
		return nil, errors.New("comma or ] expected")
	}
	return nil, errors.New("unterminated array")
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString returns the index after the string starting at b[i] ('"'),
// or -1.
func scanString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// scanValue returns the index after the value starting at b[i], or -1.
func scanValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return scanString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e := scanString(b, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && !strings.ContainsRune(",}] \t\r\n", rune(b[j])) {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// decodeInto calls v's own UnmarshalJSON directly when it has one (the
// input is already known to be valid JSON), else json.Unmarshal.
func decodeInto(raw json.RawMessage, v any) error {
	if u, ok := v.(json.Unmarshaler); ok {
		return u.UnmarshalJSON(raw)
	}
	return json.Unmarshal(raw, v)
}

func kindOfJSON(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case '{':
		return "an object"
	}
	return "a scalar"
}

// get returns the first member under any of the keys (given normalised).
func (o object) get(keys ...string) json.RawMessage {
	for _, k := range keys {
		for _, f := range o {
			if f.key == k {
				return f.raw
			}
		}
	}
	return nil
}

// all returns every member under the key (duplicates included).
func (o object) all(key string) []json.RawMessage {
	var out []json.RawMessage
	for _, f := range o {
		if f.key == key {
			out = append(out, f.raw)
		}
	}
	return out
}

func (o object) str(keys ...string) string {
	return strings.TrimSpace(rawString(o.get(keys...)))
}

func (o object) num(keys ...string) float64 {
	f, _ := parseNumber(rawString(o.get(keys...)))
	return f
}

// has reports whether any of the keys is present with a non-empty value.
func (o object) has(keys ...string) bool {
	return strings.TrimSpace(rawString(o.get(keys...))) != ""
}

func (o object) flag(keys ...string) bool { return parseFlag(rawString(o.get(keys...))) }

func (o object) date(keys ...string) time.Time {
	t, _ := parseDate(rawString(o.get(keys...)))
	return t
}

// decode unmarshals the member under the keys into v; absent is no error.
func (o object) decode(v any, keys ...string) error {
	raw := o.get(keys...)
	if isEmptyJSON(raw) {
		return nil
	}
	return decodeInto(raw, v)
}

func isEmptyJSON(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s == "" || s == "null" || s == `""`
}

// rawString is the text of a JSON scalar: a string's content, a number's or
// boolean's literal; "" for null, objects and arrays.
func rawString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		if len(raw) >= 2 && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 {
			return string(raw[1 : len(raw)-1])
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	case '{', '[', 'n':
		return ""
	}
	return string(raw)
}

// parseNumber reads "1,001.01", "600.00", " 19 ", "" (0) and "1.001,01"
// (a comma as the decimal mark when it is the last separator and followed by
// one or two digits only).
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, "%")
	s = strings.ReplaceAll(s, " ", "")
	s = strings.ReplaceAll(s, "\u00a0", "")
	if s == "" {
		return 0, nil
	}
	lastComma, lastDot := strings.LastIndexByte(s, ','), strings.LastIndexByte(s, '.')
	if lastComma > lastDot {
		tail := s[lastComma+1:]
		if lastDot >= 0 || (len(tail) > 0 && len(tail) <= 2) {
			// decimal comma: "1.001,01" or "12,5"
			s = strings.ReplaceAll(s[:lastComma], ".", "") + "." + tail
		}
	}
	s = strings.ReplaceAll(s, ",", "")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	return f, nil
}

func parseFlag(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "y":
		return true
	}
	return false
}

// dateLayouts are the formats the seed uses (distributors.md → Responses).
var dateLayouts = []string{
	"02-01-2006",
	"02-01-2006 15:04:05",
	"2006-01-02",
	"02-01-2006T15:04:05",
	"2006-01-02T15:04:05",
	time.RFC3339,
	"2006-01-02 15:04:05",
}

// parseDate reads a date in UTC; "" is the zero time without error.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %q", s)
}

// number is a float that may arrive as a JSON number or a loose string.
type number float64

func (n *number) UnmarshalJSON(b []byte) error {
	f, err := parseNumber(rawString(b))
	if err != nil {
		return err
	}
	*n = number(f)
	return nil
}

// date is a time that may arrive in any of Logicom's date formats.
type date struct{ time.Time }

func (d *date) UnmarshalJSON(b []byte) error {
	t, err := parseDate(rawString(b))
	if err != nil {
		return err
	}
	d.Time = t
	return nil
}

// oneOrMany decodes a value that is an object one time and an array of them
// the next (VolumePrice, PO, Address).
type oneOrMany[T any] []T

func (m *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if isEmptyJSON(b) {
		*m = nil
		return nil
	}
	if b[0] == '[' {
		raws, err := splitArray(b)
		if err != nil {
			return err
		}
		out := make([]T, 0, len(raws))
		for _, r := range raws {
			if isEmptyJSON(r) {
				continue
			}
			var v T
			if err := decodeInto(r, &v); err != nil {
				return err
			}
			out = append(out, v)
		}
		*m = out
		return nil
	}
	var v T
	if err := decodeInto(b, &v); err != nil {
		return err
	}
	*m = oneOrMany[T]{v}
	return nil
}

// many collects every member under key (repeated keys included), each an
// object or an array of them.
func many[T any](o object, keys ...string) ([]T, error) {
	var out []T
	for _, k := range keys {
		for _, raw := range o.all(k) {
			var m oneOrMany[T]
			if err := m.UnmarshalJSON(raw); err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out = append(out, m...)
		}
	}
	return out, nil
}

// envelope is Logicom's answer frame {"StatusCode","Status","Message"}.
type envelope struct {
	StatusCode int
	Status     string
	Message    json.RawMessage
	NextItemNo string // GetProducts paging
}

func (e *envelope) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	if o.get("statuscode") == nil && o.get("status") == nil {
		return errors.New("no StatusCode in answer")
	}
	e.StatusCode = int(o.num("statuscode"))
	e.Status = o.str("status")
	e.Message = o.get("message")
	e.NextItemNo = o.str("nextitemno")
	return nil
}

// ok reports whether the envelope says success.
func (e *envelope) ok() bool {
	return e.StatusCode == 1 && strings.EqualFold(strings.TrimSpace(e.Status), "OK")
}

// text is the Message as text, for errors.
func (e *envelope) text() string {
	if s := strings.TrimSpace(rawString(e.Message)); s != "" {
		return s
	}
	if o, err := parseObject(e.Message); err == nil {
		if s := o.str("message", "error", "description"); s != "" {
			return s
		}
	}
	return ""
}

// decodeEnvelope parses an answer body, repairing loose JSON first. A
// body cut off before its end is an error.
func decodeEnvelope(body []byte) (*envelope, error) { return decodeEnvelopeMode(body, false) }

// decodeEnvelopeMode is decodeEnvelope; allowTruncated accepts a document
// cut off early (only the seed's documentation examples are).
func decodeEnvelopeMode(body []byte, allowTruncated bool) (*envelope, error) {
	body = bytes.TrimSpace(body)
	if !json.Valid(body) {
		if len(body) == 0 || (body[0] != '{' && body[0] != '[') {
			return nil, errors.New("answer is not JSON")
		}
		fixed, complete := repairJSON(body)
		if !complete && !allowTruncated {
			return nil, errors.New("answer is cut off")
		}
		body = fixed
	}
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

// list decodes a Message that should be an array of T; a single object is
// a one-element list, null or "" an empty one.
func list[T any](raw json.RawMessage) ([]T, error) {
	var m oneOrMany[T]
	if err := m.UnmarshalJSON(orNull(raw)); err != nil {
		return nil, err
	}
	return m, nil
}

func orNull(raw json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(raw)) == 0 {
		return json.RawMessage("null")
	}
	raw = bytes.TrimSpace(raw)
	if raw[0] == '"' { // a bare string where a list was expected: empty
		return json.RawMessage("null")
	}
	return raw
}
