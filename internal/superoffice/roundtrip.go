package superoffice

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Extra holds the members of a quote, version, alternative or line that the
// service does not model. SuperOffice stores what it gets back, so they are
// re-emitted unchanged (protocol §1.1, Round trip).
type Extra map[string]json.RawMessage

// memberSet is the case-folded JSON member names of a struct type plus
// accepted aliases; names match case-insensitively (protocol §1.1).
type memberSet map[string]struct{}

func membersOf(v any, aliases ...string) memberSet {
	set := memberSet{}
	t := reflect.TypeOf(v)
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			set[foldKey(name)] = struct{}{}
		}
	}
	for _, a := range aliases {
		set[foldKey(a)] = struct{}{}
	}
	return set
}

// foldKey folds a member name the way encoding/json matches names (its
// foldName, equivalent to strings.EqualFold): "ſubTotal" and "SubTotal" are
// the same member, so the first must not also be kept as unknown.
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

// unknownMembers returns the members of the JSON object data that are not in
// known, or nil when there are none.
func unknownMembers(data []byte, known memberSet) (Extra, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	var extra Extra
	for k, v := range all {
		if _, ok := known[foldKey(k)]; ok {
			continue
		}
		if extra == nil {
			extra = Extra{}
		}
		extra[k] = v
	}
	return extra, nil
}

// withExtra appends the extra members (sorted, for stable output) to the
// encoded object obj.
func withExtra(obj []byte, extra Extra) []byte {
	if len(extra) == 0 {
		return obj
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.Grow(len(obj) + 64*len(keys))
	b.Write(obj[:len(obj)-1]) // drop '}'
	empty := bytes.Equal(bytes.TrimSpace(obj), []byte("{}"))
	for i, k := range keys {
		if !empty || i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(k)
		b.Write(name)
		b.WriteByte(':')
		b.Write(extra[k])
	}
	b.WriteByte('}')
	return b.Bytes()
}

func isNull(data []byte) bool { return bytes.Equal(bytes.TrimSpace(data), []byte("null")) }

// decodeKeeping is the decoding half of the round-trip rule, written once
// for QuoteInfo, QuoteVersionInfo, QuoteAlternativeInfo and QuoteLineInfo:
// it decodes data into a fresh P (the carrier's method-less twin, so the
// carrier's own UnmarshalJSON is not called again) and returns it with the
// members known does not name. null gives the zero P. On error nothing is
// returned that the caller should keep.
func decodeKeeping[P any](data []byte, known memberSet) (P, Extra, error) {
	var v P
	if isNull(data) {
		return v, nil, nil
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return v, nil, err
	}
	extra, err := unknownMembers(data, known)
	if err != nil {
		return v, nil, err
	}
	return v, extra, nil
}

// encodeKeeping is the encoding half: v (the method-less twin) encoded,
// with the kept members appended unchanged.
func encodeKeeping[P any](v P, extra Extra) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return withExtra(b, extra), nil
}
