package handlers_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/handlers"
)

// minimalBodies is a valid body for each endpoint: what SuperOffice sends
// at the least.
var minimalBodies = map[string]string{
	"GetConfigurationFields":         `{}`,
	"TestConnection":                 `{"ConnectionData":{}}`,
	"GetCapabilities":                ``,
	"GetQuoteList":                   `{"QuoteListType":"ProductCategory"}`,
	"GetNumberOfActivePriceLists":    `{"IsoCurrencyCode":"EUR"}`,
	"GetAllPriceLists":               `{"IsoCurrencyCode":""}`,
	"GetActivePriceLists":            `{"IsoCurrencyCode":"EUR"}`,
	"GetAddresses":                   `{"Context":{}}`,
	"OnBeforeCreateQuote":            `{"Context":{"CRMQuote":{"QuoteId":0},"CRMQuoteVersion":{"State":2}}}`,
	"OnBeforeCreateQuoteVersion":     `{"QuoteContext":{"CRMQuoteVersion":{"State":2},"CRMAlternativesWithLines":[]}}`,
	"OnBeforeCreateQuoteAlternative": `{"Context":{"CRMAlternativeWithLines":{"CRMAlternative":{"Name":"A"}}}}`,
	"OnAfterSaveQuote":               `{"Context":{"CRMQuote":{"QuoteId":7}}}`,
	"OnBeforeDeleteQuote":            `{"Quote":{"QuoteId":7},"Sale":{"SaleId":3},"Contact":{}}`,
	"OnAfterSentQuoteVersion":        `{"QuoteContext":{"CRMQuoteVersion":{"State":6}}}`,
	"OnQuoteLineChanged":             `{"QuoteLine":{"Quantity":2,"UnitListPrice":10,"UnitCost":8},"ChangedFields":["QuoteLine.Quantity"]}`,
	"FindProduct":                    `{"UserInput":"dell","CurrencyCode":"EUR","PriceListKey":""}`,
	"GetProduct":                     `{"ErpProductKey":"logicom:NO-SUCH-SKU"}`,
	"GetProducts":                    `{"ErpProductKeys":["logicom:NO-SUCH-SKU"]}`,
	"GetQuoteLinesFromProduct":       `{"ErpProductKey":"logicom:NO-SUCH-SKU"}`,
	"GetNumberOfProductImages":       `{"ErpProductKey":"logicom:NO-SUCH-SKU"}`,
	"GetProductImage":                `{"ErpProductKey":"logicom:NO-SUCH-SKU","Rank":1}`,
	"GetSearchableFields":            `{}`,
	"GetSearchResults":               `{"Restrictions":[{"FieldKey":"Name","Operator":"contains","Values":["dell"]}]}`,
	"RecalculateQuoteAlternative":    `{"Context":{"CRMAlternativeWithLines":{"CRMAlternative":{},"CRMQuoteLines":[]}}}`,
	"ValidateQuoteVersion":           `{"QuoteContext":{"CRMQuoteVersion":{"State":2},"CRMAlternativesWithLines":[]},"Action":"Validate"}`,
	"UpdateQuoteVersionPrices":       `{"QuoteContext":{"CRMQuoteVersion":{"State":2},"CRMAlternativesWithLines":[]},"WriteableFields":["unitcost"]}`,
	"PlaceOrder":                     `{"Context":{"CRMQuote":{},"CRMAlternativeWithLines":{"CRMAlternative":{},"CRMQuoteLines":[]}}}`,
	"GetOrderState":                  `{"Context":{"CRMQuote":{"ERPOrderKey":""}}}`,
	"OnQuoteVersionRequestApproval":  `{"QuoteContext":{"CRMQuoteVersion":{"State":3,"RequestAssociateId":5}}}`,
	"OnQuoteVersionApproved":         `{"QuoteContext":{"CRMQuoteVersion":{"State":4}}}`,
	"OnQuoteVersionRejected":         `{"QuoteContext":{"CRMQuoteVersion":{"State":5}}}`,
}

func TestEveryEndpointHasABody(t *testing.T) {
	require.Len(t, handlers.EndpointNames(), 31)
	for _, name := range handlers.EndpointNames() {
		assert.Contains(t, minimalBodies, name)
	}
}

func TestEveryEndpointAuthorised(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	for _, name := range handlers.EndpointNames() {
		t.Run(name, func(t *testing.T) {
			r := env.Post(t, name, minimalBodies[name])
			switch name {
			case "OnAfterSaveQuote", "OnBeforeDeleteQuote":
				assert.Equal(t, http.StatusNoContent, r.Status, "%s", r.Body)
				assert.Empty(t, r.Body)
			default:
				require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
				assert.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
				assert.True(t, json.Valid(r.Body), "%s", r.Body)
			}
			apptest.ValidateAgainstDocument(t, http.MethodPost, "/"+name, r)
		})
	}
}

func TestEveryEndpointUnauthorised(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	cases := map[string]func(*http.Request){
		"no header":      func(*http.Request) {},
		"wrong password": func(r *http.Request) { r.SetBasicAuth(apptest.Tenant, "wrong") },
		"unknown tenant": func(r *http.Request) { r.SetBasicAuth("nobody", apptest.Secret) },
		"bad scheme":     func(r *http.Request) { r.Header.Set("Authorization", "Digest abc") },
		"bad bearer":     func(r *http.Request) { r.Header.Set("Authorization", "Bearer not.a.jwt") },
	}
	for _, name := range handlers.EndpointNames() {
		for cname, edit := range cases {
			r := env.Do(t, http.MethodPost, "/"+name, minimalBodies[name], edit)
			require.Equal(t, http.StatusUnauthorized, r.Status, "%s %s", name, cname)
			assert.NotEmpty(t, r.Header.Values("WWW-Authenticate"), name)
			var body map[string]string
			r.JSON(t, &body)
			assert.Contains(t, body["Error"], "Unauthorized", name)
			assert.NotContains(t, string(r.Body), apptest.Secret)
		}
	}
}

// TestBadInput: every 400 names the member at fault and says why, as
// "<member>: <why>" (the body itself is "request body").
func TestBadInput(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	big := `{"UserInput":"` + strings.Repeat("x", 1<<20) + `"}`
	cases := []struct {
		name, endpoint, body string
		status               int
		member, errorHas     string
	}{
		{"malformed JSON", "FindProduct", `{"UserInput": "dell"`, 400, "request body", "malformed JSON"},
		{"syntax error position", "FindProduct", "{\n \"UserInput\": dell}", 400, "UserInput", "line 2"},
		{"syntax error deep", "OnQuoteLineChanged", `{"QuoteLine":{"Quantity":1,"Name":"a" "b"}}`, 400, "QuoteLine.Name", "malformed JSON"},
		{"wrong type names member", "FindProduct", `{"UserInput": 5}`, 400, "UserInput", "expected a string"},
		{"wrong type nested", "OnQuoteLineChanged", `{"QuoteLine":{"Quantity":"two"}}`, 400, "QuoteLine.Quantity", "expected a number"},
		{"wrong type in a line of the context", "RecalculateQuoteAlternative", `{"Context":{"CRMAlternativeWithLines":{"CRMQuoteLines":[{"Quantity":true}]}}}`, 400, "Context.CRMAlternativeWithLines.CRMQuoteLines.Quantity", "expected a number"},
		{"object for array", "GetProducts", `{"ErpProductKeys":{"a":1}}`, 400, "ErpProductKeys", "expected an array"},
		{"trailing data", "GetCapabilities", `{} {}`, 400, "request body", "after the JSON object"},
		{"not an object", "GetCapabilities", `[1,2]`, 400, "request body", "JSON object"},
		{"unknown enum name", "ValidateQuoteVersion", `{"QuoteContext":{},"Action":"Explode"}`, 400, "Action", `"Explode" is not a valid QuoteAction`},
		{"enum out of range", "OnQuoteLineChanged", `{"QuoteLine":{"UserValueOverride":17}}`, 400, "QuoteLine.UserValueOverride", "17 is not a valid ValueOverrideInfo"},
		{"enum on a line", "OnQuoteLineChanged", `{"QuoteLine":{"Status":7}}`, 400, "QuoteLine.Status", "7 is not a valid QuoteStatus"},
		{"enum deep in a version", "ValidateQuoteVersion", `{"QuoteContext":{"CRMAlternativesWithLines":[{"CRMAlternative":{"Status":"Bad"}}]}}`, 400, "QuoteContext.CRMAlternativesWithLines.CRMAlternative.Status", `"Bad" is not a valid QuoteStatus`},
		{"enum in extra info", "OnQuoteLineChanged", `{"QuoteLine":{"ExtraInfo":[{"Name":"a","Type":9}]}}`, 400, "QuoteLine.ExtraInfo.Type", "9 is not a valid ExtraDataFieldTypeInfo"},
		{"string in extra info", "OnQuoteLineChanged", `{"QuoteLine":{"ExtraInfo":[{"Name":5}]}}`, 400, "QuoteLine.ExtraInfo.Name", "expected a string"},
		{"version state of the wrong kind", "ValidateQuoteVersion", `{"QuoteContext":{"CRMQuoteVersion":{"State":true}}}`, 400, "QuoteContext.CRMQuoteVersion.State", "true is not a valid QuoteVersionStateInfo"},
		{"bad date", "OnQuoteLineChanged", `{"QuoteLine":{"SubscriptionStart":"31.01.2024"}}`, 400, "QuoteLine.SubscriptionStart", `"31.01.2024" is not an ISO 8601 date`},
		{"date of the wrong kind", "ValidateQuoteVersion", `{"QuoteContext":{"CRMQuoteVersion":{"SentDate":20240131}}}`, 400, "QuoteContext.CRMQuoteVersion.SentDate", "20240131 is not an ISO 8601 date"},
		{"missing required Context", "PlaceOrder", `{}`, 400, "Context", "required"},
		{"null required QuoteLine", "OnQuoteLineChanged", `{"QuoteLine":null}`, 400, "QuoteLine", "required"},
		{"empty required key", "GetProduct", `{"ErpProductKey":""}`, 400, "ErpProductKey", "required"},
		{"missing QuoteListType", "GetQuoteList", `{}`, 400, "QuoteListType", "required"},
		{"missing QuoteContext", "ValidateQuoteVersion", `{"Action":1}`, 400, "QuoteContext", "required"},
		{"body too large", "FindProduct", big, 413, "request body", "larger than"},
		{"ConfigValues wrong type", "GetCapabilities", `{"ConfigValues":{"logicom.enabled":1}}`, 400, "ConfigValues", "expected a string"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := env.Post(t, c.endpoint, c.body)
			require.Equal(t, c.status, r.Status, "%s", r.Body)
			var body map[string]string
			r.JSON(t, &body)
			assert.True(t, strings.HasPrefix(body["Error"], c.member+": "), "%q must start with %q", body["Error"], c.member+": ")
			assert.Contains(t, body["Error"], c.errorHas)
		})
	}
}

func TestRouting(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	auth := func(r *http.Request) { r.SetBasicAuth(apptest.Tenant, apptest.Secret) }

	r := env.Do(t, http.MethodPost, "/NoSuchEndpoint", `{}`, auth)
	assert.Equal(t, http.StatusNotFound, r.Status)
	assert.Contains(t, string(r.Body), `"Error"`)

	r = env.Do(t, http.MethodGet, "/FindProduct", nil, auth)
	assert.Equal(t, http.StatusMethodNotAllowed, r.Status)
	assert.Equal(t, "POST", r.Header.Get("Allow"))
	assert.Contains(t, string(r.Body), `"Error"`)

	r = env.Do(t, http.MethodPost, "/healthz", nil, nil)
	assert.Equal(t, http.StatusMethodNotAllowed, r.Status)
	assert.Equal(t, "GET", r.Header.Get("Allow"))

	// Endpoint names match case-insensitively (protocol §2).
	r = env.Do(t, http.MethodPost, "/getcapabilities", `{}`, auth)
	assert.Equal(t, http.StatusOK, r.Status)

	for _, p := range handlers.OperationalPaths {
		r = env.Do(t, http.MethodGet, p, nil, nil)
		assert.Equal(t, http.StatusOK, r.Status, p)
	}
}

func TestRequestID(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	r := env.Do(t, http.MethodPost, "/GetCapabilities", `{}`, func(r *http.Request) {
		r.SetBasicAuth(apptest.Tenant, apptest.Secret)
		r.Header.Set("X-Request-Id", "so-req-42")
	})
	assert.Equal(t, "so-req-42", r.Header.Get("X-Request-Id"))
	r = env.Post(t, "GetCapabilities", `{}`)
	assert.Len(t, r.Header.Get("X-Request-Id"), 16)
	// An id that is unsafe to log is replaced.
	r = env.Do(t, http.MethodGet, "/healthz", nil, func(r *http.Request) { r.Header.Set("X-Request-Id", "bad id\twith tab") })
	assert.NotEqual(t, "bad id\twith tab", r.Header.Get("X-Request-Id"))
}

func TestLogsCarryTenantAndNoSecrets(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	env.Post(t, "TestConnection", `{"ConnectionData":{"logicom.enabled":"1","logicom.customerId":"1422","logicom.consumerKey":"ck-VERYSECRET","logicom.consumerSecret":"cs-VERYSECRET","logicom.accessTokenKey":"AAAA"},"ConfigValues":{"SharedSecret":"so-VERYSECRET"}}`)
	logs := env.Logs.String()
	assert.Contains(t, logs, `"tenant":"acme"`)
	assert.NotContains(t, logs, "VERYSECRET")
	assert.NotContains(t, logs, apptest.Secret)
}

func TestMetricsExposed(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	env.Post(t, "FindProduct", `{"UserInput":"dell"}`)
	r := env.Do(t, http.MethodGet, "/metrics", nil, nil)
	require.Equal(t, http.StatusOK, r.Status)
	body := string(r.Body)
	assert.Contains(t, body, `qc_http_requests_total{code="200",endpoint="FindProduct"}`)
	assert.Contains(t, body, `qc_http_request_duration_seconds_bucket{endpoint="FindProduct"`)
	assert.Contains(t, body, `qc_upstream_requests_total{call=`)
	assert.Contains(t, body, `distributor="logicom"`)
}

// TestConfigurationFieldLabels: the dialog's section labels carry
// SuperOffice's Label value, 99 (protocol §6.6); 7 is no member of its enum
// and would make SuperOffice reject or misdraw the dialog.
func TestConfigurationFieldLabels(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	r := env.Post(t, "GetConfigurationFields", nil)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var fields map[string]struct {
		FieldType int
		FieldKey  string
	}
	r.JSON(t, &fields)
	labels := 0
	for key, f := range fields {
		assert.Contains(t, []int{0, 1, 2, 3, 4, 5, 6, 99}, f.FieldType, key)
		if strings.HasSuffix(key, ".section") {
			assert.Equal(t, 99, f.FieldType, key)
			labels++
		}
	}
	assert.Equal(t, 4, labels)
}

// TestDatesComeBackAsSent: dates are read in every ISO 8601 form SuperOffice
// uses and re-emitted byte for byte (protocol §1.4); an empty date stays
// empty instead of turning into 0001-01-01T00:00:00.
func TestDatesComeBackAsSent(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	for _, date := range []string{``, `2024-01-31T10:15Z`, `2024-01-31T10:15+02:00`, `2022-06-16T16:21:12.0877887+02:00`, `2022-06-16T16:21:12.0877887`, `0001-01-01T00:00:00`} {
		r := env.Post(t, "OnQuoteLineChanged", `{"QuoteLine":{"Quantity":1,"UnitListPrice":10,"SubscriptionStart":"`+date+`"},"ChangedFields":["Quantity"]}`)
		require.Equal(t, http.StatusOK, r.Status, "%q: %s", date, r.Body)
		assert.Contains(t, string(r.Body), `"SubscriptionStart":"`+date+`"`)
	}
}

// soLine is a quote line as SuperOffice sends it (its OpenAPI document's
// QuoteLineInfo: integer enums, no ERPPriceListKey, .NET dates).
func soLine(key string, qty float64) map[string]any {
	return map[string]any{
		"ERPProductKey": key, "Name": "From SuperOffice", "Code": "", "Quantity": qty, "QuoteLineId": 501, "QuoteAlternativeId": 44,
		"Status": 0, "Reason": "", "UserValueOverride": 0, "UnitListPrice": 100, "UnitCost": 80, "UnitMinimumPrice": 0,
		"DiscountPercent": 0, "DiscountAmount": 0, "ERPDiscountPercent": 0, "ERPDiscountAmount": 0, "Rank": 1,
		"SubscriptionStart": "0001-01-01T00:00:00", "SubscriptionQuantity": 0, "IsSubscription": false,
		"ExtraInfo": []any{map[string]any{"Name": "Note", "Value": "[I:3]", "Type": 0}},
	}
}

// soContext is the part of a context SuperOffice sends with every quote
// call: the user, the company, the sale (Status and Type as strings) and
// the quote and version, dates with seven fraction digits with and without
// a zone.
func soContext() map[string]any {
	return map[string]any{
		"CRMAssociate":    map[string]any{"AssociateId": 5, "AssociateName": "KN", "FullName": "Kari Nordmann", "FunctionRights": []string{"can-approve-quote"}, "Ticket": "7T:abc"},
		"CRMCompany":      map[string]any{"ContactId": 12, "Name": "Nordmann Data AS", "OrganisationNumber": "999888777", "CountryId": 578},
		"CRMPerson":       map[string]any{"PersonId": 13, "FirstName": "Kari", "LastName": "Nordmann", "EMail": "kari@example.com"},
		"CRMSale":         map[string]any{"SaleId": 3, "Status": "Open", "Type": "General sale", "Currency": "EUR", "Amount": 200, "SaleDate": "20240131", "PublishActiveDate": "2022-06-16T16:21:12.0877887+02:00"},
		"CRMQuote":        map[string]any{"QuoteId": 42, "SaleId": 3, "QuoteConnectionId": 1, "PoNumber": "PO-1", "ERPOrderKey": ""},
		"CRMQuoteVersion": map[string]any{"QuoteVersionId": 43, "QuoteId": 42, "Number": "Q-1042", "State": 2, "Status": 0, "Rank": 1, "SentDate": "0001-01-01T00:00:00", "ExpirationDate": "2030-06-16T16:21:12.0877887+02:00", "LastRecalculated": "1760-01-01T00:00:00", "Updated": "2022-06-16T16:21:12.0877887"},
		"EISConnectionId": 0, "UserLanguageCode": "nb-NO",
	}
}

func soAlternative(lines ...map[string]any) map[string]any {
	ls := make([]any, len(lines))
	for i, l := range lines {
		ls[i] = l
	}
	return map[string]any{"CRMAlternative": map[string]any{"QuoteAlternativeId": 44, "QuoteVersionId": 43, "Name": "A", "Status": 0, "UserValueOverride": 0}, "CRMQuoteLines": ls}
}

func soAlternativeContext(lines ...map[string]any) map[string]any {
	c := soContext()
	c["CRMAlternativeWithLines"] = soAlternative(lines...)
	return c
}

func soVersionContext(lines ...map[string]any) map[string]any {
	c := soContext()
	c["CRMAlternativesWithLines"] = []any{soAlternative(lines...)}
	return c
}

// TestSuperOfficeShapedRequests: every endpoint, called the way SuperOffice
// calls it (bodies that match SuperOffice's own OpenAPI document exactly,
// integer enums, CRMSale.Status as a string, bare ChangedFields names,
// seven-digit fractional dates with and without a zone, no ConfigValues, no
// body at all where SuperOffice's document has none), answers 200 (204 for
// the two void calls) with a body that validates against SuperOffice's
// document as well as ours (apptest checks every answer against both).
func TestSuperOfficeShapedRequests(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	key := "logicom:" + env.Example.InStockSKU
	vctx := soVersionContext(soLine(key, 2))
	bodies := map[string]any{
		"GetConfigurationFields":         nil,
		"TestConnection":                 map[string]any{"ConfigValues": map[string]string{"ApplicationId": "app", "QuoteConnectorUrl": "https://x", "SharedSecret": "s"}},
		"GetCapabilities":                nil,
		"GetQuoteList":                   map[string]any{"QuoteListType": "ProductCategory"},
		"GetNumberOfActivePriceLists":    map[string]any{"IsoCurrencyCode": "EUR"},
		"GetAllPriceLists":               map[string]any{"IsoCurrencyCode": ""},
		"GetActivePriceLists":            map[string]any{"IsoCurrencyCode": "EUR"},
		"GetAddresses":                   map[string]any{"Context": soAlternativeContext()},
		"OnBeforeCreateQuote":            map[string]any{"Context": soAlternativeContext()},
		"OnBeforeCreateQuoteVersion":     map[string]any{"QuoteContext": soVersionContext()},
		"OnBeforeCreateQuoteAlternative": map[string]any{"Context": soAlternativeContext()},
		"OnAfterSaveQuote":               map[string]any{"Context": soAlternativeContext(soLine(key, 1))},
		"OnBeforeDeleteQuote":            map[string]any{"Quote": map[string]any{"QuoteId": 42}, "Sale": map[string]any{"SaleId": 3, "Status": "Open"}, "Contact": map[string]any{"ContactId": 12}},
		"OnAfterSentQuoteVersion":        map[string]any{"QuoteContext": vctx},
		"OnQuoteLineChanged":             map[string]any{"Context": soAlternativeContext(soLine(key, 1)), "QuoteLine": soLine(key, 3), "ChangedFields": []string{"Quantity"}},
		"FindProduct":                    map[string]any{"Context": soAlternativeContext(), "CurrencyCode": "EUR", "UserInput": "dell", "PriceListKey": ""},
		"GetProduct":                     map[string]any{"Context": soAlternativeContext(), "ErpProductKey": key},
		"GetProducts":                    map[string]any{"Context": soAlternativeContext(), "ErpProductKeys": []string{key, key, "logicom:NO-SUCH-SKU"}},
		"GetQuoteLinesFromProduct":       map[string]any{"Context": soAlternativeContext(), "ErpProductKey": key},
		"GetNumberOfProductImages":       map[string]any{"ErpProductKey": key},
		"GetProductImage":                map[string]any{"ErpProductKey": key, "Rank": 0},
		"GetSearchableFields":            nil,
		"GetSearchResults":               map[string]any{"Restrictions": []any{map[string]any{"FieldKey": "Code", "Operator": "in", "Values": []string{env.Example.InStockSKU, env.Example.VolumeSKU}}}},
		"RecalculateQuoteAlternative":    map[string]any{"Context": soAlternativeContext(soLine(key, 2))},
		"ValidateQuoteVersion":           map[string]any{"QuoteContext": vctx, "Action": 1},
		"UpdateQuoteVersionPrices":       map[string]any{"QuoteContext": vctx, "WriteableFields": []string{"unitcost", "unitlistprice", "unitminimumprice"}},
		"PlaceOrder":                     map[string]any{"Context": soAlternativeContext(soLine(key, 1))},
		"GetOrderState":                  nil, // after PlaceOrder, with its key
		"OnQuoteVersionRequestApproval":  map[string]any{"QuoteContext": vctx},
		"OnQuoteVersionApproved":         map[string]any{"QuoteContext": vctx},
		"OnQuoteVersionRejected":         map[string]any{"QuoteContext": vctx},
	}
	require.Len(t, bodies, len(handlers.EndpointNames()))
	answers := map[string][]byte{}
	for _, name := range handlers.EndpointNames() {
		body := bodies[name]
		if name == "GetOrderState" {
			require.Contains(t, answers, "PlaceOrder", "the protocol's order puts PlaceOrder first")
			var placed struct{ CRMQuote struct{ ERPOrderKey string } }
			require.NoError(t, json.Unmarshal(answers["PlaceOrder"], &placed))
			require.NotEmpty(t, placed.CRMQuote.ERPOrderKey)
			c := soAlternativeContext(soLine(key, 1))
			c["CRMQuote"].(map[string]any)["ERPOrderKey"] = placed.CRMQuote.ERPOrderKey
			body = map[string]any{"Context": c}
		}
		t.Run(name, func(t *testing.T) {
			var raw []byte
			if body != nil {
				var err error
				raw, err = json.Marshal(body)
				require.NoError(t, err)
			}
			apptest.ValidateRequestAgainstSuperOffice(t, "/"+name, raw)
			var r apptest.Response
			if body == nil {
				r = env.Post(t, name, nil)
			} else {
				r = env.Post(t, name, raw)
			}
			switch name {
			case "OnAfterSaveQuote", "OnBeforeDeleteQuote":
				assert.Equal(t, http.StatusNoContent, r.Status, "%s", r.Body)
			default:
				require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
				assert.NotEqual(t, "null", string(r.Body), "SuperOffice's request gets a real answer")
			}
			answers[name] = r.Body
		})
	}

	// A few answers, beyond their shape.
	var line struct{ Quantity, SubTotal, UnitListPrice float64 }
	require.NoError(t, json.Unmarshal(answers["OnQuoteLineChanged"], &line))
	assert.Equal(t, 3.0, line.Quantity)
	assert.InDelta(t, 3*line.UnitListPrice, line.SubTotal, 1e-9, "bare ChangedFields name recalculates")
	var found []struct{ Code string }
	require.NoError(t, json.Unmarshal(answers["GetSearchResults"], &found))
	codes := map[string]bool{}
	for _, p := range found {
		codes[strings.ToUpper(p.Code)] = true
	}
	assert.Equal(t, map[string]bool{strings.ToUpper(env.Example.InStockSKU): true, strings.ToUpper(env.Example.VolumeSKU): true}, codes)
	var products []struct{ ERPProductKey string }
	require.NoError(t, json.Unmarshal(answers["GetProducts"], &products))
	assert.Len(t, products, 1, "a key sent twice is answered once")
	assert.Contains(t, string(answers["OnAfterSentQuoteVersion"]), `"ExpirationDate":"2030-06-16T16:21:12.0877887+02:00"`)
}
