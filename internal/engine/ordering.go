package engine

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/quote"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// orderGroup is the lines of one alternative that go to one distributor.
type orderGroup struct {
	distributor string
	lines       []int // positions in the alternative's lines
}

// orderStoreKey names one alternative of one quote of one tenant.
func orderStoreKey(c Call, actx *so.QuoteAlternativeContextInfo) string {
	quoteID, versionID, altID := 0, 0, 0
	if actx.CRMQuote != nil {
		quoteID = actx.CRMQuote.QuoteId
	}
	if actx.CRMQuoteVersion != nil {
		versionID = actx.CRMQuoteVersion.QuoteVersionId
	}
	if a := actx.CRMAlternativeWithLines; a != nil && a.CRMAlternative != nil {
		altID = a.CRMAlternative.QuoteAlternativeId
	}
	return fmt.Sprintf("%s|%d|%d|%d|%d", c.Tenant, c.ConnectionID, quoteID, versionID, altID)
}

// PlaceOrder places one order per distributor for the alternative's lines
// (protocol §4.2 #27). Orders already placed for this tenant and alternative
// are never placed again, so a retry after a partial failure only sends
// what is missing. ERPOrderKey lists the placed orders.
func (e *Engine) PlaceOrder(ctx context.Context, c Call, actx *so.QuoteAlternativeContextInfo) *so.PlaceOrderResponseInfo {
	alt := actx.CRMAlternativeWithLines
	if alt == nil {
		alt = &so.QuoteAlternativeWithLinesInfo{}
		actx.CRMAlternativeWithLines = alt
	}
	if actx.CRMQuote == nil {
		actx.CRMQuote = &so.QuoteInfo{}
	}
	resp := &so.PlaceOrderResponseInfo{OrderResponseInfo: so.OrderResponseInfo{CRMQuote: actx.CRMQuote, CRMQuoteVersion: actx.CRMQuoteVersion, CRMAlternativeWithLines: alt}}
	fail := func(msg so.Text, tech string) *so.PlaceOrderResponseInfo {
		resp.IsOk, resp.State, resp.UserExplanation, resp.TechExplanation = false, so.StatusError, msg.String(), tech
		return resp
	}

	groups := map[string]*orderGroup{}
	var names []string
	for i, l := range alt.CRMQuoteLines {
		if l == nil || l.Quantity <= 0 {
			continue
		}
		name, _, ok := distributors.ParseKey(l.ERPProductKey)
		if !ok || name == distributors.Best {
			continue
		}
		if groups[name] == nil {
			groups[name] = &orderGroup{distributor: name}
			names = append(names, name)
		}
		groups[name].lines = append(groups[name].lines, i)
	}
	sort.Strings(names)
	if len(groups) == 0 {
		return fail(msgNothingToOrder, "no line carries a distributor product key")
	}

	key := orderStoreKey(c, actx)
	unlock := e.orderMu.lock(key)
	defer unlock()
	prior, err := e.o.Orders.Placed(ctx, key)
	if err != nil {
		return fail(so.Textf(msgOrderFailed, "-", "order store unavailable"), err.Error())
	}
	placed := map[string]PlacedOrder{}
	for _, p := range prior {
		placed[p.Distributor] = p
	}

	var toPlace []distributors.Distributor
	failures := map[string]error{}
	orders := map[string]distributors.Order{}
	for _, name := range names {
		if _, done := placed[name]; done {
			continue
		}
		d, err := e.byName(c, name)
		if err == nil && !d.Capabilities().PlaceOrder {
			err = distributors.NotSupported(name, "PlaceOrder")
		}
		if err != nil {
			failures[name] = err
			continue
		}
		orders[name] = e.buildOrder(actx, groups[name])
		toPlace = append(toPlace, d)
	}
	receipts, placeFailures := fanOut(ctx, e, "PlaceOrder", toPlace, func(ctx context.Context, d distributors.Distributor) (distributors.OrderReceipt, error) {
		return d.PlaceOrder(ctx, orders[d.Name()])
	})
	for name, r := range receipts {
		p := PlacedOrder{Distributor: name, OrderID: r.OrderID, At: e.o.Now()}
		placed[name] = p
		if err := e.o.Orders.Record(ctx, key, p); err != nil {
			zerolog.Ctx(ctx).Error().Err(err).Str("distributor", name).Str("order", r.OrderID).Msg("placed order not recorded")
		}
		zerolog.Ctx(ctx).Info().Str("distributor", name).Str("order", r.OrderID).Msg("order placed")
	}
	for name, err := range placeFailures {
		failures[name] = err
		if distributors.IsUncertain(err) {
			p := PlacedOrder{Distributor: name, Uncertain: true, At: e.o.Now()}
			placed[name] = p
			_ = e.o.Orders.Record(ctx, key, p)
		}
		e.markOrderProblems(alt, groups[name], err)
	}
	// An earlier attempt that may or may not have created the order is
	// not sent again; it stays a failure the user must resolve.
	for _, name := range names {
		if p, ok := placed[name]; ok && p.Uncertain {
			if _, known := failures[name]; !known {
				failures[name] = &distributors.Error{Distributor: name, Call: "PlaceOrder", Kind: distributors.KindUnavailable, Uncertain: true, Message: "an earlier attempt was not confirmed"}
			}
		}
	}

	var keys, placedNames []string
	for _, name := range names {
		if p, ok := placed[name]; ok && !p.Uncertain {
			keys = append(keys, distributors.Key(name, p.OrderID))
			placedNames = append(placedNames, displayName(name)+" "+p.OrderID)
		}
	}
	// Keep keys of orders placed earlier by other means (e.g. Westcon).
	for _, k := range distributors.SplitOrderKeys(actx.CRMQuote.ERPOrderKey) {
		if n, _, ok := distributors.ParseKey(k); ok && groups[n] == nil {
			keys = append(keys, k)
		}
	}
	actx.CRMQuote.ERPOrderKey = distributors.JoinOrderKeys(keys)

	if len(failures) == 0 {
		resp.IsOk, resp.State = true, so.StatusOk
		resp.UserExplanation = so.Textf(msgOrderPlaced, strings.Join(placedNames, ", ")).String()
		quote.ResetStatus(alt.CRMAlternative)
		return resp
	}
	var failedTexts []so.Text
	for _, name := range sortedKeys(failures) {
		err := failures[name]
		if distributors.IsUncertain(err) {
			failedTexts = append(failedTexts, so.Textf(msgOrderUncertain, displayName(name)))
			continue
		}
		failedTexts = append(failedTexts, so.Textf(msgOrderFailed, displayName(name), orderFailureText(err)))
	}
	failed := so.JoinTexts(" ", failedTexts...)
	if len(placedNames) > 0 {
		failed = so.Textf(msgOrderPartly, strings.Join(placedNames, ", "), failed)
	}
	if alt.CRMAlternative != nil {
		quote.ResetStatus(alt.CRMAlternative)
		quote.AddProblem(alt.CRMAlternative, so.StatusError, failed)
	}
	return fail(failed, describeFailures(failures))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func orderFailureText(err error) string {
	var de *distributors.Error
	if ok := errors.As(err, &de); ok && de.Message != "" {
		return de.Message
	}
	return userMessage(err)
}

// markOrderProblems puts per-line reasons of a refused order on the lines.
func (e *Engine) markOrderProblems(alt *so.QuoteAlternativeWithLinesInfo, g *orderGroup, err error) {
	var de *distributors.Error
	if !errors.As(err, &de) || len(de.Problems) == 0 {
		return
	}
	for _, p := range de.Problems {
		if p.LineID < 0 || p.LineID >= len(alt.CRMQuoteLines) || alt.CRMQuoteLines[p.LineID] == nil {
			continue
		}
		quote.AddProblem(alt.CRMQuoteLines[p.LineID], so.StatusError, so.Same(p.Message))
	}
}

// buildOrder turns the group's lines and the quote's people into a
// distributor order. OrderLine.LineID is the line's position in the
// alternative, so problems map back to it.
func (e *Engine) buildOrder(actx *so.QuoteAlternativeContextInfo, g *orderGroup) distributors.Order {
	alt := actx.CRMAlternativeWithLines
	o := distributors.Order{}
	if v := actx.CRMQuoteVersion; v != nil {
		o.Reference = v.Number
	}
	if q := actx.CRMQuote; q != nil {
		o.PONumber = q.PoNumber
		o.Comment = q.OrderComment
		if o.Reference == "" && q.QuoteId != 0 {
			o.Reference = fmt.Sprintf("Q%d", q.QuoteId)
		}
	}
	if o.PONumber == "" {
		o.PONumber = o.Reference
	}
	for _, i := range g.lines {
		l := alt.CRMQuoteLines[i]
		_, id, _ := distributors.ParseKey(l.ERPProductKey)
		if _, cur, ok := distributors.ParseKey(l.ERPPriceListKey); ok && o.Currency == "" {
			o.Currency = strings.ToUpper(cur)
		}
		// A key naming a variant is the adapter's to read (OrderLine.ProductID).
		o.Lines = append(o.Lines, distributors.OrderLine{LineID: i, ProductID: id, Quantity: l.Quantity})
	}
	person := so.ParseParty(actx.CRMPerson)
	o.Buyer = distributors.Person{FirstName: person.Firstname, LastName: person.Lastname, Email: person.Email, Phone: person.Phone}
	if o.Buyer.FirstName == "" && o.Buyer.LastName == "" && person.FullName != "" {
		first, last, _ := strings.Cut(person.FullName, " ")
		o.Buyer.FirstName, o.Buyer.LastName = first, last
	}
	company := so.ParseParty(actx.CRMCompany)
	o.EndUser = distributors.Company{Name: company.Name, OrgNumber: company.OrganisationNumber, Email: company.Email, Phone: company.Phone,
		ContactName: strings.TrimSpace(person.Firstname + " " + person.Lastname), Address: fromAddressInfo(company.Address)}
	if actx.DeliveryAddress != nil && actx.DeliveryAddress.Line1 != "" {
		a := fromAddressInfo(*actx.DeliveryAddress)
		a.Name = company.Name
		o.ShipTo = &a
	}
	return o
}

func fromAddressInfo(a so.AddressInfo) distributors.Address {
	var lines []string
	for _, l := range []string{a.Line1, a.Line2, a.Line3} {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return distributors.Address{Lines: lines, City: a.City, Zip: a.Zip, CountryCode: a.CountryCode, Country: a.Country}
}
