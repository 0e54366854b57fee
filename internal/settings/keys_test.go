package settings

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The general keys are a fixed contract (configuration.md); every
// distributor's are pinned where the service registers them (internal/app).
func TestGeneralKeys(t *testing.T) {
	want := []string{
		"pricing.listPrice", "pricing.markupPercent", "pricing.minMarginPercent", "search.maxResults",
		"pricing.currencies", "pricing.fxMarginPercent", "pricing.fxRates",
	}
	var keys []string
	for _, f := range GeneralFields() {
		keys = append(keys, f.Key)
		assert.True(t, IsGeneralKey(f.Key), f.Key)
		assert.NotEqual(t, KindPassword, f.Kind, "no general setting is a credential")
	}
	assert.ElementsMatch(t, want, keys)
	assert.True(t, IsGeneralKey(GeneralLabel().Key))
	assert.True(t, IsGeneralKey("PRICING.MARKUPPERCENT"))
	for _, other := range []string{"SharedSecret", "ApplicationId", "QuoteConnectorUrl", "logicom.enabled", "pricingx"} {
		assert.False(t, IsGeneralKey(other), other)
	}
}

// The general fields' defaults are Parse's defaults, and every item of
// their lists is a value Parse accepts.
func TestGeneralFieldsMatchParse(t *testing.T) {
	defaults := map[string]string{}
	for _, f := range GeneralFields() {
		if f.Default != "" {
			defaults[f.Key] = f.Default
		}
	}
	fromDialog, problems := Parse(defaults)
	assert.Empty(t, problems)
	plain, _ := Parse(nil)
	assert.Equal(t, plain, fromDialog)

	lists := GeneralLists()
	assert.Len(t, lists, 1)
	assert.Equal(t, ListListPriceSource, lists[0].Name)
	for _, it := range lists[0].Items {
		c, problems := Parse(map[string]string{KeyPricingListPrice: it.Key})
		assert.Empty(t, problems)
		assert.Equal(t, it.Key, c.Pricing.ListPrice)
	}
}
