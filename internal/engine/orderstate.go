package engine

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/quote"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// GetOrderState asks each distributor named in ERPOrderKey for its orders
// (and a distributor that finds orders by the reseller's own number, such
// as Westcon, for the version number), writes the lines' delivered
// quantities and statuses, and summarises the orders in the alternative's
// Status and Reason. It answers
// nil only when nothing changed (protocol §4.2 #28).
func (e *Engine) GetOrderState(ctx context.Context, c Call, actx *so.QuoteAlternativeContextInfo) (*so.OrderResponseInfo, error) {
	alt := actx.CRMAlternativeWithLines
	if alt == nil {
		alt = &so.QuoteAlternativeWithLinesInfo{}
		actx.CRMAlternativeWithLines = alt
	}
	if alt.CRMAlternative == nil {
		alt.CRMAlternative = &so.QuoteAlternativeInfo{}
	}
	resp := &so.OrderResponseInfo{CRMQuote: actx.CRMQuote, CRMQuoteVersion: actx.CRMQuoteVersion, CRMAlternativeWithLines: alt}

	refs := map[string][]distributors.OrderRef{}
	if actx.CRMQuote != nil {
		for _, k := range distributors.SplitOrderKeys(actx.CRMQuote.ERPOrderKey) {
			if name, id, ok := distributors.ParseKey(k); ok {
				refs[name] = append(refs[name], distributors.OrderRef{ID: id})
			}
		}
	}
	ds, failed := e.enabled(c)
	var asked []distributors.Distributor
	for _, d := range ds {
		if !d.Capabilities().OrderStatus {
			continue
		}
		// Orders placed outside this service are found by the version
		// number as the reseller's own order number (Westcon orderType C).
		if d.Capabilities().FindsOrdersByCustomerNumber && len(refs[d.Name()]) == 0 && actx.CRMQuoteVersion != nil && actx.CRMQuoteVersion.Number != "" {
			refs[d.Name()] = []distributors.OrderRef{{ID: actx.CRMQuoteVersion.Number, ByCustomerNumber: true}}
		}
		if len(refs[d.Name()]) > 0 {
			asked = append(asked, d)
		}
	}
	failures := map[string]error{}
	for name := range refs {
		if err, ok := failed[name]; ok {
			failures[name] = err
		}
	}
	if len(asked) == 0 && len(failures) == 0 {
		if len(refs) == 0 {
			resp.IsOk, resp.State, resp.UserExplanation = true, so.StatusOkWithInfo, msgNoOrderKey.String()
		} else {
			resp.IsOk, resp.State, resp.UserExplanation = false, so.StatusError, msgNoOrderState.String()
		}
		return resp, nil
	}
	results, fetchFailures := fanOut(ctx, e, "GetOrderState", asked, func(ctx context.Context, d distributors.Distributor) ([]distributors.OrderStatus, error) {
		return d.OrderStatus(ctx, refs[d.Name()])
	})
	failures = merge(failures, fetchFailures)

	before := snapshot(alt)
	var summaries []so.Text
	worst := so.StatusOk
	for _, name := range sortedKeys(refs) {
		statuses, ok := results[name]
		if !ok {
			continue
		}
		catalog := false
		for _, d := range asked {
			if d.Name() == name {
				catalog = d.Capabilities().Catalog
			}
		}
		known := map[string]bool{}
		for _, st := range statuses {
			known[strings.ToLower(st.Ref.ID)] = true
			known[strings.ToLower(st.OrderID)] = true
			s := orderQuoteStatus(st.State)
			worst = worst.Worst(s)
			summaries = append(summaries, so.Textf(msgOrderStatus, e.displayName(name), st.OrderID, orderText(st)))
			e.applyOrderLines(alt, name, catalog, st)
		}
		for _, r := range refs[name] {
			if !known[strings.ToLower(r.ID)] && !r.ByCustomerNumber {
				worst = worst.Worst(so.StatusWarning)
				summaries = append(summaries, so.Textf(msgOrderNotFound, e.displayName(name), r.ID))
			}
		}
	}
	quote.ResetStatus(alt.CRMAlternative)
	if len(summaries) > 0 {
		quote.AddProblem(alt.CRMAlternative, worst.Worst(so.StatusOkWithInfo), so.Textf(msgOrderState, so.JoinTexts("; ", summaries...)))
	}
	if len(failures) > 0 {
		down := make([]string, 0, len(failures))
		for _, n := range sortedKeys(failures) {
			down = append(down, e.displayName(n))
		}
		msg := so.Textf(msgUnavailable, strings.Join(down, ", "))
		quote.AddProblem(alt.CRMAlternative, so.StatusWarning, msg)
		resp.IsOk, resp.State = false, so.StatusError
		resp.UserExplanation, resp.TechExplanation = msg.String(), describeFailures(failures)
		return resp, nil
	}
	if snapshot(alt) == before {
		return nil, nil
	}
	resp.IsOk, resp.State = true, worst
	resp.UserExplanation = alt.CRMAlternative.Reason
	return resp, nil
}

// orderQuoteStatus maps an order state to the line/alternative status.
func orderQuoteStatus(s distributors.OrderState) so.QuoteStatus {
	switch s {
	case distributors.OrderOnHold:
		return so.StatusWarning
	case distributors.OrderFailed, distributors.OrderCancelled:
		return so.StatusError
	}
	return so.StatusOkWithInfo
}

func orderText(st distributors.OrderStatus) so.Text {
	t := stateText[st.State.String()]
	extra := st.StatusText
	if st.Message != "" {
		extra = strings.TrimSpace(extra + " " + st.Message)
	}
	if len(st.Invoices) > 0 {
		extra = strings.TrimSpace(extra + ", invoice " + strings.Join(st.Invoices, ", "))
	}
	if extra != "" {
		t = so.Textf(so.Text{US: "%s (%s)", NO: "%s (%s)", GE: "%s (%s)"}, t, extra)
	}
	return t
}

// applyOrderLines writes one order's line states onto the matching quote
// lines. Lines match by product id or part number; for a catalog
// distributor only its own lines are candidates, for Westcon (orders placed
// elsewhere) any line whose Code, SupplierCode or key matches.
func (e *Engine) applyOrderLines(alt *so.QuoteAlternativeWithLinesInfo, name string, catalog bool, st distributors.OrderStatus) {
	type agg struct {
		delivered float64
		status    so.QuoteStatus
		reasons   []so.Text
	}
	byLine := map[*so.QuoteLineInfo]*agg{}
	for _, ol := range st.Lines {
		for _, l := range alt.CRMQuoteLines {
			if l == nil || !lineMatches(l, name, catalog, ol) {
				continue
			}
			a := byLine[l]
			if a == nil {
				a = &agg{}
				byLine[l] = a
			}
			a.delivered += ol.Delivered
			a.status = a.status.Worst(orderQuoteStatus(ol.State))
			a.reasons = append(a.reasons, e.lineOrderText(name, st.OrderID, ol))
			break
		}
	}
	for l, a := range byLine {
		l.DeliveredQuantity = a.delivered
		l.Status = a.status
		l.Reason = so.JoinTexts("; ", a.reasons...).String()
	}
}

func lineMatches(l *so.QuoteLineInfo, name string, catalog bool, ol distributors.OrderLineStatus) bool {
	keyName, keyID, ok := distributors.ParseKey(l.ERPProductKey)
	if catalog && (!ok || keyName != name) {
		return false
	}
	candidates := []string{keyID, l.Code, l.SupplierCode}
	for _, want := range []string{ol.ProductID, ol.PartNumber} {
		if want == "" {
			continue
		}
		for _, have := range candidates {
			if have != "" && strings.EqualFold(strings.TrimSpace(have), strings.TrimSpace(want)) {
				return true
			}
		}
	}
	return false
}

func (e *Engine) lineOrderText(name, orderID string, ol distributors.OrderLineStatus) so.Text {
	parts := []string{}
	if ol.StatusText != "" {
		parts = append(parts, ol.StatusText)
	}
	if !ol.ShipDate.IsZero() {
		parts = append(parts, "shipped "+so.DateMarker(ol.ShipDate))
	}
	if len(ol.Tracking) > 0 {
		parts = append(parts, "tracking "+strings.Join(ol.Tracking, ", "))
	}
	if ol.Invoice != "" {
		parts = append(parts, "invoice "+ol.Invoice)
	}
	detail := strings.Join(parts, ", ")
	t := stateText[ol.State.String()]
	if detail != "" {
		t = so.Textf(so.Text{US: "%s (%s)", NO: "%s (%s)", GE: "%s (%s)"}, t, detail)
	}
	return so.Textf(msgOrderStatus, e.displayName(name), orderID, t)
}

// snapshot captures what GetOrderState may change, to tell "no change".
func snapshot(alt *so.QuoteAlternativeWithLinesInfo) string {
	var b strings.Builder
	if alt.CRMAlternative != nil {
		b.WriteString(alt.CRMAlternative.Status.String())
		b.WriteString(alt.CRMAlternative.Reason)
	}
	keys := make([]string, 0, len(alt.CRMQuoteLines))
	for _, l := range alt.CRMQuoteLines {
		if l == nil {
			continue
		}
		keys = append(keys, l.ERPProductKey+"|"+l.Status.String()+"|"+l.Reason+"|"+strconv.FormatFloat(l.DeliveredQuantity, 'g', -1, 64))
	}
	sort.Strings(keys)
	b.WriteString(strings.Join(keys, "\n"))
	return b.String()
}
