package logicom

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"net/http/httptest"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/logicomsim"
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// End-to-end tests against the sandbox simulator over real HTTP.

type simEnv struct {
	sim *logicomsim.Server
	cat *catalog.Catalog
	ex  catalog.Example
	c   *Client
	f   *Factory
}

func simSettings(a catalog.LogicomAccount) Settings {
	return Settings{Enabled: true, CustomerID: strconv.Itoa(a.CustomerID),
		ConsumerKey: settings.Secret(a.ConsumerKey), ConsumerSecret: settings.Secret(a.ConsumerSecret),
		AccessTokenKey: settings.Secret(a.AccessTokenKey), Currencies: a.Currencies,
		ShopAccountEmail: a.EcommerceEmail, StockVerification: true, DeliveryMethod: "Default", ShipToAddressID: "DEFAULT"}
}

func setupSim(t testing.TB, mod ...func(*Options)) *simEnv {
	t.Helper()
	today := time.Now().UTC().Truncate(24 * time.Hour)
	cat := catalog.Generate(catalog.DefaultSeed, today)
	sim := logicomsim.New(cat, logicomsim.Options{})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { srv.Close(); sim.Close() })
	o := Options{ProductionURL: srv.URL + "/api", HTTP: srv.Client(), Timeout: 5 * time.Second, Backoff: time.Millisecond}
	for _, m := range mod {
		m(&o)
	}
	f := NewFactory(o)
	c, err := f.NewClient(simSettings(cat.Logicom.Account))
	require.NoError(t, err)
	return &simEnv{sim: sim, cat: cat, ex: cat.Example(), c: c, f: f}
}

func (e *simEnv) item(t testing.TB, sku string) *catalog.LogicomItem {
	it, ok := e.cat.Logicom.Item(sku)
	require.True(t, ok, sku)
	return it
}

func TestSimTestConnection(t *testing.T) {
	e := setupSim(t)
	msg, err := e.c.Test(context.Background())
	require.NoError(t, err)
	assert.Equal(t, `Logicom account "Sandbox Reseller AS" (customer 1422)`, msg)
}

func TestSimSearchByBrandWord(t *testing.T) {
	e := setupSim(t)
	brand := e.item(t, e.ex.InStockSKU).Brand
	ps, err := e.c.Search(context.Background(), distributors.Query{Text: strings.ToLower(brand), Currency: "EUR", Limit: 20})
	require.NoError(t, err)
	require.Len(t, ps, 20)
	for _, p := range ps {
		assert.True(t, strings.EqualFold(brand, p.Brand), p.ID)
		require.NotNil(t, p.Offer, p.ID)
		assert.Greater(t, p.Offer.Cost, 0.0, p.ID)
		assert.Equal(t, "EUR", p.Offer.Currency)
		require.NotNil(t, p.Offer.Stock, p.ID)
		assert.NotEmpty(t, p.CategoryKey, p.ID)
		assert.Contains(t, p.CategoryName, " / ", p.ID)
	}
	assert.Equal(t, 1, e.sim.CallCount("GetPrice"))
	assert.Equal(t, 1, e.sim.CallCount("GetInventory"))
	assert.Equal(t, 2, e.sim.CallCount("GetProducts"), "two pages of 10")
}

func TestSimSearchExactSKU(t *testing.T) {
	e := setupSim(t)
	for _, sku := range []string{e.ex.InStockSKU, e.ex.HashSKU} {
		ps, err := e.c.Search(context.Background(), distributors.Query{Text: sku, Limit: 10})
		require.NoError(t, err, sku)
		require.NotEmpty(t, ps, sku)
		p := ps[0]
		assert.Equal(t, sku, p.ID)
		it := e.item(t, sku)
		require.NotNil(t, p.Offer)
		assert.Equal(t, it.Prices["EUR"].Price, p.Offer.Cost)
		require.NotNil(t, p.Offer.Stock)
		assert.Equal(t, float64(it.Stock), p.Offer.Stock.Available)
		assert.Equal(t, it.Name, p.Name)
	}
}

func TestSimOffersVolumeAndIncoming(t *testing.T) {
	e := setupSim(t)
	offers, err := e.c.Offers(context.Background(), []string{e.ex.VolumeSKU, e.ex.ZeroStockPOSKU, e.ex.SpecialSKU, "NO-SUCH-SKU"}, "USD")
	require.NoError(t, err)
	assert.Len(t, offers, 3, "unknown SKU left out")
	vol := offers[e.ex.VolumeSKU]
	want := e.item(t, e.ex.VolumeSKU).Prices["USD"].Volume
	require.Len(t, vol.Breaks, len(want))
	for i, b := range want {
		assert.Equal(t, float64(b.Quantity), vol.Breaks[i].MinQuantity)
		assert.Equal(t, b.Price, vol.Breaks[i].Price)
	}
	assert.Equal(t, "USD", vol.Currency)

	po := offers[e.ex.ZeroStockPOSKU]
	require.NotNil(t, po.Stock)
	assert.Zero(t, po.Stock.Available)
	require.NotEmpty(t, po.Stock.Incoming)
	for i := 1; i < len(po.Stock.Incoming); i++ {
		assert.False(t, po.Stock.Incoming[i].Date.Before(po.Stock.Incoming[i-1].Date))
	}
	sp := offers[e.ex.SpecialSKU]
	require.NotNil(t, sp.Special)
	assert.True(t, sp.SpecialActive(time.Now()))
	assert.Less(t, sp.CostAt(1, time.Now()), sp.Cost)
	assert.Equal(t, 1, e.sim.CallCount("GetPrice"))
}

func TestSimProductsListsAndAddresses(t *testing.T) {
	e := setupSim(t)
	ps, err := e.c.Products(context.Background(), []string{e.ex.ESDSKU, "NOPE", e.ex.EndUserFormSKU}, "")
	require.NoError(t, err)
	require.Len(t, ps, 2)
	assert.True(t, ps[0].ESD)
	assert.True(t, ps[1].EndUserForm)
	require.NotNil(t, ps[0].Offer)

	cats, err := e.c.List(context.Background(), distributors.ListProductCategory)
	require.NoError(t, err)
	assert.Len(t, cats, len(e.cat.Logicom.Categories))
	found := false
	for _, c := range cats {
		found = found || c.Name == "Personal Computing Systems / Desktops & Workstations / Desktops" || strings.Count(c.Name, " / ") == 2
	}
	assert.True(t, found)
	brands, err := e.c.List(context.Background(), distributors.ListProductFamily)
	require.NoError(t, err)
	assert.Len(t, brands, len(e.cat.Logicom.Brands))

	a, err := e.c.Addresses(context.Background())
	require.NoError(t, err)
	require.NotNil(t, a.Shipping)
	assert.Equal(t, "DEFAULT", a.Shipping.ID)
	assert.Equal(t, "Oslo", a.Shipping.City)
	require.NotNil(t, a.Billing)
	assert.Equal(t, "NO", a.Billing.CountryCode)
}

func TestSimPlaceOrderAndReadState(t *testing.T) {
	e := setupSim(t)
	ctx := context.Background()
	sku := e.ex.InStockSKU
	rec, err := e.c.PlaceOrder(ctx, distributors.Order{Reference: "SO quote #42 / v1",
		Lines: []distributors.OrderLine{{LineID: 7, ProductID: sku, Quantity: 2}}})
	require.NoError(t, err)
	require.NotEmpty(t, rec.OrderID)

	st, err := e.c.OrderStatus(ctx, []distributors.OrderRef{{ID: rec.OrderID}, {ID: "O0000000"}})
	require.NoError(t, err)
	require.Len(t, st, 1)
	assert.Equal(t, distributors.OrderOpen, st[0].State)
	require.Len(t, st[0].Lines, 1)
	assert.Equal(t, sku, st[0].Lines[0].ProductID)
	assert.Equal(t, 2.0, st[0].Lines[0].Quantity)
	assert.Zero(t, st[0].Lines[0].Delivered)

	wantStates := []distributors.OrderState{distributors.OrderProcessing, distributors.OrderPartShipped, distributors.OrderShipped, distributors.OrderInvoiced}
	for _, want := range wantStates {
		require.NoError(t, e.sim.AdvanceOrder(rec.OrderID))
		st, err = e.c.OrderStatus(ctx, []distributors.OrderRef{{ID: rec.OrderID}})
		require.NoError(t, err)
		require.Len(t, st, 1)
		assert.Equal(t, want, st[0].State, st[0].StatusText)
	}
	assert.Equal(t, 2.0, st[0].Lines[0].Delivered)
	inv, ok := e.sim.InvoiceOf(rec.OrderID)
	require.True(t, ok)
	assert.Equal(t, []string{inv}, st[0].Invoices)
}

func TestSimOrderRulesAndRefusals(t *testing.T) {
	e := setupSim(t)
	ctx := context.Background()
	// ESD item without buyer data: refused before sending.
	_, err := e.c.PlaceOrder(ctx, distributors.Order{Reference: "R1",
		Lines: []distributors.OrderLine{{LineID: 3, ProductID: e.ex.ESDSKU, Quantity: 1}}})
	require.Error(t, err)
	assert.Equal(t, distributors.KindInvalid, distributors.KindOf(err))
	assert.Zero(t, e.sim.CallCount("PostOrder"))

	// With the buyer: accepted.
	rec, err := e.c.PlaceOrder(ctx, distributors.Order{Reference: "R1", PONumber: "PO-1",
		Buyer: distributors.Person{FirstName: "Kari", LastName: "Nordmann", Email: "kari@example.com"},
		Lines: []distributors.OrderLine{{LineID: 3, ProductID: e.ex.ESDSKU, Quantity: 1}}})
	require.NoError(t, err)
	assert.NotEmpty(t, rec.OrderID)

	// End-user form item with the end user's data: accepted.
	rec, err = e.c.PlaceOrder(ctx, distributors.Order{Reference: "R2",
		EndUser: distributors.Company{Name: "Acme AS", Email: "it@acme.example", ContactName: "Per Hansen", Phone: "+47 22 33 44 55",
			Address: distributors.Address{Lines: []string{"Storgata 1"}, City: "Oslo", Zip: "0155", CountryCode: "NO"}},
		Lines: []distributors.OrderLine{{LineID: 4, ProductID: e.ex.EndUserFormSKU, Quantity: 1}}})
	require.NoError(t, err, "%v", err)
	assert.NotEmpty(t, rec.OrderID)

	// More than the stock, with stock verification: Logicom's refusal.
	it := e.item(t, e.ex.InStockSKU)
	_, err = e.c.PlaceOrder(ctx, distributors.Order{Reference: "R3",
		Lines: []distributors.OrderLine{{LineID: 5, ProductID: it.SKU, Quantity: float64(e.sim.Stock(it.SKU) + 5)}}})
	require.Error(t, err)
	var de *distributors.Error
	require.ErrorAs(t, err, &de)
	assert.Equal(t, distributors.KindRejected, de.Kind)
	assert.Contains(t, de.Message, "availability")
	require.Len(t, de.Problems, 1)
	assert.Equal(t, 5, de.Problems[0].LineID)
}

func TestSimConcurrentSearchOneToken(t *testing.T) {
	// A generous deadline: one token for 100 callers is the point, not
	// speed on a busy machine under the race detector.
	e := setupSim(t, func(o *Options) { o.Timeout = 60 * time.Second })
	brand := strings.ToLower(e.item(t, e.ex.InStockSKU).Brand)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ps, err := e.c.Search(context.Background(), distributors.Query{Text: brand, Limit: 10})
			if err == nil && len(ps) == 0 {
				err = assert.AnError
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, e.sim.CallCount("GenerateAccessToken"))
}

func TestSimRevokedTokenRecovered(t *testing.T) {
	e := setupSim(t)
	ctx := context.Background()
	_, err := e.c.Offers(ctx, []string{e.ex.InStockSKU}, "")
	require.NoError(t, err)
	e.sim.RevokeTokens()
	offers, err := e.c.Offers(ctx, []string{e.ex.InStockSKU}, "")
	require.NoError(t, err)
	assert.Len(t, offers, 1)
	assert.Equal(t, 2, e.sim.CallCount("GenerateAccessToken"))

	// Another client of the same factory and account shares the token.
	c2, err := e.f.NewClient(simSettings(e.cat.Logicom.Account))
	require.NoError(t, err)
	_, err = c2.Offers(ctx, []string{e.ex.InStockSKU}, "")
	require.NoError(t, err)
	assert.Equal(t, 2, e.sim.CallCount("GenerateAccessToken"))
}

func TestSimFaults(t *testing.T) {
	e := setupSim(t)
	ctx := context.Background()
	_, err := e.c.Test(ctx)
	require.NoError(t, err)
	e.sim.Faults().Set(faults.Config{Burst503: 2})
	_, err = e.c.Offers(ctx, []string{e.ex.InStockSKU}, "")
	require.NoError(t, err, "503s are retried")

	e.sim.Faults().Set(faults.Config{MalformedJSON: true})
	_, err = e.c.Offers(ctx, []string{e.ex.InStockSKU}, "")
	require.Error(t, err)
	assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
	e.sim.Faults().Reset()

	a := e.cat.Logicom.Account
	for _, s := range []string{a.ConsumerKey, a.ConsumerSecret, a.AccessTokenKey} {
		assert.NotContains(t, err.Error(), s)
	}
}
