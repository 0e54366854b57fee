// Package superoffice holds the carrier types and enums of SuperOffice's
// online REST quote connector protocol (shared/spec/superoffice-protocol.md),
// with its JSON rules: PascalCase names emitted as listed and decoded
// case-insensitively, aliases accepted, enums emitted as integers and read as
// integers or names, dates kept as received, unknown members of the quote
// objects carried through unchanged. Every other package speaks these types;
// this one imports nothing of ours.
package superoffice

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Extra holds the members of a quote, version, alternative or line that the
// service does not model. SuperOffice stores what it gets back, so they are
// re-emitted unchanged after the modelled ones, sorted by name (protocol
// §1.1, Round trip). The decoder fills it (a `json:",embed"` map in each
// carrier's wire form): a member whose name matches a modelled one
// case-insensitively is not unknown.
type Extra map[string]json.RawMessage

// ProductExtraDataFieldInfo is one labelled value in a product's or line's
// ExtraInfo (§5.15). Docs names FieldName/FieldValue/FieldType are accepted.
type ProductExtraDataFieldInfo struct {
	Name  string        `json:"Name"`
	Value string        `json:"Value"`
	Type  ExtraDataType `json:"Type"`
}

// UnmarshalJSONFrom reads the members in one pass; the docs' names are
// accepted beside the samples' (FieldName, FieldValue, FieldType), the
// samples' winning. A bad member is reported under the name it was sent as,
// so the 400 names it.
func (f *ProductExtraDataFieldInfo) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*f = ProductExtraDataFieldInfo{}
	if null, err := openObject(dec, reflect.TypeFor[ProductExtraDataFieldInfo]()); null || err != nil {
		return err
	}
	var haveName, haveValue, haveType bool
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		k := name[1 : len(name)-1]
		if bytes.IndexByte(k, '\\') >= 0 {
			u, _ := unquote(name)
			k = []byte(u)
		}
		switch {
		case asciiEqualFold(k, "name"):
			if f.Name, err = readString(dec); err != nil {
				return err
			}
			haveName = true
		case asciiEqualFold(k, "fieldname") && !haveName:
			if f.Name, err = readString(dec); err != nil {
				return err
			}
		case asciiEqualFold(k, "value"):
			if f.Value, err = readString(dec); err != nil {
				return err
			}
			haveValue = true
		case asciiEqualFold(k, "fieldvalue") && !haveValue:
			if f.Value, err = readString(dec); err != nil {
				return err
			}
		case asciiEqualFold(k, "type"), asciiEqualFold(k, "fieldtype") && !haveType:
			n, err := readEnum(dec, extraDataTypeTable)
			if err != nil {
				return &jsonv2.SemanticError{JSONPointer: dec.StackPointer(), Err: err}
			}
			f.Type = ExtraDataType(n)
			haveType = haveType || asciiEqualFold(k, "type")
		default:
			if err := dec.SkipValue(); err != nil {
				return err
			}
		}
	}
	_, err := dec.ReadToken()
	return err
}

func (f *ProductExtraDataFieldInfo) UnmarshalJSON(data []byte) error { return unmarshalV1(data, f) }

func deref(ps ...*string) string {
	for _, p := range ps {
		if p != nil {
			return *p
		}
	}
	return ""
}

// ProductInfo is a product offered to SuperOffice (§5.1).
type ProductInfo struct {
	ERPProductKey               string                      `json:"ERPProductKey"`
	ERPPriceListKey             string                      `json:"ERPPriceListKey"`
	InAssortment                bool                        `json:"InAssortment"`
	InStock                     float64                     `json:"InStock"`
	Name                        string                      `json:"Name"`
	Description                 string                      `json:"Description"`
	Code                        string                      `json:"Code"`
	QuantityUnit                string                      `json:"QuantityUnit"`
	PriceUnit                   string                      `json:"PriceUnit"`
	IsSubscription              bool                        `json:"IsSubscription"`
	SubscriptionUnit            string                      `json:"SubscriptionUnit"`
	DefaultSubscriptionQuantity float64                     `json:"DefaultSubscriptionQuantity"`
	ItemNumber                  string                      `json:"ItemNumber"`
	Url                         string                      `json:"Url"`
	ProductCategoryKey          string                      `json:"ProductCategoryKey"`
	ProductFamilyKey            string                      `json:"ProductFamilyKey"`
	ProductTypeKey              string                      `json:"ProductTypeKey"`
	Supplier                    string                      `json:"Supplier"`
	SupplierCode                string                      `json:"SupplierCode"`
	Thumbnail                   string                      `json:"Thumbnail"`
	Image                       string                      `json:"Image"`
	VATInfo                     string                      `json:"VATInfo"`
	VAT                         float64                     `json:"VAT"`
	UnitCost                    float64                     `json:"UnitCost"`
	UnitMinimumPrice            float64                     `json:"UnitMinimumPrice"`
	UnitListPrice               float64                     `json:"UnitListPrice"`
	ExtraInfo                   []ProductExtraDataFieldInfo `json:"ExtraInfo"`
	RawExtraInfo                string                      `json:"RawExtraInfo"`
	Rights                      string                      `json:"Rights"`
	Rule                        string                      `json:"Rule"`
	ExtraField1                 string                      `json:"ExtraField1"`
	ExtraField2                 string                      `json:"ExtraField2"`
	ExtraField3                 string                      `json:"ExtraField3"`
	ExtraField4                 string                      `json:"ExtraField4"`
	ExtraField5                 string                      `json:"ExtraField5"`
}

// productWire is ProductInfo as read: its members plus the reference
// page's spellings (§5.1, appendix).
type productWire struct {
	*productPlain
	InAssortement         *bool                       `json:"InAssortement"`
	ERPProductCategoryKey *string                     `json:"ERPProductCategoryKey"`
	ERPProductFamilyKey   *string                     `json:"ERPProductFamilyKey"`
	ERPProductTypeKey     *string                     `json:"ERPProductTypeKey"`
	ExtraData             []ProductExtraDataFieldInfo `json:"ExtraData"`
}

type productPlain ProductInfo

func (p *ProductInfo) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*p = ProductInfo{}
	w := productWire{productPlain: (*productPlain)(p)}
	if err := jsonv2.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	if w.InAssortement != nil {
		p.InAssortment = *w.InAssortement
	}
	p.ProductCategoryKey = firstString(p.ProductCategoryKey, w.ERPProductCategoryKey)
	p.ProductFamilyKey = firstString(p.ProductFamilyKey, w.ERPProductFamilyKey)
	p.ProductTypeKey = firstString(p.ProductTypeKey, w.ERPProductTypeKey)
	if p.ExtraInfo == nil {
		p.ExtraInfo = w.ExtraData
	}
	return nil
}

func (p *ProductInfo) UnmarshalJSON(data []byte) error { return unmarshalV1(data, p) }

func firstString(s string, alt *string) string {
	if s == "" && alt != nil {
		return *alt
	}
	return s
}

// QuoteLineInfo is one quote line (§5.2). Members it does not model are kept
// in Extra and sent back unchanged.
type QuoteLineInfo struct {
	QuoteLineId                       int                         `json:"QuoteLineId"`
	QuoteAlternativeId                int                         `json:"QuoteAlternativeId"`
	ERPQuoteLineKey                   string                      `json:"ERPQuoteLineKey"`
	ERPProductKey                     string                      `json:"ERPProductKey"`
	ERPPriceListKey                   string                      `json:"ERPPriceListKey"`
	Status                            QuoteStatus                 `json:"Status"`
	Reason                            string                      `json:"Reason"`
	Quantity                          float64                     `json:"Quantity"`
	SubscriptionQuantity              float64                     `json:"SubscriptionQuantity"`
	SubscriptionStart                 Date                        `json:"SubscriptionStart"`
	DeliveredQuantity                 float64                     `json:"DeliveredQuantity"`
	Rank                              int                         `json:"Rank"`
	Name                              string                      `json:"Name"`
	Description                       string                      `json:"Description"`
	Code                              string                      `json:"Code"`
	QuantityUnit                      string                      `json:"QuantityUnit"`
	PriceUnit                         string                      `json:"PriceUnit"`
	ItemNumber                        string                      `json:"ItemNumber"`
	Url                               string                      `json:"Url"`
	Supplier                          string                      `json:"Supplier"`
	SupplierCode                      string                      `json:"SupplierCode"`
	Thumbnail                         string                      `json:"Thumbnail"`
	ProductCategoryKey                string                      `json:"ProductCategoryKey"`
	ProductFamilyKey                  string                      `json:"ProductFamilyKey"`
	ProductTypeKey                    string                      `json:"ProductTypeKey"`
	IsSubscription                    bool                        `json:"IsSubscription"`
	SubscriptionUnit                  string                      `json:"SubscriptionUnit"`
	VATInfo                           string                      `json:"VATInfo"`
	VAT                               float64                     `json:"VAT"`
	UnitCost                          float64                     `json:"UnitCost"`
	UnitMinimumPrice                  float64                     `json:"UnitMinimumPrice"`
	UnitListPrice                     float64                     `json:"UnitListPrice"`
	ExtraInfo                         []ProductExtraDataFieldInfo `json:"ExtraInfo"`
	RawExtraInfo                      string                      `json:"RawExtraInfo"`
	Rights                            string                      `json:"Rights"`
	Rule                              string                      `json:"Rule"`
	ExtraField1                       string                      `json:"ExtraField1"`
	ExtraField2                       string                      `json:"ExtraField2"`
	ExtraField3                       string                      `json:"ExtraField3"`
	ExtraField4                       string                      `json:"ExtraField4"`
	ExtraField5                       string                      `json:"ExtraField5"`
	ERPDiscountPercent                float64                     `json:"ERPDiscountPercent"`
	ERPDiscountAmount                 float64                     `json:"ERPDiscountAmount"`
	DiscountPercent                   float64                     `json:"DiscountPercent"`
	DiscountAmount                    float64                     `json:"DiscountAmount"`
	UserValueOverride                 ValueOverride               `json:"UserValueOverride"`
	EarningAmount                     float64                     `json:"EarningAmount"`
	EarningPercent                    float64                     `json:"EarningPercent"`
	SubTotal                          float64                     `json:"SubTotal"`
	TotalPrice                        float64                     `json:"TotalPrice"`
	TotalPriceWithAlternativeDiscount float64                     `json:"TotalPriceWithAlternativeDiscount"`

	Extra Extra `json:"-"` // see Extra
}

// lineWire is a QuoteLineInfo on the wire: its members, the docs'
// ExtraData for ExtraInfo when reading (protocol §5.1), and the kept
// unknown members after the modelled ones.
type lineWire struct {
	*linePlain
	ExtraData []ProductExtraDataFieldInfo `json:"ExtraData,omitzero"`
	Extra     *Extra                      `json:",embed"`
}

// linePlain is QuoteLineInfo without its methods, for the default
// (un)marshaling of its members inside them.
type linePlain QuoteLineInfo

func (l *QuoteLineInfo) wire() *lineWire {
	return &lineWire{linePlain: (*linePlain)(l), Extra: &l.Extra}
}

func (l *QuoteLineInfo) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*l = QuoteLineInfo{}
	w := l.wire()
	if err := jsonv2.UnmarshalDecode(dec, w); err != nil {
		return err
	}
	if l.ExtraInfo == nil {
		l.ExtraInfo = w.ExtraData
	}
	return nil
}

func (l *QuoteLineInfo) MarshalJSONTo(enc *jsontext.Encoder) error {
	return jsonv2.MarshalEncode(enc, l.wire())
}

func (l *QuoteLineInfo) UnmarshalJSON(data []byte) error { return unmarshalV1(data, l) }
func (l QuoteLineInfo) MarshalJSON() ([]byte, error)     { return marshalV1(&l) }

// QuoteAlternativeInfo is one alternative of a version (§5.3).
type QuoteAlternativeInfo struct {
	QuoteAlternativeId     int           `json:"QuoteAlternativeId"`
	QuoteVersionId         int           `json:"QuoteVersionId"`
	ERPQuoteAlternativeKey string        `json:"ERPQuoteAlternativeKey"`
	Name                   string        `json:"Name"`
	Description            string        `json:"Description"`
	Status                 QuoteStatus   `json:"Status"`
	Reason                 string        `json:"Reason"`
	ERPDiscountPercent     float64       `json:"ERPDiscountPercent"`
	ERPDiscountAmount      float64       `json:"ERPDiscountAmount"`
	DiscountPercent        float64       `json:"DiscountPercent"`
	DiscountAmount         float64       `json:"DiscountAmount"`
	UserValueOverride      ValueOverride `json:"UserValueOverride"`
	VATInfo                string        `json:"VATInfo"`
	VAT                    float64       `json:"VAT"`
	EarningAmount          float64       `json:"EarningAmount"`
	EarningPercent         float64       `json:"EarningPercent"`
	SubTotal               float64       `json:"SubTotal"`
	TotalPrice             float64       `json:"TotalPrice"`
	ExtraField1            string        `json:"ExtraField1"`
	ExtraField2            string        `json:"ExtraField2"`
	ExtraField3            string        `json:"ExtraField3"`
	ExtraField4            string        `json:"ExtraField4"`
	ExtraField5            string        `json:"ExtraField5"`

	Extra Extra `json:"-"` // see Extra
}

// alternativePlain is QuoteAlternativeInfo without its methods; alternativeWire
// adds the kept unknown members.
type alternativePlain QuoteAlternativeInfo

type alternativeWire struct {
	*alternativePlain
	Extra *Extra `json:",embed"`
}

func (a *QuoteAlternativeInfo) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*a = QuoteAlternativeInfo{}
	return jsonv2.UnmarshalDecode(dec, &alternativeWire{(*alternativePlain)(a), &a.Extra})
}

func (a *QuoteAlternativeInfo) MarshalJSONTo(enc *jsontext.Encoder) error {
	return jsonv2.MarshalEncode(enc, &alternativeWire{(*alternativePlain)(a), &a.Extra})
}

func (a *QuoteAlternativeInfo) UnmarshalJSON(data []byte) error { return unmarshalV1(data, a) }
func (a QuoteAlternativeInfo) MarshalJSON() ([]byte, error)     { return marshalV1(&a) }

// QuoteAlternativeWithLinesInfo is an alternative with its lines (§5.4).
type QuoteAlternativeWithLinesInfo struct {
	CRMAlternative *QuoteAlternativeInfo `json:"CRMAlternative"`
	CRMQuoteLines  []*QuoteLineInfo      `json:"CRMQuoteLines"`
}

// QuoteVersionInfo is a version of a quote (§5.5).
type QuoteVersionInfo struct {
	QuoteVersionId           int               `json:"QuoteVersionId"`
	QuoteId                  int               `json:"QuoteId"`
	ERPQuoteVersionKey       string            `json:"ERPQuoteVersionKey"`
	Description              string            `json:"Description"`
	Number                   string            `json:"Number"`
	State                    QuoteVersionState `json:"State"`
	ArchivedState            QuoteVersionState `json:"ArchivedState"`
	LikelyQuoteAlternativeId int               `json:"LikelyQuoteAlternativeId"`
	SentDate                 Date              `json:"SentDate"`
	ExpirationDate           Date              `json:"ExpirationDate"`
	FollowupId               int               `json:"FollowupId"`
	DeliveryCountry          string            `json:"DeliveryCountry"`
	InvoiceCountry           string            `json:"InvoiceCountry"`
	DeliveryCountryId        int               `json:"DeliveryCountryId"`
	InvoiceCountryId         int               `json:"InvoiceCountryId"`
	HasOwnDeliveryAddress    bool              `json:"HasOwnDeliveryAddress"`
	HasOwnInvoiceAddress     bool              `json:"HasOwnInvoiceAddress"`
	ERPPaymentTermsKey       string            `json:"ERPPaymentTermsKey"`
	ERPPaymentTypeKey        string            `json:"ERPPaymentTypeKey"`
	ERPDeliveryTermsKey      string            `json:"ERPDeliveryTermsKey"`
	ERPDeliveryTypeKey       string            `json:"ERPDeliveryTypeKey"`
	Rank                     int               `json:"Rank"`
	Status                   QuoteStatus       `json:"Status"`
	Reason                   string            `json:"Reason"`
	ExtraField1              string            `json:"ExtraField1"`
	ExtraField2              string            `json:"ExtraField2"`
	ExtraField3              string            `json:"ExtraField3"`
	ExtraField4              string            `json:"ExtraField4"`
	ExtraField5              string            `json:"ExtraField5"`
	ApprovedBy               int               `json:"ApprovedBy"`
	ApprovedRegisteredBy     int               `json:"ApprovedRegisteredBy"`
	ApprovedText             string            `json:"ApprovedText"`
	ApprovedRegisteredDate   Date              `json:"ApprovedRegisteredDate"`
	RequestAssociateId       int               `json:"RequestAssociateId"`
	RequestComment           string            `json:"RequestComment"`
	LastRecalculated         Date              `json:"LastRecalculated"`
	Updated                  Date              `json:"Updated"`

	Extra Extra `json:"-"` // see Extra
}

// versionPlain is QuoteVersionInfo without its methods; versionWire
// adds the kept unknown members.
type versionPlain QuoteVersionInfo

type versionWire struct {
	*versionPlain
	Extra *Extra `json:",embed"`
}

func (q *QuoteVersionInfo) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*q = QuoteVersionInfo{}
	return jsonv2.UnmarshalDecode(dec, &versionWire{(*versionPlain)(q), &q.Extra})
}

func (q *QuoteVersionInfo) MarshalJSONTo(enc *jsontext.Encoder) error {
	return jsonv2.MarshalEncode(enc, &versionWire{(*versionPlain)(q), &q.Extra})
}

func (q *QuoteVersionInfo) UnmarshalJSON(data []byte) error { return unmarshalV1(data, q) }
func (q QuoteVersionInfo) MarshalJSON() ([]byte, error)     { return marshalV1(&q) }

// QuoteInfo is the quote (§5.6).
type QuoteInfo struct {
	QuoteId                    int    `json:"QuoteId"`
	SaleId                     int    `json:"SaleId"`
	QuoteConnectionId          int    `json:"QuoteConnectionId"`
	ERPQuoteKey                string `json:"ERPQuoteKey"`
	ERPOrderKey                string `json:"ERPOrderKey"`
	ActiveQuoteVersionId       int    `json:"ActiveQuoteVersionId"`
	AcceptedQuoteAlternativeId int    `json:"AcceptedQuoteAlternativeId"`
	DocumentId                 int    `json:"DocumentId"`
	PoNumber                   string `json:"PoNumber"`
	OrderComment               string `json:"OrderComment"`
	PreferredCulture           string `json:"PreferredCulture"`

	Extra Extra `json:"-"` // see Extra
}

// quotePlain is QuoteInfo without its methods; quoteWire
// adds the kept unknown members.
type quotePlain QuoteInfo

type quoteWire struct {
	*quotePlain
	Extra *Extra `json:",embed"`
}

func (q *QuoteInfo) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*q = QuoteInfo{}
	return jsonv2.UnmarshalDecode(dec, &quoteWire{(*quotePlain)(q), &q.Extra})
}

func (q *QuoteInfo) MarshalJSONTo(enc *jsontext.Encoder) error {
	return jsonv2.MarshalEncode(enc, &quoteWire{(*quotePlain)(q), &q.Extra})
}

func (q *QuoteInfo) UnmarshalJSON(data []byte) error { return unmarshalV1(data, q) }
func (q QuoteInfo) MarshalJSON() ([]byte, error)     { return marshalV1(&q) }

// ISaleInfo is the sale (§5.9); read only.
type ISaleInfo struct {
	SaleId            int               `json:"SaleId"`
	Associate         string            `json:"Associate"`
	AssociateId       int               `json:"AssociateId"`
	CreatedAssociate  string            `json:"CreatedAssociate"`
	Number            string            `json:"Number"`
	Title             string            `json:"Title"`
	Amount            float64           `json:"Amount"`
	Cost              float64           `json:"Cost"`
	Profit            float64           `json:"Profit"`
	Earning           float64           `json:"Earning"`
	EarningPercent    float64           `json:"EarningPercent"`
	Currency          string            `json:"Currency"`
	Type              string            `json:"Type"`
	Stage             string            `json:"Stage"`
	Credited          string            `json:"Credited"`
	Competitor        string            `json:"Competitor"`
	Source            string            `json:"Source"`
	Probability       int               `json:"Probability"`
	Status            string            `json:"Status"`
	Reason            string            `json:"Reason"`
	SaleDate          string            `json:"SaleDate"`
	NextDueDate       string            `json:"NextDueDate"`
	PublishStartDate  string            `json:"PublishStartDate"`
	PublishEndDate    string            `json:"PublishEndDate"`
	Registered        string            `json:"Registered"`
	PublishActiveDate Date              `json:"PublishActiveDate"`
	SaleText          string            `json:"SaleText"`
	HasGuide          bool              `json:"HasGuide"`
	HasStakeHolders   bool              `json:"HasStakeHolders"`
	CustomFields      map[string]string `json:"CustomFields"`
}

// UserInfo is the logged-in user (§5.10). Ticket is a credential: it is
// never logged or forwarded.
type UserInfo struct {
	AssociateId       int               `json:"AssociateId"`
	AssociateName     string            `json:"AssociateName"`
	FullName          string            `json:"FullName"`
	UserName          string            `json:"UserName"`
	Email             string            `json:"Email"`
	RoleId            int               `json:"RoleId"`
	RoleName          string            `json:"RoleName"`
	CountryId         int               `json:"CountryId"`
	CountryName       string            `json:"CountryName"`
	CountryDomainName string            `json:"CountryDomainName"`
	FunctionRights    []string          `json:"FunctionRights"`
	Licenses          []string          `json:"Licenses"`
	CustomFields      map[string]string `json:"CustomFields"`
	Ticket            string            `json:"Ticket"`
}

// AddressInfo is a postal address (§5.13). Both the reference page's names
// and the sample connector's are emitted (twins); either is accepted.
type AddressInfo struct {
	Line1, Line2, Line3 string
	City, Zip           string
	ZipGerman           string
	CountryCode         string
	Country             string
}

type addressWire struct {
	AddressField1    *string `json:"AddressField1"`
	AddressLine1     *string `json:"AddressLine1"`
	AddressField2    *string `json:"AddressField2"`
	AddressLine2     *string `json:"AddressLine2"`
	AddressField3    *string `json:"AddressField3"`
	AddressLine3     *string `json:"AddressLine3"`
	AddressCity      *string `json:"AddressCity"`
	City             *string `json:"City"`
	AddressZip       *string `json:"AddressZip"`
	ZipCode          *string `json:"ZipCode"`
	AddressZipGerman *string `json:"AddressZipGerman"`
	CountryCode      *string `json:"CountryCode"`
	Country          *string `json:"Country"`
}

func (a *AddressInfo) MarshalJSONTo(enc *jsontext.Encoder) error {
	return jsonv2.MarshalEncode(enc, &addressWire{
		AddressField1: &a.Line1, AddressLine1: &a.Line1,
		AddressField2: &a.Line2, AddressLine2: &a.Line2,
		AddressField3: &a.Line3, AddressLine3: &a.Line3,
		AddressCity: &a.City, City: &a.City,
		AddressZip: &a.Zip, ZipCode: &a.Zip,
		AddressZipGerman: &a.ZipGerman, CountryCode: &a.CountryCode, Country: &a.Country,
	})
}

func (a *AddressInfo) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*a = AddressInfo{}
	var w addressWire
	if err := jsonv2.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	*a = AddressInfo{
		Line1: deref(w.AddressField1, w.AddressLine1), Line2: deref(w.AddressField2, w.AddressLine2),
		Line3: deref(w.AddressField3, w.AddressLine3), City: deref(w.AddressCity, w.City),
		Zip: deref(w.AddressZip, w.ZipCode), ZipGerman: deref(w.AddressZipGerman),
		CountryCode: deref(w.CountryCode), Country: deref(w.Country),
	}
	return nil
}

func (a AddressInfo) MarshalJSON() ([]byte, error)     { return marshalV1(&a) }
func (a *AddressInfo) UnmarshalJSON(data []byte) error { return unmarshalV1(data, a) }

// QuoteConnectionInfo is the ConnectionInfo member of every request (§5.19).
type QuoteConnectionInfo struct {
	CRMConnectionId    int    `json:"CRMConnectionId"`
	ERPClientKey       string `json:"ERPClientKey"`
	ERPName            string `json:"ERPName"`
	ERPClientName      string `json:"ERPClientName"`
	DisplayName        string `json:"DisplayName"`
	DisplayDescription string `json:"DisplayDescription"`
}

// QuoteAlternativeContextInfo is the Context member (§5.7).
type QuoteAlternativeContextInfo struct {
	ERPClientKey            string                         `json:"ERPClientKey"`
	CRMAssociate            *UserInfo                      `json:"CRMAssociate"`
	CRMCompany              json.RawMessage                `json:"CRMCompany"`
	CRMPerson               json.RawMessage                `json:"CRMPerson"`
	CRMProject              json.RawMessage                `json:"CRMProject"`
	CRMSale                 *ISaleInfo                     `json:"CRMSale"`
	ForeignKeys             json.RawMessage                `json:"ForeignKeys"`
	CRMForeignKeys          json.RawMessage                `json:"CRMForeignKeys"`
	CRMQuote                *QuoteInfo                     `json:"CRMQuote"`
	CRMQuoteVersion         *QuoteVersionInfo              `json:"CRMQuoteVersion"`
	CRMAlternativeWithLines *QuoteAlternativeWithLinesInfo `json:"CRMAlternativeWithLines"`
	InvoiceAddress          *AddressInfo                   `json:"InvoiceAddress"`
	DeliveryAddress         *AddressInfo                   `json:"DeliveryAddress"`
	EISConnectionId         int                            `json:"EISConnectionId"`
	EISConnectionGuid       string                         `json:"EISConnectionGuid"`
	ERPCompanyKey           string                         `json:"ERPCompanyKey"`
	ERPPersonKey            string                         `json:"ERPPersonKey"`
	ERPProjectKey           string                         `json:"ERPProjectKey"`
	ERPSaleKey              string                         `json:"ERPSaleKey"`
	UserLanguageCode        string                         `json:"UserLanguageCode"`
}

// QuoteVersionContextInfo is the QuoteContext member (§5.8). The service
// works on CRMAlternativesWithLines; the docs' single
// CRMQuoteAlternativeWithLines is accepted and folded into it.
type QuoteVersionContextInfo struct {
	ERPClientKey                 string                           `json:"ERPClientKey"`
	CRMAssociate                 *UserInfo                        `json:"CRMAssociate"`
	CRMCompany                   json.RawMessage                  `json:"CRMCompany"`
	CRMPerson                    json.RawMessage                  `json:"CRMPerson"`
	CRMProject                   json.RawMessage                  `json:"CRMProject"`
	CRMSale                      *ISaleInfo                       `json:"CRMSale"`
	ForeignKeys                  json.RawMessage                  `json:"ForeignKeys"`
	CRMForeignKeys               json.RawMessage                  `json:"CRMForeignKeys"`
	CRMQuote                     *QuoteInfo                       `json:"CRMQuote"`
	CRMQuoteVersion              *QuoteVersionInfo                `json:"CRMQuoteVersion"`
	CRMAlternativesWithLines     []*QuoteAlternativeWithLinesInfo `json:"CRMAlternativesWithLines"`
	CRMQuoteAlternativeWithLines *QuoteAlternativeWithLinesInfo   `json:"CRMQuoteAlternativeWithLines"`
	InvoiceAddress               *AddressInfo                     `json:"InvoiceAddress"`
	DeliveryAddress              *AddressInfo                     `json:"DeliveryAddress"`
	EISConnectionId              int                              `json:"EISConnectionId"`
	EISConnectionGuid            string                           `json:"EISConnectionGuid"`
	ERPCompanyKey                string                           `json:"ERPCompanyKey"`
	ERPPersonKey                 string                           `json:"ERPPersonKey"`
	ERPProjectKey                string                           `json:"ERPProjectKey"`
	ERPSaleKey                   string                           `json:"ERPSaleKey"`
	UserLanguageCode             string                           `json:"UserLanguageCode"`
}

// Alternatives returns every alternative of the version: the array, or the
// docs' single active alternative when the array is absent.
func (c *QuoteVersionContextInfo) Alternatives() []*QuoteAlternativeWithLinesInfo {
	if len(c.CRMAlternativesWithLines) == 0 && c.CRMQuoteAlternativeWithLines != nil {
		c.CRMAlternativesWithLines = []*QuoteAlternativeWithLinesInfo{c.CRMQuoteAlternativeWithLines}
	}
	return c.CRMAlternativesWithLines
}

// Party is what the service reads of the opaque CRMCompany and CRMPerson
// objects: names, e-mail, phone and the postal address.
type Party struct {
	ContactId          int    `json:"ContactId"`
	PersonId           int    `json:"PersonId"`
	Name               string `json:"Name"`
	OrganisationNumber string `json:"OrganisationNumber"`
	Firstname          string `json:"Firstname"`
	Lastname           string `json:"Lastname"`
	FullName           string `json:"FullName"`
	Email              string `json:"Email"`
	Phone              string `json:"Phone"`
	Address            AddressInfo
}

// ParseParty reads a company or person object; a missing or odd object gives
// a zero Party, never an error (these objects are opaque, §5.7).
func ParseParty(raw json.RawMessage) Party {
	var p Party
	if len(raw) == 0 || isNull(raw) {
		return p
	}
	_ = json.Unmarshal(raw, &p)
	var addr struct {
		Address *AddressInfo `json:"Address"`
	}
	if json.Unmarshal(raw, &addr) == nil && addr.Address != nil {
		p.Address = *addr.Address
	} else {
		_ = json.Unmarshal(raw, &p.Address)
	}
	return p
}

// PluginResponseInfo is the common result of actions (§5.16).
type PluginResponseInfo struct {
	IsOk            bool          `json:"IsOk"`
	State           ResponseState `json:"State"`
	UserExplanation string        `json:"UserExplanation"`
	TechExplanation string        `json:"TechExplanation"`
	ErrorCode       string        `json:"ErrorCode"`
}

// QuoteVersionResponseInfo (§5.17).
type QuoteVersionResponseInfo struct {
	PluginResponseInfo
	CRMQuote                 *QuoteInfo                       `json:"CRMQuote"`
	CRMQuoteVersion          *QuoteVersionInfo                `json:"CRMQuoteVersion"`
	CRMAlternativesWithLines []*QuoteAlternativeWithLinesInfo `json:"CRMAlternativesWithLines"`
}

// QuoteResponseInfo has the same members as QuoteVersionResponseInfo.
type QuoteResponseInfo = QuoteVersionResponseInfo

// QuoteAlternativeResponseInfo carries the alternative twice: as the object
// and as a one-element array (the sample's shape).
type QuoteAlternativeResponseInfo struct {
	PluginResponseInfo
	CRMAlternativeWithLines  *QuoteAlternativeWithLinesInfo   `json:"CRMAlternativeWithLines"`
	CRMAlternativesWithLines []*QuoteAlternativeWithLinesInfo `json:"CRMAlternativesWithLines"`
}

// QuoteSentResponseInfo carries the version response under both names.
type QuoteSentResponseInfo struct {
	PluginResponseInfo
	VersionResponse *QuoteVersionResponseInfo `json:"VersionResponse"`
	QuoteData       *QuoteVersionResponseInfo `json:"QuoteData"`
	Url             string                    `json:"Url"`
}

// OrderResponseInfo (§5.17).
type OrderResponseInfo struct {
	PluginResponseInfo
	CRMQuote                *QuoteInfo                     `json:"CRMQuote"`
	CRMQuoteVersion         *QuoteVersionInfo              `json:"CRMQuoteVersion"`
	CRMAlternativeWithLines *QuoteAlternativeWithLinesInfo `json:"CRMAlternativeWithLines"`
}

// PlaceOrderResponseInfo (§5.17).
type PlaceOrderResponseInfo struct {
	OrderResponseInfo
	Url string `json:"Url"`
}

// PriceListInfo (§5.11).
type PriceListInfo struct {
	ERPPriceListKey   string `json:"ERPPriceListKey"`
	QuoteConnectionId int    `json:"QuoteConnectionId"`
	Name              string `json:"Name"`
	Description       string `json:"Description"`
	Currency          string `json:"Currency"`
	CurrencyName      string `json:"CurrencyName"`
	ValidFrom         Date   `json:"ValidFrom"`
	ValidTo           Date   `json:"ValidTo"`
	IsActive          bool   `json:"IsActive"`
}

// QuoteListItemInfo (§5.12).
type QuoteListItemInfo struct {
	ERPQuoteListItemKey string `json:"ERPQuoteListItemKey"`
	DisplayValue        string `json:"DisplayValue"`
	DisplayDescription  string `json:"DisplayDescription"`
	Icon                string `json:"Icon"`
}

// FieldMetadataInfo describes one field of the admin dialog or of the
// advanced search (§5.14).
type FieldMetadataInfo struct {
	FieldKey           string      `json:"FieldKey"`
	Rank               int         `json:"Rank"`
	DisplayName        string      `json:"DisplayName"`
	DisplayDescription string      `json:"DisplayDescription"`
	FieldType          FieldType   `json:"FieldType"`
	ListName           string      `json:"ListName"`
	DefaultValue       string      `json:"DefaultValue"`
	MaxLength          int         `json:"MaxLength"`
	Access             FieldAccess `json:"Access"`
}

// SearchRestrictionInfo is one condition of an advanced search (§5.18).
// SuperOffice's OpenAPI document names the field FieldKey and may send a
// one-value operator's value as ScalarValue; Name is accepted for FieldKey.
type SearchRestrictionInfo struct {
	FieldKey    string   `json:"FieldKey"`
	Operator    string   `json:"Operator"`
	Values      []string `json:"Values"`
	ScalarValue string   `json:"ScalarValue"`
}

type restrictionPlain SearchRestrictionInfo

func (r *SearchRestrictionInfo) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*r = SearchRestrictionInfo{}
	w := struct {
		*restrictionPlain
		Name *string `json:"Name"`
	}{restrictionPlain: (*restrictionPlain)(r)}
	if err := jsonv2.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	if r.FieldKey == "" && w.Name != nil {
		r.FieldKey = *w.Name
	}
	return nil
}

func (r *SearchRestrictionInfo) UnmarshalJSON(data []byte) error { return unmarshalV1(data, r) }

// Field is FieldKey without a table prefix ("Product.Code" → "Code").
func (r SearchRestrictionInfo) Field() string {
	k := strings.TrimSpace(r.FieldKey)
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		k = k[i+1:]
	}
	return k
}

// Value is the value of a one-value operator: ScalarValue, else the first
// of Values; culture markers are not stripped.
func (r SearchRestrictionInfo) Value() string {
	if r.ScalarValue != "" || len(r.Values) == 0 {
		return r.ScalarValue
	}
	return r.Values[0]
}

// AllValues are the values of a many-value operator (in, between): Values,
// else ScalarValue.
func (r SearchRestrictionInfo) AllValues() []string {
	if len(r.Values) > 0 {
		return r.Values
	}
	if r.ScalarValue != "" {
		return []string{r.ScalarValue}
	}
	return nil
}
