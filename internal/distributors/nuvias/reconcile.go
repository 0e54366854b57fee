package nuvias

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

// Account identifies the Hub account: base URL and client id, digested.
// s is the connection's Settings.
func (f *Factory) Account(s any) string { return f.account(s.(Settings)) }

func (f *Factory) account(s Settings) string {
	return distributors.AccountID(Name, f.base, strings.TrimSpace(s.ClientID))
}

// Account is the factory's Account of this client's settings.
func (c *Client) Account() string { return c.f.account(c.settings) }

// findPerPage and findPages bound a lookup by reference.
const (
	findPerPage = 100
	findPages   = 5
	callOrders  = "orders"
)

// FindOrder is GET /orders with the seed's text filter ("Hub Reference,
// Supplier Reference and Purchase order") on the purchase order number
// PlaceOrder sent, from the day of since on; an order matches when its
// purchase_order_number and its line items equal what was sent. When more
// orders match the text than are read, the answer is an error: "not found"
// must be certain.
func (c *Client) FindOrder(ctx context.Context, o distributors.Order, since time.Time) (distributors.OrderReceipt, bool, error) {
	ctx, cancel := c.f.up.WithTimeout(ctx)
	defer cancel()
	po := purchaseOrderNumber(o)
	if po == "" {
		return distributors.OrderReceipt{}, false, distributors.Errorf(Name, callOrders, distributors.KindInvalid, "the order has no purchase order number to look it up by")
	}
	want := make([]string, 0, len(o.Lines))
	for _, l := range o.Lines {
		want = append(want, fmt.Sprintf("%s×%g", strings.TrimSpace(l.ProductID), l.Quantity))
	}
	wantSet := joinSorted(want)
	for page := 1; page <= findPages; page++ {
		q := url.Values{"text": {po}, "start_date": {since.UTC().Format("2006-01-02")},
			"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(findPerPage)}}
		var orders []order
		if _, err := c.do(ctx, request{call: callOrders, method: http.MethodGet, path: pathOrders, query: q}, &orders); err != nil {
			return distributors.OrderReceipt{}, false, err
		}
		for _, got := range orders {
			if !strings.EqualFold(strings.TrimSpace(got.PurchaseOrderNumber), po) {
				continue
			}
			have := make([]string, 0, len(got.LineItems))
			for _, l := range got.LineItems {
				have = append(have, fmt.Sprintf("%s×%g", l.Product.id(), float64(l.Quantity)))
			}
			if joinSorted(have) == wantSet {
				id := got.ID.id()
				return distributors.OrderReceipt{OrderID: id, Status: got.Status, Message: "Nuvias order " + id}, true, nil
			}
		}
		if len(orders) < findPerPage {
			return distributors.OrderReceipt{}, false, nil
		}
	}
	return distributors.OrderReceipt{}, false, distributors.Errorf(Name, callOrders, distributors.KindUnavailable,
		"more than %d orders carry %q: the order cannot be looked up reliably", findPerPage*findPages, po)
}

// purchaseOrderNumber is what PlaceOrder sends as purchase_order_number.
func purchaseOrderNumber(o distributors.Order) string {
	if po := strings.TrimSpace(o.PONumber); po != "" {
		return po
	}
	return strings.TrimSpace(o.Reference)
}

func joinSorted(parts []string) string {
	sort.Strings(parts)
	return strings.Join(parts, ";")
}
