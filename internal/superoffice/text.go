package superoffice

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Text is a user-facing text in several languages, emitted in SuperOffice's
// multi-language layout `US:"..";NO:"..";GE:".."` (protocol §1.5). US is
// required; empty languages are left out.
type Text struct {
	US, NO, GE string
}

// String renders the multi-language layout; `"` in a text is removed because
// the layout has no escape.
func (t Text) String() string {
	if t.US == "" && t.NO == "" && t.GE == "" {
		return ""
	}
	var b strings.Builder
	add := func(lang, s string) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		b.WriteString(lang)
		b.WriteString(`:"`)
		b.WriteString(strings.ReplaceAll(s, `"`, ""))
		b.WriteByte('"')
	}
	add("US", t.US)
	add("NO", t.NO)
	add("GE", t.GE)
	return b.String()
}

// Same returns a Text with one text for every language (names, numbers).
func Same(s string) Text { return Text{US: s, NO: s, GE: s} }

// Textf formats each language with the arguments; an argument that is
// itself a Text contributes its text in the same language.
func Textf(t Text, args ...any) Text {
	in := func(lang func(Text) string) []any {
		out := make([]any, len(args))
		for i, a := range args {
			if at, ok := a.(Text); ok {
				out[i] = firstNonEmpty(lang(at), at.US)
			} else {
				out[i] = a
			}
		}
		return out
	}
	// A language the format lacks stays empty (String leaves it out)
	// rather than becoming fmt's "%!(EXTRA ...)".
	sprintf := func(format string, args []any) string {
		if format == "" {
			return ""
		}
		return fmt.Sprintf(format, args...)
	}
	return Text{
		US: sprintf(t.US, in(func(x Text) string { return x.US })),
		NO: sprintf(t.NO, in(func(x Text) string { return x.NO })),
		GE: sprintf(t.GE, in(func(x Text) string { return x.GE })),
	}
}

var (
	// The text of an item cannot hold `"`, so a `;` inside the quotes belongs
	// to the text, not to the layout.
	multiLangLayout = regexp.MustCompile(`^\s*[A-Z]{2}:"[^"]*"\s*(?:;\s*[A-Z]{2}:"[^"]*"\s*)*$`)
	multiLangItem   = regexp.MustCompile(`([A-Z]{2}):"([^"]*)"`)
)

// ParseText reads a multi-language string. A string that is not in the layout
// is taken as US text.
func ParseText(s string) Text {
	if s == "" {
		return Text{}
	}
	if !multiLangLayout.MatchString(s) {
		return Text{US: strings.ReplaceAll(s, `"`, "")}
	}
	var t Text
	for _, m := range multiLangItem.FindAllStringSubmatch(s, -1) {
		switch m[1] {
		case "US":
			t.US = m[2]
		case "NO":
			t.NO = m[2]
		case "GE":
			t.GE = m[2]
		}
	}
	if t.US == "" {
		t.US = firstNonEmpty(t.NO, t.GE)
	}
	return t
}

// JoinTexts joins several texts language by language with sep, skipping
// empty ones; missing languages fall back to US.
func JoinTexts(sep string, texts ...Text) Text {
	var us, no, ge []string
	for _, t := range texts {
		if t.US == "" && t.NO == "" && t.GE == "" {
			continue
		}
		us = append(us, firstNonEmpty(t.US, t.NO, t.GE))
		no = append(no, firstNonEmpty(t.NO, t.US))
		ge = append(ge, firstNonEmpty(t.GE, t.US))
	}
	return Text{US: strings.Join(us, sep), NO: strings.Join(no, sep), GE: strings.Join(ge, sep)}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// Culture markers (protocol §10.3).

var cultureMarker = regexp.MustCompile(`^\[(DT|D|F|I|M|B):([^\[\]]*)\]$`)

// StripMarker unwraps a value that is exactly one culture marker ("[I:1]" →
// "1"); any other value is returned unchanged (trimmed).
func StripMarker(s string) string {
	s = strings.TrimSpace(s)
	if m := cultureMarker.FindStringSubmatch(s); m != nil {
		return m[2]
	}
	return s
}

// IntMarker wraps an integer for display: [I:42].
func IntMarker(n int) string { return "[I:" + strconv.Itoa(n) + "]" }

// FloatMarker wraps a number for display: [F:12.5].
func FloatMarker(f float64) string { return "[F:" + strconv.FormatFloat(f, 'f', -1, 64) + "]" }

// MoneyMarker wraps an amount for display: [M:1999.90].
func MoneyMarker(f float64) string { return "[M:" + strconv.FormatFloat(f, 'f', 2, 64) + "]" }

// DateMarker wraps a day for display: [D:01/31/2024].
func DateMarker(t time.Time) string { return "[D:" + t.UTC().Format("01/02/2006") + "]" }
