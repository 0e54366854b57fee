package mapping

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/fx"
	"github.com/quoteconnector/quoteconnector/internal/settings"
	"github.com/quoteconnector/quoteconnector/internal/superoffice"
)

var today = time.Date(2024, 1, 31, 10, 15, 0, 0, time.UTC)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var markup = NewPricing(settings.Pricing{ListPrice: "markup", MarkupPercent: 20, MinMarginPercent: 5})
var rrp = NewPricing(settings.Pricing{ListPrice: "RRP", MarkupPercent: 20, MinMarginPercent: 5})

// logicomProduct looks like a Logicom item: volume breaks, a special price
// valid today, stock, an incoming PO, specifications and a datasheet.
func logicomProduct() distributors.Product {
	return distributors.Product{
		Distributor:  "logicom",
		ID:           "210-AZKS",
		PartNumber:   "210-AZKS",
		Name:         "Dell Latitude 5440",
		Description:  "14\" business laptop",
		Manufacturer: "Dell",
		Brand:        "Latitude",
		CategoryKey:  "NB",
		CategoryName: "Notebooks",
		ProductType:  "Hardware",
		Images:       []string{"https://img.example/1.jpg", "https://img.example/2.jpg"},
		URL:          "https://shop.example/210-AZKS",
		VATPercent:   19,
		Warranty:     "3 years on-site",
		Barcode:      "5397184765432",
		QuantityUnit: "pcs",
		Specifications: []distributors.Spec{
			{Name: "CPU", Value: "Intel Core i5-1335U"}, {Name: "RAM", Value: "16 GB"}, {Value: "ignored"},
		},
		Links: []distributors.Link{{Name: "Datasheet", URL: "https://docs.example/ds.pdf"}, {URL: "https://docs.example/guide.pdf"}},
		Offer: &distributors.Offer{
			Currency:   "eur",
			Cost:       100,
			RRP:        149,
			Special:    &distributors.SpecialPrice{Price: 97, From: day(2024, 1, 30), To: day(2024, 2, 5)},
			Breaks:     []distributors.PriceBreak{{MinQuantity: 10, Price: 95}, {MinQuantity: 50, Price: 90}},
			RecycleTax: 2.5,
			Stock: &distributors.Stock{Available: 7, Incoming: []distributors.Incoming{
				{Quantity: 20, Date: day(2024, 2, 15)},
			}},
		},
	}
}

// nuviasProduct looks like a Nuvias subscription the reseller may not
// discount, without an RRP and without stock data.
func nuviasProduct() distributors.Product {
	return distributors.Product{
		Distributor:     "nuvias",
		ID:              "555",
		PartNumber:      "CSP-E3-M",
		Name:            "Cloud Suite E3",
		Manufacturer:    "Microsoft",
		ThumbnailURL:    "https://img.example/thumb.png",
		NotDiscountable: true,
		Subscription:    &distributors.Subscription{Unit: "month", TermMonths: 12, Plan: "Annual commitment"},
		Links:           []distributors.Link{{Name: "Licensing guide", URL: "https://docs.example/lic.pdf"}},
		Offer:           &distributors.Offer{Currency: "GBP", Cost: 20},
	}
}

func field(fields []superoffice.ProductExtraDataFieldInfo, name string) (superoffice.ProductExtraDataFieldInfo, bool) {
	for _, f := range fields {
		if f.Name == name {
			return f, true
		}
	}
	return superoffice.ProductExtraDataFieldInfo{}, false
}

func TestPricing(t *testing.T) {
	offer := distributors.Offer{Cost: 100, RRP: 149}
	t.Run("markup", func(t *testing.T) {
		assert.InDelta(t, 120, markup.ListPrice(offer, 100), 1e-9)
		assert.InDelta(t, 114, markup.ListPrice(offer, 95), 1e-9)
		assert.InDelta(t, 105, markup.MinimumPrice(100), 1e-9)
	})
	t.Run("rrp", func(t *testing.T) {
		assert.True(t, rrp.UseRRP, "case-insensitive")
		assert.Equal(t, 149.0, rrp.ListPrice(offer, 100))
		assert.Equal(t, 149.0, rrp.ListPrice(offer, 95), "RRP does not follow the cost")
		assert.InDelta(t, 24, rrp.ListPrice(distributors.Offer{Cost: 20}, 20), 1e-9, "no RRP: markup")
		assert.InDelta(t, 105, rrp.MinimumPrice(100), 1e-9)
	})
	t.Run("defaults and odd values", func(t *testing.T) {
		p := NewPricing(settings.Pricing{})
		assert.False(t, p.UseRRP)
		assert.Equal(t, 100.0, p.ListPrice(offer, 100))
		assert.Equal(t, 0.0, p.MinimumPrice(0))
		p = NewPricing(settings.Pricing{MarkupPercent: math.Inf(1), MinMarginPercent: math.NaN()})
		assert.Equal(t, 100.0, p.ListPrice(offer, 100))
		assert.Equal(t, 100.0, p.MinimumPrice(100))
		assert.Equal(t, 0.0, markup.ListPrice(offer, math.MaxFloat64))
	})
}

func TestProductLogicom(t *testing.T) {
	p := Product(logicomProduct(), "Logicom", "", markup, today)

	assert.Equal(t, "logicom:210-AZKS", p.ERPProductKey)
	assert.Equal(t, "logicom:EUR", p.ERPPriceListKey)
	assert.Equal(t, "Dell Latitude 5440", p.Name)
	assert.Equal(t, "210-AZKS", p.Code)
	assert.Equal(t, "Dell", p.Supplier)
	assert.Equal(t, "210-AZKS", p.SupplierCode)
	assert.Equal(t, "NB", p.ProductCategoryKey)
	assert.Equal(t, "Latitude", p.ProductFamilyKey)
	assert.Equal(t, "Hardware", p.ProductTypeKey)
	assert.Equal(t, "https://img.example/1.jpg", p.Thumbnail, "first image when there is no thumbnail")
	assert.Equal(t, "https://img.example/1.jpg", p.Image)
	assert.Equal(t, "https://shop.example/210-AZKS", p.Url)
	assert.Equal(t, 19.0, p.VAT)
	assert.Equal(t, "19%", p.VATInfo)
	assert.Equal(t, 7.0, p.InStock)
	assert.True(t, p.InAssortment)
	assert.False(t, p.IsSubscription)
	assert.Empty(t, p.Rights)
	assert.Equal(t, "pcs", p.QuantityUnit)

	// Quantity 1 today: special 97 beats the base cost 100.
	assert.Equal(t, 97.0, p.UnitCost)
	assert.InDelta(t, 116.4, p.UnitListPrice, 1e-9)
	assert.InDelta(t, 101.85, p.UnitMinimumPrice, 1e-9)

	want := map[string]string{
		"Distributor":              "Logicom",
		"Manufacturer":             "Dell",
		"Category":                 "Notebooks",
		"Stock":                    "[I:7]",
		"Incoming":                 "[I:20] on [D:02/15/2024]",
		"Recommended retail price": "[M:149.00] EUR",
		"Volume prices":            "from [I:10]: [M:95.00] EUR, from [I:50]: [M:90.00] EUR",
		"Special price":            "[M:97.00] EUR from [D:01/30/2024] to [D:02/05/2024] (valid today)",
		"Recycle tax":              "[M:2.50] EUR",
		"Warranty":                 "3 years on-site",
		"Barcode":                  "5397184765432",
		"CPU":                      "Intel Core i5-1335U",
		"RAM":                      "16 GB",
	}
	for name, value := range want {
		f, ok := field(p.ExtraInfo, name)
		if assert.True(t, ok, "field %q", name) {
			assert.Equal(t, value, f.Value, name)
			assert.Equal(t, superoffice.ExtraString, f.Type, name)
		}
	}
	for _, absent := range []string{"Distributor item", "Electronic delivery", "Discontinued", "Subscription", "Discount"} {
		_, ok := field(p.ExtraInfo, absent)
		assert.False(t, ok, absent)
	}
	ds, ok := field(p.ExtraInfo, "Datasheet")
	require.True(t, ok)
	assert.Equal(t, superoffice.ExtraURL, ds.Type)
	assert.Equal(t, "https://docs.example/ds.pdf", ds.Value)
	link, ok := field(p.ExtraInfo, "Link")
	require.True(t, ok, "unnamed link")
	assert.Equal(t, superoffice.ExtraURL, link.Type)

	assertRawMatches(t, p.ExtraInfo, p.RawExtraInfo)

	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"ERPProductKey":"logicom:210-AZKS"`)
}

func TestProductLogicomRRPAndSpecialWindow(t *testing.T) {
	lp := logicomProduct()
	p := Product(lp, "Logicom", "best:EUR", rrp, today)
	assert.Equal(t, "best:EUR", p.ERPPriceListKey)
	assert.Equal(t, 97.0, p.UnitCost)
	assert.Equal(t, 149.0, p.UnitListPrice)
	assert.InDelta(t, 101.85, p.UnitMinimumPrice, 1e-9)

	later := day(2024, 2, 6) // the day after the special ends
	p = Product(lp, "Logicom", "", markup, later)
	assert.Equal(t, 100.0, p.UnitCost)
	assert.InDelta(t, 120, p.UnitListPrice, 1e-9)
	f, _ := field(p.ExtraInfo, "Special price")
	assert.True(t, strings.HasSuffix(f.Value, "(not valid today)"), f.Value)
}

func TestProductNuvias(t *testing.T) {
	p := Product(nuviasProduct(), "Nuvias", "", rrp, today)

	assert.Equal(t, "nuvias:555", p.ERPProductKey)
	assert.Equal(t, "nuvias:GBP", p.ERPPriceListKey)
	assert.Equal(t, "CSP-E3-M", p.Code)
	assert.Equal(t, "https://img.example/thumb.png", p.Thumbnail)
	assert.Empty(t, p.Image)
	assert.Empty(t, p.VATInfo)
	assert.Equal(t, 0.0, p.InStock, "stock unknown")
	assert.True(t, p.IsSubscription)
	assert.Equal(t, "month", p.SubscriptionUnit)
	assert.Equal(t, 12.0, p.DefaultSubscriptionQuantity)

	assert.Equal(t, 20.0, p.UnitCost)
	assert.InDelta(t, 24, p.UnitListPrice, 1e-9, "rrp wanted but none: markup")
	assert.InDelta(t, 21, p.UnitMinimumPrice, 1e-9)

	const tip = "The distributor does not allow a discount on this product"
	assert.Equal(t, "DiscountPercent=R,"+tip+"&DiscountAmount=R,"+tip+"&TotalPrice=R,"+tip+
		"&EarningAmount=R,"+tip+"&EarningPercent=R,"+tip, p.Rights)
	for _, item := range strings.Split(p.Rights, "&") {
		assert.Regexp(t, `^[A-Za-z.]+=R,[^&]+$`, item, "§10.2 Field=Right[,Reason]")
	}

	want := map[string]string{
		"Distributor":      "Nuvias",
		"Distributor item": "555",
		"Manufacturer":     "Microsoft",
		"Discount":         "Not allowed by the distributor",
		"Subscription":     "per month, term [I:12] months, plan Annual commitment",
	}
	for name, value := range want {
		f, ok := field(p.ExtraInfo, name)
		if assert.True(t, ok, "field %q", name) {
			assert.Equal(t, value, f.Value, name)
		}
	}
	_, ok := field(p.ExtraInfo, "Stock")
	assert.False(t, ok, "no stock data, no stock field")
	lic, ok := field(p.ExtraInfo, "Licensing guide")
	require.True(t, ok)
	assert.Equal(t, superoffice.ExtraURL, lic.Type)
	assertRawMatches(t, p.ExtraInfo, p.RawExtraInfo)

	yearly := nuviasProduct()
	yearly.Subscription.Unit = "Year"
	yearly.Subscription.TermMonths = 36
	assert.Equal(t, 3.0, Product(yearly, "Nuvias", "", markup, today).DefaultSubscriptionQuantity)
}

func TestProductWithoutOffer(t *testing.T) {
	lp := logicomProduct()
	lp.Offer = nil
	lp.Discontinued = true
	p := Product(lp, "Logicom", "", markup, today)
	assert.Empty(t, p.ERPPriceListKey)
	assert.False(t, p.InAssortment)
	assert.Zero(t, p.UnitCost)
	assert.Zero(t, p.UnitListPrice)
	assert.Zero(t, p.UnitMinimumPrice)
	f, ok := field(p.ExtraInfo, "Discontinued")
	require.True(t, ok)
	assert.Equal(t, "Yes", f.Value)

	l := QuoteLine(lp, "Logicom", "", markup, today, 3)
	assert.Equal(t, 3.0, l.Quantity)
	assert.Zero(t, l.TotalPrice)
}

func TestQuoteLine(t *testing.T) {
	lp := logicomProduct()
	cases := []struct {
		name             string
		qty, wantQty     float64
		cost, list, min  float64
		subTotal, margin float64
	}{
		{"default quantity", 0, 1, 97, 116.4, 101.85, 116.4, 19.4},
		{"negative means 1", -5, 1, 97, 116.4, 101.85, 116.4, 19.4},
		{"below the first break", 9, 9, 97, 116.4, 101.85, 1047.6, 174.6},
		{"first break", 10, 10, 95, 114, 99.75, 1140, 190},
		{"second break", 50, 50, 90, 108, 94.5, 5400, 900},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := QuoteLine(lp, "Logicom", "", markup, today, tc.qty)
			assert.Equal(t, 0, l.QuoteLineId)
			assert.Equal(t, "logicom:210-AZKS", l.ERPProductKey)
			assert.Equal(t, "logicom:EUR", l.ERPPriceListKey)
			assert.Equal(t, superoffice.OverrideNone, l.UserValueOverride)
			assert.Equal(t, tc.wantQty, l.Quantity)
			assert.InDelta(t, tc.cost, l.UnitCost, 1e-9)
			assert.InDelta(t, tc.list, l.UnitListPrice, 1e-9)
			assert.InDelta(t, tc.min, l.UnitMinimumPrice, 1e-9)
			assert.InDelta(t, tc.subTotal, l.SubTotal, 1e-9)
			assert.InDelta(t, tc.subTotal, l.TotalPrice, 1e-9)
			assert.InDelta(t, tc.margin, l.EarningAmount, 1e-9)
			assert.InDelta(t, tc.margin/tc.subTotal*100, l.EarningPercent, 1e-9)
			assert.Equal(t, "Dell Latitude 5440", l.Name)
			assert.Equal(t, "Dell", l.Supplier)
			assert.Equal(t, "19%", l.VATInfo)
			assert.NotEmpty(t, l.ExtraInfo)
			assert.NotEmpty(t, l.RawExtraInfo)
		})
	}

	t.Run("subscription", func(t *testing.T) {
		l := QuoteLine(nuviasProduct(), "Nuvias", "best:GBP", rrp, today, 5)
		assert.Equal(t, "best:GBP", l.ERPPriceListKey)
		assert.True(t, l.IsSubscription)
		assert.Equal(t, "month", l.SubscriptionUnit)
		assert.Equal(t, 12.0, l.SubscriptionQuantity)
		assert.Contains(t, l.Rights, "DiscountPercent=R,")
		assert.InDelta(t, 120, l.TotalPrice, 1e-9)
	})

}

// rawFields is the XML of RawExtraInfo.
type rawFields struct {
	XMLName xml.Name `xml:"Fields"`
	Fields  []struct {
		Name  string `xml:"Name,attr"`
		Type  string `xml:"Type,attr"`
		Value string `xml:",chardata"`
	} `xml:"Field"`
}

// assertRawMatches parses raw strictly and compares it with fields.
func assertRawMatches(t *testing.T, fields []superoffice.ProductExtraDataFieldInfo, raw string) {
	t.Helper()
	var got rawFields
	dec := xml.NewDecoder(strings.NewReader(raw))
	dec.Strict = true
	require.NoError(t, dec.Decode(&got), raw)
	require.Len(t, got.Fields, len(fields))
	for i, f := range fields {
		assert.Equal(t, f.Name, got.Fields[i].Name)
		assert.Equal(t, f.Type.String(), got.Fields[i].Type)
		assert.Equal(t, f.Value, got.Fields[i].Value)
	}
}

func TestRawExtraInfo(t *testing.T) {
	assert.Empty(t, RawExtraInfo(nil))
	fields := []superoffice.ProductExtraDataFieldInfo{
		{Name: `Size "XL" & <more>`, Value: "a]]>b]]>]]>c <x> & ]] >"},
		{Name: "Link", Value: "https://example.com/?a=1&b=2", Type: superoffice.ExtraURL},
		{Name: "tabs\tand\nlines", Value: "multi\nline\ttext"},
		{Name: "ends with ]]", Value: "]]"},
	}
	raw := RawExtraInfo(fields)
	assert.True(t, strings.HasPrefix(raw, `<Fields><Field Name="Size &quot;XL&quot; &amp; &lt;more&gt;" Type="String"><![CDATA[`), raw)
	assertRawMatches(t, fields, raw)

	// Characters XML cannot carry are dropped, the rest survives.
	raw = RawExtraInfo([]superoffice.ProductExtraDataFieldInfo{{Name: "bad\x00name", Value: "ctl\x01\x1f ok \xff\xfe é"}})
	var got rawFields
	require.NoError(t, xml.Unmarshal([]byte(raw), &got), raw)
	assert.Equal(t, "badname", got.Fields[0].Name)
	assert.Equal(t, "ctl ok  é", got.Fields[0].Value)
}

func TestExtraInfoBounded(t *testing.T) {
	p := logicomProduct()
	p.Specifications = nil
	for i := range 30 {
		p.Specifications = append(p.Specifications, distributors.Spec{Name: fmt.Sprintf("Spec %d", i), Value: "v"})
	}
	for i := range 15 {
		p.Links = append(p.Links, distributors.Link{Name: fmt.Sprintf("Doc %d", i), URL: "https://d.example/" + fmt.Sprint(i)})
		p.Offer.Breaks = append(p.Offer.Breaks, distributors.PriceBreak{MinQuantity: float64(100 + i), Price: 80})
		p.Offer.Stock.Incoming = append(p.Offer.Stock.Incoming, distributors.Incoming{Quantity: 1.5})
		p.Variants = append(p.Variants, distributors.Variant{ID: fmt.Sprint(i)})
	}
	p.Warranty = strings.Repeat("w", 2000)
	fields := ExtraInfo(p, "Logicom", today)

	specs, links := 0, 0
	for _, f := range fields {
		if strings.HasPrefix(f.Name, "Spec ") {
			specs++
		}
		if f.Type == superoffice.ExtraURL {
			links++
		}
		assert.LessOrEqual(t, len([]rune(f.Value)), maxValueLen, f.Name)
	}
	assert.Equal(t, maxSpecs, specs)
	assert.Equal(t, maxLinks, links)
	_, ok := field(fields, "More specifications")
	assert.True(t, ok)
	vol, _ := field(fields, "Volume prices")
	assert.Equal(t, maxBreaks+1, strings.Count(vol.Value, ", ")+1, "capped with an ellipsis")
	assert.True(t, strings.HasSuffix(vol.Value, "…"))
	in, _ := field(fields, "Incoming")
	assert.Contains(t, in.Value, "[F:1.5] (date unknown)")
	w, _ := field(fields, "Warranty")
	assert.True(t, strings.HasSuffix(w.Value, "…"))
	assertRawMatches(t, fields, RawExtraInfo(fields))
}

func TestAddress(t *testing.T) {
	a := Address(distributors.Address{
		ID: "DEFAULT", Name: "HQ", Lines: []string{" Street 1 ", "", "Building B", "Floor 3", "Door 4"},
		City: "Oslo", Zip: "0150", CountryCode: "no", Country: "Norway",
	})
	assert.Equal(t, &superoffice.AddressInfo{
		Line1: "Street 1", Line2: "Building B", Line3: "Floor 3, Door 4",
		City: "Oslo", Zip: "0150", CountryCode: "NO", Country: "Norway",
	}, a)
	assert.Equal(t, &superoffice.AddressInfo{Line1: "x"}, Address(distributors.Address{Lines: []string{"x"}}))
	assert.Equal(t, &superoffice.AddressInfo{}, Address(distributors.Address{}))
}

func TestListItems(t *testing.T) {
	items := ListItems([]distributors.ListItem{
		{Key: "NB", Name: "Notebooks", Description: `14" and up`},
		{Key: "X"},
	})
	assert.Equal(t, []superoffice.QuoteListItemInfo{
		{ERPQuoteListItemKey: "NB", DisplayValue: `US:"Notebooks";NO:"Notebooks";GE:"Notebooks"`, DisplayDescription: `US:"14 and up";NO:"14 and up";GE:"14 and up"`},
		{ERPQuoteListItemKey: "X", DisplayValue: `US:"X";NO:"X";GE:"X"`},
	}, items)
	empty := ListItems(nil)
	assert.NotNil(t, empty)
	assert.Empty(t, empty)
}

func TestConvertOffer(t *testing.T) {
	b := fx.NewBook(fx.Table{Date: day(2024, 1, 31), Rates: map[string]decimal.Decimal{"NOK": decimal.RequireFromString("11.7215")}}, nil, 2)
	c, err := b.Conversion("EUR", "NOK")
	require.NoError(t, err)
	src := *logicomProduct().Offer
	o := ConvertOffer(src, c)
	assert.Equal(t, "NOK", o.Currency)
	// costs: × 11.7215 × 1.02, to the øre. 100 → 1195.593 → 1195.59;
	// 97 → 1159.72521 → 1159.73; 95 → 1135.81335 → 1135.81; 90 →
	// 1076.0337 → 1076.03; 2.5 → 29.889825 → 29.89
	assert.Equal(t, 1195.59, o.Cost)
	assert.Equal(t, 1159.73, o.Special.Price)
	assert.Equal(t, []distributors.PriceBreak{{MinQuantity: 10, Price: 1135.81}, {MinQuantity: 50, Price: 1076.03}}, o.Breaks)
	assert.Equal(t, 29.89, o.RecycleTax)
	// the RRP is a selling price: 149 × 11.7215 = 1746.5035 → 1746.50
	assert.Equal(t, 1746.5, o.RRP)
	assert.Same(t, src.Stock, o.Stock, "stock is not money")
	assert.Equal(t, 97.0, src.Special.Price, "the source is left alone")
	assert.Equal(t, 95.0, src.Breaks[0].Price)

	u := UnpricedOffer(src, "dkk")
	assert.Equal(t, distributors.Offer{Currency: "DKK", Stock: src.Stock}, u)

	fields := ConversionFields(src, c, 10, today)
	assert.Equal(t, []superoffice.ProductExtraDataFieldInfo{
		{Name: "Distributor price", Value: "[M:95.00] EUR"},
		{Name: "Exchange rate", Value: "1 EUR = [F:11.7215] NOK, reference rate of [D:01/31/2024]"},
		{Name: "Currency margin", Value: "[F:2] %"},
	}, fields)

	list := []superoffice.ProductExtraDataFieldInfo{{Name: "Distributor", Value: "Logicom"}, {Name: "exchange rate", Value: "old"}}
	got := SetFields(list, fields)
	assert.Equal(t, []string{"Distributor price", "Currency margin", "Distributor", "Exchange rate"}, fieldNames(got), "replaced in place, new ones first")
	v, ok := FieldValue(got, "EXCHANGE RATE")
	assert.True(t, ok)
	assert.Equal(t, fields[1].Value, v)
	assert.Equal(t, "old", list[1].Value, "the input list is not changed")
}

func fieldNames(fs []superoffice.ProductExtraDataFieldInfo) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}
