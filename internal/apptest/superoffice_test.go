package apptest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/api"
	"github.com/quoteconnector/quoteconnector/internal/handlers"
)

func TestSuperOfficeDocumentAsPublished(t *testing.T) {
	doc, err := api.LoadData(api.SuperOfficeJSON())
	require.NoError(t, err, "the copy loads and validates as OpenAPI 3.0 untouched")
	assert.Equal(t, "SuperOffice.RestQuoteServer", doc.Info.Title)
	// Every path it has is one of ours.
	ours := map[string]bool{}
	for _, n := range handlers.EndpointNames() {
		ours["/"+n] = true
	}
	for p := range doc.Paths.Map() {
		assert.True(t, ours[p], "%s is not served", p)
	}
	assert.Equal(t, 27, doc.Paths.Len(), "31 endpoints less the three approval calls and GetNumberOfActivePriceLists")
}

func TestSuperOfficeFlawsAreNamedOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range superOfficeFlaws {
		assert.NotEmpty(t, f.name)
		assert.Greater(t, len(f.why), 80, "%s: say why", f.name)
		assert.True(t, (f.edit == nil) != (f.answer == nil), "%s: one way to set it aside", f.name)
		assert.False(t, seen[f.name], f.name)
		seen[f.name] = true
	}
	for _, name := range []string{"product answers", "additionalProperties: false", "date-time format of unset dates", "missing approval paths"} {
		assert.True(t, seen[name], "the issue's flaw %q is set aside", name)
	}
}

// TestSuperOfficeValidatorCatchesRealDifferences: with the flaws set aside,
// the answers the service used to give before it followed SuperOffice's
// document still fail, and so do other differences.
func TestSuperOfficeValidatorCatchesRealDifferences(t *testing.T) {
	v, err := SuperOfficeValidator()
	require.NoError(t, err)
	json := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	bad := []struct{ name, path, body string }{
		{"Label as 7", "/GetConfigurationFields", `{"general.section":{"FieldKey":"general.section","FieldType":7}}`},
		{"null quote list", "/GetQuoteList", `null`},
		{"null price lists", "/GetAllPriceLists", `null`},
		{"null capabilities", "/GetCapabilities", `null`},
		{"state out of range", "/TestConnection", `{"IsOk":true,"State":4}`},
		{"enum as a name", "/OnQuoteLineChanged", `{"Status":"Warning"}`},
		{"extra info type", "/GetProduct", `{"ERPProductKey":"a","ExtraInfo":[{"Name":"x","Value":"y","Type":5}]}`},
		{"product member of the wrong type", "/FindProduct", `[{"ERPProductKey":"a","UnitCost":"12"}]`},
		{"bad date", "/GetActivePriceLists", `[{"ERPPriceListKey":"a","ValidFrom":"31.01.2024"}]`},
		{"8-digit fraction", "/GetActivePriceLists", `[{"ERPPriceListKey":"a","ValidTo":"9999-12-31T23:59:59.99999999"}]`},
		{"string count", "/GetNumberOfProductImages", `"1"`},
		{"fraction count", "/GetNumberOfActivePriceLists", `1.5`},
		{"null line where the answer is an alternative", "/RecalculateQuoteAlternative", `null`},
		{"null cell in a list", "/GetQuoteList", `[null]`},
		{"null product in a list", "/FindProduct", `[null]`},
		{"version state as a name", "/ValidateQuoteVersion", `{"IsOk":true,"CRMQuoteVersion":{"State":"Draft"}}`},
		{"approval answer of the wrong type", "/OnQuoteVersionApproved", `{"IsOk":"yes"}`},
	}
	for _, c := range bad {
		assert.Error(t, v.ValidateResponse("POST", c.path, 200, json, []byte(c.body)), c.name)
	}
	assert.Error(t, v.ValidateResponse("POST", "/OnAfterSaveQuote", 204, nil, []byte(`{}`)), "204 with a body")

	good := []struct{ name, path, body string }{
		{"Label as 99", "/GetConfigurationFields", `{"general.section":{"FieldKey":"general.section","FieldType":99,"Extra":1}}`},
		{"empty quote list", "/GetQuoteList", `[]`},
		{"no product", "/GetProduct", `null`},
		{"full product", "/GetProducts", `[{"ERPProductKey":"a","InStock":3,"InAssortment":true,"UnitCost":1.5,"ExtraInfo":[{"Name":"x","Value":"[I:1]","Type":2}]}]`},
		{"unset and zoneless dates", "/GetActivePriceLists", `[{"ValidFrom":"0001-01-01T00:00:00","ValidTo":"9999-12-31T23:59:59.9999999"},{"ValidFrom":"2022-06-16T16:21:12.0877887+02:00","ValidTo":""}]`},
		{"null members and cells", "/GetAddresses", `[null,{"City":"Oslo","AddressField1":"x"}]`},
		{"no order change", "/GetOrderState", `null`},
		{"approval", "/OnQuoteVersionRequestApproval", `{"IsOk":true,"State":0,"CRMQuoteVersion":{"State":3},"CRMAlternativesWithLines":[{"CRMAlternative":null,"CRMQuoteLines":null}]}`},
		{"count", "/GetNumberOfActivePriceLists", `3`},
	}
	for _, c := range good {
		assert.NoError(t, v.ValidateResponse("POST", c.path, 200, json, []byte(c.body)), c.name)
	}
	assert.NoError(t, v.ValidateResponse("POST", "/OnBeforeDeleteQuote", 204, nil, nil))

	// An opaque state passes only when the request carried it.
	answer := []byte(`{"IsOk":true,"CRMQuoteVersion":{"State":"SentExpired","ArchivedState":12}}`)
	echoed := adjustAnswer([]byte(`{"QuoteContext":{"CRMQuoteVersion":{"State":"SentExpired","ArchivedState":12}}}`), answer)
	assert.NoError(t, v.ValidateResponse("POST", "/ValidateQuoteVersion", 200, json, echoed))
	invented := adjustAnswer([]byte(`{"QuoteContext":{"CRMQuoteVersion":{"State":2}}}`), answer)
	assert.Error(t, v.ValidateResponse("POST", "/ValidateQuoteVersion", 200, json, invented))
}

// TestSuperOfficeRequestsAreExact: requests are held to SuperOffice's
// document without opening its objects, so a test body with a member
// SuperOffice does not send is caught.
func TestSuperOfficeRequestsAreExact(t *testing.T) {
	ValidateRequestAgainstSuperOffice(t, "/GetSearchResults", []byte(`{"Restrictions":[{"FieldKey":"Code","Operator":"in","Values":["a","b"],"ScalarValue":null}]}`))
	superOfficeOnce.Do(loadSuperOffice)
	require.NoError(t, superOfficeErr)
	assert.Error(t, superOfficeRequests.ValidateRequest("POST", "/GetSearchResults", []byte(`{"Restrictions":[{"Name":"Code","Operator":"=","Values":["a"]}]}`)),
		"Name is not what SuperOffice sends")
	assert.Error(t, superOfficeRequests.ValidateRequest("POST", "/OnQuoteLineChanged", []byte(`{"QuoteLine":{"Status":"Warning"}}`)))
	assert.NoError(t, superOfficeRequests.ValidateRequest("POST", "/GetCapabilities", nil))
	assert.Error(t, superOfficeRequests.ValidateRequest("POST", "/GetCapabilities", []byte(`{}`)), "GetCapabilities has no body")
}
