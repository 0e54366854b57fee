// Package mock has function-field fakes of the distributors interfaces, in
// the manner of benbjohnson/wtf's mock package: a test sets the functions
// it expects to be called and the fake records nothing else. An unset
// function answers NotSupported (List: nothing), so a fake that can only
// report order status needs no more than OrderStatusFn.
package mock

import (
	"context"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// Distributor is a fake distributors.Distributor.
type Distributor struct {
	Key    string                    // Name()
	Acct   string                    // Account(); default "fake-<name>"
	Caps   distributors.Capabilities // Capabilities()
	TestFn func(context.Context) (string, error)

	CurrenciesFn  func(ctx context.Context) ([]string, error)
	SearchFn      func(ctx context.Context, q distributors.Query) ([]distributors.Product, error)
	ProductsFn    func(ctx context.Context, ids []string, currency string) ([]distributors.Product, error)
	OffersFn      func(ctx context.Context, ids []string, currency string) (map[string]distributors.Offer, error)
	ListFn        func(ctx context.Context, kind distributors.ListKind) ([]distributors.ListItem, error)
	AddressesFn   func(ctx context.Context) (distributors.Addresses, error)
	PlaceOrderFn  func(ctx context.Context, o distributors.Order) (distributors.OrderReceipt, error)
	FindOrderFn   func(ctx context.Context, o distributors.Order, since time.Time) (distributors.OrderReceipt, bool, error)
	OrderStatusFn func(ctx context.Context, refs []distributors.OrderRef) ([]distributors.OrderStatus, error)
}

var _ distributors.Distributor = (*Distributor)(nil)

func (d *Distributor) Name() string { return d.Key }
func (d *Distributor) Account() string {
	if d.Acct == "" {
		return "fake-" + d.Key
	}
	return d.Acct
}
func (d *Distributor) Capabilities() distributors.Capabilities { return d.Caps }

func (d *Distributor) Currencies(ctx context.Context) ([]string, error) {
	if d.CurrenciesFn == nil {
		return nil, distributors.NotSupported(d.Key, "Currencies")
	}
	return d.CurrenciesFn(ctx)
}

func (d *Distributor) Search(ctx context.Context, q distributors.Query) ([]distributors.Product, error) {
	if d.SearchFn == nil {
		return nil, distributors.NotSupported(d.Key, "Search")
	}
	return d.SearchFn(ctx, q)
}

func (d *Distributor) Products(ctx context.Context, ids []string, currency string) ([]distributors.Product, error) {
	if d.ProductsFn == nil {
		return nil, distributors.NotSupported(d.Key, "Products")
	}
	return d.ProductsFn(ctx, ids, currency)
}

func (d *Distributor) Offers(ctx context.Context, ids []string, currency string) (map[string]distributors.Offer, error) {
	if d.OffersFn == nil {
		return nil, distributors.NotSupported(d.Key, "Offers")
	}
	return d.OffersFn(ctx, ids, currency)
}

func (d *Distributor) List(ctx context.Context, kind distributors.ListKind) ([]distributors.ListItem, error) {
	if d.ListFn == nil {
		return nil, nil
	}
	return d.ListFn(ctx, kind)
}

func (d *Distributor) Addresses(ctx context.Context) (distributors.Addresses, error) {
	if d.AddressesFn == nil {
		return distributors.Addresses{}, distributors.NotSupported(d.Key, "Addresses")
	}
	return d.AddressesFn(ctx)
}

func (d *Distributor) PlaceOrder(ctx context.Context, o distributors.Order) (distributors.OrderReceipt, error) {
	if d.PlaceOrderFn == nil {
		return distributors.OrderReceipt{}, distributors.NotSupported(d.Key, "PlaceOrder")
	}
	return d.PlaceOrderFn(ctx, o)
}

func (d *Distributor) FindOrder(ctx context.Context, o distributors.Order, since time.Time) (distributors.OrderReceipt, bool, error) {
	if d.FindOrderFn == nil {
		return distributors.OrderReceipt{}, false, distributors.NotSupported(d.Key, "FindOrder")
	}
	return d.FindOrderFn(ctx, o, since)
}

func (d *Distributor) OrderStatus(ctx context.Context, refs []distributors.OrderRef) ([]distributors.OrderStatus, error) {
	if d.OrderStatusFn == nil {
		return nil, distributors.NotSupported(d.Key, "OrderStatus")
	}
	return d.OrderStatusFn(ctx, refs)
}

func (d *Distributor) Test(ctx context.Context) (string, error) {
	if d.TestFn == nil {
		return "fake " + d.Key, nil
	}
	return d.TestFn(ctx)
}

// Factory is a fake distributors.Factory. Unset: no settings of its own
// (Parse returns nil), always enabled, New answers D, Account is D's.
// Section gives it settings: keys, dialog fields, credentials.
type Factory struct {
	Key, TitleText string
	D              distributors.Distributor
	Section        settings.Section
	// ParseFn reads its settings; what it returns reaches EnabledFn and
	// NewFn as s.
	ParseFn   func(r *settings.Reader) any
	EnabledFn func(s any) bool
	NewFn     func(s any) (distributors.Distributor, error)
}

var _ distributors.Factory = (*Factory)(nil)

func (f *Factory) Name() string             { return f.Key }
func (f *Factory) Title() string            { return f.TitleText }
func (f *Factory) Dialog() settings.Section { return f.Section }

func (f *Factory) Parse(r *settings.Reader) any {
	if f.ParseFn == nil {
		return nil
	}
	return f.ParseFn(r)
}

func (f *Factory) Enabled(s any) bool {
	return f.EnabledFn == nil || f.EnabledFn(s)
}

// Account is D's account, or "fake-<name>".
func (f *Factory) Account(any) string {
	if f.D != nil {
		return f.D.Account()
	}
	return "fake-" + f.Key
}

func (f *Factory) New(s any) (distributors.Distributor, error) {
	if f.NewFn != nil {
		return f.NewFn(s)
	}
	return f.D, nil
}

// Registry returns a registry whose every connection enables ds, titled by
// their names with a capital letter.
func Registry(ds ...*Distributor) *distributors.Registry {
	fs := make([]distributors.Factory, len(ds))
	for i, d := range ds {
		fs[i] = &Factory{Key: d.Key, TitleText: distributors.Capitalize(d.Key), D: d}
	}
	return distributors.NewRegistry(fs...)
}

// APIKeySettings are the settings of a factory made by WithAPIKey.
type APIKeySettings struct {
	Enabled bool
	APIKey  settings.Secret
}

// WithAPIKey is a factory for d with settings of its own, as a new
// distributor's package would have: a "<name>.enabled" checkbox and a
// required "<name>.apiKey" credential, in a dialog group placed at order.
// Enabled without a key, it is a KindConfig error.
func WithAPIKey(d *Distributor, title string, order int) *Factory {
	name := d.Key
	text := func(s string) settings.Text { return settings.Text{US: s, NO: s, GE: s} }
	return &Factory{Key: name, TitleText: title,
		Section: settings.Section{Order: order,
			Use: settings.Field{Key: name + ".enabled", Kind: settings.KindCheckbox, Default: "0", Name: text("Use " + title)},
			Fields: []settings.Field{
				{Key: name + ".apiKey", Kind: settings.KindPassword, Required: true, Name: text(title + " API key")},
			}},
		ParseFn: func(r *settings.Reader) any {
			return APIKeySettings{Enabled: r.Bool(name+".enabled", false), APIKey: r.Secret(name + ".apiKey")}
		},
		EnabledFn: func(s any) bool { return s.(APIKeySettings).Enabled },
		NewFn: func(s any) (distributors.Distributor, error) {
			if s.(APIKeySettings).APIKey == "" {
				return nil, &distributors.Error{Distributor: name, Kind: distributors.KindConfig, Message: name + ".apiKey is not set"}
			}
			return d, nil
		},
	}
}
