package engine

import (
	"context"
	"strconv"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// searchable are the advanced-search fields (protocol §4.2 #22): each is a
// ProductInfo member the restrictions are checked against.
var searchable = []struct {
	key  string
	kind so.FieldType
	list string
	name so.Text
}{
	{"Name", so.FieldText, "", so.Text{US: "Name", NO: "Navn", GE: "Name"}},
	{"Code", so.FieldText, "", so.Text{US: "Part number", NO: "Varenummer", GE: "Artikelnummer"}},
	{"Supplier", so.FieldText, "", so.Text{US: "Manufacturer", NO: "Produsent", GE: "Hersteller"}},
	{"Description", so.FieldText, "", so.Text{US: "Description", NO: "Beskrivelse", GE: "Beschreibung"}},
	{"ProductCategoryKey", so.FieldList, "ProductCategory", so.Text{US: "Category", NO: "Kategori", GE: "Kategorie"}},
	{"ProductFamilyKey", so.FieldList, "ProductFamily", so.Text{US: "Brand", NO: "Merke", GE: "Marke"}},
	{"InStock", so.FieldInteger, "", so.Text{US: "In stock", NO: "På lager", GE: "Auf Lager"}},
	{"UnitCost", so.FieldDouble, "", so.Text{US: "Cost", NO: "Kost", GE: "Einkaufspreis"}},
	{"UnitListPrice", so.FieldDouble, "", so.Text{US: "List price", NO: "Listepris", GE: "Listenpreis"}},
	{"ERPPriceListKey", so.FieldText, "", so.Text{US: "Price list", NO: "Prisliste", GE: "Preisliste"}},
}

// SearchableFields answers #22.
func (e *Engine) SearchableFields() []so.FieldMetadataInfo {
	out := make([]so.FieldMetadataInfo, len(searchable))
	for i, f := range searchable {
		out[i] = so.FieldMetadataInfo{FieldKey: f.key, Rank: (i + 1) * 10, DisplayName: f.name.String(), DisplayDescription: f.name.String(), FieldType: f.kind, ListName: f.list}
	}
	return out
}

// SearchResults answers #23: the text restrictions become the distributor
// search, then every restriction is applied to the results (AND).
func (e *Engine) SearchResults(ctx context.Context, c Call, restrictions []so.SearchRestrictionInfo) ([]so.ProductInfo, error) {
	var words []string
	var q distributors.Query
	priceList := ""
	for _, r := range restrictions {
		vals := stripAll(r.Values)
		if len(vals) == 0 {
			continue
		}
		switch strings.ToLower(r.Name) {
		case "erppricelistkey":
			if op := strings.ToLower(strings.TrimSpace(r.Operator)); op == "=" || op == "in" || op == "" {
				priceList = vals[0]
			}
		case "name", "code", "supplier", "description", "productfamilykey":
			op := strings.ToLower(strings.TrimSpace(r.Operator))
			if op == "!=" {
				continue
			}
			for _, v := range vals {
				words = append(words, strings.Trim(v, "% "))
			}
			// One value is a word list a catalog can look for in the
			// field; several ("in") are alternatives, left to the text.
			if len(vals) == 1 && op != "in" {
				v := strings.Trim(vals[0], "% ")
				switch strings.ToLower(r.Name) {
				case "name":
					q.Name = v
				case "code":
					q.Code = v
				case "supplier":
					q.Supplier = v
				}
			}
		case "productcategorykey":
			if op := strings.ToLower(strings.TrimSpace(r.Operator)); op == "=" || op == "in" || op == "" {
				q.Categories = vals
			}
		}
	}
	text := strings.TrimSpace(strings.Join(words, " "))
	if text == "" {
		text = "%"
	}
	// Ask for more than the cap: restrictions filter afterwards.
	wide := c
	wide.Conn.MaxResults = c.Conn.MaxResults * 4
	q.Text = text
	found, err := e.findProducts(ctx, wide, "", q, priceList)
	if err != nil {
		return nil, err
	}
	out := []so.ProductInfo{}
	for _, p := range found {
		if matchesAll(p, restrictions) {
			out = append(out, p)
			if len(out) == c.Conn.MaxResults {
				break
			}
		}
	}
	return out, nil
}

func stripAll(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = so.StripMarker(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func matchesAll(p so.ProductInfo, rs []so.SearchRestrictionInfo) bool {
	for _, r := range rs {
		if !matches(p, r) {
			return false
		}
	}
	return true
}

// matches applies one restriction (protocol §5.18); unknown fields match.
func matches(p so.ProductInfo, r so.SearchRestrictionInfo) bool {
	vals := stripAll(r.Values)
	op := strings.ToLower(strings.TrimSpace(r.Operator))
	var s string
	var n float64
	numeric := false
	switch strings.ToLower(r.Name) {
	case "name":
		s = p.Name
	case "code":
		s = p.Code
	case "supplier":
		s = p.Supplier
	case "description":
		s = p.Description
	case "productcategorykey":
		s = p.ProductCategoryKey
	case "productfamilykey":
		s = p.ProductFamilyKey
	case "erppricelistkey":
		s = p.ERPPriceListKey
	case "instock":
		n, numeric = p.InStock, true
	case "unitcost":
		n, numeric = p.UnitCost, true
	case "unitlistprice":
		n, numeric = p.UnitListPrice, true
	default:
		return true
	}
	if len(vals) == 0 {
		return true
	}
	if numeric {
		nums := make([]float64, 0, len(vals))
		for _, v := range vals {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return false
			}
			nums = append(nums, f)
		}
		switch op {
		case "=", "":
			return n == nums[0]
		case "!=":
			return n != nums[0]
		case "<":
			return n < nums[0]
		case ">":
			return n > nums[0]
		case "<=":
			return n <= nums[0]
		case ">=":
			return n >= nums[0]
		case "between":
			return len(nums) == 2 && n >= nums[0] && n <= nums[1]
		case "in":
			for _, v := range nums {
				if n == v {
					return true
				}
			}
			return false
		}
		return false
	}
	ls := strings.ToLower(s)
	first := strings.ToLower(vals[0])
	switch op {
	case "=", "":
		return likeMatch(ls, first)
	case "!=":
		return !likeMatch(ls, first)
	case "begins":
		return strings.HasPrefix(ls, strings.Trim(first, "%"))
	case "contains":
		return strings.Contains(ls, strings.Trim(first, "%"))
	case "in":
		for _, v := range vals {
			if strings.EqualFold(s, v) {
				return true
			}
		}
		return false
	case "<":
		return ls < first
	case ">":
		return ls > first
	case "between":
		return len(vals) == 2 && ls >= first && ls <= strings.ToLower(vals[1])
	}
	return false
}

// likeMatch is equality with % as a 0-or-more wildcard.
func likeMatch(s, pattern string) bool {
	if !strings.Contains(pattern, "%") {
		return s == pattern
	}
	parts := strings.Split(pattern, "%")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, part := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(s, part)
		}
		j := strings.Index(s, part)
		if j < 0 {
			return false
		}
		s = s[j+len(part):]
	}
	return true
}
