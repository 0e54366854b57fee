package logicomsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
)

// Order statuses, in lifecycle order (AdvanceOrder moves one step).
const (
	StatusOpen             = "Open"
	StatusProcessing       = "Processing"
	StatusPartiallyShipped = "Partially Shipped"
	StatusShipped          = "Shipped"
	StatusInvoiced         = "Invoiced"
	StatusReleased         = "Released" // invoices
)

// ErrUnknownOrder is returned by AdvanceOrder for an unknown order number.
var ErrUnknownOrder = errors.New("unknown order")

type document struct {
	typ, no, status, ref   string
	salesPerson, terms     string
	orderDate, docDate     time.Time
	dueDate, reqDate       time.Time
	shipDate               time.Time
	shipTo                 catalog.LogicomAddress
	lines                  []*docLine
	vatPct                 float64
	currency               string
	placed                 bool   // created by PostOrder
	invoiceNo, orderNo     string // links between an order and its invoice
	comments, deliveryMeth string
}

type docLine struct {
	sku, variant, title string
	qty, outst          int
	price               float64
	status              string
	shipDate            time.Time
}

func docKey(typ, no string) string { return typ + "/" + strings.ToUpper(no) }

// seedDocuments adds a few historical documents built from the catalog.
func (s *Server) seedDocuments() {
	today := s.cat.Today
	var pool []*catalog.LogicomItem
	for _, it := range s.items {
		if !it.ESD && !it.Discontinued && !it.EndUserForm && len(it.Variants) == 0 {
			pool = append(pool, it)
			if len(pool) == 40 {
				break
			}
		}
	}
	mk := func(typ, no, status string, ago int, idx ...int) *document {
		d := &document{typ: typ, no: no, status: status, salesPerson: "AM", terms: "30Days",
			orderDate: today.AddDate(0, 0, -ago-2), docDate: today.AddDate(0, 0, -ago),
			dueDate: today.AddDate(0, 0, -ago+30), shipDate: today.AddDate(0, 0, -ago),
			shipTo: s.acct.ShipTo[0], vatPct: 19, currency: s.acct.Currencies[0], ref: fmt.Sprintf("HIST-%s", no)}
		for n, i := range idx {
			it := pool[i%len(pool)]
			q := 1 + (i+n)%5
			ln := &docLine{sku: it.SKU, title: it.Name, qty: q, price: it.Prices[d.currency].Price, status: StatusShipped, shipDate: d.shipDate}
			d.lines = append(d.lines, ln)
		}
		s.docs[docKey(typ, no)] = d
		return d
	}
	mk(docInvoice, "INV7044254", StatusReleased, 95, 1, 2)
	mk(docInvoice, "INV7006091", StatusReleased, 60, 3)
	mk(docInvoice, "INV7110684", StatusReleased, 12, 4, 5, 6)
	o := mk(docOrder, "O7063935", StatusOpen, 20, 7, 8)
	o.reqDate = today.AddDate(0, 0, 10)
	for _, l := range o.lines {
		l.outst, l.status, l.shipDate = l.qty, StatusOpen, time.Time{}
	}
	o2 := mk(docOrder, "O7063990", StatusInvoiced, 15, 4, 5, 6)
	o2.invoiceNo = "INV7110684"
	s.docs[docKey(docInvoice, "INV7110684")].orderNo = o2.no
	for _, l := range o2.lines {
		l.status = StatusInvoiced
	}
	q := mk(docQuote, "Q2200084", StatusOpen, 5, 9, 10)
	for _, l := range q.lines {
		l.outst, l.status, l.shipDate = l.qty, StatusOpen, time.Time{}
	}
	q.shipDate = q.docDate
}

func docType(v string) (string, error) {
	for _, t := range []string{docOrder, docInvoice, docQuote} {
		if strings.EqualFold(strings.TrimSpace(v), t) {
			return t, nil
		}
	}
	if strings.TrimSpace(v) == "" {
		return "", bizErrf("DocumentType is required (Order, Invoice or Quote)")
	}
	return "", bizErrf("Invalid DocumentType %s (Order, Invoice or Quote)", v)
}

func docHeaderJSON(d *document, statusKey string) obj {
	o := obj{
		{"DocumentNo", d.no},
		{statusKey, d.status},
		{"SalesPersonCode", d.salesPerson},
		{"PaymentDiscount", "0"},
		{"PaymentDiscountDate", fmtDate(d.docDate)},
		{"OrderDate", fmtDate(d.orderDate)},
		{"DocumentDate", fmtDate(d.docDate)},
		{"DueDate", fmtDate(d.dueDate)},
	}
	if d.typ != docInvoice {
		o = append(o, kv{"RequestedDeliveryDate", fmtDate(d.reqDate)})
	}
	return append(o, kv{"PaymentTerms", d.terms}, kv{"ShipmentDate", fmtDate(d.shipDate)})
}

// dateRange parses optional DateFrom/DateTo (dd-MM-yyyy, inclusive).
func dateRange(q map[string][]string) (from, to time.Time, err error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	if v := get("DateFrom"); v != "" {
		t, ok := parseWhen(v)
		if !ok {
			return from, to, bizErrf("Invalid DateFrom %q, expected dd-MM-yyyy", v)
		}
		from = t
	}
	if v := get("DateTo"); v != "" {
		t, ok := parseWhen(v)
		if !ok {
			return from, to, bizErrf("Invalid DateTo %q, expected dd-MM-yyyy", v)
		}
		to = t
	}
	return from, to, nil
}

func pageIndex(v string) (int, error) {
	if strings.TrimSpace(v) == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0, bizErrf("Invalid PageIndex %s", v)
	}
	return n, nil
}

func (s *Server) listDocs(r *http.Request, typ string, keep func(*document) bool) (obj, error) {
	q := query(r)
	from, to, err := dateRange(q)
	if err != nil {
		return nil, err
	}
	page, err := pageIndex(q.Get("PageIndex"))
	if err != nil {
		return nil, err
	}
	id := strings.TrimSpace(q.Get("DocumentId"))
	s.mu.Lock()
	defer s.mu.Unlock()
	var sel []*document
	for _, d := range s.sortedDocs(typ) {
		if id != "" && !strings.EqualFold(d.no, id) {
			continue
		}
		dd := day(d.docDate)
		if (!from.IsZero() && dd.Before(day(from))) || (!to.IsZero() && dd.After(day(to))) {
			continue
		}
		if keep != nil && !keep(d) {
			continue
		}
		sel = append(sel, d)
	}
	msg := []obj{}
	for i := page * PageSize; i < len(sel) && i < (page+1)*PageSize; i++ {
		msg = append(msg, docHeaderJSON(sel[i], "Status"))
	}
	return envelope(1, statusOK, msg), nil
}

func (s *Server) getDocuments(r *http.Request) (obj, error) {
	typ, err := docType(query(r).Get("DocumentType"))
	if err != nil {
		return nil, err
	}
	return s.listDocs(r, typ, nil)
}

func (s *Server) getPendingInvoices(r *http.Request) (obj, error) {
	now := s.opts.Now()
	return s.listDocs(r, docInvoice, func(d *document) bool { return !d.dueDate.Before(day(now)) })
}

func (s *Server) getDocumentDetails(r *http.Request) (obj, error) {
	q := query(r)
	typ, err := docType(q.Get("DocumentType"))
	if err != nil {
		return nil, err
	}
	id := strings.TrimSpace(q.Get("DocumentId"))
	if id == "" {
		return nil, bizErrf("DocumentId is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[docKey(typ, id)]
	if !ok {
		return nil, bizErrf("%s %s not found", typ, id)
	}
	hdr := docHeaderJSON(d, "OrderStatus")
	hdr = append(hdr, kv{"ExternalDocumentNo", d.ref}, kv{"Currency", d.currency})
	bill := s.acct.Billing
	addr := func(a catalog.LogicomAddress, typ string) obj {
		return obj{{"Address1", a.Address1}, {"Address2", a.Address2}, {"Country", a.CountryCode},
			{"Type", typ}, {"City", a.City}, {"PostCode", a.ZipCode}}
	}
	items := []obj{}
	sub := 0.0
	for _, l := range d.lines {
		total := math.Round(l.price*float64(l.qty)*100) / 100
		sub += total
		o := obj{{"ItemNo", l.sku}}
		if l.variant != "" {
			o = append(o, kv{"VariantId", l.variant})
		}
		o = append(o, kv{"Title", l.title}, kv{"UOM", "PCS"}, kv{"ShippingDate", fmtDate(l.shipDate)},
			kv{"Quantity", itoa(l.qty)}, kv{"Price", money(l.price)}, kv{"Total", money(total)})
		if d.typ != docInvoice {
			o = append(o, kv{"Outst", itoa(l.outst)}, kv{"Status", l.status})
		}
		items = append(items, o)
	}
	vat := math.Round(sub*d.vatPct) / 100
	msg := obj{
		{"OrderHeader", hdr},
		{"OrderAddresses", []obj{addr(bill, "SellToAddress"), addr(bill, "BillToAddress"), addr(d.shipTo, "ShipToAddress")}},
		{"OrderItems", items},
		{"OrderTotals", obj{{"SubTotal", money(sub)}, {"Total", money(sub)}, {"VAT", money(vat)}, {"TotalInclVAT", money(sub + vat)}}},
	}
	return envelope(1, statusOK, msg), nil
}

// ---- PostOrder ----

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s.]+$`)

func allowed(v string, extra string) bool {
	for _, r := range v {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ' ' && !strings.ContainsRune(extra, r) {
			return false
		}
	}
	return true
}

func lettersOnly(v string) bool {
	for _, r := range v {
		if !unicode.IsLetter(r) && r != ' ' && r != '-' && r != '\'' {
			return false
		}
	}
	return true
}

// str reads a string field; numbers are accepted as their text.
func str(m map[string]any, k string) (string, bool) {
	v, ok := m[k]
	if !ok || v == nil {
		return "", ok
	}
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return fmt.Sprint(v), true
}

// number reads a number or numeric string as an integer.
func number(v any) (int, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = strings.TrimSpace(x)
	default:
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return int(f), true
}

type orderLine struct {
	it      *catalog.LogicomItem
	variant string
	qty     int
}

var esdFields = [][2]string{{"PONumber", "PONumber"}, {"FirstName", "First Name"}, {"LastName", "Last Name"}, {"Email", "Email"}}
var eufFields = [][2]string{
	{"EndUserCompany", "User Company"}, {"EndUserEmail", "User Email"}, {"EndUserContactName", "User Contact Name"},
	{"EndUserAddress", "User Address"}, {"EndUserCity", "User City"}, {"EndUserPostalCode", "User Postal Code"},
	{"EndUserCountry", "User Country"}, {"EndUserPhoneNumber", "User Phone Number"},
}

func (s *Server) postOrder(r *http.Request) (obj, error) {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, bizErrf("Error: Invalid request body, expected a JSON object")
	}
	// Header fields.
	ref, _ := str(m, "ReferenceNo")
	if strings.TrimSpace(ref) == "" {
		return nil, bizErrf("Error: ReferenceNo is required")
	}
	if !allowed(ref, "-.,_") {
		return nil, bizErrf("Error: ReferenceNo %q contains invalid characters (letters, digits, space and - . , _ allowed)", ref)
	}
	email, _ := str(m, "ShopAccountEmail")
	if !emailRE.MatchString(email) {
		return nil, bizErrf("Error: ShopAccountEmail %q is not a valid email address", email)
	}
	svRaw, ok := m["StockVerification"]
	sv, nok := number(svRaw)
	if !ok || !nok || (sv != 0 && sv != 1) {
		return nil, bizErrf("Error: StockVerification must be 0 or 1")
	}
	var reqDate time.Time
	if v, _ := str(m, "RequestedDeliveryDate"); v != "" {
		t, err := time.Parse(dateLayout, v)
		if err != nil {
			return nil, bizErrf("Error: RequestedDeliveryDate %q is not a valid date (dd-MM-yyyy)", v)
		}
		reqDate = t
	}
	shipTo := s.acct.ShipTo[0]
	if raw, ok := m["ShipToAddress"]; ok && raw != nil {
		sa, ok := raw.(map[string]any)
		if !ok {
			return nil, bizErrf("Error: ShipToAddress must be an object with an Id")
		}
		if id, _ := str(sa, "Id"); id != "" {
			found := false
			for _, a := range s.acct.ShipTo {
				if strings.EqualFold(a.ID, id) {
					shipTo, found = a, true
				}
			}
			if !found {
				return nil, bizErrf("Error: Shipping address %s not found", id)
			}
		}
	}
	comments, _ := str(m, "Comments")
	if !allowed(comments, ",.@") {
		return nil, bizErrf("Error: Comments contain invalid characters (letters, digits, space and , . @ allowed)")
	}
	delivery, _ := str(m, "DeliveryMethod")

	// Items.
	rawItems, _ := m["Items"].([]any)
	if len(rawItems) == 0 {
		return nil, bizErrf("Error: The order has no Items")
	}
	var lines []orderLine
	for _, ri := range rawItems {
		im, ok := ri.(map[string]any)
		if !ok {
			return nil, bizErrf("Error: Items must be objects with SKU and Quantity")
		}
		sku, _ := str(im, "SKU")
		it, ok := s.item(sku)
		if !ok {
			return nil, bizErrf("Error: Item %s not found", sku)
		}
		if it.Discontinued {
			return nil, bizErrf("Error: Item %s is blocked (discontinued)", it.SKU)
		}
		qty, ok := number(im["Quantity"])
		if !ok || qty <= 0 {
			return nil, bizErrf("Error: Item %s - Invalid Quantity", it.SKU)
		}
		variant, _ := str(im, "VariantId")
		if variant != "" {
			found := false
			for _, v := range it.Variants {
				found = found || strings.EqualFold(v.VariantID, variant)
			}
			if !found {
				return nil, bizErrf("Error: Item %s - Variant %s not found", it.SKU, variant)
			}
		}
		if it.ESD {
			for _, f := range esdFields {
				v, _ := str(m, f[0])
				switch {
				case strings.TrimSpace(v) == "":
					return nil, bizErrf("Error: Item %s - Please Complete the ESD Form - %s Missing", it.SKU, f[1])
				case f[0] == "Email" && !emailRE.MatchString(v),
					(f[0] == "FirstName" || f[0] == "LastName") && !lettersOnly(v):
					return nil, bizErrf("Error: Item %s - Please Complete the ESD Form - %s Invalid", it.SKU, f[1])
				}
			}
		}
		if it.EndUserForm {
			for _, f := range eufFields {
				v, _ := str(m, f[0])
				switch {
				case strings.TrimSpace(v) == "":
					return nil, bizErrf("Error: Item %s - Please Complete the End User Form - %s Missing", it.SKU, f[1])
				case f[0] == "EndUserEmail" && !emailRE.MatchString(v),
					f[0] == "EndUserPhoneNumber" && strings.Trim(v, "0123456789") != "",
					(f[0] == "EndUserCity" || f[0] == "EndUserCountry") && !lettersOnly(v):
					return nil, bizErrf("Error: Item %s - Please Complete the End User Form - %s Invalid", it.SKU, f[1])
				}
			}
		}
		lines = append(lines, orderLine{it: it, variant: variant, qty: qty})
	}

	now := s.opts.Now()
	today := day(now)
	s.mu.Lock()
	defer s.mu.Unlock()
	if sv == 1 {
		want := map[string]int{}
		for _, l := range lines {
			want[strings.ToUpper(l.it.SKU)] += l.qty
		}
		for _, l := range lines {
			u := strings.ToUpper(l.it.SKU)
			if have := s.stock[u]; want[u] > have {
				return nil, bizErrf("Item %s has availability of %d instead of requested %d.", l.it.SKU, have, want[u])
			}
		}
	}
	s.nextOrder++
	cur := s.acct.Currencies[0]
	d := &document{
		typ: docOrder, no: fmt.Sprintf("%s%05d", orderPrefix, s.nextOrder), status: StatusOpen, ref: ref,
		salesPerson: "AM", terms: "30Days", orderDate: today, docDate: today, dueDate: today.AddDate(0, 0, 30),
		reqDate: reqDate, shipDate: today.AddDate(0, 0, 2), shipTo: shipTo, vatPct: 19, currency: cur,
		placed: true, comments: comments, deliveryMeth: delivery,
	}
	if !reqDate.IsZero() {
		d.shipDate = reqDate
	}
	for _, l := range lines {
		u := strings.ToUpper(l.it.SKU)
		s.stock[u] = max(0, s.stock[u]-l.qty)
		d.lines = append(d.lines, &docLine{sku: l.it.SKU, variant: l.variant, title: l.it.Name, qty: l.qty, outst: l.qty,
			price: l.it.Prices[cur].Effective(l.qty, today), status: StatusOpen})
	}
	s.docs[docKey(docOrder, d.no)] = d
	return envelope(1, statusOK, obj{{"DocumentNo", d.no}, {"Status", d.status}}), nil
}

// ---- lifecycle ----

// OrdersWithReference lists the order documents whose ReferenceNo is ref
// (case-insensitive), newest first: what a test counts to prove an order
// was created exactly once.
func (s *Server) OrdersWithReference(ref string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, d := range s.sortedDocs(docOrder) {
		if strings.EqualFold(d.ref, ref) {
			out = append(out, d.no)
		}
	}
	return out
}

// OrderStatus is the status of an order document.
func (s *Server) OrderStatus(docNo string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[docKey(docOrder, docNo)]
	if !ok {
		return "", false
	}
	return d.status, true
}

// AdvanceOrder moves an order one step: Open → Processing → Partially
// Shipped (half of each line shipped; skipped when nothing can ship in
// halves) → Shipped → Invoiced (an Invoice document INV71nnnnn appears).
func (s *Server) AdvanceOrder(docNo string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[docKey(docOrder, docNo)]
	if !ok {
		return fmt.Errorf("%w %s", ErrUnknownOrder, docNo)
	}
	return s.advance(d)
}

func (s *Server) advance(d *document) error {
	now := s.opts.Now()
	today := day(now)
	shipAll := func() {
		for _, l := range d.lines {
			if l.outst > 0 {
				l.outst = 0
				l.shipDate = today
			}
			l.status = StatusShipped
		}
		d.status, d.shipDate = StatusShipped, today
	}
	switch d.status {
	case StatusOpen:
		d.status = StatusProcessing
		for _, l := range d.lines {
			l.status = StatusProcessing
		}
	case StatusProcessing:
		shipped := 0
		for _, l := range d.lines {
			n := l.qty / 2
			shipped += n
			if n > 0 {
				l.outst = l.qty - n
				l.shipDate = today
				l.status = StatusPartiallyShipped
			}
		}
		if shipped == 0 {
			shipAll()
			return nil
		}
		d.status, d.shipDate = StatusPartiallyShipped, today
	case StatusPartiallyShipped:
		shipAll()
	case StatusShipped:
		s.nextInv++
		inv := &document{typ: docInvoice, no: fmt.Sprintf("%s%05d", invPrefix, s.nextInv), status: StatusReleased,
			ref: d.ref, salesPerson: d.salesPerson, terms: d.terms, orderDate: d.orderDate, docDate: today,
			dueDate: today.AddDate(0, 0, 30), shipDate: d.shipDate, shipTo: d.shipTo, vatPct: d.vatPct,
			currency: d.currency, orderNo: d.no}
		for _, l := range d.lines {
			c := *l
			c.outst, c.status = 0, StatusInvoiced
			inv.lines = append(inv.lines, &c)
			l.status = StatusInvoiced
		}
		s.docs[docKey(docInvoice, inv.no)] = inv
		d.status, d.invoiceNo = StatusInvoiced, inv.no
	default:
		return fmt.Errorf("order %s is already %s", d.no, d.status)
	}
	return nil
}

// InvoiceOf is the invoice number of an invoiced order.
func (s *Server) InvoiceOf(docNo string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[docKey(docOrder, docNo)]
	if !ok || d.invoiceNo == "" {
		return "", false
	}
	return d.invoiceNo, true
}

func (s *Server) autoAdvance(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			for _, d := range s.docs {
				if d.placed && d.typ == docOrder && d.status != StatusInvoiced {
					_ = s.advance(d)
				}
			}
			s.mu.Unlock()
		}
	}
}
