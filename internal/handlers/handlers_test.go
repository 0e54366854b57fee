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
