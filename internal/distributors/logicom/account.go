package logicom

import (
	"context"
	"strings"
	"sync"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/upstream"
)

// account is what the factory keeps per Logicom account between requests:
// its token and the bounded local catalog of products already fetched.
// Brands, categories and account details live in the factory's memo under
// the account's key.
type account struct {
	key    string
	tokens *upstream.Tokens

	mu    sync.RWMutex
	max   int
	items map[string]*catalogEntry // by upper-case SKU
	order []string                 // insertion order, for eviction (FIFO ring)
	head  int
}

// catalogEntry is one product without its offer, with the text it is
// searched by.
type catalogEntry struct {
	p        distributors.Product
	haystack string // lower-case SKU, name, brand, manufacturer, category path
}

// category is a flattened GetProductCategories entry.
type category struct {
	ID, Name, Path string // Path: "Personal Computing Systems / Desktops"
}

func newAccount(key string, max int) *account {
	return &account{key: key, max: max, items: map[string]*catalogEntry{}}
}

// remember stores products in the local catalog, evicting the oldest when
// full.
func (a *account) remember(ps []distributors.Product) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, p := range ps {
		p.Offer = nil
		key := strings.ToUpper(p.ID)
		e := &catalogEntry{p: p, haystack: strings.ToLower(strings.Join([]string{p.ID, p.Name, p.Brand, p.Manufacturer, p.CategoryName}, " \x00 "))}
		if _, ok := a.items[key]; ok {
			a.items[key] = e
			continue
		}
		if len(a.order) < a.max {
			a.order = append(a.order, key)
		} else {
			delete(a.items, a.order[a.head])
			a.order[a.head] = key
			a.head = (a.head + 1) % a.max
		}
		a.items[key] = e
	}
}

// lookup returns a cached product by SKU.
func (a *account) lookup(sku string) (distributors.Product, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	e, ok := a.items[strings.ToUpper(sku)]
	if !ok {
		return distributors.Product{}, false
	}
	return e.p, true
}

// match returns cached products whose text contains every word, at most
// max of them.
func (a *account) match(words []string, max int) []distributors.Product {
	a.mu.RLock()
	defer a.mu.RUnlock()
	var out []distributors.Product
	for _, key := range a.order {
		e, ok := a.items[key]
		if !ok {
			continue
		}
		all := true
		for _, w := range words {
			if !strings.Contains(e.haystack, w) {
				all = false
				break
			}
		}
		if all {
			out = append(out, e.p)
			if len(out) >= max {
				break
			}
		}
	}
	return out
}

func (a *account) size() int {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return len(a.items)
}

// accountDetails is GetAccountDetails (seed "Get AccountDetails"), cached
// unless fresh is set.
func (c *Client) accountDetails(ctx context.Context, fresh bool) (*wireAccount, error) {
	fetch := func(ctx context.Context) (*wireAccount, error) {
		env, err := c.do(ctx, request{call: "GetAccountDetails", method: "GET", path: "/GetAccountDetails"})
		if err != nil {
			return nil, err
		}
		var acc wireAccount
		if err := unmarshal(env.Message, &acc); err != nil {
			return nil, c.up.DecodeError("GetAccountDetails", err)
		}
		return &acc, nil
	}
	key := c.acct.key + "|details"
	if fresh {
		acc, err := fetch(ctx)
		if err == nil {
			c.f.memo.Put(key, acc)
		}
		return acc, err
	}
	return upstream.Load(ctx, c.f.memo, key, fetch)
}

// Addresses reads GetAccountDetails: the billing address, and the ship-to
// address whose Id is logicom.shipToAddressId (distributors.md → Decided
// details, GetAddresses).
func (c *Client) Addresses(ctx context.Context) (distributors.Addresses, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	acc, err := c.accountDetails(ctx, false)
	if err != nil {
		return distributors.Addresses{}, err
	}
	var out distributors.Addresses
	for _, a := range acc.Billing {
		if out.Billing == nil || strings.Contains(strings.ToLower(a.Type), "bill") {
			out.Billing = toAddress(a, acc.Name)
		}
	}
	for _, a := range acc.Shipping {
		if strings.EqualFold(a.ID, c.s.ShipToAddressID) {
			out.Shipping = toAddress(a, acc.Name)
			break
		}
	}
	return out, nil
}

func toAddress(a wireAddress, accountName string) *distributors.Address {
	out := &distributors.Address{ID: a.ID, Name: a.Name, City: a.City, Zip: a.PostCode}
	if out.Name == "" {
		out.Name = accountName
	}
	for _, l := range []string{a.Address1, a.Address2, a.Address3} {
		if l = strings.TrimSpace(l); l != "" {
			out.Lines = append(out.Lines, l)
		}
	}
	if len(a.Country) == 2 {
		out.CountryCode = strings.ToUpper(a.Country)
	} else {
		out.Country = a.Country
	}
	return out
}
