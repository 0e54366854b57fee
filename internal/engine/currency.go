package engine

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/fx"
	"github.com/quoteconnector/quoteconnector/internal/mapping"
	"github.com/quoteconnector/quoteconnector/internal/quote"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// Quotes in a currency the distributor does not price in: the distributor
// is asked in its own (first) currency and every price is converted into
// the quote's currency (fx), on every path that prices a product. Orders
// stay in the distributor's currency.

// RateSource gives the reference rates conversions use now (fx.Feed).
type RateSource interface {
	Table() fx.Table
}

// DefaultRateMaxAge is QC_FX_MAX_AGE's default.
const DefaultRateMaxAge = 96 * time.Hour

// RateDriftPercent is how far today's conversion may move a quoted line's
// cost before validation warns (issue: quotes in the customer's currency).
const RateDriftPercent = 2.0

// book is the call's exchange rates: the reference rates under the
// connection's fixed rates (pricing.fxRates), with its currency margin.
func (e *Engine) book(c Call) fx.Book {
	var t fx.Table
	if e.o.Rates != nil {
		t = e.o.Rates.Table()
	}
	return fx.NewBook(t, c.Conn.Pricing.FXRates, c.Conn.Pricing.FXMarginPercent)
}

// offersConverted reports whether target is offered as a converted price
// list of a distributor that prices in source: listed in pricing.currencies
// (even without a rate: its lines then say the rate is missing), or, with
// that setting empty, any currency the rates convert source into.
func (e *Engine) offersConverted(c Call, b fx.Book, source, target string) bool {
	if target == "" || source == "" || strings.EqualFold(source, target) {
		return false
	}
	if len(c.Conn.Pricing.Currencies) > 0 {
		return contains(c.Conn.Pricing.Currencies, target)
	}
	_, err := b.Conversion(source, target)
	return err == nil
}

// convertedTargets lists the currencies a distributor pricing in offered is
// quoted in by conversion, in the order of pricing.currencies, else sorted.
func (e *Engine) convertedTargets(c Call, b fx.Book, offered []string) []string {
	if len(offered) == 0 {
		return nil
	}
	candidates := c.Conn.Pricing.Currencies
	if len(candidates) == 0 {
		candidates = b.Currencies()
	}
	var out []string
	for _, cur := range candidates {
		if !contains(offered, cur) && e.offersConverted(c, b, offered[0], cur) {
			out = append(out, cur)
		}
	}
	return out
}

// sourceCurrency is the currency a distributor is asked in for a quote in
// target: target itself when the distributor offers it, else its first
// currency, which is converted. offered is not empty.
func sourceCurrency(offered []string, target string) string {
	if target != "" && contains(offered, target) {
		return strings.ToUpper(target)
	}
	return offered[0]
}

var isoCurrency = regexp.MustCompile(`^[A-Za-z]{3}$`)

// quoteCurrency reads a currency SuperOffice names (a sale's currency may be
// a display name rather than a code): upper-case ISO code, or "".
func quoteCurrency(s string) string {
	s = strings.TrimSpace(s)
	if !isoCurrency.MatchString(s) {
		return ""
	}
	return strings.ToUpper(s)
}

// conversion is how a product's offer came into the quote's currency.
type conversion struct {
	// source is the distributor's own offer.
	source distributors.Offer
	target string
	fx     fx.Conversion
	// err is set when no rate converts into the quote's currency: the
	// offer then carries no price at all.
	err error
}

// priced is a product as quoted: Offer in the quote's currency.
type priced struct {
	distributors.Product
	// conv is nil when the distributor prices in the quote's currency.
	conv *conversion
}

// priceIn converts p's offer into target ("" or the offer's own currency:
// unchanged).
func priceIn(b fx.Book, p distributors.Product, target string) priced {
	if p.Offer == nil || target == "" || strings.EqualFold(p.Offer.Currency, target) {
		return priced{Product: p}
	}
	target = strings.ToUpper(target)
	cv := &conversion{source: *p.Offer, target: target}
	conv, err := b.Conversion(p.Offer.Currency, target)
	var o distributors.Offer
	if err != nil {
		cv.err = err
		o = mapping.UnpricedOffer(*p.Offer, target)
	} else {
		cv.fx = conv
		o = mapping.ConvertOffer(*p.Offer, conv)
	}
	p.Offer = &o
	return priced{Product: p, conv: cv}
}

func priceAll(b fx.Book, ps []distributors.Product, target string) []priced {
	out := make([]priced, len(ps))
	for i, p := range ps {
		out[i] = priceIn(b, p, target)
	}
	return out
}

// unpriced reports whether the product has no price in the quote's
// currency.
func (p priced) unpriced() bool {
	return p.Offer == nil || (p.conv != nil && p.conv.err != nil)
}

// conversionFields are the ExtraInfo fields that say how the line's price
// at quantity qty was converted; none for a product in its own currency.
func (p priced) conversionFields(qty float64, today time.Time) []so.ProductExtraDataFieldInfo {
	if p.conv == nil {
		return nil
	}
	if p.conv.err != nil {
		var missing []string
		var m *fx.MissingRateError
		if errors.As(p.conv.err, &m) {
			missing = m.Missing
		}
		return mapping.MissingRateFields(p.conv.source, p.conv.target, missing, qty, today)
	}
	return mapping.ConversionFields(p.conv.source, p.conv.fx, qty, today)
}

// productInfo maps a priced product for SuperOffice (quantity 1), with the
// conversion in ExtraInfo.
func (e *Engine) productInfo(p priced, priceList string, pricing mapping.Pricing, today time.Time) so.ProductInfo {
	info := mapping.Product(p.Product, e.displayName(p.Distributor), priceList, pricing, today)
	if f := p.conversionFields(1, today); len(f) > 0 {
		info.ExtraInfo = mapping.SetFields(info.ExtraInfo, f)
		info.RawExtraInfo = mapping.RawExtraInfo(info.ExtraInfo)
	}
	return info
}

// setConversionFields refreshes a line's conversion fields for its
// quantity.
func setConversionFields(l *so.QuoteLineInfo, p priced, today time.Time) {
	if f := p.conversionFields(l.Quantity, today); len(f) > 0 {
		l.ExtraInfo = mapping.SetFields(l.ExtraInfo, f)
		l.RawExtraInfo = mapping.RawExtraInfo(l.ExtraInfo)
	}
}

// applyRateChecks sets the line's problems from its conversion (protocol
// §10.1): Error when no rate converts into the quote's currency (the line
// is not priced), Warning when a rate is older than QC_FX_MAX_AGE.
func (e *Engine) applyRateChecks(l *so.QuoteLineInfo, p priced) {
	cv := p.conv
	if cv == nil {
		return
	}
	from := strings.ToUpper(cv.source.Currency)
	if cv.err != nil {
		missing := cv.target
		var m *fx.MissingRateError
		if errors.As(cv.err, &m) && len(m.Missing) > 0 {
			missing = strings.Join(m.Missing, ", ")
		}
		quote.AddProblem(l, so.StatusError, so.Textf(msgRateMissing, from, cv.target, missing, cv.target))
		return
	}
	if cv.fx.OlderThan(e.o.RateMaxAge, e.o.Now()) {
		quote.AddProblem(l, so.StatusWarning, so.Textf(msgRateStale, from, cv.target, so.DateMarker(cv.fx.Date())))
	}
}

// rateDrift is the Warning of a converted line whose cost at today's rate
// differs by more than RateDriftPercent from the cost it carries (what the
// quote was made with).
func (e *Engine) rateDrift(l *so.QuoteLineInfo, p priced) (so.Text, bool) {
	if p.conv == nil || p.unpriced() || l.UnitCost <= 0 || l.Quantity <= 0 {
		return so.Text{}, false
	}
	now := p.Offer.CostAt(l.Quantity, e.o.Now())
	change := (now - l.UnitCost) / l.UnitCost * 100
	if math.IsNaN(change) || math.Abs(change) <= RateDriftPercent {
		return so.Text{}, false
	}
	pct := "[F:" + strconv.FormatFloat(math.Round(change*10)/10, 'f', -1, 64) + "]"
	rate, from := splitRateText(mapping.RateText(p.conv.fx))
	return so.Textf(msgRateMoved, rate, from, so.MoneyMarker(now), p.conv.target, pct, so.MoneyMarker(l.UnitCost), p.conv.target), true
}
