package engine

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/fx"
	"github.com/quoteconnector/quoteconnector/internal/mapping"
	"github.com/quoteconnector/quoteconnector/internal/quote"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// source is one distributor asked in one currency for a quote in target
// (the same, or a currency its prices are converted into).
type source struct {
	currency string
	target   string
}

// sourceFor decides in which currency a distributor offering offered is
// asked for a quote in currency ("" = its own default), and into which
// its prices are converted; ok is false when it has no price list for the
// quote (a currency it does not price in and the connection does not
// convert into, offersConverted).
func (e *Engine) sourceFor(c Call, b fx.Book, offered []string, currency string) (s source, ok bool) {
	switch {
	case len(offered) == 0:
		return source{}, false
	case currency == "":
		return source{offered[0], offered[0]}, true
	case contains(offered, currency):
		return source{currency, currency}, true
	case e.offersConverted(c, b, offered[0], currency):
		return source{offered[0], currency}, true
	}
	return source{}, false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// FindProduct answers the quick search (protocol §4.2 #16): every source in
// scope is asked concurrently; results are shown side by side, or merged per
// part number under `best:<cur>`. Discontinued products are skipped; the
// total is capped at search.maxResults. It fails only when every source did.
func (e *Engine) FindProduct(ctx context.Context, c Call, currency, input, priceListKey string) ([]so.ProductInfo, error) {
	input = strings.TrimSpace(input)
	if input == "" {
		return nil, nil
	}
	return e.findProducts(ctx, c, currency, distributors.Query{Text: input}, priceListKey)
}

// found is one distributor's part of a search: its products, priced in
// the quote's currency; inScope is false when it has no price list for
// the quote.
type found struct {
	inScope bool
	list    []priced
}

// findProducts is FindProduct for a query that may carry the field
// restrictions of advanced search. The PriceListKey (and the call's
// currency) decides the distributors and currencies: "" = every catalog
// distributor in the requested currency (or its own default),
// "<name>:<cur>" = that one, "best:<cur>" = every catalog distributor in
// <cur>, merged; a currency a distributor does not price in is asked in
// its first currency and converted, when the connection offers it.
//
// Each distributor runs its whole part under its own deadline and
// independently of the others: its currencies, one search (which costs
// the adapter one round trip of calls in parallel: a search, then one
// price and one stock batch), then its products filtered, cached and
// converted as soon as it answered. No distributor waits for another's
// currencies or search; only the merge, which orders every list (side by
// side, or per part number), waits for the last answer or its deadline.
func (e *Engine) findProducts(ctx context.Context, c Call, currency string, q distributors.Query, priceListKey string) ([]so.ProductInfo, error) {
	ds, _ := e.enabled(c)
	cat := catalogOnly(ds)
	name, cur, keyed := distributors.ParseKey(priceListKey)
	if keyed {
		currency = cur
	}
	currency = strings.ToUpper(strings.TrimSpace(currency))
	best := keyed && name == distributors.Best
	if keyed && !best {
		cat = slices.DeleteFunc(cat, func(d distributors.Distributor) bool { return d.Name() != name })
	}
	limit := c.Conn.MaxResults
	b := e.book(c)
	results, failures := fanOut(ctx, e, "FindProduct", cat, func(ctx context.Context, d distributors.Distributor) (found, error) {
		offered, err := d.Currencies(ctx)
		if err != nil {
			return found{}, err
		}
		s, ok := e.sourceFor(c, b, offered, currency)
		if !ok {
			return found{}, nil
		}
		sq := q
		sq.Currency, sq.Limit = s.currency, limit
		ps, err := d.Search(ctx, sq)
		if err != nil {
			return found{}, err
		}
		ps = inAssortment(ps)
		e.products.put(c, s.currency, ps...)
		return found{inScope: true, list: priceAll(b, ps, s.target)}, nil
	})
	var lists [][]priced
	for _, d := range cat { // registry order: the order results are listed in
		if f := results[d.Name()]; f.inScope {
			lists = append(lists, f.list)
		}
	}
	if len(lists) == 0 {
		if len(failures) > 0 {
			return nil, &UnavailableError{Operation: "FindProduct", Failures: failures}
		}
		return []so.ProductInfo{}, nil
	}
	pricing := mapping.NewPricing(c.Conn.Pricing)
	today := e.o.Now()
	if best {
		return e.bestOf(lists, priceListKey, pricing, today, limit), nil
	}
	// Only the products shown are mapped: the cap usually leaves out half
	// of what two distributors found.
	shown := interleave(lists)
	if limit > 0 && len(shown) > limit {
		shown = shown[:limit]
	}
	out := make([]so.ProductInfo, len(shown))
	for i, p := range shown {
		out[i] = e.productInfo(p, mapping.PriceListKey(p.Distributor, offerCurrency(p.Product)), pricing, today)
	}
	return out, nil
}

func offerCurrency(p distributors.Product) string {
	if p.Offer != nil {
		return p.Offer.Currency
	}
	return ""
}

func inAssortment(ps []distributors.Product) []distributors.Product {
	out := ps[:0:0]
	for _, p := range ps {
		if !p.Discontinued {
			out = append(out, p)
		}
	}
	return out
}

// interleave takes one result from each source in turn, so a cap keeps every
// source visible and the same part from two sources lands close together.
func interleave[T any](lists [][]T) []T {
	var out []T
	for i := 0; ; i++ {
		added := false
		for _, l := range lists {
			if i < len(l) {
				out = append(out, l[i])
				added = true
			}
		}
		if !added {
			return out
		}
	}
}

// bestOf merges results per manufacturer part number: the preferred source
// is the cheapest at quantity 1 among those with stock ≥ 1, else the
// cheapest (distributors.md, Across distributors), compared in the quote's
// currency (converted costs, margin included). Its key becomes the
// ERPProductKey so the order goes there; every source's cost and stock is
// listed side by side in ExtraInfo. At most limit parts are listed (0: all).
func (e *Engine) bestOf(lists [][]priced, priceListKey string, pricing mapping.Pricing, today time.Time, limit int) []so.ProductInfo {
	type group struct {
		part    string
		members []priced
	}
	var order []*group
	groups := map[string]*group{}
	for _, p := range interleave(lists) {
		part := strings.ToLower(strings.TrimSpace(p.PartNumber))
		if part == "" {
			part = p.Distributor + ":" + strings.ToLower(p.ID)
		}
		g := groups[part]
		if g == nil {
			g = &group{part: part}
			groups[part] = g
			order = append(order, g)
		}
		g.members = append(g.members, p)
	}
	if limit > 0 && len(order) > limit {
		order = order[:limit]
	}
	out := make([]so.ProductInfo, 0, len(order))
	for _, g := range order {
		chosen := preferred(g.members, today)
		info := e.productInfo(chosen, priceListKey, pricing, today)
		if len(g.members) > 1 {
			info.ExtraInfo = append(e.sourcesExtra(g.members, chosen, today), info.ExtraInfo...)
			info.RawExtraInfo = mapping.RawExtraInfo(info.ExtraInfo)
		}
		out = append(out, info)
	}
	return out
}

// preferred picks the source a best-price list points at.
func preferred(ps []priced, today time.Time) priced {
	cands := append([]priced(nil), ps...)
	sort.SliceStable(cands, func(i, j int) bool {
		si, sj := inStock(cands[i].Product, 1), inStock(cands[j].Product, 1)
		if si != sj {
			return si
		}
		return unitCost(cands[i], 1, today) < unitCost(cands[j], 1, today)
	})
	return cands[0]
}

func inStock(p distributors.Product, qty float64) bool {
	return p.Offer != nil && p.Offer.Stock != nil && p.Offer.Stock.Available >= qty
}

// unitCost is a source's cost in the quote's currency; an unpriced source
// (no offer, no rate) is never the cheapest.
func unitCost(p priced, qty float64, today time.Time) float64 {
	if p.unpriced() {
		return 1e308
	}
	return p.Offer.CostAt(qty, today)
}

// sourcesExtra lists every source of a part side by side, in the quote's
// currency (and its own, when converted).
func (e *Engine) sourcesExtra(ps []priced, chosen priced, today time.Time) []so.ProductExtraDataFieldInfo {
	var out []so.ProductExtraDataFieldInfo
	for _, p := range ps {
		mark := ""
		if p.Distributor == chosen.Distributor && p.ID == chosen.ID {
			mark = " (chosen)"
		}
		val := "no price"
		if !p.unpriced() {
			val = so.MoneyMarker(p.Offer.CostAt(1, today)) + " " + p.Offer.Currency
			if p.conv != nil {
				val += " (" + so.MoneyMarker(p.conv.source.CostAt(1, today)) + " " + strings.ToUpper(p.conv.source.Currency) + ")"
			}
		}
		if p.Offer != nil {
			if p.Offer.Stock != nil {
				val += ", stock " + so.IntMarker(int(p.Offer.Stock.Available))
			}
		}
		out = append(out, so.ProductExtraDataFieldInfo{Name: "Source " + e.displayName(p.Distributor) + mark, Value: val})
	}
	return out
}

// productByKey fetches the product of an ERPProductKey, priced in the
// currency the context implies, under the distributor deadline.
func (e *Engine) productByKey(ctx context.Context, c Call, key string, qctx *so.QuoteAlternativeContextInfo) (priced, string, bool, error) {
	name, id, ok := distributors.ParseKey(key)
	if !ok || name == distributors.Best {
		return priced{}, "", false, nil
	}
	return e.productFor(ctx, c, name, id, "", qctx, e.o.DistributorTimeout)
}

// productFor returns one product with price and stock through the
// short-lived cache, priced in the quote's currency target ("" = the one
// the context implies, see lineCurrency), which it returns. The
// distributor is asked in its own currency (sourceCurrency); timeout
// bounds the distributor calls. A distributor that is not enabled, or has
// no catalog, knows no product.
func (e *Engine) productFor(ctx context.Context, c Call, name, id, target string, qctx *so.QuoteAlternativeContextInfo, timeout time.Duration) (priced, string, bool, error) {
	// A product of the quote's own currency may be cached already: no
	// distributor is asked at all.
	if target != "" {
		if p, hit := e.products.get(c, name, id, target); hit {
			return priced{Product: p}, target, true, nil
		}
	}
	d, err := e.byName(c, name)
	if err != nil || !d.Capabilities().Catalog {
		return priced{}, target, false, nil
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	offered, err := d.Currencies(cctx)
	if err != nil {
		return priced{}, target, false, err
	}
	if len(offered) == 0 {
		return priced{}, target, false, distributors.Errorf(d.Name(), "Currencies", distributors.KindConfig, "no currency configured")
	}
	if target == "" {
		target = lineCurrency(offered, d.Name(), qctx)
	}
	src := sourceCurrency(offered, target)
	b := e.book(c)
	if p, hit := e.products.get(c, name, id, src); hit {
		return priceIn(b, p, target), target, true, nil
	}
	ps, err := d.Products(cctx, []string{id}, src)
	if err != nil {
		return priced{}, target, false, err
	}
	if len(ps) == 0 {
		return priced{}, target, false, nil
	}
	e.products.put(c, src, ps[0])
	return priceIn(b, ps[0], target), target, true, nil
}

// lineCurrency is the currency of a new line (distributors.md, Logicom →
// Currency of a new quote line), widened to converted currencies: the
// price list of the context's lines for this distributor (or best:), else
// the sale's currency, else the distributor's first currency. A currency
// the distributor does not price in is converted into; without a rate the
// line says so rather than carrying a price in another currency.
func lineCurrency(offered []string, name string, qctx *so.QuoteAlternativeContextInfo) string {
	if qctx != nil {
		if qctx.CRMAlternativeWithLines != nil {
			for _, l := range qctx.CRMAlternativeWithLines.CRMQuoteLines {
				if l == nil {
					continue
				}
				if n, cur, ok := distributors.ParseKey(l.ERPPriceListKey); ok && (n == name || n == distributors.Best) && quoteCurrency(cur) != "" {
					return quoteCurrency(cur)
				}
			}
		}
		if qctx.CRMSale != nil {
			if cur := quoteCurrency(qctx.CRMSale.Currency); cur != "" {
				return cur
			}
		}
	}
	return offered[0]
}

// GetProduct answers #17: the product, or nil for an unknown key.
func (e *Engine) GetProduct(ctx context.Context, c Call, key string, qctx *so.QuoteAlternativeContextInfo) (*so.ProductInfo, error) {
	p, cur, found, err := e.productByKey(ctx, c, key, qctx)
	if err != nil {
		if distributors.KindOf(err) == distributors.KindConfig {
			return nil, nil
		}
		name, _, _ := distributors.ParseKey(key)
		return nil, &UnavailableError{Operation: "GetProduct", Failures: map[string]error{name: err}}
	}
	if !found {
		return nil, nil
	}
	info := e.productInfo(p, mapping.PriceListKey(p.Distributor, cur), mapping.NewPricing(c.Conn.Pricing), e.o.Now())
	return &info, nil
}

// MaxProductKeys is the most distinct keys GetProducts takes in one call;
// the handler answers 400 above it, before any distributor is asked.
const MaxProductKeys = 500

// DistinctKeys returns keys without blanks and repeats (keys match
// case-insensitively, surrounding space ignored), in first-seen order.
func DistinctKeys(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	var out []string
	for _, k := range keys {
		lk := strings.ToLower(strings.TrimSpace(k))
		if lk == "" || seen[lk] {
			continue
		}
		seen[lk] = true
		out = append(out, strings.TrimSpace(k))
	}
	return out
}

// GetProducts answers #18: one ProductInfo per distinct known key, in
// request order, with one batched call per distributor (the adapters split
// it as their APIs allow: Logicom's GetPrice and GetInventory take SKU
// lists; product details, and everything at Nuvias, which has no batch
// read, are fetched a few at a time).
func (e *Engine) GetProducts(ctx context.Context, c Call, keys []string, qctx *so.QuoteAlternativeContextInfo) ([]so.ProductInfo, error) {
	keys = DistinctKeys(keys)
	byDist := map[string][]string{}
	for _, k := range keys {
		if name, id, ok := distributors.ParseKey(k); ok {
			byDist[name] = append(byDist[name], id)
		}
	}
	ds, _ := e.enabled(c)
	var asked []distributors.Distributor
	for _, d := range catalogOnly(ds) {
		if len(byDist[d.Name()]) > 0 {
			asked = append(asked, d)
		}
	}
	type fetched struct {
		ps          []distributors.Product
		src, target string
	}
	results, failures := fanOut(ctx, e, "GetProducts", asked, func(ctx context.Context, d distributors.Distributor) (fetched, error) {
		offered, err := d.Currencies(ctx)
		if err != nil {
			return fetched{}, err
		}
		if len(offered) == 0 {
			return fetched{}, distributors.Errorf(d.Name(), "Currencies", distributors.KindConfig, "no currency configured")
		}
		target := lineCurrency(offered, d.Name(), qctx)
		src := sourceCurrency(offered, target)
		ps, err := d.Products(ctx, byDist[d.Name()], src)
		return fetched{ps, src, target}, err
	})
	if len(asked) > 0 && len(results) == 0 {
		return nil, &UnavailableError{Operation: "GetProducts", Failures: failures}
	}
	pricing := mapping.NewPricing(c.Conn.Pricing)
	b := e.book(c)
	found := map[string]so.ProductInfo{}
	for name, f := range results {
		e.products.put(c, f.src, f.ps...)
		for _, p := range f.ps {
			found[strings.ToLower(distributors.Key(name, p.ID))] = e.productInfo(priceIn(b, p, f.target), mapping.PriceListKey(name, f.target), pricing, e.o.Now())
		}
	}
	out := []so.ProductInfo{}
	for _, k := range keys {
		if info, ok := found[strings.ToLower(k)]; ok {
			out = append(out, info)
		}
	}
	return out, nil
}

// QuoteLinesFromProduct answers #19: one line with the product's data,
// quantity 1 and the calculation applied; [] for an unknown key.
func (e *Engine) QuoteLinesFromProduct(ctx context.Context, c Call, key string, qctx *so.QuoteAlternativeContextInfo) ([]*so.QuoteLineInfo, error) {
	if c.NoSettings {
		// A line the salesperson can see, saying why nothing is priced.
		line := &so.QuoteLineInfo{ERPProductKey: key, Quantity: 1}
		quote.AddProblem(line, so.StatusError, msgNoSettings)
		return []*so.QuoteLineInfo{line}, nil
	}
	p, cur, found, err := e.productByKey(ctx, c, key, qctx)
	if err != nil {
		if distributors.KindOf(err) == distributors.KindConfig {
			return []*so.QuoteLineInfo{}, nil
		}
		name, _, _ := distributors.ParseKey(key)
		return nil, &UnavailableError{Operation: "GetQuoteLinesFromProduct", Failures: map[string]error{name: err}}
	}
	if !found {
		return []*so.QuoteLineInfo{}, nil
	}
	priceList := mapping.PriceListKey(p.Distributor, cur)
	if qctx != nil && qctx.CRMAlternativeWithLines != nil {
		for _, l := range qctx.CRMAlternativeWithLines.CRMQuoteLines {
			if l != nil && strings.HasPrefix(strings.ToLower(l.ERPPriceListKey), distributors.Best+":") {
				priceList = l.ERPPriceListKey
				break
			}
		}
	}
	today := e.o.Now()
	line := mapping.QuoteLine(p.Product, e.displayName(p.Distributor), priceList, mapping.NewPricing(c.Conn.Pricing), today, 1)
	setConversionFields(line, p, today)
	e.applyLineChecks(line, p.Product, c)
	e.applyRateChecks(line, p)
	return []*so.QuoteLineInfo{line}, nil
}

// ProductImages answers #20 and #21: none for an unknown key or a
// distributor that is not enabled; an *UnavailableError when the
// distributor that knows the product failed, since a count or an image has
// no status slot to say so (protocol §2.1: 502, which SuperOffice does not
// take for "not implemented" as it would a 404).
func (e *Engine) ProductImages(ctx context.Context, c Call, key string) ([]string, error) {
	p, _, found, err := e.productByKey(ctx, c, key, nil)
	if err != nil {
		if distributors.KindOf(err) == distributors.KindConfig {
			return nil, nil
		}
		name, _, _ := distributors.ParseKey(key)
		return nil, &UnavailableError{Operation: "product images", Failures: map[string]error{name: err}}
	}
	if !found {
		return nil, nil
	}
	imgs := append([]string(nil), p.Images...)
	if len(imgs) == 0 && p.ThumbnailURL != "" {
		imgs = append(imgs, p.ThumbnailURL)
	}
	return imgs, nil
}
