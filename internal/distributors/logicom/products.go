package logicom

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/upstream"
	"golang.org/x/sync/errgroup"
)

// pageSize is GetProducts' fixed page length (seed: "the next 10 SKU's").
const pageSize = 10

func unmarshal(raw json.RawMessage, v any) error { return json.Unmarshal(orNullObj(raw), v) }

func orNullObj(raw json.RawMessage) json.RawMessage {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return json.RawMessage("null")
	}
	return raw
}

// productFilter is GetProducts' query (seed "Get Products").
type productFilter struct {
	ProductID, Brand, Category, Currency, Previous string
}

func (f productFilter) query() string {
	// Fixed order, every parameter present as in the seed's example request;
	// values escaped so '#' becomes %23.
	parts := []string{
		"PreviousItemNo=" + url.QueryEscape(f.Previous),
		"ProductId=" + url.QueryEscape(f.ProductID),
		"Brand=" + url.QueryEscape(f.Brand),
		"Category=" + url.QueryEscape(f.Category),
	}
	if f.Currency != "" {
		parts = append(parts, "Currency="+url.QueryEscape(f.Currency))
	}
	return strings.Join(parts, "&")
}

// getProducts is one GetProducts page; next is NextItemNo ("" on the last
// page).
func (c *Client) getProducts(ctx context.Context, f productFilter) (ps []wireProduct, next string, err error) {
	env, err := c.do(ctx, request{call: "GetProducts", method: "GET", path: "/GetProducts", rawQuery: f.query()})
	if err != nil {
		return nil, "", err
	}
	ps, err = list[wireProduct](env.Message)
	if err != nil {
		return nil, "", c.up.DecodeError("GetProducts", err)
	}
	return ps, env.NextItemNo, nil
}

// productsPaged pages through GetProducts until max products or the last
// page.
func (c *Client) productsPaged(ctx context.Context, f productFilter, max int) ([]wireProduct, error) {
	var out []wireProduct
	for len(out) < max {
		ps, next, err := c.getProducts(ctx, f)
		if err != nil {
			if len(out) > 0 && ctx.Err() == nil {
				return out, nil // keep what we have; a later page failing is not fatal
			}
			return out, err
		}
		out = append(out, ps...)
		if next == "" || next == f.Previous || len(ps) == 0 {
			break
		}
		f.Previous = next
	}
	if len(out) > max {
		out = out[:max]
	}
	return out, nil
}

// productByID is GetProducts with ProductId; ok is false for an unknown
// SKU.
func (c *Client) productByID(ctx context.Context, sku string) (wireProduct, bool, error) {
	ps, _, err := c.getProducts(ctx, productFilter{ProductID: sku})
	if err != nil {
		if k := distributors.KindOf(err); k == distributors.KindNotFound || k == distributors.KindRejected {
			return wireProduct{}, false, nil
		}
		return wireProduct{}, false, err
	}
	for _, p := range ps {
		if strings.EqualFold(p.SKU, sku) {
			return p, true, nil
		}
	}
	return wireProduct{}, false, nil
}

// categories is GetProductCategories flattened, cached per account.
func (c *Client) categories(ctx context.Context) ([]category, error) {
	return upstream.Load(ctx, c.f.memo, c.acct.key+"|categories", func(ctx context.Context) ([]category, error) {
		env, err := c.do(ctx, request{call: "GetProductCategories", method: "GET", path: "/GetProductCategories"})
		if err != nil {
			return nil, err
		}
		ws, err := list[wireCategory](env.Message)
		if err != nil {
			return nil, c.up.DecodeError("GetProductCategories", err)
		}
		return flattenCategories(ws), nil
	})
}

// flattenCategories lists every category, top level and below, with its
// parents' names (distributors.md: "Personal Computing Systems / Desktops").
// Parents are found by the hierarchical id ("100-10-1" → "100-10" → "100"),
// since the seed lists sub-subcategories flat under the top level; where an
// id is not hierarchical, the nesting is used.
func flattenCategories(ws []wireCategory) []category {
	type node struct {
		id, name, parent string
	}
	var nodes []node
	seen := map[string]bool{}
	var walk func(ws []wireCategory, parent string)
	walk = func(ws []wireCategory, parent string) {
		for _, w := range ws {
			if w.ID != "" && !seen[w.ID] {
				seen[w.ID] = true
				nodes = append(nodes, node{w.ID, w.Name, parent})
			}
			walk(w.Subs, w.ID)
		}
	}
	walk(ws, "")
	names := make(map[string]string, len(nodes))
	for _, n := range nodes {
		names[n.id] = n.name
	}
	parentOf := func(n node) string {
		if i := strings.LastIndexByte(n.id, '-'); i > 0 && looksLikeCategoryID(n.id) {
			return n.id[:i]
		}
		return n.parent
	}
	byID := map[string]node{}
	for _, n := range nodes {
		byID[n.id] = n
	}
	out := make([]category, 0, len(nodes))
	for _, n := range nodes {
		path := []string{n.name}
		p := parentOf(n)
		for depth := 0; p != "" && depth < 10; depth++ {
			pn, ok := byID[p]
			if !ok {
				// a missing level: keep climbing by id
				if i := strings.LastIndexByte(p, '-'); i > 0 {
					p = p[:i]
					continue
				}
				break
			}
			path = append([]string{pn.name}, path...)
			p = parentOf(pn)
		}
		out = append(out, category{ID: n.id, Name: n.name, Path: strings.Join(path, " / ")})
	}
	return out
}

// brands is GetBrands, cached per account.
func (c *Client) brands(ctx context.Context) ([]string, error) {
	return upstream.Load(ctx, c.f.memo, c.acct.key+"|brands", func(ctx context.Context) ([]string, error) {
		env, err := c.do(ctx, request{call: "GetBrands", method: "GET", path: "/GetBrands"})
		if err != nil {
			return nil, err
		}
		ws, err := list[wireBrand](env.Message)
		if err != nil {
			return nil, c.up.DecodeError("GetBrands", err)
		}
		out := make([]string, 0, len(ws))
		for _, w := range ws {
			if w.Name != "" {
				out = append(out, w.Name)
			}
		}
		return out, nil
	})
}

// List answers the ProductCategory list (GetProductCategories, every level,
// key = id, name with parents) and the ProductFamily list (GetBrands).
func (c *Client) List(ctx context.Context, kind distributors.ListKind) ([]distributors.ListItem, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	switch kind {
	case distributors.ListProductCategory:
		cats, err := c.categories(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]distributors.ListItem, len(cats))
		for i, k := range cats {
			out[i] = distributors.ListItem{Key: k.ID, Name: k.Path}
		}
		return out, nil
	case distributors.ListProductFamily:
		bs, err := c.brands(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]distributors.ListItem, len(bs))
		for i, b := range bs {
			out[i] = distributors.ListItem{Key: b, Name: b}
		}
		return out, nil
	}
	return nil, nil
}

// toProduct maps a GetProducts item; cats resolves the category path (may
// be nil).
func toProduct(w wireProduct, cats []category) distributors.Product {
	p := distributors.Product{
		Distributor:  Name,
		ID:           w.SKU,
		PartNumber:   w.SKU,
		Name:         w.Name,
		Description:  w.Description,
		Manufacturer: w.Manufacturer,
		Brand:        w.Brand,
		CategoryKey:  w.CategoryID,
		CategoryName: w.Category,
		Warranty:     w.Warranty,
		Barcode:      w.Barcode,
		URL:          w.URL,
		VATPercent:   w.VAT,
		ESD:          w.ESD,
		EndUserForm:  w.EndUserForm,
		Discontinued: w.Discontinued,
		Images:       w.Images,
		QuantityUnit: "pcs",
	}
	if p.Brand == "" {
		p.Brand = w.Manufacturer
	}
	if p.Manufacturer == "" {
		p.Manufacturer = p.Brand
	}
	if w.Price != nil && p.VATPercent == 0 {
		p.VATPercent = w.Price.VAT
	}
	if w.ESD {
		p.ProductType = "ESD"
	}
	if len(w.Images) > 0 {
		p.ThumbnailURL = w.Images[0]
		for _, u := range w.Images { // the seed lists small images before medium ones
			if strings.Contains(u, "/small/") {
				p.ThumbnailURL = u
				break
			}
		}
		var big []string
		for _, u := range w.Images {
			if !strings.Contains(u, "/small/") {
				big = append(big, u)
			}
		}
		if len(big) > 0 {
			p.Images = big
		}
	}
	for _, s := range w.Specs {
		p.Specifications = append(p.Specifications, distributors.Spec{Name: s.Name, Value: s.Value})
	}
	for _, v := range w.Variants {
		p.Variants = append(p.Variants, distributors.Variant{ID: strings.TrimSpace(v.ID), Name: v.Title})
	}
	// Category: id and full path from GetProductCategories when known.
	for _, k := range cats {
		if (p.CategoryKey != "" && k.ID == p.CategoryKey) || (p.CategoryKey == "" && strings.EqualFold(k.Name, w.Category)) {
			p.CategoryKey, p.CategoryName = k.ID, k.Path
			break
		}
	}
	if p.CategoryName == p.CategoryKey && looksLikeCategoryID(p.CategoryName) {
		p.CategoryName = ""
	}
	return p
}

// Products returns the products with the SKUs, with Offer, in request
// order; unknown SKUs are left out. Details come from the local catalog or
// GetProducts ProductId (one call per SKU not cached, concurrently);
// offers from one batched GetPrice and GetInventory.
func (c *Client) Products(ctx context.Context, ids []string, currency string) ([]distributors.Product, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	ids = uniqueIDs(ids)
	prods, err := c.details(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []distributors.Product
	for _, id := range ids {
		if p, ok := prods[strings.ToUpper(id)]; ok {
			out = append(out, p)
		}
	}
	if err := c.fillOffers(ctx, out, currency); err != nil {
		return nil, err
	}
	return out, nil
}

// details returns product details by upper-case SKU, from the local catalog
// or GetProducts.
func (c *Client) details(ctx context.Context, ids []string) (map[string]distributors.Product, error) {
	out := make(map[string]distributors.Product, len(ids))
	var missing []string
	for _, id := range ids {
		if p, ok := c.acct.lookup(id); ok {
			out[strings.ToUpper(id)] = p
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	cats, _ := c.categories(ctx) // names only; a failure leaves them plain
	found := make([]*distributors.Product, len(missing))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, id := range missing {
		g.Go(func() error {
			w, ok, err := c.productByID(gctx, id)
			if err != nil || !ok {
				return err
			}
			p := toProduct(w, cats)
			found[i] = &p
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var fetched []distributors.Product
	for _, p := range found {
		if p != nil {
			out[strings.ToUpper(p.ID)] = *p
			fetched = append(fetched, *p)
		}
	}
	c.acct.remember(fetched)
	return out, nil
}

func uniqueIDs(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" || seen[strings.ToUpper(id)] {
			continue
		}
		seen[strings.ToUpper(id)] = true
		out = append(out, id)
	}
	return out
}
