package logicom

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// Wire types of the Logicom API (seed logicom-rest-api.txt). Each decodes
// itself through object, so stray spaces and alternative spellings of keys
// are found (normKey) and scalar types are loose.

// wireProduct is one GetProducts item.
type wireProduct struct {
	SKU          string
	Name         string
	Description  string
	Manufacturer string
	Brand        string
	Category     string // the seed sends the category name ("Monitors")
	CategoryID   string // sent by some accounts; else looked up by name
	Barcode      string
	Warranty     string
	URL          string
	VAT          float64
	ESD          bool // " IsESD "
	EndUserForm  bool // "IsEUItem" / "Is EUItem"
	Discontinued bool
	Price        *wirePrice
	Variants     []wireVariant
	Specs        []wireSpec
	Inventory    *wireInventory
	Images       []string
}

func (p *wireProduct) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	*p = wireProduct{
		SKU:          o.str("sku", "itemno", "productid"),
		Name:         o.str("name", "title"),
		Description:  o.str("description"),
		Manufacturer: o.str("manufacturer", "vendor"),
		Brand:        o.str("brand"),
		Barcode:      o.str("barcode", "ean"),
		Warranty:     o.str("warranty"),
		URL:          o.str("url", "producturl", "link"),
		VAT:          o.num("vat", "vatpercent"),
		ESD:          o.flag("isesd", "esd"),
		EndUserForm:  o.flag("iseuitem", "iseu", "enduserform", "isenduser"),
		Discontinued: o.flag("isdiscontinued", "discontinued", "eol"),
	}
	// Category: a name, an id, or an object {Id, Name}.
	if raw := o.get("category"); len(bytes.TrimSpace(raw)) > 0 && bytes.TrimSpace(raw)[0] == '{' {
		co, err := parseObject(raw)
		if err != nil {
			return err
		}
		p.CategoryID, p.Category = co.str("id", "categoryid"), co.str("name")
	} else {
		p.Category = o.str("category", "categoryname")
		p.CategoryID = o.str("categoryid", "categorycode")
	}
	if p.CategoryID == "" && looksLikeCategoryID(p.Category) {
		p.CategoryID = p.Category
	}
	if !isEmptyJSON(o.get("price")) {
		var pr wirePrice
		if err := o.decode(&pr, "price"); err != nil {
			return err
		}
		p.Price = &pr
	}
	if p.Variants, err = many[wireVariant](o, "variants", "variant"); err != nil {
		return err
	}
	var sp wireSpecs
	if err := o.decode(&sp, "specifications", "specs"); err != nil {
		return err
	}
	p.Specs = sp
	if !isEmptyJSON(o.get("inventory")) {
		inv := wireInventory{}
		raw := bytes.TrimSpace(o.get("inventory"))
		if raw[0] == '{' {
			if err := json.Unmarshal(raw, &inv); err != nil {
				return err
			}
		} else { // a bare quantity
			inv.Quantity = o.num("inventory")
		}
		p.Inventory = &inv
	}
	var imgs oneOrMany[string]
	if err := o.decode(&imgs, "images", "image"); err != nil {
		return err
	}
	for _, u := range imgs {
		if u = strings.TrimSpace(u); u != "" {
			p.Images = append(p.Images, u)
		}
	}
	return nil
}

// looksLikeCategoryID reports whether s is a hierarchical id like "100-10-1".
func looksLikeCategoryID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// wirePrice is a GetPrice item or a GetProducts Price block.
type wirePrice struct {
	SKU          string
	Price        float64 // PriceExclVAT
	RRP          float64
	DiscountPct  float64 // "Discount %" on the price itself (RRP → price)
	SpecialPrice float64
	StartDate    time.Time
	EndDate      time.Time
	VAT          float64
	RecycleTax   float64 // "RecycleTax", "Recycle Tax", "GreenTax"
	Currency     string
	Volume       []wireVolumePrice
}

func (p *wirePrice) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	*p = wirePrice{
		SKU:          o.str("sku", "itemno", "productid"),
		Price:        o.num("priceexclvat", "price", "unitprice"),
		RRP:          o.num("rrp", "listprice", "retailprice", "msrp"),
		DiscountPct:  o.num("discount", "discountpercent"),
		SpecialPrice: o.num("specialprice"),
		StartDate:    o.date("startdate", "specialstartdate"),
		EndDate:      o.date("enddate", "specialenddate"),
		VAT:          o.num("vat"),
		RecycleTax:   o.num("recycletax", "greentax", "ecotax"),
		Currency:     strings.ToUpper(o.str("currency")),
	}
	p.Volume, err = many[wireVolumePrice](o, "volumeprice", "volumeprices")
	return err
}

type wireVolumePrice struct {
	Quantity    float64
	Price       float64
	DiscountPct float64
}

func (v *wireVolumePrice) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	*v = wireVolumePrice{
		Quantity:    o.num("quantity", "qty", "minquantity"),
		Price:       o.num("priceexclvat", "price"),
		DiscountPct: o.num("discount", "discountpercent"),
	}
	return nil
}

// wireVariant is a product variant (GetProducts, GetInventory).
type wireVariant struct {
	ID        string
	Title     string
	Price     float64
	ListPrice float64
	Inventory float64
	Barcodes  string
}

func (v *wireVariant) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	*v = wireVariant{
		ID:        o.str("id", "variantid"),
		Title:     o.str("title", "name"),
		Price:     o.num("price"),
		ListPrice: o.num("listprice"),
		Inventory: o.num("inventory", "quantity", "stock"),
		Barcodes:  o.str("barcodes", "barcode"),
	}
	return nil
}

type wireSpec struct{ Name, Value string }

func (s *wireSpec) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	s.Name, s.Value = o.str("name"), o.str("value")
	return nil
}

// wireSpecs is Specifications: an array of {Name, Value} or an object
// {"License quantity": "5 license(s)"}.
type wireSpecs []wireSpec

func (s *wireSpecs) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if isEmptyJSON(b) {
		return nil
	}
	if b[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(b))
		if _, err := dec.Token(); err != nil {
			return err
		}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return err
			}
			k, _ := kt.(string)
			*s = append(*s, wireSpec{strings.TrimSpace(k), strings.TrimSpace(rawString(raw))})
		}
		return nil
	}
	var m oneOrMany[wireSpec]
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for _, sp := range m {
		if sp.Name != "" {
			*s = append(*s, sp)
		}
	}
	return nil
}

// wireInventory is a GetInventory item or a GetProducts Inventory block.
type wireInventory struct {
	SKU      string
	Quantity float64
	Variants []wireVariant
	PO       []wirePO
}

func (inv *wireInventory) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	*inv = wireInventory{
		SKU:      o.str("sku", "itemno", "productid"),
		Quantity: o.num("inventory", "quantity", "stock"),
	}
	if inv.Variants, err = many[wireVariant](o, "variants"); err != nil {
		return err
	}
	inv.PO, err = many[wirePO](o, "po", "pos", "purchaseorders")
	return err
}

type wirePO struct {
	Quantity float64
	Date     time.Time
}

func (p *wirePO) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	p.Quantity = o.num("quantity")
	p.Date = o.date("podeliverydate", "deliverydate", "date")
	return nil
}

// wireCategory is a GetProductCategories entry, Subcategories nested or
// flat.
type wireCategory struct {
	ID   string
	Name string
	Subs []wireCategory
}

func (c *wireCategory) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	c.ID, c.Name = o.str("id", "categoryid"), o.str("name", "categoryname")
	c.Subs, err = many[wireCategory](o, "subcategories", "children", "productcategory")
	return err
}

// wireBrand is a GetBrands entry {"Brand": "ACRONIS"}.
type wireBrand struct{ Name string }

func (w *wireBrand) UnmarshalJSON(b []byte) error {
	if s := strings.TrimSpace(rawString(b)); s != "" { // a bare string
		w.Name = s
		return nil
	}
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	w.Name = o.str("brand", "name", "brandname")
	return nil
}

// wireAddress is an address of GetAccountDetails or GetDocumentDetails.
type wireAddress struct {
	ID, Name, Address1, Address2, Address3, City, PostCode, Country, Type, Phone string
}

func (a *wireAddress) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	*a = wireAddress{
		ID:       o.str("id", "code"),
		Name:     o.str("name", "companyname"),
		Address1: o.str("address1", "address"),
		Address2: o.str("address2"),
		Address3: o.str("address3"),
		City:     o.str("city"),
		PostCode: o.str("postcode", "zipcode", "zip", "postalcode"),
		Country:  o.str("country", "countrycode"),
		Type:     o.str("type"),
		Phone:    o.str("phone", "phonenumber"),
	}
	return nil
}

// wireAccount is GetAccountDetails' Message.
type wireAccount struct {
	Billing  []wireAddress
	Shipping []wireAddress
	Name     string
	Email    string
}

func (a *wireAccount) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	addrs, err := parseObject(o.get("addresses"))
	if err != nil {
		return err
	}
	if a.Billing, err = many[wireAddress](addrs, "address", "billingaddress"); err != nil {
		return err
	}
	if a.Shipping, err = many[wireAddress](addrs, "shippingaddresses", "shippingadresses", "shippingaddress"); err != nil {
		return err
	}
	eco, err := parseObject(o.get("ecommerce"))
	if err != nil {
		return err
	}
	a.Name, a.Email = eco.str("name"), eco.str("email")
	return nil
}

// wireDocument is a GetDocuments / GetPendingInvoices entry.
type wireDocument struct {
	DocumentNo   string
	Status       string
	OrderDate    time.Time
	DocumentDate time.Time
	DueDate      time.Time
	ShipmentDate time.Time
	OrderNo      string // the order an invoice belongs to, when sent
	ExternalNo   string
}

func (d *wireDocument) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	*d = wireDocument{
		DocumentNo:   o.str("documentno", "invoiceno", "documentid"),
		Status:       o.str("status", "orderstatus"),
		OrderDate:    o.date("orderdate"),
		DocumentDate: o.date("documentdate", "postingdate"),
		DueDate:      o.date("duedate"),
		ShipmentDate: o.date("shipmentdate", "shipnmentdate"), // sic: GetPendingInvoices example
		OrderNo:      o.str("orderno", "ordernumber", "orderdocumentno", "orderid", "salesorderno"),
		ExternalNo:   o.str("externaldocumentno", "referenceno"),
	}
	return nil
}

// wireDocumentDetails is GetDocumentDetails' Message.
type wireDocumentDetails struct {
	Header    wireDocument
	Addresses []wireAddress
	Items     []wireDocumentItem
	Invoices  []string // invoice numbers, when the account sends them
	Total     float64
}

func (d *wireDocumentDetails) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' { // Message as a one-element array
		var arr []wireDocumentDetails
		if err := json.Unmarshal(b, &arr); err != nil {
			return err
		}
		if len(arr) > 0 {
			*d = arr[0]
		}
		return nil
	}
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	if err := o.decode(&d.Header, "orderheader", "header", "documentheader"); err != nil {
		return err
	}
	if d.Addresses, err = many[wireAddress](o, "orderaddresses", "addresses"); err != nil {
		return err
	}
	if d.Items, err = many[wireDocumentItem](o, "orderitems", "items", "lines"); err != nil {
		return err
	}
	for _, k := range []string{"invoices", "invoicenos", "invoiceno", "invoice"} {
		for _, raw := range o.all(k) {
			var docs oneOrMany[wireInvoiceRef]
			if err := json.Unmarshal(raw, &docs); err != nil {
				return err
			}
			for _, r := range docs {
				if r.No != "" {
					d.Invoices = append(d.Invoices, r.No)
				}
			}
		}
	}
	if tot, err := parseObject(o.get("ordertotals", "totals")); err == nil {
		d.Total = tot.num("total")
	}
	return nil
}

// wireInvoiceRef is an invoice number as a string or {"DocumentNo": ...}.
type wireInvoiceRef struct{ No string }

func (r *wireInvoiceRef) UnmarshalJSON(b []byte) error {
	if s := strings.TrimSpace(rawString(b)); s != "" {
		r.No = s
		return nil
	}
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	r.No = o.str("documentno", "invoiceno", "id")
	return nil
}

type wireDocumentItem struct {
	ItemNo       string
	Variant      string
	Title        string
	ShippingDate time.Time
	Quantity     float64
	Outstanding  float64
	HasOutst     bool
	Price        float64
	Total        float64
	Status       string
	InvoiceNo    string
	Tracking     []string
}

func (it *wireDocumentItem) UnmarshalJSON(b []byte) error {
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	*it = wireDocumentItem{
		ItemNo:       o.str("itemno", "sku", "productid"),
		Variant:      o.str("variantid", "variant"),
		Title:        o.str("title", "name", "description"),
		ShippingDate: o.date("shippingdate", "shipmentdate", "shipdate"),
		Quantity:     o.num("quantity", "qty"),
		Outstanding:  o.num("outst", "outstanding", "outstandingquantity"),
		HasOutst:     o.has("outst", "outstanding", "outstandingquantity"),
		Price:        o.num("price"),
		Total:        o.num("total"),
		Status:       o.str("status"),
		InvoiceNo:    o.str("invoiceno", "invoice"),
	}
	var tr oneOrMany[string]
	if err := o.decode(&tr, "tracking", "trackingno", "trackingnumber"); err == nil {
		it.Tracking = tr
	}
	return nil
}

// wireOrderResult is PostOrder's success Message {"DocumentNo","Status"}.
type wireOrderResult struct {
	DocumentNo string
	Status     string
}

func (r *wireOrderResult) UnmarshalJSON(b []byte) error {
	if s := strings.TrimSpace(rawString(b)); s != "" {
		r.DocumentNo = s
		return nil
	}
	o, err := parseObject(b)
	if err != nil {
		return err
	}
	r.DocumentNo, r.Status = o.str("documentno", "orderno", "documentid"), o.str("status")
	return nil
}
