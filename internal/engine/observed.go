package engine

import (
	"context"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/activity"
	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/ledger"
)

// CallObserver learns the outcome of each distributor operation of each
// connection (the console's health view).
type CallObserver interface {
	ObserveCall(activity.Call)
}

// OrderCounter counts each distributor order's outcome
// (ledger.Result.Label).
type OrderCounter interface {
	OrderOutcome(distributor, outcome string)
}

// CacheCounter counts cache lookups.
type CacheCounter interface {
	CacheLookup(cache string, hit bool)
}

// observed is a connection's adapter that tells Options.Calls how each
// operation went and opens a trace span for it. It wraps every adapter the
// engine uses (enabled), so no call path can forget it.
type observed struct {
	distributors.Distributor
	e    *Engine
	call Call
}

// Unwrap returns the adapter itself, for code that needs more than the
// Distributor interface.
func (o observed) Unwrap() distributors.Distributor { return o.Distributor }

// start opens the operation's span; done records the outcome.
func (o observed) start(ctx context.Context, op string) (context.Context, func(error)) {
	begin := time.Now()
	ctx, end := startSpan(ctx, o.Name(), op)
	return ctx, func(err error) {
		end(err)
		if o.e.o.Calls == nil {
			return
		}
		c := activity.Call{Tenant: o.call.Tenant, ConnectionID: o.call.ConnectionID, Distributor: o.Name(),
			Operation: op, Duration: time.Since(begin)}
		if err != nil && unusable(err) {
			c.Failed, c.Message = true, userMessage(err)
		}
		o.e.o.Calls.ObserveCall(c)
	}
}

// unusable tells a failure of the distributor (unreachable, credentials
// refused, settings unusable, no answer in time) from a business answer
// (no such product, an order refused), after which the distributor works.
func unusable(err error) bool {
	switch distributors.KindOf(err) {
	case distributors.KindRejected, distributors.KindInvalid, distributors.KindNotFound, distributors.KindNotSupported:
		return false
	}
	return true
}

func (o observed) Currencies(ctx context.Context) (v []string, err error) {
	ctx, done := o.start(ctx, "Currencies")
	defer func() { done(err) }()
	return o.Distributor.Currencies(ctx)
}

func (o observed) Search(ctx context.Context, q distributors.Query) (v []distributors.Product, err error) {
	ctx, done := o.start(ctx, "Search")
	defer func() { done(err) }()
	return o.Distributor.Search(ctx, q)
}

func (o observed) Products(ctx context.Context, ids []string, currency string) (v []distributors.Product, err error) {
	ctx, done := o.start(ctx, "Products")
	defer func() { done(err) }()
	return o.Distributor.Products(ctx, ids, currency)
}

func (o observed) Offers(ctx context.Context, ids []string, currency string) (v map[string]distributors.Offer, err error) {
	ctx, done := o.start(ctx, "Offers")
	defer func() { done(err) }()
	return o.Distributor.Offers(ctx, ids, currency)
}

func (o observed) List(ctx context.Context, kind distributors.ListKind) (v []distributors.ListItem, err error) {
	ctx, done := o.start(ctx, "List")
	defer func() { done(err) }()
	return o.Distributor.List(ctx, kind)
}

func (o observed) Addresses(ctx context.Context) (v distributors.Addresses, err error) {
	ctx, done := o.start(ctx, "Addresses")
	defer func() { done(err) }()
	return o.Distributor.Addresses(ctx)
}

func (o observed) PlaceOrder(ctx context.Context, ord distributors.Order) (v distributors.OrderReceipt, err error) {
	ctx, done := o.start(ctx, "PlaceOrder")
	defer func() { done(err) }()
	return o.Distributor.PlaceOrder(ctx, ord)
}

func (o observed) FindOrder(ctx context.Context, ord distributors.Order, since time.Time) (v distributors.OrderReceipt, found bool, err error) {
	ctx, done := o.start(ctx, "FindOrder")
	defer func() { done(err) }()
	return o.Distributor.FindOrder(ctx, ord, since)
}

func (o observed) OrderStatus(ctx context.Context, refs []distributors.OrderRef) (v []distributors.OrderStatus, err error) {
	ctx, done := o.start(ctx, "OrderStatus")
	defer func() { done(err) }()
	return o.Distributor.OrderStatus(ctx, refs)
}

func (o observed) Test(ctx context.Context) (v string, err error) {
	ctx, done := o.start(ctx, "Test")
	defer func() { done(err) }()
	return o.Distributor.Test(ctx)
}

// OrderFinder returns what looks a ledger row's order up at its
// distributor with the connection's settings (the console's "check with
// the distributor"). It never places an order.
func (e *Engine) OrderFinder(c Call, distributor string) (ledger.Finder, error) {
	d, err := e.byName(c, distributor)
	if err != nil {
		return nil, err
	}
	return &orderSender{e: e, d: d}, nil
}

// countOrder tells Options.Orders one order's outcome.
func (e *Engine) countOrder(distributor string, r ledger.Result) {
	if e.o.Orders != nil {
		e.o.Orders.OrderOutcome(distributor, r.Label())
	}
}
