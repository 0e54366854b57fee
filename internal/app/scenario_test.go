package app_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/logicomsim"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/nuviassim"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

func find(t *testing.T, env *apptest.Env, input, priceList string) []so.ProductInfo {
	t.Helper()
	r := env.Post(t, "FindProduct", map[string]any{"UserInput": input, "PriceListKey": priceList, "CurrencyCode": "EUR"})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var ps []so.ProductInfo
	r.JSON(t, &ps)
	return ps
}

func keys(ps []so.ProductInfo) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ERPProductKey
	}
	return out
}

func TestSharedPartShowsBothSourcesAndBestPicksCheaperInStock(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ex := env.Example
	cases := []struct {
		name, part string
	}{
		{"logicom cheaper", ex.SharedLogicomCheaper},
		{"nuvias cheaper", ex.SharedNuviasCheaper},
		{"cheaper source out of stock", ex.SharedCheaperNoStock},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nuviasKey := "nuvias:" + strconv.Itoa(ex.NuviasIDOf[c.part])
			all := find(t, env, c.part, "")
			assert.Contains(t, keys(all), "logicom:"+c.part)
			assert.Contains(t, keys(all), nuviasKey)

			var l, n so.ProductInfo
			for _, p := range all {
				switch p.ERPProductKey {
				case "logicom:" + c.part:
					l = p
				case nuviasKey:
					n = p
				}
			}
			want := l
			switch {
			case l.InStock >= 1 && n.InStock < 1:
			case n.InStock >= 1 && l.InStock < 1:
				want = n
			case n.UnitCost < l.UnitCost:
				want = n
			}

			best := find(t, env, c.part, "best:EUR")
			var got *so.ProductInfo
			for i := range best {
				if strings.EqualFold(best[i].SupplierCode, c.part) {
					require.Nil(t, got, "one entry per part number")
					got = &best[i]
				}
			}
			require.NotNil(t, got)
			assert.Equal(t, want.ERPProductKey, got.ERPProductKey)
			assert.Equal(t, "best:EUR", got.ERPPriceListKey)
			var sources []string
			for _, x := range got.ExtraInfo {
				if strings.HasPrefix(x.Name, "Source ") {
					sources = append(sources, x.Name+" = "+x.Value)
				}
			}
			assert.Len(t, sources, 2, "both sources side by side")
		})
	}
}

func TestSearchByBrandWordAndPriceLists(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ps := find(t, env, "dell monitor", "logicom:EUR")
	require.NotEmpty(t, ps)
	for _, p := range ps {
		assert.True(t, strings.HasPrefix(p.ERPProductKey, "logicom:"))
		assert.Greater(t, p.UnitCost, 0.0)
		assert.Greater(t, p.UnitListPrice, p.UnitCost)
	}
	var lists []so.PriceListInfo
	env.Post(t, "GetActivePriceLists", `{"IsoCurrencyCode":"EUR"}`).JSON(t, &lists)
	var lk []string
	for _, l := range lists {
		lk = append(lk, l.ERPPriceListKey)
	}
	assert.ElementsMatch(t, []string{"logicom:EUR", "nuvias:EUR", "best:EUR"}, lk)
	assert.Nil(t, find(t, env, "", ""), "empty input is null")
}

func quoteLine(t *testing.T, env *apptest.Env, key string) *so.QuoteLineInfo {
	t.Helper()
	r := env.Post(t, "GetQuoteLinesFromProduct", map[string]any{"ErpProductKey": key})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var lines []*so.QuoteLineInfo
	r.JSON(t, &lines)
	require.Len(t, lines, 1, "%s", r.Body)
	return lines[0]
}

func changeQuantity(t *testing.T, env *apptest.Env, l *so.QuoteLineInfo, qty float64) *so.QuoteLineInfo {
	t.Helper()
	l.Quantity = qty
	r := env.Post(t, "OnQuoteLineChanged", map[string]any{"QuoteLine": l, "ChangedFields": []string{"QuoteLine.Quantity"}})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var out so.QuoteLineInfo
	r.JSON(t, &out)
	return &out
}

func TestVolumeBreakChangesCostKeepsListPrice(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	sku := env.Example.VolumeSKU
	item, ok := env.Sandbox.Catalog.Logicom.Item(sku)
	require.True(t, ok)
	breaks := item.Prices["EUR"].Volume
	require.NotEmpty(t, breaks)

	line := quoteLine(t, env, "logicom:"+sku)
	assert.Equal(t, 1.0, line.Quantity)
	assert.Equal(t, "logicom:EUR", line.ERPPriceListKey)
	cost1, list1 := line.UnitCost, line.UnitListPrice

	crossed := changeQuantity(t, env, line, float64(breaks[0].Quantity))
	assert.Less(t, crossed.UnitCost, cost1, "cost falls when the quantity crosses a volume break")
	assert.InDelta(t, item.Prices["EUR"].Effective(breaks[0].Quantity, env.Sandbox.Catalog.Today), crossed.UnitCost, 0.001)
	assert.Equal(t, list1, crossed.UnitListPrice, "list price stays")
	assert.InDelta(t, crossed.UnitCost*1.05, crossed.UnitMinimumPrice, 0.001)
	assert.InDelta(t, crossed.UnitListPrice*crossed.Quantity, crossed.SubTotal, 0.001)

	back := changeQuantity(t, env, crossed, 1)
	assert.InDelta(t, cost1, back.UnitCost, 0.001)
}

func TestOverStockWarningNamesPODate(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	sku := env.Example.ZeroStockPOSKU
	item, _ := env.Sandbox.Catalog.Logicom.Item(sku)
	line := quoteLine(t, env, "logicom:"+sku)
	assert.Equal(t, so.StatusWarning, line.Status, "already 1 > stock 0")
	over := changeQuantity(t, env, line, 3)
	assert.Equal(t, so.StatusWarning, over.Status)
	reason := so.ParseText(over.Reason)
	assert.Contains(t, reason.US, "Only [I:0] in stock at Logicom")
	assert.Contains(t, reason.US, so.DateMarker(item.Incoming[0].DeliveryDate))
	assert.NotEmpty(t, reason.NO)
	assert.NotEmpty(t, reason.GE)
}

func TestDiscontinuedLineIsError(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	line := &so.QuoteLineInfo{ERPProductKey: "logicom:" + env.Example.DiscontinuedSKU, ERPPriceListKey: "logicom:EUR", Quantity: 1, UnitListPrice: 100, UnitCost: 80}
	out := changeQuantity(t, env, line, 2)
	assert.Equal(t, so.StatusError, out.Status)
	assert.Contains(t, out.Reason, "no longer offers")
}

// quoteContext builds a version context with one alternative of lines.
func quoteContext(lines ...*so.QuoteLineInfo) map[string]any {
	for i, l := range lines {
		l.QuoteLineId = 100 + i
		l.QuoteAlternativeId = 11
		l.Rank = i + 1
	}
	alt := map[string]any{"CRMAlternative": map[string]any{"QuoteAlternativeId": 11, "QuoteVersionId": 21, "Name": "A"}, "CRMQuoteLines": lines}
	return map[string]any{
		"CRMQuote":                 map[string]any{"QuoteId": 31, "PoNumber": "PO-777", "SomethingSuperOfficeAdded": map[string]any{"x": 1}},
		"CRMQuoteVersion":          map[string]any{"QuoteVersionId": 21, "QuoteId": 31, "Number": "Q-1001-1", "State": 2},
		"CRMAlternativesWithLines": []any{alt},
		"CRMPerson":                map[string]any{"Firstname": "Kari", "Lastname": "Nordmann", "Email": "kari@example.com"},
		"CRMCompany":               map[string]any{"Name": "Nordmann Data AS", "OrganisationNumber": "999888777"},
		"UserLanguageCode":         "nb-NO",
	}
}

func alternativeContext(qc map[string]any) map[string]any {
	alts := qc["CRMAlternativesWithLines"].([]any)
	c := map[string]any{}
	for k, v := range qc {
		if k != "CRMAlternativesWithLines" {
			c[k] = v
		}
	}
	c["CRMAlternativeWithLines"] = alts[0]
	return c
}

func TestQuoteLifecycleAcrossTwoDistributors(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ex := env.Example
	lLine := quoteLine(t, env, "logicom:"+ex.InStockSKU)
	nLine := quoteLine(t, env, "nuvias:"+strconv.Itoa(ex.NuviasIDOf[ex.SharedNuviasCheaper]))
	lLine.Quantity, nLine.Quantity = 2, 1
	qc := quoteContext(lLine, nLine)

	// Validate: DraftNotCalculated → Draft, LastRecalculated set.
	r := env.Post(t, "ValidateQuoteVersion", map[string]any{"QuoteContext": qc, "Action": "Validate"})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var vr so.QuoteResponseInfo
	r.JSON(t, &vr)
	assert.True(t, vr.IsOk, vr.UserExplanation)
	assert.Equal(t, so.StateDraft, vr.CRMQuoteVersion.State.Code())
	assert.False(t, vr.CRMQuoteVersion.LastRecalculated.IsZero())
	assert.Contains(t, string(r.Body), `"SomethingSuperOfficeAdded":{"x":1}`, "unknown members round-trip")

	// Update prices: only writeable fields change.
	lLine.UnitCost = 1
	r = env.Post(t, "UpdateQuoteVersionPrices", map[string]any{"QuoteContext": qc, "WriteableFields": []string{"unitcost", "unitminimumprice"}})
	require.Equal(t, http.StatusOK, r.Status)
	var ur so.QuoteVersionResponseInfo
	r.JSON(t, &ur)
	got := ur.CRMAlternativesWithLines[0].CRMQuoteLines[0]
	assert.Greater(t, got.UnitCost, 1.0, "cost refreshed")
	assert.InDelta(t, got.UnitListPrice*2, got.SubTotal, 0.001, "totals recalculated")

	// Place the order: one order per distributor.
	ctx := alternativeContext(qc)
	r = env.Post(t, "PlaceOrder", map[string]any{"Context": ctx})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var pr so.PlaceOrderResponseInfo
	r.JSON(t, &pr)
	require.True(t, pr.IsOk, "%s", r.Body)
	parts := strings.Split(pr.CRMQuote.ERPOrderKey, ";")
	require.Len(t, parts, 2, pr.CRMQuote.ERPOrderKey)
	assert.True(t, strings.HasPrefix(parts[0], "logicom:O"))
	assert.True(t, strings.HasPrefix(parts[1], "nuvias:"))
	assert.Equal(t, "PO-777", pr.CRMQuote.PoNumber)

	// Placing the same alternative again places nothing new.
	env.Post(t, "PlaceOrder", map[string]any{"Context": ctx})
	assert.Equal(t, 1, env.Sandbox.Logicom.CallCount(logicomsim.CallPostOrder))
	assert.Equal(t, 1, env.Sandbox.Nuvias.CallCount(nuviassim.CallCreateOrder))

	// Order state, then progress at both distributors.
	ctx["CRMQuote"] = map[string]any{"QuoteId": 31, "ERPOrderKey": pr.CRMQuote.ERPOrderKey}
	state := func() (int, so.OrderResponseInfo, string) {
		r := env.Post(t, "GetOrderState", map[string]any{"Context": ctx})
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
		var or so.OrderResponseInfo
		if string(r.Body) != "null" {
			r.JSON(t, &or)
		}
		return r.Status, or, string(r.Body)
	}
	_, or, _ := state()
	require.True(t, or.IsOk, or.UserExplanation)
	assert.Contains(t, or.CRMAlternativeWithLines.CRMAlternative.Reason, "Logicom order O")
	ctx["CRMAlternativeWithLines"] = or.CRMAlternativeWithLines
	_, _, body := state()
	assert.Equal(t, "null", body, "nothing changed → null")

	logicomOrder := strings.TrimPrefix(parts[0], "logicom:")
	nuviasOrder, _ := strconv.Atoi(strings.TrimPrefix(parts[1], "nuvias:"))
	for i := 0; i < 4; i++ {
		_ = env.Sandbox.Logicom.AdvanceOrder(logicomOrder)
	}
	for i := 0; i < 5; i++ {
		_ = env.Sandbox.Nuvias.AdvanceOrder(nuviasOrder)
	}
	_, or, _ = state()
	require.True(t, or.IsOk)
	lines := or.CRMAlternativeWithLines.CRMQuoteLines
	assert.Equal(t, 2.0, lines[0].DeliveredQuantity, "Logicom line delivered")
	assert.Equal(t, 1.0, lines[1].DeliveredQuantity, "Nuvias line delivered")
	assert.Contains(t, lines[1].Reason, "Nuvias order")
}

func TestPartialOrderFailureIsNotPlacedTwice(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ex := env.Example
	values := env.Sandbox.ConfigValues()
	values["nuvias.partShip"] = "0" // the Hub refuses a line above stock
	nid := ex.NuviasIDOf[ex.SharedNuviasCheaper]
	require.NoError(t, env.Sandbox.Nuvias.SetStock(nid, 0))

	lLine := &so.QuoteLineInfo{ERPProductKey: "logicom:" + ex.InStockSKU, ERPPriceListKey: "logicom:EUR", Quantity: 1, UnitListPrice: 10}
	nLine := &so.QuoteLineInfo{ERPProductKey: fmt.Sprintf("nuvias:%d", nid), ERPPriceListKey: "nuvias:EUR", Quantity: 3, UnitListPrice: 10}
	ctx := alternativeContext(quoteContext(lLine, nLine))

	r := env.Post(t, "PlaceOrder", map[string]any{"Context": ctx, "ConfigValues": values})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var pr so.PlaceOrderResponseInfo
	r.JSON(t, &pr)
	assert.False(t, pr.IsOk)
	assert.Equal(t, so.StatusError, pr.State)
	require.True(t, strings.HasPrefix(pr.CRMQuote.ERPOrderKey, "logicom:O"), pr.CRMQuote.ERPOrderKey)
	assert.NotContains(t, pr.CRMQuote.ERPOrderKey, "nuvias")
	user := so.ParseText(pr.UserExplanation).US
	assert.Contains(t, user, "Placed: Logicom O")
	assert.Contains(t, user, "Nuvias")

	// Stock arrives; the retry places only the Nuvias order.
	require.NoError(t, env.Sandbox.Nuvias.SetStock(nid, 50))
	r = env.Post(t, "PlaceOrder", map[string]any{"Context": ctx, "ConfigValues": values})
	r.JSON(t, &pr)
	require.True(t, pr.IsOk, pr.UserExplanation)
	assert.Contains(t, pr.CRMQuote.ERPOrderKey, "logicom:O")
	assert.Contains(t, pr.CRMQuote.ERPOrderKey, "nuvias:")
	assert.Equal(t, 1, env.Sandbox.Logicom.CallCount(logicomsim.CallPostOrder), "Logicom order placed once")
}

func TestWestconOrderStateByWAndCNumbers(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ex := env.Example
	var order = env.Sandbox.Catalog.Westcon.Orders[0]
	for _, o := range env.Sandbox.Catalog.Westcon.Orders {
		if o.WestconNumber == ex.WestconOrder {
			order = o
		}
	}
	var lines []*so.QuoteLineInfo
	for _, wl := range order.Lines {
		lines = append(lines, &so.QuoteLineInfo{Code: wl.ProductNumber, Name: wl.ProductNumber, Quantity: wl.Quantity})
	}
	// W: the quote carries the Westcon order key.
	ctx := alternativeContext(quoteContext(lines...))
	ctx["CRMQuote"] = map[string]any{"ERPOrderKey": "westcon:" + order.WestconNumber}
	r := env.Post(t, "GetOrderState", map[string]any{"Context": ctx})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var or so.OrderResponseInfo
	r.JSON(t, &or)
	require.True(t, or.IsOk, "%s", r.Body)
	matched := 0
	for _, l := range or.CRMAlternativeWithLines.CRMQuoteLines {
		if strings.Contains(l.Reason, "Westcon order") {
			matched++
		}
	}
	assert.Equal(t, len(lines), matched, "%s", r.Body)

	// C: no key; the version number is the reseller's own order number.
	lines2 := make([]*so.QuoteLineInfo, len(lines))
	for i, l := range lines {
		c := *l
		c.Status, c.Reason = 0, ""
		lines2[i] = &c
	}
	qc := quoteContext(lines2...)
	qc["CRMQuoteVersion"] = map[string]any{"Number": order.CustomerNumber, "State": 6}
	ctx = alternativeContext(qc)
	r = env.Post(t, "GetOrderState", map[string]any{"Context": ctx})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	r.JSON(t, &or)
	require.True(t, or.IsOk, "%s", r.Body)
	assert.Contains(t, or.CRMAlternativeWithLines.CRMAlternative.Reason, "Westcon order")
}

func TestOneDistributorDownGivesPartialResults(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	env.Sandbox.Nuvias.Faults().Set(faults.Config{ErrorRate: 1})
	ps := find(t, env, "dell monitor", "")
	require.NotEmpty(t, ps)
	for _, p := range ps {
		assert.True(t, strings.HasPrefix(p.ERPProductKey, "logicom:"))
	}
	m := env.Do(t, http.MethodGet, "/metrics", nil, nil)
	assert.Contains(t, string(m.Body), `qc_distributor_failures_total{distributor="nuvias",operation="FindProduct"}`)

	env.Sandbox.Logicom.Faults().Set(faults.Config{MalformedJSON: true})
	r := env.Post(t, "FindProduct", `{"UserInput":"dell monitor"}`)
	assert.Equal(t, http.StatusBadGateway, r.Status)
	assert.Contains(t, string(r.Body), "logicom")
	assert.Contains(t, string(r.Body), "nuvias")

	// A line edit while the distributor is down keeps serving with a Warning.
	l := &so.QuoteLineInfo{ERPProductKey: "nuvias:1001", ERPPriceListKey: "nuvias:EUR", Quantity: 1, UnitListPrice: 10, UnitCost: 5}
	out := changeQuantity(t, env, l, 2)
	assert.Equal(t, so.StatusWarning, out.Status)
	assert.InDelta(t, 20, out.TotalPrice, 0.001)
}

func TestTokensFetchedOnceUnderConcurrency(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env.Post(t, "FindProduct", `{"UserInput":"logitech"}`)
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, env.Sandbox.Logicom.CallCount(logicomsim.CallGenerateAccessToken))
	assert.Equal(t, 1, env.Sandbox.Nuvias.CallCount(nuviassim.CallToken))
}
