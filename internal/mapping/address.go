package mapping

import (
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// Address maps a distributor address to SuperOffice's (§5.13). SuperOffice
// has three address lines; further lines are joined into the third. The
// address's Name is not an address line and is left out.
func Address(a distributors.Address) *superoffice.AddressInfo {
	var lines []string
	for _, l := range a.Lines {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	out := &superoffice.AddressInfo{
		City:        strings.TrimSpace(a.City),
		Zip:         strings.TrimSpace(a.Zip),
		CountryCode: strings.ToUpper(strings.TrimSpace(a.CountryCode)),
		Country:     strings.TrimSpace(a.Country),
	}
	if len(lines) > 3 {
		lines = append(lines[:2], strings.Join(lines[2:], ", "))
	}
	dst := []*string{&out.Line1, &out.Line2, &out.Line3}
	for i, l := range lines {
		*dst[i] = l
	}
	return out
}

// ListItems maps distributor list entries to quote list items (§5.12).
// DisplayValue and DisplayDescription are multi-language fields (§1.5); a
// distributor's text is the same in every language. Never nil, so a
// supported list is an array even when empty (§8).
func ListItems(items []distributors.ListItem) []superoffice.QuoteListItemInfo {
	out := make([]superoffice.QuoteListItemInfo, 0, len(items))
	for _, it := range items {
		out = append(out, superoffice.QuoteListItemInfo{
			ERPQuoteListItemKey: it.Key,
			DisplayValue:        superoffice.Same(firstNonEmpty(it.Name, it.Key)).String(),
			DisplayDescription:  superoffice.Same(strings.TrimSpace(it.Description)).String(),
		})
	}
	return out
}
