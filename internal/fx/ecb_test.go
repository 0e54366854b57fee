package fx_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/fx"
)

// ecbDaily is the ECB's eurofxref-daily.xml as it is published (two
// namespaces, single-quoted attributes, tabs), cut to a few currencies.
const ecbDaily = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>European Central Bank</gesmes:name>
	</gesmes:Sender>
	<Cube>
		<Cube time='2024-01-31'>
			<Cube currency='USD' rate='1.0837'/>
			<Cube currency='JPY' rate='159.30'/>
			<Cube currency='DKK' rate='7.4547'/>
			<Cube currency='NOK' rate='11.3535'/>
			<Cube currency='SEK' rate='11.2805'/>
		</Cube>
	</Cube>
</gesmes:Envelope>`

var parseNow = time.Date(2024, 1, 31, 16, 5, 0, 0, time.UTC)

func TestParseECB(t *testing.T) {
	tb, err := fx.ParseECB(strings.NewReader(ecbDaily), parseNow)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC), tb.Date)
	assert.Equal(t, []string{"DKK", "JPY", "NOK", "SEK", "USD"}, tb.Currencies())
	assert.Equal(t, "11.3535", tb.Rates["NOK"].String())
	assert.Equal(t, "159.3", tb.Rates["JPY"].String())

	t.Run("history: the newest day", func(t *testing.T) {
		doc := `<Envelope><Cube>
			<Cube time="2024-01-30"><Cube currency="NOK" rate="11.30"/></Cube>
			<Cube time="2024-01-31"><Cube currency="NOK" rate="11.35"/></Cube>
			<Cube time="2024-01-29"><Cube currency="NOK" rate="11.20"/></Cube>
		</Cube></Envelope>`
		tb, err := fx.ParseECB(strings.NewReader(doc), parseNow)
		require.NoError(t, err)
		assert.Equal(t, 31, tb.Date.Day())
		assert.Equal(t, "11.35", tb.Rates["NOK"].String())
	})
}

// Garbage is refused whole: one bad rate would price every converted line
// wrongly.
func TestParseECBRefusesGarbage(t *testing.T) {
	cube := func(inner string) string {
		return `<Envelope><Cube><Cube time="2024-01-31">` + inner + `</Cube></Cube></Envelope>`
	}
	cases := map[string]string{
		"empty body":          ``,
		"HTML error page":     `<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>`,
		"JSON":                `{"rates":{"NOK":11.7}}`,
		"truncated":           ecbDaily[:len(ecbDaily)/2],
		"other XML":           `<rates><rate currency="NOK">11.7</rate></rates>`,
		"no day":              `<Envelope><Cube></Cube></Envelope>`,
		"bad day":             `<Envelope><Cube><Cube time="31.01.2024"><Cube currency="NOK" rate="11.7"/></Cube></Cube></Envelope>`,
		"day in the future":   `<Envelope><Cube><Cube time="2024-02-05"><Cube currency="NOK" rate="11.7"/></Cube></Cube></Envelope>`,
		"no rate":             cube(``),
		"zero rate":           cube(`<Cube currency="NOK" rate="0"/>`),
		"negative rate":       cube(`<Cube currency="NOK" rate="-11.7"/>`),
		"rate not a number":   cube(`<Cube currency="NOK" rate="11,7215"/>`),
		"not an ISO code":     cube(`<Cube currency="Krone" rate="11.7"/>`),
		"the euro itself":     cube(`<Cube currency="EUR" rate="1"/>`),
		"a currency twice":    cube(`<Cube currency="NOK" rate="11.7"/><Cube currency="NOK" rate="11.8"/>`),
		"one bad among goods": cube(`<Cube currency="USD" rate="1.08"/><Cube currency="NOK" rate="abc"/>`),
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := fx.ParseECB(strings.NewReader(doc), parseNow)
			assert.Error(t, err)
		})
	}
}
