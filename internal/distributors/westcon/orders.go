package westcon

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

// line is one entry of MT_OrderStatus_Response (seed sample response).
type line struct {
	ERPOrderNumber        string `json:"eRPOrderNumber"`
	ERPOrderLineNumber    string `json:"eRPOrderLineNumber"`
	CustomerOrderNumber   string `json:"customerOrderNumber"`
	ERPProductNumber      string `json:"eRPProductNumber"`
	LineQuantity          string `json:"lineQuantity"` // padded: " 2.000"
	UnitOfMeasure         string `json:"unitOfMeasure"`
	LineStatusCode        string `json:"lineStatusCode"`
	LineStatusDescription string `json:"lineStatusDescription"`
	StatusDate            string `json:"statusDate"` // yyyymmdd or ""
	ShipDate              string `json:"shipDate"`   // yyyymmdd or ""
	BillingDocument       string `json:"billingDocument"`
	ParentERPLine         string `json:"parentERPLine"`
}

// statusResponse accepts MT_OrderStatus_Response as an array, a single
// object (what SAP gateways send for one line) or null.
type statusResponse struct {
	Lines lines `json:"MT_OrderStatus_Response"`
}

type lines []line

func (ls *lines) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")) || len(b) == 0 || bytes.Equal(b, []byte(`""`)):
		*ls = nil
		return nil
	case b[0] == '{':
		var l line
		if err := json.Unmarshal(b, &l); err != nil {
			return err
		}
		*ls = lines{l}
		return nil
	}
	var out []line
	if err := json.Unmarshal(b, &out); err != nil {
		return err
	}
	*ls = out
	return nil
}

// quantity reads a padded quantity (" 2.000"); a comma is a decimal
// separator only when there is no dot.
func quantity(s string) float64 {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if strings.Contains(s, ",") {
		if strings.Contains(s, ".") {
			s = strings.ReplaceAll(s, ",", "")
		} else {
			s = strings.ReplaceAll(s, ",", ".")
		}
	}
	// SAP writes negative numbers with a trailing minus.
	if strings.HasSuffix(s, "-") {
		s = "-" + strings.TrimSuffix(s, "-")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return f
}

// date reads yyyymmdd; empty, zero ("00000000") or malformed is no date.
func date(s string) time.Time {
	t, err := time.Parse("20060102", strings.TrimSpace(s))
	if err != nil || t.Year() < 1900 {
		return time.Time{}
	}
	return t
}

// lineState maps lineStatusCode (OPN open, BCK back-ordered, SHI shipped,
// INV invoiced); other codes are judged by their description.
func lineState(code, desc string) distributors.OrderState {
	switch strings.ToUpper(strings.TrimSpace(code)) {
	case "OPN":
		return distributors.OrderOpen
	case "BCK":
		return distributors.OrderOnHold
	case "SHI":
		return distributors.OrderShipped
	case "INV":
		return distributors.OrderInvoiced
	}
	d := strings.ToLower(desc)
	switch {
	case strings.Contains(d, "cancel"), strings.Contains(d, "reject"):
		return distributors.OrderCancelled
	case strings.Contains(d, "invoice"), strings.Contains(d, "billed"):
		return distributors.OrderInvoiced
	case strings.Contains(d, "partial"):
		return distributors.OrderPartShipped
	case strings.Contains(d, "ship"), strings.Contains(d, "deliver"), strings.Contains(d, "dispatch"):
		return distributors.OrderShipped
	case strings.Contains(d, "back"), strings.Contains(d, "hold"), strings.Contains(d, "block"):
		return distributors.OrderOnHold
	case strings.Contains(d, "fail"), strings.Contains(d, "error"):
		return distributors.OrderFailed
	case strings.Contains(d, "open"), strings.Contains(d, "new"), strings.Contains(d, "received"):
		return distributors.OrderOpen
	}
	return distributors.OrderProcessing
}

// progress ranks states for "least advanced": a line that needs attention
// counts as least advanced of all, cancelled lines are ignored unless every
// line is cancelled.
func progress(s distributors.OrderState) int {
	switch s {
	case distributors.OrderFailed:
		return 0
	case distributors.OrderOnHold:
		return 1
	case distributors.OrderOpen:
		return 2
	case distributors.OrderProcessing:
		return 3
	case distributors.OrderPartShipped:
		return 4
	case distributors.OrderShipped:
		return 5
	case distributors.OrderInvoiced:
		return 6
	}
	return 7 // cancelled
}

// sameNumber compares order numbers ignoring surrounding space, case and
// SAP's leading zeros ("0006123454" is "6123454").
func sameNumber(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if strings.EqualFold(a, b) {
		return true
	}
	ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	return ta != "" && strings.EqualFold(ta, tb)
}

// build turns the lines answering one ref into its status: lines as
// reported (exact duplicates, which the seed's sample shows, once),
// Delivered = quantity for shipped and invoiced lines, the order state the
// least advanced line state (partly shipped when some lines are shipped and
// the rest are still open or in progress).
func build(ref distributors.OrderRef, ls []line) distributors.OrderStatus {
	out := distributors.OrderStatus{Ref: ref}
	seen := map[line]bool{}
	for _, l := range ls {
		dup := l
		dup.CustomerOrderNumber = "" // the seed's duplicates differ only here
		if seen[dup] {
			continue
		}
		seen[dup] = true
		if out.OrderID == "" {
			out.OrderID = strings.TrimSpace(l.ERPOrderNumber)
		}
		st := lineState(l.LineStatusCode, l.LineStatusDescription)
		ol := distributors.OrderLineStatus{
			ProductID:  strings.TrimSpace(l.ERPProductNumber),
			PartNumber: strings.TrimSpace(l.ERPProductNumber),
			Quantity:   quantity(l.LineQuantity),
			State:      st,
			StatusText: strings.TrimSpace(l.LineStatusDescription),
			ShipDate:   date(l.ShipDate),
			Invoice:    strings.TrimSpace(l.BillingDocument),
		}
		if ol.StatusText == "" {
			ol.StatusText = strings.TrimSpace(l.LineStatusCode)
		}
		// INV and SHI lines are delivered in full (distributors.md → Westcon).
		if st == distributors.OrderShipped || st == distributors.OrderInvoiced {
			ol.Delivered = ol.Quantity
		}
		if ol.Invoice != "" && !slices.Contains(out.Invoices, ol.Invoice) {
			out.Invoices = append(out.Invoices, ol.Invoice)
		}
		out.Lines = append(out.Lines, ol)
	}
	least, anyDelivered := -1, false
	for _, ol := range out.Lines {
		if ol.Delivered > 0 {
			anyDelivered = true
		}
		if ol.State == distributors.OrderCancelled {
			continue
		}
		if p := progress(ol.State); least < 0 || p < least {
			least, out.State, out.StatusText = p, ol.State, ol.StatusText
		}
	}
	switch {
	case least < 0 && len(out.Lines) > 0: // every line cancelled
		out.State, out.StatusText = distributors.OrderCancelled, out.Lines[0].StatusText
	case anyDelivered && (out.State == distributors.OrderOpen || out.State == distributors.OrderProcessing):
		out.State = distributors.OrderPartShipped
	}
	return out
}

// OrderStatus is POST /Orders/orderStatus: refs are grouped by order type
// (W Westcon order number, C the reseller's customer order number from
// ByCustomerNumber) and each group is asked for in one call. One status per
// ref that has lines, in request order; unknown orders are left out.
func (c *Client) OrderStatus(ctx context.Context, refs []distributors.OrderRef) ([]distributors.OrderStatus, error) {
	ctx, cancel := c.up.WithTimeout(ctx)
	defer cancel()
	groups := map[string][]string{}
	for _, r := range refs {
		id := strings.TrimSpace(r.ID)
		if id == "" {
			continue
		}
		t := orderTypeWestcon
		if r.ByCustomerNumber {
			t = orderTypeCustomer
		}
		if !slices.Contains(groups[t], id) {
			groups[t] = append(groups[t], id)
		}
	}
	answers := map[string][]line{}
	var types []string
	for _, t := range []string{orderTypeWestcon, orderTypeCustomer} {
		if len(groups[t]) > 0 {
			types = append(types, t)
		}
	}
	res := make([][]line, len(types))
	g, gctx := errgroup.WithContext(ctx)
	for i, t := range types {
		g.Go(func() error {
			ls, err := c.query(gctx, t, groups[t])
			res[i] = ls
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, t := range types {
		answers[t] = res[i]
	}

	var out []distributors.OrderStatus
	done := map[distributors.OrderRef]bool{}
	for _, r := range refs {
		r.ID = strings.TrimSpace(r.ID)
		if r.ID == "" || done[r] {
			continue
		}
		done[r] = true
		var mine []line
		if r.ByCustomerNumber {
			for _, l := range answers[orderTypeCustomer] {
				if strings.EqualFold(strings.TrimSpace(l.CustomerOrderNumber), r.ID) {
					mine = append(mine, l)
				}
			}
		} else {
			for _, l := range answers[orderTypeWestcon] {
				if sameNumber(l.ERPOrderNumber, r.ID) {
					mine = append(mine, l)
				}
			}
		}
		if len(mine) > 0 {
			out = append(out, build(r, mine))
		}
	}
	return out, nil
}
