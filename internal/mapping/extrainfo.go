package mapping

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// Bounds that keep the line dialog readable whatever a distributor sends.
const (
	maxSpecs    = 20  // specification rows
	maxLinks    = 10  // datasheets, guides
	maxBreaks   = 10  // volume price steps
	maxIncoming = 5   // purchase orders
	maxVariants = 10  // variant names
	maxValueLen = 500 // runes per value
)

// ExtraInfo is the labelled extra data shown in SuperOffice's line dialog
// (§5.15): where the product comes from, stock and incoming purchase orders,
// volume and special prices, and the product's details. Numbers, amounts and
// dates are culture markers (§10.3) so SuperOffice formats them for the
// user. Labels are English: ExtraInfo names are not multi-language fields.
// title is how users see p's distributor (its registered title).
func ExtraInfo(p distributors.Product, title string, today time.Time) []superoffice.ProductExtraDataFieldInfo {
	var b fieldsBuilder
	b.text("Distributor", title)
	if p.PartNumber != "" && p.ID != "" && !strings.EqualFold(p.ID, p.PartNumber) {
		b.text("Distributor item", p.ID)
	}
	b.text("Manufacturer", p.Manufacturer)
	b.text("Category", p.CategoryName)

	if o := p.Offer; o != nil {
		cur := strings.ToUpper(o.Currency)
		if o.Stock != nil {
			b.text("Stock", qtyMarker(o.Stock.Available))
			b.text("Incoming", incoming(o.Stock.Incoming))
		}
		if o.RRP > 0 {
			b.text("Recommended retail price", money(o.RRP, cur))
		}
		b.text("Volume prices", breaks(o.Breaks, cur))
		if o.Special != nil && o.Special.Price > 0 {
			b.text("Special price", special(*o, cur, today))
		}
		if o.RecycleTax > 0 {
			b.text("Recycle tax", money(o.RecycleTax, cur))
		}
	}

	b.text("Warranty", p.Warranty)
	b.text("Barcode", p.Barcode)
	if p.ESD {
		b.text("Electronic delivery", "Yes: the order needs the buyer's name and e-mail")
	}
	if p.EndUserForm {
		b.text("End-user form", "Required: the order needs the end customer's company details")
	}
	if p.Discontinued {
		b.text("Discontinued", "Yes")
	}
	if p.NotDiscountable {
		b.text("Discount", "Not allowed by the distributor")
	}
	if s := p.Subscription; s != nil {
		b.text("Subscription", subscription(*s))
	}
	b.text("Variants", variants(p.Variants))

	n := 0
	for _, s := range p.Specifications {
		if strings.TrimSpace(s.Name) == "" || strings.TrimSpace(s.Value) == "" {
			continue
		}
		if n == maxSpecs {
			n++
			break
		}
		b.text(s.Name, s.Value)
		n++
	}
	if n > maxSpecs {
		b.text("More specifications", "See the product page")
	}

	n = 0
	for _, l := range p.Links {
		if strings.TrimSpace(l.URL) == "" || n == maxLinks {
			continue
		}
		b.add(firstNonEmpty(l.Name, "Link"), l.URL, superoffice.ExtraURL)
		n++
	}
	return b.fields
}

type fieldsBuilder struct {
	fields []superoffice.ProductExtraDataFieldInfo
}

// text adds a String field unless value is empty.
func (b *fieldsBuilder) text(name, value string) { b.add(name, value, superoffice.ExtraString) }

func (b *fieldsBuilder) add(name, value string, typ superoffice.ExtraDataType) {
	value = clip(strings.TrimSpace(value), maxValueLen)
	if value == "" {
		return
	}
	b.fields = append(b.fields, superoffice.ProductExtraDataFieldInfo{
		Name: clip(strings.TrimSpace(name), 100), Value: value, Type: typ,
	})
}

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// qtyMarker is a quantity for display: [I:n] when whole, [F:x] otherwise.
func qtyMarker(q float64) string {
	if !finite(q) {
		return ""
	}
	if q == math.Trunc(q) && math.Abs(q) < 1<<53 {
		return superoffice.IntMarker(int(q))
	}
	return superoffice.FloatMarker(q)
}

// money is an amount for display, [M:95.00] EUR.
func money(amount float64, currency string) string {
	if !finite(amount) {
		return ""
	}
	s := superoffice.MoneyMarker(amount)
	if currency != "" {
		s += " " + currency
	}
	return s
}

func date(t time.Time) string { return superoffice.DateMarker(t) }

// incoming lists purchase orders: "[I:20] on [D:02/15/2024], [I:5] on ...".
func incoming(in []distributors.Incoming) string {
	var parts []string
	for _, po := range in {
		if po.Quantity == 0 {
			continue
		}
		if len(parts) == maxIncoming {
			parts = append(parts, "…")
			break
		}
		s := qtyMarker(po.Quantity)
		if !po.Date.IsZero() {
			s += " on " + date(po.Date)
		} else {
			s += " (date unknown)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// breaks lists volume prices: "from [I:10]: [M:95.00] EUR, from ...".
func breaks(bs []distributors.PriceBreak, currency string) string {
	var parts []string
	for _, br := range bs {
		if br.Price <= 0 || !finite(br.MinQuantity) {
			continue
		}
		if len(parts) == maxBreaks {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, "from "+qtyMarker(br.MinQuantity)+": "+money(br.Price, currency))
	}
	return strings.Join(parts, ", ")
}

// special describes a special price and its window, and whether it applies
// on day today.
func special(o distributors.Offer, currency string, today time.Time) string {
	sp := o.Special
	s := money(sp.Price, currency)
	switch {
	case !sp.From.IsZero() && !sp.To.IsZero():
		s += " from " + date(sp.From) + " to " + date(sp.To)
	case !sp.From.IsZero():
		s += " from " + date(sp.From)
	case !sp.To.IsZero():
		s += " until " + date(sp.To)
	}
	if o.SpecialActive(today) {
		s += " (valid today)"
	} else {
		s += " (not valid today)"
	}
	return s
}

// subscription describes the billing period and term: "per month, term
// [I:12] months, plan Pro".
func subscription(s distributors.Subscription) string {
	var parts []string
	if s.Unit != "" {
		parts = append(parts, "per "+s.Unit)
	}
	if s.TermMonths > 0 {
		parts = append(parts, "term "+superoffice.IntMarker(s.TermMonths)+" months")
	}
	if s.Plan != "" {
		parts = append(parts, "plan "+s.Plan)
	}
	if len(parts) == 0 {
		return "Yes"
	}
	return strings.Join(parts, ", ")
}

func variants(vs []distributors.Variant) string {
	var names []string
	for _, v := range vs {
		n := firstNonEmpty(v.Name, v.ID)
		if n == "" {
			continue
		}
		if len(names) == maxVariants {
			names = append(names, "…")
			break
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}

// RawExtraInfo is the XML form of ExtraInfo (§5.1, sample):
// <Fields><Field Name=".." Type="String"><![CDATA[..]]></Field>...</Fields>.
// Empty for no fields.
func RawExtraInfo(fields []superoffice.ProductExtraDataFieldInfo) string {
	if len(fields) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("<Fields>")
	for _, f := range fields {
		b.WriteString(`<Field Name="`)
		b.WriteString(attrEscape(f.Name))
		b.WriteString(`" Type="`)
		b.WriteString(f.Type.String())
		b.WriteString(`"><![CDATA[`)
		// "]]>" would end the section: split it across two sections.
		b.WriteString(strings.ReplaceAll(xmlChars(f.Value), "]]>", "]]]]><![CDATA[>"))
		b.WriteString("]]></Field>")
	}
	b.WriteString("</Fields>")
	return b.String()
}

var attrReplacer = strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&quot;", `'`, "&apos;",
	"\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;")

func attrEscape(s string) string { return attrReplacer.Replace(xmlChars(s)) }

// xmlChars drops what XML 1.0 cannot carry at all, even in CDATA: invalid
// UTF-8 and control characters other than tab, newline and carriage return.
func xmlChars(s string) string {
	ok := true
	for _, r := range s {
		if !isXMLChar(r) {
			ok = false
			break
		}
	}
	if ok && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		if r == utf8.RuneError && size == 1 {
			continue
		}
		if isXMLChar(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}
