package superoffice

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// The protocol's JSON rules (§1.1) run on JSON v2 (go-json-experiment):
// typed decoding without encoding/json's buffering and re-validation at
// every custom unmarshaler, unknown members captured by the decoder itself
// (`json:",embed"`), and members nobody reads skipped without building
// values. The options make v2 read and write exactly what encoding/json did,
// so nothing on the wire changes.

// decodeOptions: names match case-insensitively the way encoding/json
// matches them (Unicode simple folding; '_' and '-' are significant, unlike
// v2's default), a repeated name is allowed (the last one wins), and invalid
// UTF-8 is replaced by U+FFFD rather than rejected.
var decodeOptions = jsonv2.JoinOptions(
	jsonv2.MatchCaseInsensitiveNames(true),
	jsonv1.MatchCaseSensitiveDelimiter(true),
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

// encodeOptions: encoding/json's output byte for byte: nil slices and maps
// as null, map members sorted, <, >, & and U+2028/U+2029 escaped, kept raw
// members copied as they came (only those escapes applied, as
// encoding/json's compaction of MarshalJSON output did). Names are not
// checked for duplicates (AddressInfo's twins are distinct names anyway).
var encodeOptions = jsonv2.JoinOptions(
	jsonv2.FormatNilSliceAsNull(true),
	jsonv2.FormatNilMapAsNull(true),
	jsonv2.Deterministic(true),
	jsontext.EscapeForHTML(true),
	jsontext.EscapeForJS(true),
	jsontext.PreserveRawStrings(true),
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

// ErrTrailingData is returned by Unmarshal for anything but white space
// after the JSON value.
var ErrTrailingData = errors.New("unexpected data after the JSON value")

// Unmarshal decodes the JSON value data into v (a pointer) by the
// protocol's rules. It is the one way request bodies are decoded. Errors
// have encoding/json's types, so they are worded as they always were:
// *json.SyntaxError (or io.ErrUnexpectedEOF) for malformed JSON, with
// encoding/json's own message and offset; ErrTrailingData; and
// *json.UnmarshalTypeError for a value of the wrong JSON kind or one this
// package's types reject (see InvalidValue), its Field the member's path
// from the top as encoding/json writes it ("QuoteLine.Status": the Go
// names, no array positions or map keys).
func Unmarshal(data []byte, v any) error {
	err := jsonv2.Unmarshal(data, v, decodeOptions)
	if err == nil {
		return nil
	}
	// The error path only: check the syntax again with encoding/json, which
	// validated the whole value before decoding any of it, so malformed
	// JSON anywhere is reported ahead of a wrong type before it, as ever.
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage
	if serr := dec.Decode(&raw); serr != nil {
		return serr
	}
	if te := legacyTypeError(reflect.TypeOf(v), err); te != nil {
		return te
	}
	if _, terr := dec.Token(); terr != io.EOF {
		return ErrTrailingData
	}
	return err
}

// Marshal encodes v as encoding/json would (see encodeOptions), through the
// carriers' MarshalJSONTo methods.
func Marshal(v any) ([]byte, error) {
	return jsonv2.Marshal(v, encodeOptions)
}

// MarshalWrite is Marshal into w.
func MarshalWrite(w io.Writer, v any) error {
	return jsonv2.MarshalWrite(w, v, encodeOptions)
}

// unmarshalV1 is the body of the UnmarshalJSON methods kept for callers of
// encoding/json (tests, tools): the same v2 decoding, its errors as
// *json.UnmarshalTypeError with the path relative to v, which encoding/json
// completes with the path to v.
func unmarshalV1(data []byte, v any) error {
	err := jsonv2.Unmarshal(data, v, decodeOptions)
	if err == nil {
		return nil
	}
	if te := legacyTypeError(reflect.TypeOf(v), err); te != nil {
		return te
	}
	return err
}

// marshalV1 is the body of the MarshalJSON methods kept for encoding/json.
// It leaves the HTML and JavaScript escapes to encoding/json, which applies
// them to whatever MarshalJSON returns (kept members included), so a direct
// call shows the kept members exactly as they came.
func marshalV1(v any) ([]byte, error) { return jsonv2.Marshal(v, marshalV1Options) }

var marshalV1Options = jsonv2.JoinOptions(encodeOptions, jsontext.EscapeForHTML(false), jsontext.EscapeForJS(false))

// legacyTypeError turns a v2 semantic error into the *json.UnmarshalTypeError
// encoding/json would have reported; nil for any other error. root is the
// type decoding started from.
func legacyTypeError(root reflect.Type, err error) *json.UnmarshalTypeError {
	var serr *jsonv2.SemanticError
	if !errors.As(err, &serr) {
		return nil
	}
	te := &json.UnmarshalTypeError{Field: memberPath(root, serr.JSONPointer), Offset: serr.ByteOffset}
	var inner *json.UnmarshalTypeError
	if errors.As(serr.Err, &inner) {
		// A value this package rejects (invalid), or a wrong kind one of
		// its decoders noticed itself.
		te.Value, te.Type = inner.Value, inner.Type
		return te
	}
	if serr.GoType == nil {
		return nil
	}
	te.Type = serr.GoType
	te.Value = kindName(serr.JSONKind)
	switch serr.GoType.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		if serr.JSONKind == '0' && len(serr.JSONValue) > 0 {
			te.Value = "number " + string(serr.JSONValue) // a fraction for an int, out of range
		}
	}
	return te
}

// openObject reads the '{' that opens a value of type t, for the
// hand-written decoders. A JSON null is read and reported as null (nothing
// to fill); any other kind is encoding/json's type error.
func openObject(dec *jsontext.Decoder, t reflect.Type) (null bool, err error) {
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		return true, err
	case '{':
		_, err := dec.ReadToken()
		return false, err
	}
	v, err := dec.ReadValue()
	if err != nil {
		return false, err
	}
	return false, &json.UnmarshalTypeError{Value: kindName(v.Kind()), Type: t}
}

// kindName names a JSON kind the way encoding/json's UnmarshalTypeError does.
func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}

// memberPath is encoding/json's name for the member ptr points to inside a
// value of type t: the Go members' JSON names joined by dots, whatever case
// the body used, without array positions or map keys. A name t does not
// model (an alias such as FieldType) is given as sent.
func memberPath(t reflect.Type, ptr jsontext.Pointer) string {
	var parts []string
	typed := t != nil
	for tok := range ptr.Tokens() {
		for typed && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if typed {
			switch t.Kind() {
			case reflect.Struct:
				if name, ft, ok := fieldNamed(t, tok); ok {
					parts = append(parts, name)
					t = ft
					continue
				}
			case reflect.Slice, reflect.Array, reflect.Map:
				t = t.Elem()
				continue
			}
			typed = false
		}
		if !isIndex(tok) {
			parts = append(parts, tok)
		}
	}
	return strings.Join(parts, ".")
}

func isIndex(tok string) bool {
	if tok == "" {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < '0' || tok[i] > '9' {
			return false
		}
	}
	return true
}

// fieldNamed finds the member of struct type t that the JSON name matches
// (exactly, else case-insensitively), looking into embedded structs.
func fieldNamed(t reflect.Type, name string) (string, reflect.Type, bool) {
	var foldName string
	var foldType reflect.Type
	found := false
	var visit func(t reflect.Type) bool
	visit = func(t reflect.Type) bool {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == "-" {
				continue
			}
			if f.Anonymous && tag == "" {
				et := f.Type
				if et.Kind() == reflect.Pointer {
					et = et.Elem()
				}
				if et.Kind() == reflect.Struct && visit(et) {
					return true
				}
				continue
			}
			if !f.IsExported() {
				continue
			}
			n := tag
			if n == "" {
				n = f.Name
			}
			if n == name {
				foldName, foldType, found = n, f.Type, true
				return true
			}
			if !found && foldKey(n) == foldKey(name) {
				foldName, foldType, found = n, f.Type, true
			}
		}
		return false
	}
	visit(t)
	return foldName, foldType, found
}

// asciiEqualFold reports whether the name b equals lower, a lower-case ASCII
// word, ignoring ASCII case only (strings.ToLower's view of these names).
func asciiEqualFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// matchName returns the index of the member name (a quoted JSON string as
// read) in names, matched as encoding/json matches names (exactly, else
// case-insensitively with Unicode folding); -1 when none matches. Plain
// ASCII names, nearly all, are compared without decoding or allocating.
func matchName(quoted []byte, names []string) int {
	inner := quoted[1 : len(quoted)-1]
	plain := bytes.IndexByte(inner, '\\') < 0
	for _, c := range inner {
		if c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		for i, n := range names {
			if string(inner) == n {
				return i
			}
		}
		for i, n := range names {
			if len(inner) == len(n) && asciiFoldEqual(inner, n) {
				return i
			}
		}
		return -1
	}
	name, _ := unquote(quoted)
	for i, n := range names {
		if name == n {
			return i
		}
	}
	folded := foldKey(name)
	for i, n := range names {
		if foldKey(n) == folded {
			return i
		}
	}
	return -1
}

// asciiFoldEqual compares ASCII b and s ignoring ASCII case.
func asciiFoldEqual(b []byte, s string) bool {
	for i := 0; i < len(b); i++ {
		x, y := b[i], s[i]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if 'a' <= y && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// readString reads a JSON string (or null, which is "") at dec; any other
// kind is a wrong-kind error of the member just read.
func readString(dec *jsontext.Decoder) (string, error) {
	v, err := dec.ReadValue()
	if err != nil {
		return "", err
	}
	switch v.Kind() {
	case 'n':
		return "", nil
	case '"':
		return unquote(v)
	}
	return "", &jsonv2.SemanticError{JSONPointer: dec.StackPointer(), Err: &json.UnmarshalTypeError{Value: kindName(v.Kind()), Type: reflect.TypeFor[string]()}}
}

// unquote decodes a JSON string value the decoder has already read (so it
// is valid), without the escape decoder when there is nothing to decode.
// Invalid UTF-8 becomes U+FFFD, as encoding/json did.
func unquote(v []byte) (string, error) {
	inner := v[1 : len(v)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner), nil
	}
	b, _ := jsontext.AppendUnquote(nil, v) // its only possible error: invalid UTF-8, replaced
	return string(b), nil
}

// foldKey folds a member name the way encoding/json matches names (its
// foldName, equivalent to strings.EqualFold): "ſubTotal" and "SubTotal" are
// the same member.
func foldKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			continue
		}
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				r = r2
				break
			}
			r = r2
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isNull(data []byte) bool { return bytes.Equal(bytes.TrimSpace(data), []byte("null")) }
