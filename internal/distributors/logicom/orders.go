package logicom

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"golang.org/x/sync/errgroup"
)

// postOrder is PostOrder's body (seed "Post Order", "Full Body with all the
// fields"). Optional blocks are omitted when empty.
type postOrder struct {
	PONumber  string `json:"PONumber,omitempty"`
	FirstName string `json:"FirstName,omitempty"`
	LastName  string `json:"LastName,omitempty"`
	Email     string `json:"Email,omitempty"`

	EndUserCompany     string `json:"EndUserCompany,omitempty"`
	EndUserEmail       string `json:"EndUserEmail,omitempty"`
	EndUserContactName string `json:"EndUserContactName,omitempty"`
	EndUserAddress     string `json:"EndUserAddress,omitempty"`
	EndUserCity        string `json:"EndUserCity,omitempty"`
	EndUserPostalCode  string `json:"EndUserPostalCode,omitempty"`
	EndUserCountry     string `json:"EndUserCountry,omitempty"`
	EndUserPhoneNumber string `json:"EndUserPhoneNumber,omitempty"`
	StockVerification  string `json:"StockVerification"`
	ReferenceNo        string `json:"ReferenceNo"`
	RequestedDelivery  string `json:"RequestedDeliveryDate"`
	ShipToAddress      shipTo `json:"ShipToAddress"`
	DeliveryMethod     string `json:"DeliveryMethod"`
	ShopAccountEmail   string `json:"ShopAccountEmail"`
	Comments           string `json:"Comments"`
	InvoiceType        string `json:"InvoiceType,omitempty"`
	Items              []item `json:"Items"`
}

type shipTo struct {
	ID string `json:"Id"`
}

type item struct {
	SKU       string `json:"SKU"`
	VariantID string `json:"VariantId,omitempty"`
	Quantity  string `json:"Quantity"`
}

// keep returns s reduced to the runes ok accepts, with runs of spaces
// collapsed and the ends trimmed.
func keep(s string, ok func(rune) bool) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			r = ' '
		}
		if !ok(r) {
			continue
		}
		if r == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// Character classes of the PostOrder field rules (seed "Post Order" table;
// distributors.md → PostOrder field rules).
var (
	// ReferenceNo: letters, digits, space and - . , _
	refChars = func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || strings.ContainsRune("-.,_", r)
	}
	alphaChars    = func(r rune) bool { return unicode.IsLetter(r) || r == ' ' }
	alnumChars    = func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' }
	digitChars    = func(r rune) bool { return r >= '0' && r <= '9' }
	commentsChars = func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || strings.ContainsRune(",.@", r)
	}
)

// nameDash turns the hyphen of a double name into a space ("Anne-Marie" →
// "Anne Marie"), since name fields allow letters only.
func nameDash(s string) string { return strings.ReplaceAll(s, "-", " ") }

// ReferenceNo reduces a quote reference to the characters Logicom allows in
// ReferenceNo (letters, digits, space and - . , _); any other character
// becomes a space ("Quote #12/3" → "Quote 12 3").
func ReferenceNo(ref string) string { return keep(spaceOut(ref, refChars), refChars) }

// spaceOut replaces the runes ok rejects with spaces.
func spaceOut(s string, ok func(rune) bool) string {
	return strings.Map(func(r rune) rune {
		if ok(r) {
			return r
		}
		return ' '
	}, s)
}

func validEmail(s string) bool {
	if s == "" || strings.ContainsAny(s, " <>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".")
}

// PlaceOrder sends one PostOrder (never retried; a 401 before the order is
// accepted gets one token refresh and one resend, as every call). The field
// rules are checked first: a breach is a KindInvalid error naming the lines,
// and nothing is sent. ESD items take PONumber/FirstName/LastName/Email from
// o.PONumber and o.Buyer; end-user-form items take the EndUser* fields from
// o.EndUser; the product flags come from the local catalog or GetProducts.
// A refusal (StatusCode 0) is KindRejected with Logicom's message; a timeout
// after sending is Uncertain.
func (c *Client) PlaceOrder(ctx context.Context, o distributors.Order) (distributors.OrderReceipt, error) {
	const call = "PostOrder"
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	invalid := func(msg string, problems []distributors.LineProblem) error {
		return &distributors.Error{Distributor: Name, Call: call, Kind: distributors.KindInvalid,
			Message: msg, Problems: problems}
	}
	if len(o.Lines) == 0 {
		return distributors.OrderReceipt{}, invalid("the order has no lines", nil)
	}
	o.Lines = splitVariants(o.Lines)
	// Product flags (ESD, end-user form) and existence.
	ids := make([]string, len(o.Lines))
	for i, l := range o.Lines {
		ids[i] = l.ProductID
	}
	prods, err := c.details(ctx, uniqueIDs(ids))
	if err != nil {
		return distributors.OrderReceipt{}, err
	}

	body := postOrder{
		StockVerification: "0",
		ReferenceNo:       ReferenceNo(o.Reference),
		ShipToAddress:     shipTo{ID: c.s.ShipToAddressID},
		DeliveryMethod:    c.s.DeliveryMethod,
		ShopAccountEmail:  strings.TrimSpace(c.s.ShopAccountEmail),
		Comments:          keep(spaceOut(o.Comment, commentsChars), commentsChars),
		InvoiceType:       c.s.InvoiceType,
	}
	if c.s.StockVerification {
		body.StockVerification = "1"
	}
	var orderProblems []string
	var problems []distributors.LineProblem
	lineProblem := func(l distributors.OrderLine, format string, args ...any) {
		problems = append(problems, distributors.LineProblem{LineID: l.LineID, ProductID: l.ProductID, Message: fmt.Sprintf(format, args...)})
	}
	if body.ReferenceNo == "" {
		orderProblems = append(orderProblems, "the reference has no letters or digits Logicom accepts")
	}
	if !validEmail(body.ShopAccountEmail) {
		orderProblems = append(orderProblems, "setting logicom.shopAccountEmail is not a valid e-mail address")
	}
	needESD, needEUF := false, false
	for _, l := range o.Lines {
		p, ok := prods[strings.ToUpper(strings.TrimSpace(l.ProductID))]
		if !ok {
			lineProblem(l, "Logicom does not know product %q", l.ProductID)
			continue
		}
		if l.Quantity <= 0 || l.Quantity != math.Trunc(l.Quantity) {
			lineProblem(l, "quantity %v must be a whole number above 0", l.Quantity)
			continue
		}
		if p.Discontinued {
			lineProblem(l, "product %s is discontinued", p.ID)
		}
		if l.VariantID != "" && len(p.Variants) > 0 {
			known := false
			for _, v := range p.Variants {
				known = known || strings.EqualFold(v.ID, l.VariantID)
			}
			if !known {
				lineProblem(l, "product %s has no variant %q", p.ID, l.VariantID)
			}
		}
		body.Items = append(body.Items, item{SKU: p.ID, VariantID: strings.TrimSpace(l.VariantID),
			Quantity: strconv.FormatFloat(l.Quantity, 'f', 0, 64)})
		needESD = needESD || p.ESD
		needEUF = needEUF || p.EndUserForm
	}
	if needESD {
		body.PONumber = ReferenceNo(o.PONumber)
		if body.PONumber == "" {
			body.PONumber = body.ReferenceNo
		}
		body.FirstName = keep(nameDash(o.Buyer.FirstName), alphaChars)
		body.LastName = keep(nameDash(o.Buyer.LastName), alphaChars)
		body.Email = strings.TrimSpace(o.Buyer.Email)
		var miss []string
		if body.PONumber == "" {
			miss = append(miss, "PO number")
		}
		if body.FirstName == "" {
			miss = append(miss, "buyer's first name (letters only)")
		}
		if body.LastName == "" {
			miss = append(miss, "buyer's last name (letters only)")
		}
		if !validEmail(body.Email) {
			miss = append(miss, "buyer's valid e-mail address")
		}
		if len(miss) > 0 {
			for _, l := range o.Lines {
				if p, ok := prods[strings.ToUpper(strings.TrimSpace(l.ProductID))]; ok && p.ESD {
					lineProblem(l, "ESD item %s needs the %s", p.ID, strings.Join(miss, ", "))
				}
			}
		}
	}
	if needEUF {
		eu := o.EndUser
		body.EndUserCompany = keep(eu.Name, alnumChars)
		body.EndUserEmail = strings.TrimSpace(eu.Email)
		body.EndUserContactName = keep(nameDash(eu.ContactName), alphaChars)
		body.EndUserAddress = keep(strings.Join(eu.Address.Lines, " "), alnumChars)
		body.EndUserCity = keep(eu.Address.City, alphaChars)
		body.EndUserPostalCode = keep(eu.Address.Zip, alnumChars)
		country := eu.Address.CountryCode
		if country == "" {
			country = eu.Address.Country
		}
		body.EndUserCountry = keep(country, alphaChars)
		body.EndUserPhoneNumber = keep(eu.Phone, digitChars)
		var miss []string
		for _, f := range []struct{ v, name string }{
			{body.EndUserCompany, "company"}, {body.EndUserContactName, "contact name"},
			{body.EndUserAddress, "address"}, {body.EndUserCity, "city"}, {body.EndUserPostalCode, "postal code"},
			{body.EndUserCountry, "country"}, {body.EndUserPhoneNumber, "phone number"},
		} {
			if f.v == "" {
				miss = append(miss, f.name)
			}
		}
		if !validEmail(body.EndUserEmail) {
			miss = append(miss, "valid e-mail address")
		}
		if len(miss) > 0 {
			for _, l := range o.Lines {
				if p, ok := prods[strings.ToUpper(strings.TrimSpace(l.ProductID))]; ok && p.EndUserForm {
					lineProblem(l, "item %s needs the end user's %s", p.ID, strings.Join(miss, ", "))
				}
			}
		}
	}
	// ShipToAddress.Id: "" or an Id of GetAccountDetails. Checked when the
	// account details can be read; Logicom checks it again anyway.
	if body.ShipToAddress.ID != "" {
		if acc, err := c.accountDetails(ctx, false); err == nil && len(acc.Shipping) > 0 {
			known := false
			for _, a := range acc.Shipping {
				known = known || strings.EqualFold(a.ID, body.ShipToAddress.ID)
			}
			if !known {
				orderProblems = append(orderProblems, fmt.Sprintf("setting logicom.shipToAddressId %q is not a ship-to address of the account", body.ShipToAddress.ID))
			}
		}
	}
	if len(orderProblems) > 0 || len(problems) > 0 {
		msg := strings.Join(orderProblems, "; ")
		if msg == "" {
			msg = "order lines cannot be ordered as they are"
		}
		return distributors.OrderReceipt{}, invalid(msg, problems)
	}

	payload, err := json.Marshal(body)
	if err != nil {
		return distributors.OrderReceipt{}, errorf(call, distributors.KindInvalid, "cannot encode order")
	}
	env, err := c.do(ctx, request{call: call, method: "POST", path: "/PostOrder", body: payload})
	if err != nil {
		return distributors.OrderReceipt{}, orderError(err, o)
	}
	var res wireOrderResult
	if err := unmarshal(env.Message, &res); err != nil || res.DocumentNo == "" {
		e := &distributors.Error{Distributor: Name, Call: call, Kind: distributors.KindUnavailable,
			Message: "order answer without a document number", Uncertain: true, Err: err}
		return distributors.OrderReceipt{}, e
	}
	return distributors.OrderReceipt{OrderID: res.DocumentNo, Status: res.Status, Message: "Logicom order " + res.DocumentNo}, nil
}

// orderError attaches the line a Logicom refusal names ("Item C7115X has
// availability of 5 ...") to its Problems; a business refusal is not
// uncertain.
func orderError(err error, o distributors.Order) error {
	de, ok := err.(*distributors.Error)
	if !ok || de.Kind != distributors.KindRejected {
		return err
	}
	lower := strings.ToLower(de.Message)
	for _, l := range o.Lines {
		if l.ProductID != "" && strings.Contains(lower, "item "+strings.ToLower(l.ProductID)) {
			de.Problems = append(de.Problems, distributors.LineProblem{LineID: l.LineID, ProductID: l.ProductID, Message: de.Message})
		}
	}
	return de
}

// splitVariants reads a variant from a product key's id: "SKU/variant"
// names a Logicom variant (PostOrder's VariantId), so the line orders SKU
// with that variant. A line that names its variant already is kept.
func splitVariants(lines []distributors.OrderLine) []distributors.OrderLine {
	out := make([]distributors.OrderLine, len(lines))
	for i, l := range lines {
		if sku, v, ok := strings.Cut(l.ProductID, "/"); ok && l.VariantID == "" {
			l.ProductID, l.VariantID = sku, v
		}
		out[i] = l
	}
	return out
}

// OrderStatus reads each order with GetDocumentDetails (DocumentType=Order,
// DocumentId), at most four at a time. DeliveredQuantity = Quantity − Outst
// per line (distributors.md → Order state); unknown orders are left out;
// invoice numbers come from the document or, when a line is invoiced, from
// GetDocuments (DocumentType=Invoice).
func (c *Client) OrderStatus(ctx context.Context, refs []distributors.OrderRef) ([]distributors.OrderStatus, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	res := make([]*distributors.OrderStatus, len(refs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, r := range refs {
		id := strings.TrimSpace(r.ID)
		if id == "" || r.ByCustomerNumber {
			continue // Logicom looks orders up by its own document number only
		}
		g.Go(func() error {
			st, err := c.orderStatus(gctx, r, id)
			if err != nil {
				if distributors.KindOf(err) == distributors.KindNotFound {
					return nil
				}
				return err
			}
			res[i] = st
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []distributors.OrderStatus
	for _, s := range res {
		if s != nil {
			out = append(out, *s)
		}
	}
	return out, nil
}

func (c *Client) orderStatus(ctx context.Context, ref distributors.OrderRef, id string) (*distributors.OrderStatus, error) {
	q := "DocumentType=Order&DocumentId=" + url.QueryEscape(id)
	env, err := c.do(ctx, request{call: "GetDocumentDetails", method: "GET", path: "/GetDocumentDetails", rawQuery: q})
	if err != nil {
		return nil, err
	}
	var d wireDocumentDetails
	if err := unmarshal(env.Message, &d); err != nil {
		return nil, c.up.DecodeError("GetDocumentDetails", err)
	}
	if d.Header.DocumentNo == "" && len(d.Items) == 0 {
		return nil, errorf("GetDocumentDetails", distributors.KindNotFound, "order %s not found", id)
	}
	st := mapOrder(ref, id, d)
	if st.State == distributors.OrderInvoiced && len(st.Invoices) == 0 {
		st.Invoices = c.invoicesOf(ctx, id, d)
	}
	return st, nil
}

// invoicesOf finds the invoices of an order through GetDocuments
// (DocumentType=Invoice, from the order date on). The seed gives invoices no
// link to their order, so an invoice matches when it names the order
// (OrderNo, when the account sends it) or, failing that, when its details
// carry the order's ExternalDocumentNo (our reference) and the same order
// date; at most five invoices are opened for that. Failures leave the list
// empty: the order state stands without it.
func (c *Client) invoicesOf(ctx context.Context, orderID string, d wireDocumentDetails) []string {
	q := "DocumentType=Invoice&PageIndex=0"
	if !d.Header.OrderDate.IsZero() {
		q += "&DateFrom=" + d.Header.OrderDate.Format("02-01-2006")
	}
	env, err := c.do(ctx, request{call: "GetDocuments", method: "GET", path: "/GetDocuments", rawQuery: q})
	if err != nil {
		return nil
	}
	docs, err := list[wireDocument](env.Message)
	if err != nil {
		return nil
	}
	var out, cands []string
	for _, doc := range docs {
		switch {
		case doc.DocumentNo == "":
		case strings.EqualFold(doc.OrderNo, orderID):
			out = append(out, doc.DocumentNo)
		case doc.OrderNo == "" && (d.Header.OrderDate.IsZero() || doc.OrderDate.Equal(d.Header.OrderDate)):
			cands = append(cands, doc.DocumentNo)
		}
	}
	if len(out) > 0 || d.Header.ExternalNo == "" {
		return out
	}
	for i, no := range cands {
		if i == 5 {
			break
		}
		q := "DocumentType=Invoice&DocumentId=" + url.QueryEscape(no)
		env, err := c.do(ctx, request{call: "GetDocumentDetails", method: "GET", path: "/GetDocumentDetails", rawQuery: q})
		if err != nil {
			continue
		}
		var inv wireDocumentDetails
		if unmarshal(env.Message, &inv) != nil {
			continue
		}
		if strings.EqualFold(inv.Header.OrderNo, orderID) || strings.EqualFold(inv.Header.ExternalNo, d.Header.ExternalNo) {
			out = append(out, no)
		}
	}
	return out
}

// lineState classifies a document line's status text and quantities.
func lineState(text string, qty, delivered float64) distributors.OrderState {
	t := strings.ToLower(text)
	switch {
	case strings.Contains(t, "cancel"):
		return distributors.OrderCancelled
	case strings.Contains(t, "invoic"):
		return distributors.OrderInvoiced
	case strings.Contains(t, "hold") || strings.Contains(t, "back"):
		return distributors.OrderOnHold
	case qty > 0 && delivered >= qty:
		return distributors.OrderShipped
	case delivered > 0:
		return distributors.OrderPartShipped
	case strings.Contains(t, "process") || strings.Contains(t, "released") || strings.Contains(t, "pick"):
		return distributors.OrderProcessing
	}
	return distributors.OrderOpen
}

func mapOrder(ref distributors.OrderRef, id string, d wireDocumentDetails) *distributors.OrderStatus {
	st := &distributors.OrderStatus{Ref: ref, OrderID: d.Header.DocumentNo, StatusText: d.Header.Status, Invoices: d.Invoices}
	if st.OrderID == "" {
		st.OrderID = id
	}
	var n, shipped, part, invoiced, cancelled, hold int
	for _, it := range d.Items {
		delivered := 0.0
		switch {
		case it.HasOutst:
			delivered = it.Quantity - it.Outstanding
		case strings.Contains(strings.ToLower(it.Status), "ship") || strings.Contains(strings.ToLower(it.Status), "invoic") ||
			strings.Contains(strings.ToLower(it.Status), "deliver"):
			delivered = it.Quantity
		}
		delivered = max(0, min(delivered, it.Quantity))
		ls := distributors.OrderLineStatus{ProductID: it.ItemNo, PartNumber: it.ItemNo, Quantity: it.Quantity,
			Delivered: delivered, StatusText: it.Status, ShipDate: it.ShippingDate, Invoice: it.InvoiceNo, Tracking: it.Tracking}
		ls.State = lineState(it.Status, it.Quantity, delivered)
		if it.InvoiceNo != "" {
			ls.State = distributors.OrderInvoiced
			st.Invoices = appendUnique(st.Invoices, it.InvoiceNo)
		}
		st.Lines = append(st.Lines, ls)
		n++
		switch ls.State {
		case distributors.OrderShipped:
			shipped++
		case distributors.OrderPartShipped:
			part++
		case distributors.OrderInvoiced:
			invoiced++
		case distributors.OrderCancelled:
			cancelled++
		case distributors.OrderOnHold:
			hold++
		}
	}
	head := lineState(d.Header.Status, 0, 0)
	switch {
	case n == 0:
		st.State = head
	case cancelled == n:
		st.State = distributors.OrderCancelled
	case invoiced == n-cancelled && invoiced > 0:
		st.State = distributors.OrderInvoiced
	case shipped+invoiced == n-cancelled:
		st.State = distributors.OrderShipped
	case shipped+invoiced+part > 0:
		st.State = distributors.OrderPartShipped
	case hold > 0:
		st.State = distributors.OrderOnHold
	default:
		st.State = head
	}
	if head == distributors.OrderInvoiced || head == distributors.OrderCancelled {
		st.State = head
	}
	return st
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}
