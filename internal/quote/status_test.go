package quote

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/superoffice"
)

func TestResetStatus(t *testing.T) {
	l := &superoffice.QuoteLineInfo{Status: superoffice.StatusError, Reason: `US:"old"`}
	ResetStatus(l)
	assert.Equal(t, superoffice.StatusOk, l.Status)
	assert.Empty(t, l.Reason)

	alt := &superoffice.QuoteAlternativeInfo{Status: superoffice.StatusWarning, Reason: `US:"old"`}
	ResetStatus(alt)
	assert.Equal(t, superoffice.StatusOk, alt.Status)
	assert.Empty(t, alt.Reason)

	v := &superoffice.QuoteVersionInfo{Status: superoffice.StatusWarning, Reason: `US:"old"`}
	ResetStatus(v)
	assert.Equal(t, superoffice.StatusOk, v.Status)
	assert.Empty(t, v.Reason)

	require.NotPanics(t, func() {
		ResetStatus((*superoffice.QuoteLineInfo)(nil))
		ResetAlternative(nil)
		ResetAlternative(&superoffice.QuoteAlternativeWithLinesInfo{CRMQuoteLines: []*superoffice.QuoteLineInfo{nil}})
	})

	a := &superoffice.QuoteAlternativeWithLinesInfo{
		CRMAlternative: &superoffice.QuoteAlternativeInfo{Status: superoffice.StatusError, Reason: "x"},
		CRMQuoteLines:  []*superoffice.QuoteLineInfo{{Status: superoffice.StatusWarning, Reason: "y"}, nil},
	}
	ResetAlternative(a)
	assert.Equal(t, superoffice.StatusOk, a.CRMAlternative.Status)
	assert.Empty(t, a.CRMAlternative.Reason)
	assert.Equal(t, superoffice.StatusOk, a.CRMQuoteLines[0].Status)
	assert.Empty(t, a.CRMQuoteLines[0].Reason)
}

func TestAddProblem(t *testing.T) {
	l := &superoffice.QuoteLineInfo{}
	AddProblem(l, superoffice.StatusWarning, superoffice.Text{US: "Low stock", NO: "Lite på lager"})
	assert.Equal(t, superoffice.StatusWarning, l.Status)
	assert.Equal(t, `US:"Low stock";NO:"Lite på lager";GE:"Low stock"`, l.Reason)

	AddProblem(l, superoffice.StatusOkWithInfo, superoffice.Text{US: "Special price"})
	assert.Equal(t, superoffice.StatusWarning, l.Status, "never lowered")
	assert.Equal(t, `US:"Low stock | Special price";NO:"Lite på lager | Special price";GE:"Low stock | Special price"`, l.Reason)

	AddProblem(l, superoffice.StatusError, superoffice.Text{})
	assert.Equal(t, superoffice.StatusError, l.Status)
	AddProblem((*superoffice.QuoteAlternativeInfo)(nil), superoffice.StatusError, superoffice.Text{US: "x"})
}

func TestRollUp(t *testing.T) {
	t.Run("all ok", func(t *testing.T) {
		s, r := RollUp([]*superoffice.QuoteLineInfo{{Name: "A"}, nil, {Name: "B"}})
		assert.Equal(t, superoffice.StatusOk, s)
		assert.Empty(t, r.String())
		s, r = RollUp(nil)
		assert.Equal(t, superoffice.StatusOk, s)
		assert.Empty(t, r.String())
	})
	t.Run("worst and reasons", func(t *testing.T) {
		lines := []*superoffice.QuoteLineInfo{
			{Name: "Laptop", Status: superoffice.StatusWarning, Reason: `US:"Only 2 in stock";NO:"Bare 2 på lager"`},
			{Name: "Dock", Status: superoffice.StatusOk, Reason: `US:"ignored"`},
			{Code: "SKU-1", Status: superoffice.StatusError, Reason: `US:"Discontinued"`},
			{ERPProductKey: "nuvias:555", Status: superoffice.StatusOkWithInfo, Reason: "plain text"},
			{Status: superoffice.StatusWarning, Reason: `US:"No label"`},
			{Name: "Quiet", Status: superoffice.StatusWarning}, // counts for the status, adds no text
		}
		s, r := RollUp(lines)
		assert.Equal(t, superoffice.StatusError, s)
		assert.Equal(t, "Laptop: Only 2 in stock | SKU-1: Discontinued | nuvias:555: plain text | No label", r.US)
		assert.Equal(t, "Laptop: Bare 2 på lager | SKU-1: Discontinued | nuvias:555: plain text | No label", r.NO)
		assert.Equal(t, r, superoffice.ParseText(r.String()), "the result is valid multi-language text")
	})
	t.Run("label with separator", func(t *testing.T) {
		_, r := RollUp([]*superoffice.QuoteLineInfo{{Name: `Cable; 2m "black"`, Status: superoffice.StatusWarning, Reason: `US:"x"`}})
		assert.Equal(t, superoffice.ParseText(r.String()), superoffice.ParseText(superoffice.ParseText(r.String()).String()))
		assert.Contains(t, r.String(), `US:"Cable, 2m black: x"`)
	})
	t.Run("bounded", func(t *testing.T) {
		var lines []*superoffice.QuoteLineInfo
		for i := range 25 {
			lines = append(lines, &superoffice.QuoteLineInfo{Name: fmt.Sprintf("L%d", i), Status: superoffice.StatusWarning, Reason: `US:"low"`})
		}
		s, r := RollUp(lines)
		assert.Equal(t, superoffice.StatusWarning, s)
		assert.Equal(t, maxRolledUp+1, strings.Count(r.US, " | ")+1)
		assert.True(t, strings.HasSuffix(r.US, "and 15 more line(s)"), r.US)
		assert.True(t, strings.HasSuffix(r.GE, "und 15 weitere Zeile(n)"), r.GE)
	})
}
