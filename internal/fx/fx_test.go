package fx_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/fx"
)

var rateDay = time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// table is a day of reference rates as the ECB would publish them.
func table() fx.Table {
	return fx.Table{Date: rateDay, Rates: map[string]decimal.Decimal{
		"USD": d("1.0823"), "NOK": d("11.7215"), "SEK": d("11.0480"), "JPY": d("161.25"), "GBP": d("0.8541"),
	}}
}

// The expected values below are worked out by hand (and with Python's
// decimal module at 50 digits), not with the code under test.
func TestConversionHandComputed(t *testing.T) {
	cases := []struct {
		name     string
		fixed    map[string]decimal.Decimal
		margin   float64
		from, to string
		amount   float64
		cost     float64 // Cost: with the margin
		price    float64 // Price: without
	}{
		// 181.65 × 11.7215 = 2129.210475 → 2129.21
		{"EUR to NOK", nil, 0, "EUR", "NOK", 181.65, 2129.21, 2129.21},
		// 2129.210475 × 1.02 = 2171.7946845 → 2171.79; the price has no margin
		{"margin", nil, 2, "EUR", "NOK", 181.65, 2171.79, 2129.21},
		// cross rate through the euro: 100 × 11.7215 ÷ 1.0823 = 1083.01764… → 1083.02
		{"USD to NOK (cross)", nil, 0, "USD", "NOK", 100, 1083.02, 1083.02},
		// 1083.017647… × 1.025 = 1110.09308… → 1110.09
		{"cross with margin", nil, 2.5, "USD", "NOK", 100, 1110.09, 1083.02},
		// the connection's fixed NOK rate wins over the source's: 181.65 × 11.5 = 2088.975 → 2088.98 (half away from zero)
		{"fixed rate overrides", map[string]decimal.Decimal{"NOK": d("11.5")}, 0, "EUR", "NOK", 181.65, 2088.98, 2088.98},
		// a currency only the connection knows: 100 × 7.4560 = 745.60
		{"fixed rate of a currency the source lacks", map[string]decimal.Decimal{"DKK": d("7.4560")}, 0, "EUR", "DKK", 100, 745.6, 745.6},
		// 1000 NOK ÷ 11.7215 = 85.31331… EUR → 85.31
		{"into the euro", nil, 0, "NOK", "EUR", 1000, 85.31, 85.31},
		// 10 × 1.0825 would be 10.825: exactly half a cent, rounded away from
		// zero (a float product 10.824999… would round down)
		{"exact half rounds away from zero", map[string]decimal.Decimal{"USD": d("1.0825")}, 0, "EUR", "USD", 10, 10.83, 10.83},
		// yen have no minor unit: 1.23 × 161.25 = 198.3375 → 198
		{"yen round to whole yen", nil, 0, "EUR", "JPY", 1.23, 198, 198},
		{"zero stays zero", nil, 5, "EUR", "NOK", 0, 0, 0},
		{"same currency", nil, 0, "NOK", "NOK", 12.34, 12.34, 12.34},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := fx.NewBook(table(), tc.fixed, tc.margin)
			c, err := b.Conversion(tc.from, tc.to)
			require.NoError(t, err)
			assert.Equal(t, tc.cost, c.Cost(tc.amount), "cost")
			assert.Equal(t, tc.price, c.Price(tc.amount), "price")
		})
	}
}

func TestConversionDetails(t *testing.T) {
	b := fx.NewBook(table(), map[string]decimal.Decimal{"SEK": d("11.2")}, 0)

	c, err := b.Conversion("usd", "nok")
	require.NoError(t, err)
	assert.Equal(t, "10.830176", c.Factor().String(), "cross rate shown to 6 decimals")
	assert.True(t, c.Cross())
	assert.False(t, c.Fixed())
	assert.Equal(t, rateDay, c.Date())

	c, err = b.Conversion("EUR", "SEK")
	require.NoError(t, err)
	assert.True(t, c.Fixed())
	assert.False(t, c.Cross())
	assert.True(t, c.Date().IsZero(), "a fixed rate has no reference day")
	assert.False(t, c.OlderThan(time.Hour, rateDay.AddDate(1, 0, 0)), "fixed rates never age")

	c, err = b.Conversion("SEK", "NOK")
	require.NoError(t, err)
	assert.Equal(t, rateDay, c.Date(), "the dated leg")

	t.Run("stale", func(t *testing.T) {
		c, err := b.Conversion("EUR", "NOK")
		require.NoError(t, err)
		maxAge := 96 * time.Hour
		assert.False(t, c.OlderThan(maxAge, rateDay.Add(maxAge)))
		assert.True(t, c.OlderThan(maxAge, rateDay.Add(maxAge+time.Second)))
	})

	t.Run("missing rate", func(t *testing.T) {
		_, err := b.Conversion("EUR", "DKK")
		require.Error(t, err)
		assert.True(t, fx.IsMissingRate(err))
		assert.EqualError(t, err, "no exchange rate for DKK (converting EUR to DKK)")
		_, err = b.Conversion("CHF", "DKK")
		assert.EqualError(t, err, "no exchange rate for CHF and DKK (converting CHF to DKK)")
		_, err = fx.NewBook(fx.Table{}, nil, 0).Conversion("EUR", "NOK")
		assert.True(t, fx.IsMissingRate(err), "no rates at all")
	})

	t.Run("currencies", func(t *testing.T) {
		assert.Equal(t, []string{"EUR", "GBP", "JPY", "NOK", "SEK", "USD"}, b.Currencies())
		assert.Empty(t, fx.NewBook(fx.Table{}, nil, 0).Currencies(), "the euro alone converts nothing")
		assert.Equal(t, []string{"DKK", "EUR"}, fx.NewBook(fx.Table{}, map[string]decimal.Decimal{"DKK": d("7.456")}, 0).Currencies())
		assert.True(t, b.Knows("eur"))
		assert.False(t, b.Knows("DKK"))
	})
}

func TestRoundMoney(t *testing.T) {
	assert.Equal(t, "2.68", fx.RoundMoney(d("2.675"), "NOK").String(), "half away from zero, not to even")
	assert.Equal(t, "-2.68", fx.RoundMoney(d("-2.675"), "NOK").String())
	assert.Equal(t, "2.67", fx.RoundMoney(d("2.6749999"), "EUR").String())
	assert.Equal(t, "3", fx.RoundMoney(d("2.5"), "JPY").String())
	assert.Equal(t, "1.235", fx.RoundMoney(d("1.2345"), "KWD").String())
	assert.EqualValues(t, 2, fx.MinorUnits("nok"))
}
