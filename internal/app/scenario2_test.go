package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/config"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

func TestSpecialPriceLimitsExpiration(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	sku := env.Example.SpecialSKU
	item, _ := env.Sandbox.Catalog.Logicom.Item(sku)
	end := item.Prices["EUR"].SpecialEnd
	line := quoteLine(t, env, "logicom:"+sku)
	qc := quoteContext(line)
	later := end.AddDate(0, 1, 0).Format("2006-01-02T15:04:05")
	qc["CRMQuoteVersion"] = map[string]any{"QuoteVersionId": 21, "State": 2, "ExpirationDate": later}

	r := env.Post(t, "OnBeforeCreateQuoteVersion", map[string]any{"QuoteContext": qc})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var vr so.QuoteVersionResponseInfo
	r.JSON(t, &vr)
	assert.True(t, vr.IsOk)
	assert.Equal(t, end.Format("2006-01-02"), vr.CRMQuoteVersion.ExpirationDate.Time().Format("2006-01-02"))
	assert.Contains(t, vr.CRMQuoteVersion.Reason, "special price")

	// A default expiry sooner than the special's end stays as it was, byte for byte.
	sooner := time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02T15:04:05")
	qc["CRMQuoteVersion"] = map[string]any{"QuoteVersionId": 21, "State": 2, "ExpirationDate": sooner}
	r = env.Post(t, "OnBeforeCreateQuoteVersion", map[string]any{"QuoteContext": qc})
	assert.Contains(t, string(r.Body), `"ExpirationDate":"`+sooner+`"`)
}

func TestValidateUnderMinimumNeedsApproval(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	line := quoteLine(t, env, "logicom:"+env.Example.InStockSKU)
	line.UserValueOverride = so.OverrideDiscountPercent
	line.DiscountPercent = 30 // below cost + 5 %
	qc := quoteContext(line)
	r := env.Post(t, "ValidateQuoteVersion", map[string]any{"QuoteContext": qc, "Action": "SendQuote"})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var vr so.QuoteResponseInfo
	r.JSON(t, &vr)
	assert.Equal(t, so.StateDraftNeedsApproval, vr.CRMQuoteVersion.State.Code())
	got := vr.CRMAlternativesWithLines[0].CRMQuoteLines[0]
	assert.Equal(t, so.StatusWarning, got.Status)
	assert.Contains(t, got.Reason, "below the minimum price")
	assert.Equal(t, so.StatusWarning, vr.CRMAlternativesWithLines[0].CRMAlternative.Status, "rolled up")

	// The cause gone, the version returns to Draft.
	line.DiscountPercent = 0
	qc = quoteContext(line)
	qc["CRMQuoteVersion"] = map[string]any{"State": 3}
	r = env.Post(t, "ValidateQuoteVersion", map[string]any{"QuoteContext": qc})
	r.JSON(t, &vr)
	assert.Equal(t, so.StateDraft, vr.CRMQuoteVersion.State.Code())

	// Sent, Archived and opaque states are left alone.
	for _, st := range []any{6, 7, "SentExpired"} {
		qc["CRMQuoteVersion"] = map[string]any{"State": st}
		r = env.Post(t, "ValidateQuoteVersion", map[string]any{"QuoteContext": qc})
		require.Equal(t, http.StatusOK, r.Status)
		assert.Contains(t, string(r.Body), `"State":`+map[bool]string{true: `"SentExpired"`, false: ""}[st == "SentExpired"])
		r.JSON(t, &vr)
		if st != "SentExpired" {
			assert.Equal(t, so.VersionState(st.(int)), vr.CRMQuoteVersion.State.Code())
		} else {
			assert.Equal(t, so.StateOpaque, vr.CRMQuoteVersion.State.Code())
		}
	}
}

func TestValidateWithDistributorDown(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	line := &so.QuoteLineInfo{ERPProductKey: "logicom:" + env.Example.InStockSKU, ERPPriceListKey: "logicom:EUR", Quantity: 1, UnitListPrice: 10, UnitCost: 5}
	env.Sandbox.Logicom.Faults().Set(faults.Config{ErrorRate: 1})
	env.Main.Engine.DropCachedProducts()
	for _, action := range []string{"Validate", "SendQuote"} {
		r := env.Post(t, "ValidateQuoteVersion", map[string]any{"QuoteContext": quoteContext(line), "Action": action})
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
		var vr so.QuoteResponseInfo
		r.JSON(t, &vr)
		assert.Equal(t, so.StatusError, vr.CRMQuoteVersion.Status)
		assert.Contains(t, vr.CRMQuoteVersion.Reason, "Logicom did not answer")
		assert.Equal(t, so.StateDraftNotCalculated, vr.CRMQuoteVersion.State.Code(), "state unchanged")
		assert.Equal(t, action == "Validate", vr.IsOk, action)
		assert.Contains(t, vr.TechExplanation, "logicom")
	}
}

func TestRecalculateRollsUpLineStatus(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ok := quoteLine(t, env, "logicom:"+env.Example.InStockSKU)
	short := quoteLine(t, env, "logicom:"+env.Example.ZeroStockPOSKU)
	ok.Quantity, short.Quantity = 2, 4
	ctx := alternativeContext(quoteContext(ok, short))
	r := env.Post(t, "RecalculateQuoteAlternative", map[string]any{"Context": ctx})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var a so.QuoteAlternativeWithLinesInfo
	r.JSON(t, &a)
	require.Len(t, a.CRMQuoteLines, 2)
	assert.InDelta(t, a.CRMQuoteLines[0].TotalPrice+a.CRMQuoteLines[1].TotalPrice, a.CRMAlternative.SubTotal, 0.001)
	assert.Equal(t, so.StatusWarning, a.CRMAlternative.Status)
	assert.Contains(t, a.CRMAlternative.Reason, "1 line(s) need attention")
}

func TestNoDistributorEnabled(t *testing.T) {
	env := apptest.Start(t, apptest.Options{NoSandbox: true})
	none := map[string]string{"logicom.enabled": "0", "nuvias.enabled": "0", "westcon.enabled": "0"}
	var caps map[string]bool
	env.Post(t, "GetCapabilities", map[string]any{"ConfigValues": none}).JSON(t, &caps)
	for name, v := range caps {
		if name != "cache-pricelists" {
			assert.False(t, v, name)
		}
	}
	var tc so.PluginResponseInfo
	env.Post(t, "TestConnection", map[string]any{"ConnectionData": none}).JSON(t, &tc)
	assert.False(t, tc.IsOk)
	assert.Contains(t, tc.UserExplanation, "No distributor is enabled")

	r := env.Post(t, "FindProduct", map[string]any{"ConfigValues": none, "UserInput": "dell"})
	assert.Equal(t, "[]", string(r.Body))
	r = env.Post(t, "GetProduct", map[string]any{"ConfigValues": none, "ErpProductKey": "logicom:X"})
	assert.Equal(t, "null", string(r.Body))
	r = env.Post(t, "GetAddresses", map[string]any{"ConfigValues": none, "Context": map[string]any{}})
	assert.Equal(t, "null", string(r.Body))
	// Lists are arrays, never null: SuperOffice's OpenAPI document types
	// GetQuoteList as an array.
	r = env.Post(t, "GetQuoteList", map[string]any{"ConfigValues": none, "QuoteListType": "productcategory"})
	assert.Equal(t, "[]", string(r.Body))
	r = env.Post(t, "GetActivePriceLists", map[string]any{"ConfigValues": none})
	assert.Equal(t, "[]", string(r.Body))
	var pr so.PlaceOrderResponseInfo
	env.Post(t, "PlaceOrder", map[string]any{"ConfigValues": none, "Context": map[string]any{"CRMAlternativeWithLines": map[string]any{"CRMQuoteLines": []any{map[string]any{"ERPProductKey": "logicom:X", "Quantity": 1}}}}}).JSON(t, &pr)
	assert.False(t, pr.IsOk)
	assert.NotEmpty(t, pr.UserExplanation)
}

func TestWestconAloneOnlyTracksOrders(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	values := map[string]string{}
	for k, v := range env.Sandbox.ConfigValues() {
		if strings.HasPrefix(k, "westcon.") {
			values[k] = v
		}
	}
	var caps map[string]bool
	env.Post(t, "GetCapabilities", map[string]any{"ConfigValues": values}).JSON(t, &caps)
	assert.True(t, caps["iorderconsumer_provide_orderstate"])
	assert.False(t, caps["iorderconsumer_place_order"])
	assert.False(t, caps["iproductprovider_provide_cost"])
	assert.False(t, caps["iproductprovider_provide_stockdata"])

	var tc so.PluginResponseInfo
	env.Post(t, "TestConnection", map[string]any{"ConnectionData": values}).JSON(t, &tc)
	assert.True(t, tc.IsOk, tc.UserExplanation)
	assert.Contains(t, tc.UserExplanation, "Westcon")
}

func TestTestConnectionNamesAccountsAndFailures(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	values := env.Sandbox.ConfigValues()
	var tc so.PluginResponseInfo
	env.Post(t, "TestConnection", map[string]any{"ConnectionData": values}).JSON(t, &tc)
	assert.True(t, tc.IsOk, tc.UserExplanation)
	assert.Contains(t, tc.UserExplanation, env.Sandbox.Catalog.Logicom.Account.EcommerceName)

	values["logicom.accessTokenKey"] = "c2hvcnQ=" // 5 bytes: not an AES key
	values["nuvias.clientSecret"] = "wrong"
	env.Post(t, "TestConnection", map[string]any{"ConnectionData": values}).JSON(t, &tc)
	assert.False(t, tc.IsOk)
	assert.Equal(t, so.StatusError, tc.State)
	user := so.ParseText(tc.UserExplanation).US
	assert.Contains(t, user, "Logicom: connection failed")
	assert.Contains(t, user, "Nuvias: connection failed")
	assert.Contains(t, user, "Westcon: connection works")
	assert.NotContains(t, tc.UserExplanation+tc.TechExplanation, "wrong")
}

func TestAddressesAndQuoteLists(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	r := env.Post(t, "GetAddresses", `{"Context":{}}`)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var addrs []*so.AddressInfo
	r.JSON(t, &addrs)
	require.Len(t, addrs, 2)
	require.NotNil(t, addrs[0])
	assert.Equal(t, env.Sandbox.Catalog.Logicom.Account.Billing.City, addrs[0].City)
	assert.Contains(t, string(r.Body), `"AddressLine1"`)
	assert.Contains(t, string(r.Body), `"AddressField1"`)

	var items []so.QuoteListItemInfo
	env.Post(t, "GetQuoteList", `{"QuoteListType":"ProductCategory"}`).JSON(t, &items)
	require.NotEmpty(t, items)
	nested := false
	for _, it := range items {
		nested = nested || strings.Contains(it.DisplayValue, " / ")
	}
	assert.True(t, nested, "categories carry their parents' names")
	env.Post(t, "GetQuoteList", `{"QuoteListType":"DeliveryType"}`).JSON(t, &items)
	assert.NotEmpty(t, items)
	// A list no distributor provides, and a name the protocol does not know:
	// an empty array (SuperOffice's document types the answer as an array).
	r = env.Post(t, "GetQuoteList", `{"QuoteListType":"PaymentTerms"}`)
	assert.Equal(t, "[]", string(r.Body))
	r = env.Post(t, "GetQuoteList", `{"QuoteListType":"NoSuchList"}`)
	assert.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, "[]", string(r.Body))
}

// TestImagesWhenTheDistributorFails: an image count or an image is a bare
// integer or string, with no status slot, so when the only distributor that
// knows the product fails the answer is a 502 naming it (protocol §2.1), not
// a 200 claiming there is no image.
func TestImagesWhenTheDistributorFails(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	key := "logicom:" + env.Example.InStockSKU
	r := env.Post(t, "GetNumberOfProductImages", map[string]any{"ErpProductKey": key})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)

	env.Sandbox.Logicom.Faults().Set(faults.Config{ErrorRate: 1})
	env.Main.Engine.DropCachedProducts()
	for _, endpoint := range []string{"GetNumberOfProductImages", "GetProductImage"} {
		r := env.Post(t, endpoint, map[string]any{"ErpProductKey": key, "Rank": 1})
		assert.Equal(t, http.StatusBadGateway, r.Status, "%s: %s", endpoint, r.Body)
		var body map[string]string
		r.JSON(t, &body)
		assert.Contains(t, body["Error"], "logicom", endpoint)
	}
	// An unknown product is still no image, not an error.
	env.Sandbox.Logicom.Faults().Reset()
	r = env.Post(t, "GetNumberOfProductImages", map[string]any{"ErpProductKey": "logicom:NO-SUCH-SKU"})
	assert.Equal(t, "0", string(r.Body))
	r = env.Post(t, "GetProductImage", map[string]any{"ErpProductKey": "logicom:NO-SUCH-SKU"})
	assert.Equal(t, "null", string(r.Body))
}

// TestUpdatePricesWritesOnlyNamedFields: UpdateQuoteVersionPrices changes
// only the fields WriteableFields names (protocol §4.2 #26); an empty or
// missing list changes no price.
func TestUpdatePricesWritesOnlyNamedFields(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	stale := func() *so.QuoteLineInfo {
		return &so.QuoteLineInfo{ERPProductKey: "logicom:" + env.Example.InStockSKU, ERPPriceListKey: "logicom:EUR",
			Quantity: 2, UnitCost: 1, UnitListPrice: 2, UnitMinimumPrice: 1.5}
	}
	update := func(body map[string]any) *so.QuoteLineInfo {
		t.Helper()
		r := env.Post(t, "UpdateQuoteVersionPrices", body)
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
		var vr so.QuoteVersionResponseInfo
		r.JSON(t, &vr)
		return vr.CRMAlternativesWithLines[0].CRMQuoteLines[0]
	}
	for name, body := range map[string]map[string]any{
		"empty":   {"QuoteContext": quoteContext(stale()), "WriteableFields": []string{}},
		"null":    {"QuoteContext": quoteContext(stale()), "WriteableFields": nil},
		"missing": {"QuoteContext": quoteContext(stale())},
	} {
		got := update(body)
		assert.Equal(t, 1.0, got.UnitCost, name)
		assert.Equal(t, 2.0, got.UnitListPrice, name)
		assert.Equal(t, 1.5, got.UnitMinimumPrice, name)
		assert.InDelta(t, 4.0, got.SubTotal, 1e-9, "%s: totals follow the unchanged prices", name)
	}
	got := update(map[string]any{"QuoteContext": quoteContext(stale()), "WriteableFields": []string{"unitlistprice"}})
	assert.Equal(t, 1.0, got.UnitCost)
	assert.Equal(t, 1.5, got.UnitMinimumPrice)
	assert.Greater(t, got.UnitListPrice, 2.0, "list price refreshed")
}

// TestDistributorDeadlineReadsAsATimeout: a Logicom call cut off by its
// deadline reaches the salesperson and the admin as "no answer in time", not
// as "unexpected failure (context.deadlineExceededError)".
func TestDistributorDeadlineReadsAsATimeout(t *testing.T) {
	env := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.UpstreamTimeout = 300 * time.Millisecond }})
	env.Sandbox.Logicom.Faults().Set(faults.Config{Hang: true})
	for _, r := range []apptest.Response{
		env.Post(t, "TestConnection", `{}`),
		env.Post(t, "PlaceOrder", map[string]any{"Context": alternativeContext(quoteContext(
			&so.QuoteLineInfo{ERPProductKey: "logicom:" + env.Example.InStockSKU, ERPPriceListKey: "logicom:EUR", Quantity: 1}))}),
	} {
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
		var resp so.PluginResponseInfo
		r.JSON(t, &resp)
		assert.False(t, resp.IsOk)
		assert.Contains(t, resp.UserExplanation, "Logicom")
		assert.Contains(t, resp.UserExplanation, "no answer in time")
		for _, text := range []string{resp.UserExplanation, resp.TechExplanation} {
			assert.NotContains(t, text, "unexpected failure")
			assert.NotContains(t, text, "context")
		}
	}
}
