// Package distributors defines what the service needs from a distributor, in
// distributor-neutral terms, and the registry that builds the enabled ones
// from a connection's settings. One subpackage per distributor implements
// Distributor; they never import each other, the handlers or SuperOffice
// types (internal/mapping turns these types into carriers).
package distributors

import (
	"context"
	"time"
)

// Distributor is one distributor account of one connection. Methods take a
// context and are safe for concurrent use. A method the distributor cannot
// serve (see Capabilities) returns an error for which IsNotSupported is true;
// callers check Capabilities first and never type-switch on distributors.
// Errors from upstream are *Error values naming the distributor and call.
type Distributor interface {
	// Name is the key prefix ("<name>:<id>", configuration.md), lower case.
	Name() string
	// Account is a short, stable id of the distributor account the adapter
	// works for (a digest of its base URL and credential ids, see
	// AccountID): caches and sync jobs key on it; it never reveals a
	// credential.
	Account() string
	// Capabilities says which of the methods below do real work.
	Capabilities() Capabilities
	// Currencies are the currencies the account offers price lists in.
	Currencies(ctx context.Context) ([]string, error)
	// Search finds products matching free text. Results carry Offer (price
	// and stock) fetched in batches, capped at q.Limit.
	Search(ctx context.Context, q Query) ([]Product, error)
	// Products returns the products with the given ids (the key part after
	// "<name>:"), with Offer filled, in request order; unknown ids are left out.
	Products(ctx context.Context, ids []string, currency string) ([]Product, error)
	// Offers returns current price and stock for the ids in as few upstream
	// calls as the API allows; unknown ids are left out of the map.
	Offers(ctx context.Context, ids []string, currency string) (map[string]Offer, error)
	// List returns the items of one quote list; nil, nil when the
	// distributor has none of that kind.
	List(ctx context.Context, kind ListKind) ([]ListItem, error)
	// Addresses returns the account's billing and shipping addresses.
	Addresses(ctx context.Context) (Addresses, error)
	// PlaceOrder places one order. It is never retried blindly: a returned
	// error means the order may or may not exist only when
	// IsUncertain(err) is true.
	PlaceOrder(ctx context.Context, o Order) (OrderReceipt, error)
	// FindOrder looks for an order placed since the given time with o's
	// reference and exactly o's lines, to settle an attempt whose outcome
	// was unknown (Capabilities.FindOrder). found is false with a nil error
	// when the distributor has no such order.
	FindOrder(ctx context.Context, o Order, since time.Time) (r OrderReceipt, found bool, err error)
	// OrderStatus reads the state of several orders in as few calls as the
	// API allows. Orders the distributor does not know are left out.
	OrderStatus(ctx context.Context, refs []OrderRef) ([]OrderStatus, error)
	// Test checks the credentials with the cheapest calls that prove them and
	// returns a human description of what works (e.g. the account name).
	Test(ctx context.Context) (string, error)
}

// Capabilities lists what a distributor can do.
type Capabilities struct {
	Catalog     bool // Search, Products, Offers, Currencies
	VolumePrice bool // offers carry volume breaks
	Images      bool
	PlaceOrder  bool
	FindOrder   bool // an order can be looked up by its reference
	OrderStatus bool
	Addresses   bool
	// RejectsOverStock: with this connection's settings an order above
	// stock is refused (Logicom StockVerification, Nuvias without part
	// shipments), so validation for PlaceOrder makes it an Error.
	RejectsOverStock bool
	// ConfirmsOrders: the distributor mails the order confirmation itself
	// with this connection's settings (Logicom's ShopAccountEmail), so
	// SuperOffice's own confirmation step is not needed.
	ConfirmsOrders bool
	// FindsOrdersByCustomerNumber: OrderStatus also finds orders placed
	// outside this service, by the reseller's own order number (OrderRef
	// ByCustomerNumber; Westcon orderType C). Asked with the quote version
	// number when the quote names no order of the distributor.
	FindsOrdersByCustomerNumber bool
	Lists                       []ListKind
}

// HasList reports whether the distributor provides a quote list kind.
func (c Capabilities) HasList(k ListKind) bool {
	for _, l := range c.Lists {
		if l == k {
			return true
		}
	}
	return false
}

// ListKind names a SuperOffice quote list (protocol §8).
type ListKind string

const (
	ListProductCategory ListKind = "ProductCategory"
	ListProductFamily   ListKind = "ProductFamily"
	ListProductType     ListKind = "ProductType"
	ListPaymentTerms    ListKind = "PaymentTerms"
	ListPaymentType     ListKind = "PaymentType"
	ListDeliveryTerms   ListKind = "DeliveryTerms"
	ListDeliveryType    ListKind = "DeliveryType"
)

// AllLists are the quote lists of the protocol, in §8 order.
var AllLists = []ListKind{ListProductCategory, ListProductFamily, ListProductType, ListPaymentTerms, ListPaymentType, ListDeliveryTerms, ListDeliveryType}

// ListItem is one entry of a quote list.
type ListItem struct {
	Key         string
	Name        string
	Description string
}

// Query is a free-text product search.
type Query struct {
	Text     string // the user's words; "%" means everything
	Currency string // price currency; "" = the distributor's default
	Limit    int    // cap on results (search.maxResults)
}

// Product is one catalog item.
type Product struct {
	Distributor  string
	ID           string // key part after "<distributor>:" (Logicom SKU, Nuvias id)
	PartNumber   string // manufacturer part number: matches across distributors
	Name         string
	Description  string
	Manufacturer string
	Brand        string // product family
	CategoryKey  string
	CategoryName string
	ProductType  string
	ThumbnailURL string
	Images       []string // full-size images, first is the main one
	URL          string
	VATPercent   float64
	Warranty     string
	Barcode      string
	QuantityUnit string
	ESD          bool // electronic delivery; orders need the buyer's person data
	EndUserForm  bool // orders need the end customer's company data
	Discontinued bool
	// NotDiscountable marks a product whose price may not be discounted.
	NotDiscountable bool
	Specifications  []Spec
	Links           []Link // datasheets, guides
	Subscription    *Subscription
	Variants        []Variant
	Offer           *Offer // nil when price and stock were not fetched
}

type Spec struct{ Name, Value string }

type Link struct{ Name, URL string }

type Variant struct{ ID, Name string }

// Subscription describes a recurring product.
type Subscription struct {
	Unit       string // "month", "year"
	TermMonths int
	Plan       string
}

// Offer is what the distributor sells a product for right now, and how many
// it has.
type Offer struct {
	Currency   string
	Cost       float64 // unit price at quantity 1 without special price
	RRP        float64 // recommended retail price; 0 when none
	Special    *SpecialPrice
	Breaks     []PriceBreak // ascending by MinQuantity
	RecycleTax float64
	Stock      *Stock // nil when unknown
}

// SpecialPrice is a temporary price valid from From to To inclusive (UTC
// days).
type SpecialPrice struct {
	Price    float64
	From, To time.Time
}

// PriceBreak is a volume price from MinQuantity units on.
type PriceBreak struct {
	MinQuantity float64
	Price       float64
}

// Stock is availability at the distributor.
type Stock struct {
	Available float64
	Incoming  []Incoming // ascending by Date
}

// Incoming is a purchase order on its way to the distributor.
type Incoming struct {
	Quantity float64
	Date     time.Time
}

// SpecialActive reports whether the special price applies on day today.
func (o Offer) SpecialActive(today time.Time) bool {
	if o.Special == nil || o.Special.Price <= 0 {
		return false
	}
	d := today.UTC().Truncate(24 * time.Hour)
	from := o.Special.From.UTC().Truncate(24 * time.Hour)
	to := o.Special.To.UTC().Truncate(24 * time.Hour)
	return (o.Special.From.IsZero() || !d.Before(from)) && (o.Special.To.IsZero() || !d.After(to))
}

// CostAt is the unit price for a quantity on a day: the highest volume break
// whose MinQuantity ≤ qty, the special price when valid, the lower of the two
// when both apply (distributors.md, Logicom → Prices).
func (o Offer) CostAt(qty float64, today time.Time) float64 {
	cost := o.Cost
	for _, b := range o.Breaks {
		if b.MinQuantity <= qty && b.Price > 0 {
			cost = b.Price
		}
	}
	if o.SpecialActive(today) && o.Special.Price < cost {
		cost = o.Special.Price
	}
	return cost
}

// NextIncoming returns the first incoming purchase order, if any.
func (s *Stock) NextIncoming() (Incoming, bool) {
	if s == nil || len(s.Incoming) == 0 {
		return Incoming{}, false
	}
	return s.Incoming[0], true
}

// Address is a postal address at a distributor.
type Address struct {
	ID          string
	Name        string
	Lines       []string
	City        string
	Zip         string
	CountryCode string
	Country     string
}

// Addresses are an account's billing address and the shipping address the
// connection uses; either may be nil.
type Addresses struct {
	Billing  *Address
	Shipping *Address
}

// Person is the buyer's contact (ESD items need it).
type Person struct {
	FirstName, LastName, Email, Phone string
}

// Company is the end customer (end-user-form items need it).
type Company struct {
	Name, OrgNumber, Email, Phone, ContactName string
	Address                                    Address
}

// Order is one distributor order.
type Order struct {
	Reference string // the quote number; adapters reduce it to what they allow
	PONumber  string
	Currency  string
	Lines     []OrderLine
	Buyer     Person
	EndUser   Company
	ShipTo    *Address // the quote's delivery address; nil = the account's default
	Comment   string
}

// OrderLine is one product of an order.
type OrderLine struct {
	LineID int // the SuperOffice quote line, for problem reports
	// ProductID is the key part after "<name>:", as the adapter made it; an
	// adapter whose keys also name a variant reads it from there.
	ProductID string
	VariantID string
	Quantity  float64
}

// OrderReceipt is an accepted order.
type OrderReceipt struct {
	OrderID string
	Status  string
	Message string
}

// OrderRef names an order to look up.
type OrderRef struct {
	ID string
	// ByCustomerNumber means ID is the reseller's own order number rather
	// than the distributor's (Capabilities.FindsOrdersByCustomerNumber).
	ByCustomerNumber bool
}

// OrderState is a distributor-neutral order or line state.
type OrderState int

const (
	OrderOpen OrderState = iota
	OrderProcessing
	OrderPartShipped
	OrderShipped
	OrderInvoiced // delivered and invoiced: complete
	OrderOnHold   // needs attention or back-ordered
	OrderFailed
	OrderCancelled
)

func (s OrderState) String() string {
	return [...]string{"open", "processing", "partly shipped", "shipped", "invoiced", "needs attention", "failed", "cancelled"}[s]
}

// OrderStatus is the state of one order.
type OrderStatus struct {
	Ref        OrderRef
	OrderID    string
	State      OrderState
	StatusText string // the distributor's own word, e.g. "SHIPPED"
	Message    string // attention text, if any
	Lines      []OrderLineStatus
	Invoices   []string
}

// OrderLineStatus is the state of one order line.
type OrderLineStatus struct {
	ProductID  string // distributor id or part number, whatever it reports
	PartNumber string
	Quantity   float64
	Delivered  float64
	State      OrderState
	StatusText string
	ShipDate   time.Time
	Tracking   []string
	Invoice    string
}
