package engine

import (
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

// productCache keeps products with their price and stock for a short time,
// so that the rapid edits of OnQuoteLineChanged (protocol §2.1) and a
// validation right after an update do not hammer the distributors. Entries
// belong to one connection and one distributor account: two connections of
// a tenant with different accounts never see each other's cost or stock.
// It is bounded; the least recently used entries go first.
type productCache struct {
	lru     *expirable.LRU[productCacheKey, distributors.Product]
	counter CacheCounter // may be nil
}

type productCacheKey struct {
	tenant       string
	connectionID int
	account      string // distributors.Distributor.Account
	distributor  string
	id, currency string
}

func newProductCache(ttl time.Duration, max int, counter CacheCounter) *productCache {
	return &productCache{lru: expirable.NewLRU[productCacheKey, distributors.Product](max, nil, ttl), counter: counter}
}

func cacheKey(c Call, distributor, id, currency string) productCacheKey {
	return productCacheKey{tenant: c.Tenant, connectionID: c.ConnectionID, account: c.Accounts[distributor], distributor: distributor, id: id, currency: currency}
}

func (pc *productCache) get(c Call, distributor, id, currency string) (distributors.Product, bool) {
	p, hit := pc.lru.Get(cacheKey(c, distributor, id, currency))
	if pc.counter != nil {
		pc.counter.CacheLookup("products", hit)
	}
	return p, hit
}

// put caches products that carry an offer, under the offer's currency
// (else the one asked for).
func (pc *productCache) put(c Call, currency string, ps ...distributors.Product) {
	for _, p := range ps {
		if p.Offer == nil {
			continue
		}
		cur := currency
		if p.Offer.Currency != "" {
			cur = p.Offer.Currency
		}
		pc.lru.Add(cacheKey(c, p.Distributor, p.ID, cur), p)
	}
}

// DropCachedProducts empties the product cache (benchmarks of the
// uncached path; an operator never needs it).
func (e *Engine) DropCachedProducts() { e.products.lru.Purge() }
