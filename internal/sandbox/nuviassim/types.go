package nuviassim

import (
	"encoding/json"
	"math"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
)

// Wire types. Field names follow the seed (nuvias-hub-api.txt); fields marked
// "extra" are additions the seed allows ("we may add optional fields").

// Me is GET /me.
type Me struct {
	ID               int      `json:"id"`
	Name             string   `json:"name"`
	EmailAddress     string   `json:"email_address"` // extra
	Organisation     int      `json:"organisation"`
	OrganisationName string   `json:"organisation_name"` // extra
	RealID           int      `json:"real_id"`
	RealName         string   `json:"real_name"`
	Currency         string   `json:"currency"`
	Locale           string   `json:"locale"`
	Timezone         string   `json:"timezone"`
	Admin            bool     `json:"admin"`
	Root             bool     `json:"root"`
	Modules          []string `json:"modules"`
	Permissions      []any    `json:"permissions"`
}

// Address is an organisation address and an order's shipping_address.
type Address struct {
	ID            int    `json:"id,omitempty"` // extra: saved addresses only
	Name          string `json:"name,omitempty"`
	CompanyName   string `json:"company_name"`
	RecipientName string `json:"recipient_name"`
	AddrLine1     string `json:"addr_line_1"`
	AddrLine2     string `json:"addr_line_2"`
	AddrLine3     string `json:"addr_line_3,omitempty"` // extra
	City          string `json:"city"`
	Region        string `json:"region"`
	PostalCode    string `json:"postal_code"`
	CountryCode   int    `json:"country_code"`      // ISO 3166 numeric
	Country       string `json:"country,omitempty"` // extra: country name
	ISO           string `json:"iso,omitempty"`     // extra: ISO 3166 alpha-2
}

// Vendor is an entry of GET /vendors.
type Vendor struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// ShippingType is an entry of GET /shipping-types.
type ShippingType struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// Product is an entry of GET /products and the body of GET /products/{id}.
type Product struct {
	ID                      int        `json:"id"`
	Name                    string     `json:"name"`
	ProductCode             string     `json:"product_code"`
	Description             string     `json:"description"`
	DetailedDescription     string     `json:"detailed_description"`
	FeaturedDescription     string     `json:"featured_description"`
	Vendor                  int        `json:"vendor"`
	VendorName              string     `json:"vendor_name"` // extra
	Type                    int        `json:"type"`
	TypeName                string     `json:"type_name"` // extra: "Hardware", "Subscription", ...
	RRP                     float64    `json:"rrp"`
	Price                   float64    `json:"price"`
	Currency                string     `json:"currency"` // extra
	ThumbURL                string     `json:"thumb_url"`
	MainImageURL            string     `json:"main_image_url"`
	DatasheetURL            string     `json:"datasheet_url"`
	GuideURL                string     `json:"guide_url"`
	QuickstartURL           string     `json:"quickstart_url"`
	Stock                   int        `json:"stock"`
	Provisioning            []any      `json:"provisioning"`
	Maintenance             []any      `json:"maintenance"`
	RelatedTo               []any      `json:"related_to"`
	ShippingCost            float64    `json:"shipping_cost"`
	ShowInWebstore          bool       `json:"show_in_webstore"`
	Discountable            bool       `json:"discountable"`
	Discontinued            bool       `json:"discontinued"` // extra
	SubscriptionType        *string    `json:"subscription_type"`
	SubscriptionProductType *string    `json:"subscription_product_type"`
	QuantityType            string     `json:"quantity_type"`
	RatePlans               []RatePlan `json:"rate_plans"`
	IsShippable             bool       `json:"is_shippable"`
	IsFinanceable           bool       `json:"is_financeable"`
	WeightUnit              string     `json:"weight_unit"`
	Weight                  float64    `json:"weight"`
}

// RatePlan is a subscription product's rate plan.
type RatePlan struct {
	ID                int              `json:"id"`
	Name              string           `json:"name"`
	TermLength        int              `json:"term_length"`
	BillingFrequency  string           `json:"billing_frequency"`
	RenewalTermLength int              `json:"renewal_term_length"`
	Default           bool             `json:"default"`
	MinQuantity       int              `json:"min_quantity"`
	MaxQuantity       int              `json:"max_quantity"`
	RatePlanCharges   []RatePlanCharge `json:"rate_plan_charges"`
}

type RatePlanCharge struct {
	ID                  int                  `json:"id"`
	Name                string               `json:"name"`
	ChargeType          string               `json:"charge_type"`
	ChargeModel         string               `json:"charge_model"`
	RatePlanChargeCosts []RatePlanChargeCost `json:"rate_plan_charge_costs"`
	UnitOfMeasure       string               `json:"unit_of_measure"`
}

type RatePlanChargeCost struct {
	ID              int     `json:"id"`
	Currency        string  `json:"currency"`
	ChargeCostPrice float64 `json:"charge_cost_price"`
}

// Order is the body of POST /orders (201) and GET /orders/{id}.
type Order struct {
	ID                       int             `json:"id"`
	ExternalID               *int            `json:"external_id"`
	PurchaseOrderNumber      string          `json:"purchase_order_number"`
	SupplierRef              *string         `json:"supplier_ref"` // set when ACCEPTED
	LinkedSupplierRefs       []string        `json:"linked_supplier_refs"`
	Organisation             int             `json:"organisation"`
	Date                     string          `json:"date"` // 2006-01-02T15:04:05
	Status                   string          `json:"status"`
	ParentID                 *int            `json:"parent_id"`
	ShippingAddress          Address         `json:"shipping_address"`
	ShippingType             int             `json:"shipping_type"`
	ShipInstructions         string          `json:"ship_instructions"`
	ShipCost                 float64         `json:"ship_cost"`
	ShipFinal                bool            `json:"ship_final"`
	Discount                 float64         `json:"discount"`
	EndUser                  json.RawMessage `json:"end_user"` // as sent: string, object or null
	ProvisioningInstructions string          `json:"provisioning_instructions"`
	ManualAuthorisation      bool            `json:"manual_authorisation"`
	Total                    float64         `json:"total"`
	Currency                 string          `json:"currency"` // extra
	PartShip                 bool            `json:"part_ship"`
	LineItems                []LineItem      `json:"line_items"`
	Name                     string          `json:"name"`
	Units                    []any           `json:"units"`
	AttentionRequired        *string         `json:"attention_required"`
	PaymentType              string          `json:"payment_type"`
	Shipments                []Shipment      `json:"shipments"`
}

// LineItem is one line of an Order.
type LineItem struct {
	ID                  int     `json:"id"`
	Order               int     `json:"order"`
	Product             int     `json:"product"`
	ProductCode         string  `json:"product_code"`
	Name                string  `json:"name"`
	Quantity            int     `json:"quantity"`
	Price               float64 `json:"price"`
	OriginalPrice       float64 `json:"original_price"`
	SubTotalForItem     float64 `json:"sub_total_for_item"`
	SelectedRatePlan    *int    `json:"selected_rate_plan"`
	ShippedQuantity     int     `json:"shipped_quantity"`     // extra
	BackorderedQuantity int     `json:"backordered_quantity"` // extra: not covered by stock when ordered
}

// Shipment is one delivery of an Order.
type Shipment struct {
	Reference      string         `json:"reference"`
	TrackingNumber string         `json:"tracking_number"`
	Date           string         `json:"date"` // 2006-01-02
	Items          []ShipmentItem `json:"items"`
}

type ShipmentItem struct {
	Product       int    `json:"product"`
	Name          string `json:"name"`
	ProductCode   string `json:"product_code"`
	Quantity      int    `json:"quantity"`
	SerialNumbers []any  `json:"serial_numbers"`
}

// Order statuses (seed enum).
const (
	StatusCreated              = "CREATED"
	StatusProcessing           = "PROCESSING"
	StatusAccepted             = "ACCEPTED"
	StatusPartShipped          = "PART_SHIPPED"
	StatusShipped              = "SHIPPED"
	StatusComplete             = "COMPLETE"
	StatusAttentionRequired    = "ATTENTION_REQUIRED"
	StatusFailed               = "FAILED"
	StatusPendingAuthorisation = "PENDING_AUTHORISATION"
	StatusCancelled            = "CANCELLED"
)

var allStatuses = []string{StatusCreated, StatusProcessing, StatusAccepted, StatusPartShipped, StatusShipped,
	StatusComplete, StatusAttentionRequired, StatusFailed, StatusPendingAuthorisation, StatusCancelled}

// product type ids: fixed for the well-known ones, others numbered after.
var fixedTypeIDs = map[string]int{"hardware": 1, "software": 2, "subscription": 3, "service": 4}

// stocked reports whether stock applies to a product type (not to
// subscriptions and services).
func stocked(productType string) bool {
	switch strings.ToLower(productType) {
	case "subscription", "service":
		return false
	}
	return true
}

var isoNumeric = map[string]int{
	"GB": 826, "UK": 826, "IE": 372, "DE": 276, "FR": 250, "NL": 528, "BE": 56, "LU": 442, "ES": 724,
	"PT": 620, "IT": 380, "AT": 40, "CH": 756, "DK": 208, "SE": 752, "NO": 578, "FI": 246, "PL": 616,
	"CZ": 203, "GR": 300, "CY": 196, "US": 840, "AE": 784, "SA": 682, "ZA": 710,
}

func addressFrom(a catalog.NuviasAddress, company, recipient string) Address {
	return Address{
		ID: a.ID, Name: a.Name, CompanyName: company, RecipientName: recipient,
		AddrLine1: a.Line1, AddrLine2: a.Line2, AddrLine3: a.Line3, City: a.City,
		PostalCode: a.Postcode, CountryCode: isoNumeric[strings.ToUpper(a.ISO)], Country: a.Country, ISO: a.ISO,
	}
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

func productFrom(p catalog.NuviasProduct, vendor string, typeID int) Product {
	out := Product{
		ID: p.ID, Name: p.Name, ProductCode: p.ProductCode, Description: p.Description,
		DetailedDescription: p.DetailedDescription, Vendor: p.VendorID, VendorName: vendor,
		Type: typeID, TypeName: p.ProductType, RRP: p.RRP, Price: p.Price, Currency: p.Currency,
		ThumbURL: p.ThumbURL, MainImageURL: p.MainImageURL, DatasheetURL: p.DatasheetURL, GuideURL: p.GuideURL,
		Stock: p.Stock, Provisioning: []any{}, Maintenance: []any{}, RelatedTo: []any{},
		ShowInWebstore: !p.Discontinued, Discountable: p.Discountable, Discontinued: p.Discontinued,
		QuantityType: "QUANTITY", RatePlans: []RatePlan{}, IsShippable: strings.EqualFold(p.ProductType, "hardware"),
		WeightUnit: "GRAMS",
	}
	if len(p.RatePlans) > 0 {
		base := "BASE"
		out.SubscriptionProductType = &base
		for i, rp := range p.RatePlans {
			freq := "monthly"
			if strings.HasPrefix(strings.ToLower(rp.Unit), "y") {
				freq = "annually"
			}
			out.RatePlans = append(out.RatePlans, RatePlan{
				ID: rp.ID, Name: rp.Name, TermLength: rp.TermMonths, BillingFrequency: freq,
				RenewalTermLength: rp.TermMonths, Default: i == 0, MinQuantity: 1, MaxQuantity: 10000,
				RatePlanCharges: []RatePlanCharge{{
					ID: rp.ID, Name: rp.Name + " fee", ChargeType: "recurring", ChargeModel: "per_unit",
					RatePlanChargeCosts: []RatePlanChargeCost{{ID: rp.ID, Currency: p.Currency, ChargeCostPrice: rp.Price}},
					UnitOfMeasure:       "User",
				}},
			})
		}
	}
	return out
}

func copyOrder(o Order) Order {
	o.LineItems = append([]LineItem{}, o.LineItems...)
	o.Shipments = append([]Shipment{}, o.Shipments...)
	o.LinkedSupplierRefs = append([]string{}, o.LinkedSupplierRefs...)
	return o
}
