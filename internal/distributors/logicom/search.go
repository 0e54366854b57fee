package logicom

import (
	"context"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

// Search limits.
const (
	defaultLimit   = 50
	maxFilters     = 3  // brand/category filters paged per search
	maxFilterPages = 15 // pages per filter when words are left to rank by
)

// Search finds products for free text in the account's synced catalog
// (catalog.go): every word, the last as a prefix, SKU and part-number
// fragments, sizes however written, field restrictions of advanced
// search; no GetProducts call. Until the first sync of the account
// completes it searches live, as follows. GetProducts has no text filter
// (distributors.md → Calls used), so the words are matched against:
//   - an exact SKU (GetProducts ProductId), when the text is one token;
//   - brand names (GetBrands, cached) and category names
//     (GetProductCategories, cached): each hit pages GetProducts with the
//     Brand and/or Category filter (10 per page) up to the limit; a brand
//     and a category in the same query are combined into one filter;
//   - the account's local catalog of products fetched before.
//
// "%" lists everything (GetProducts unfiltered, paged up to the limit).
// Results are ranked (every word matching SKU, name, brand or category
// first, then by words matched), capped at q.Limit, and get their Offer
// from one GetPrice and one GetInventory call for all of them.
func (c *Client) Search(ctx context.Context, q distributors.Query) ([]distributors.Product, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	text := strings.TrimSpace(q.Text)
	if text == "" && q.Name == "" && q.Code == "" && q.Supplier == "" && len(q.Categories) == 0 {
		return nil, nil
	}
	var found []distributors.Product
	var err error
	indexed := c.indexed(ctx, true)
	if indexed {
		found, err = c.searchIndex(ctx, q, limit)
		if err != nil {
			// The store failing is no reason to find nothing.
			zerolog.Ctx(ctx).Warn().Err(err).Str("distributor", Name).Msg("catalog search failed; searching live")
			indexed = false
		}
	}
	switch {
	case indexed:
	case text == "":
		return nil, nil
	case strings.Trim(text, "%* ") == "":
		found, err = c.searchAll(ctx, limit, q.Currency)
	default:
		found, err = c.searchWords(ctx, text, limit, q.Currency)
	}
	if err != nil {
		return nil, err
	}
	if len(found) > limit {
		found = found[:limit]
	}
	if err := c.fillOffers(ctx, found, q.Currency); err != nil {
		return nil, err
	}
	return found, nil
}

func (c *Client) searchAll(ctx context.Context, limit int, currency string) ([]distributors.Product, error) {
	cats, _ := c.categories(ctx)
	ws, err := c.productsPaged(ctx, productFilter{Currency: c.currency(currency)}, limit)
	if err != nil {
		return nil, err
	}
	out := make([]distributors.Product, len(ws))
	for i, w := range ws {
		out[i] = toProduct(w, cats)
	}
	c.acct.remember(out)
	return out, nil
}

// searchWords is Search for words.
func (c *Client) searchWords(ctx context.Context, text string, limit int, currency string) ([]distributors.Product, error) {
	words := searchWords(text)
	if len(words) == 0 {
		return nil, nil
	}
	currency = c.currency(currency)

	// Round 1, concurrently: the brand and category lists (cached).
	var (
		brands   []string
		cats     []category
		listsErr error
		listsMu  sync.Mutex
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		b, err := c.brands(gctx)
		listsMu.Lock()
		brands = b
		if err != nil {
			listsErr = err
		}
		listsMu.Unlock()
		return nil
	})
	g.Go(func() error {
		k, err := c.categories(gctx)
		listsMu.Lock()
		cats = k
		if err != nil {
			listsErr = err
		}
		listsMu.Unlock()
		return nil
	})
	_ = g.Wait()

	// Round 2: page the brand/category filters.
	filters, consumed := planFilters(words, brands, cats)
	pages := (limit + pageSize - 1) / pageSize
	if consumed < len(words) { // words left to rank by: look further
		pages = min(3*pages, maxFilterPages)
	}
	// The exact SKU is tried for a one-token query that has a digit or
	// names no brand or category ("hp" is a brand, "210-AZKS" a SKU).
	token := strings.Trim(strings.TrimSpace(text), "%*")
	skuLookup := !strings.ContainsAny(token, " \t") &&
		(strings.ContainsFunc(token, unicode.IsDigit) || len(filters) == 0)
	var skuHit *wireProduct
	results := make([][]wireProduct, len(filters))
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(maxFilters + 1)
	if skuLookup {
		g.Go(func() error {
			w, ok, err := c.productByID(gctx, token)
			if err != nil {
				return err
			}
			if ok {
				skuHit = &w
			}
			return nil
		})
	}
	for i, f := range filters {
		f.Currency = currency
		g.Go(func() error {
			ws, err := c.productsPaged(gctx, f, pages*pageSize)
			if err != nil {
				return err
			}
			results[i] = ws
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if listsErr != nil && skuHit == nil && len(filters) == 0 && c.acct.size() == 0 {
		return nil, listsErr // nothing to search with
	}

	// Merge: exact SKU, filtered pages, then the local catalog.
	var fetched []distributors.Product
	if skuHit != nil {
		fetched = append(fetched, toProduct(*skuHit, cats))
	}
	for _, ws := range results {
		for _, w := range ws {
			fetched = append(fetched, toProduct(w, cats))
		}
	}
	c.acct.remember(fetched)
	all := append(fetched, c.acct.match(words, 4*limit)...)
	return rank(all, words, text), nil
}

// searchWords splits text into lower-case words, without wildcard marks.
func searchWords(text string) []string {
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return unicode.IsSpace(r) || r == '%' || r == '*' || r == ','
	})
	seen := map[string]bool{}
	var out []string
	for _, w := range f {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// nameWords splits a brand or category name into lower-case words.
func nameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// wordMatches reports whether a query word names a name word: equal, or a
// prefix of at least 4 letters either way ("printer" ~ "printers",
// "logi" ~ "logitech").
func wordMatches(q, n string) bool {
	if q == n {
		return true
	}
	if len(q) >= 4 && strings.HasPrefix(n, q) {
		return true
	}
	return len(n) >= 4 && strings.HasPrefix(q, n) && len(q)-len(n) <= 2
}

// planFilters picks the GetProducts filters for the words: brands whose
// every word the query names, categories by the share of their words the
// query names (most specific first); a brand and a category together
// become one combined filter. consumed counts the words the filters use.
func planFilters(words, brands []string, cats []category) ([]productFilter, int) {
	used := map[string]bool{}
	var bHits []string
	for _, b := range brands {
		bw := nameWords(b)
		if len(bw) == 0 {
			continue
		}
		joined := strings.Join(bw, "")
		var hit []string
		ok := true
		for _, n := range bw {
			m := ""
			for _, w := range words {
				if wordMatches(w, n) || w == joined {
					m = w
					break
				}
			}
			if m == "" {
				ok = false
				break
			}
			hit = append(hit, m)
		}
		if ok {
			bHits = append(bHits, b)
			for _, w := range hit {
				used[w] = true
			}
		}
	}
	type catHit struct {
		c     category
		score float64
		hit   []string
	}
	var cHits []catHit
	for _, k := range cats {
		nw := nameWords(k.Name)
		var hit []string
		n := 0
		for _, x := range nw {
			if len(x) < 3 { // "&", "in", "of"
				continue
			}
			n++
			for _, w := range words {
				if wordMatches(w, x) {
					hit = append(hit, w)
					break
				}
			}
		}
		if len(hit) > 0 && n > 0 {
			cHits = append(cHits, catHit{k, float64(len(hit)) / float64(n), hit})
		}
	}
	sort.SliceStable(cHits, func(i, j int) bool {
		if cHits[i].score != cHits[j].score {
			return cHits[i].score > cHits[j].score
		}
		return strings.Count(cHits[i].c.ID, "-") > strings.Count(cHits[j].c.ID, "-")
	})
	// Keep the best-scoring categories only, and drop a category under one
	// already kept (the Category filter includes everything below).
	var keep []catHit
	for _, h := range cHits {
		if len(keep) > 0 && h.score < keep[0].score {
			break
		}
		dup := false
		for _, k := range keep {
			if strings.HasPrefix(h.c.ID, k.c.ID+"-") || strings.HasPrefix(k.c.ID, h.c.ID+"-") {
				dup = true
			}
		}
		if !dup {
			keep = append(keep, h)
		}
		if len(keep) == maxFilters {
			break
		}
	}
	for _, h := range keep {
		for _, w := range h.hit {
			used[w] = true
		}
	}
	var fs []productFilter
	switch {
	case len(bHits) > 0 && len(keep) > 0:
		for _, b := range bHits {
			for _, h := range keep {
				fs = append(fs, productFilter{Brand: b, Category: h.c.ID})
			}
		}
	case len(bHits) > 0:
		for _, b := range bHits {
			fs = append(fs, productFilter{Brand: b})
		}
	default:
		for _, h := range keep {
			fs = append(fs, productFilter{Category: h.c.ID})
		}
	}
	if len(fs) > maxFilters {
		fs = fs[:maxFilters]
	}
	return fs, len(used)
}

// rank orders products (deduplicated by SKU): an exact SKU first, then
// those matching every word in SKU, name, brand, manufacturer or category,
// then by the number of words matched, then in the order found.
func rank(ps []distributors.Product, words []string, text string) []distributors.Product {
	type scored struct {
		p     distributors.Product
		exact bool
		n     int
		i     int
	}
	seen := map[string]bool{}
	var ss []scored
	for i, p := range ps {
		k := strings.ToUpper(p.ID)
		if seen[k] {
			continue
		}
		seen[k] = true
		hay := strings.ToLower(strings.Join([]string{p.ID, p.Name, p.Brand, p.Manufacturer, p.CategoryName}, " "))
		n := 0
		for _, w := range words {
			if strings.Contains(hay, w) {
				n++
			}
		}
		ss = append(ss, scored{p, strings.EqualFold(p.ID, strings.Trim(strings.TrimSpace(text), "%*")), n, i})
	}
	sort.SliceStable(ss, func(a, b int) bool {
		x, y := ss[a], ss[b]
		if x.exact != y.exact {
			return x.exact
		}
		xa, ya := x.n == len(words), y.n == len(words)
		if xa != ya {
			return xa
		}
		if x.n != y.n {
			return x.n > y.n
		}
		return x.i < y.i
	})
	out := make([]distributors.Product, len(ss))
	for i, s := range ss {
		out[i] = s.p
	}
	return out
}
