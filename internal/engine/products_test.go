package engine_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/mock"
	"github.com/quoteconnector/quoteconnector/internal/engine"
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// failures records the distributors the engine reports failed.
type failures struct {
	mu  sync.Mutex
	ops []string
}

func (f *failures) DistributorFailed(distributor, operation string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ops = append(f.ops, distributor+" "+operation)
}

func searchEngine(ds []*mock.Distributor, timeout time.Duration, f *failures) *engine.Engine {
	return engine.New(engine.Options{Registry: mock.Registry(ds...), Now: func() time.Time { return today },
		DistributorTimeout: timeout, Failures: f})
}

// No distributor's search waits for another's currencies: alpha's
// currencies answer only once beta has searched, which a search that first
// asked every distributor's currencies would never see (alpha would run
// into its deadline and be missing).
func TestFindProductAsksEachDistributorOnItsOwn(t *testing.T) {
	betaSearched := make(chan struct{})
	alpha := catalog("alpha", product("A-1", "PART-1", 100, 5))
	alpha.CurrenciesFn = func(ctx context.Context) ([]string, error) {
		select {
		case <-betaSearched:
			return []string{"EUR"}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	beta := catalog("beta", product("B-1", "PART-2", 120, 3))
	search := beta.SearchFn
	beta.SearchFn = func(ctx context.Context, q distributors.Query) ([]distributors.Product, error) {
		close(betaSearched)
		return search(ctx, q)
	}
	f := &failures{}
	e := searchEngine([]*mock.Distributor{alpha, beta}, 10*time.Second, f)

	ps, err := e.FindProduct(context.Background(), call(), "", "thing", "")
	require.NoError(t, err)
	var got []string
	for _, p := range ps {
		got = append(got, p.ERPProductKey)
	}
	assert.Equal(t, []string{"alpha:A-1", "beta:B-1"}, got, "listed in registry order, whoever answered first")
	assert.Empty(t, f.ops)
}

// A distributor that does not answer is cut off at its deadline, which
// covers its currencies and its search together; the others' results are
// shown and the failure is counted.
func TestFindProductSlowestDistributorIsBoundedByItsDeadline(t *testing.T) {
	alpha := catalog("alpha", product("A-1", "PART-1", 100, 5))
	beta := catalog("beta", product("B-1", "PART-2", 120, 3))
	beta.SearchFn = func(ctx context.Context, q distributors.Query) ([]distributors.Product, error) {
		<-ctx.Done() // never answers
		return nil, ctx.Err()
	}
	f := &failures{}
	e := searchEngine([]*mock.Distributor{alpha, beta}, 50*time.Millisecond, f)

	ps, err := e.FindProduct(context.Background(), call(), "", "thing", "")
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, "alpha:A-1", ps[0].ERPProductKey)
	assert.Equal(t, []string{"beta FindProduct"}, f.ops)
}

// A price list of one distributor asks that one only; the cap applies to
// what is shown, side by side and under best:.
func TestFindProductScopeAndCap(t *testing.T) {
	var betaAsked bool
	alpha := catalog("alpha", product("A-1", "PART-1", 100, 5), product("A-2", "PART-2", 50, 5), product("A-3", "PART-3", 70, 5))
	beta := catalog("beta", product("B-1", "PART-1", 120, 3), product("B-2", "PART-4", 40, 5))
	beta.CurrenciesFn = func(context.Context) ([]string, error) { betaAsked = true; return []string{"EUR"}, nil }
	e := searchEngine([]*mock.Distributor{alpha, beta}, time.Second, &failures{})
	ctx := context.Background()

	ps, err := e.FindProduct(ctx, call(), "", "thing", "alpha:EUR")
	require.NoError(t, err)
	assert.Len(t, ps, 3)
	assert.False(t, betaAsked, "beta is not in the price list's scope")

	c := call()
	c.Conn, _ = settings.Parse(map[string]string{settings.KeySearchMaxResults: "3"})
	ps, err = e.FindProduct(ctx, c, "", "thing", "")
	require.NoError(t, err)
	var got []string
	for _, p := range ps {
		got = append(got, p.ERPProductKey)
	}
	assert.Equal(t, []string{"alpha:A-1", "beta:B-1", "alpha:A-2"}, got, "one of each in turn, capped")

	ps, err = e.FindProduct(ctx, c, "", "thing", "best:EUR")
	require.NoError(t, err)
	got = nil
	for _, p := range ps {
		got = append(got, p.ERPProductKey)
	}
	assert.Equal(t, []string{"alpha:A-1", "alpha:A-2", "beta:B-2"}, got, "the first three parts found, PART-1 from the cheaper source")
}
