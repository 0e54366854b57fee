package westcon

// End-to-end tests against the Westcon simulator (internal/sandbox/
// westconsim), which implements distributors.md like this adapter does.

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/westconsim"
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
	sim *westconsim.Server
	c   *Client
	cat *catalog.Catalog
}

func setupSim(tb testing.TB) *simEnv {
	tb.Helper()
	cat := generated()
	sim := westconsim.New(cat, westconsim.Options{})
	srv := httptest.NewServer(sim.Handler())
	tb.Cleanup(srv.Close)
	f := NewFactory(Options{BaseURL: srv.URL, TokenURL: srv.URL + "/{tenant}/oauth2/token", HTTP: srv.Client(), Timeout: 5 * time.Second})
	cr := sim.Credentials()
	d, err := f.New(Settings{Enabled: true, TenantID: cr.TenantID, ClientID: cr.ClientID,
		ClientSecret: settings.Secret(cr.ClientSecret), Resource: cr.Resource, SubscriptionKey: settings.Secret(cr.SubscriptionKey),
		PartnerKey: cr.PartnerKey, Language: "EN"})
	require.NoError(tb, err)
	return &simEnv{sim: sim, c: d.(*Client), cat: cat}
}

func TestSimOrdersWAndC(t *testing.T) {
	e := setupSim(t)
	ctx := context.Background()
	orders := e.cat.Westcon.Orders
	require.GreaterOrEqual(t, len(orders), 6)
	refs := []distributors.OrderRef{
		{ID: orders[0].WestconNumber},
		{ID: orders[1].CustomerNumber, ByCustomerNumber: true},
		{ID: orders[2].WestconNumber},
		{ID: "9999999999"},
		{ID: orders[3].CustomerNumber, ByCustomerNumber: true},
	}
	st, err := e.c.OrderStatus(ctx, refs)
	require.NoError(t, err)
	assert.Equal(t, 2, e.sim.CallCount(westconsim.CallOrderStatus), "one call per order type")
	assert.Equal(t, 1, e.sim.CallCount(westconsim.CallToken))
	require.Len(t, st, 4)

	// catalog mixes: [INV INV], [SHI BCK OPN], [OPN], [BCK BCK]
	want := []struct {
		order catalog.WestconOrder
		state distributors.OrderState
	}{{orders[0], distributors.OrderInvoiced}, {orders[1], distributors.OrderOnHold}, {orders[2], distributors.OrderOpen}, {orders[3], distributors.OrderOnHold}}
	for i, w := range want {
		assert.Equal(t, w.order.WestconNumber, st[i].OrderID)
		assert.Equal(t, w.state, st[i].State, "order %d", i)
		require.Len(t, st[i].Lines, len(w.order.Lines))
		for j, l := range w.order.Lines {
			got := st[i].Lines[j]
			assert.Equal(t, l.ProductNumber, got.PartNumber)
			assert.Equal(t, l.Quantity, got.Quantity)
			assert.Equal(t, l.StatusDescription, got.StatusText)
			assert.Equal(t, l.BillingDocument, got.Invoice)
			if l.StatusCode == "SHI" || l.StatusCode == "INV" {
				assert.Equal(t, l.Quantity, got.Delivered)
				assert.Equal(t, l.ShipDate, got.ShipDate)
			} else {
				assert.Zero(t, got.Delivered)
			}
		}
	}

	// advancing ships the open lines
	require.NoError(t, e.sim.AdvanceOrder(orders[2].WestconNumber))
	st, err = e.c.OrderStatus(ctx, refs[2:3])
	require.NoError(t, err)
	assert.Equal(t, distributors.OrderShipped, st[0].State)
	require.NoError(t, e.sim.AdvanceOrder(orders[2].WestconNumber))
	st, err = e.c.OrderStatus(ctx, refs[2:3])
	require.NoError(t, err)
	assert.Equal(t, distributors.OrderInvoiced, st[0].State)
	assert.NotEmpty(t, st[0].Invoices)
}

func TestSimTestConnection(t *testing.T) {
	e := setupSim(t)
	msg, err := e.c.Test(context.Background())
	require.NoError(t, err)
	assert.Contains(t, msg, e.cat.Westcon.Credentials.PartnerKey)
}

func TestSimTokenOnceAndRevoked(t *testing.T) {
	e := setupSim(t)
	ref := []distributors.OrderRef{{ID: e.cat.Westcon.Orders[0].WestconNumber}}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Go(func() {
			_, err := e.c.OrderStatus(context.Background(), ref)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, e.sim.CallCount(westconsim.CallToken))

	e.sim.RevokeTokens()
	st, err := e.c.OrderStatus(context.Background(), ref)
	require.NoError(t, err)
	assert.Len(t, st, 1)
	assert.Equal(t, 2, e.sim.CallCount(westconsim.CallToken))
}

// BenchmarkSimOrderStatus: 10 orders per operation, 5 by Westcon number and
// 5 by customer number; reports upstream calls per operation (2).
func BenchmarkSimOrderStatus(b *testing.B) {
	e := setupSim(b)
	ctx := context.Background()
	var refs []distributors.OrderRef
	for i, o := range e.cat.Westcon.Orders[:10] {
		if i%2 == 0 {
			refs = append(refs, distributors.OrderRef{ID: o.WestconNumber})
		} else {
			refs = append(refs, distributors.OrderRef{ID: o.CustomerNumber, ByCustomerNumber: true})
		}
	}
	_, err := e.c.OrderStatus(ctx, refs)
	require.NoError(b, err)
	e.sim.ResetCounts()
	b.ResetTimer()
	for b.Loop() {
		if st, err := e.c.OrderStatus(ctx, refs); err != nil || len(st) != 10 {
			b.Fatal(err, len(st))
		}
	}
	calls := e.sim.CallCount(westconsim.CallToken) + e.sim.CallCount(westconsim.CallOrderStatus)
	b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
}
