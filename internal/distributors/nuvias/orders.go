package nuvias

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/upstream"
)

// Hub order statuses (seed enum, distributors.md → Nuvias Hub).
const (
	statusCreated              = "CREATED"
	statusProcessing           = "PROCESSING"
	statusAccepted             = "ACCEPTED"
	statusPartShipped          = "PART_SHIPPED"
	statusShipped              = "SHIPPED"
	statusComplete             = "COMPLETE"
	statusAttentionRequired    = "ATTENTION_REQUIRED"
	statusFailed               = "FAILED"
	statusPendingAuthorisation = "PENDING_AUTHORISATION"
	statusCancelled            = "CANCELLED"
)

// orderBody is POST /orders ("Creates a new order and immediately submits
// it"; body decided in distributors.md → Nuvias).
type orderBody struct {
	PurchaseOrderNumber string         `json:"purchase_order_number,omitempty"`
	ShippingAddress     *address       `json:"shipping_address,omitempty"`
	ShippingType        int            `json:"shipping_type,omitempty"`
	EndUser             string         `json:"end_user,omitempty"`
	PartShip            bool           `json:"part_ship"`
	LineItems           []orderLineOut `json:"line_items"`
}

type orderLineOut struct {
	Product  int `json:"product"`
	Quantity int `json:"quantity"`
}

// order is the answer of POST /orders and GET /orders/{id}.
// shipped_quantity is not in the seed; read when present.
type order struct {
	ID                  flexNum `json:"id"`
	PurchaseOrderNumber string  `json:"purchase_order_number"`
	Status              string  `json:"status"`
	AttentionRequired   *string `json:"attention_required"`
	LineItems           []struct {
		Product         flexNum  `json:"product"`
		ProductCode     string   `json:"product_code"`
		Quantity        flexNum  `json:"quantity"`
		ShippedQuantity *flexNum `json:"shipped_quantity"`
	} `json:"line_items"`
	Shipments []struct {
		TrackingNumber string `json:"tracking_number"`
		Date           string `json:"date"`
		Items          []struct {
			Product     flexNum `json:"product"`
			ProductCode string  `json:"product_code"`
			Quantity    flexNum `json:"quantity"`
		} `json:"items"`
	} `json:"shipments"`
}

func (o *order) attention() string {
	if o.AttentionRequired == nil {
		return ""
	}
	return strings.TrimSpace(*o.AttentionRequired)
}

// PlaceOrder is POST /orders, sent once: it is never retried except after
// a 401 (the Hub did not act on it). A timeout or 5xx after sending gives
// an Uncertain error. The shipping address is the quote's ShipTo inline,
// else the organisation's first saved address (sent inline with its id);
// shipping_type and part_ship come from the connection's settings.
func (c *Client) PlaceOrder(ctx context.Context, o distributors.Order) (distributors.OrderReceipt, error) {
	ctx, cancel := c.up.WithTimeout(ctx)
	defer cancel()
	const call = "PlaceOrder"
	body := orderBody{
		PurchaseOrderNumber: purchaseOrderNumber(o),
		ShippingType:        max(c.settings.ShippingType, 0),
		EndUser:             strings.TrimSpace(o.EndUser.Name),
		PartShip:            c.settings.PartShip,
	}
	var problems []distributors.LineProblem
	for _, l := range o.Lines {
		id, ok := parseID(l.ProductID)
		switch {
		case !ok:
			problems = append(problems, distributors.LineProblem{LineID: l.LineID, ProductID: l.ProductID, Message: "not a Nuvias product id"})
		case l.Quantity <= 0 || l.Quantity != math.Trunc(l.Quantity) || l.Quantity > math.MaxInt32:
			problems = append(problems, distributors.LineProblem{LineID: l.LineID, ProductID: l.ProductID, Message: "Nuvias takes whole positive quantities only"})
		default:
			body.LineItems = append(body.LineItems, orderLineOut{Product: id, Quantity: int(l.Quantity)})
		}
	}
	if len(problems) > 0 {
		return distributors.OrderReceipt{}, &distributors.Error{Distributor: Name, Call: call, Kind: distributors.KindInvalid, Message: "order lines cannot be sent to Nuvias", Problems: problems}
	}
	if len(body.LineItems) == 0 {
		return distributors.OrderReceipt{}, distributors.Errorf(Name, call, distributors.KindInvalid, "the order has no lines")
	}
	if o.ShipTo != nil {
		a, err := shipTo(o)
		if err != nil {
			return distributors.OrderReceipt{}, err
		}
		body.ShippingAddress = a
	} else {
		as, err := c.addresses(ctx)
		if err != nil {
			return distributors.OrderReceipt{}, err
		}
		if len(as) > 0 {
			body.ShippingAddress = &as[0]
		}
	}

	resp, err := c.send(ctx, request{call: callCreateOrder, method: http.MethodPost, path: pathOrders, body: body})
	if err != nil {
		return distributors.OrderReceipt{}, err
	}
	switch {
	case resp.StatusCode == http.StatusUnprocessableEntity:
		msg := upstream.MessageOf(resp.Body)
		if msg == "" {
			msg = "order rejected"
		}
		return distributors.OrderReceipt{}, c.up.Scrub(&distributors.Error{Distributor: Name, Call: callCreateOrder,
			Kind: distributors.KindRejected, StatusCode: resp.StatusCode, Message: msg, Problems: lineProblems(resp.Body, o.Lines)})
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return distributors.OrderReceipt{}, c.statusError(callCreateOrder, resp)
	}
	var got order
	if err := json.Unmarshal(resp.Body, &got); err != nil || got.ID == 0 {
		if err == nil {
			err = fmt.Errorf("no order id")
		}
		// Accepted but unreadable: the order probably exists.
		e := c.up.DecodeError(callCreateOrder, err).(*distributors.Error)
		e.Uncertain = true
		return distributors.OrderReceipt{}, e
	}
	st := strings.ToUpper(strings.TrimSpace(got.Status))
	if st == statusAttentionRequired || st == statusFailed {
		msg := got.attention()
		if msg == "" {
			msg = "order " + got.ID.id() + " is " + st
		} else {
			msg = "order " + got.ID.id() + " is " + st + ": " + msg
		}
		return distributors.OrderReceipt{}, c.up.Scrub(&distributors.Error{Distributor: Name, Call: callCreateOrder, Kind: distributors.KindRejected, StatusCode: resp.StatusCode, Message: msg})
	}
	return distributors.OrderReceipt{OrderID: got.ID.id(), Status: st, Message: got.attention()}, nil
}

// shipTo builds the inline shipping_address from the quote's delivery
// address; the Hub wants a numeric country code.
func shipTo(o distributors.Order) (*address, error) {
	s := o.ShipTo
	a := &address{CompanyName: strings.TrimSpace(s.Name), City: s.City, PostalCode: s.Zip}
	if a.CompanyName == "" {
		a.CompanyName = strings.TrimSpace(o.EndUser.Name)
	}
	a.RecipientName = strings.TrimSpace(o.Buyer.FirstName + " " + o.Buyer.LastName)
	if a.RecipientName == "" {
		a.RecipientName = strings.TrimSpace(o.EndUser.ContactName)
	}
	var lines []string
	for _, l := range s.Lines {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > 3 {
		lines = append(lines[:2], strings.Join(lines[2:], ", "))
	}
	fields := []*string{&a.AddrLine1, &a.AddrLine2, &a.AddrLine3}
	for i, l := range lines {
		*fields[i] = l
	}
	n, ok := numericCountry(s.CountryCode)
	if !ok {
		return nil, distributors.Errorf(Name, "PlaceOrder", distributors.KindInvalid, "unknown country code %q in the delivery address", s.CountryCode)
	}
	a.CountryCode = flexNum(n)
	return a, nil
}

var lineIndex = regexp.MustCompile(`line_items\D{0,3}(\d+)`)

// lineProblems reads per-line reasons from a 422 body. The seed gives no
// schema, so it accepts an "errors" object keyed like "line_items.0.quantity"
// or "line_items[0]" and an "errors" array of {line|index|product, message}.
func lineProblems(body []byte, lines []distributors.OrderLine) []distributors.LineProblem {
	var eb struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &eb) != nil || len(eb.Errors) == 0 {
		return nil
	}
	var out []distributors.LineProblem
	add := func(idx int, product, msg string) {
		msg = strings.TrimSpace(msg)
		if msg == "" {
			return
		}
		switch {
		case idx >= 0 && idx < len(lines):
			out = append(out, distributors.LineProblem{LineID: lines[idx].LineID, ProductID: lines[idx].ProductID, Message: upstream.Clip(msg)})
		case product != "":
			for _, l := range lines {
				if n, ok := parseID(l.ProductID); ok && strconv.Itoa(n) == product {
					out = append(out, distributors.LineProblem{LineID: l.LineID, ProductID: l.ProductID, Message: upstream.Clip(msg)})
				}
			}
		}
	}
	var byKey map[string]any
	if json.Unmarshal(eb.Errors, &byKey) == nil {
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			m := lineIndex.FindStringSubmatch(k)
			if m == nil {
				continue
			}
			idx, _ := strconv.Atoi(m[1])
			for _, s := range texts(byKey[k]) {
				add(idx, "", s)
			}
		}
		return out
	}
	var list []map[string]any
	if json.Unmarshal(eb.Errors, &list) == nil {
		for _, e := range list {
			idx := -1
			for _, k := range []string{"line", "index", "line_item"} {
				if f, ok := e[k].(float64); ok {
					idx = int(f)
				}
			}
			product := ""
			if f, ok := e["product"].(float64); ok {
				product = strconv.Itoa(int(f))
			}
			if f, ok := e["field"].(string); ok && idx < 0 {
				if m := lineIndex.FindStringSubmatch(f); m != nil {
					idx, _ = strconv.Atoi(m[1])
				}
			}
			for _, s := range texts(e["message"]) {
				add(idx, product, s)
			}
		}
	}
	return out
}

func texts(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// stateOf maps a Hub order status (distributors.md → Nuvias Hub, "Order
// statuses").
func stateOf(status string) distributors.OrderState {
	switch status {
	case statusCreated:
		return distributors.OrderOpen
	case statusProcessing, statusAccepted:
		return distributors.OrderProcessing
	case statusPartShipped:
		return distributors.OrderPartShipped
	case statusShipped:
		return distributors.OrderShipped
	case statusComplete:
		return distributors.OrderInvoiced
	case statusAttentionRequired, statusPendingAuthorisation:
		return distributors.OrderOnHold
	case statusFailed:
		return distributors.OrderFailed
	case statusCancelled:
		return distributors.OrderCancelled
	}
	return distributors.OrderProcessing // a status added later: in progress
}

// neutral maps an order. Lines are delivered in full once the order is
// SHIPPED or COMPLETE; before that, by the quantities in its shipments,
// shared out over lines of the same product in order.
func (o *order) neutral(ref distributors.OrderRef) distributors.OrderStatus {
	st := strings.ToUpper(strings.TrimSpace(o.Status))
	state := stateOf(st)
	out := distributors.OrderStatus{Ref: ref, OrderID: o.ID.id(), State: state, StatusText: st, Message: o.attention()}

	type shipInfo struct {
		qty      float64
		tracking []string
		date     time.Time
	}
	shipped := map[string]*shipInfo{} // by product id, else "code:" + product code
	keyOf := func(id flexNum, code string) string {
		if id != 0 {
			return id.id()
		}
		return "code:" + strings.ToLower(strings.TrimSpace(code))
	}
	for _, s := range o.Shipments {
		d, _ := time.Parse("2006-01-02", strings.TrimSpace(s.Date))
		for _, it := range s.Items {
			k := keyOf(it.Product, it.ProductCode)
			si := shipped[k]
			if si == nil {
				si = &shipInfo{}
				shipped[k] = si
			}
			si.qty += float64(it.Quantity)
			if tn := strings.TrimSpace(s.TrackingNumber); tn != "" && !slices.Contains(si.tracking, tn) {
				si.tracking = append(si.tracking, tn)
			}
			if d.After(si.date) {
				si.date = d
			}
		}
	}
	for _, li := range o.LineItems {
		l := distributors.OrderLineStatus{ProductID: li.Product.id(), PartNumber: strings.TrimSpace(li.ProductCode), Quantity: float64(li.Quantity), StatusText: st}
		si := shipped[keyOf(li.Product, li.ProductCode)]
		if si == nil && li.ProductCode != "" {
			si = shipped[keyOf(0, li.ProductCode)]
		}
		switch {
		case si != nil:
			take := math.Min(si.qty, l.Quantity)
			si.qty -= take
			l.Delivered = take
			l.Tracking, l.ShipDate = si.tracking, si.date
		case li.ShippedQuantity != nil:
			l.Delivered = math.Min(float64(*li.ShippedQuantity), l.Quantity)
		}
		if state == distributors.OrderShipped || state == distributors.OrderInvoiced {
			l.Delivered = l.Quantity
		}
		switch {
		case state == distributors.OrderOnHold || state == distributors.OrderFailed || state == distributors.OrderCancelled:
			l.State = state
		case l.Quantity > 0 && l.Delivered >= l.Quantity:
			l.State = distributors.OrderShipped
			if state == distributors.OrderInvoiced {
				l.State = distributors.OrderInvoiced
			}
		case l.Delivered > 0:
			l.State = distributors.OrderPartShipped
		case state == distributors.OrderOpen:
			l.State = distributors.OrderOpen
		default:
			l.State = distributors.OrderProcessing
		}
		out.Lines = append(out.Lines, l)
	}
	return out
}

// OrderStatus is GET /orders/{id} per ref, at most Concurrency at a time
// (the Hub has no batch read). Orders the Hub does not know (404), ids that
// are not Hub ids, and refs by customer number (the Hub's order id is what
// PlaceOrder returned) are left out.
func (c *Client) OrderStatus(ctx context.Context, refs []distributors.OrderRef) ([]distributors.OrderStatus, error) {
	ctx, cancel := c.up.WithTimeout(ctx)
	defer cancel()
	res := make([]*distributors.OrderStatus, len(refs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.f.concurrency)
	for i, ref := range refs {
		id, ok := parseID(ref.ID)
		if !ok || ref.ByCustomerNumber {
			continue
		}
		g.Go(func() error {
			var o order
			_, err := c.do(gctx, request{call: callOrder, method: http.MethodGet, path: fmt.Sprintf(pathOrder, url.PathEscape(strconv.Itoa(id)))}, &o)
			if distributors.KindOf(err) == distributors.KindNotFound {
				return nil
			}
			if err != nil {
				return err
			}
			st := o.neutral(ref)
			res[i] = &st
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []distributors.OrderStatus
	for _, r := range res {
		if r != nil {
			out = append(out, *r)
		}
	}
	return out, nil
}
