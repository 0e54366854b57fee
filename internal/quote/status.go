package quote

import (
	"strconv"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// Statused are the carriers with a Status and a multi-language Reason
// (§10.1): lines, alternatives and versions.
type Statused interface {
	superoffice.QuoteLineInfo | superoffice.QuoteAlternativeInfo | superoffice.QuoteVersionInfo
}

// fields returns pointers to x's Status and Reason.
func fields[T Statused](x *T) (*superoffice.QuoteStatus, *string) {
	switch v := any(x).(type) {
	case *superoffice.QuoteLineInfo:
		return &v.Status, &v.Reason
	case *superoffice.QuoteAlternativeInfo:
		return &v.Status, &v.Reason
	case *superoffice.QuoteVersionInfo:
		return &v.Status, &v.Reason
	}
	panic("unreachable") // the type set above is closed
}

// ResetStatus sets Status to Ok and Reason to "" before an object is
// validated again, so stale warnings do not survive (§10.1 Reset). Nil is
// ignored.
func ResetStatus[T Statused](x *T) {
	if x == nil {
		return
	}
	s, r := fields(x)
	*s, *r = superoffice.StatusOk, ""
}

// ResetAlternative resets the alternative and all its lines.
func ResetAlternative(a *superoffice.QuoteAlternativeWithLinesInfo) {
	if a == nil {
		return
	}
	ResetStatus(a.CRMAlternative)
	for _, l := range a.CRMQuoteLines {
		ResetStatus(l)
	}
}

// AddProblem raises x's Status to s (it never lowers it) and appends reason
// to its Reason, language by language. Use it after ResetStatus so that
// several checks can each report on the same object.
func AddProblem[T Statused](x *T, s superoffice.QuoteStatus, reason superoffice.Text) {
	if x == nil {
		return
	}
	st, r := fields(x)
	*st = st.Worst(s)
	*r = superoffice.JoinTexts(reasonSep, superoffice.ParseText(*r), reason).String()
}

// reasonSep joins reasons. Not ";": it separates the languages of the
// multi-language layout (§1.5).
const reasonSep = " | "

// maxRolledUp caps how many line reasons RollUp spells out; the rest are
// counted, so a quote with hundreds of lines keeps a readable Reason.
const maxRolledUp = 10

// RollUp returns the worst Status of the lines and their reasons joined, each
// prefixed with the line's Name (or Code, or ERPProductKey), for the
// alternative or version level (§10.1). Lines with status Ok, and nil lines,
// add nothing. With no problem it returns Ok and an empty Text.
func RollUp(lines []*superoffice.QuoteLineInfo) (superoffice.QuoteStatus, superoffice.Text) {
	worst := superoffice.StatusOk
	var parts []superoffice.Text
	more := 0
	for _, l := range lines {
		if l == nil || l.Status == superoffice.StatusOk {
			continue
		}
		worst = worst.Worst(l.Status)
		reason := superoffice.ParseText(l.Reason)
		if reason == (superoffice.Text{}) {
			continue
		}
		if len(parts) == maxRolledUp {
			more++
			continue
		}
		if label := lineLabel(l); label != "" {
			reason = prefix(label+": ", reason)
		}
		parts = append(parts, reason)
	}
	if more > 0 {
		n := strconv.Itoa(more)
		parts = append(parts, superoffice.Text{
			US: "and " + n + " more line(s)",
			NO: "og " + n + " linje(r) til",
			GE: "und " + n + " weitere Zeile(n)",
		})
	}
	return worst, superoffice.JoinTexts(reasonSep, parts...)
}

// lineLabel names a line in a rolled-up reason.
func lineLabel(l *superoffice.QuoteLineInfo) string {
	for _, s := range []string{l.Name, l.Code, l.ERPProductKey} {
		if s = strings.TrimSpace(s); s != "" {
			// ";" separates languages in the layout (§1.5); keep the
			// result readable by ParseText.
			return strings.ReplaceAll(s, ";", ",")
		}
	}
	return ""
}

// prefix puts p before every language of t (missing ones fall back to US,
// as JoinTexts does).
func prefix(p string, t superoffice.Text) superoffice.Text {
	us := firstOf(t.US, t.NO, t.GE)
	return superoffice.Text{US: p + us, NO: p + firstOf(t.NO, us), GE: p + firstOf(t.GE, us)}
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
