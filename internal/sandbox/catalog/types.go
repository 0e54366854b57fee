// Package catalog generates the deterministic data behind the sandbox
// distributor simulators: Logicom's and Nuvias' product catalogs (with a few
// hundred manufacturer part numbers stocked by both), the sandbox accounts and
// their credentials, and Westcon's orders. The same seed always yields the
// same data, so docs and tests can name products.
package catalog

import "time"

// DefaultSeed is the seed of `make run` and of the tests; docs name products
// generated from it.
const DefaultSeed int64 = 1

// Catalog is everything the three simulators serve.
type Catalog struct {
	Seed int64
	// Today is the reference day for date windows (special prices, PO dates).
	// Generate takes it as an argument so tests are deterministic.
	Today   time.Time
	Logicom LogicomData
	Nuvias  NuviasData
	Westcon WestconData
}

// ---- Logicom ----

// LogicomAccount is the sandbox reseller account at Logicom and the
// credentials the adapter must present (distributors.md, Logicom → Crypto).
type LogicomAccount struct {
	CustomerID     int
	ConsumerKey    string
	ConsumerSecret string
	AccessTokenKey string // base64 of a 32-byte AES key
	EcommerceName  string // shown by TestConnection
	EcommerceEmail string // GetAccountDetails Ecommerce.Email (added)
	Currencies     []string
	Billing        LogicomAddress
	ShipTo         []LogicomAddress // first has Id "DEFAULT"
}

type LogicomAddress struct {
	ID, Name, Address1, Address2, Address3, City, ZipCode, Country, CountryCode string
	Phone                                                                       string // added: GetAccountDetails Phone
}

type LogicomCategory struct {
	ID       string // hierarchical: "100", "100-20", "100-20-1"
	Name     string
	ParentID string // "" for a top-level category
}

type LogicomBrand struct {
	ID   string
	Name string
}

type LogicomItem struct {
	SKU            string // ItemNo; shared part numbers equal a Nuvias product_code
	Name           string
	Description    string
	Manufacturer   string
	Brand          string // LogicomBrand.Name
	CategoryID     string // LogicomCategory.ID
	Barcode        string
	Warranty       string
	ImageURLs      []string
	URL            string
	VATPercent     float64
	ESD            bool // electronic delivery: PostOrder needs the ESD fields
	EndUserForm    bool // PostOrder needs the EndUser* fields
	Discontinued   bool
	Specifications []Spec
	Variants       []LogicomVariant
	Modified       time.Time               // for GetProducts DateFrom/DateTo
	Prices         map[string]LogicomPrice // by currency code
	Stock          int
	Incoming       []PurchaseOrder
}

type LogicomVariant struct {
	VariantID string
	Name      string
}

type Spec struct{ Name, Value string }

type LogicomPrice struct {
	Price        float64 // the reseller's cost at quantity 1
	RRP          float64 // 0 when Logicom publishes none
	DiscountPct  float64 // "Discount %"
	SpecialPrice float64 // 0 when none
	SpecialStart time.Time
	SpecialEnd   time.Time
	Volume       []VolumeBreak // ascending by Quantity
	RecycleTax   float64
}

type VolumeBreak struct {
	Quantity int
	Price    float64
}

type PurchaseOrder struct {
	Quantity     int
	DeliveryDate time.Time
}

// ---- Nuvias ----

type NuviasCredentials struct {
	ClientID, ClientSecret string
}

type NuviasMe struct {
	UserID           int
	Name, Email      string
	Currency         string
	OrganisationID   int
	OrganisationName string
}

type NuviasAddress struct {
	ID                                                      int
	Name, Line1, Line2, Line3, City, Postcode, Country, ISO string
}

type NuviasVendor struct {
	ID   int
	Name string
}

type NuviasShippingType struct {
	ID   int
	Name string
}

type NuviasProduct struct {
	ID                  int
	ProductCode         string // manufacturer part number
	Name                string
	Description         string
	DetailedDescription string
	VendorID            int
	ProductType         string // e.g. "Hardware", "Software", "Subscription", "Service"
	Price               float64
	RRP                 float64
	Currency            string
	Stock               int
	ThumbURL            string
	MainImageURL        string
	DatasheetURL        string
	GuideURL            string
	Discountable        bool
	Discontinued        bool
	RatePlans           []RatePlan // non-empty for subscription products
}

type RatePlan struct {
	ID         int
	Name       string
	Unit       string // "month", "year"
	TermMonths int
	Price      float64
}

type NuviasData struct {
	Credentials   NuviasCredentials
	Me            NuviasMe
	Addresses     []NuviasAddress
	Vendors       []NuviasVendor
	ShippingTypes []NuviasShippingType
	Products      []NuviasProduct
}

// ---- Westcon ----

type WestconCredentials struct {
	TenantID, ClientID, ClientSecret, Resource, SubscriptionKey, PartnerKey string
}

type WestconOrder struct {
	WestconNumber  string // orderType W
	CustomerNumber string // orderType C: the reseller's own number
	Lines          []WestconLine
}

type WestconLine struct {
	LineNumber        string // "000010"
	ProductNumber     string // eRPProductNumber
	Quantity          float64
	UnitOfMeasure     string
	StatusCode        string // "OPN", "BCK", "SHI", "INV", ...
	StatusDescription string
	StatusDate        time.Time
	ShipDate          time.Time // zero when not shipped
	BillingDocument   string
	ParentLine        string
}

type WestconData struct {
	Credentials WestconCredentials
	Orders      []WestconOrder
}

type LogicomData struct {
	Account    LogicomAccount
	Categories []LogicomCategory
	Brands     []LogicomBrand
	Items      []LogicomItem
}
