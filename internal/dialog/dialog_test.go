package dialog

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/settings"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

var allKeys = settings.Keys()

// groupOf is the dialog group of a key.
func groupOf(key string) string {
	g, _, _ := strings.Cut(key, ".")
	switch g {
	case "logicom", "westcon", "nuvias":
		if strings.HasSuffix(key, ".enabled") {
			return "general"
		}
		return g
	}
	return "general"
}

var multiLang = regexp.MustCompile(`^US:"[^"]+";NO:"[^"]+";GE:"[^"]+"$`)

func TestFields(t *testing.T) {
	fields := Fields()

	// One field per key constant; the only others are the group labels.
	for _, k := range allKeys {
		f, ok := fields[k]
		if assert.True(t, ok, "field for %s", k) {
			assert.Equal(t, k, f.FieldKey)
			assert.NotEqual(t, so.FieldLabel, f.FieldType)
		}
	}
	known := map[string]bool{}
	for _, k := range allKeys {
		known[k] = true
	}
	for k, f := range fields {
		assert.Equal(t, k, f.FieldKey)
		if !known[k] {
			assert.Equal(t, so.FieldLabel, f.FieldType, "%s is not a key constant, so it must be a label", k)
			assert.True(t, strings.HasSuffix(k, ".section"), k)
		}
	}
	assert.Len(t, fields, len(allKeys)+4, "33 keys and 4 labels")

	// Ranks unique and grouped: general < logicom < westcon < nuvias.
	seen := map[int]string{}
	minRank, maxRank := map[string]int{}, map[string]int{}
	for k, f := range fields {
		if other, dup := seen[f.Rank]; dup {
			t.Errorf("rank %d used by %s and %s", f.Rank, k, other)
		}
		seen[f.Rank] = k
		g := groupOf(k)
		if strings.HasSuffix(k, ".section") {
			g = strings.TrimSuffix(k, ".section")
		}
		if r, ok := minRank[g]; !ok || f.Rank < r {
			minRank[g] = f.Rank
		}
		if f.Rank > maxRank[g] {
			maxRank[g] = f.Rank
		}
	}
	order := []string{"general", "logicom", "westcon", "nuvias"}
	for i := 1; i < len(order); i++ {
		assert.Less(t, maxRank[order[i-1]], minRank[order[i]], "%s before %s", order[i-1], order[i])
	}
	// Each group opens with its label.
	for _, g := range order {
		assert.Equal(t, minRank[g], fields[g+".section"].Rank, "%s opens with its label", g)
	}

	// Types, per configuration.md.
	wantType := map[string]so.FieldType{
		settings.KeyLogicomEnabled: so.FieldCheckbox, settings.KeyWestconEnabled: so.FieldCheckbox, settings.KeyNuviasEnabled: so.FieldCheckbox,
		settings.KeyPricingListPrice: so.FieldList, settings.KeyPricingMarkupPercent: so.FieldDouble, settings.KeyPricingMinMarginPercent: so.FieldDouble, settings.KeySearchMaxResults: so.FieldInteger,
		settings.KeyPricingCurrencies: so.FieldText, settings.KeyPricingFXMarginPercent: so.FieldDouble, settings.KeyPricingFXRates: so.FieldText,
		settings.KeyLogicomCustomerID: so.FieldInteger, settings.KeyLogicomConsumerKey: so.FieldPassword, settings.KeyLogicomConsumerSecret: so.FieldPassword,
		settings.KeyLogicomAccessTokenKey: so.FieldPassword, settings.KeyLogicomEnvironment: so.FieldList, settings.KeyLogicomCurrencies: so.FieldText,
		settings.KeyLogicomShopAccountEmail: so.FieldText, settings.KeyLogicomStockVerification: so.FieldCheckbox, settings.KeyLogicomDeliveryMethod: so.FieldText,
		settings.KeyLogicomShipToAddressID: so.FieldText, settings.KeyLogicomInvoiceType: so.FieldText, settings.KeyLogicomSignatureIncludesCustomerID: so.FieldCheckbox,
		settings.KeyWestconTenantID: so.FieldText, settings.KeyWestconClientID: so.FieldText, settings.KeyWestconClientSecret: so.FieldPassword,
		settings.KeyWestconResource: so.FieldText, settings.KeyWestconSubscriptionKey: so.FieldPassword, settings.KeyWestconPartnerKey: so.FieldText, settings.KeyWestconLanguage: so.FieldText,
		settings.KeyNuviasClientID: so.FieldText, settings.KeyNuviasClientSecret: so.FieldPassword, settings.KeyNuviasShippingType: so.FieldInteger, settings.KeyNuviasPartShip: so.FieldCheckbox,
	}
	require.Len(t, wantType, len(allKeys))
	for k, want := range wantType {
		assert.Equal(t, want, fields[k].FieldType, k)
	}
	// Every secret is a Password field.
	for _, k := range []string{settings.KeyLogicomConsumerKey, settings.KeyLogicomConsumerSecret, settings.KeyLogicomAccessTokenKey, settings.KeyWestconClientSecret, settings.KeyWestconSubscriptionKey, settings.KeyNuviasClientSecret} {
		assert.Equal(t, so.FieldPassword, fields[k].FieldType, k)
		assert.Empty(t, fields[k].DefaultValue, k)
	}

	// Multi-language texts.
	for k, f := range fields {
		assert.Regexp(t, multiLang, f.DisplayName, "DisplayName of %s", k)
		assert.Regexp(t, multiLang, f.DisplayDescription, "DisplayDescription of %s", k)
		name := so.ParseText(f.DisplayName)
		assert.NotEmpty(t, name.US)
		assert.NotEmpty(t, name.NO)
		assert.NotEmpty(t, name.GE)
	}
	assert.Equal(t, `US:"Use Logicom";NO:"Bruk Logicom";GE:"Logicom verwenden"`, fields[settings.KeyLogicomEnabled].DisplayName)

	// Lists name a dialog list that contains the default.
	for k, f := range fields {
		if f.FieldType != so.FieldList {
			assert.Empty(t, f.ListName, k)
			continue
		}
		items, ok := List(f.ListName)
		require.True(t, ok, "%s: list %s", k, f.ListName)
		var keys []string
		for _, it := range items {
			keys = append(keys, it.ERPQuoteListItemKey)
		}
		assert.Contains(t, keys, f.DefaultValue, k)
	}

	// Mandatory credentials say when they are needed.
	for _, k := range []string{settings.KeyLogicomCustomerID, settings.KeyWestconClientSecret, settings.KeyNuviasClientID} {
		assert.Equal(t, so.AccessMandatory, fields[k].Access, k)
		assert.Contains(t, fields[k].DisplayDescription, "Needed when")
	}
	for _, k := range []string{settings.KeyLogicomEnabled, settings.KeyPricingMarkupPercent, settings.KeyWestconLanguage} {
		assert.Equal(t, so.AccessNormal, fields[k].Access, k)
	}

	// The dialog's defaults are Parse's defaults.
	defaults := map[string]string{}
	for k, f := range fields {
		if f.DefaultValue != "" && f.FieldType != so.FieldLabel {
			defaults[k] = f.DefaultValue
		}
	}
	fromDialog, problems := settings.Parse(defaults)
	assert.Empty(t, problems)
	plain, _ := settings.Parse(nil)
	assert.Equal(t, plain, fromDialog)
	assert.Equal(t, "1", fields[settings.KeyLogicomStockVerification].DefaultValue)
	assert.Equal(t, "1", fields[settings.KeyNuviasPartShip].DefaultValue)
	assert.Equal(t, "0", fields[settings.KeyLogicomEnabled].DefaultValue)
	assert.Equal(t, "20", fields[settings.KeyPricingMarkupPercent].DefaultValue)
	assert.Equal(t, "5", fields[settings.KeyPricingMinMarginPercent].DefaultValue)
	assert.Equal(t, "50", fields[settings.KeySearchMaxResults].DefaultValue)
	assert.Equal(t, "markup", fields[settings.KeyPricingListPrice].DefaultValue)
	assert.Equal(t, "EN", fields[settings.KeyWestconLanguage].DefaultValue)
	assert.Equal(t, "Default", fields[settings.KeyLogicomDeliveryMethod].DefaultValue)
	assert.Equal(t, "DEFAULT", fields[settings.KeyLogicomShipToAddressID].DefaultValue)
	assert.Equal(t, "1", fields[settings.KeyLogicomSignatureIncludesCustomerID].DefaultValue)
	assert.Contains(t, fields[settings.KeyLogicomSignatureIncludesCustomerID].DisplayDescription, "worked example", "the dialog says why the choice exists")

	// Fields is stable between calls.
	assert.Equal(t, fields, Fields())
}

func TestList(t *testing.T) {
	tests := []struct {
		name string
		keys []string
	}{
		{ListListPriceSource, []string{"markup", "rrp"}},
		{strings.ToUpper(ListListPriceSource), []string{"markup", "rrp"}},
		{ListLogicomEnvironment, []string{"production", "staging"}},
		{"QC_Logicom_Environment", []string{"production", "staging"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, ok := List(tc.name)
			require.True(t, ok)
			var keys []string
			for _, it := range items {
				keys = append(keys, it.ERPQuoteListItemKey)
				assert.Regexp(t, multiLang, it.DisplayValue)
			}
			sort.Strings(keys)
			assert.Equal(t, tc.keys, keys)
			// Every key is accepted by Parse.
		})
	}
	for _, name := range []string{"", "ProductCategory", "PaymentTerms", "qc_other"} {
		items, ok := List(name)
		assert.False(t, ok, name)
		assert.Nil(t, items)
	}
	// Every list item key is a value Parse accepts.
	for _, it := range mustList(t, ListListPriceSource) {
		c, problems := settings.Parse(map[string]string{settings.KeyPricingListPrice: it})
		assert.Empty(t, problems)
		assert.Equal(t, it, c.Pricing.ListPrice)
	}
	for _, it := range mustList(t, ListLogicomEnvironment) {
		c, problems := settings.Parse(map[string]string{settings.KeyLogicomEnvironment: it})
		assert.Empty(t, problems)
		assert.Equal(t, it, c.Logicom.Environment)
	}
}

func mustList(t *testing.T, name string) []string {
	items, ok := List(name)
	require.True(t, ok)
	var out []string
	for _, it := range items {
		out = append(out, it.ERPQuoteListItemKey)
	}
	return out
}

// The secret keys are exactly the dialog's Password fields, so a new
// credential field cannot be stored in plaintext by oversight.
func TestSecretKeysArePasswordFields(t *testing.T) {
	for key, f := range Fields() {
		assert.Equal(t, f.FieldType == so.FieldPassword, settings.IsSecret(key), key)
		if f.FieldType != so.FieldLabel {
			assert.True(t, settings.IsServiceKey(key), key)
		}
	}
}
