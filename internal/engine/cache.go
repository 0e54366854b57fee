package engine

import (
	"sync"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

// productCache keeps products with their price and stock for a short time,
// per tenant, so that the rapid edits of OnQuoteLineChanged (protocol §2.1)
// and a validation right after an update do not hammer the distributors.
type productCache struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu      sync.Mutex
	entries map[productCacheKey]cachedProduct
}

type productCacheKey struct {
	tenant, distributor, id, currency string
}

type cachedProduct struct {
	p       distributors.Product
	fetched time.Time
}

func newProductCache(ttl time.Duration, max int, now func() time.Time) *productCache {
	return &productCache{ttl: ttl, max: max, now: now, entries: map[productCacheKey]cachedProduct{}}
}

func (c *productCache) get(tenant, distributor, id, currency string) (distributors.Product, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[productCacheKey{tenant, distributor, id, currency}]
	if !ok || c.now().Sub(e.fetched) > c.ttl {
		return distributors.Product{}, false
	}
	return e.p, true
}

func (c *productCache) put(tenant, currency string, ps ...distributors.Product) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries)+len(ps) > c.max {
		for k, e := range c.entries {
			if now.Sub(e.fetched) > c.ttl {
				delete(c.entries, k)
			}
		}
		// Still full: drop arbitrary entries; they are only a cache.
		for k := range c.entries {
			if len(c.entries)+len(ps) <= c.max {
				break
			}
			delete(c.entries, k)
		}
	}
	for _, p := range ps {
		if p.Offer == nil {
			continue
		}
		cur := currency
		if p.Offer.Currency != "" {
			cur = p.Offer.Currency
		}
		c.entries[productCacheKey{tenant, p.Distributor, p.ID, cur}] = cachedProduct{p: p, fetched: now}
	}
}

// DropCachedProducts empties the product cache (benchmarks of the
// uncached path; an operator never needs it).
func (e *Engine) DropCachedProducts() {
	e.products.mu.Lock()
	e.products.entries = map[productCacheKey]cachedProduct{}
	e.products.mu.Unlock()
}
