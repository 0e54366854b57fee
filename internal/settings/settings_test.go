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

// allKeys lists every Key* constant of the package (configuration.md).
var allKeys = Keys()

func TestKeysAreTheContract(t *testing.T) {
	// The exact spelling is a fixed contract.
	want := []string{
		"logicom.enabled", "westcon.enabled", "nuvias.enabled",
		"pricing.listPrice", "pricing.markupPercent", "pricing.minMarginPercent", "search.maxResults",
		"pricing.currencies", "pricing.fxMarginPercent", "pricing.fxRates",
		"logicom.customerId", "logicom.consumerKey", "logicom.consumerSecret", "logicom.accessTokenKey",
		"logicom.environment", "logicom.currencies", "logicom.shopAccountEmail", "logicom.stockVerification",
		"logicom.deliveryMethod", "logicom.shipToAddressId", "logicom.invoiceType",
		"westcon.tenantId", "westcon.clientId", "westcon.clientSecret", "westcon.resource",
		"westcon.subscriptionKey", "westcon.partnerKey", "westcon.language",
		"nuvias.clientId", "nuvias.clientSecret", "nuvias.shippingType", "nuvias.partShip",
		// the service's own addition
		"logicom.signatureIncludesCustomerId",
	}
	assert.Equal(t, want, allKeys)
}

func TestParseDefaults(t *testing.T) {
	for _, values := range []map[string]string{nil, {}, {"ApplicationId": "x", "SharedSecret": "y", "QuoteConnectorUrl": "z"}} {
		c, problems := Parse(values)
		assert.Empty(t, problems)
		assert.Equal(t, Connection{
			Pricing:    Pricing{ListPrice: "markup", MarkupPercent: 20, MinMarginPercent: 5},
			MaxResults: 50,
			Logicom: Logicom{Environment: "production", Currencies: []string{"EUR"}, StockVerification: true,
				DeliveryMethod: "Default", ShipToAddressID: "DEFAULT"},
			Westcon: Westcon{Language: "EN"},
			Nuvias:  Nuvias{PartShip: true},
		}, c)
	}
}

func TestParseValues(t *testing.T) {
	values := map[string]string{
		KeyLogicomEnabled: "1", KeyWestconEnabled: "true", KeyNuviasEnabled: "[I:1]",
		KeyPricingListPrice: "RRP", KeyPricingMarkupPercent: "[F:12.5]", KeyPricingMinMarginPercent: "-10.25", KeySearchMaxResults: "[I:10]",
		KeyLogicomCustomerID: "[I:4711]", KeyLogicomConsumerKey: "ck", KeyLogicomConsumerSecret: "cs", KeyLogicomAccessTokenKey: "atk",
		KeyLogicomEnvironment: "Staging", KeyLogicomCurrencies: " eur, usd ,,GBP ", KeyLogicomShopAccountEmail: "shop@example.com",
		KeyLogicomStockVerification: "0", KeyLogicomDeliveryMethod: "Express", KeyLogicomShipToAddressID: "A1", KeyLogicomInvoiceType: "T",
		KeyWestconTenantID: "tid", KeyWestconClientID: "cid", KeyWestconClientSecret: "wcs", KeyWestconResource: "res",
		KeyWestconSubscriptionKey: "sub", KeyWestconPartnerKey: "pk", KeyWestconLanguage: "DE",
		KeyNuviasClientID: "nid", KeyNuviasClientSecret: "ncs", KeyNuviasShippingType: "[I:2]", KeyNuviasPartShip: "false",
	}
	c, problems := Parse(values)
	assert.Empty(t, problems)
	assert.Equal(t, Connection{
		Pricing:    Pricing{ListPrice: "rrp", MarkupPercent: 12.5, MinMarginPercent: -10.25},
		MaxResults: 10,
		Logicom: Logicom{Enabled: true, CustomerID: "4711", ConsumerKey: "ck", ConsumerSecret: "cs", AccessTokenKey: "atk",
			Environment: "staging", Currencies: []string{"EUR", "USD", "GBP"}, ShopAccountEmail: "shop@example.com",
			StockVerification: false, DeliveryMethod: "Express", ShipToAddressID: "A1", InvoiceType: "T"},
		Westcon: Westcon{Enabled: true, TenantID: "tid", ClientID: "cid", ClientSecret: "wcs", Resource: "res",
			SubscriptionKey: "sub", PartnerKey: "pk", Language: "DE"},
		Nuvias: Nuvias{Enabled: true, ClientID: "nid", ClientSecret: "ncs", ShippingType: 2, PartShip: false},
	}, c)
}

func TestParseCheckboxes(t *testing.T) {
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
			c, problems := Parse(map[string]string{KeyLogicomEnabled: tc.in, KeyLogicomStockVerification: tc.in})
			assert.Equal(t, tc.want, c.Logicom.Enabled)
			if tc.problem {
				require.Len(t, problems, 2)
				assert.True(t, c.Logicom.StockVerification, "default kept")
				assert.Equal(t, KeyLogicomEnabled, problems[0].Key)
				return
			}
			assert.Empty(t, problems)
			if tc.in == "" {
				assert.True(t, c.Logicom.StockVerification, "default for unset")
			} else {
				assert.Equal(t, tc.want, c.Logicom.StockVerification)
			}
		})
	}
}

func TestParseCaseInsensitiveKeys(t *testing.T) {
	c, problems := Parse(map[string]string{
		"PRICING.MARKUPPERCENT": "30", "Logicom.Enabled": "[I:1]", "search.maxresults": "7", "WESTCON.LANGUAGE": "FR",
		"nuvias.partship": "0",
	})
	assert.Empty(t, problems)
	assert.Equal(t, 30.0, c.Pricing.MarkupPercent)
	assert.True(t, c.Logicom.Enabled)
	assert.Equal(t, 7, c.MaxResults)
	assert.Equal(t, "FR", c.Westcon.Language)
	assert.False(t, c.Nuvias.PartShip)

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
		{KeyLogicomCustomerID, "[I:42]", func(t *testing.T, c Connection) { assert.Equal(t, "42", c.Logicom.CustomerID) }},
		{KeyWestconLanguage, " [I:1] ", func(t *testing.T, c Connection) { assert.Equal(t, "1", c.Westcon.Language) }},
		{KeyPricingListPrice, "rrp", func(t *testing.T, c Connection) { assert.Equal(t, "rrp", c.Pricing.ListPrice) }},
		{KeyLogicomCurrencies, "[I:]", func(t *testing.T, c Connection) { assert.Equal(t, []string{"EUR"}, c.Logicom.Currencies) }},
		{KeyLogicomDeliveryMethod, "Default [I:1]", func(t *testing.T, c Connection) { assert.Equal(t, "Default [I:1]", c.Logicom.DeliveryMethod) }},
	}
	for _, tc := range tests {
		t.Run(tc.key+"="+tc.in, func(t *testing.T) {
			c, problems := Parse(map[string]string{tc.key: tc.in})
			assert.Empty(t, problems)
			tc.check(t, c)
		})
	}
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
		{KeyLogicomEnvironment, "test", func(t *testing.T, c Connection) { assert.Equal(t, "production", c.Logicom.Environment) }},
		{KeyNuviasShippingType, "fast", func(t *testing.T, c Connection) { assert.Equal(t, 0, c.Nuvias.ShippingType) }},
		{KeyNuviasPartShip, "sometimes", func(t *testing.T, c Connection) { assert.True(t, c.Nuvias.PartShip) }},
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
	// Several bad values: one problem each, in a stable order.
	_, problems := Parse(map[string]string{KeySearchMaxResults: "x", KeyPricingMarkupPercent: "y", KeyLogicomEnabled: "z"})
	assert.Len(t, problems, 3)

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
	c, _ := Parse(map[string]string{KeyLogicomConsumerSecret: "topsecret-1", KeyWestconClientSecret: "topsecret-2", KeyNuviasClientSecret: "topsecret-3",
		KeyLogicomConsumerKey: "topsecret-4", KeyLogicomAccessTokenKey: "topsecret-5", KeyWestconSubscriptionKey: "topsecret-6"})
	b, err := json.Marshal(c)
	require.NoError(t, err)
	for _, out := range []string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c.Nuvias.ClientSecret), string(b)} {
		assert.NotContains(t, out, "topsecret")
	}
	assert.Equal(t, "topsecret-1", c.Logicom.ConsumerSecret.Reveal())
	assert.Equal(t, "", Secret("").String())
	assert.Equal(t, "[redacted]", Secret("x").GoString())
}

func TestHasDistributorKeys(t *testing.T) {
	assert.False(t, HasDistributorKeys(nil))
	assert.False(t, HasDistributorKeys(map[string]string{KeyPricingMarkupPercent: "1", "SharedSecret": "x"}))
	assert.True(t, HasDistributorKeys(map[string]string{KeyLogicomEnabled: "0"}))
	assert.True(t, HasDistributorKeys(map[string]string{"WESTCON.clientId": "x"}))
	assert.True(t, HasDistributorKeys(map[string]string{KeyNuviasPartShip: "1"}))
}

func TestWithDefaults(t *testing.T) {
	defaults := map[string]string{"logicom.enabled": "1", "pricing.markupPercent": "20"}
	got, used := WithDefaults(map[string]string{"pricing.markupPercent": "30"}, defaults)
	assert.True(t, used)
	assert.Equal(t, map[string]string{"logicom.enabled": "1", "pricing.markupPercent": "30"}, got)
	own := map[string]string{"nuvias.enabled": "1"}
	got, used = WithDefaults(own, defaults)
	assert.False(t, used, "settings that configure a distributor stand alone")
	assert.Equal(t, own, got)
	got, used = WithDefaults(own, nil)
	assert.False(t, used)
	assert.Equal(t, own, got)
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
		{KeyNuviasShippingType, "-1", func(c Connection) float64 { return float64(c.Nuvias.ShippingType) }, 0},
		{KeyNuviasShippingType, "9999999999", func(c Connection) float64 { return float64(c.Nuvias.ShippingType) }, math.MaxInt32},
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
	for key, in := range map[string]string{KeySearchMaxResults: "500", KeyPricingMarkupPercent: "0", KeyPricingMinMarginPercent: "-100", KeyNuviasShippingType: "3"} {
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
