package engine_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/mock"
	"github.com/quoteconnector/quoteconnector/internal/engine"
	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/settings"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// The engine against function-field fakes of distributors.Distributor:
// no sandbox, no HTTP. The fakes are named alpha and beta on purpose: the
// engine must decide from Capabilities, never from a distributor's name.

var today = time.Date(2030, 3, 10, 12, 0, 0, 0, time.UTC)

func newEngine(t *testing.T, ds ...*mock.Distributor) *engine.Engine {
	st, _ := storetest.SQLite(t)
	orders := ledger.New(ledger.Options{Store: st, Owner: "test", IsUncertain: distributors.IsUncertain})
	return engine.New(engine.Options{Registry: mock.Registry(ds...), Now: func() time.Time { return today }, Ledger: orders})
}

func call() engine.Call {
	c, _ := settings.Parse(nil)
	return engine.Call{Tenant: "t1", ConnectionID: 1, Conn: c}
}

// catalog is a fake catalog distributor in EUR that knows products.
func catalog(name string, products ...distributors.Product) *mock.Distributor {
	byID := map[string]distributors.Product{}
	for i := range products {
		products[i].Distributor = name
		byID[products[i].ID] = products[i]
	}
	return &mock.Distributor{
		Key:          name,
		Caps:         distributors.Capabilities{Catalog: true, PlaceOrder: true, OrderStatus: true},
		CurrenciesFn: func(context.Context) ([]string, error) { return []string{"EUR"}, nil },
		SearchFn: func(_ context.Context, q distributors.Query) ([]distributors.Product, error) {
			return products, nil
		},
		ProductsFn: func(_ context.Context, ids []string, cur string) ([]distributors.Product, error) {
			var out []distributors.Product
			for _, id := range ids {
				if p, ok := byID[id]; ok {
					out = append(out, p)
				}
			}
			return out, nil
		},
	}
}

func product(id, part string, cost, stock float64) distributors.Product {
	return distributors.Product{ID: id, PartNumber: part, Name: "Thing " + part,
		Offer: &distributors.Offer{Currency: "EUR", Cost: cost, Stock: &distributors.Stock{Available: stock}}}
}

func TestBestPriceSourcing(t *testing.T) {
	alpha := catalog("alpha", product("A-1", "PART-1", 100, 0), product("A-2", "PART-2", 50, 5))
	beta := catalog("beta", product("B-1", "part-1", 120, 3), product("B-2", "PART-2", 40, 5))
	e := newEngine(t, alpha, beta)
	ctx := context.Background()

	lists, err := e.PriceLists(ctx, call(), "")
	require.NoError(t, err)
	var keys []string
	for _, l := range lists {
		keys = append(keys, l.ERPPriceListKey)
	}
	assert.Equal(t, []string{"alpha:EUR", "beta:EUR", "best:EUR"}, keys, "best:<cur> with two catalog distributors")

	ps, err := e.FindProduct(ctx, call(), "", "thing", "best:EUR")
	require.NoError(t, err)
	require.Len(t, ps, 2, "one product per part number")
	var got []string
	for _, p := range ps {
		got = append(got, p.ERPProductKey)
		assert.Equal(t, "best:EUR", p.ERPPriceListKey)
	}
	// PART-1 (part numbers match case-insensitively): alpha is cheaper but
	// has none in stock; beta has stock. PART-2: both in stock, beta cheaper.
	assert.ElementsMatch(t, []string{"beta:B-1", "beta:B-2"}, got)

	// One source down: the other still answers.
	alpha.SearchFn = func(context.Context, distributors.Query) ([]distributors.Product, error) {
		return nil, distributors.Errorf("alpha", "Search", distributors.KindUnavailable, "down")
	}
	ps, err = e.FindProduct(ctx, call(), "", "thing", "best:EUR")
	require.NoError(t, err)
	assert.Len(t, ps, 2)

	// With one catalog distributor there is no best list.
	lists, err = newEngine(t, catalog("alpha")).PriceLists(ctx, call(), "")
	require.NoError(t, err)
	require.Len(t, lists, 1)
	assert.Equal(t, "alpha:EUR", lists[0].ERPPriceListKey)
}

func line(key string, qty float64) *so.QuoteLineInfo {
	return &so.QuoteLineInfo{ERPProductKey: key, ERPPriceListKey: "best:EUR", Quantity: qty, UnitListPrice: 200}
}

func alternative(lines ...*so.QuoteLineInfo) *so.QuoteAlternativeContextInfo {
	return &so.QuoteAlternativeContextInfo{
		CRMQuote:                &so.QuoteInfo{QuoteId: 7},
		CRMQuoteVersion:         &so.QuoteVersionInfo{QuoteVersionId: 8, Number: "Q-7-1"},
		CRMAlternativeWithLines: &so.QuoteAlternativeWithLinesInfo{CRMAlternative: &so.QuoteAlternativeInfo{QuoteAlternativeId: 9}, CRMQuoteLines: lines},
	}
}

func TestSplitOrder(t *testing.T) {
	alpha, beta := catalog("alpha"), catalog("beta")
	var alphaOrders, betaOrders atomic.Int32
	var sent []distributors.Order
	alpha.PlaceOrderFn = func(_ context.Context, o distributors.Order) (distributors.OrderReceipt, error) {
		alphaOrders.Add(1)
		sent = append(sent, o)
		return distributors.OrderReceipt{OrderID: "A100"}, nil
	}
	betaDown := true
	beta.PlaceOrderFn = func(_ context.Context, o distributors.Order) (distributors.OrderReceipt, error) {
		betaOrders.Add(1)
		if betaDown {
			return distributors.OrderReceipt{}, &distributors.Error{Distributor: "beta", Call: "PlaceOrder", Kind: distributors.KindRejected,
				Message: "not enough stock", Problems: []distributors.LineProblem{{LineID: 1, Message: "only 2 left"}}}
		}
		return distributors.OrderReceipt{OrderID: "B200"}, nil
	}
	e := newEngine(t, alpha, beta)
	ctx := context.Background()
	actx := alternative(line("alpha:SKU-1/red", 2), line("beta:55", 3), line("", 1))

	r := e.PlaceOrder(ctx, call(), actx)
	assert.False(t, r.IsOk, "a part failed")
	assert.Equal(t, "alpha:A100", actx.CRMQuote.ERPOrderKey, "only the placed part")
	assert.Contains(t, r.UserExplanation, "Beta")
	assert.Contains(t, r.UserExplanation, "not enough stock")
	assert.Equal(t, so.StatusError, actx.CRMAlternativeWithLines.CRMQuoteLines[1].Status, "the refused line is marked")
	require.Len(t, sent, 1)
	assert.Equal(t, []distributors.OrderLine{{LineID: 0, ProductID: "SKU-1/red", Quantity: 2}}, sent[0].Lines,
		"the key's id reaches the adapter as it is: reading a variant from it is the adapter's business")
	assert.Equal(t, "Q-7-1", sent[0].Reference)

	// The retry sends only what is missing.
	betaDown = false
	r = e.PlaceOrder(ctx, call(), actx)
	assert.True(t, r.IsOk, r.UserExplanation)
	assert.Equal(t, "alpha:A100;beta:B200", actx.CRMQuote.ERPOrderKey)
	assert.Equal(t, int32(1), alphaOrders.Load(), "alpha ordered once")
	assert.Equal(t, int32(2), betaOrders.Load())
}

func TestUncertainOrderIsNotSentAgain(t *testing.T) {
	alpha := catalog("alpha")
	var n atomic.Int32
	alpha.PlaceOrderFn = func(context.Context, distributors.Order) (distributors.OrderReceipt, error) {
		n.Add(1)
		return distributors.OrderReceipt{}, &distributors.Error{Distributor: "alpha", Call: "PlaceOrder", Kind: distributors.KindUnavailable,
			Message: "no answer in time", Uncertain: true}
	}
	e := newEngine(t, alpha)
	actx := alternative(line("alpha:X", 1))
	for range 2 {
		r := e.PlaceOrder(context.Background(), call(), actx)
		assert.False(t, r.IsOk)
		assert.Contains(t, r.UserExplanation, "may have been placed")
	}
	assert.Equal(t, int32(1), n.Load())
	assert.Empty(t, actx.CRMQuote.ERPOrderKey)
}

func TestOrderState(t *testing.T) {
	alpha := catalog("alpha")
	var asked []distributors.OrderRef
	alpha.OrderStatusFn = func(_ context.Context, refs []distributors.OrderRef) ([]distributors.OrderStatus, error) {
		asked = append(asked, refs...)
		return []distributors.OrderStatus{{Ref: refs[0], OrderID: "A100", State: distributors.OrderPartShipped, StatusText: "PART",
			Lines: []distributors.OrderLineStatus{{ProductID: "SKU-1", Quantity: 2, Delivered: 1, State: distributors.OrderShipped, StatusText: "Shipped"}}}}, nil
	}
	// gamma has no catalog and finds orders by the reseller's own number.
	gamma := &mock.Distributor{Key: "gamma", Caps: distributors.Capabilities{OrderStatus: true, FindsOrdersByCustomerNumber: true}}
	var gammaAsked []distributors.OrderRef
	gamma.OrderStatusFn = func(_ context.Context, refs []distributors.OrderRef) ([]distributors.OrderStatus, error) {
		gammaAsked = append(gammaAsked, refs...)
		return []distributors.OrderStatus{{Ref: refs[0], OrderID: "0000000042", State: distributors.OrderInvoiced,
			Lines: []distributors.OrderLineStatus{{PartNumber: "CODE-9", Quantity: 1, Delivered: 1, State: distributors.OrderInvoiced}}}}, nil
	}
	// delta also could, but the quote names one of its orders.
	delta := &mock.Distributor{Key: "delta", Caps: distributors.Capabilities{OrderStatus: true, FindsOrdersByCustomerNumber: true}}
	var deltaAsked []distributors.OrderRef
	delta.OrderStatusFn = func(_ context.Context, refs []distributors.OrderRef) ([]distributors.OrderStatus, error) {
		deltaAsked = append(deltaAsked, refs...)
		return nil, nil // unknown
	}
	e := newEngine(t, alpha, gamma, delta)
	other := &so.QuoteLineInfo{ERPProductKey: "", Code: "CODE-9", Quantity: 1}
	actx := alternative(line("alpha:SKU-1", 2), other)
	actx.CRMQuote.ERPOrderKey = "alpha:A100;delta:D1"

	r, err := e.GetOrderState(context.Background(), call(), actx)
	require.NoError(t, err)
	require.NotNil(t, r)
	assert.Equal(t, []distributors.OrderRef{{ID: "A100"}}, asked)
	assert.Equal(t, []distributors.OrderRef{{ID: "Q-7-1", ByCustomerNumber: true}}, gammaAsked, "found by the version number")
	assert.Equal(t, []distributors.OrderRef{{ID: "D1"}}, deltaAsked, "the quote names its order")
	lines := actx.CRMAlternativeWithLines.CRMQuoteLines
	assert.Equal(t, 1.0, lines[0].DeliveredQuantity)
	assert.Contains(t, lines[0].Reason, "Alpha order A100")
	assert.Equal(t, 1.0, lines[1].DeliveredQuantity, "matched by Code")
	reason := actx.CRMAlternativeWithLines.CRMAlternative.Reason
	assert.Contains(t, reason, "Gamma order 0000000042")
	assert.Contains(t, reason, "Delta does not know order D1")

	// Nothing changed: nil.
	r, err = e.GetOrderState(context.Background(), call(), actx)
	require.NoError(t, err)
	assert.Nil(t, r)
}

func version(action so.QuoteAction, lines ...*so.QuoteLineInfo) *so.QuoteVersionContextInfo {
	return &so.QuoteVersionContextInfo{
		CRMQuote:        &so.QuoteInfo{QuoteId: 7},
		CRMQuoteVersion: &so.QuoteVersionInfo{QuoteVersionId: 8, State: so.StateOf(so.StateDraft)},
		CRMAlternativesWithLines: []*so.QuoteAlternativeWithLinesInfo{{
			CRMAlternative: &so.QuoteAlternativeInfo{QuoteAlternativeId: 9}, CRMQuoteLines: lines}},
	}
}

func TestValidateQuoteVersion(t *testing.T) {
	old := product("OLD", "P-OLD", 10, 5)
	old.Discontinued = true
	alpha := catalog("alpha", product("FEW", "P-FEW", 10, 2), old, product("OK", "P-OK", 10, 100))
	strict := catalog("strict", product("S", "P-S", 10, 1))
	strict.Caps.RejectsOverStock = true
	e := newEngine(t, alpha, strict)
	ctx := context.Background()

	few, gone, unknown, fine, strictLine := line("alpha:FEW", 5), line("alpha:OLD", 1), line("alpha:NOPE", 1), line("alpha:OK", 1), line("strict:S", 3)
	for _, l := range []*so.QuoteLineInfo{few, gone, unknown, fine} {
		l.ERPPriceListKey = "alpha:EUR"
	}
	strictLine.ERPPriceListKey = "strict:EUR"
	qctx := version(so.ActionValidate, few, gone, unknown, fine, strictLine)
	r := e.ValidateQuoteVersion(ctx, call(), qctx, so.ActionValidate)
	assert.Equal(t, so.StatusWarning, few.Status, "over stock is a warning")
	assert.Contains(t, few.Reason, "Only [I:2] in stock at Alpha")
	assert.Equal(t, so.StatusError, gone.Status, "discontinued")
	assert.Equal(t, so.StatusError, unknown.Status, "unknown at a catalog distributor")
	assert.Equal(t, so.StatusOk, fine.Status)
	assert.Equal(t, so.StatusWarning, strictLine.Status, "validation alone: a warning")
	assert.Equal(t, so.StatusError, r.State)

	// Placing an order: a distributor that refuses orders above stock
	// makes the line an Error; the other only warns.
	qctx = version(so.ActionPlaceOrder, few, strictLine)
	r = e.ValidateQuoteVersion(ctx, call(), qctx, so.ActionPlaceOrder)
	assert.Equal(t, so.StatusWarning, few.Status)
	assert.Equal(t, so.StatusError, strictLine.Status)
	assert.False(t, r.IsOk)

	// A distributor that does not answer: lines unchecked, state unchanged.
	// (A new engine: this one's short-lived cache still holds alpha's
	// products.)
	alpha.ProductsFn = func(context.Context, []string, string) ([]distributors.Product, error) {
		return nil, errors.New("connection reset")
	}
	e = newEngine(t, alpha, strict)
	qctx = version(so.ActionValidate, line("alpha:OK", 1))
	qctx.CRMAlternativesWithLines[0].CRMQuoteLines[0].ERPPriceListKey = "alpha:EUR"
	r = e.ValidateQuoteVersion(ctx, call(), qctx, so.ActionValidate)
	assert.Equal(t, so.StatusWarning, qctx.CRMAlternativesWithLines[0].CRMQuoteLines[0].Status)
	assert.Contains(t, r.UserExplanation, "Alpha did not answer")
	assert.Equal(t, so.StateDraft, qctx.CRMQuoteVersion.State.Code())
}

func TestCapabilitiesFollowTheDistributors(t *testing.T) {
	ordering := catalog("alpha")
	confirming := catalog("beta")
	confirming.Caps.ConfirmsOrders = true
	statusOnly := &mock.Distributor{Key: "gamma", Caps: distributors.Capabilities{OrderStatus: true}}

	caps := newEngine(t, confirming).Capabilities(call())
	assert.True(t, caps[engine.CapPlaceOrder])
	assert.True(t, caps[engine.CapSendOrderConfirm], "the only ordering distributor confirms")
	caps = newEngine(t, confirming, ordering).Capabilities(call())
	assert.False(t, caps[engine.CapSendOrderConfirm], "one ordering distributor does not confirm")
	caps = newEngine(t, statusOnly).Capabilities(call())
	assert.True(t, caps[engine.CapOrderState])
	assert.False(t, caps[engine.CapPlaceOrder])
	assert.False(t, caps[engine.CapCost])

	r := newEngine(t).TestConnection(context.Background(), call())
	assert.False(t, r.IsOk)
	assert.Contains(t, r.UserExplanation, "No distributor is enabled")
}
