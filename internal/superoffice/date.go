package superoffice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

var dateType = reflect.TypeFor[Date]()

// Wire forms of .NET's DateTime.MinValue ("not set") and MaxValue ("no end"),
// protocol §1.4.
const (
	UnsetDate   = "0001-01-01T00:00:00"
	OpenEndDate = "9999-12-31T23:59:59.9999999"
)

// Date is a SuperOffice date. A date read from a request is re-emitted byte
// for byte (no zone is added to a zoneless date); a date the service sets is
// emitted as UTC with Z; an unset date is emitted as UnsetDate.
type Date struct {
	t   time.Time
	raw string // as received; cleared when the service sets the date
	// empty marks a date received as "": unset, and re-emitted as "" (byte
	// for byte, protocol §1.4), not as UnsetDate.
	empty bool
}

// NewDate returns a date set by the service.
func NewDate(t time.Time) Date { return Date{t: t.UTC()} }

// Time returns the instant; a zoneless input is read as UTC. Zero when unset.
func (d Date) Time() time.Time { return d.t }

// IsZero reports whether the date is unset (or .NET's MinValue).
func (d Date) IsZero() bool { return d.t.IsZero() || d.t.Year() <= 1 }

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.9999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00", // zoned without seconds: "2024-01-31T10:15Z"
	"2006-01-02T15:04",
	"2006-01-02",
}

// ParseDate reads an ISO 8601 date with or without zone and fraction.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	// The forms SuperOffice sends first, picked by shape: trying the
	// layouts in order costs a failed parse (and its error) per date.
	if l := likelyLayout(s); l != "" {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date", s)
}

// likelyLayout is the layout of dateLayouts a date of this shape would
// parse with: "2006-01-02T15:04:05" (the unset date among them) or a zoned
// date with seconds; "" for the other forms.
func likelyLayout(s string) string {
	if len(s) < 19 || s[10] != 'T' || s[16] != ':' {
		return ""
	}
	if len(s) == 19 {
		return "2006-01-02T15:04:05"
	}
	if last := s[len(s)-1]; last == 'Z' || len(s) >= 25 && (s[len(s)-6] == '+' || s[len(s)-6] == '-') {
		return time.RFC3339Nano
	}
	return ""
}

func (d Date) MarshalJSON() ([]byte, error) {
	if d.raw != "" {
		return json.Marshal(d.raw)
	}
	if d.empty {
		return []byte(`""`), nil
	}
	if d.IsZero() {
		return []byte(`"` + UnsetDate + `"`), nil
	}
	return []byte(`"` + d.t.UTC().Format("2006-01-02T15:04:05Z") + `"`), nil
}

func (d Date) MarshalJSONTo(enc *jsontext.Encoder) error {
	switch {
	case d.raw != "":
		return enc.WriteToken(jsontext.String(d.raw))
	case d.empty:
		return enc.WriteToken(jsontext.String(""))
	case d.IsZero():
		return enc.WriteToken(jsontext.String(UnsetDate))
	}
	var buf [32]byte
	return enc.WriteValue(d.t.UTC().AppendFormat(append(buf[:0], '"'), `2006-01-02T15:04:05Z"`))
}

func (d *Date) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return d.UnmarshalJSON(v)
}

func (d *Date) UnmarshalJSON(b []byte) error {
	*d = Date{}
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	// b is one valid JSON value (both decoders check before calling).
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return invalid(dateType, b)
	}
	s, _ := unquote(b)
	if s == "" {
		d.empty = true
		return nil
	}
	t, err := ParseDate(s)
	if err != nil {
		return invalid(dateType, b)
	}
	d.t, d.raw = t, s
	return nil
}

// OpenEnd is .NET's DateTime.MaxValue, "no end" (protocol §1.4).
func OpenEnd() Date {
	return Date{t: time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC), raw: OpenEndDate}
}
