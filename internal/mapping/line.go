package mapping

import (
	"time"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/quote"
	"github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// QuoteLine builds a new, calculated quote line for quantity units of a
// product (§4.2 CreateQuoteLine, §5.2): the product's data copied, the keys,
// QuoteLineId 0, master None (the ERP suggestion, no discount), and UnitCost
// = the distributor's cost at that quantity on day today (volume break,
// special price), with list and minimum price derived from that cost. A
// quantity that is not a positive number means 1. title is how users see
// the product's distributor.
func QuoteLine(p distributors.Product, title, priceList string, pricing Pricing, today time.Time, quantity float64) *superoffice.QuoteLineInfo {
	quantity = defaultQuantity(quantity)
	info := Product(p, title, priceList, pricing, today)
	l := LineFromProduct(info, quantity)
	if p.Offer != nil {
		setPrices(&l.UnitCost, &l.UnitListPrice, &l.UnitMinimumPrice, *p.Offer, quantity, pricing, today)
	}
	quote.CalculateLine(l)
	return l
}

// LineFromProduct copies a ProductInfo into a new quote line for quantity
// units and calculates it, with the product's unit prices as they are (use
// QuoteLine to price at the quantity). It serves a ProductInfo SuperOffice
// sent back, e.g. in CreateQuoteLine. A quantity that is not a positive
// number means 1.
func LineFromProduct(info superoffice.ProductInfo, quantity float64) *superoffice.QuoteLineInfo {
	quantity = defaultQuantity(quantity)
	l := &superoffice.QuoteLineInfo{
		ERPProductKey:      info.ERPProductKey,
		ERPPriceListKey:    info.ERPPriceListKey,
		Quantity:           quantity,
		Name:               info.Name,
		Description:        info.Description,
		Code:               info.Code,
		QuantityUnit:       info.QuantityUnit,
		PriceUnit:          info.PriceUnit,
		ItemNumber:         info.ItemNumber,
		Url:                info.Url,
		Supplier:           info.Supplier,
		SupplierCode:       info.SupplierCode,
		Thumbnail:          info.Thumbnail,
		ProductCategoryKey: info.ProductCategoryKey,
		ProductFamilyKey:   info.ProductFamilyKey,
		ProductTypeKey:     info.ProductTypeKey,
		IsSubscription:     info.IsSubscription,
		SubscriptionUnit:   info.SubscriptionUnit,
		VATInfo:            info.VATInfo,
		VAT:                info.VAT,
		UnitCost:           info.UnitCost,
		UnitMinimumPrice:   info.UnitMinimumPrice,
		UnitListPrice:      info.UnitListPrice,
		ExtraInfo:          append([]superoffice.ProductExtraDataFieldInfo(nil), info.ExtraInfo...),
		RawExtraInfo:       info.RawExtraInfo,
		Rights:             info.Rights,
		Rule:               info.Rule,
		ExtraField1:        info.ExtraField1,
		ExtraField2:        info.ExtraField2,
		ExtraField3:        info.ExtraField3,
		ExtraField4:        info.ExtraField4,
		ExtraField5:        info.ExtraField5,
		UserValueOverride:  superoffice.OverrideNone,
	}
	if info.IsSubscription {
		l.SubscriptionQuantity = info.DefaultSubscriptionQuantity
	}
	quote.CalculateLine(l)
	return l
}

// defaultQuantity is q, or 1 when q is not a positive number.
func defaultQuantity(q float64) float64 {
	if !(q > 0) || !finite(q) {
		return 1
	}
	return q
}
