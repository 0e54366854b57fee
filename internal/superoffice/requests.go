package superoffice

// Request bodies of the 31 endpoints (protocol §4.1). Every body carries
// ConfigValues and ConnectionInfo (§1.6); the rest is per endpoint.

// Envelope is the part of every request body.
type Envelope struct {
	ConfigValues   map[string]string    `json:"ConfigValues"`
	ConnectionInfo *QuoteConnectionInfo `json:"ConnectionInfo"`
}

type TestConnectionRequest struct {
	Envelope
	ConnectionData map[string]string `json:"ConnectionData"`
}

type QuoteListRequest struct {
	Envelope
	QuoteListType string `json:"QuoteListType"`
}

type PriceListRequest struct {
	Envelope
	IsoCurrencyCode string `json:"IsoCurrencyCode"`
}

// AlternativeContextRequest is a body whose only member is Context.
type AlternativeContextRequest struct {
	Envelope
	Context *QuoteAlternativeContextInfo `json:"Context"`
}

// VersionContextRequest is a body whose only member is QuoteContext.
type VersionContextRequest struct {
	Envelope
	QuoteContext *QuoteVersionContextInfo `json:"QuoteContext"`
}

type DeleteQuoteRequest struct {
	Envelope
	Quote   *QuoteInfo `json:"Quote"`
	Sale    *ISaleInfo `json:"Sale"`
	Contact any        `json:"Contact"`
}

type QuoteLineChangedRequest struct {
	Envelope
	Context       *QuoteAlternativeContextInfo `json:"Context"`
	QuoteLine     *QuoteLineInfo               `json:"QuoteLine"`
	ChangedFields []string                     `json:"ChangedFields"`
}

type FindProductRequest struct {
	Envelope
	Context      *QuoteAlternativeContextInfo `json:"Context"`
	CurrencyCode string                       `json:"CurrencyCode"`
	UserInput    *string                      `json:"UserInput"`
	PriceListKey string                       `json:"PriceListKey"`
}

type ProductRequest struct {
	Envelope
	Context       *QuoteAlternativeContextInfo `json:"Context"`
	ErpProductKey string                       `json:"ErpProductKey"`
}

type ProductsRequest struct {
	Envelope
	Context        *QuoteAlternativeContextInfo `json:"Context"`
	ErpProductKeys []string                     `json:"ErpProductKeys"`
}

type ProductImageRequest struct {
	Envelope
	ErpProductKey string `json:"ErpProductKey"`
	Rank          int    `json:"Rank"`
}

type SearchResultsRequest struct {
	Envelope
	Restrictions []SearchRestrictionInfo `json:"Restrictions"`
}

type ValidateRequest struct {
	Envelope
	QuoteContext *QuoteVersionContextInfo `json:"QuoteContext"`
	Action       QuoteAction              `json:"Action"`
}

type UpdatePricesRequest struct {
	Envelope
	QuoteContext    *QuoteVersionContextInfo `json:"QuoteContext"`
	WriteableFields []string                 `json:"WriteableFields"`
}
