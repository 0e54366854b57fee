package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/mapping"
	"github.com/quoteconnector/quoteconnector/internal/quote"
	"github.com/quoteconnector/quoteconnector/internal/store"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// orderGroup is the lines of one alternative that go to one distributor.
type orderGroup struct {
	distributor string
	lines       []int // positions in the alternative's lines
}

// ledgerKey names one distributor's order of one alternative
// (configuration.md, "Orders").
func ledgerKey(c Call, actx *so.QuoteAlternativeContextInfo, distributor string) store.OrderKey {
	k := store.OrderKey{Tenant: c.Tenant, ConnectionID: c.ConnectionID, Distributor: distributor}
	if actx.CRMQuote != nil {
		k.QuoteID = actx.CRMQuote.QuoteId
	}
	if actx.CRMQuoteVersion != nil {
		k.VersionID = actx.CRMQuoteVersion.QuoteVersionId
	}
	if a := actx.CRMAlternativeWithLines; a != nil && a.CRMAlternative != nil {
		k.AlternativeID = a.CRMAlternative.QuoteAlternativeId
	}
	return k
}

// PlaceOrder places one order per distributor for the alternative's lines
// (protocol §4.2 #27), through the order ledger: an order already placed
// for this alternative is never placed again, so a retry after a partial
// failure only sends what is missing, and a distributor named in the
// quote's ERPOrderKey is not ordered from again. ERPOrderKey lists the
// placed orders.
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
		if c.NoSettings {
			return fail(msgNoSettings, "no connection settings received or stored")
		}
		return fail(msgNothingToOrder, "no line carries a distributor product key")
	}

	// Orders the quote already names (placed earlier, here or by other
	// means) are never placed again.
	incoming := map[string]string{}
	for _, k := range distributors.SplitOrderKeys(actx.CRMQuote.ERPOrderKey) {
		if n, id, ok := distributors.ParseKey(k); ok {
			incoming[n] = id
		}
	}

	results := map[string]ledger.Result{}
	failures := map[string]error{}
	var toPlace []distributors.Distributor
	requests := map[string]ledger.Request{}
	senders := map[string]*orderSender{}
	currencyNotes := map[string]so.Text{}
	for _, name := range names {
		order := e.buildOrder(actx, groups[name])
		req := ledger.Request{Key: ledgerKey(c, actx, name), Lines: contentOf(alt, groups[name]), Reference: encodeReference(order)}
		if id, ok := incoming[name]; ok {
			results[name] = e.o.Ledger.Existing(ctx, req, id)
			continue
		}
		d, err := e.byName(c, name)
		if err == nil && !d.Capabilities().PlaceOrder {
			err = distributors.NotSupported(name, "PlaceOrder")
		}
		var note so.Text
		if err == nil {
			note, err = e.orderCurrency(ctx, c, d, &order, alt, groups[name])
		}
		if err != nil {
			failures[name] = err
			continue
		}
		if note.US != "" {
			currencyNotes[name] = note
		}
		req.Reference = encodeReference(order)
		requests[name], senders[name] = req, &orderSender{e: e, d: d, order: order}
		toPlace = append(toPlace, d)
	}
	placedNow, _ := fanOut(ctx, e, "PlaceOrder", toPlace, func(ctx context.Context, d distributors.Distributor) (ledger.Result, error) {
		return e.o.Ledger.Place(ctx, requests[d.Name()], senders[d.Name()]), nil
	})
	for name, r := range placedNow {
		results[name] = r
	}
	for _, name := range names {
		if r, ok := results[name]; ok {
			e.countOrder(name, r)
		}
	}

	var keys, placedNames []string
	var failedTexts, notes []so.Text
	log := zerolog.Ctx(ctx)
	for _, name := range names {
		if err, ok := failures[name]; ok {
			failedTexts = append(failedTexts, so.Textf(msgOrderFailed, e.displayName(name), orderFailureText(err)))
			continue
		}
		r := results[name]
		switch r.Outcome {
		case ledger.Placed:
			keys = append(keys, distributors.Key(name, r.OrderID))
			placedNames = append(placedNames, e.displayName(name)+" "+r.OrderID)
			if n, ok := currencyNotes[name]; ok {
				notes = append(notes, n)
			}
			if r.Sent || r.Reconciled {
				log.Info().Str("distributor", name).Str("order", r.OrderID).Bool("reconciled", r.Reconciled).Msg("order placed")
			}
		case ledger.Conflict:
			keys = append(keys, distributors.Key(name, r.OrderID))
			failures[name] = fmt.Errorf("order %s already placed with other lines", r.OrderID)
			failedTexts = append(failedTexts, so.Textf(msgOrderConflict, e.displayName(name), r.OrderID))
		case ledger.Uncertain:
			failures[name] = uncertainError(name, r.Err)
			if r.Sent {
				failedTexts = append(failedTexts, so.Textf(msgOrderUncertain, e.displayName(name)))
			} else {
				failedTexts = append(failedTexts, so.Textf(msgOrderUnresolved, e.displayName(name), orderFailureText(r.Err)))
			}
		case ledger.Busy:
			failures[name] = r.Err
			failedTexts = append(failedTexts, so.Textf(msgOrderBusy, e.displayName(name)))
		default: // Failed
			failures[name] = r.Err
			failedTexts = append(failedTexts, so.Textf(msgOrderFailed, e.displayName(name), orderFailureText(r.Err)))
			e.markOrderProblems(alt, groups[name], r.Err)
		}
	}
	// Keep every order the quote already named, also of distributors that
	// have no lines here any more.
	for n, id := range incoming {
		keys = append(keys, distributors.Key(n, id))
	}
	actx.CRMQuote.ERPOrderKey = distributors.JoinOrderKeys(keys)

	if len(failures) == 0 {
		resp.IsOk, resp.State = true, so.StatusOk
		resp.UserExplanation = so.JoinTexts(" ", append([]so.Text{so.Textf(msgOrderPlaced, strings.Join(placedNames, ", "))}, notes...)...).String()
		quote.ResetStatus(alt.CRMAlternative)
		return resp
	}
	failed := so.JoinTexts(" ", failedTexts...)
	if len(placedNames) > 0 {
		failed = so.JoinTexts(" ", append([]so.Text{so.Textf(msgOrderPartly, strings.Join(placedNames, ", "), failed)}, notes...)...)
	}
	if alt.CRMAlternative != nil {
		quote.ResetStatus(alt.CRMAlternative)
		quote.AddProblem(alt.CRMAlternative, so.StatusError, failed)
	}
	return fail(failed, describeFailures(failures))
}

// uncertainError describes an order whose outcome is unknown.
func uncertainError(name string, cause error) error {
	msg := "the order was not confirmed"
	if cause != nil {
		msg += ": " + userMessage(cause)
	}
	return &distributors.Error{Distributor: name, Call: "PlaceOrder", Kind: distributors.KindUnavailable, Uncertain: true, Message: msg, Err: cause}
}

// orderSender is one distributor's order for the ledger.
type orderSender struct {
	e     *Engine
	d     distributors.Distributor
	order distributors.Order
}

// Send places the order. The request to the distributor goes on when
// SuperOffice hangs up: a definite answer is worth more than an early
// return, and it is what keeps the order out of the uncertain state.
func (s *orderSender) Send(ctx context.Context) (string, error) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.e.o.DistributorTimeout)
	defer cancel()
	r, err := s.d.PlaceOrder(sctx, s.order)
	return r.OrderID, err
}

// Find looks an uncertain order up by the reference and lines that were
// sent.
func (s *orderSender) Find(ctx context.Context, reference string, lines []ledger.Line, since time.Time) (string, bool, error) {
	if !s.d.Capabilities().FindOrder {
		return "", false, distributors.NotSupported(s.d.Name(), "FindOrder")
	}
	o := decodeReference(reference)
	for i, l := range lines {
		_, id, _ := distributors.ParseKey(l.ProductKey)
		o.Lines = append(o.Lines, distributors.OrderLine{LineID: i, ProductID: id, Quantity: l.Quantity})
	}
	r, found, err := s.d.FindOrder(ctx, o, since)
	return r.OrderID, found, err
}

// contentOf is what the ledger compares: the group's (ERPProductKey,
// quantity) pairs.
func contentOf(alt *so.QuoteAlternativeWithLinesInfo, g *orderGroup) []ledger.Line {
	out := make([]ledger.Line, 0, len(g.lines))
	for _, i := range g.lines {
		l := alt.CRMQuoteLines[i]
		out = append(out, ledger.Line{ProductKey: strings.TrimSpace(l.ERPProductKey), Quantity: l.Quantity})
	}
	return out
}

// orderReference is what an order can be found by again.
type orderReference struct {
	Reference string `json:"ref"`
	PONumber  string `json:"po,omitempty"`
	Currency  string `json:"cur,omitempty"`
}

func encodeReference(o distributors.Order) string {
	b, _ := json.Marshal(orderReference{o.Reference, o.PONumber, o.Currency})
	return string(b)
}

// ReferenceText is a ledger row's reference as people read it: the
// reference sent, the PO number when it differs, the currency.
func ReferenceText(stored string) string {
	o := decodeReference(stored)
	out := o.Reference
	if o.PONumber != "" && o.PONumber != o.Reference {
		out += " (PO " + o.PONumber + ")"
	}
	if o.Currency != "" {
		out += ", " + o.Currency
	}
	return out
}

func decodeReference(s string) distributors.Order {
	var r orderReference
	if json.Unmarshal([]byte(s), &r) != nil {
		r.Reference = s
	}
	return distributors.Order{Reference: r.Reference, PONumber: r.PONumber, Currency: r.Currency}
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
			o.Currency = quoteCurrency(cur)
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

// orderCurrency makes the order what the distributor expects: in the
// lines' currency when the distributor prices in it, else (the quote was
// converted) in the distributor's first currency, the one its prices were
// converted from. For a converted quote it returns the note that says so,
// with the rate the quote was made with: the lines' own record of it
// (ExtraInfo), else today's rate, named as such.
func (e *Engine) orderCurrency(ctx context.Context, c Call, d distributors.Distributor, o *distributors.Order, alt *so.QuoteAlternativeWithLinesInfo, g *orderGroup) (so.Text, error) {
	if o.Currency == "" || !d.Capabilities().Catalog {
		// Without a catalog nothing of this distributor was ever priced,
		// let alone converted.
		return so.Text{}, nil
	}
	cctx, cancel := context.WithTimeout(ctx, e.o.DistributorTimeout)
	defer cancel()
	offered, err := d.Currencies(cctx)
	if err != nil {
		return so.Text{}, err
	}
	if len(offered) == 0 || contains(offered, o.Currency) {
		return so.Text{}, nil
	}
	quoted := o.Currency
	o.Currency = offered[0]
	for _, i := range g.lines {
		v, ok := mapping.FieldValue(alt.CRMQuoteLines[i].ExtraInfo, mapping.FieldExchangeRate)
		if !ok || !strings.HasPrefix(v, "1 "+o.Currency+" = ") {
			continue
		}
		rate, from := splitRateText(v)
		return so.Textf(msgOrderCurrency, e.displayName(d.Name()), o.Currency, quoted, rate, from), nil
	}
	conv, err := e.book(c).Conversion(o.Currency, quoted)
	if err != nil {
		return so.Textf(msgOrderCurrencyToday, e.displayName(d.Name()), o.Currency, quoted, "", msgRateNone), nil
	}
	rate, from := splitRateText(mapping.RateText(conv))
	return so.Textf(msgOrderCurrencyToday, e.displayName(d.Name()), o.Currency, quoted, rate, from), nil
}

var dayMarker = regexp.MustCompile(`\[D:[^\]]*\]`)

// splitRateText splits mapping.RateText's description ("1 EUR = [F:11.7215]
// NOK, reference rate of [D:01/31/2024]") into the rate and where it is
// from, in the user's languages (the ExtraInfo value is English only).
func splitRateText(v string) (string, so.Text) {
	rate := v
	if i := strings.IndexAny(v, ",("); i > 0 {
		rate = strings.TrimSpace(v[:i])
	}
	day := dayMarker.FindString(v)
	switch {
	case strings.Contains(v, "fixed in the connection settings"):
		return rate, msgRateFixed
	case day != "":
		return rate, so.Textf(msgRateOfDay, day)
	}
	return rate, so.Text{}
}
