package superoffice

import (
	"encoding/json"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnmarshalErrors(t *testing.T) {
	tests := []struct {
		name, in string
		check    func(t *testing.T, err error)
	}{
		{"member path uses the Go names, not the body's case", `{"quoteline":{"STATUS":7}}`, func(t *testing.T, err error) {
			member, why, ok := InvalidValue(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, "QuoteLine.Status", member)
			assert.Equal(t, "7 is not a valid QuoteStatus", why)
		}},
		{"no array positions or map keys, no embedded struct names", `{"ConfigValues":{"a":"b","c":1}}`, func(t *testing.T, err error) {
			var te *json.UnmarshalTypeError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, "ConfigValues", te.Field)
			assert.Equal(t, "number", te.Value)
		}},
		{"deep in a context line", `{"Context":{"CRMAlternativeWithLines":{"CRMQuoteLines":[{},{"ERPPriceListKey":true}]}}}`, func(t *testing.T, err error) {
			var te *json.UnmarshalTypeError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, "Context.CRMAlternativeWithLines.CRMQuoteLines.ERPPriceListKey", te.Field)
			assert.Equal(t, "bool", te.Value)
		}},
		{"a fraction for an integer", `{"QuoteLine":{"QuoteLineId":1.5}}`, func(t *testing.T, err error) {
			var te *json.UnmarshalTypeError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, "QuoteLine.QuoteLineId", te.Field)
			assert.Equal(t, "number 1.5", te.Value)
		}},
		{"malformed JSON wins over an earlier wrong type", `{"QuoteLine":{"Quantity":"x"},"ChangedFields":[1 2]}`, func(t *testing.T, err error) {
			var se *json.SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Contains(t, se.Error(), "invalid character")
		}},
		{"malformed JSON in a skipped part of the context", `{"Context":{"CRMPerson":{"a":}},"QuoteLine":{}}`, func(t *testing.T, err error) {
			var se *json.SyntaxError
			require.ErrorAs(t, err, &se)
		}},
		{"trailing data", `{"QuoteLine":{}} {}`, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, ErrTrailingData)
		}},
		{"truncated", `{"QuoteLine":{`, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r QuoteLineChangedRequest
			err := Unmarshal([]byte(tc.in), &r)
			require.Error(t, err)
			tc.check(t, err)
		})
	}
}

// The OnQuoteLineChanged body reads of the Context what the call uses;
// the rest is skipped (but must be JSON).
func TestQuoteLineChangedRequestSparseContext(t *testing.T) {
	in := `{"ConfigValues":{"k":"v"},"ChangedFields":["Quantity"],
	"context":{"UserLanguageCode":"nb-NO","EISConnectionId":7,"ERPClientKey":"c","ERPSaleKey":"s",
		"CRMQuote":{"QuoteId":3,"QuoteConnectionId":9,"PoNumber":"PO","Kept":1},
		"CRMSale":{"Currency":"USD","Status":"Open"},
		"CRMAssociate":{"Ticket":"secret","FunctionRights":[1,{"not":"strings"}]},
		"CRMQuoteVersion":{"State":"no such state at all","SentDate":"not a date"},
		"CRMPerson":{"x":[1,2,3]},
		"DeliveryAddress":{"City":5},
		"CRMAlternativeWithLines":{"CRMAlternative":{"QuoteAlternativeId":11,"Name":"A","Extra":true},
			"CRMQuoteLines":[
				{"QuoteLineId":1,"QuoteAlternativeId":11,"ERPProductKey":"logicom:A","erppricelistkey":"logicom:USD","Status":"bogus","Quantity":"ignored","SubscriptionStart":"never","ExtraInfo":{"x":1}},
				null,
				{"ERPProduct\u212Aey":"nuvias:B","ERPQuoteLineKey":"q2","\u0045RPPriceListKey":"nuvias:EUR","Nested":{"ERPPriceListKey":"no"}}]}},
	"QuoteLine":{"QuoteLineId":2,"Quantity":3,"Unknown":"kept"}}`
	var r QuoteLineChangedRequest
	require.NoError(t, Unmarshal([]byte(in), &r))
	assert.Equal(t, "v", r.ConfigValues["k"])
	assert.Equal(t, []string{"Quantity"}, r.ChangedFields)
	require.NotNil(t, r.QuoteLine)
	assert.Equal(t, 3.0, r.QuoteLine.Quantity)
	assert.Equal(t, `"kept"`, string(r.QuoteLine.Extra["Unknown"]))

	c := r.Context
	require.NotNil(t, c)
	assert.Equal(t, "nb-NO", c.UserLanguageCode)
	assert.Equal(t, 7, c.EISConnectionId)
	assert.Equal(t, "c", c.ERPClientKey)
	assert.Equal(t, "s", c.ERPSaleKey)
	require.NotNil(t, c.CRMQuote)
	assert.Equal(t, 9, c.CRMQuote.QuoteConnectionId)
	require.NotNil(t, c.CRMSale)
	assert.Equal(t, "USD", c.CRMSale.Currency)
	assert.Nil(t, c.CRMAssociate, "skipped")
	assert.Nil(t, c.CRMQuoteVersion, "skipped")
	assert.Nil(t, c.CRMPerson, "skipped")
	assert.Nil(t, c.DeliveryAddress, "skipped")

	alt := c.CRMAlternativeWithLines
	require.NotNil(t, alt)
	assert.Equal(t, 11, alt.CRMAlternative.QuoteAlternativeId)
	require.Len(t, alt.CRMQuoteLines, 3)
	assert.Equal(t, QuoteLineInfo{QuoteLineId: 1, QuoteAlternativeId: 11, ERPProductKey: "logicom:A", ERPPriceListKey: "logicom:USD"}, *alt.CRMQuoteLines[0])
	assert.Nil(t, alt.CRMQuoteLines[1])
	assert.Equal(t, QuoteLineInfo{ERPProductKey: "nuvias:B", ERPQuoteLineKey: "q2", ERPPriceListKey: "nuvias:EUR"}, *alt.CRMQuoteLines[2], "names matched as encoding/json matches them")

	// Without a context, and with a null one.
	for _, in := range []string{`{"QuoteLine":{}}`, `{"Context":null,"QuoteLine":{}}`} {
		var r QuoteLineChangedRequest
		require.NoError(t, Unmarshal([]byte(in), &r))
		assert.Nil(t, r.Context, in)
	}
	// A line of the context that is not an object.
	var bad QuoteLineChangedRequest
	var te *json.UnmarshalTypeError
	require.ErrorAs(t, Unmarshal([]byte(`{"Context":{"CRMAlternativeWithLines":{"CRMQuoteLines":[5]}}}`), &bad), &te)
	assert.Equal(t, "Context.CRMAlternativeWithLines.CRMQuoteLines", te.Field)
}

func TestMatchName(t *testing.T) {
	names := []string{"QuoteLineId", "ERPProductKey", "ERPPriceListKey"}
	for in, want := range map[string]int{
		`"QuoteLineId"`:             0,
		`"quotelineid"`:             0,
		`"ERPPRODUCTKEY"`:           1,
		`"ERPProduct\u212Aey"`:      1, // Kelvin sign folds to k
		"\"ERPProduct\u212Aey\"":    1,
		`"\u0045RPPriceListKey"`:    2,
		`"ERPPricelistKey"`:         2,
		`"ERP_PriceListKey"`:        -1, // '_' is significant, as in encoding/json
		`"QuoteLineIds"`:            -1,
		`""`:                        -1,
		`"ſuoteLineId"`:             -1,
		"\"QuoteLine\u0131d\"":      -1, // dotless i is no I
		`"ERPProductKey\u0000"`:     -1,
		`"erpproductkey"`:           1,
		`"ERPProductKeyERPProduct"`: -1,
	} {
		assert.Equal(t, want, matchName([]byte(in), names), in)
	}
}

func TestExtraDataFieldNamesWithEscapes(t *testing.T) {
	var f ProductExtraDataFieldInfo
	require.NoError(t, Unmarshal([]byte(`{"\u004eame":"n","Field\u0056alue":"v","TYPE":"Url"}`), &f))
	assert.Equal(t, ProductExtraDataFieldInfo{Name: "n", Value: "v", Type: ExtraURL}, f)
}
