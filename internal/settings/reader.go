package settings

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Reader reads typed values from one connection's ConfigValues the way
// configuration.md says to: keys case-insensitively (SuperOffice may change
// their case), culture markers stripped, empty as unset. A value that cannot
// be read yields the default, one out of range is clamped, and either is
// collected as a Problem (shown in TestConnection, logged per call). The
// general settings and every distributor's own settings are read with one
// Reader, so a call's problems come in one list.
type Reader struct {
	values   map[string]string
	problems []Problem
}

// NewReader reads values (nil reads as empty: every default).
func NewReader(values map[string]string) *Reader { return &Reader{values: values} }

// Problems are the values read so far that could not be used as they are,
// in reading order.
func (r *Reader) Problems() []Problem { return append([]Problem(nil), r.problems...) }

func (r *Reader) report(p Problem) { r.problems = append(r.problems, p) }

// get finds a key case-insensitively (the exact spelling wins over a
// differently cased duplicate) and strips a culture marker.
func (r *Reader) get(key string) (string, bool) {
	v, ok := r.values[key]
	if !ok {
		for k, val := range r.values {
			if strings.EqualFold(k, key) {
				v, ok = val, true
				break
			}
		}
	}
	if !ok {
		return "", false
	}
	v = stripMarker(v)
	return v, v != ""
}

// cultureMarker is one SuperOffice culture marker around a whole value
// ("[I:1]", "[F:20]", "[DT:…]"; protocol §10.3), which configuration.md
// says to strip before reading.
var cultureMarker = regexp.MustCompile(`^\[(DT|D|F|I|M|B):([^\[\]]*)\]$`)

func stripMarker(s string) string {
	s = strings.TrimSpace(s)
	if m := cultureMarker.FindStringSubmatch(s); m != nil {
		return m[2]
	}
	return s
}

// Text is a text setting, def when unset.
func (r *Reader) Text(key, def string) string {
	if v, ok := r.get(key); ok {
		return v
	}
	return def
}

// Secret is a Password-type setting; "" when unset. Its value is never
// judged, so it can never appear in a Problem.
func (r *Reader) Secret(key string) Secret { return Secret(r.Text(key, "")) }

// Bool is a checkbox: 1/0 as SuperOffice sends it, and true/false, yes/no,
// on/off in any case.
func (r *Reader) Bool(key string, def bool) bool {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	r.report(Problem{Key: key, Value: v, Want: "a checkbox value (1/0)"})
	return def
}

// Int reads an integer and clamps it to [lo, hi]; a value too long for an
// int counts as out of range, not unreadable.
func (r *Reader) Int(key string, def, lo, hi int) int {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		r.report(Problem{Key: key, Value: v, Want: "an integer"})
		return def
	}
	return clamp(r, key, v, n, lo, hi)
}

// Float reads a number and clamps it to [lo, hi].
func (r *Reader) Float(key string, def, lo, hi float64) float64 {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	// "Inf" and "NaN" parse without error but would make every price
	// infinite or NaN, which JSON cannot carry (protocol §1.2).
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		r.report(Problem{Key: key, Value: v, Want: "a number"})
		return def
	}
	return clamp(r, key, v, f, lo, hi)
}

func clamp[N int | float64](r *Reader, key, raw string, n, lo, hi N) N {
	used := n
	switch {
	case n < lo:
		used = lo
	case n > hi:
		used = hi
	default:
		return n
	}
	r.report(Problem{Key: key, Value: raw, Want: fmt.Sprintf("between %v and %v", lo, hi), Used: fmt.Sprint(used)})
	return used
}

// Choice is one of allowed, matched in any case and returned as spelled in
// allowed.
func (r *Reader) Choice(key, def string, allowed ...string) string {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	for _, a := range allowed {
		if strings.EqualFold(a, v) {
			return a
		}
	}
	r.report(Problem{Key: key, Value: v, Want: "one of " + strings.Join(allowed, ", ")})
	return def
}

// Codes is a comma list of codes (currencies, languages), upper-cased,
// empty entries dropped; def when it names none.
func (r *Reader) Codes(key string, def []string) []string {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.ToUpper(strings.TrimSpace(p)); p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return def
	}
	return out
}
