package distributors

import (
	"context"
	"time"
)

// Unsupported answers every Distributor method except Name, Capabilities
// and Test with a NotSupported error. An adapter that offers only part of the
// interface (Westcon: order status) embeds it and overrides what it can do.
type Unsupported struct{ Distributor string }

func (u Unsupported) Currencies(context.Context) ([]string, error) {
	return nil, NotSupported(u.Distributor, "Currencies")
}

func (u Unsupported) Search(context.Context, Query) ([]Product, error) {
	return nil, NotSupported(u.Distributor, "Search")
}

func (u Unsupported) Products(context.Context, []string, string) ([]Product, error) {
	return nil, NotSupported(u.Distributor, "Products")
}

func (u Unsupported) Offers(context.Context, []string, string) (map[string]Offer, error) {
	return nil, NotSupported(u.Distributor, "Offers")
}

func (u Unsupported) List(context.Context, ListKind) ([]ListItem, error) { return nil, nil }

func (u Unsupported) Addresses(context.Context) (Addresses, error) {
	return Addresses{}, NotSupported(u.Distributor, "Addresses")
}

func (u Unsupported) PlaceOrder(context.Context, Order) (OrderReceipt, error) {
	return OrderReceipt{}, NotSupported(u.Distributor, "PlaceOrder")
}

func (u Unsupported) OrderStatus(context.Context, []OrderRef) ([]OrderStatus, error) {
	return nil, NotSupported(u.Distributor, "OrderStatus")
}

func (u Unsupported) FindOrder(context.Context, Order, time.Time) (OrderReceipt, bool, error) {
	return OrderReceipt{}, false, NotSupported(u.Distributor, "FindOrder")
}
