package catalog

import (
	"fmt"
	"strings"
)

// Example names stable products of a generated catalog for docs, the README
// walk-through and tests. It is computed from the data (first match in
// catalog order), so it is stable for a given seed.
//
// With DefaultSeed the values are listed by `go test -run TestPrintExample -v
// ./internal/sandbox/catalog` and quoted in the report of the sandbox work.
type Example struct {
	// SharedPart is a part number stocked by both Logicom and Nuvias.
	SharedPart string
	// SharedLogicomCheaper: both have stock, Logicom is cheaper at qty 1.
	SharedLogicomCheaper string
	// SharedNuviasCheaper: both have stock, Nuvias is cheaper at qty 1.
	SharedNuviasCheaper string
	// SharedCheaperNoStock: the cheaper source has zero stock, the other has stock.
	SharedCheaperNoStock string
	// NuviasIDOf maps the shared part numbers above to their Nuvias ids.
	NuviasIDOf map[string]int

	VolumeSKU        string // Logicom item with at least two volume breaks
	SpecialSKU       string // Logicom item whose special price is valid today
	ZeroStockPOSKU   string // Logicom item with stock 0 and an incoming PO
	ESDSKU           string // Logicom ESD (software licence) item
	EndUserFormSKU   string // Logicom item needing the end-user form
	DiscontinuedSKU  string // Logicom discontinued item
	HashSKU          string // Logicom SKU containing '#'
	InStockSKU       string // plain Logicom item: stock ≥ 10, no ESD/EUF/volume/special
	NuviasSubscripID int    // Nuvias subscription product with rate plans
	NuviasNoDiscount int    // Nuvias product with Discountable=false
	WestconOrder     string // Westcon order number (type W) with mixed line states
	WestconCustomer  string // its customer order number (type C)
}

// Example computes the named products.
func (c *Catalog) Example() Example {
	e := Example{NuviasIDOf: map[string]int{}}
	nv := map[string]*NuviasProduct{}
	for i := range c.Nuvias.Products {
		p := &c.Nuvias.Products[i]
		nv[strings.ToUpper(p.ProductCode)] = p
		if e.NuviasSubscripID == 0 && p.ProductType == "Subscription" && len(p.RatePlans) > 0 && !p.Discontinued {
			e.NuviasSubscripID = p.ID
		}
		if e.NuviasNoDiscount == 0 && !p.Discountable && !p.Discontinued && p.Stock > 0 {
			e.NuviasNoDiscount = p.ID
		}
	}
	for i := range c.Logicom.Items {
		it := &c.Logicom.Items[i]
		lp := it.Prices["EUR"]
		if p, ok := nv[strings.ToUpper(it.SKU)]; ok {
			l := lp.Effective(1, c.Today)
			set := func(dst *string) {
				if *dst == "" {
					*dst = it.SKU
					e.NuviasIDOf[it.SKU] = p.ID
				}
			}
			set(&e.SharedPart)
			switch {
			case it.Stock > 0 && p.Stock > 0 && l < p.Price:
				set(&e.SharedLogicomCheaper)
			case it.Stock > 0 && p.Stock > 0 && p.Price < l:
				set(&e.SharedNuviasCheaper)
			case (l < p.Price && it.Stock == 0 && p.Stock > 0) || (p.Price < l && p.Stock == 0 && it.Stock > 0):
				set(&e.SharedCheaperNoStock)
			}
		}
		switch {
		case e.VolumeSKU == "" && len(lp.Volume) >= 2 && !it.ESD && !it.EndUserForm && !it.Discontinued && it.Stock > 0:
			e.VolumeSKU = it.SKU
		case e.SpecialSKU == "" && lp.SpecialValid(c.Today) && !it.ESD && !it.EndUserForm && !it.Discontinued && it.Stock > 0:
			e.SpecialSKU = it.SKU
		case e.ZeroStockPOSKU == "" && it.Stock == 0 && len(it.Incoming) > 0 && !it.ESD && !it.EndUserForm && !it.Discontinued:
			e.ZeroStockPOSKU = it.SKU
		case e.ESDSKU == "" && it.ESD && !it.EndUserForm && !it.Discontinued:
			e.ESDSKU = it.SKU
		case e.EndUserFormSKU == "" && it.EndUserForm && !it.ESD && !it.Discontinued && it.Stock > 0:
			e.EndUserFormSKU = it.SKU
		case e.DiscontinuedSKU == "" && it.Discontinued:
			e.DiscontinuedSKU = it.SKU
		case e.HashSKU == "" && strings.Contains(it.SKU, "#") && !it.Discontinued && it.Stock > 0 && !it.EndUserForm:
			e.HashSKU = it.SKU
		case e.InStockSKU == "" && it.Stock >= 10 && !it.ESD && !it.EndUserForm && !it.Discontinued &&
			len(lp.Volume) == 0 && lp.SpecialPrice == 0 && len(it.Variants) == 0:
			e.InStockSKU = it.SKU
		}
	}
	for _, o := range c.Westcon.Orders {
		codes := map[string]bool{}
		for _, l := range o.Lines {
			codes[l.StatusCode] = true
		}
		if len(codes) >= 3 {
			e.WestconOrder, e.WestconCustomer = o.WestconNumber, o.CustomerNumber
			break
		}
	}
	return e
}

// Summary is a one-line description of the catalog's size.
func (c *Catalog) Summary() string {
	shared := 0
	nv := map[string]bool{}
	for _, p := range c.Nuvias.Products {
		nv[strings.ToUpper(p.ProductCode)] = true
	}
	for _, it := range c.Logicom.Items {
		if nv[strings.ToUpper(it.SKU)] {
			shared++
		}
	}
	return fmt.Sprintf("seed %d, today %s: Logicom %d items in %d categories, Nuvias %d products from %d vendors, %d shared part numbers, Westcon %d orders",
		c.Seed, c.Today.Format("2006-01-02"), len(c.Logicom.Items), len(c.Logicom.Categories),
		len(c.Nuvias.Products), len(c.Nuvias.Vendors), shared, len(c.Westcon.Orders))
}
