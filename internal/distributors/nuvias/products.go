package nuvias

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

// sortBy is the search order: the seed's default, "-popularity".
const sortBy = "-popularity"

// defaultLimit caps a search whose Query has no Limit (search.maxResults'
// default).
const defaultLimit = 50

// product is an entry of GET /products and the body of GET /products/{id}
// (seed). vendor_name, type_name, currency and discontinued are not in the
// seed; read when present. active is read as the seed's product-group flag
// ("false if discontinued") should products carry it too.
type product struct {
	ID                  flexNum    `json:"id"`
	Name                string     `json:"name"`
	ProductCode         string     `json:"product_code"`
	Description         string     `json:"description"`
	DetailedDescription string     `json:"detailed_description"`
	Vendor              flexNum    `json:"vendor"`
	VendorName          string     `json:"vendor_name"`
	Type                flexNum    `json:"type"`
	TypeName            string     `json:"type_name"`
	RRP                 flexNum    `json:"rrp"`
	Price               flexNum    `json:"price"`
	Currency            string     `json:"currency"`
	ThumbURL            string     `json:"thumb_url"`
	MainImageURL        string     `json:"main_image_url"`
	DatasheetURL        string     `json:"datasheet_url"`
	GuideURL            string     `json:"guide_url"`
	QuickstartURL       string     `json:"quickstart_url"`
	Stock               *flexNum   `json:"stock"`
	Discountable        *flexBool  `json:"discountable"`
	Discontinued        flexBool   `json:"discontinued"`
	Active              *flexBool  `json:"active"`
	SubscriptionType    *string    `json:"subscription_type"`
	RatePlans           []ratePlan `json:"rate_plans"`
}

type ratePlan struct {
	ID               flexNum  `json:"id"`
	Name             string   `json:"name"`
	TermLength       flexNum  `json:"term_length"`
	BillingFrequency string   `json:"billing_frequency"`
	Default          flexBool `json:"default"`
	RatePlanCharges  []struct {
		ChargeType          string `json:"charge_type"`
		RatePlanChargeCosts []struct {
			Currency        string  `json:"currency"`
			ChargeCostPrice flexNum `json:"charge_cost_price"`
		} `json:"rate_plan_charge_costs"`
	} `json:"rate_plan_charges"`
}

// typeLabel names the product type: the type's name when the answer has
// one, else its id (the seed only has an id).
func (p *product) typeLabel() string {
	if t := strings.TrimSpace(p.TypeName); t != "" {
		return t
	}
	return p.Type.id()
}

// plan is the default rate plan, else the first.
func (p *product) plan() *ratePlan {
	for i := range p.RatePlans {
		if p.RatePlans[i].Default {
			return &p.RatePlans[i]
		}
	}
	if len(p.RatePlans) > 0 {
		return &p.RatePlans[0]
	}
	return nil
}

func httpURL(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// neutral maps a Hub product. currency is the account's (/me) currency,
// used when the product does not name one.
func (p *product) neutral(vendors map[string]string, currency string) distributors.Product {
	out := distributors.Product{
		Distributor: Name,
		ID:          p.ID.id(),
		PartNumber:  strings.TrimSpace(p.ProductCode),
		Name:        strings.TrimSpace(p.Name),
		ProductType: p.typeLabel(),
	}
	desc, detail := strings.TrimSpace(p.Description), strings.TrimSpace(p.DetailedDescription)
	switch {
	case desc != "" && detail != "" && desc != detail:
		out.Description = desc + "\n\n" + detail
	case desc != "":
		out.Description = desc
	default:
		out.Description = detail
	}
	vendor := vendors[p.Vendor.id()]
	if vendor == "" {
		vendor = strings.TrimSpace(p.VendorName)
	}
	out.Manufacturer, out.Brand = vendor, vendor
	if httpURL(p.ThumbURL) {
		out.ThumbnailURL = strings.TrimSpace(p.ThumbURL)
	}
	if httpURL(p.MainImageURL) {
		out.Images = []string{strings.TrimSpace(p.MainImageURL)}
		if out.ThumbnailURL == "" {
			out.ThumbnailURL = out.Images[0]
		}
	}
	for _, l := range []distributors.Link{{Name: "Datasheet", URL: p.DatasheetURL}, {Name: "Guide", URL: p.GuideURL}, {Name: "Quick start", URL: p.QuickstartURL}} {
		if httpURL(l.URL) {
			l.URL = strings.TrimSpace(l.URL)
			out.Links = append(out.Links, l)
		}
	}
	out.NotDiscountable = p.Discountable != nil && !bool(*p.Discountable)
	out.Discontinued = bool(p.Discontinued) || (p.Active != nil && !bool(*p.Active))

	cur := strings.ToUpper(strings.TrimSpace(p.Currency))
	if cur == "" {
		cur = strings.ToUpper(currency)
	}
	offer := &distributors.Offer{Currency: cur, Cost: float64(p.Price), RRP: float64(p.RRP)}
	if rp := p.plan(); rp != nil {
		out.Subscription = &distributors.Subscription{Unit: unitOf(rp.BillingFrequency), TermMonths: int(rp.TermLength), Plan: rp.Name}
		if offer.Cost == 0 { // a rate-plan product is priced by its plan's charges
			offer.Cost = rp.cost(cur)
		}
	}
	// Stock applies to goods, not to subscriptions and services.
	if p.Stock != nil && out.Subscription == nil && !strings.EqualFold(out.ProductType, "service") {
		offer.Stock = &distributors.Stock{Available: float64(*p.Stock)}
	}
	out.Offer = offer
	return out
}

func (rp *ratePlan) cost(currency string) float64 {
	var sum float64
	for _, ch := range rp.RatePlanCharges {
		for _, c := range ch.RatePlanChargeCosts {
			if currency == "" || strings.EqualFold(c.Currency, currency) {
				sum += float64(c.ChargeCostPrice)
				break
			}
		}
	}
	return sum
}

// unitOf turns a billing_frequency ("monthly", "annually") into a
// Subscription unit.
func unitOf(freq string) string {
	f := strings.ToLower(strings.TrimSpace(freq))
	switch {
	case strings.HasPrefix(f, "month"):
		return "month"
	case strings.HasPrefix(f, "annual"), strings.HasPrefix(f, "year"):
		return "year"
	case strings.HasPrefix(f, "quarter"):
		return "quarter"
	case strings.HasPrefix(f, "week"):
		return "week"
	}
	return f
}

// currency returns the account's currency and refuses another one: a Hub
// account prices in its /me currency only.
func (c *Client) currency(ctx context.Context, call, want string) (string, error) {
	m, err := c.me(ctx)
	if err != nil {
		return "", err
	}
	have := strings.ToUpper(strings.TrimSpace(m.Currency))
	if want = strings.TrimSpace(want); want != "" && have != "" && !strings.EqualFold(want, have) {
		return "", distributors.Errorf(Name, call, distributors.KindRejected, "prices are in %s only, not %s", have, strings.ToUpper(want))
	}
	return have, nil
}

// searchPage is one GET /products?text=&page=&per_page=&sort_by= with the
// X-Total-Pages it reports (0 when absent) and X-Total-Count (-1 when
// absent).
func (c *Client) searchPage(ctx context.Context, text string, page, perPage int) ([]product, [2]int, error) {
	q := url.Values{
		"text":     {text},
		"page":     {strconv.Itoa(page)},
		"per_page": {strconv.Itoa(perPage)},
		"sort_by":  {sortBy},
	}
	var ps []product
	resp, err := c.do(ctx, request{call: callProducts, method: "GET", path: pathProducts, query: q}, &ps)
	if err != nil {
		return nil, [2]int{}, err
	}
	totals := [2]int{0, -1}
	if n, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("X-Total-Pages"))); err == nil {
		totals[0] = n
	}
	if n, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("X-Total-Count"))); err == nil {
		totals[1] = n
	}
	for i := range ps {
		c.acct.seeType(ps[i].typeLabel())
	}
	return ps, totals, nil
}

// Search is GET /products?text=… (seed: "text … search against the product
// name and also the product code or SKU"). "%" searches everything. Pages
// of up to 1000 are read only until q.Limit results are in hand, and never
// past X-Total-Pages / X-Total-Count. The list answer carries price and
// stock, so no further calls are needed.
func (c *Client) Search(ctx context.Context, q distributors.Query) ([]distributors.Product, error) {
	ctx, cancel := c.up.WithTimeout(ctx)
	defer cancel()
	cur, err := c.currency(ctx, "Search", q.Currency)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	perPage := min(limit, maxPerPage)
	text := strings.TrimSpace(strings.ReplaceAll(q.Text, "%", " "))
	text = strings.Join(strings.Fields(text), " ")
	vendors, err := c.vendorNames(ctx)
	if err != nil && ctx.Err() != nil {
		return nil, err
	} // else: without /vendors, names come from vendor_name when present

	var found []product
	for page := 1; len(found) < limit; page++ {
		ps, totals, err := c.searchPage(ctx, text, page, perPage)
		if err != nil {
			return nil, err
		}
		found = append(found, ps...)
		pages, count := totals[0], totals[1]
		if len(ps) < perPage || (pages > 0 && page >= pages) || (count >= 0 && page*perPage >= count) {
			break
		}
	}
	if len(found) > limit {
		found = found[:limit]
	}
	out := make([]distributors.Product, 0, len(found))
	for i := range found {
		out = append(out, found[i].neutral(vendors, cur))
	}
	return out, nil
}

// fetch reads GET /products/{id} for each distinct numeric id, at most
// Concurrency at a time. Unknown ids (404, or not a Hub id) are absent from
// the result.
func (c *Client) fetch(ctx context.Context, ids []string) (map[string]*product, error) {
	uniq := map[string]int{}
	var order []string
	for _, id := range ids {
		if n, ok := parseID(id); ok {
			key := strconv.Itoa(n)
			if _, seen := uniq[key]; !seen {
				uniq[key] = len(order)
				order = append(order, key)
			}
		}
	}
	res := make([]*product, len(order))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.f.concurrency)
	for i, id := range order {
		g.Go(func() error {
			var p product
			_, err := c.do(gctx, request{call: callProduct, method: "GET", path: fmt.Sprintf(pathProduct, url.PathEscape(id))}, &p)
			if distributors.KindOf(err) == distributors.KindNotFound {
				return nil
			}
			if err != nil {
				return err
			}
			c.acct.seeType(p.typeLabel())
			res[i] = &p
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make(map[string]*product, len(order))
	for i, id := range order {
		if res[i] != nil {
			out[id] = res[i]
		}
	}
	return out, nil
}

// Products is GET /products/{id} per id, concurrently (the Hub has no batch
// read). Results are in request order; unknown ids are left out.
func (c *Client) Products(ctx context.Context, ids []string, currency string) ([]distributors.Product, error) {
	ctx, cancel := c.up.WithTimeout(ctx)
	defer cancel()
	cur, err := c.currency(ctx, "Products", currency)
	if err != nil {
		return nil, err
	}
	vendors, err := c.vendorNames(ctx)
	if err != nil && ctx.Err() != nil {
		return nil, err
	}
	got, err := c.fetch(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []distributors.Product
	for _, id := range ids {
		n, ok := parseID(id)
		if !ok {
			continue
		}
		if p := got[strconv.Itoa(n)]; p != nil {
			out = append(out, p.neutral(vendors, cur))
		}
	}
	return out, nil
}

// Offers is GET /products/{id} per id (price, rrp and stock are part of the
// product); unknown ids are left out.
func (c *Client) Offers(ctx context.Context, ids []string, currency string) (map[string]distributors.Offer, error) {
	ctx, cancel := c.up.WithTimeout(ctx)
	defer cancel()
	cur, err := c.currency(ctx, "Offers", currency)
	if err != nil {
		return nil, err
	}
	got, err := c.fetch(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]distributors.Offer, len(got))
	for _, id := range ids {
		n, ok := parseID(id)
		if !ok {
			continue
		}
		if p := got[strconv.Itoa(n)]; p != nil {
			out[id] = *p.neutral(nil, cur).Offer
		}
	}
	return out, nil
}
