package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/logicom"
	"github.com/quoteconnector/quoteconnector/internal/distributors/mock"
	"github.com/quoteconnector/quoteconnector/internal/distributors/nuvias"
	"github.com/quoteconnector/quoteconnector/internal/distributors/westcon"
	"github.com/quoteconnector/quoteconnector/internal/engine"
	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// A fourth distributor is one package (here: a fake factory with settings
// of its own, mock.WithAPIKey) plus one registration line: its settings
// join the admin dialog, TestConnection reads them, and search, price
// lists and ordering find it, with nothing else in the service naming it.
// internal/handlers/fourth_test.go does the same over HTTP.

func TestFourthDistributorIsOneRegistration(t *testing.T) {
	acme := catalog("acme", product("AC-1", "WIDGET-9", 42, 7))
	acme.Caps.PlaceOrder = true
	var placed []distributors.Order
	acme.PlaceOrderFn = func(_ context.Context, o distributors.Order) (distributors.OrderReceipt, error) {
		placed = append(placed, o)
		return distributors.OrderReceipt{OrderID: "ACME-77"}, nil
	}
	// The service's registration with one line more.
	registry := distributors.NewRegistry(
		logicom.NewFactory(logicom.Options{}),
		nuvias.NewFactory(nuvias.Options{}),
		westcon.NewFactory(westcon.Options{}),
		mock.WithAPIKey(acme, "ACME Supply", 4),
	)
	st, _ := storetest.SQLite(t)
	e := engine.New(engine.Options{Registry: registry, Now: func() time.Time { return today },
		Ledger: ledger.New(ledger.Options{Store: st, Owner: "test", IsUncertain: distributors.IsUncertain})})
	ctx := context.Background()

	// The admin dialog: its checkbox, its group's label and its credential.
	fields := e.ConfigurationFields()
	require.Contains(t, fields, "acme.enabled")
	require.Contains(t, fields, "acme.apiKey")
	require.Contains(t, fields, "acme.section")
	assert.Equal(t, so.FieldPassword, fields["acme.apiKey"].FieldType)
	assert.Equal(t, so.FieldLabel, fields["acme.section"].FieldType)
	assert.Greater(t, fields["acme.section"].Rank, fields["nuvias.clientSecret"].Rank, "its group comes after the other three")
	assert.True(t, registry.IsSecret("ACME.APIKEY"), "remembered only encrypted")
	assert.True(t, registry.IsServiceKey("acme.apiKey"))

	// Enabled without its credential: TestConnection names the problem.
	missing := e.NewCall("t1", 1, map[string]string{"acme.enabled": "1"}, "", false)
	r := e.TestConnection(ctx, missing)
	assert.False(t, r.IsOk)
	assert.Contains(t, r.UserExplanation, "ACME Supply")
	assert.Contains(t, r.UserExplanation, "acme.apiKey")

	c := e.NewCall("t1", 1, map[string]string{"acme.enabled": "1", "acme.apiKey": "k"}, "", false)
	r = e.TestConnection(ctx, c)
	assert.True(t, r.IsOk, r.UserExplanation)
	assert.Contains(t, r.UserExplanation, "ACME Supply")

	lists, err := e.PriceLists(ctx, c, "")
	require.NoError(t, err)
	var keys []string
	for _, l := range lists {
		keys = append(keys, l.ERPPriceListKey)
	}
	assert.Contains(t, keys, "acme:EUR")

	found, err := e.FindProduct(ctx, c, "EUR", "widget", "acme:EUR")
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.Equal(t, "acme:AC-1", found[0].ERPProductKey)
	var shown []string
	for _, x := range found[0].ExtraInfo {
		shown = append(shown, x.Name+"="+x.Value)
	}
	assert.Contains(t, shown, "Distributor=ACME Supply", "shown by its registered title")

	lines, err := e.QuoteLinesFromProduct(ctx, c, "acme:AC-1", alternative())
	require.NoError(t, err)
	require.Len(t, lines, 1)
	actx := alternative(line("acme:AC-1", 3))
	resp := e.PlaceOrder(ctx, c, actx)
	require.True(t, resp.IsOk, resp.UserExplanation)
	require.Len(t, placed, 1)
	assert.Equal(t, "acme:ACME-77", actx.CRMQuote.ERPOrderKey)
}
