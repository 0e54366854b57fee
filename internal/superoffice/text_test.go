package superoffice

import (
	"math"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestTextString(t *testing.T) {
	tests := []struct {
		name string
		in   Text
		want string
	}{
		{"all", Text{US: "Distributor not reachable", NO: "Distributøren svarer ikke", GE: "Distributor nicht erreichbar"},
			`US:"Distributor not reachable";NO:"Distributøren svarer ikke";GE:"Distributor nicht erreichbar"`},
		{"us only", Text{US: "a"}, `US:"a"`},
		{"empty", Text{}, ``},
		{"missing NO", Text{US: "a", GE: "c"}, `US:"a";GE:"c"`},
		{"no US", Text{NO: "b"}, `NO:"b"`},
		{"quotes stripped", Text{US: `say "hi"`, NO: `"x"`, GE: `a"b`}, `US:"say hi";NO:"x";GE:"ab"`},
		{"same", Same("42"), `US:"42";NO:"42";GE:"42"`},
		{"semicolon in text", Text{US: "a; b", NO: "c; d", GE: "e"}, `US:"a; b";NO:"c; d";GE:"e"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.in.String())
		})
	}
}

var layout = regexp.MustCompile(`^[A-Z]{2}:"[^"]*"(;[A-Z]{2}:"[^"]*")*$`)

func TestParseText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Text
	}{
		{"empty", ``, Text{}},
		{"layout", `US:"a";NO:"b";GE:"c"`, Text{US: "a", NO: "b", GE: "c"}},
		{"order free", `GE:"c";US:"a"`, Text{US: "a", GE: "c"}},
		{"spaces around items", ` US:"a" ; NO:"b" `, Text{US: "a", NO: "b"}},
		{"no US falls back to NO", `NO:"b";GE:"c"`, Text{US: "b", NO: "b", GE: "c"}},
		{"no US falls back to GE", `GE:"c"`, Text{US: "c", GE: "c"}},
		{"other languages ignored", `US:"a";FR:"f";SW:"s"`, Text{US: "a"}},
		{"plain text is US", `Just text`, Text{US: "Just text"}},
		{"plain text quotes stripped", `He said "no"`, Text{US: "He said no"}},
		{"broken layout is US", `US:"a";NO:b`, Text{US: `US:a;NO:b`}},
		{"lower-case code is not layout", `us:"a"`, Text{US: `us:a`}},
		{"semicolon inside text", `US:"a; b";NO:"c; d"`, Text{US: "a; b", NO: "c; d"}},
		{"empty items", `US:"";NO:"b"`, Text{US: "b", NO: "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, ParseText(tc.in))
		})
	}
}

func TestTextRoundTrip(t *testing.T) {
	for _, in := range []Text{
		{US: "a", NO: "b", GE: "c"},
		{US: "only"},
		{US: "a; b", NO: "c;d", GE: "e ; f"},
		{US: "x: y", NO: `US:z`, GE: "GE:"},
		{US: "Stock [I:4]; incoming [D:01/31/2024]", NO: "Lager [I:4]", GE: "Bestand [I:4]"},
	} {
		s := in.String()
		assert.Regexp(t, layout, s)
		assert.Equal(t, in, ParseText(s), s)
	}
}

func TestJoinTexts(t *testing.T) {
	tests := []struct {
		name  string
		sep   string
		texts []Text
		want  Text
	}{
		{"none", " ", nil, Text{}},
		{"skips empty", " | ", []Text{{}, {US: "a", NO: "b", GE: "c"}, {}}, Text{US: "a", NO: "b", GE: "c"}},
		{"per language", " | ", []Text{{US: "a", NO: "b", GE: "c"}, {US: "d", NO: "e", GE: "f"}}, Text{US: "a | d", NO: "b | e", GE: "c | f"}},
		{"missing languages fall back to US", ". ", []Text{{US: "a"}, {US: "d", NO: "e"}}, Text{US: "a. d", NO: "a. e", GE: "a. d"}},
		{"US missing uses NO", " ", []Text{{NO: "n"}}, Text{US: "n", NO: "n", GE: ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, JoinTexts(tc.sep, tc.texts...))
		})
	}
}

func TestTextf(t *testing.T) {
	format := Text{US: "%s failed: %s (%d)", NO: "%s feilet: %s (%d)", GE: "%s fehlgeschlagen: %s (%d)"}
	tests := []struct {
		name string
		t    Text
		args []any
		want Text
	}{
		{"plain args", format, []any{"Logicom", "timeout", 3},
			Text{US: "Logicom failed: timeout (3)", NO: "Logicom feilet: timeout (3)", GE: "Logicom fehlgeschlagen: timeout (3)"}},
		{"Text args per language", format, []any{Same("Nuvias"), Text{US: "no stock", NO: "ikke på lager", GE: "nicht auf Lager"}, 1},
			Text{US: "Nuvias failed: no stock (1)", NO: "Nuvias feilet: ikke på lager (1)", GE: "Nuvias fehlgeschlagen: nicht auf Lager (1)"}},
		{"Text arg missing a language uses US", format, []any{Text{US: "W"}, Text{US: "x", GE: "y"}, 2},
			Text{US: "W failed: x (2)", NO: "W feilet: x (2)", GE: "W fehlgeschlagen: y (2)"}},
		{"markers", Text{US: "Stock %s", NO: "Lager %s", GE: "Bestand %s"}, []any{IntMarker(4)},
			Text{US: "Stock [I:4]", NO: "Lager [I:4]", GE: "Bestand [I:4]"}},
		{"format missing a language stays empty", Text{US: "Only %s"}, []any{"x"}, Text{US: "Only x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Textf(tc.t, tc.args...)
			assert.Equal(t, tc.want, got)
			assert.NotContains(t, got.String(), "%!", "no fmt error text")
		})
	}
}

func TestStripMarker(t *testing.T) {
	tests := []struct{ in, want string }{
		{"[I:1]", "1"},
		{" [I:0] ", "0"},
		{"[F:20]", "20"},
		{"[F:-1000.01]", "-1000.01"},
		{"[M:1999.90]", "1999.90"},
		{"[D:01/31/2024]", "01/31/2024"},
		{"[DT:01/31/2024 14:05:00.0000000]", "01/31/2024 14:05:00.0000000"},
		{"[B:iVBORw0KGgo=]", "iVBORw0KGgo="},
		{"[I:]", ""},
		{"plain", "plain"},
		{"  spaced  ", "spaced"},
		{"Weight [F:1.25] kg", "Weight [F:1.25] kg"},
		{"[X:1]", "[X:1]"},
		{"[i:1]", "[i:1]"},
		{"[I:1", "[I:1"},
		{"I:1]", "I:1]"},
		{"[I:1][I:2]", "[I:1][I:2]"},
		{"[I:1] and [F:2]", "[I:1] and [F:2]"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			assert.Equal(t, tc.want, StripMarker(tc.in))
		})
	}
}

func TestMarkerBuilders(t *testing.T) {
	tests := []struct{ got, want string }{
		{IntMarker(42), "[I:42]"},
		{IntMarker(0), "[I:0]"},
		{IntMarker(-3), "[I:-3]"},
		{FloatMarker(12.5), "[F:12.5]"},
		{FloatMarker(20), "[F:20]"},
		{FloatMarker(0.1), "[F:0.1]"},
		{FloatMarker(-1000.01), "[F:-1000.01]"},
		{FloatMarker(1e21), "[F:1000000000000000000000]"},
		{MoneyMarker(1999.9), "[M:1999.90]"},
		{MoneyMarker(0), "[M:0.00]"},
		{MoneyMarker(1.005), "[M:1.00]"},
		{MoneyMarker(-5.5), "[M:-5.50]"},
		{DateMarker(time.Date(2024, 1, 31, 23, 0, 0, 0, time.UTC)), "[D:01/31/2024]"},
		{DateMarker(time.Date(2024, 2, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600))), "[D:01/31/2024]"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.got)
	}
	// Every builder's output is unwrapped again by StripMarker.
	assert.Equal(t, "42", StripMarker(IntMarker(42)))
	assert.Equal(t, "12.5", StripMarker(FloatMarker(12.5)))
	assert.Equal(t, "1999.90", StripMarker(MoneyMarker(1999.9)))
	assert.Equal(t, "01/31/2024", StripMarker(DateMarker(time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC))))
	assert.NotContains(t, FloatMarker(math.Pi), "e")
}
