package settings

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDefaults(t *testing.T) {
	for _, values := range []map[string]string{nil, {}, {"ApplicationId": "x", "SharedSecret": "y", "QuoteConnectorUrl": "z"}} {
		c, problems := Parse(values)
		assert.Empty(t, problems)
		assert.Equal(t, Connection{
			Pricing:    Pricing{ListPrice: "markup", MarkupPercent: 20, MinMarginPercent: 5},
			MaxResults: 50,
		}, c, "the general settings only: the distributors' are their factories'")
	}
}

func TestParseValues(t *testing.T) {
	values := map[string]string{
		KeyPricingListPrice: "RRP", KeyPricingMarkupPercent: "[F:12.5]", KeyPricingMinMarginPercent: "-10.25", KeySearchMaxResults: "[I:10]",
		"logicom.enabled": "1", "nuvias.clientId": "nid", // other keys are not read here
	}
	c, problems := Parse(values)
	assert.Empty(t, problems)
	assert.Equal(t, Connection{
		Pricing:    Pricing{ListPrice: "rrp", MarkupPercent: 12.5, MinMarginPercent: -10.25},
		MaxResults: 10,
	}, c)
}

// The reader's tests use keys of no one: it serves the general settings
// and every distributor's alike.

func TestReaderIntOutOfRange(t *testing.T) {
	for v, want := range map[string]int{"0": 1, "17": 16, "-2": 1, "many": 4, "99999999999999999999": 16} {
		r := NewReader(map[string]string{"x.count": v})
		assert.Equal(t, want, r.Int("x.count", 4, 1, 16), v)
		require.Len(t, r.Problems(), 1, v)
		assert.Equal(t, "x.count", r.Problems()[0].Key)
	}
	r := NewReader(map[string]string{"x.count": "[I:8]"})
	assert.Equal(t, 8, r.Int("x.count", 4, 1, 16))
	assert.Empty(t, r.Problems())
}

func TestReaderCheckboxes(t *testing.T) {
	tests := []struct {
		in      string
		want    bool
		problem bool
	}{
		{"1", true, false}, {"0", false, false}, {"true", true, false}, {"false", false, false},
		{"TRUE", true, false}, {"False", false, false}, {"[I:1]", true, false}, {"[I:0]", false, false},
		{" 1 ", true, false}, {"yes", true, false}, {"no", false, false},
		{"", false, false}, // empty means unset: default
		{"2", false, true}, {"maybe", false, true}, {"[F:1.0]", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			r := NewReader(map[string]string{"x.enabled": tc.in, "x.verify": tc.in})
			assert.Equal(t, tc.want, r.Bool("x.enabled", false))
			verify := r.Bool("x.verify", true)
			if tc.problem {
				require.Len(t, r.Problems(), 2)
				assert.True(t, verify, "default kept")
				assert.Equal(t, "x.enabled", r.Problems()[0].Key)
				return
			}
			assert.Empty(t, r.Problems())
			if tc.in == "" {
				assert.True(t, verify, "default for unset")
			} else {
				assert.Equal(t, tc.want, verify)
			}
		})
	}
}

func TestParseCaseInsensitiveKeys(t *testing.T) {
	c, problems := Parse(map[string]string{"PRICING.MARKUPPERCENT": "30", "search.maxresults": "7"})
	assert.Empty(t, problems)
	assert.Equal(t, 30.0, c.Pricing.MarkupPercent)
	assert.Equal(t, 7, c.MaxResults)

	r := NewReader(map[string]string{"X.Enabled": "[I:1]", "X.LANGUAGE": "FR"})
	assert.True(t, r.Bool("x.enabled", false))
	assert.Equal(t, "FR", r.Text("x.language", "EN"))

	// The exact spelling wins over a differently cased duplicate.
	c, _ = Parse(map[string]string{"pricing.markupPercent": "11", "PRICING.MARKUPPERCENT": "99"})
	assert.Equal(t, 11.0, c.Pricing.MarkupPercent)
}

func TestParseMarkers(t *testing.T) {
	tests := []struct {
		key, in string
		check   func(t *testing.T, c Connection)
	}{
		{KeyPricingMarkupPercent, "[F:20]", func(t *testing.T, c Connection) { assert.Equal(t, 20.0, c.Pricing.MarkupPercent) }},
		{KeyPricingMarkupPercent, "[I:15]", func(t *testing.T, c Connection) { assert.Equal(t, 15.0, c.Pricing.MarkupPercent) }},
		{KeySearchMaxResults, "[I:1]", func(t *testing.T, c Connection) { assert.Equal(t, 1, c.MaxResults) }},
		{KeyPricingListPrice, "rrp", func(t *testing.T, c Connection) { assert.Equal(t, "rrp", c.Pricing.ListPrice) }},
	}
	for _, tc := range tests {
		t.Run(tc.key+"="+tc.in, func(t *testing.T) {
			c, problems := Parse(map[string]string{tc.key: tc.in})
			assert.Empty(t, problems)
			tc.check(t, c)
		})
	}
	read := func(in string) *Reader { return NewReader(map[string]string{"x.key": in}) }
	assert.Equal(t, "42", read("[I:42]").Text("x.key", ""))
	assert.Equal(t, "1", read(" [I:1] ").Text("x.key", "EN"))
	assert.Equal(t, "Default [I:1]", read("Default [I:1]").Text("x.key", "Default"), "a marker inside a value stays")
	assert.Equal(t, []string{"EUR"}, read("[I:]").Codes("x.key", []string{"EUR"}), "an empty marker is unset")
	assert.Equal(t, []string{"EUR", "USD", "GBP"}, read(" eur, usd ,,GBP ").Codes("x.key", []string{"EUR"}))
	assert.Equal(t, Secret("s3cret"), read("s3cret").Secret("x.key"))
	assert.Equal(t, "staging", read("Staging").Choice("x.key", "production", "production", "staging"))
}

func TestParseBadValuesKeepDefaults(t *testing.T) {
	tests := []struct {
		key, in string
		check   func(t *testing.T, c Connection)
	}{
		{KeyPricingMarkupPercent, "twenty", func(t *testing.T, c Connection) { assert.Equal(t, 20.0, c.Pricing.MarkupPercent) }},
		{KeyPricingMarkupPercent, "20,5", func(t *testing.T, c Connection) { assert.Equal(t, 20.0, c.Pricing.MarkupPercent) }},
		{KeyPricingMarkupPercent, "NaN", func(t *testing.T, c Connection) { assert.Equal(t, 20.0, c.Pricing.MarkupPercent) }},
		{KeyPricingMarkupPercent, "Inf", func(t *testing.T, c Connection) { assert.Equal(t, 20.0, c.Pricing.MarkupPercent) }},
		{KeyPricingMarkupPercent, "-infinity", func(t *testing.T, c Connection) { assert.Equal(t, 20.0, c.Pricing.MarkupPercent) }},
		{KeyPricingMarkupPercent, "1e400", func(t *testing.T, c Connection) { assert.Equal(t, 20.0, c.Pricing.MarkupPercent) }},
		{KeyPricingMinMarginPercent, "[F:abc]", func(t *testing.T, c Connection) { assert.Equal(t, 5.0, c.Pricing.MinMarginPercent) }},
		{KeyPricingMinMarginPercent, "+Inf", func(t *testing.T, c Connection) { assert.Equal(t, 5.0, c.Pricing.MinMarginPercent) }},
		{KeySearchMaxResults, "50.5", func(t *testing.T, c Connection) { assert.Equal(t, 50, c.MaxResults) }},
		{KeySearchMaxResults, "lots", func(t *testing.T, c Connection) { assert.Equal(t, 50, c.MaxResults) }},
		{KeyPricingListPrice, "cheapest", func(t *testing.T, c Connection) { assert.Equal(t, "markup", c.Pricing.ListPrice) }},
	}
	for _, tc := range tests {
		t.Run(tc.key+"="+tc.in, func(t *testing.T) {
			c, problems := Parse(map[string]string{tc.key: tc.in})
			tc.check(t, c)
			require.Len(t, problems, 1)
			assert.Equal(t, tc.key, problems[0].Key)
			assert.NotEmpty(t, problems[0].Want)
			assert.Contains(t, problems[0].Error(), tc.key)
			assert.False(t, math.IsInf(c.Pricing.MarkupPercent, 0) || math.IsNaN(c.Pricing.MarkupPercent))
		})
	}
	// Several bad values: one problem each, in reading order.
	_, problems := Parse(map[string]string{KeySearchMaxResults: "x", KeyPricingMarkupPercent: "y", KeyPricingListPrice: "z"})
	require.Len(t, problems, 3)
	assert.Equal(t, []string{KeyPricingListPrice, KeyPricingMarkupPercent, KeySearchMaxResults},
		[]string{problems[0].Key, problems[1].Key, problems[2].Key})

	r := NewReader(map[string]string{"x.choice": "test", "x.number": "fast", "x.flag": "sometimes"})
	assert.Equal(t, "production", r.Choice("x.choice", "production", "production", "staging"))
	assert.Equal(t, 0, r.Int("x.number", 0, 0, math.MaxInt32))
	assert.True(t, r.Bool("x.flag", true))
	assert.Len(t, r.Problems(), 3)
	assert.Equal(t, `setting x.choice: "test" is not one of production, staging`, r.Problems()[0].Error())

	p := Problem{Key: KeySearchMaxResults, Value: "x", Want: "an integer"}
	assert.Equal(t, `setting search.maxResults: "x" is not an integer`, p.Error())
}

func TestParseMaxResultsNonPositive(t *testing.T) {
	for _, in := range []string{"0", "-5"} {
		c, _ := Parse(map[string]string{KeySearchMaxResults: in})
		assert.Equal(t, 50, c.MaxResults, in)
	}
}

func TestSecretsRedacted(t *testing.T) {
	r := NewReader(map[string]string{"x.secret": "topsecret-1", "x.key": "topsecret-2"})
	c := struct {
		Secret, Key Secret
	}{r.Secret("x.secret"), r.Secret("x.key")}
	b, err := json.Marshal(c)
	require.NoError(t, err)
	for _, out := range []string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c.Key), string(b)} {
		assert.NotContains(t, out, "topsecret")
	}
	assert.Equal(t, "topsecret-1", c.Secret.Reveal())
	assert.Equal(t, "", Secret("").String())
	assert.Equal(t, "[redacted]", Secret("x").GoString())
}

// TestParseClampsNumbers: numbers outside a sane range are clamped to it
// and reported (the handlers log the problem), never used as they are.
func TestParseClampsNumbers(t *testing.T) {
	tests := []struct {
		key, in string
		got     func(Connection) float64
		want    float64
	}{
		{KeySearchMaxResults, "2147483647", func(c Connection) float64 { return float64(c.MaxResults) }, 500},
		{KeySearchMaxResults, "[I:501]", func(c Connection) float64 { return float64(c.MaxResults) }, 500},
		{KeySearchMaxResults, "99999999999999999999", func(c Connection) float64 { return float64(c.MaxResults) }, 500},
		{KeySearchMaxResults, "0", func(c Connection) float64 { return float64(c.MaxResults) }, 50},
		{KeySearchMaxResults, "-5", func(c Connection) float64 { return float64(c.MaxResults) }, 50},
		{KeyPricingMarkupPercent, "1e300", func(c Connection) float64 { return c.Pricing.MarkupPercent }, 1000},
		{KeyPricingMarkupPercent, "-30", func(c Connection) float64 { return c.Pricing.MarkupPercent }, 0},
		{KeyPricingMinMarginPercent, "5000", func(c Connection) float64 { return c.Pricing.MinMarginPercent }, 1000},
		{KeyPricingMinMarginPercent, "-250", func(c Connection) float64 { return c.Pricing.MinMarginPercent }, -100},
	}
	for _, tc := range tests {
		t.Run(tc.key+"="+tc.in, func(t *testing.T) {
			c, problems := Parse(map[string]string{tc.key: tc.in})
			assert.Equal(t, tc.want, tc.got(c))
			require.Len(t, problems, 1)
			assert.Equal(t, tc.key, problems[0].Key)
			assert.Contains(t, problems[0].Error(), tc.key)
		})
	}
	p := Problem{Key: KeySearchMaxResults, Value: "2147483647", Want: "between 1 and 500", Used: "500"}
	assert.Equal(t, `setting search.maxResults: "2147483647" is not between 1 and 500 (using 500)`, p.Error())

	// In range: no problem.
	for key, in := range map[string]string{KeySearchMaxResults: "500", KeyPricingMarkupPercent: "0", KeyPricingMinMarginPercent: "-100"} {
		_, problems := Parse(map[string]string{key: in})
		assert.Empty(t, problems, key)
	}
}

func TestParseCurrencySettings(t *testing.T) {
	c, problems := Parse(map[string]string{
		KeyPricingCurrencies:      " nok, SEK,,nok , dkk",
		KeyPricingFXMarginPercent: "[F:2.5]",
		KeyPricingFXRates:         "NOK=11.7215, sek = 11.0480,,",
	})
	assert.Empty(t, problems)
	assert.Equal(t, []string{"NOK", "SEK", "DKK"}, c.Pricing.Currencies, "upper case, no repeats, in order")
	assert.Equal(t, 2.5, c.Pricing.FXMarginPercent)
	require.Len(t, c.Pricing.FXRates, 2)
	assert.Equal(t, "11.7215", c.Pricing.FXRates["NOK"].String(), "decimal text kept exactly")
	assert.True(t, c.Pricing.FXRates["SEK"].Equal(decimal.RequireFromString("11.048")))
	assert.Equal(t, "NOK=11.7215,SEK=11.048", FXRatesText(c.Pricing.FXRates))

	t.Run("bad items are reported and left out", func(t *testing.T) {
		c, problems := Parse(map[string]string{
			KeyPricingCurrencies:      "NOK,kroner,S1K",
			KeyPricingFXMarginPercent: "500",
			KeyPricingFXRates:         "NOK=11.7215,SEK=-1,DKK=abc,EUR=1.1,USD,GBPX=0.85",
		})
		assert.Equal(t, []string{"NOK"}, c.Pricing.Currencies)
		assert.Equal(t, 100.0, c.Pricing.FXMarginPercent, "clamped")
		assert.Equal(t, map[string]decimal.Decimal{"NOK": decimal.RequireFromString("11.7215")}, c.Pricing.FXRates)
		var bad []string
		for _, p := range problems {
			bad = append(bad, p.Key+" "+p.Value)
		}
		assert.ElementsMatch(t, []string{
			"pricing.currencies KRONER", "pricing.currencies S1K", "pricing.fxMarginPercent 500",
			"pricing.fxRates SEK=-1", "pricing.fxRates DKK=abc", "pricing.fxRates EUR=1.1", "pricing.fxRates USD", "pricing.fxRates GBPX=0.85",
		}, bad)
	})
}
