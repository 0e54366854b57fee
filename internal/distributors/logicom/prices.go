package logicom

import (
	"context"
	"net/url"
	"sort"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"golang.org/x/sync/errgroup"
)

// maxURL is the longest URL a batched call builds; longer SKU lists are
// split into several calls.
const maxURL = 2000

// skuBatches joins SKUs with ';', each escaped ('#' → %23, distributors.md
// → Calls used), into query values short enough that base+path+rest stays
// within maxURL.
func skuBatches(prefixLen int, skus []string) []string {
	var out []string
	var cur strings.Builder
	for _, s := range skus {
		e := url.QueryEscape(s)
		if cur.Len() > 0 && prefixLen+cur.Len()+1+len(e) > maxURL {
			out = append(out, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(';')
		}
		cur.WriteString(e)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// prices is GetPrice for the SKUs (seed "GetPrice": ProductId = SKUs joined
// by ';', Currency), in as few calls as the URL length allows. Keyed by
// upper-case SKU.
func (c *Client) prices(ctx context.Context, skus []string, currency string) (map[string]wirePrice, error) {
	tail := "&Currency=" + url.QueryEscape(currency)
	batches := skuBatches(len(c.base)+len("/GetPrice?ProductId=")+len(tail), skus)
	res := make([][]wirePrice, len(batches))
	g, gctx := errgroup.WithContext(ctx)
	for i, b := range batches {
		g.Go(func() error {
			env, err := c.do(gctx, request{call: "GetPrice", method: "GET", path: "/GetPrice", rawQuery: "ProductId=" + b + tail})
			if err != nil {
				if distributors.KindOf(err) == distributors.KindNotFound {
					return nil // none of these SKUs is known
				}
				return err
			}
			ps, err := list[wirePrice](env.Message)
			if err != nil {
				return c.up.DecodeError("GetPrice", err)
			}
			res[i] = ps
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := map[string]wirePrice{}
	for _, ps := range res {
		for _, p := range ps {
			if p.SKU != "" {
				out[strings.ToUpper(p.SKU)] = p
			}
		}
	}
	return out, nil
}

// inventory is GetInventory for the SKUs (seed "Get Inventory"), batched
// like prices.
func (c *Client) inventory(ctx context.Context, skus []string) (map[string]wireInventory, error) {
	batches := skuBatches(len(c.base)+len("/GetInventory?ProductId="), skus)
	res := make([][]wireInventory, len(batches))
	g, gctx := errgroup.WithContext(ctx)
	for i, b := range batches {
		g.Go(func() error {
			env, err := c.do(gctx, request{call: "GetInventory", method: "GET", path: "/GetInventory", rawQuery: "ProductId=" + b})
			if err != nil {
				if distributors.KindOf(err) == distributors.KindNotFound {
					return nil
				}
				return err
			}
			inv, err := list[wireInventory](env.Message)
			if err != nil {
				return c.up.DecodeError("GetInventory", err)
			}
			res[i] = inv
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := map[string]wireInventory{}
	for _, inv := range res {
		for _, it := range inv {
			if it.SKU != "" {
				k := strings.ToUpper(it.SKU)
				if _, dup := out[k]; !dup { // the seed's example repeats a SKU
					out[k] = it
				}
			}
		}
	}
	return out, nil
}

// Offers returns price and stock for the SKUs: one GetPrice and one
// GetInventory call (more only when the URL would grow past ~2000
// characters), run concurrently. SKUs GetPrice does not return are left out.
func (c *Client) Offers(ctx context.Context, ids []string, currency string) (map[string]distributors.Offer, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	return c.offers(ctx, uniqueIDs(ids), currency)
}

func (c *Client) offers(ctx context.Context, ids []string, currency string) (map[string]distributors.Offer, error) {
	out := map[string]distributors.Offer{}
	if len(ids) == 0 {
		return out, nil
	}
	currency = c.currency(currency)
	var prices map[string]wirePrice
	var stock map[string]wireInventory
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { prices, err = c.prices(gctx, ids, currency); return })
	g.Go(func() (err error) { stock, err = c.inventory(gctx, ids); return })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		p, ok := prices[strings.ToUpper(id)]
		if !ok {
			continue
		}
		var inv *wireInventory
		if s, ok := stock[strings.ToUpper(id)]; ok {
			inv = &s
		}
		out[id] = toOffer(p, inv, currency)
	}
	return out, nil
}

// fillOffers sets Offer on each product from one batched offers call.
func (c *Client) fillOffers(ctx context.Context, ps []distributors.Product, currency string) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	offers, err := c.offers(ctx, ids, currency)
	if err != nil {
		return err
	}
	for i := range ps {
		if o, ok := offers[ps[i].ID]; ok {
			ps[i].Offer = &o
		}
	}
	return nil
}

// toOffer maps GetPrice and GetInventory answers. Cost is PriceExclVAT; RRP
// is sent as RRP/ListPrice by some accounts, else derived from a price-level
// "Discount %" (the discount off RRP); volume breaks ascend by quantity and
// a break at quantity 1 equal to the price is dropped; incoming POs ascend by
// date.
func toOffer(p wirePrice, inv *wireInventory, currency string) distributors.Offer {
	o := distributors.Offer{Currency: p.Currency, Cost: p.Price, RRP: p.RRP, RecycleTax: p.RecycleTax}
	if o.Currency == "" {
		o.Currency = currency
	}
	if o.RRP == 0 && p.DiscountPct > 0 && p.DiscountPct < 100 && p.Price > 0 {
		o.RRP = round2(p.Price / (1 - p.DiscountPct/100))
	}
	if p.SpecialPrice > 0 {
		o.Special = &distributors.SpecialPrice{Price: p.SpecialPrice, From: p.StartDate, To: p.EndDate}
	}
	for _, v := range p.Volume {
		if v.Quantity <= 0 || v.Price <= 0 {
			continue
		}
		if v.Quantity <= 1 && v.Price == p.Price {
			continue
		}
		o.Breaks = append(o.Breaks, distributors.PriceBreak{MinQuantity: v.Quantity, Price: v.Price})
	}
	sort.SliceStable(o.Breaks, func(i, j int) bool { return o.Breaks[i].MinQuantity < o.Breaks[j].MinQuantity })
	if inv != nil {
		st := &distributors.Stock{Available: inv.Quantity}
		for _, po := range inv.PO {
			if po.Quantity > 0 {
				st.Incoming = append(st.Incoming, distributors.Incoming{Quantity: po.Quantity, Date: po.Date})
			}
		}
		sort.SliceStable(st.Incoming, func(i, j int) bool {
			a, b := st.Incoming[i].Date, st.Incoming[j].Date
			if a.IsZero() != b.IsZero() {
				return !a.IsZero() // undated last
			}
			return a.Before(b)
		})
		o.Stock = st
	}
	return o
}

func round2(f float64) float64 {
	if f < 0 {
		return -round2(-f)
	}
	return float64(int64(f*100+0.5)) / 100
}
