package engine

import (
	"context"
	"sort"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/mapping"
	"github.com/quoteconnector/quoteconnector/internal/quote"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// productRef names one product in one currency.
type productRef struct {
	distributor, id, currency string
}

// lineRef reads a line's product key and price-list currency.
func lineRef(l *so.QuoteLineInfo) (productRef, bool) {
	name, id, ok := distributors.ParseKey(l.ERPProductKey)
	if !ok {
		return productRef{}, false
	}
	_, cur, _ := distributors.ParseKey(l.ERPPriceListKey)
	return productRef{name, id, quoteCurrency(cur)}, true
}

// versionProducts fetches the products of every line of every alternative:
// one Products call per distributor and currency, for all its lines at once.
// Products are returned as the distributor prices them, keyed by the
// line's currency; a line in a currency the distributor does not price in
// is fetched in the distributor's first currency (callers convert, priceIn).
// With useCache, products fetched within the cache's lifetime are reused.
// failures holds only distributors the quote needs.
func (e *Engine) versionProducts(ctx context.Context, c Call, alts []*so.QuoteAlternativeWithLinesInfo, useCache bool) (map[productRef]distributors.Product, map[string]error) {
	found := map[productRef]distributors.Product{}
	wanted := map[string]map[string]map[string]bool{} // distributor → line currency → ids
	for _, a := range alts {
		if a == nil {
			continue
		}
		for _, l := range a.CRMQuoteLines {
			if l == nil {
				continue
			}
			ref, ok := lineRef(l)
			if !ok {
				continue
			}
			// A line in a currency the distributor prices in may be
			// cached under it: no call at all, not even for currencies.
			if useCache && ref.currency != "" {
				if p, hit := e.products.get(c, ref.distributor, ref.id, ref.currency); hit {
					found[ref] = p
					continue
				}
			}
			if wanted[ref.distributor] == nil {
				wanted[ref.distributor] = map[string]map[string]bool{}
			}
			if wanted[ref.distributor][ref.currency] == nil {
				wanted[ref.distributor][ref.currency] = map[string]bool{}
			}
			wanted[ref.distributor][ref.currency][ref.id] = true
		}
	}
	if len(wanted) == 0 {
		return found, nil
	}
	ds, failed := e.enabled(c)
	var failures map[string]error
	for name := range wanted {
		if err, ok := failed[name]; ok {
			failures = merge(failures, map[string]error{name: err})
		}
	}
	var asked []distributors.Distributor
	for _, d := range ds {
		if wanted[d.Name()] != nil && d.Capabilities().Catalog {
			asked = append(asked, d)
		}
	}
	type batch struct {
		refs map[productRef]distributors.Product
	}
	results, fetchFailures := fanOut(ctx, e, "versionProducts", asked, func(ctx context.Context, d distributors.Distributor) (batch, error) {
		b := batch{refs: map[productRef]distributors.Product{}}
		offered, err := d.Currencies(ctx)
		if err != nil {
			return b, err
		}
		if len(offered) == 0 {
			return b, distributors.Errorf(d.Name(), "Currencies", distributors.KindConfig, "no currency configured")
		}
		for cur, idset := range wanted[d.Name()] {
			src := sourceCurrency(offered, cur)
			ids := make([]string, 0, len(idset))
			for id := range idset {
				if useCache {
					if p, hit := e.products.get(c, d.Name(), id, src); hit {
						b.refs[productRef{d.Name(), id, cur}] = p
						continue
					}
				}
				ids = append(ids, id)
			}
			if len(ids) == 0 {
				continue
			}
			sort.Strings(ids)
			ps, err := d.Products(ctx, ids, src)
			if err != nil {
				return b, err
			}
			e.products.put(c, src, ps...)
			for _, p := range ps {
				b.refs[productRef{d.Name(), p.ID, cur}] = p
			}
		}
		return b, nil
	})
	failures = merge(failures, fetchFailures)
	for _, b := range results {
		for ref, p := range b.refs {
			found[ref] = p
		}
	}
	// Ids match case-insensitively (a SKU typed in another case).
	for ref := range found {
		lower := productRef{ref.distributor, strings.ToLower(ref.id), ref.currency}
		if _, ok := found[lower]; !ok {
			found[lower] = found[ref]
		}
	}
	return found, failures
}

func lookup(products map[productRef]distributors.Product, ref productRef) (distributors.Product, bool) {
	if p, ok := products[ref]; ok {
		return p, true
	}
	p, ok := products[productRef{ref.distributor, strings.ToLower(ref.id), ref.currency}]
	return p, ok
}

// ValidateQuoteVersion checks every line of every alternative against
// current stock and price without changing prices, rolls statuses up and
// moves the version's State per protocol §11.
func (e *Engine) ValidateQuoteVersion(ctx context.Context, c Call, qctx *so.QuoteVersionContextInfo, action so.QuoteAction) *so.QuoteResponseInfo {
	alts := qctx.Alternatives()
	products, failures := e.versionProducts(ctx, c, alts, true)
	for _, a := range alts {
		if a != nil {
			quote.CalculateAlternative(a)
		}
	}
	return e.checkVersion(c, qctx, action, products, failures, so.Text{})
}

// UpdateQuoteVersionPrices fetches current costs and list prices for every
// line of every alternative (one batched call per distributor), changes only
// the fields named in WriteableFields (none when the list is empty or
// missing: protocol §4.2 #26), recalculates, and then validates like
// ValidateQuoteVersion.
func (e *Engine) UpdateQuoteVersionPrices(ctx context.Context, c Call, qctx *so.QuoteVersionContextInfo, writeable []string) *so.QuoteVersionResponseInfo {
	alts := qctx.Alternatives()
	products, failures := e.versionProducts(ctx, c, alts, false)
	canWrite := func(field string) bool {
		for _, w := range writeable {
			w = strings.TrimSpace(w)
			if i := strings.LastIndexByte(w, '.'); i >= 0 {
				w = w[i+1:]
			}
			if strings.EqualFold(w, field) {
				return true
			}
		}
		return false
	}
	pricing := mapping.NewPricing(c.Conn.Pricing)
	today := e.o.Now()
	b := e.book(c)
	updated := map[string]bool{}
	for _, a := range alts {
		if a == nil {
			continue
		}
		for _, l := range a.CRMQuoteLines {
			if l == nil {
				continue
			}
			ref, ok := lineRef(l)
			if !ok {
				continue
			}
			raw, ok := lookup(products, ref)
			if !ok {
				continue
			}
			// Not priced without a rate: the validation below marks the
			// line.
			p := priceIn(b, raw, ref.currency)
			if p.unpriced() {
				continue
			}
			cost := p.Offer.CostAt(l.Quantity, today)
			wrote := false
			if canWrite("UnitCost") {
				l.UnitCost, wrote = cost, true
				// The conversion fields describe how UnitCost was made;
				// left as they were they would name another rate, which
				// PlaceOrder reports.
				setConversionFields(l, p, today)
			}
			if canWrite("UnitListPrice") {
				l.UnitListPrice, wrote = pricing.ListPrice(*p.Offer, p.Offer.CostAt(1, today)), true
			}
			if canWrite("UnitMinimumPrice") {
				l.UnitMinimumPrice, wrote = pricing.MinimumPrice(cost), true
			}
			if wrote {
				updated[e.displayName(ref.distributor)] = true
			}
		}
		quote.CalculateAlternative(a)
	}
	var note so.Text
	if len(updated) > 0 {
		names := make([]string, 0, len(updated))
		for n := range updated {
			names = append(names, n)
		}
		sort.Strings(names)
		note = so.Textf(msgPricesUpdated, strings.Join(names, ", "))
	}
	return e.checkVersion(c, qctx, so.ActionUpdatePrices, products, failures, note)
}

// checkVersion applies the line checks and the state rules (protocol §10,
// §11) with the products fetched, and builds the response.
func (e *Engine) checkVersion(c Call, qctx *so.QuoteVersionContextInfo, action so.QuoteAction, products map[productRef]distributors.Product, failures map[string]error, note so.Text) *so.QuoteResponseInfo {
	alts := qctx.Alternatives()
	ds, _ := e.enabled(c)
	b := e.book(c)
	canOrder, strictStock, canCatalog := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, d := range ds {
		caps := d.Capabilities()
		canOrder[d.Name()], strictStock[d.Name()], canCatalog[d.Name()] = caps.PlaceOrder, caps.RejectsOverStock, caps.Catalog
	}
	needsApproval, blocking, warnings := false, false, false
	for _, a := range alts {
		if a == nil {
			continue
		}
		if a.CRMAlternative == nil {
			a.CRMAlternative = &so.QuoteAlternativeInfo{}
		}
		for _, l := range a.CRMQuoteLines {
			if l == nil {
				continue
			}
			quote.ResetStatus(l)
			ref, ok := lineRef(l)
			if !ok {
				if action == so.ActionPlaceOrder {
					quote.AddProblem(l, so.StatusOkWithInfo, msgLineNotOrderable)
				}
				if w, under := minimumWarning(l); under {
					quote.AddProblem(l, so.StatusWarning, w)
					needsApproval = true
				}
				continue
			}
			if _, down := failures[ref.distributor]; down {
				quote.AddProblem(l, so.StatusWarning, so.Textf(msgPriceNotChecked, e.displayName(ref.distributor)))
			} else if raw, found := lookup(products, ref); found {
				p := priceIn(b, raw, ref.currency)
				e.applyLineChecks(l, p.Product, c)
				e.applyRateChecks(l, p)
				if w, moved := e.rateDrift(l, p); moved {
					quote.AddProblem(l, so.StatusWarning, w)
				}
				if action == so.ActionPlaceOrder {
					if _, over := e.stockWarning(l.Quantity, p.Product); over && strictStock[ref.distributor] {
						l.Status = so.StatusError
					}
				}
			} else if canCatalog[ref.distributor] {
				quote.AddProblem(l, so.StatusError, so.Textf(msgUnknownProduct, e.displayName(ref.distributor)))
			} else if c.NoSettings {
				quote.AddProblem(l, so.StatusWarning, msgNoSettings)
			}
			if action == so.ActionPlaceOrder && !canOrder[ref.distributor] {
				quote.AddProblem(l, so.StatusError, so.Textf(msgCannotOrderFrom, e.displayName(ref.distributor)))
			}
			if _, under := minimumWarning(l); under {
				needsApproval = true
			}
		}
		rollUpAlternative(a)
		switch a.CRMAlternative.Status {
		case so.StatusError:
			blocking = true
		case so.StatusWarning:
			warnings = true
		}
	}

	v := qctx.CRMQuoteVersion
	if v == nil {
		v = &so.QuoteVersionInfo{}
		qctx.CRMQuoteVersion = v
	}
	quote.ResetStatus(v)
	resp := &so.QuoteResponseInfo{CRMQuote: qctx.CRMQuote, CRMQuoteVersion: v, CRMAlternativesWithLines: alts}
	resp.IsOk = true
	if len(failures) > 0 {
		down := make([]string, 0, len(failures))
		for n := range failures {
			down = append(down, e.displayName(n))
		}
		sort.Strings(down)
		msg := so.Textf(msgUnavailable, strings.Join(down, ", "))
		quote.AddProblem(v, so.StatusError, msg)
		resp.UserExplanation = msg.String()
		resp.TechExplanation = describeFailures(failures)
		resp.State = so.StatusWarning
		if action == so.ActionSendQuote || action == so.ActionPlaceOrder {
			resp.IsOk, resp.State = false, so.StatusError
		}
		// State unchanged: the version could not be calculated (§11).
		return resp
	}
	if blocking {
		quote.AddProblem(v, so.StatusError, msgVersionHasErrors)
	} else if warnings {
		v.Status = so.StatusWarning
	}
	switch v.State.Code() {
	case so.StateDraftNotCalculated, so.StateDraft, so.StateDraftNeedsApproval:
		if needsApproval {
			v.State = so.StateOf(so.StateDraftNeedsApproval)
		} else {
			v.State = so.StateOf(so.StateDraft)
		}
		v.LastRecalculated = so.NewDate(e.o.Now())
	}
	switch {
	case blocking:
		resp.State = so.StatusError
		resp.UserExplanation = msgVersionHasErrors.String()
		if action == so.ActionSendQuote || action == so.ActionPlaceOrder {
			resp.IsOk = false
		}
	case warnings || needsApproval:
		resp.State = so.StatusWarning
		resp.UserExplanation = so.JoinTexts(" ", note, msgValidated).String()
	default:
		resp.UserExplanation = so.JoinTexts(" ", note, msgValidated).String()
	}
	return resp
}
