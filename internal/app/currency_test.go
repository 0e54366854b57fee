package app_test

// Quotes in the customer's currency end to end: a Norwegian quote against
// the sandbox (its rate feed serves fixed rates dated today), and a restart
// with the feed stopped.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/fxsim"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// sandboxRate is the sandbox feed's rate of cur.
func sandboxRate(t *testing.T, cur string) decimal.Decimal {
	t.Helper()
	for _, r := range fxsim.Rates {
		if r.Currency == cur {
			return decimal.RequireFromString(r.Rate)
		}
	}
	t.Fatalf("the sandbox feed has no %s", cur)
	return decimal.Zero
}

// inNOK is amount EUR at the sandbox's NOK rate with a margin, to the øre
// (half away from zero): the expectation, computed apart from the service.
func inNOK(t *testing.T, eur float64, marginPercent int64) float64 {
	t.Helper()
	v := decimal.NewFromFloat(eur).Mul(sandboxRate(t, "NOK")).Mul(decimal.NewFromInt(100 + marginPercent)).Div(decimal.NewFromInt(100))
	f, _ := v.Round(2).Float64()
	return f
}

func findProducts(t *testing.T, env *apptest.Env, body map[string]any) map[string]so.ProductInfo {
	t.Helper()
	r := env.Post(t, "FindProduct", body)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var ps []so.ProductInfo
	r.JSON(t, &ps)
	out := map[string]so.ProductInfo{}
	for _, p := range ps {
		out[p.ERPProductKey] = p
	}
	return out
}

func extra(p []so.ProductExtraDataFieldInfo, name string) string {
	for _, f := range p {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

func TestNorwegianQuoteInTheSandbox(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ex := env.Example

	var lists []so.PriceListInfo
	env.Post(t, "GetActivePriceLists", `{"IsoCurrencyCode":"NOK"}`).JSON(t, &lists)
	var names []string
	for _, l := range lists {
		names = append(names, l.ERPPriceListKey+" "+l.Name)
	}
	assert.Equal(t, []string{"logicom:NOK Logicom EUR→NOK", "nuvias:NOK Nuvias EUR→NOK", "best:NOK Best price NOK"}, names)

	// FindProduct in NOK shows Logicom and Nuvias with NOK costs that are
	// their EUR costs × the feed's NOK rate, to the øre.
	eur := findProducts(t, env, map[string]any{"UserInput": ex.SharedPart, "CurrencyCode": "EUR"})
	nok := findProducts(t, env, map[string]any{"UserInput": ex.SharedPart, "CurrencyCode": "NOK"})
	require.Len(t, nok, 2, "both sources")
	for key, p := range nok {
		require.Contains(t, eur, key)
		assert.True(t, strings.HasSuffix(p.ERPPriceListKey, ":NOK"), p.ERPPriceListKey)
		assert.Equal(t, inNOK(t, eur[key].UnitCost, 0), p.UnitCost, key)
		assert.InDelta(t, p.UnitCost*1.2, p.UnitListPrice, 1e-9, key)
		assert.Equal(t, so.MoneyMarker(eur[key].UnitCost)+" EUR", extra(p.ExtraInfo, "Distributor price"), key)
		assert.True(t, strings.HasPrefix(extra(p.ExtraInfo, "Exchange rate"), "1 EUR = [F:11.7215] NOK, reference rate of [D:"), key)
	}
	margin := map[string]string{"pricing.fxMarginPercent": "2"}
	withMargin := findProducts(t, env, map[string]any{"UserInput": ex.SharedPart, "CurrencyCode": "NOK", "ConfigValues": margin})
	for key, p := range withMargin {
		assert.Equal(t, inNOK(t, eur[key].UnitCost, 2), p.UnitCost, "%s with a 2 %% margin", key)
	}
	margin["pricing.fxMarginPercent"] = "0"
	findProducts(t, env, map[string]any{"UserInput": ex.SharedPart, "CurrencyCode": "NOK", "ConfigValues": margin})

	// best:NOK picks the source best:EUR picks (one rate scales both), and
	// lists both in NOK.
	best := findProducts(t, env, map[string]any{"UserInput": ex.SharedLogicomCheaper, "PriceListKey": "best:NOK"})
	bestEUR := findProducts(t, env, map[string]any{"UserInput": ex.SharedLogicomCheaper, "PriceListKey": "best:EUR"})
	require.Len(t, best, 1)
	for key, p := range best {
		assert.Contains(t, bestEUR, key)
		assert.Equal(t, "best:NOK", p.ERPPriceListKey)
		assert.Contains(t, extra(p.ExtraInfo, "Source Logicom (chosen)"), " NOK ([M:")
	}

	// A Norwegian sale: a volume-priced line in NOK; a quantity across a
	// volume break changes the NOK cost.
	r := env.Post(t, "GetQuoteLinesFromProduct", map[string]any{"ErpProductKey": "logicom:" + ex.VolumeSKU,
		"Context": map[string]any{"CRMSale": map[string]any{"Currency": "NOK"}}})
	var lines []*so.QuoteLineInfo
	r.JSON(t, &lines)
	require.Len(t, lines, 1)
	l := lines[0]
	assert.Equal(t, "logicom:NOK", l.ERPPriceListKey)
	item := env.Sandbox.Catalog.Logicom.Items
	var price struct {
		base, first float64
		from        int
	}
	for _, it := range item {
		if it.SKU == ex.VolumeSKU {
			p := it.Prices["EUR"]
			price.base, price.first, price.from = p.Price, p.Volume[0].Price, p.Volume[0].Quantity
		}
	}
	require.NotZero(t, price.from)
	assert.Equal(t, inNOK(t, price.base, 0), l.UnitCost)
	l = changeQuantity(t, env, l, float64(price.from))
	assert.Equal(t, inNOK(t, price.first, 0), l.UnitCost, "the volume price, in NOK")
	assert.NotEqual(t, inNOK(t, price.base, 0), l.UnitCost)
	assert.Equal(t, so.MoneyMarker(price.first)+" EUR", extra(l.ExtraInfo, "Distributor price"))

	// PlaceOrder places the EUR order and says so.
	l.Quantity = 2
	ctx := alternativeContext(quoteContext(l))
	ctx["CRMSale"] = map[string]any{"Currency": "NOK"}
	pr := placeOrder(t, env, ctx)
	require.True(t, pr.IsOk, pr.UserExplanation)
	text := so.ParseText(pr.UserExplanation)
	assert.Contains(t, text.US, "Logicom: ordered in EUR, the distributor's currency; the quote in NOK was made at 1 EUR = [F:11.7215] NOK (reference rate of [D:")
	assert.Contains(t, text.NO, "bestilt i EUR")
	orders := env.Sandbox.Logicom.OrdersWithReference("Q-1001-1")
	require.Len(t, orders, 1, "the order reached Logicom")

	m := env.Do(t, http.MethodGet, "/metrics", nil, nil)
	assert.Contains(t, string(m.Body), `qc_fx_fetches_total{outcome="ok"} 1`)
	assert.Contains(t, string(m.Body), "qc_fx_rates_date_seconds ")
}

// With the feed stopped and the service restarted, the NOK quote still
// works from the rates the store kept; a service that never had rates
// prices nothing in NOK and says why.
func TestNOKQuoteAfterARestartWithoutTheFeed(t *testing.T) {
	sims := apptest.StartSimulators(t)
	dir := t.TempDir()
	env := apptest.Start(t, apptest.Options{Simulators: sims, DataDir: dir})
	require.True(t, testConnection(t, env, connectionID, sims.ConfigValues()).IsOk)
	search := map[string]any{"UserInput": env.Example.SharedPart, "CurrencyCode": "NOK"}
	before := findProducts(t, env, search)
	require.Len(t, before, 2)
	env.Stop()

	for _, fault := range []faults.Config{{ErrorRate: 1}, {MalformedJSON: true}} {
		sims.FX.Faults().Set(fault)
		env = apptest.Start(t, apptest.Options{Simulators: sims, DataDir: dir})
		after := findProducts(t, env, search)
		assert.Equal(t, before, after, "the same NOK prices from the stored rates (%+v)", fault)
		assert.Contains(t, env.Logs.String(), "keeping the last good rates")
		m := string(env.Do(t, http.MethodGet, "/metrics", nil, nil).Body)
		if fault.ErrorRate > 0 {
			assert.Contains(t, m, `qc_fx_fetches_total{outcome="unavailable"} 1`)
		} else {
			assert.Contains(t, m, `qc_fx_fetches_total{outcome="invalid"} 1`, "garbage is refused")
		}
		env.Stop()
	}

	// A fresh store and no feed: no rate at all.
	env = apptest.Start(t, apptest.Options{Simulators: sims})
	require.True(t, testConnection(t, env, connectionID, sims.ConfigValues()).IsOk)
	var lists []so.PriceListInfo
	env.Post(t, "GetActivePriceLists", `{"IsoCurrencyCode":"NOK"}`).JSON(t, &lists)
	assert.Empty(t, lists, "no rate, no NOK lists")
	r := env.Post(t, "GetQuoteLinesFromProduct", map[string]any{"ErpProductKey": "logicom:" + env.Example.InStockSKU,
		"Context": map[string]any{"CRMSale": map[string]any{"Currency": "NOK"}}})
	var lines []*so.QuoteLineInfo
	r.JSON(t, &lines)
	require.Len(t, lines, 1)
	assert.Equal(t, so.StatusError, lines[0].Status)
	assert.Zero(t, lines[0].UnitCost, "not priced with a made-up number")
	assert.Contains(t, so.ParseText(lines[0].Reason).US, "No exchange rate from EUR to NOK")
	assert.Contains(t, env.Logs.String(), "none held")
}
