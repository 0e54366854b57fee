package logicom

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/settings"
)

func read(values map[string]string) (Settings, []settings.Problem) {
	r := settings.NewReader(values)
	s := ReadSettings(r)
	return s, r.Problems()
}

func TestReadSettingsDefaults(t *testing.T) {
	s, problems := read(nil)
	assert.Empty(t, problems)
	assert.Equal(t, Settings{Environment: "production", Currencies: []string{"EUR"}, StockVerification: true,
		DeliveryMethod: "Default", ShipToAddressID: "DEFAULT", SyncConcurrency: 4}, s)
}

func TestReadSettingsValues(t *testing.T) {
	s, problems := read(map[string]string{
		KeyEnabled: "1", KeyCustomerID: "[I:4711]", KeyConsumerKey: "ck", KeyConsumerSecret: "cs", KeyAccessTokenKey: "atk",
		KeyEnvironment: "Staging", KeyCurrencies: " eur, usd ,,GBP ", KeyShopAccountEmail: "shop@example.com",
		KeyStockVerification: "0", KeyDeliveryMethod: "Express", KeyShipToAddressID: "A1", KeyInvoiceType: "T",
		KeySyncConcurrency: "[I:8]", "LOGICOM.SIGNATUREINCLUDESCUSTOMERID": "0",
	})
	assert.Empty(t, problems)
	assert.Equal(t, Settings{Enabled: true, CustomerID: "4711", ConsumerKey: "ck", ConsumerSecret: "cs", AccessTokenKey: "atk",
		Environment: "staging", Currencies: []string{"EUR", "USD", "GBP"}, ShopAccountEmail: "shop@example.com",
		StockVerification: false, DeliveryMethod: "Express", ShipToAddressID: "A1", InvoiceType: "T", SyncConcurrency: 8,
		SignatureOmitsCustomerID: true}, s)
}

func TestReadSettingsProblems(t *testing.T) {
	for v, want := range map[string]int{"0": 1, "17": 16, "-2": 1, "many": 4} {
		s, problems := read(map[string]string{KeySyncConcurrency: v})
		assert.Equal(t, want, s.SyncConcurrency, v)
		require.Len(t, problems, 1, v)
		assert.Equal(t, KeySyncConcurrency, problems[0].Key)
	}
	s, problems := read(map[string]string{KeyEnabled: "maybe", KeyEnvironment: "test", KeyStockVerification: "2"})
	assert.Equal(t, Settings{Environment: "production", Currencies: []string{"EUR"}, StockVerification: true,
		DeliveryMethod: "Default", ShipToAddressID: "DEFAULT", SyncConcurrency: 4}, s, "the defaults kept")
	require.Len(t, problems, 3)
	assert.Equal(t, []string{KeyEnabled, KeyEnvironment, KeyStockVerification}, []string{problems[0].Key, problems[1].Key, problems[2].Key})
}

// The dialog's defaults are ReadSettings' defaults, and every item of its
// list is a value ReadSettings accepts.
func TestDialogMatchesReadSettings(t *testing.T) {
	sec := (&Factory{}).Dialog()
	defaults := map[string]string{sec.Use.Key: sec.Use.Default}
	for _, f := range sec.Fields {
		if f.Default != "" {
			defaults[f.Key] = f.Default
		}
	}
	fromDialog, problems := read(defaults)
	assert.Empty(t, problems)
	plain, _ := read(nil)
	assert.Equal(t, plain, fromDialog)

	require.Len(t, sec.Lists, 1)
	assert.Equal(t, ListEnvironment, sec.Lists[0].Name)
	for _, it := range sec.Lists[0].Items {
		s, problems := read(map[string]string{KeyEnvironment: it.Key})
		assert.Empty(t, problems)
		assert.Equal(t, it.Key, s.Environment)
	}
}
