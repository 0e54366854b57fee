package mapping

import (
	"strconv"
	"strings"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// ProductKey is a product's ERPProductKey, "<distributor>:<id>"
// (configuration.md, "Keys the service puts into SuperOffice").
func ProductKey(p distributors.Product) string { return p.Distributor + ":" + p.ID }

// PriceListKey is the ERPPriceListKey of a distributor's list in a currency,
// "<distributor>:<currency>".
func PriceListKey(distributor, currency string) string {
	return distributor + ":" + strings.ToUpper(currency)
}

// Product maps a catalog item to the ProductInfo offered to SuperOffice.
// title is how users see its distributor (ExtraInfo's "Distributor").
// priceList is the ERPPriceListKey to report (e.g. "best:EUR" when the product
// was picked from the cross-distributor list); empty means the product's own
// "<distributor>:<currency>". Costs are those of quantity 1 on day today;
// without an Offer they are 0 (unknown, §5.1).
func Product(p distributors.Product, title, priceList string, pricing Pricing, today time.Time) superoffice.ProductInfo {
	info := superoffice.ProductInfo{
		ERPProductKey:      ProductKey(p),
		ERPPriceListKey:    priceListOf(p, priceList),
		InAssortment:       !p.Discontinued,
		Name:               p.Name,
		Description:        p.Description,
		Code:               firstNonEmpty(p.PartNumber, p.ID),
		QuantityUnit:       p.QuantityUnit,
		Url:                p.URL,
		ProductCategoryKey: firstNonEmpty(p.CategoryKey, p.CategoryName),
		ProductFamilyKey:   p.Brand,
		ProductTypeKey:     p.ProductType,
		Supplier:           p.Manufacturer,
		SupplierCode:       p.PartNumber,
		Thumbnail:          p.ThumbnailURL,
		VAT:                orZero(p.VATPercent),
		VATInfo:            vatInfo(p.VATPercent),
		Rights:             rights(p),
	}
	if len(p.Images) > 0 {
		info.Image = p.Images[0]
		if info.Thumbnail == "" {
			info.Thumbnail = p.Images[0]
		}
	}
	if s := p.Subscription; s != nil {
		info.IsSubscription = true
		info.SubscriptionUnit = s.Unit
		info.DefaultSubscriptionQuantity = defaultSubscriptionQuantity(*s)
	}
	if o := p.Offer; o != nil {
		if o.Stock != nil {
			info.InStock = orZero(o.Stock.Available)
		}
		setPrices(&info.UnitCost, &info.UnitListPrice, &info.UnitMinimumPrice, *o, 1, pricing, today)
	}
	info.ExtraInfo = ExtraInfo(p, title, today)
	info.RawExtraInfo = RawExtraInfo(info.ExtraInfo)
	return info
}

// setPrices fills the three unit prices for quantity qty: the distributor's
// cost at that quantity (volume break, special price), and list and minimum
// price derived from that cost.
func setPrices(cost, list, minimum *float64, o distributors.Offer, qty float64, pricing Pricing, today time.Time) {
	c := orZero(o.CostAt(qty, today))
	*cost = c
	*list = pricing.ListPrice(o, c)
	*minimum = pricing.MinimumPrice(c)
}

func priceListOf(p distributors.Product, priceList string) string {
	if priceList != "" {
		return priceList
	}
	if p.Offer == nil || p.Offer.Currency == "" {
		return ""
	}
	return PriceListKey(p.Distributor, p.Offer.Currency)
}

// vatInfo is the VAT text for documents, "25%"; empty when unknown.
func vatInfo(percent float64) string {
	if percent <= 0 || !finite(percent) {
		return ""
	}
	return strconv.FormatFloat(percent, 'f', -1, 64) + "%"
}

// defaultSubscriptionQuantity is the term counted in subscription units:
// a 12-month term is 12 monthly or 1 yearly unit; 0 when not expressible.
func defaultSubscriptionQuantity(s distributors.Subscription) float64 {
	if s.TermMonths <= 0 {
		return 0
	}
	switch strings.ToLower(strings.TrimSpace(s.Unit)) {
	case "month", "months", "monthly", "mo":
		return float64(s.TermMonths)
	case "year", "years", "yearly", "annual", "annually", "yr":
		return float64(s.TermMonths) / 12
	}
	return 0
}

// notDiscountableFields are the line fields a user could give a discount
// through; for a product the distributor marks not discountable they are
// read-only (§10.2). TotalPrice and the earnings are included because
// editing them derives a discount (§9.2).
var notDiscountableFields = []string{"DiscountPercent", "DiscountAmount", "TotalPrice", "EarningAmount", "EarningPercent"}

// notDiscountableTip is the Rights tooltip; it must not contain "&".
const notDiscountableTip = "The distributor does not allow a discount on this product"

// rights is the Rights field of a product (§10.2): empty unless the product
// may not be discounted.
func rights(p distributors.Product) string {
	if !p.NotDiscountable {
		return ""
	}
	items := make([]string, len(notDiscountableFields))
	for i, f := range notDiscountableFields {
		items[i] = f + "=R," + notDiscountableTip
	}
	return strings.Join(items, "&")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
