// Package mapping turns distributor-neutral data (internal/distributors) into
// SuperOffice carriers (internal/superoffice): products, quote lines,
// addresses and list items. It is pure: the day prices are valid on is
// passed in, nothing is fetched or logged.
package mapping

import (
	"math"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// Pricing is how UnitListPrice and UnitMinimumPrice follow from the
// distributor's cost (configuration.md: pricing.listPrice,
// pricing.markupPercent, pricing.minMarginPercent).
type Pricing struct {
	UseRRP           bool    // pricing.listPrice = rrp
	MarkupPercent    float64 // pricing.markupPercent
	MinMarginPercent float64 // pricing.minMarginPercent
}

// ListPriceRRP is the pricing.listPrice value that uses the distributor's
// recommended retail price.
const ListPriceRRP = "rrp"

// NewPricing reads a connection's pricing settings.
func NewPricing(s settings.Pricing) Pricing {
	return Pricing{
		UseRRP:           strings.EqualFold(strings.TrimSpace(s.ListPrice), ListPriceRRP),
		MarkupPercent:    orZero(s.MarkupPercent),
		MinMarginPercent: orZero(s.MinMarginPercent),
	}
}

// ListPrice is the unit list price of an offer bought at unit cost cost: the
// offer's RRP when pricing.listPrice is "rrp" and the offer has one, else
// cost × (1 + markup/100).
func (p Pricing) ListPrice(offer distributors.Offer, cost float64) float64 {
	if p.UseRRP && offer.RRP > 0 && finite(offer.RRP) {
		return offer.RRP
	}
	return orZero(cost * (1 + orZero(p.MarkupPercent)/100))
}

// MinimumPrice is the lowest allowed unit price: cost × (1 + minMargin/100).
func (p Pricing) MinimumPrice(cost float64) float64 {
	return orZero(cost * (1 + orZero(p.MinMarginPercent)/100))
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// orZero keeps NaN and Inf out of carriers (protocol §1.2).
func orZero(f float64) float64 {
	if !finite(f) {
		return 0
	}
	return f
}
