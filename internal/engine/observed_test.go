package engine_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/activity"
	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/mock"
	"github.com/quoteconnector/quoteconnector/internal/engine"
	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
)

// watcher records what the engine tells its observers.
type watcher struct {
	mu     sync.Mutex
	calls  []activity.Call
	orders []string
	cache  map[bool]int
}

func (w *watcher) ObserveCall(c activity.Call) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, c)
}

func (w *watcher) OrderOutcome(distributor, outcome string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.orders = append(w.orders, distributor+" "+outcome)
}

func (w *watcher) CacheLookup(cache string, hit bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cache == nil {
		w.cache = map[bool]int{}
	}
	w.cache[hit]++
}

func watchedEngine(t *testing.T, w *watcher, ds ...*mock.Distributor) (*engine.Engine, store.Store) {
	st, _ := storetest.SQLite(t)
	orders := ledger.New(ledger.Options{Store: st, Owner: "test", IsUncertain: distributors.IsUncertain})
	return engine.New(engine.Options{Registry: mock.Registry(ds...), Now: func() time.Time { return today }, Ledger: orders,
		Calls: w, Orders: w, Cache: w}), st
}

// Every distributor operation is told with its connection; a failure of the
// distributor is one, a business answer is not.
func TestCallsAreObserved(t *testing.T) {
	alpha := catalog("alpha", product("A-1", "PART-1", 100, 3))
	beta := catalog("beta")
	beta.SearchFn = func(context.Context, distributors.Query) ([]distributors.Product, error) {
		return nil, &distributors.Error{Distributor: "beta", Call: "search", Kind: distributors.KindAuth, StatusCode: 401, Message: "credentials refused"}
	}
	beta.ProductsFn = func(context.Context, []string, string) ([]distributors.Product, error) {
		return nil, &distributors.Error{Distributor: "beta", Kind: distributors.KindNotFound, Message: "no such product"}
	}
	w := &watcher{}
	e, _ := watchedEngine(t, w, alpha, beta)
	_, err := e.FindProduct(context.Background(), call(), "", "thing", "")
	require.NoError(t, err)

	byName := map[string]activity.Call{}
	for _, c := range w.calls {
		if c.Operation == "Search" {
			byName[c.Distributor] = c
		}
	}
	require.Contains(t, byName, "alpha")
	require.Contains(t, byName, "beta")
	assert.Equal(t, "t1", byName["alpha"].Tenant)
	assert.Equal(t, 1, byName["alpha"].ConnectionID)
	assert.False(t, byName["alpha"].Failed)
	assert.True(t, byName["beta"].Failed)
	assert.Equal(t, "beta search: credentials refused (HTTP 401)", byName["beta"].Message)

	w.calls = nil
	_, _ = e.GetProduct(context.Background(), call(), "beta:NOPE", nil)
	require.NotEmpty(t, w.calls)
	assert.False(t, w.calls[0].Failed, "not found is an answer, not a failure")
}

func TestOrderOutcomesAndCacheLookupsAreCounted(t *testing.T) {
	alpha := catalog("alpha", product("A-1", "PART-1", 100, 3))
	alpha.PlaceOrderFn = func(context.Context, distributors.Order) (distributors.OrderReceipt, error) {
		return distributors.OrderReceipt{OrderID: "A1"}, nil
	}
	w := &watcher{}
	e, _ := watchedEngine(t, w, alpha)
	ctx := context.Background()
	actx := alternative(line("alpha:A-1", 1))
	require.True(t, e.PlaceOrder(ctx, call(), actx).IsOk)
	actx.CRMQuote.ERPOrderKey = ""
	require.True(t, e.PlaceOrder(ctx, call(), actx).IsOk)
	assert.Equal(t, []string{"alpha placed", "alpha replayed"}, w.orders)

	_, _ = e.GetProduct(ctx, call(), "alpha:A-1", nil)
	_, _ = e.GetProduct(ctx, call(), "alpha:A-1", nil)
	assert.Positive(t, w.cache[true], "the second read is a hit")
	assert.Positive(t, w.cache[false])
}

// The console's check of an uncertain order goes through OrderFinder: the
// distributor is asked by reference, nothing is sent.
func TestOrderFinderChecksWithoutSending(t *testing.T) {
	alpha := catalog("alpha")
	alpha.Caps.FindOrder = true
	sent := 0
	alpha.PlaceOrderFn = func(context.Context, distributors.Order) (distributors.OrderReceipt, error) {
		sent++
		return distributors.OrderReceipt{}, &distributors.Error{Distributor: "alpha", Kind: distributors.KindUnavailable, Uncertain: true, Message: "no answer in time"}
	}
	var asked distributors.Order
	alpha.FindOrderFn = func(_ context.Context, o distributors.Order, _ time.Time) (distributors.OrderReceipt, bool, error) {
		asked = o
		return distributors.OrderReceipt{OrderID: "A9"}, true, nil
	}
	w := &watcher{}
	e, st := watchedEngine(t, w, alpha)
	ctx := context.Background()
	require.False(t, e.PlaceOrder(ctx, call(), alternative(line("alpha:A-1", 2))).IsOk)
	assert.Equal(t, []string{"alpha uncertain"}, w.orders)

	rows, err := st.ListOrders(ctx, store.OrderFilter{State: store.OrderUncertain})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	f, err := e.OrderFinder(call(), "alpha")
	require.NoError(t, err)
	orders := ledger.New(ledger.Options{Store: st, Owner: "console"})
	r, err := orders.Check(ctx, rows[0].Key, rows[0].Attempt, f, "ops")
	require.NoError(t, err)
	assert.Equal(t, "A9", r.OrderID)
	assert.Equal(t, 1, sent)
	assert.Equal(t, "Q-7-1", asked.Reference)
	assert.Equal(t, []distributors.OrderLine{{LineID: 0, ProductID: "A-1", Quantity: 2}}, asked.Lines)

	_, err = e.OrderFinder(call(), "gamma")
	assert.Error(t, err, "not enabled")
}
