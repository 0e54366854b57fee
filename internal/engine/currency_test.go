package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/mock"
	"github.com/quoteconnector/quoteconnector/internal/engine"
	"github.com/quoteconnector/quoteconnector/internal/fx"
	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/settings"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// Quotes in a currency the distributor does not price in. Every expected
// amount is worked out by hand (and checked with Python's decimal module),
// never with the code under test; converted amounts are rounded half away
// from zero to the øre.

// rates is a RateSource whose table a test may change.
type rates struct{ t fx.Table }

func (r *rates) Table() fx.Table { return r.t }

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// todaysRates are reference rates dated the engine's today.
func todaysRates() *rates {
	return &rates{t: fx.Table{Date: time.Date(2030, 3, 10, 0, 0, 0, 0, time.UTC), Rates: map[string]decimal.Decimal{
		"USD": d("1.0823"), "NOK": d("11.7215"), "SEK": d("11.0480"),
	}}}
}

func newFXEngine(t *testing.T, r *rates, ds ...*mock.Distributor) *engine.Engine {
	st, _ := storetest.SQLite(t)
	orders := ledger.New(ledger.Options{Store: st, Owner: "test", IsUncertain: distributors.IsUncertain})
	return engine.New(engine.Options{Registry: mock.Registry(ds...), Now: func() time.Time { return today }, Ledger: orders, Rates: r})
}

// fxCall is a call with connection settings.
func fxCall(values map[string]string) engine.Call {
	c, _ := settings.Parse(values)
	return engine.Call{Tenant: "t1", ConnectionID: 1, Conn: c}
}

// shop is a catalog distributor pricing in one currency.
func shop(name, cur string, products ...distributors.Product) *mock.Distributor {
	for i := range products {
		if products[i].Offer != nil {
			products[i].Offer.Currency = cur
		}
	}
	m := catalog(name, products...)
	m.CurrenciesFn = func(context.Context) ([]string, error) { return []string{cur}, nil }
	return m
}

// volumeProduct is priced like the sandbox's volume SKU: 50.02 EUR, 47.92
// from 10, 45.15 from 50; 7 in stock.
func volumeProduct() distributors.Product {
	p := product("VOL", "PART-VOL", 50.02, 7)
	p.Offer.Breaks = []distributors.PriceBreak{{MinQuantity: 10, Price: 47.92}, {MinQuantity: 50, Price: 45.15}}
	return p
}

func field(fs []so.ProductExtraDataFieldInfo, name string) string {
	for _, f := range fs {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

func keys(lists []so.PriceListInfo) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l.ERPPriceListKey)
	}
	return out
}

func TestConvertedPriceLists(t *testing.T) {
	ctx := context.Background()
	e := newFXEngine(t, todaysRates(), shop("alpha", "EUR"), shop("beta", "USD"))

	lists, err := e.PriceLists(ctx, fxCall(nil), "")
	require.NoError(t, err)
	assert.Equal(t, []string{
		"alpha:EUR", "alpha:NOK", "alpha:SEK", "alpha:USD",
		"beta:USD", "beta:EUR", "beta:NOK", "beta:SEK",
		"best:EUR", "best:NOK", "best:SEK", "best:USD",
	}, keys(lists), "own currencies, then every currency the rates know, then best")
	byKey := map[string]so.PriceListInfo{}
	for _, l := range lists {
		byKey[l.ERPPriceListKey] = l
	}
	assert.Equal(t, "Alpha EUR", byKey["alpha:EUR"].Name)
	assert.Equal(t, "Alpha EUR→NOK", byKey["alpha:NOK"].Name, "a converted list says so")
	assert.Equal(t, "Beta USD→NOK", byKey["beta:NOK"].Name)
	assert.Equal(t, "NOK", byKey["alpha:NOK"].Currency)
	assert.Equal(t, "Norwegian krone", byKey["alpha:NOK"].CurrencyName)
	desc := so.ParseText(byKey["alpha:NOK"].Description)
	assert.Equal(t, "Alpha prices in EUR, converted to NOK at the current exchange rate", desc.US)
	assert.Contains(t, desc.NO, "omregnet til NOK")
	assert.Contains(t, desc.GE, "umgerechnet in NOK")

	lists, err = e.PriceLists(ctx, fxCall(nil), "nok")
	require.NoError(t, err)
	assert.Equal(t, []string{"alpha:NOK", "beta:NOK", "best:NOK"}, keys(lists), "a Norwegian quote finds lists")

	// pricing.currencies limits the converted lists, and lists a currency
	// even without a rate (its lines then say the rate is missing).
	lists, err = e.PriceLists(ctx, fxCall(map[string]string{settings.KeyPricingCurrencies: "DKK,NOK"}), "")
	require.NoError(t, err)
	assert.Equal(t, []string{"alpha:EUR", "alpha:DKK", "alpha:NOK", "beta:USD", "beta:DKK", "beta:NOK", "best:DKK", "best:EUR", "best:NOK", "best:USD"}, keys(lists))

	// A fixed rate of the connection is a currency the rates know.
	lists, err = e.PriceLists(ctx, fxCall(map[string]string{settings.KeyPricingFXRates: "DKK=7.456"}), "DKK")
	require.NoError(t, err)
	assert.Equal(t, []string{"alpha:DKK", "beta:DKK", "best:DKK"}, keys(lists))

	// No rates at all: only the distributors' own currencies.
	lists, err = newFXEngine(t, &rates{}, shop("alpha", "EUR"), shop("beta", "USD")).PriceLists(ctx, fxCall(nil), "")
	require.NoError(t, err)
	assert.Equal(t, []string{"alpha:EUR", "beta:USD", "best:EUR", "best:USD"}, keys(lists))
}

func TestFindProductConverts(t *testing.T) {
	ctx := context.Background()
	monitor := product("MON", "210-KBXR", 181.65, 14)
	monitor.Offer.RRP = 249
	monitor.Offer.Special = &distributors.SpecialPrice{Price: 175.5, From: today.AddDate(0, 0, 10)} // not yet valid
	e := newFXEngine(t, todaysRates(), shop("alpha", "EUR", monitor), shop("beta", "USD", product("B", "CROSS-1", 100, 3)))

	ps, err := e.FindProduct(ctx, fxCall(nil), "NOK", "monitor", "alpha:NOK")
	require.NoError(t, err)
	require.Len(t, ps, 1)
	p := ps[0]
	assert.Equal(t, "alpha:NOK", p.ERPPriceListKey)
	// 181.65 × 11.7215 = 2129.210475 → 2129.21
	assert.Equal(t, 2129.21, p.UnitCost)
	assert.InDelta(t, 2129.21*1.2, p.UnitListPrice, 1e-9, "markup on the converted cost")
	assert.InDelta(t, 2129.21*1.05, p.UnitMinimumPrice, 1e-9)
	assert.Equal(t, "[M:181.65] EUR", field(p.ExtraInfo, "Distributor price"))
	assert.Equal(t, "1 EUR = [F:11.7215] NOK, reference rate of [D:03/10/2030]", field(p.ExtraInfo, "Exchange rate"))
	assert.Equal(t, "[F:0] %", field(p.ExtraInfo, "Currency margin"))
	// 249 × 11.7215 = 2918.6535 → 2918.65 (RRP: no margin)
	assert.Equal(t, "[M:2918.65] NOK", field(p.ExtraInfo, "Recommended retail price"))
	// 175.5 × 11.7215 = 2057.12325 → 2057.12
	assert.True(t, strings.HasPrefix(field(p.ExtraInfo, "Special price"), "[M:2057.12] NOK from"))
	assert.Contains(t, p.RawExtraInfo, "Exchange rate", "the XML form carries the same fields")

	t.Run("margin", func(t *testing.T) {
		ps, err := e.FindProduct(ctx, fxCall(map[string]string{settings.KeyPricingFXMarginPercent: "2"}), "NOK", "monitor", "alpha:NOK")
		require.NoError(t, err)
		// 2129.210475 × 1.02 = 2171.7946845 → 2171.79
		assert.Equal(t, 2171.79, ps[0].UnitCost)
		assert.Equal(t, "[F:2] %", field(ps[0].ExtraInfo, "Currency margin"))
		// the RRP is a selling price: rate only, 2918.65 as without margin
		assert.Equal(t, "[M:2918.65] NOK", field(ps[0].ExtraInfo, "Recommended retail price"))
		ps, err = e.FindProduct(ctx, fxCall(map[string]string{settings.KeyPricingFXMarginPercent: "2", settings.KeyPricingListPrice: "rrp"}), "NOK", "monitor", "alpha:NOK")
		require.NoError(t, err)
		assert.Equal(t, 2918.65, ps[0].UnitListPrice, "the list price is the converted RRP")
	})

	t.Run("fixed rate overrides the reference rate", func(t *testing.T) {
		ps, err := e.FindProduct(ctx, fxCall(map[string]string{settings.KeyPricingFXRates: "NOK=11.5"}), "NOK", "monitor", "alpha:NOK")
		require.NoError(t, err)
		// 181.65 × 11.5 = 2088.975 → 2088.98
		assert.Equal(t, 2088.98, ps[0].UnitCost)
		assert.Equal(t, "1 EUR = [F:11.5] NOK, fixed in the connection settings", field(ps[0].ExtraInfo, "Exchange rate"))
	})

	t.Run("cross rate through the euro", func(t *testing.T) {
		ps, err := e.FindProduct(ctx, fxCall(nil), "NOK", "thing", "beta:NOK")
		require.NoError(t, err)
		require.Len(t, ps, 1)
		// 100 USD × 11.7215 ÷ 1.0823 = 1083.0176… → 1083.02
		assert.Equal(t, 1083.02, ps[0].UnitCost)
		assert.Equal(t, "1 USD = [F:10.830176] NOK (NOK [F:11.7215] and USD [F:1.0823] per EUR), reference rate of [D:03/10/2030]",
			field(ps[0].ExtraInfo, "Exchange rate"))
	})

	t.Run("in the quote's currency, without a price list", func(t *testing.T) {
		ps, err := e.FindProduct(ctx, fxCall(nil), "NOK", "x", "")
		require.NoError(t, err)
		require.Len(t, ps, 2, "both sources, converted")
		assert.Equal(t, "alpha:NOK", ps[0].ERPPriceListKey)
		assert.Equal(t, "beta:NOK", ps[1].ERPPriceListKey)
		ps, err = e.FindProduct(ctx, fxCall(nil), "USD", "x", "")
		require.NoError(t, err)
		require.Len(t, ps, 2)
		// 181.65 × 1.0823 = 196.599795 → 196.60; beta's own USD unchanged
		assert.Equal(t, 196.6, ps[0].UnitCost)
		assert.Equal(t, 100.0, ps[1].UnitCost)
		assert.Empty(t, field(ps[1].ExtraInfo, "Exchange rate"), "not converted")
	})
}

// best:NOK compares what the sources cost in NOK, not their own numbers.
func TestBestNOKPicksByConvertedCost(t *testing.T) {
	ctx := context.Background()
	// alpha: 100 EUR × 11.7215 = 1172.15 NOK. beta: 105 USD × 11.7215 ÷
	// 1.0823 = 1137.168… → 1137.17 NOK: cheaper in NOK though 105 > 100.
	e := newFXEngine(t, todaysRates(), shop("alpha", "EUR", product("A", "PART-1", 100, 5)), shop("beta", "USD", product("B", "part-1", 105, 5)))
	ps, err := e.FindProduct(ctx, fxCall(nil), "NOK", "x", "best:NOK")
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, "beta:B", ps[0].ERPProductKey)
	assert.Equal(t, "best:NOK", ps[0].ERPPriceListKey)
	assert.Equal(t, 1137.17, ps[0].UnitCost)
	assert.Equal(t, "[M:1172.15] NOK ([M:100.00] EUR), stock [I:5]", field(ps[0].ExtraInfo, "Source Alpha"))
	assert.Equal(t, "[M:1137.17] NOK ([M:105.00] USD), stock [I:5]", field(ps[0].ExtraInfo, "Source Beta (chosen)"))

	// With a fixed USD rate of 1.0 beta costs 105 × 11.7215 = 1230.76 NOK:
	// alpha wins.
	ps, err = e.FindProduct(ctx, fxCall(map[string]string{settings.KeyPricingFXRates: "USD=1.0"}), "NOK", "x", "best:NOK")
	require.NoError(t, err)
	assert.Equal(t, "alpha:A", ps[0].ERPProductKey)
	assert.Equal(t, 1172.15, ps[0].UnitCost)

	// A source without a rate is never the cheapest: gamma's 1 CHF has no
	// CHF rate to convert with.
	e = newFXEngine(t, todaysRates(), shop("alpha", "EUR", product("A", "PART-1", 100, 5)), shop("gamma", "CHF", product("G", "part-1", 1, 5)))
	ps, err = e.FindProduct(ctx, fxCall(map[string]string{settings.KeyPricingCurrencies: "NOK"}), "NOK", "x", "best:NOK")
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, "alpha:A", ps[0].ERPProductKey)
	assert.Equal(t, "no price, stock [I:5]", field(ps[0].ExtraInfo, "Source Gamma"))
}

func nokContext(lines ...*so.QuoteLineInfo) *so.QuoteAlternativeContextInfo {
	actx := alternative(lines...)
	actx.CRMSale = &so.ISaleInfo{Currency: "NOK"}
	return actx
}

// A quantity change across a volume break changes the NOK cost.
func TestVolumeBreaksInNOK(t *testing.T) {
	ctx := context.Background()
	special := product("SP", "PART-SP", 100, 50)
	special.Offer.Special = &distributors.SpecialPrice{Price: 97, From: today.AddDate(0, 0, -1), To: today.AddDate(0, 0, 5)}
	alpha := shop("alpha", "EUR", volumeProduct(), special)
	e := newFXEngine(t, todaysRates(), alpha)
	c := fxCall(nil)

	lines, err := e.QuoteLinesFromProduct(ctx, c, "alpha:VOL", nokContext())
	require.NoError(t, err)
	require.Len(t, lines, 1)
	l := lines[0]
	assert.Equal(t, "alpha:NOK", l.ERPPriceListKey, "the sale's currency")
	// 50.02 × 11.7215 = 586.30943 → 586.31
	assert.Equal(t, 586.31, l.UnitCost)
	assert.InDelta(t, 586.31*1.2, l.UnitListPrice, 1e-9)
	assert.Equal(t, so.StatusOk, l.Status)
	// 47.92 × 11.7215 = 561.69428 → 561.69; 45.15 × 11.7215 = 529.225725 → 529.23
	assert.Equal(t, "from [I:10]: [M:561.69] NOK, from [I:50]: [M:529.23] NOK", field(l.ExtraInfo, "Volume prices"))
	assert.Equal(t, "[M:50.02] EUR", field(l.ExtraInfo, "Distributor price"))

	for _, step := range []struct {
		qty        float64
		cost       float64
		sourceCost string
	}{
		{10, 561.69, "[M:47.92] EUR"},
		{50, 529.23, "[M:45.15] EUR"},
		{3, 586.31, "[M:50.02] EUR"},
	} {
		l.Quantity = step.qty
		l = e.OnQuoteLineChanged(ctx, c, l, []string{"QuoteLine.Quantity"}, nokContext())
		assert.Equal(t, step.cost, l.UnitCost, "quantity %v", step.qty)
		assert.InDelta(t, 586.31*1.2, l.UnitListPrice, 1e-9, "the list price stays")
		assert.Equal(t, step.sourceCost, field(l.ExtraInfo, "Distributor price"), "the source price follows the quantity")
		assert.Contains(t, l.RawExtraInfo, strings.TrimSuffix(step.sourceCost, " EUR"))
	}

	// A special price valid today is converted the same way: 97 × 11.7215
	// = 1136.9855 → 1136.99.
	lines, err = e.QuoteLinesFromProduct(ctx, c, "alpha:SP", nokContext())
	require.NoError(t, err)
	assert.Equal(t, 1136.99, lines[0].UnitCost)

	// GetProduct(s) convert too.
	p, err := e.GetProduct(ctx, c, "alpha:VOL", nokContext())
	require.NoError(t, err)
	require.NotNil(t, p)
	assert.Equal(t, "alpha:NOK", p.ERPPriceListKey)
	assert.Equal(t, 586.31, p.UnitCost)
	ps, err := e.GetProducts(ctx, c, []string{"alpha:VOL", "alpha:SP"}, nokContext())
	require.NoError(t, err)
	require.Len(t, ps, 2)
	assert.Equal(t, 586.31, ps[0].UnitCost)
	assert.Equal(t, 1136.99, ps[1].UnitCost)
}

func TestStaleRatesWarnButConvert(t *testing.T) {
	ctx := context.Background()
	r := todaysRates()
	r.t.Date = today.AddDate(0, 0, -5).Truncate(24 * time.Hour) // 5 days > 96 h
	e := newFXEngine(t, r, shop("alpha", "EUR", volumeProduct()))

	lines, err := e.QuoteLinesFromProduct(ctx, fxCall(nil), "alpha:VOL", nokContext())
	require.NoError(t, err)
	l := lines[0]
	assert.Equal(t, 586.31, l.UnitCost, "still converted")
	assert.Equal(t, so.StatusWarning, l.Status)
	assert.Contains(t, l.Reason, "The exchange rate EUR to NOK is from [D:03/05/2030] and may be out of date")
	assert.Contains(t, l.Reason, `NO:"Valutakursen EUR til NOK er fra [D:03/05/2030]`)

	// Recalculating the alternative finds the product cached and warns as
	// well.
	l.Status, l.Reason = so.StatusOk, ""
	a := e.RecalculateAlternative(ctx, fxCall(nil), nokContext(l).CRMAlternativeWithLines)
	assert.Equal(t, so.StatusWarning, a.CRMQuoteLines[0].Status)
	assert.Equal(t, so.StatusWarning, a.CRMAlternative.Status)

	// A fixed rate never ages.
	lines, err = e.QuoteLinesFromProduct(ctx, fxCall(map[string]string{settings.KeyPricingFXRates: "NOK=11.7215"}), "alpha:VOL", nokContext())
	require.NoError(t, err)
	assert.Equal(t, so.StatusOk, lines[0].Status)
}

// No rate for the quote's currency: no made-up number, an Error naming the
// missing rate.
func TestMissingRateIsAnError(t *testing.T) {
	ctx := context.Background()
	e := newFXEngine(t, todaysRates(), shop("alpha", "EUR", volumeProduct()))
	c := fxCall(map[string]string{settings.KeyPricingCurrencies: "DKK"})
	dkk := func(lines ...*so.QuoteLineInfo) *so.QuoteAlternativeContextInfo {
		actx := alternative(lines...)
		actx.CRMSale = &so.ISaleInfo{Currency: "DKK"}
		return actx
	}

	ps, err := e.FindProduct(ctx, c, "DKK", "x", "")
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, "alpha:DKK", ps[0].ERPPriceListKey)
	assert.Zero(t, ps[0].UnitCost, "unknown, not guessed")
	assert.Zero(t, ps[0].UnitListPrice)
	assert.Equal(t, 7.0, ps[0].InStock, "stock is still known")
	assert.Equal(t, "none for DKK: not priced in DKK", field(ps[0].ExtraInfo, "Exchange rate"))

	lines, err := e.QuoteLinesFromProduct(ctx, c, "alpha:VOL", dkk())
	require.NoError(t, err)
	l := lines[0]
	assert.Equal(t, "alpha:DKK", l.ERPPriceListKey)
	assert.Zero(t, l.UnitCost)
	assert.Zero(t, l.UnitListPrice)
	assert.Equal(t, so.StatusError, l.Status)
	assert.Contains(t, l.Reason, "No exchange rate from EUR to DKK (none for DKK): this line cannot be priced in DKK")

	// A line that was priced keeps its prices, with the Error.
	l.UnitCost, l.UnitListPrice, l.Quantity = 373, 450, 10
	l = e.OnQuoteLineChanged(ctx, c, l, []string{"Quantity"}, dkk())
	assert.Equal(t, 373.0, l.UnitCost)
	assert.Equal(t, so.StatusError, l.Status)

	qctx := version(so.ActionValidate, l)
	r := e.UpdateQuoteVersionPrices(ctx, c, qctx, []string{"UnitCost", "UnitListPrice", "UnitMinimumPrice"})
	assert.Equal(t, 373.0, l.UnitCost, "not updated without a rate")
	assert.Equal(t, so.StatusError, l.Status)
	assert.Equal(t, so.StatusError, r.State)
	r = e.ValidateQuoteVersion(ctx, c, qctx, so.ActionSendQuote)
	assert.False(t, r.IsOk, "blocks sending")
}

// Validation warns when today's rate moves a quoted line's cost by more
// than 2 %.
func TestValidateWarnsWhenTheRateMoved(t *testing.T) {
	ctx := context.Background()
	r := todaysRates()
	e := newFXEngine(t, r, shop("alpha", "EUR", volumeProduct()))
	c := fxCall(nil)
	lines, err := e.QuoteLinesFromProduct(ctx, c, "alpha:VOL", nokContext())
	require.NoError(t, err)
	l := lines[0] // 586.31 NOK

	check := func(nok string) *so.QuoteLineInfo {
		r.t.Rates["NOK"] = d(nok)
		qctx := version(so.ActionValidate, l)
		e.ValidateQuoteVersion(ctx, c, qctx, so.ActionValidate)
		return l
	}
	// 50.02 × 11.95 = 597.739 → 597.74: +1.95 %, quiet
	assert.Equal(t, so.StatusOk, check("11.95").Status)
	// 50.02 × 12 = 600.24: +2.376 %
	got := check("12")
	assert.Equal(t, so.StatusWarning, got.Status)
	assert.Contains(t, got.Reason, "At today's exchange rate (1 EUR = [F:12] NOK (reference rate of [D:03/10/2030])) this line's cost is [M:600.24] NOK, [F:2.4] % away from the [M:586.31] NOK it was quoted with")
	// 50.02 × 11.45 = 572.729 → 572.73: −2.316 %
	got = check("11.45")
	assert.Contains(t, got.Reason, "[F:-2.3] %")

	// Updating the prices takes today's rate and the warning goes.
	r.t.Rates["NOK"] = d("12")
	qctx := version(so.ActionUpdatePrices, l)
	e.UpdateQuoteVersionPrices(ctx, c, qctx, []string{"UnitCost"})
	assert.Equal(t, 600.24, l.UnitCost)
	assert.Equal(t, "1 EUR = [F:12] NOK, reference rate of [D:03/10/2030]", field(l.ExtraInfo, "Exchange rate"), "the line records the rate of its cost")
	assert.Equal(t, so.StatusOk, l.Status)
}

// Orders stay in the distributor's currency and say at which rate the
// quote was made.
func TestPlaceOrderInTheDistributorsCurrency(t *testing.T) {
	ctx := context.Background()
	alpha := shop("alpha", "EUR", volumeProduct())
	var sent []distributors.Order
	alpha.PlaceOrderFn = func(_ context.Context, o distributors.Order) (distributors.OrderReceipt, error) {
		sent = append(sent, o)
		return distributors.OrderReceipt{OrderID: "A1"}, nil
	}
	r := todaysRates()
	e := newFXEngine(t, r, alpha)
	c := fxCall(nil)
	lines, err := e.QuoteLinesFromProduct(ctx, c, "alpha:VOL", nokContext())
	require.NoError(t, err)
	lines[0].Quantity = 2
	r.t.Rates["NOK"] = d("12") // the rate moves after quoting

	resp := e.PlaceOrder(ctx, c, nokContext(lines[0]))
	require.True(t, resp.IsOk, resp.UserExplanation)
	require.Len(t, sent, 1)
	assert.Equal(t, "EUR", sent[0].Currency, "what the distributor expects")
	assert.Equal(t, []distributors.OrderLine{{LineID: 0, ProductID: "VOL", Quantity: 2}}, sent[0].Lines)
	text := so.ParseText(resp.UserExplanation)
	assert.Equal(t, "Order placed: Alpha A1. Alpha: ordered in EUR, the distributor's currency; the quote in NOK was made at 1 EUR = [F:11.7215] NOK (reference rate of [D:03/10/2030]).", text.US)
	assert.Contains(t, text.NO, "bestilt i EUR")
	assert.Contains(t, text.NO, "(referansekurs fra [D:03/10/2030])")
	assert.Contains(t, text.GE, "bestellt in EUR")

	// A line that does not record its rate: today's, named as such.
	bare := &so.QuoteLineInfo{ERPProductKey: "alpha:VOL", ERPPriceListKey: "alpha:NOK", Quantity: 1}
	actx := nokContext(bare)
	actx.CRMAlternativeWithLines.CRMAlternative.QuoteAlternativeId = 10
	resp = e.PlaceOrder(ctx, c, actx)
	require.True(t, resp.IsOk, resp.UserExplanation)
	assert.Equal(t, "EUR", sent[1].Currency)
	assert.Contains(t, so.ParseText(resp.UserExplanation).US, "the quote in NOK does not say which rate it was made with (today: 1 EUR = [F:12] NOK (reference rate of [D:03/10/2030])).")
}
