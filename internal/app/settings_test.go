package app_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/distributors/logicom"
	"github.com/quoteconnector/quoteconnector/internal/distributors/nuvias"
	"github.com/quoteconnector/quoteconnector/internal/distributors/westcon"
	"github.com/quoteconnector/quoteconnector/internal/settings"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// The connection settings of the service as it registers its distributors:
// each distributor's package owns its keys, parsing and dialog rows; these
// tests pin what they add up to against configuration.md. (The whole
// dialog answer is pinned byte for byte in internal/handlers.)

// contractKeys are the ConfigValues keys of configuration.md, and the
// service's own additions; the exact spelling is a fixed contract.
var contractKeys = []string{
	"logicom.enabled", "westcon.enabled", "nuvias.enabled",
	"pricing.listPrice", "pricing.markupPercent", "pricing.minMarginPercent", "search.maxResults",
	"pricing.currencies", "pricing.fxMarginPercent", "pricing.fxRates",
	"logicom.customerId", "logicom.consumerKey", "logicom.consumerSecret", "logicom.accessTokenKey",
	"logicom.environment", "logicom.currencies", "logicom.shopAccountEmail", "logicom.stockVerification",
	"logicom.deliveryMethod", "logicom.shipToAddressId", "logicom.invoiceType",
	"westcon.tenantId", "westcon.clientId", "westcon.clientSecret", "westcon.resource",
	"westcon.subscriptionKey", "westcon.partnerKey", "westcon.language",
	"nuvias.clientId", "nuvias.clientSecret", "nuvias.shippingType", "nuvias.partShip",
	// the service's own additions
	"logicom.signatureIncludesCustomerId", "logicom.syncConcurrency",
}

var multiLang = regexp.MustCompile(`^US:"[^"]+";NO:"[^"]+";GE:"[^"]+"$`)

func TestConnectionSettingsContract(t *testing.T) {
	env := apptest.Start(t, apptest.Options{NoSandbox: true})
	registry := env.Main.Engine.Registry()
	fields := env.Main.Engine.ConfigurationFields()

	// One field per contract key; the only others are the group labels.
	var keys, labels []string
	for k, f := range fields {
		assert.Equal(t, k, f.FieldKey)
		if f.FieldType == so.FieldLabel {
			labels = append(labels, k)
			continue
		}
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, contractKeys, keys)
	assert.ElementsMatch(t, []string{"general.section", "logicom.section", "westcon.section", "nuvias.section"}, labels)

	// Ranks unique and grouped: general < logicom < westcon < nuvias, each
	// group opened by its label; the Use checkboxes are general settings.
	groupOf := func(key string) string {
		g, rest, _ := strings.Cut(key, ".")
		if rest == "enabled" || g == "pricing" || g == "search" {
			return "general"
		}
		return g
	}
	seen := map[int]string{}
	minRank, maxRank := map[string]int{}, map[string]int{}
	for k, f := range fields {
		if other, dup := seen[f.Rank]; dup {
			t.Errorf("rank %d used by %s and %s", f.Rank, k, other)
		}
		seen[f.Rank] = k
		g := groupOf(k)
		if r, ok := minRank[g]; !ok || f.Rank < r {
			minRank[g] = f.Rank
		}
		maxRank[g] = max(maxRank[g], f.Rank)
	}
	order := []string{"general", "logicom", "westcon", "nuvias"}
	for i, g := range order {
		assert.Equal(t, minRank[g], fields[g+".section"].Rank, "%s opens with its label", g)
		if i > 0 {
			assert.Less(t, maxRank[order[i-1]], minRank[g], "%s before %s", order[i-1], g)
		}
	}
	assert.Less(t, fields[logicom.KeyEnabled].Rank, fields[nuvias.KeyEnabled].Rank)
	assert.Less(t, fields[nuvias.KeyEnabled].Rank, fields[westcon.KeyEnabled].Rank, "the checkboxes in registry order")

	// Types, per configuration.md.
	wantType := map[string]so.FieldType{
		logicom.KeyEnabled: so.FieldCheckbox, westcon.KeyEnabled: so.FieldCheckbox, nuvias.KeyEnabled: so.FieldCheckbox,
		settings.KeyPricingListPrice: so.FieldList, settings.KeyPricingMarkupPercent: so.FieldDouble, settings.KeyPricingMinMarginPercent: so.FieldDouble, settings.KeySearchMaxResults: so.FieldInteger,
		settings.KeyPricingCurrencies: so.FieldText, settings.KeyPricingFXMarginPercent: so.FieldDouble, settings.KeyPricingFXRates: so.FieldText,
		logicom.KeyCustomerID: so.FieldInteger, logicom.KeyConsumerKey: so.FieldPassword, logicom.KeyConsumerSecret: so.FieldPassword,
		logicom.KeyAccessTokenKey: so.FieldPassword, logicom.KeyEnvironment: so.FieldList, logicom.KeyCurrencies: so.FieldText,
		logicom.KeyShopAccountEmail: so.FieldText, logicom.KeyStockVerification: so.FieldCheckbox, logicom.KeyDeliveryMethod: so.FieldText,
		logicom.KeyShipToAddressID: so.FieldText, logicom.KeyInvoiceType: so.FieldText, logicom.KeySignatureIncludesCustomerID: so.FieldCheckbox, logicom.KeySyncConcurrency: so.FieldInteger,
		westcon.KeyTenantID: so.FieldText, westcon.KeyClientID: so.FieldText, westcon.KeyClientSecret: so.FieldPassword,
		westcon.KeyResource: so.FieldText, westcon.KeySubscriptionKey: so.FieldPassword, westcon.KeyPartnerKey: so.FieldText, westcon.KeyLanguage: so.FieldText,
		nuvias.KeyClientID: so.FieldText, nuvias.KeyClientSecret: so.FieldPassword, nuvias.KeyShippingType: so.FieldInteger, nuvias.KeyPartShip: so.FieldCheckbox,
	}
	require.Len(t, wantType, len(contractKeys))
	for k, want := range wantType {
		assert.Equal(t, want, fields[k].FieldType, k)
	}

	// The credentials are exactly the Password fields: stored encrypted,
	// shown as set or unset; every field is the service's to remember.
	secrets := 0
	for k, f := range fields {
		assert.Equal(t, f.FieldType == so.FieldPassword, registry.IsSecret(k), k)
		assert.True(t, registry.IsServiceKey(k), k)
		if f.FieldType == so.FieldPassword {
			secrets++
			assert.Empty(t, f.DefaultValue, k)
		}
	}
	assert.Equal(t, 6, secrets)
	for _, own := range []string{"SharedSecret", "ApplicationId", "QuoteConnectorUrl"} {
		assert.False(t, registry.IsServiceKey(own), own)
		assert.False(t, registry.IsSecret(own), own)
	}

	// Multi-language texts.
	for k, f := range fields {
		assert.Regexp(t, multiLang, f.DisplayName, "DisplayName of %s", k)
		assert.Regexp(t, multiLang, f.DisplayDescription, "DisplayDescription of %s", k)
	}
	assert.Equal(t, `US:"Use Logicom";NO:"Bruk Logicom";GE:"Logicom verwenden"`, fields[logicom.KeyEnabled].DisplayName)

	// Lists name a dialog list that contains the default.
	for k, f := range fields {
		if f.FieldType != so.FieldList {
			assert.Empty(t, f.ListName, k)
			continue
		}
		l, ok := registry.DialogList(f.ListName)
		require.True(t, ok, "%s: list %s", k, f.ListName)
		var items []string
		for _, it := range l.Items {
			items = append(items, it.Key)
		}
		assert.Contains(t, items, f.DefaultValue, k)
	}

	// Mandatory credentials say when they are needed.
	for k, who := range map[string]string{logicom.KeyCustomerID: "Logicom", westcon.KeyClientSecret: "Westcon", nuvias.KeyClientID: "Nuvias"} {
		assert.Equal(t, so.AccessMandatory, fields[k].Access, k)
		assert.Contains(t, fields[k].DisplayDescription, "Needed when "+who+" is used")
	}
	for _, k := range []string{logicom.KeyEnabled, settings.KeyPricingMarkupPercent, westcon.KeyLanguage} {
		assert.Equal(t, so.AccessNormal, fields[k].Access, k)
	}

	// The dialog's defaults are the parsing's defaults.
	defaults := map[string]string{}
	for k, f := range fields {
		if f.DefaultValue != "" {
			defaults[k] = f.DefaultValue
		}
	}
	fromDialog, problems := registry.Parse(defaults)
	assert.Empty(t, problems)
	plain, _ := registry.Parse(nil)
	assert.Equal(t, plain, fromDialog)
	for k, want := range map[string]string{
		logicom.KeyStockVerification: "1", nuvias.KeyPartShip: "1", logicom.KeyEnabled: "0", settings.KeyPricingMarkupPercent: "20",
		settings.KeyPricingMinMarginPercent: "5", settings.KeySearchMaxResults: "50", settings.KeyPricingListPrice: "markup",
		westcon.KeyLanguage: "EN", logicom.KeyDeliveryMethod: "Default", logicom.KeyShipToAddressID: "DEFAULT", logicom.KeySignatureIncludesCustomerID: "1",
	} {
		assert.Equal(t, want, fields[k].DefaultValue, k)
	}
	assert.Contains(t, fields[logicom.KeySignatureIncludesCustomerID].DisplayDescription, "worked example", "the dialog says why the choice exists")

	// Each distributor's settings reach its factory as its own type.
	c, problems := registry.Parse(map[string]string{logicom.KeyEnabled: "1", nuvias.KeyPartShip: "0", westcon.KeyLanguage: "DE"})
	assert.Empty(t, problems)
	assert.True(t, c.Distributors[logicom.Name].(logicom.Settings).Enabled)
	assert.False(t, c.Distributors[nuvias.Name].(nuvias.Settings).PartShip)
	assert.Equal(t, "DE", c.Distributors[westcon.Name].(westcon.Settings).Language)

	// The sandbox configures every registered distributor.
	assert.True(t, registry.ConfiguresDistributor(map[string]string{westcon.KeyEnabled: "0"}))
	assert.False(t, registry.ConfiguresDistributor(map[string]string{settings.KeyPricingMarkupPercent: "1", "SharedSecret": "x"}))
	assert.Equal(t, []string{"Logicom", "Nuvias", "Westcon"}, registry.Titles())
}
