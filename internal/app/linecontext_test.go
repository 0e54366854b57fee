package app_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// OnQuoteLineChanged reads its Context sparsely (the context's lines only
// by their keys, see superoffice.QuoteLineChangedRequest); what the call
// takes from it must still arrive: a line without a price list is priced
// in the currency of the other lines' price lists, else in the sale's.
func TestLineChangedCurrencyFromSparseContext(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	sku := env.Example.InStockSKU
	item, ok := env.Sandbox.Catalog.Logicom.Item(sku)
	require.True(t, ok)
	today := env.Sandbox.Catalog.Today
	usd, eur := item.Prices["USD"].Effective(1, today), item.Prices["EUR"].Effective(1, today)
	require.NotEqual(t, usd, eur)

	// A context line as SuperOffice sends it: every member, most skipped.
	other := map[string]any{
		"QuoteLineId": 1, "QuoteAlternativeId": 5, "ERPProductKey": "logicom:OTHER", "erppricelistkey": "logicom:USD",
		"Name": "other", "Quantity": 2, "Status": 0, "UserValueOverride": 1, "SubscriptionStart": "0001-01-01T00:00:00",
		"ExtraInfo": []any{map[string]any{"Name": "n", "Value": "v", "Type": 0}}, "IsIncluded": true,
	}
	post := func(ctx map[string]any) float64 {
		t.Helper()
		body := map[string]any{"QuoteLine": map[string]any{"ERPProductKey": "logicom:" + sku, "Quantity": 1}, "ChangedFields": []string{"Quantity"}}
		if ctx != nil {
			body["Context"] = ctx
		}
		r := env.Post(t, "OnQuoteLineChanged", body)
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
		var out so.QuoteLineInfo
		r.JSON(t, &out)
		return out.UnitCost
	}
	alt := map[string]any{"CRMAlternative": map[string]any{"QuoteAlternativeId": 5, "Name": "A"}, "CRMQuoteLines": []any{other}}
	assert.InDelta(t, usd, post(map[string]any{"CRMAlternativeWithLines": alt, "CRMSale": map[string]any{"Currency": "EUR"},
		"CRMAssociate": map[string]any{"AssociateId": 1, "Ticket": "t"}, "CRMPerson": map[string]any{"Firstname": "Kari"}}), 0.001,
		"the other lines' price list wins over the sale's currency")
	assert.InDelta(t, usd, post(map[string]any{"CRMSale": map[string]any{"Currency": "USD", "Status": "Open"}}), 0.001, "the sale's currency")
	assert.InDelta(t, eur, post(nil), 0.001, "the distributor's first currency")
}
