package nuvias

// End-to-end tests against the Nuvias Hub simulator (internal/sandbox/
// nuviassim), which implements distributors.md like this adapter does.

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/nuviassim"
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

var (
	simCatalogOnce sync.Once
	simCatalog     *catalog.Catalog
)

func generated() *catalog.Catalog {
	simCatalogOnce.Do(func() {
		simCatalog = catalog.Generate(catalog.DefaultSeed, time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC))
	})
	return simCatalog
}

type simEnv struct {
	sim *nuviassim.Server
	c   *Client
	cat *catalog.Catalog
}

func setupSim(tb testing.TB) *simEnv {
	tb.Helper()
	cat := generated()
	sim := nuviassim.New(cat, nuviassim.Options{})
	srv := httptest.NewServer(sim.Handler())
	tb.Cleanup(srv.Close)
	f := NewFactory(Options{BaseURL: srv.URL + nuviassim.BasePath, HTTP: srv.Client(), Timeout: 5 * time.Second})
	cr := sim.Credentials()
	d, err := f.New(Settings{Enabled: true, ClientID: cr.ClientID, ClientSecret: settings.Secret(cr.ClientSecret), PartShip: true})
	require.NoError(tb, err)
	return &simEnv{sim: sim, c: d.(*Client), cat: cat}
}

// pick returns in-stock, orderable hardware products of the catalog.
func (e *simEnv) pick(n int) []catalog.NuviasProduct {
	var out []catalog.NuviasProduct
	for _, p := range e.cat.Nuvias.Products {
		if len(out) < n && !p.Discontinued && p.Stock >= 5 && len(p.RatePlans) == 0 && strings.EqualFold(p.ProductType, "hardware") {
			out = append(out, p)
		}
	}
	return out
}

func TestSimSearchAndDetail(t *testing.T) {
	e := setupSim(t)
	ctx := context.Background()
	all, err := e.c.Search(ctx, distributors.Query{Text: "%", Limit: 25})
	require.NoError(t, err)
	assert.Len(t, all, 25)

	want := e.pick(1)[0]
	ps, err := e.c.Search(ctx, distributors.Query{Text: want.ProductCode, Limit: 10})
	require.NoError(t, err)
	var hit *distributors.Product
	for i := range ps {
		if ps[i].ID == strconv.Itoa(want.ID) {
			hit = &ps[i]
		}
	}
	require.NotNil(t, hit, "search by product code finds %s", want.ProductCode)
	vendor := ""
	for _, v := range e.cat.Nuvias.Vendors {
		if v.ID == want.VendorID {
			vendor = v.Name
		}
	}
	assert.Equal(t, want.ProductCode, hit.PartNumber)
	assert.Equal(t, want.Name, hit.Name)
	assert.Equal(t, vendor, hit.Manufacturer)
	assert.Equal(t, want.Price, hit.Offer.Cost)
	assert.Equal(t, e.cat.Nuvias.Me.Currency, hit.Offer.Currency)
	require.NotNil(t, hit.Offer.Stock)
	assert.Equal(t, float64(want.Stock), hit.Offer.Stock.Available)

	detail, err := e.c.Products(ctx, []string{strconv.Itoa(want.ID), "99999999"}, "")
	require.NoError(t, err)
	require.Len(t, detail, 1)
	assert.Equal(t, *hit, detail[0])

	ex := e.cat.Example()
	if ex.NuviasSubscripID != 0 {
		sub, err := e.c.Products(ctx, []string{strconv.Itoa(ex.NuviasSubscripID)}, "")
		require.NoError(t, err)
		require.Len(t, sub, 1)
		assert.NotNil(t, sub[0].Subscription)
		assert.Nil(t, sub[0].Offer.Stock)
	}
	if ex.NuviasNoDiscount != 0 {
		nd, err := e.c.Products(ctx, []string{strconv.Itoa(ex.NuviasNoDiscount)}, "")
		require.NoError(t, err)
		assert.True(t, nd[0].NotDiscountable)
	}

	msg, err := e.c.Test(ctx)
	require.NoError(t, err)
	assert.Contains(t, msg, e.cat.Nuvias.Me.OrganisationName)
	for _, k := range []distributors.ListKind{distributors.ListProductFamily, distributors.ListProductType, distributors.ListDeliveryType} {
		items, err := e.c.List(ctx, k)
		require.NoError(t, err)
		assert.NotEmpty(t, items, k)
	}
	as, err := e.c.Addresses(ctx)
	require.NoError(t, err)
	require.NotNil(t, as.Shipping)
	assert.Equal(t, strconv.Itoa(e.cat.Nuvias.Addresses[0].ID), as.Shipping.ID)
	assert.Equal(t, 1, e.sim.CallCount(nuviassim.CallToken))
}

func TestSimOrderLifecycle(t *testing.T) {
	e := setupSim(t)
	ctx := context.Background()
	ps := e.pick(2)
	require.Len(t, ps, 2)
	o := distributors.Order{Reference: "Q-2001", PONumber: "PO-2001", EndUser: distributors.Company{Name: "BobCo"}, Lines: []distributors.OrderLine{
		{LineID: 1, ProductID: strconv.Itoa(ps[0].ID), Quantity: 2},
		{LineID: 2, ProductID: strconv.Itoa(ps[1].ID), Quantity: 1},
	}}
	rc, err := e.c.PlaceOrder(ctx, o)
	require.NoError(t, err)
	assert.Equal(t, "CREATED", rc.Status)
	id, _ := strconv.Atoi(rc.OrderID)
	so, ok := e.sim.Order(id)
	require.True(t, ok)
	assert.Equal(t, "PO-2001", so.PurchaseOrderNumber)
	assert.Equal(t, e.cat.Nuvias.Addresses[0].ID, so.ShippingAddress.ID, "first saved address")
	assert.JSONEq(t, `"BobCo"`, string(so.EndUser))

	ref := []distributors.OrderRef{{ID: rc.OrderID}}
	st, err := e.c.OrderStatus(ctx, ref)
	require.NoError(t, err)
	require.Len(t, st, 1)
	assert.Equal(t, distributors.OrderOpen, st[0].State)

	wantStates := []distributors.OrderState{distributors.OrderProcessing, distributors.OrderProcessing, distributors.OrderShipped, distributors.OrderInvoiced}
	for _, want := range wantStates {
		require.NoError(t, e.sim.AdvanceOrder(id))
		st, err = e.c.OrderStatus(ctx, ref)
		require.NoError(t, err)
		assert.Equal(t, want, st[0].State, st[0].StatusText)
	}
	assert.Equal(t, "COMPLETE", st[0].StatusText)
	for _, l := range st[0].Lines {
		assert.Equal(t, l.Quantity, l.Delivered)
		assert.NotEmpty(t, l.Tracking)
	}

	require.NoError(t, e.sim.SetOrderStatus(id, "ATTENTION_REQUIRED", "Credit check"))
	st, err = e.c.OrderStatus(ctx, ref)
	require.NoError(t, err)
	assert.Equal(t, distributors.OrderOnHold, st[0].State)
	assert.Equal(t, "Credit check", st[0].Message)

	// inline delivery address; more than in stock without part shipment → 422
	o.ShipTo = &distributors.Address{Name: "Site", Lines: []string{"Road 1"}, City: "Oslo", Zip: "0150", CountryCode: "NO"}
	rc, err = e.c.PlaceOrder(ctx, o)
	require.NoError(t, err)
	id, _ = strconv.Atoi(rc.OrderID)
	so, _ = e.sim.Order(id)
	assert.Equal(t, 578, so.ShippingAddress.CountryCode)

	e.c.settings.PartShip = false
	o.Lines[1].Quantity = 1_000_000
	_, err = e.c.PlaceOrder(ctx, o)
	var de *distributors.Error
	require.ErrorAs(t, err, &de)
	assert.Equal(t, distributors.KindRejected, de.Kind)
	var lines []int
	for _, pr := range de.Problems {
		lines = append(lines, pr.LineID)
	}
	assert.Contains(t, lines, 2, "the 422's line_items.1 is quote line 2")
}

func TestSimPartShipment(t *testing.T) {
	e := setupSim(t)
	ctx := context.Background()
	p := e.pick(1)[0]
	require.NoError(t, e.sim.SetStock(p.ID, 1))
	rc, err := e.c.PlaceOrder(ctx, distributors.Order{Reference: "Q-3", Lines: []distributors.OrderLine{{LineID: 1, ProductID: strconv.Itoa(p.ID), Quantity: 3}}})
	require.NoError(t, err)
	id, _ := strconv.Atoi(rc.OrderID)
	for range 3 { // PROCESSING, ACCEPTED, PART_SHIPPED
		require.NoError(t, e.sim.AdvanceOrder(id))
	}
	st, err := e.c.OrderStatus(ctx, []distributors.OrderRef{{ID: rc.OrderID}})
	require.NoError(t, err)
	assert.Equal(t, distributors.OrderPartShipped, st[0].State)
	assert.Equal(t, 1.0, st[0].Lines[0].Delivered)
	assert.Equal(t, distributors.OrderPartShipped, st[0].Lines[0].State)
}

func TestSimTokenOnceAndRevoked(t *testing.T) {
	e := setupSim(t)
	ids := []string{}
	for _, p := range e.pick(3) {
		ids = append(ids, strconv.Itoa(p.ID))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Go(func() {
			_, err := e.c.Offers(context.Background(), ids, "")
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, e.sim.CallCount(nuviassim.CallToken))
	assert.Equal(t, 1, e.sim.CallCount(nuviassim.CallMe))

	e.sim.RevokeTokens()
	_, err := e.c.Offers(context.Background(), ids[:1], "")
	require.NoError(t, err)
	assert.Equal(t, 2, e.sim.CallCount(nuviassim.CallToken))
}

// BenchmarkSimSearch: one search of 50 over the simulator; reports upstream
// calls per operation (token, /me and /vendors are cached, so 1).
func BenchmarkSimSearch(b *testing.B) {
	e := setupSim(b)
	ctx := context.Background()
	_, err := e.c.Search(ctx, distributors.Query{Text: "%", Limit: 50})
	require.NoError(b, err)
	e.sim.ResetCounts()
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.c.Search(ctx, distributors.Query{Text: "%", Limit: 50}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(simCalls(e.sim))/float64(b.N), "calls/op")
}

// BenchmarkSimOrderStatus: the state of 10 orders per operation.
func BenchmarkSimOrderStatus(b *testing.B) {
	e := setupSim(b)
	ctx := context.Background()
	var refs []distributors.OrderRef
	ps := e.pick(10)
	for i := range 10 {
		rc, err := e.c.PlaceOrder(ctx, distributors.Order{Reference: "B", Lines: []distributors.OrderLine{{ProductID: strconv.Itoa(ps[i%len(ps)].ID), Quantity: 1}}})
		require.NoError(b, err)
		refs = append(refs, distributors.OrderRef{ID: rc.OrderID})
	}
	e.sim.ResetCounts()
	b.ResetTimer()
	for b.Loop() {
		if st, err := e.c.OrderStatus(ctx, refs); err != nil || len(st) != 10 {
			b.Fatal(err, len(st))
		}
	}
	b.ReportMetric(float64(simCalls(e.sim))/float64(b.N), "calls/op")
}

func simCalls(s *nuviassim.Server) int {
	n := 0
	for _, c := range []string{nuviassim.CallToken, nuviassim.CallMe, nuviassim.CallAddresses, nuviassim.CallProducts, nuviassim.CallProduct,
		nuviassim.CallVendors, nuviassim.CallShippingTypes, nuviassim.CallCreateOrder, nuviassim.CallOrder} {
		n += s.CallCount(c)
	}
	return n
}
