package engine

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/quoteconnector/quoteconnector/internal/settings"
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

// MaxRestrictionValues is the most values, over all restrictions, one
// GetSearchResults call takes; the handler answers 400 above it.
const MaxRestrictionValues = 500

// RestrictionValues counts the values of the restrictions (Values and
// ScalarValue).
func RestrictionValues(rs []so.SearchRestrictionInfo) int {
	n := 0
	for _, r := range rs {
		n += len(r.Values)
		if r.ScalarValue != "" {
			n++
		}
	}
	return n
}

// maxDrivingSearches bounds the distributor searches one restriction may
// start (an `in` with many values); above it the search lists everything
// and the restrictions filter.
const maxDrivingSearches = 10

// textFields are the ProductInfo members a distributor's free-text search
// looks at, most selective first: a restriction on one of them can drive
// the search.
var textFields = []string{"code", "name", "supplier", "productfamilykey", "description"}

// SearchResults answers #23. One restriction drives the distributor search
// (its values become free-text searches, one per value of an `in`); every
// restriction is then applied to the results (AND), and the total is capped
// at search.maxResults.
func (e *Engine) SearchResults(ctx context.Context, c Call, restrictions []so.SearchRestrictionInfo) ([]so.ProductInfo, error) {
	priceList := ""
	for _, r := range restrictions {
		if strings.EqualFold(r.Field(), "ERPPriceListKey") {
			if op := normOp(r.Operator); op == "=" || op == "" || (op == "in" && len(stripAll(r.AllValues())) == 1) {
				priceList = so.StripMarker(r.Value())
			}
		}
	}
	texts := drivingTexts(restrictions)
	// Ask for more than the cap, since restrictions filter afterwards, but
	// never past the ceiling of search.maxResults: Logicom pages 10
	// products per call.
	wide := c
	wide.Conn.MaxResults = min(c.Conn.MaxResults*4, settings.MaxSearchResults)
	found, err := e.searchEach(ctx, wide, texts, priceList)
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

// drivingTexts picks the restriction whose values make the fewest, most
// selective free-text searches: =, begins and contains give one search,
// in one per value. Operators that are not "equal to something" (!=, <, >,
// between) cannot drive a search. No candidate: "%" (everything).
func drivingTexts(rs []so.SearchRestrictionInfo) []string {
	var best []string
	bestRank := len(textFields)
	for _, r := range rs {
		rank := slices.Index(textFields, strings.ToLower(r.Field()))
		if rank < 0 {
			continue
		}
		var vals []string
		switch normOp(r.Operator) {
		case "=", "", "begins", "contains":
			vals = stripAll([]string{r.Value()})
		case "in":
			vals = stripAll(r.AllValues())
		default:
			continue
		}
		var texts []string
		for _, v := range vals {
			if t := searchText(v); t != "" && !slices.Contains(texts, t) {
				texts = append(texts, t)
			}
		}
		if len(texts) == 0 || len(texts) > maxDrivingSearches {
			continue
		}
		if best == nil || len(texts) < len(best) || (len(texts) == len(best) && rank < bestRank) {
			best, bestRank = texts, rank
		}
	}
	if best == nil {
		return []string{"%"}
	}
	return best
}

// searchText is the longest run of a value without the % wildcard: the part
// a free-text search can look for.
func searchText(v string) string {
	longest := ""
	for _, part := range strings.Split(v, "%") {
		if part = strings.TrimSpace(part); len(part) > len(longest) {
			longest = part
		}
	}
	return longest
}

// searchEach runs one FindProduct per text, a few at a time, and joins the
// results without duplicates, in text order. It fails only when every
// search did.
func (e *Engine) searchEach(ctx context.Context, c Call, texts []string, priceList string) ([]so.ProductInfo, error) {
	results := make([][]so.ProductInfo, len(texts))
	errs := make([]error, len(texts))
	var g errgroup.Group
	g.SetLimit(4)
	for i, text := range texts {
		g.Go(func() error {
			results[i], errs[i] = e.FindProduct(ctx, c, "", text, priceList)
			return nil
		})
	}
	_ = g.Wait()
	var out []so.ProductInfo
	seen := map[string]bool{}
	failed := 0
	for i := range texts {
		if errs[i] != nil {
			failed++
			continue
		}
		for _, p := range results[i] {
			k := strings.ToLower(p.ERPProductKey + "|" + p.ERPPriceListKey)
			if !seen[k] {
				seen[k] = true
				out = append(out, p)
			}
		}
	}
	if failed == len(texts) {
		return nil, errs[0]
	}
	return out, nil
}

func normOp(op string) string { return strings.ToLower(strings.TrimSpace(op)) }

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
// One-value operators read Value (ScalarValue or the first of Values), in
// and between read AllValues.
func matches(p so.ProductInfo, r so.SearchRestrictionInfo) bool {
	op := normOp(r.Operator)
	vals := stripAll([]string{r.Value()})
	if op == "in" || op == "between" {
		vals = stripAll(r.AllValues())
	}
	var s string
	var n float64
	numeric := false
	switch strings.ToLower(r.Field()) {
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
			return slices.Contains(nums, n)
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
		return likeMatch(ls, strings.TrimRight(first, "%")+"%")
	case "contains":
		return likeMatch(ls, "%"+strings.Trim(first, "%")+"%")
	case "in":
		for _, v := range vals {
			if likeMatch(ls, strings.ToLower(v)) {
				return true
			}
		}
		return false
	case "<":
		return ls < first
	case ">":
		return ls > first
	case "<=":
		return ls <= first
	case ">=":
		return ls >= first
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
