package nuvias

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/upstream"
)

func (a *account) seeType(label string) {
	if label == "" {
		return
	}
	a.mu.Lock()
	a.types[label] = true
	a.mu.Unlock()
}

func (a *account) typeLabels() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]string, 0, len(a.types))
	for t := range a.types {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// me is GET /me (seed: "Gets details about the currently authenticated
// user"). organisation_name is not in the seed; read when present.
type me struct {
	ID               flexNum `json:"id"`
	Name             string  `json:"name"`
	Organisation     flexNum `json:"organisation"`
	OrganisationName string  `json:"organisation_name"`
	Currency         string  `json:"currency"`
}

// me returns the cached /me answer.
func (c *Client) me(ctx context.Context) (me, error) {
	return upstream.Load(ctx, c.f.memo, c.acct.key+"|me", func(ctx context.Context) (me, error) {
		var m me
		_, err := c.do(ctx, request{call: callMe, method: "GET", path: pathMe}, &m)
		if err == nil && m.Organisation == 0 && m.Currency == "" {
			err = c.up.DecodeError(callMe, fmt.Errorf("no organisation or currency"))
		}
		return m, err
	})
}

// vendorNames returns the cached GET /vendors as id → name
// (distributors.md: `/vendors` returns `[{id, name}]`).
func (c *Client) vendorNames(ctx context.Context) (map[string]string, error) {
	return upstream.Load(ctx, c.f.memo, c.acct.key+"|vendors", func(ctx context.Context) (map[string]string, error) {
		var vs []struct {
			ID   flexNum `json:"id"`
			Name string  `json:"name"`
		}
		if _, err := c.do(ctx, request{call: callVendors, method: "GET", path: pathVendors}, &vs); err != nil {
			return nil, err
		}
		out := make(map[string]string, len(vs))
		for _, v := range vs {
			out[v.ID.id()] = strings.TrimSpace(v.Name)
		}
		return out, nil
	})
}

// Currencies is the /me currency: a Hub account has one price list
// (distributors.md → Nuvias, "The price list currency is the /me currency").
func (c *Client) Currencies(ctx context.Context) ([]string, error) {
	ctx, cancel := c.up.WithTimeout(ctx)
	defer cancel()
	m, err := c.me(ctx)
	if err != nil {
		return nil, err
	}
	return []string{strings.ToUpper(m.Currency)}, nil
}

// address is a saved address of GET /organisations/{id}/addresses and an
// order's shipping_address. id, country and iso are not in the seed; read
// when present.
type address struct {
	ID            flexNum `json:"id,omitempty"`
	Name          string  `json:"name,omitempty"`
	CompanyName   string  `json:"company_name"`
	RecipientName string  `json:"recipient_name"`
	AddrLine1     string  `json:"addr_line_1"`
	AddrLine2     string  `json:"addr_line_2"`
	AddrLine3     string  `json:"addr_line_3,omitempty"`
	City          string  `json:"city"`
	Region        string  `json:"region"`
	PostalCode    string  `json:"postal_code"`
	CountryCode   flexNum `json:"country_code"` // ISO 3166 numeric
	Country       string  `json:"country,omitempty"`
	ISO           string  `json:"iso,omitempty"`
}

func (a address) neutral() *distributors.Address {
	out := &distributors.Address{ID: a.ID.id(), Name: a.CompanyName, City: a.City, Zip: a.PostalCode, Country: a.Country}
	if out.Name == "" {
		out.Name = a.Name
	}
	for _, l := range []string{a.AddrLine1, a.AddrLine2, a.AddrLine3} {
		if l = strings.TrimSpace(l); l != "" {
			out.Lines = append(out.Lines, l)
		}
	}
	out.CountryCode = strings.ToUpper(a.ISO)
	if out.CountryCode == "" && a.CountryCode != 0 {
		out.CountryCode = alpha2(int(a.CountryCode))
	}
	return out
}

// addresses is GET /me then GET /organisations/{id}/addresses.
func (c *Client) addresses(ctx context.Context) ([]address, error) {
	m, err := c.me(ctx)
	if err != nil {
		return nil, err
	}
	var as []address
	_, err = c.do(ctx, request{call: callAddresses, method: "GET", path: fmt.Sprintf(pathAddresses, int(m.Organisation))}, &as)
	return as, err
}

// Addresses returns the organisation's saved addresses: the seed has no
// billing or default flag, so the first is both the billing and the
// shipping address (and the one orders use without a ShipTo).
func (c *Client) Addresses(ctx context.Context) (distributors.Addresses, error) {
	ctx, cancel := c.up.WithTimeout(ctx)
	defer cancel()
	as, err := c.addresses(ctx)
	if err != nil || len(as) == 0 {
		return distributors.Addresses{}, err
	}
	return distributors.Addresses{Billing: as[0].neutral(), Shipping: as[0].neutral()}, nil
}

// List returns the vendors (ProductFamily, GET /vendors), the product types
// seen in answers (ProductType; the seed has no type list, so one page of
// GET /products is read when none was seen yet) and the shipping types
// (DeliveryType, GET /shipping-types).
func (c *Client) List(ctx context.Context, kind distributors.ListKind) ([]distributors.ListItem, error) {
	ctx, cancel := c.up.WithTimeout(ctx)
	defer cancel()
	switch kind {
	case distributors.ListProductFamily:
		vs, err := c.vendorNames(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]distributors.ListItem, 0, len(vs))
		for id, name := range vs {
			out = append(out, distributors.ListItem{Key: id, Name: name})
		}
		sort.Slice(out, func(i, j int) bool {
			if a, b := strings.ToLower(out[i].Name), strings.ToLower(out[j].Name); a != b {
				return a < b
			}
			return out[i].Key < out[j].Key
		})
		return out, nil
	case distributors.ListProductType:
		if len(c.acct.typeLabels()) == 0 {
			if _, _, err := c.searchPage(ctx, "", 1, 100); err != nil {
				return nil, err
			}
		}
		var out []distributors.ListItem
		for _, t := range c.acct.typeLabels() {
			out = append(out, distributors.ListItem{Key: t, Name: t})
		}
		return out, nil
	case distributors.ListDeliveryType:
		return upstream.Load(ctx, c.f.memo, c.acct.key+"|shipping-types", func(ctx context.Context) ([]distributors.ListItem, error) {
			var sts []struct {
				ID          flexNum `json:"id"`
				Name        string  `json:"name"`
				Description string  `json:"description"`
			}
			if _, err := c.do(ctx, request{call: callShippingTypes, method: "GET", path: pathShippingTypes}, &sts); err != nil {
				return nil, err
			}
			out := make([]distributors.ListItem, 0, len(sts))
			for _, s := range sts {
				out = append(out, distributors.ListItem{Key: strconv.Itoa(int(s.ID)), Name: s.Name, Description: s.Description})
			}
			return out, nil
		})
	}
	return nil, nil
}

// Test obtains a token and reads /me, the cheapest calls that prove the
// credentials. Errors name the failing call ("nuvias token: …",
// "nuvias me: …"). /me is read fresh, not from the cache.
func (c *Client) Test(ctx context.Context) (string, error) {
	ctx, cancel := c.up.WithTimeout(ctx)
	defer cancel()
	if _, err := c.acct.tokens.Token(ctx); err != nil {
		return "", c.up.Scrub(err)
	}
	var m me
	if _, err := c.do(ctx, request{call: callMe, method: "GET", path: pathMe}, &m); err != nil {
		return "", err
	}
	org := m.OrganisationName
	if org == "" {
		org = m.Organisation.id()
	}
	return fmt.Sprintf("Nuvias organisation %q (currency %s)", org, strings.ToUpper(m.Currency)), nil
}
