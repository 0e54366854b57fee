package apptest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/quoteconnector/quoteconnector/api"
)

// The second contract: every answer the handler and scenario tests receive
// is also validated against SuperOffice's own published OpenAPI document
// (api/superoffice/superoffice-openapi.json). That document has known flaws;
// they are set aside here, in this one place, each with the reason. Any
// other difference fails the test.
//
// Scope: SuperOffice's document describes the successful answers of the
// protocol endpoints only (no error statuses, no /healthz, /readyz,
// /metrics), so only 2xx answers on protocol paths are checked against it;
// error answers and probes are checked against our own document only.

// superOfficeFlaw is one documented flaw of SuperOffice's document and how
// it is set aside: an edit of the document before it is loaded, or an edit
// of one answer (given its request) before it is checked.
type superOfficeFlaw struct {
	name, why string
	edit      func(doc map[string]any)
	answer    func(request, answer any)
	// answersOnly: requests are checked without this edit (the document is
	// exact about what SuperOffice sends there).
	answersOnly bool
}

var superOfficeFlaws = []superOfficeFlaw{
	{
		name: "product answers",
		why: "FindProduct, GetProduct, GetProducts and GetSearchResults are typed as a small ProdInfo " +
			"(Id, PriceListKey, Price, Cost, SubParts), but SuperOffice's own samples answer full ProductInfo " +
			"objects (protocol §5.1). Product answers are checked against SuperOffice's QuoteLineInfo instead, " +
			"which carries the members a product shares with the line built from it; our own document checks " +
			"ProductInfo member by member.",
		edit: productAnswersAsLines,
	},
	{
		name: "additionalProperties: false",
		why: "every object of the document is closed, but SuperOffice's deserializer ignores members it does " +
			"not know, and the protocol emits more (twins such as AddressField1/AddressLine1, QuoteData beside " +
			"VersionResponse, PluginResponseInfo members on every response carrier, round-tripped unknown members).",
		edit:        openEveryObject,
		answersOnly: true,
	},
	{
		name: "date-time format of unset dates",
		why: "dates are declared RFC 3339 date-time (zone required), but .NET writes DateTime values without a " +
			"zone: the unset 0001-01-01T00:00:00 first of all (protocol §1.4), and the dates SuperOffice sends " +
			"that way, which the protocol re-emits byte for byte. Such dates, and an unset date sent as \"\", " +
			"are accepted; anything that is no ISO 8601 date-time still fails.",
		edit: dotNetDates,
	},
	{
		name: "missing approval paths",
		why: "the IQuoteConnector2 calls OnQuoteVersionRequestApproval, OnQuoteVersionApproved and " +
			"OnQuoteVersionRejected are not in the document; the protocol (§4.1 #29-31) answers them with " +
			"QuoteVersionResponseInfo, so they are checked against that schema of SuperOffice's. " +
			"GetNumberOfActivePriceLists (§4.1 #5, an integer) is missing too and is checked as one.",
		edit: missingPaths,
	},
	{
		name: "null for .NET reference types",
		why: "in .NET every object, array and string may be null, and SuperOffice sends and accepts null for " +
			"them (protocol §1.1), but the document cannot say so: OpenAPI 3.0 ignores nullable beside $ref, " +
			"and no top-level answer is marked nullable. Object members and array items typed by $ref may be " +
			"null; a whole answer may be null only where the protocol answers null (§4.1: FindProduct for an " +
			"empty input, GetProduct, GetProductImage, GetAddresses, OnQuoteLineChanged, GetOrderState).",
		edit: dotNetNulls,
	},
	{
		name: "no-content answers",
		why: "OnAfterSaveQuote and OnBeforeDeleteQuote are documented as 200 without content (ASP.NET's " +
			"answer to a void action); the protocol (§2) answers 204 No Content. Both are a 2xx without a body.",
		edit: noContent,
	},
	{
		name: "opaque version states",
		why: "QuoteVersionStateInfo is 0-9 in the document, but the protocol (§6.4) keeps a state outside it " +
			"(the carrier page's SentExpired, an integer above 9) as received and re-emits it unchanged. An " +
			"answer's CRMQuoteVersion.State or ArchivedState equal to such a value of the request is checked " +
			"as 0; any other value outside the enum still fails.",
		answer: opaqueStatesEchoed,
	},
}

// nullAnswers are the endpoints whose whole answer may be null (§4.1).
var nullAnswers = []string{"FindProduct", "GetProduct", "GetProductImage", "GetAddresses", "OnQuoteLineChanged", "GetOrderState"}

// dotNetDateFormat is the format the edited document uses for dates.
const dotNetDateFormat = "dotnet-date-time"

// dotNetDate is an ISO 8601 date-time with an optional zone and up to 7
// fraction digits (what .NET writes), or "" (an unset date as sent).
var dotNetDate = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?([Zz]|[+-]\d{2}:\d{2})?)?$`)

var (
	superOfficeOnce                         sync.Once
	superOfficeAnswers, superOfficeRequests *api.Validator
	superOfficeErr                          error
)

// SuperOfficeValidator returns a validator for SuperOffice's document with
// the flaws above set aside.
func SuperOfficeValidator() (*api.Validator, error) {
	superOfficeOnce.Do(loadSuperOffice)
	return superOfficeAnswers, superOfficeErr
}

func loadSuperOffice() {
	if superOfficeAnswers, superOfficeErr = superOfficeDocument(false); superOfficeErr == nil {
		superOfficeRequests, superOfficeErr = superOfficeDocument(true)
	}
}

// superOfficeDocument loads SuperOffice's document with the flaws' edits;
// forRequests leaves out those that concern answers only.
func superOfficeDocument(forRequests bool) (*api.Validator, error) {
	var raw map[string]any
	if err := json.Unmarshal(api.SuperOfficeJSON(), &raw); err != nil {
		return nil, err
	}
	for _, f := range superOfficeFlaws {
		if f.edit != nil && !(forRequests && f.answersOnly) {
			f.edit(raw)
		}
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	doc, err := api.LoadData(data)
	if err != nil {
		return nil, fmt.Errorf("SuperOffice's document with its flaws set aside: %w", err)
	}
	doc.SetStringFormatValidator(dotNetDateFormat, openapi3.NewCallbackValidator(func(s string) error {
		if !dotNetDate.MatchString(s) {
			return fmt.Errorf("%q is not a .NET date-time", s)
		}
		return nil
	}))
	return api.NewValidatorFor(doc), nil
}

// ValidateAgainstSuperOffice fails the test when a successful answer of a
// protocol endpoint to request does not match SuperOffice's document
// (flaws aside).
func ValidateAgainstSuperOffice(tb testing.TB, method, path string, request []byte, r Response) {
	tb.Helper()
	if r.Status < 200 || r.Status > 299 {
		return
	}
	v, err := SuperOfficeValidator()
	if err != nil {
		tb.Fatalf("SuperOffice's OpenAPI document: %v", err)
	}
	body := adjustAnswer(request, r.Body)
	if err := v.ValidateResponse(method, path, r.Status, r.Header, body); err != nil {
		tb.Errorf("%s %s: response does not match SuperOffice's OpenAPI document (api/superoffice): %v\nbody: %.500s", method, path, err, r.Body)
	}
}

// adjustAnswer applies the flaws' answer edits; a body that is not JSON is
// left as it is (the check then reports it).
func adjustAnswer(request, body []byte) []byte {
	var req, ans any
	if json.Unmarshal(body, &ans) != nil {
		return body
	}
	_ = json.Unmarshal(request, &req) // no or bad request: nothing echoed
	for _, f := range superOfficeFlaws {
		if f.answer != nil {
			f.answer(req, ans)
		}
	}
	out, err := json.Marshal(ans)
	if err != nil {
		return body
	}
	return out
}

// ValidateRequestAgainstSuperOffice fails the test when a request body is
// not what SuperOffice's document says SuperOffice sends.
func ValidateRequestAgainstSuperOffice(tb testing.TB, path string, body []byte) {
	tb.Helper()
	superOfficeOnce.Do(loadSuperOffice)
	if superOfficeErr != nil {
		tb.Fatalf("SuperOffice's OpenAPI document: %v", superOfficeErr)
	}
	if err := superOfficeRequests.ValidateRequest(http.MethodPost, path, body); err != nil {
		tb.Errorf("request is not shaped as SuperOffice sends it: %v", err)
	}
}

// walk calls fn for every JSON object in v.
func walk(v any, fn func(map[string]any)) {
	switch t := v.(type) {
	case map[string]any:
		fn(t)
		for _, c := range t {
			walk(c, fn)
		}
	case []any:
		for _, c := range t {
			walk(c, fn)
		}
	}
}

func schemas(doc map[string]any) map[string]any {
	return doc["components"].(map[string]any)["schemas"].(map[string]any)
}

func operation(doc map[string]any, name string) map[string]any {
	item, _ := doc["paths"].(map[string]any)["/"+name].(map[string]any)
	op, _ := item["post"].(map[string]any)
	return op
}

// responseSchemas calls fn with each media type's schema of the
// operation's 200 answer.
func responseSchemas(op map[string]any, fn func(mt map[string]any)) {
	ok, _ := op["responses"].(map[string]any)["200"].(map[string]any)
	content, _ := ok["content"].(map[string]any)
	for _, v := range content {
		fn(v.(map[string]any))
	}
}

func productAnswersAsLines(doc map[string]any) {
	for _, name := range []string{"FindProduct", "GetProduct", "GetProducts", "GetSearchResults"} {
		responseSchemas(operation(doc, name), func(mt map[string]any) {
			walk(mt, func(o map[string]any) {
				if o["$ref"] == "#/components/schemas/ProdInfo" {
					o["$ref"] = "#/components/schemas/QuoteLineInfo"
				}
			})
		})
	}
}

func openEveryObject(doc map[string]any) {
	walk(doc, func(o map[string]any) {
		if o["additionalProperties"] == false {
			delete(o, "additionalProperties")
		}
	})
}

func dotNetDates(doc map[string]any) {
	walk(doc, func(o map[string]any) {
		if o["format"] == "date-time" {
			o["format"] = dotNetDateFormat
		}
	})
}

func missingPaths(doc map[string]any) {
	paths := doc["paths"].(map[string]any)
	add := func(name, request string, answer map[string]any) {
		if _, ok := paths["/"+name]; ok {
			return
		}
		paths["/"+name] = map[string]any{"post": map[string]any{
			"operationId": name,
			"requestBody": map[string]any{"content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"$ref": "#/components/schemas/" + request}}}},
			"responses": map[string]any{"200": map[string]any{
				"description": "Success",
				"content":     map[string]any{"application/json": map[string]any{"schema": answer}},
			}},
		}}
	}
	// The approval calls' body is OnBeforeCreateQuoteVersion's, QuoteContext
	// (§4.1); GetNumberOfActivePriceLists' is GetActivePriceLists'.
	for _, name := range []string{"OnQuoteVersionRequestApproval", "OnQuoteVersionApproved", "OnQuoteVersionRejected"} {
		add(name, "OnBeforeCreateQuoteVersionRequest", map[string]any{"$ref": "#/components/schemas/QuoteVersionResponseInfo"})
	}
	add("GetNumberOfActivePriceLists", "GetActivePriceListsRequest", map[string]any{"type": "integer", "format": "int32"})
}

// isObjectRef reports whether o is a $ref to an object schema of doc.
func isObjectRef(doc, o map[string]any) (string, bool) {
	ref, ok := o["$ref"].(string)
	if !ok || len(o) != 1 {
		return "", false
	}
	target, _ := schemas(doc)[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
	return ref, target["type"] == "object"
}

// nullableRef is a $ref that may be null.
func nullableRef(ref string) map[string]any {
	return map[string]any{"nullable": true, "allOf": []any{map[string]any{"$ref": ref}}}
}

func dotNetNulls(doc map[string]any) {
	walk(schemas(doc), func(o map[string]any) {
		if props, ok := o["properties"].(map[string]any); ok {
			for k, p := range props {
				if ref, ok := isObjectRef(doc, p.(map[string]any)); ok {
					props[k] = nullableRef(ref)
				}
			}
		}
		if items, ok := o["items"].(map[string]any); ok {
			if ref, ok := isObjectRef(doc, items); ok {
				o["items"] = nullableRef(ref)
			}
		}
	})
	for _, name := range nullAnswers {
		responseSchemas(operation(doc, name), func(mt map[string]any) {
			schema := mt["schema"].(map[string]any)
			if items, ok := schema["items"].(map[string]any); ok && name == "GetAddresses" {
				if ref, ok := isObjectRef(doc, items); ok {
					schema["items"] = nullableRef(ref) // [invoice, delivery], either may be null
				}
			}
			if ref, ok := isObjectRef(doc, schema); ok {
				mt["schema"] = nullableRef(ref)
				return
			}
			schema["nullable"] = true
		})
	}
}

func noContent(doc map[string]any) {
	for _, name := range []string{"OnAfterSaveQuote", "OnBeforeDeleteQuote"} {
		op := operation(doc, name)
		op["responses"].(map[string]any)["204"] = map[string]any{"description": "No Content"}
	}
}

// versionStates calls fn with every CRMQuoteVersion object in v.
func versionStates(v any, fn func(version map[string]any)) {
	walk(v, func(o map[string]any) {
		for k, c := range o {
			if strings.EqualFold(k, "CRMQuoteVersion") {
				if version, ok := c.(map[string]any); ok {
					fn(version)
				}
			}
		}
	})
}

func opaqueStatesEchoed(request, answer any) {
	opaque := map[string]bool{}
	versionStates(request, func(version map[string]any) {
		for k, v := range version {
			if !strings.EqualFold(k, "State") && !strings.EqualFold(k, "ArchivedState") {
				continue
			}
			switch t := v.(type) {
			case string:
				opaque[fmt.Sprint(t)] = true
			case float64:
				if t < 0 || t > 9 || t != float64(int(t)) {
					opaque[fmt.Sprint(t)] = true
				}
			}
		}
	})
	if len(opaque) == 0 {
		return
	}
	versionStates(answer, func(version map[string]any) {
		for _, k := range []string{"State", "ArchivedState"} {
			if v, ok := version[k]; ok && v != nil && opaque[fmt.Sprint(v)] {
				version[k] = 0.0
			}
		}
	})
}
