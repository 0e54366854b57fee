package mapping

import (
	"strings"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/fx"
	"github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// ConvertOffer is an offer in another currency: the cost, volume breaks,
// special price and recycle tax are costs of the reseller and are
// converted as costs (rate and currency margin, fx.Conversion.Cost); the
// recommended retail price is a selling price and is converted at the rate
// alone. Stock and dates stay. The result shares nothing with o.
func ConvertOffer(o distributors.Offer, c fx.Conversion) distributors.Offer {
	out := o
	out.Currency = c.To.Currency
	out.Cost = c.Cost(o.Cost)
	out.RRP = c.Price(o.RRP)
	out.RecycleTax = c.Cost(o.RecycleTax)
	if o.Special != nil {
		sp := *o.Special
		sp.Price = c.Cost(sp.Price)
		out.Special = &sp
	}
	out.Breaks = make([]distributors.PriceBreak, len(o.Breaks))
	for i, b := range o.Breaks {
		out.Breaks[i] = distributors.PriceBreak{MinQuantity: b.MinQuantity, Price: c.Cost(b.Price)}
	}
	return out
}

// UnpricedOffer is an offer in currency with every price unknown (0): what
// a product shows when no rate converts into the quote's currency, so that
// nothing is priced with a made-up number. Stock stays.
func UnpricedOffer(o distributors.Offer, currency string) distributors.Offer {
	return distributors.Offer{Currency: strings.ToUpper(currency), Stock: o.Stock}
}

// Names of the ExtraInfo fields that say how a price was converted.
const (
	FieldSourcePrice    = "Distributor price"
	FieldExchangeRate   = "Exchange rate"
	FieldCurrencyMargin = "Currency margin"
)

// ConversionFields are the ExtraInfo fields of a converted price (protocol
// §5.15): the distributor's own cost at quantity qty on day today, the rate
// with its reference day (or that the connection fixed it) and the
// currency margin. PlaceOrder reads the rate back (RateOf).
func ConversionFields(source distributors.Offer, c fx.Conversion, qty float64, today time.Time) []superoffice.ProductExtraDataFieldInfo {
	var b fieldsBuilder
	b.text(FieldSourcePrice, money(source.CostAt(defaultQuantity(qty), today), strings.ToUpper(source.Currency)))
	b.text(FieldExchangeRate, RateText(c))
	b.text(FieldCurrencyMargin, "[F:"+c.MarginPercent.String()+"] %")
	return b.fields
}

// RateText describes a conversion's rate: "1 EUR = [F:11.7215] NOK,
// reference rate of [D:01/31/2024]"; a cross rate names both legs.
func RateText(c fx.Conversion) string {
	s := "1 " + c.From.Currency + " = [F:" + c.Factor().String() + "] " + c.To.Currency
	if c.Cross() {
		s += " (" + c.To.Currency + " [F:" + c.To.PerEUR.String() + "] and " + c.From.Currency + " [F:" + c.From.PerEUR.String() + "] per EUR)"
	}
	switch d := c.Date(); {
	case c.Fixed() && d.IsZero():
		s += ", fixed in the connection settings"
	case c.Fixed():
		s += ", fixed in the connection settings and reference rate of " + date(d)
	default:
		s += ", reference rate of " + date(d)
	}
	return s
}

// MissingRateFields are the ExtraInfo fields of a product that could not be
// converted: its own price, and the rate that is missing.
func MissingRateFields(source distributors.Offer, target string, missing []string, qty float64, today time.Time) []superoffice.ProductExtraDataFieldInfo {
	var b fieldsBuilder
	b.text(FieldSourcePrice, money(source.CostAt(defaultQuantity(qty), today), strings.ToUpper(source.Currency)))
	b.text(FieldExchangeRate, "none for "+strings.Join(missing, " and ")+": not priced in "+strings.ToUpper(target))
	return b.fields
}

// SetFields puts fields into an ExtraInfo list: a field of the same name is
// replaced where it stands, a new one goes first (how a price came about
// is what a salesperson looks for).
func SetFields(list, fields []superoffice.ProductExtraDataFieldInfo) []superoffice.ProductExtraDataFieldInfo {
	out := append([]superoffice.ProductExtraDataFieldInfo(nil), list...)
	var fresh []superoffice.ProductExtraDataFieldInfo
	for _, f := range fields {
		found := false
		for i := range out {
			if strings.EqualFold(out[i].Name, f.Name) {
				out[i], found = f, true
				break
			}
		}
		if !found {
			fresh = append(fresh, f)
		}
	}
	return append(fresh, out...)
}

// FieldValue returns the value of the ExtraInfo field name.
func FieldValue(list []superoffice.ProductExtraDataFieldInfo, name string) (string, bool) {
	for _, f := range list {
		if strings.EqualFold(f.Name, name) && strings.TrimSpace(f.Value) != "" {
			return f.Value, true
		}
	}
	return "", false
}
