package superoffice

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"unicode/utf8"
)

// invalid is the decoding error for a value of the right JSON kind that a
// SuperOffice type does not accept: an enum name or integer outside the
// enum, a date that is not ISO 8601. It is a *json.UnmarshalTypeError
// because that is the one error encoding/json completes with the member's
// path ("QuoteLine.Status"), through nested carriers too; Value holds the
// offending JSON text and Type the Go type, from which InvalidValue words
// the reason.
func invalid(goType reflect.Type, data []byte) error {
	return &json.UnmarshalTypeError{Value: shorten(string(bytes.TrimSpace(data)), 60), Type: goType}
}

// valueTypes maps the Go types whose decoding errors come from invalid to
// what a valid value is.
var valueTypes = func() map[reflect.Type]string {
	m := map[reflect.Type]string{reflect.TypeFor[Date](): "an ISO 8601 date"}
	for _, t := range enumTables {
		m[t.goType] = "a valid " + t.typeName
	}
	return m
}()

// InvalidValue reports whether err rejects a value of one of this package's
// types (an enum, a date), and returns the member's path as encoding/json
// completed it ("QuoteLine.Status", "" for the top level) and the reason,
// e.g. "7 is not a valid QuoteStatus".
func InvalidValue(err error) (member, reason string, ok bool) {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) || te.Type == nil {
		return "", "", false
	}
	what, found := valueTypes[te.Type]
	if !found {
		return "", "", false
	}
	return te.Field, te.Value + " is not " + what, true
}

// shorten cuts s to at most n bytes on a rune boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
