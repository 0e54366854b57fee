package engine

import (
	"context"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/mapping"
	"github.com/quoteconnector/quoteconnector/internal/quote"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// changed reports whether ChangedFields names field, compared
// case-insensitively with or without the table prefix (protocol §4.2 #15).
func changed(fields []string, field string) bool {
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if i := strings.LastIndexByte(f, '.'); i >= 0 {
			f = f[i+1:]
		}
		if strings.EqualFold(f, field) {
			return true
		}
	}
	return false
}

// OnQuoteLineChanged recalculates a line after a field edit (protocol §9)
// and applies the pricing policy: when Quantity changed, UnitCost becomes the
// distributor's price for that quantity (volume breaks, special price valid
// today) while UnitListPrice stays, and UnitMinimumPrice follows cost. Price
// and stock come from the short-lived cache; on a miss the distributor is
// asked with a deadline of at most LineTimeout, else the line keeps its
// values with a Warning (protocol §2.1). A line in a currency the
// distributor does not price in is converted at the current rates (its
// conversion fields in ExtraInfo follow the quantity); without a rate it
// keeps its prices and gets an Error.
func (e *Engine) OnQuoteLineChanged(ctx context.Context, c Call, line *so.QuoteLineInfo, fields []string, qctx *so.QuoteAlternativeContextInfo) *so.QuoteLineInfo {
	name, id, ok := distributors.ParseKey(line.ERPProductKey)
	if !ok {
		quote.CalculateLine(line)
		return line
	}
	quote.ResetStatus(line)
	p, found, err := e.lineProduct(ctx, c, name, id, line, qctx)
	switch {
	case err != nil:
		quote.CalculateLine(line)
		quote.AddProblem(line, so.StatusWarning, so.Textf(msgPriceNotChecked, e.displayName(name)))
		return line
	case !found:
		quote.CalculateLine(line)
		if d, err := e.byName(c, name); err == nil && d.Capabilities().Catalog {
			quote.AddProblem(line, so.StatusError, so.Textf(msgUnknownProduct, e.displayName(name)))
		} else if c.NoSettings {
			quote.AddProblem(line, so.StatusWarning, msgNoSettings)
		}
		return line
	}
	if !p.unpriced() && (changed(fields, "Quantity") || line.UnitCost == 0) {
		pricing := mapping.NewPricing(c.Conn.Pricing)
		today := e.o.Now()
		cost := p.Offer.CostAt(line.Quantity, today)
		line.UnitCost = cost
		line.UnitMinimumPrice = pricing.MinimumPrice(cost)
		if line.UnitListPrice == 0 {
			line.UnitListPrice = pricing.ListPrice(*p.Offer, p.Offer.CostAt(1, today))
		}
		setConversionFields(line, p, today)
	}
	quote.CalculateLine(line)
	e.applyLineChecks(line, p.Product, c)
	e.applyRateChecks(line, p)
	return line
}

// lineProduct finds the line's product, priced in the line's price-list
// currency, in the cache or, on a miss, from the distributor under the short
// line deadline.
func (e *Engine) lineProduct(ctx context.Context, c Call, name, id string, line *so.QuoteLineInfo, qctx *so.QuoteAlternativeContextInfo) (priced, bool, error) {
	cur := ""
	if n, lcur, ok := distributors.ParseKey(line.ERPPriceListKey); ok && (n == name || n == distributors.Best) {
		cur = quoteCurrency(lcur)
	}
	p, _, found, err := e.productFor(ctx, c, name, id, cur, qctx, e.o.LineTimeout)
	return p, found, err
}

// applyLineChecks sets the line's Status and Reason from the product's
// current state (protocol §10.1): Error when discontinued, Warning when the
// quantity exceeds stock (naming the next incoming delivery), Warning when
// the net unit price is under UnitMinimumPrice.
func (e *Engine) applyLineChecks(line *so.QuoteLineInfo, p distributors.Product, c Call) {
	if p.Discontinued {
		quote.AddProblem(line, so.StatusError, so.Textf(msgDiscontinued, e.displayName(p.Distributor)))
	}
	if w, over := e.stockWarning(line.Quantity, p); over {
		quote.AddProblem(line, so.StatusWarning, w)
	}
	if w, under := minimumWarning(line); under {
		quote.AddProblem(line, so.StatusWarning, w)
	}
}

// stockWarning is the Warning for a quantity above stock, with the next
// incoming purchase order's quantity and date when there is one.
func (e *Engine) stockWarning(qty float64, p distributors.Product) (so.Text, bool) {
	if p.Offer == nil || p.Offer.Stock == nil || qty <= p.Offer.Stock.Available {
		return so.Text{}, false
	}
	w := so.Textf(msgOverStock, so.IntMarker(int(p.Offer.Stock.Available)), e.displayName(p.Distributor))
	if in, ok := p.Offer.Stock.NextIncoming(); ok {
		w = so.JoinTexts(" ", w, so.Textf(msgIncoming, so.IntMarker(int(in.Quantity)), so.DateMarker(in.Date)))
	} else {
		w = so.JoinTexts(" ", w, msgNoIncoming)
	}
	return w, true
}

// minimumWarning flags a net unit price under the minimum price; it is also
// the approval trigger of ValidateQuoteVersion (protocol §11).
func minimumWarning(line *so.QuoteLineInfo) (so.Text, bool) {
	if line.Quantity <= 0 || line.UnitMinimumPrice <= 0 {
		return so.Text{}, false
	}
	net := line.TotalPrice / line.Quantity
	if net >= line.UnitMinimumPrice-1e-9 {
		return so.Text{}, false
	}
	return so.Textf(msgUnderMinimum, so.MoneyMarker(net), so.MoneyMarker(line.UnitMinimumPrice)), true
}

// RecalculateAlternative recalculates every line and the alternative
// (protocol §9.4) and rolls the lines' statuses up into the alternative's.
// It fetches no product: line checks, and the checks of a converted line's
// rate, come from the cache when it holds the product (a converted line
// needs the distributor's currencies, which the adapters keep).
func (e *Engine) RecalculateAlternative(ctx context.Context, c Call, a *so.QuoteAlternativeWithLinesInfo) *so.QuoteAlternativeWithLinesInfo {
	if a == nil {
		a = &so.QuoteAlternativeWithLinesInfo{}
	}
	if a.CRMAlternative == nil {
		a.CRMAlternative = &so.QuoteAlternativeInfo{}
	}
	quote.CalculateAlternative(a)
	for _, l := range a.CRMQuoteLines {
		if l == nil {
			continue
		}
		name, id, ok := distributors.ParseKey(l.ERPProductKey)
		if !ok {
			continue
		}
		_, cur, _ := distributors.ParseKey(l.ERPPriceListKey)
		if p, hit := e.cachedProduct(ctx, c, name, id, quoteCurrency(cur)); hit {
			quote.ResetStatus(l)
			e.applyLineChecks(l, p.Product, c)
			e.applyRateChecks(l, p)
		}
	}
	rollUpAlternative(a)
	return a
}

// rollUpAlternative sets the alternative's Status and Reason from its lines.
func rollUpAlternative(a *so.QuoteAlternativeWithLinesInfo) {
	quote.ResetStatus(a.CRMAlternative)
	status, reason := quote.RollUp(a.CRMQuoteLines)
	if status != so.StatusOk {
		n := 0
		for _, l := range a.CRMQuoteLines {
			if l != nil && l.Status != so.StatusOk {
				n++
			}
		}
		quote.AddProblem(a.CRMAlternative, status, so.Textf(msgLinesHaveProblems, n, reasonOrDash(reason)))
	}
}

func reasonOrDash(t so.Text) so.Text {
	if t.US == "" {
		return so.Same("-")
	}
	return t
}

// cachedProduct is the cached product of a line, priced in the line's
// currency target, without fetching it.
func (e *Engine) cachedProduct(ctx context.Context, c Call, name, id, target string) (priced, bool) {
	if p, hit := e.products.get(c, name, id, target); hit {
		return priced{Product: p}, true
	}
	if target == "" {
		return priced{}, false
	}
	d, err := e.byName(c, name)
	if err != nil || !d.Capabilities().Catalog {
		return priced{}, false
	}
	cctx, cancel := context.WithTimeout(ctx, e.o.LineTimeout)
	defer cancel()
	offered, err := d.Currencies(cctx)
	if err != nil || len(offered) == 0 || contains(offered, target) {
		return priced{}, false
	}
	p, hit := e.products.get(c, name, id, offered[0])
	if !hit {
		return priced{}, false
	}
	return priceIn(e.book(c), p, target), true
}
