package logicomsim

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
)

// query parses the query string; a raw ';' (between SKUs) is data, not a
// separator (Go's parser would drop such pairs).
func query(r *http.Request) url.Values {
	v, _ := url.ParseQuery(strings.ReplaceAll(r.URL.RawQuery, ";", "%3B"))
	return v
}

func (s *Server) currency(q string) (string, error) {
	q = strings.ToUpper(strings.TrimSpace(q))
	if q == "" {
		return s.acct.Currencies[0], nil
	}
	for _, c := range s.acct.Currencies {
		if c == q {
			return c, nil
		}
	}
	return "", bizErrf("Currency %s is not available for this customer", q)
}

// skuList splits a ProductId parameter on ';' (raw or %3B), trims, dedupes.
func skuList(v string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range strings.Split(v, ";") {
		p = strings.TrimSpace(p)
		if p == "" || seen[strings.ToUpper(p)] {
			continue
		}
		seen[strings.ToUpper(p)] = true
		out = append(out, p)
	}
	return out
}

func (s *Server) item(sku string) (*catalog.LogicomItem, bool) {
	l := s.list.Load()
	i, ok := l.bySKU[strings.ToUpper(strings.TrimSpace(sku))]
	if !ok {
		return nil, false
	}
	return l.items[i], true
}

func parseWhen(v string) (time.Time, bool) {
	for _, l := range []string{dateTimeLayout, dateLayout, "02-01-2006T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(l, strings.TrimSpace(v)); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (s *Server) getProducts(r *http.Request) (obj, error) {
	q := query(r)
	cur, err := s.currency(q.Get("Currency"))
	if err != nil {
		return nil, err
	}
	pid := strings.TrimSpace(q.Get("ProductId"))
	brand := strings.TrimSpace(q.Get("Brand"))
	category := strings.TrimSpace(q.Get("Category"))
	var from, to time.Time
	if v := q.Get("DateFrom"); strings.TrimSpace(v) != "" {
		t, ok := parseWhen(v)
		if !ok {
			return nil, bizErrf("Invalid DateFrom %q, expected dd-MM-yyyy HH:mm:ss", v)
		}
		from = t
	}
	if v := q.Get("DateTo"); strings.TrimSpace(v) != "" {
		t, ok := parseWhen(v)
		if !ok {
			return nil, bizErrf("Invalid DateTo %q, expected dd-MM-yyyy HH:mm:ss", v)
		}
		if len(strings.TrimSpace(v)) == len(dateLayout) {
			t = t.Add(24*time.Hour - time.Second) // a bare date includes the whole day
		}
		to = t
	}
	start := 0
	l := s.list.Load()
	if prev := strings.TrimSpace(q.Get("PreviousItemNo")); prev != "" {
		i, ok := l.bySKU[strings.ToUpper(prev)]
		if !ok {
			return nil, bizErrf("Item %s not found", prev)
		}
		start = i + 1
	}
	var page []*catalog.LogicomItem
	more := false
	for i := start; i < len(l.items); i++ {
		it := l.items[i]
		// The seed has no discontinued flag: a discontinued item simply
		// leaves the catalog (PostOrder still names it as blocked).
		if it.Discontinued {
			continue
		}
		if pid != "" && !strings.EqualFold(it.SKU, pid) {
			continue
		}
		if brand != "" && !strings.EqualFold(it.Brand, brand) && !strings.EqualFold(it.Manufacturer, brand) {
			continue
		}
		if category != "" && it.CategoryID != category && !strings.HasPrefix(it.CategoryID, category+"-") {
			continue
		}
		if !from.IsZero() && it.Modified.Before(from) {
			continue
		}
		if !to.IsZero() && it.Modified.After(to) {
			continue
		}
		if len(page) == PageSize {
			more = true
			break
		}
		page = append(page, it)
	}
	s.mu.Lock()
	stock := make([]int, len(page))
	for i, it := range page {
		stock[i] = s.stock[strings.ToUpper(it.SKU)]
	}
	s.mu.Unlock()
	msg := make([]obj, 0, len(page))
	for i, it := range page {
		msg = append(msg, s.productJSON(it, cur, stock[i]))
	}
	out := envelope(1, statusOK, msg)
	if more {
		out = append(out, kv{"NextItemNo", page[len(page)-1].SKU})
	}
	return out, nil
}

func (s *Server) productJSON(it *catalog.LogicomItem, cur string, stock int) obj {
	h := hashOf(it.SKU)
	p := it.Prices[cur]
	esdKey := "IsESD"
	if h%2 == 0 {
		esdKey = " IsESD "
	}
	price := obj{{"PriceExclVAT", money(p.Price)}}
	if p.SpecialPrice > 0 {
		price = append(price, kv{"SpecialPrice", money(p.SpecialPrice)}, kv{"StartDate", fmtDate(p.SpecialStart)}, kv{"EndDate", fmtDate(p.SpecialEnd)})
	}
	price = append(price, kv{"VAT", short(it.VATPercent)})
	if h%3 == 0 {
		price = append(price, kv{"RecycleTax", short(p.RecycleTax)})
	} else {
		price = append(price, kv{"Recycle Tax", short(p.RecycleTax)})
	}
	price = append(price, kv{"Currency", cur})
	if vp := volumeJSON(p); vp != nil {
		price = append(price, kv{"VolumePrice", vp})
	}
	o := obj{
		{"SKU", it.SKU},
		{"Name", it.Name},
		{"Description", it.Description},
		{"Manufacturer", it.Manufacturer},
		{"Category", s.catName[it.CategoryID]},
		{esdKey, boolStr(it.ESD)},
		{"IsEUItem", boolStr(it.EndUserForm)},
		{"Barcode", it.Barcode},
		{"HasVariantProducts", boolStr(len(it.Variants) > 0)},
		{"Price", price},
		{"IntelPoints", "0"},
		{"Warranty", it.Warranty},
	}
	if len(it.Variants) > 0 {
		o = append(o, kv{"Variants", variantsJSON(it, cur, stock)})
	}
	if h%4 == 1 {
		specs := obj{}
		for _, sp := range it.Specifications {
			specs = append(specs, kv{sp.Name, sp.Value})
		}
		o = append(o, kv{"Specifications", specs})
	} else {
		specs := make([]obj, 0, len(it.Specifications))
		for _, sp := range it.Specifications {
			specs = append(specs, obj{{"Name", sp.Name}, {"Value", sp.Value}})
		}
		o = append(o, kv{"Specifications", specs})
	}
	inv := obj{{"Quantity", itoa(stock)}}
	if po := poJSON(it.Incoming, "PO Delivery Date "); po != nil {
		inv = append(inv, kv{"PO", po})
	}
	o = append(o, kv{"Inventory", inv})
	imgs := it.ImageURLs
	if imgs == nil {
		imgs = []string{}
	}
	o = append(o, kv{"Images", imgs})
	return o
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func itoa(n int) string { return strconv.Itoa(n) }

// volumeJSON is nil without breaks, an object for one break, else an array.
func volumeJSON(p catalog.LogicomPrice) any {
	if len(p.Volume) == 0 {
		return nil
	}
	vs := make([]obj, 0, len(p.Volume))
	for _, v := range p.Volume {
		disc := 0.0
		if p.Price > 0 {
			disc = (p.Price - v.Price) / p.Price * 100
		}
		vs = append(vs, obj{{"Quantity", itoa(v.Quantity)}, {"PriceExclVAT", money(v.Price)}, {"Discount %", money(disc)}})
	}
	if len(vs) == 1 {
		return vs[0]
	}
	return vs
}

// poJSON is nil without POs, an object for one PO, else an array.
func poJSON(pos []catalog.PurchaseOrder, dateKey string) any {
	if len(pos) == 0 {
		return nil
	}
	out := make([]obj, 0, len(pos))
	for _, p := range pos {
		out = append(out, obj{{"Quantity", itoa(p.Quantity)}, {dateKey, fmtDate(p.DeliveryDate)}})
	}
	if len(out) == 1 {
		return out[0]
	}
	return out
}

func variantsJSON(it *catalog.LogicomItem, cur string, stock int) []obj {
	p := it.Prices[cur]
	out := make([]obj, 0, len(it.Variants))
	for _, v := range it.Variants {
		out = append(out, obj{{"Id", v.VariantID}, {"Title", v.Name}, {"Price", money(p.Price)},
			{"ListPrice", money(max(p.RRP, p.Price))}, {"Inventory", itoa(stock)}, {"Barcodes", ""}})
	}
	return out
}

func (s *Server) getPrice(r *http.Request) (obj, error) {
	q := query(r)
	cur, err := s.currency(q.Get("Currency"))
	if err != nil {
		return nil, err
	}
	skus := skuList(q.Get("ProductId"))
	if len(skus) == 0 {
		return nil, bizErrf("ProductId is required")
	}
	msg := []obj{}
	for _, sku := range skus {
		it, ok := s.item(sku)
		if !ok {
			continue // unknown SKUs are left out
		}
		p := it.Prices[cur]
		o := obj{{"SKU", it.SKU}, {"PriceExclVAT", money(p.Price)}}
		if p.SpecialPrice > 0 {
			o = append(o, kv{"SpecialPrice", money(p.SpecialPrice)}, kv{"StartDate", fmtDate(p.SpecialStart)}, kv{"EndDate", fmtDate(p.SpecialEnd)})
		}
		o = append(o, kv{"VAT", money(it.VATPercent)}, kv{"RecycleTax", short(p.RecycleTax)}, kv{"Currency", cur})
		if vp := volumeJSON(p); vp != nil {
			o = append(o, kv{"VolumePrice", vp})
		}
		msg = append(msg, o)
	}
	return envelope(1, statusOK, msg), nil
}

func (s *Server) getInventory(r *http.Request) (obj, error) {
	skus := skuList(query(r).Get("ProductId"))
	if len(skus) == 0 {
		return nil, bizErrf("ProductId is required")
	}
	msg := []obj{}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sku := range skus {
		it, ok := s.item(sku)
		if !ok {
			continue
		}
		st := s.stock[strings.ToUpper(it.SKU)]
		o := obj{{"SKU", it.SKU}, {"Inventory", itoa(st)}}
		if len(it.Variants) > 0 {
			o = append(o, kv{"Variants", variantsJSON(it, s.acct.Currencies[0], st)})
		}
		if po := poJSON(it.Incoming, "PO Delivery Date"); po != nil {
			o = append(o, kv{"PO", po})
		}
		msg = append(msg, o)
	}
	return envelope(1, statusOK, msg), nil
}

func (s *Server) getCategories(*http.Request) (obj, error) {
	msg := []obj{}
	for _, top := range s.cat.Logicom.Categories {
		if top.ParentID != "" {
			continue
		}
		subs := []obj{}
		for _, c := range s.cat.Logicom.Categories {
			if strings.HasPrefix(c.ID, top.ID+"-") {
				subs = append(subs, obj{{"Id", c.ID}, {"Name", c.Name}})
			}
		}
		msg = append(msg, obj{{"Id", top.ID}, {"Name", top.Name}, {"Subcategories", subs}})
	}
	return envelope(1, statusOK, msg), nil
}

func (s *Server) getBrands(*http.Request) (obj, error) {
	msg := []obj{}
	for _, b := range s.cat.Logicom.Brands {
		msg = append(msg, obj{{"Brand", b.Name}})
	}
	return envelope(1, statusOK, msg), nil
}

func addrJSON(a catalog.LogicomAddress, typ string, withID bool) obj {
	o := obj{}
	if withID {
		o = append(o, kv{"Id", a.ID})
	}
	return append(o, kv{"Address1", a.Address1}, kv{"Address2", a.Address2}, kv{"City", a.City},
		kv{"PostCode", a.ZipCode}, kv{"Country", a.CountryCode}, kv{"Type", typ}, kv{"Phone", a.Phone})
}

func (s *Server) getAccountDetails(*http.Request) (obj, error) {
	ships := []obj{}
	for _, a := range s.acct.ShipTo {
		ships = append(ships, addrJSON(a, "Shipping Address", true))
	}
	msg := obj{
		{"Addresses", obj{{"Address", addrJSON(s.acct.Billing, "Billing Address", false)}, {"ShippingAddresses", ships}}},
		{"Ecommerce", obj{{"Name", s.acct.EcommerceName}, {"Email", s.acct.EcommerceEmail}}},
	}
	return envelope(1, statusOK, msg), nil
}
