package superoffice

import (
	"reflect"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

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

// QuoteLineChangedRequest is OnQuoteLineChanged's body. The answer is the
// QuoteLine alone, and of the Context the call reads only a few members, so
// the Context is read sparsely (see lineChangeContext): what is not read is
// checked as JSON and skipped without building values. That keeps a line
// edit in a 20-line quote from paying for decoding the other 19 lines.
type QuoteLineChangedRequest struct {
	Envelope
	Context       *QuoteAlternativeContextInfo `json:"Context"`
	QuoteLine     *QuoteLineInfo               `json:"QuoteLine"`
	ChangedFields []string                     `json:"ChangedFields"`
}

func (r *QuoteLineChangedRequest) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	type plain QuoteLineChangedRequest
	*r = QuoteLineChangedRequest{}
	w := struct {
		*plain
		Context *lineChangeContext `json:"Context"` // shadows plain's
	}{plain: (*plain)(r)}
	if err := jsonv2.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	if w.Context != nil {
		r.Context = w.Context.info()
	}
	return nil
}

// lineChangeContext is the part of an OnQuoteLineChanged Context the call
// uses: the ids and language that pick the connection (CRMQuote,
// EISConnectionId, UserLanguageCode), the sale (its currency), the client
// and record keys, and the alternative with its lines reduced to their ids
// and keys (the price lists of the other lines give a new line its
// currency). CRMAssociate, the company, person and project, the foreign
// keys, the version and the addresses are skipped, as are the other members
// of the lines.
type lineChangeContext struct {
	ERPClientKey            string            `json:"ERPClientKey"`
	CRMSale                 *ISaleInfo        `json:"CRMSale"`
	CRMQuote                *QuoteInfo        `json:"CRMQuote"`
	CRMAlternativeWithLines *keyedAlternative `json:"CRMAlternativeWithLines"`
	EISConnectionId         int               `json:"EISConnectionId"`
	EISConnectionGuid       string            `json:"EISConnectionGuid"`
	ERPCompanyKey           string            `json:"ERPCompanyKey"`
	ERPPersonKey            string            `json:"ERPPersonKey"`
	ERPProjectKey           string            `json:"ERPProjectKey"`
	ERPSaleKey              string            `json:"ERPSaleKey"`
	UserLanguageCode        string            `json:"UserLanguageCode"`
}

type keyedAlternative struct {
	CRMAlternative *QuoteAlternativeInfo `json:"CRMAlternative"`
	CRMQuoteLines  []*keyedLine          `json:"CRMQuoteLines"`
}

// keyedLine is a context line's identity: ids and keys.
type keyedLine struct {
	QuoteLineId        int
	QuoteAlternativeId int
	ERPQuoteLineKey    string
	ERPProductKey      string
	ERPPriceListKey    string
}

// keyedLineNames are keyedLine's members, in field order.
var keyedLineNames = []string{"QuoteLineId", "QuoteAlternativeId", "ERPQuoteLineKey", "ERPProductKey", "ERPPriceListKey"}

// UnmarshalJSONFrom reads the five members and skips the other fifty
// without the generic struct decoder's per-member lookups: the lines of a
// context are most of an OnQuoteLineChanged body.
func (l *keyedLine) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*l = keyedLine{}
	if null, err := openObject(dec, reflect.TypeFor[QuoteLineInfo]()); null || err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		var dst any
		switch matchName(name, keyedLineNames) {
		case 0:
			dst = &l.QuoteLineId
		case 1:
			dst = &l.QuoteAlternativeId
		case 2:
			dst = &l.ERPQuoteLineKey
		case 3:
			dst = &l.ERPProductKey
		case 4:
			dst = &l.ERPPriceListKey
		default:
			if err := dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		if err := jsonv2.UnmarshalDecode(dec, dst); err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

func (c *lineChangeContext) info() *QuoteAlternativeContextInfo {
	info := &QuoteAlternativeContextInfo{
		ERPClientKey: c.ERPClientKey, CRMSale: c.CRMSale, CRMQuote: c.CRMQuote,
		EISConnectionId: c.EISConnectionId, EISConnectionGuid: c.EISConnectionGuid,
		ERPCompanyKey: c.ERPCompanyKey, ERPPersonKey: c.ERPPersonKey, ERPProjectKey: c.ERPProjectKey, ERPSaleKey: c.ERPSaleKey,
		UserLanguageCode: c.UserLanguageCode,
	}
	if a := c.CRMAlternativeWithLines; a != nil {
		alt := &QuoteAlternativeWithLinesInfo{CRMAlternative: a.CRMAlternative}
		if a.CRMQuoteLines != nil {
			alt.CRMQuoteLines = make([]*QuoteLineInfo, len(a.CRMQuoteLines))
			lines := make([]QuoteLineInfo, len(a.CRMQuoteLines))
			for i, l := range a.CRMQuoteLines {
				if l == nil {
					continue
				}
				lines[i] = QuoteLineInfo{QuoteLineId: l.QuoteLineId, QuoteAlternativeId: l.QuoteAlternativeId,
					ERPQuoteLineKey: l.ERPQuoteLineKey, ERPProductKey: l.ERPProductKey, ERPPriceListKey: l.ERPPriceListKey}
				alt.CRMQuoteLines[i] = &lines[i]
			}
		}
		info.CRMAlternativeWithLines = alt
	}
	return info
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
