package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/api"
	"github.com/quoteconnector/quoteconnector/internal/handlers"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := api.Load()
	require.NoError(t, err)
	return doc
}

func TestDocumentLoadsAndValidates(t *testing.T) {
	doc := load(t)
	assert.Equal(t, "3.0.3", doc.OpenAPI)
	require.NotNil(t, doc.Info)
	assert.NotEmpty(t, doc.Info.Title)
	assert.NotEmpty(t, doc.Servers)

	schemes := doc.Components.SecuritySchemes
	require.Contains(t, schemes, "basicAuth")
	require.Contains(t, schemes, "bearerAuth")
	assert.Equal(t, "http", schemes["basicAuth"].Value.Type)
	assert.Equal(t, "basic", schemes["basicAuth"].Value.Scheme)
	assert.Equal(t, "http", schemes["bearerAuth"].Value.Type)
	assert.Equal(t, "bearer", schemes["bearerAuth"].Value.Scheme)
	assert.Equal(t, "JWT", schemes["bearerAuth"].Value.BearerFormat)

	// The embedded bytes are what Load reads.
	var raw map[string]any
	require.NoError(t, json.Unmarshal(api.JSON(), &raw))
	assert.Equal(t, "3.0.3", raw["openapi"])
}

func TestPathsAreTheRoutes(t *testing.T) {
	doc := load(t)
	var want []string
	for _, n := range handlers.EndpointNames() {
		want = append(want, "/"+n)
	}
	want = append(want, handlers.OperationalPaths...)
	sort.Strings(want)
	got := make([]string, 0, doc.Paths.Len())
	for p := range doc.Paths.Map() {
		got = append(got, p)
	}
	sort.Strings(got)
	assert.Equal(t, want, got)
}

func hasScheme(reqs *openapi3.SecurityRequirements, name string) bool {
	if reqs == nil {
		return false
	}
	for _, r := range *reqs {
		if _, ok := r[name]; ok {
			return true
		}
	}
	return false
}

func TestOperations(t *testing.T) {
	doc := load(t)
	voids := map[string]bool{"OnAfterSaveQuote": true, "OnBeforeDeleteQuote": true}
	for _, name := range handlers.EndpointNames() {
		item := doc.Paths.Value("/" + name)
		require.NotNil(t, item, name)
		ops := item.Operations()
		require.Len(t, ops, 1, name)
		op := item.Post
		require.NotNil(t, op, "%s must be POST", name)
		assert.Equal(t, name, op.OperationID)
		assert.NotEmpty(t, op.Description, name)
		assert.True(t, hasScheme(op.Security, "basicAuth"), "%s: basicAuth", name)
		assert.True(t, hasScheme(op.Security, "bearerAuth"), "%s: bearerAuth", name)

		require.NotNil(t, op.RequestBody, name)
		mt := op.RequestBody.Value.Content.Get("application/json")
		require.NotNil(t, mt, name)
		assert.Equal(t, "#/components/schemas/"+name+"Request", mt.Schema.Ref, name)

		if voids[name] {
			require.NotNil(t, op.Responses.Status(204), name)
			assert.Empty(t, op.Responses.Status(204).Value.Content, name)
			assert.Nil(t, op.Responses.Status(200), name)
		} else {
			require.NotNil(t, op.Responses.Status(200), name)
			assert.NotNil(t, op.Responses.Status(200).Value.Content.Get("application/json"), name)
			assert.Nil(t, op.Responses.Status(204), name)
		}
		for _, code := range []int{400, 401, 405, 413, 500} {
			r := op.Responses.Status(code)
			require.NotNil(t, r, "%s %d", name, code)
			s := r.Value.Content.Get("application/json").Schema
			assert.Equal(t, "#/components/schemas/Error", s.Ref, "%s %d", name, code)
		}
		assert.Nil(t, op.Responses.Status(404), "%s must never answer 404", name)
	}
	for _, p := range handlers.OperationalPaths {
		item := doc.Paths.Value(p)
		require.NotNil(t, item, p)
		require.Len(t, item.Operations(), 1, p)
		require.NotNil(t, item.Get, p)
		require.NotNil(t, item.Get.Security, p)
		assert.Empty(t, *item.Get.Security, "%s needs no authentication", p)
	}
}

// TestRequiredMembers: §4.1 "!" members.
func TestRequiredMembers(t *testing.T) {
	doc := load(t)
	want := map[string][]string{
		"GetQuoteList":                   {"QuoteListType"},
		"OnBeforeCreateQuote":            {"Context"},
		"OnBeforeCreateQuoteVersion":     {"QuoteContext"},
		"OnBeforeCreateQuoteAlternative": {"Context"},
		"OnAfterSentQuoteVersion":        {"QuoteContext"},
		"OnQuoteLineChanged":             {"QuoteLine"},
		"GetProduct":                     {"ErpProductKey"},
		"GetQuoteLinesFromProduct":       {"ErpProductKey"},
		"GetNumberOfProductImages":       {"ErpProductKey"},
		"GetProductImage":                {"ErpProductKey"},
		"RecalculateQuoteAlternative":    {"Context"},
		"ValidateQuoteVersion":           {"QuoteContext"},
		"UpdateQuoteVersionPrices":       {"QuoteContext"},
		"PlaceOrder":                     {"Context"},
		"GetOrderState":                  {"Context"},
		"OnQuoteVersionRequestApproval":  {"QuoteContext"},
		"OnQuoteVersionApproved":         {"QuoteContext"},
		"OnQuoteVersionRejected":         {"QuoteContext"},
	}
	for _, name := range handlers.EndpointNames() {
		s := doc.Components.Schemas[name+"Request"]
		require.NotNil(t, s, name)
		assert.ElementsMatch(t, want[name], s.Value.Required, name)
		for _, m := range s.Value.Required {
			p := s.Value.Properties[m]
			require.NotNil(t, p, "%s.%s", name, m)
			assert.False(t, nullable(p), "%s.%s is required: not nullable", name, m)
			if p.Value.Type.Is("string") {
				assert.EqualValues(t, 1, p.Value.MinLength, "%s.%s must not be empty", name, m)
			}
		}
	}
}

func varnames(t *testing.T, s *openapi3.Schema) []string {
	t.Helper()
	raw, ok := s.Extensions["x-enum-varnames"]
	if !ok {
		return nil
	}
	list, ok := raw.([]any)
	require.True(t, ok, "x-enum-varnames must be a list, got %T", raw)
	out := make([]string, len(list))
	for i, v := range list {
		out[i], ok = v.(string)
		require.True(t, ok)
	}
	return out
}

func TestEnums(t *testing.T) {
	doc := load(t)
	want := so.EnumNames()
	values := so.EnumValues()
	// ResponseState (§6.2) shares QuoteStatus' members and Go type.
	want["ResponseState"] = want["QuoteStatus"]
	values["ResponseState"] = values["QuoteStatus"]

	for name, members := range want {
		ref := doc.Components.Schemas[name]
		require.NotNil(t, ref, "enum %s has no component schema", name)
		s := ref.Value
		assert.True(t, s.Type.Is("integer"), name)
		assert.Equal(t, members, varnames(t, s), name)
		require.Len(t, s.Enum, len(members), name)
		for i, v := range s.Enum {
			assert.EqualValues(t, values[name][i], v, "%s enum[%d]", name, i)
		}
		assert.Contains(t, s.Description, "name", "%s: description must say names are accepted", name)
	}
	for name, ref := range doc.Components.Schemas {
		if varnames(t, ref.Value) != nil {
			assert.Contains(t, want, name, "schema %s has x-enum-varnames but is no enum of superoffice.EnumNames()", name)
		}
	}
}

// carriers maps component schemas to the Go types they describe.
var carriers = map[string]any{
	"ProductExtraDataFieldInfo":     so.ProductExtraDataFieldInfo{},
	"ProductInfo":                   so.ProductInfo{},
	"QuoteLineInfo":                 so.QuoteLineInfo{},
	"QuoteAlternativeInfo":          so.QuoteAlternativeInfo{},
	"QuoteAlternativeWithLinesInfo": so.QuoteAlternativeWithLinesInfo{},
	"QuoteVersionInfo":              so.QuoteVersionInfo{},
	"QuoteInfo":                     so.QuoteInfo{},
	"ISaleInfo":                     so.ISaleInfo{},
	"UserInfo":                      so.UserInfo{},
	"AddressInfo":                   so.AddressInfo{},
	"QuoteConnectionInfo":           so.QuoteConnectionInfo{},
	"QuoteAlternativeContextInfo":   so.QuoteAlternativeContextInfo{},
	"QuoteVersionContextInfo":       so.QuoteVersionContextInfo{},
	"PluginResponseInfo":            so.PluginResponseInfo{},
	"QuoteVersionResponseInfo":      so.QuoteVersionResponseInfo{},
	"QuoteResponseInfo":             so.QuoteResponseInfo{},
	"QuoteAlternativeResponseInfo":  so.QuoteAlternativeResponseInfo{},
	"QuoteSentResponseInfo":         so.QuoteSentResponseInfo{},
	"OrderResponseInfo":             so.OrderResponseInfo{},
	"PlaceOrderResponseInfo":        so.PlaceOrderResponseInfo{},
	"PriceListInfo":                 so.PriceListInfo{},
	"QuoteListItemInfo":             so.QuoteListItemInfo{},
	"FieldMetadataInfo":             so.FieldMetadataInfo{},
	"SearchRestrictionInfo":         so.SearchRestrictionInfo{},
}

// requests maps each endpoint to the Go type its handler decodes.
var requests = map[string]any{
	"GetConfigurationFields":         so.Envelope{},
	"TestConnection":                 so.TestConnectionRequest{},
	"GetCapabilities":                so.Envelope{},
	"GetQuoteList":                   so.QuoteListRequest{},
	"GetNumberOfActivePriceLists":    so.PriceListRequest{},
	"GetAllPriceLists":               so.PriceListRequest{},
	"GetActivePriceLists":            so.PriceListRequest{},
	"GetAddresses":                   so.AlternativeContextRequest{},
	"OnBeforeCreateQuote":            so.AlternativeContextRequest{},
	"OnBeforeCreateQuoteVersion":     so.VersionContextRequest{},
	"OnBeforeCreateQuoteAlternative": so.AlternativeContextRequest{},
	"OnAfterSaveQuote":               so.AlternativeContextRequest{},
	"OnBeforeDeleteQuote":            so.DeleteQuoteRequest{},
	"OnAfterSentQuoteVersion":        so.VersionContextRequest{},
	"OnQuoteLineChanged":             so.QuoteLineChangedRequest{},
	"FindProduct":                    so.FindProductRequest{},
	"GetProduct":                     so.ProductRequest{},
	"GetProducts":                    so.ProductsRequest{},
	"GetQuoteLinesFromProduct":       so.ProductRequest{},
	"GetNumberOfProductImages":       so.ProductImageRequest{},
	"GetProductImage":                so.ProductImageRequest{},
	"GetSearchableFields":            so.Envelope{},
	"GetSearchResults":               so.SearchResultsRequest{},
	"RecalculateQuoteAlternative":    so.AlternativeContextRequest{},
	"ValidateQuoteVersion":           so.ValidateRequest{},
	"UpdateQuoteVersionPrices":       so.UpdatePricesRequest{},
	"PlaceOrder":                     so.AlternativeContextRequest{},
	"GetOrderState":                  so.AlternativeContextRequest{},
	"OnQuoteVersionRequestApproval":  so.VersionContextRequest{},
	"OnQuoteVersionApproved":         so.VersionContextRequest{},
	"OnQuoteVersionRejected":         so.VersionContextRequest{},
}

// notInProtocol are Go request members the protocol does not define for
// that endpoint (§4.1); the document leaves them out.
var notInProtocol = map[string][]string{
	"GetNumberOfProductImages": {"Rank"}, // ProductImageRequest is shared with GetProductImage
}

// goField is one JSON member of a Go struct.
type goField struct {
	name string
	typ  reflect.Type
}

// jsonFields walks the exported fields' json tags, descending into embedded
// structs without a tag; `json:"-"` (Extra) is skipped.
func jsonFields(t reflect.Type) []goField {
	var out []goField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, goField{name, f.Type})
	}
	return out
}

// wireNames are the member names a value's JSON encoding emits (every
// carrier emits all its members).
func wireNames(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &m))
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func propertyNames(s *openapi3.Schema) []string {
	out := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		out = append(out, k)
	}
	return out
}

func TestCarrierMembersMatchGo(t *testing.T) {
	doc := load(t)
	for name, v := range carriers {
		ref := doc.Components.Schemas[name]
		require.NotNil(t, ref, "carrier %s has no component schema", name)
		var want []string
		if _, ok := v.(so.AddressInfo); ok {
			want = wireNames(t, v) // custom MarshalJSON: both name sets
		} else {
			for _, f := range jsonFields(reflect.TypeOf(v)) {
				want = append(want, f.name)
			}
			// Every member is emitted (no omitempty).
			assert.ElementsMatch(t, want, wireNames(t, v), "%s: Go emits exactly its fields", name)
		}
		assert.ElementsMatch(t, want, propertyNames(ref.Value), "component schema %s", name)
	}
	for name, v := range requests {
		ref := doc.Components.Schemas[name+"Request"]
		require.NotNil(t, ref, name)
		var want []string
		for _, f := range jsonFields(reflect.TypeOf(v)) {
			if !slices.Contains(notInProtocol[name], f.name) {
				want = append(want, f.name)
			}
		}
		assert.ElementsMatch(t, want, propertyNames(ref.Value), "request schema %sRequest", name)
	}
	// Every object schema is checked against Go.
	for name, ref := range doc.Components.Schemas {
		if !ref.Value.Type.Is("object") || name == "Error" || name == "ProbeStatus" || name == "Null" {
			continue
		}
		_, isCarrier := carriers[name]
		_, isRequest := requests[strings.TrimSuffix(name, "Request")]
		assert.True(t, isCarrier || isRequest, "object schema %s is not mapped to a Go type in this test", name)
	}
}

func TestRoundTripCarriersAllowUnknownMembers(t *testing.T) {
	doc := load(t)
	open := map[string]bool{"QuoteInfo": true, "QuoteVersionInfo": true, "QuoteAlternativeInfo": true, "QuoteLineInfo": true}
	for name := range carriers {
		s := doc.Components.Schemas[name].Value
		ap := s.AdditionalProperties.Has
		if open[name] {
			require.NotNil(t, ap, name)
			assert.True(t, *ap, "%s keeps unknown members: additionalProperties true", name)
		}
	}
	// What the service emits and never receives extra members in is closed.
	for _, name := range []string{"ProductInfo", "ProductExtraDataFieldInfo", "PriceListInfo", "QuoteListItemInfo", "AddressInfo",
		"FieldMetadataInfo", "PluginResponseInfo", "QuoteVersionResponseInfo", "QuoteResponseInfo", "QuoteAlternativeResponseInfo",
		"QuoteSentResponseInfo", "OrderResponseInfo", "PlaceOrderResponseInfo", "QuoteAlternativeWithLinesInfo"} {
		ap := doc.Components.Schemas[name].Value.AdditionalProperties.Has
		require.NotNil(t, ap, name)
		assert.False(t, *ap, "%s: additionalProperties false", name)
	}
}

// nullRef is the null branch of a nullable object: anyOf [<object>, Null]
// (OpenAPI 3.0 ignores nullable beside $ref, and a referenced schema would
// reject null inside allOf).
const nullRef = "#/components/schemas/Null"

// schemaOf returns the schema a property describes: the schema itself, or
// the object of an anyOf [<object>, Null] pair.
func schemaOf(r *openapi3.SchemaRef) (s *openapi3.Schema, refName string) {
	if r.Ref != "" {
		return r.Value, strings.TrimPrefix(r.Ref, "#/components/schemas/")
	}
	if any := r.Value.AnyOf; len(any) == 2 && any[1].Ref == nullRef && any[0].Ref != "" {
		return any[0].Value, strings.TrimPrefix(any[0].Ref, "#/components/schemas/")
	}
	// A single-entry allOf carries a description beside a $ref.
	if len(r.Value.AllOf) == 1 && r.Value.AllOf[0].Ref != "" {
		return r.Value.AllOf[0].Value, strings.TrimPrefix(r.Value.AllOf[0].Ref, "#/components/schemas/")
	}
	return r.Value, ""
}

// nullable reports whether a schema admits null: nullable beside its type,
// or the anyOf [<object>, Null] pair.
func nullable(r *openapi3.SchemaRef) bool {
	if r.Value.Nullable {
		return true
	}
	for _, b := range r.Value.AnyOf {
		if b.Ref == nullRef {
			return true
		}
	}
	return false
}

var rawMessage = reflect.TypeOf(json.RawMessage(nil))

// goSchemaName is the component schema a named Go type is described by.
var goSchemaName = map[string][]string{
	"QuoteStatus":       {"QuoteStatus", "ResponseState"},
	"ValueOverride":     {"ValueOverrideInfo"},
	"QuoteVersionState": {"QuoteVersionState"},
	"QuoteAction":       {"QuoteAction"},
	"FieldType":         {"FieldMetadataTypeInfo"},
	"FieldAccess":       {"FieldAccessInfo"},
	"ExtraDataType":     {"ExtraDataFieldTypeInfo"},
	"Date":              {"Date"},
}

// checkType compares a property schema with a Go type: nullable exactly when
// the Go value can be null (and the member is not required), JSON type by
// kind, component by named type.
func checkType(t *testing.T, where string, r *openapi3.SchemaRef, typ reflect.Type, required bool) {
	t.Helper()
	canBeNull := false
	switch typ.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		canBeNull = !required
	}
	if typ == rawMessage || typ.Kind() == reflect.Interface {
		// Opaque: null is accepted (nullable, or no type at all: any JSON
		// value).
		assert.True(t, nullable(r) || r.Value.Type == nil, "%s: opaque, null accepted", where)
		return
	}
	assert.Equal(t, canBeNull, nullable(r), "%s: nullable", where)
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	s, refName := schemaOf(r)
	if typ.PkgPath() != "" && typ.Kind() != reflect.String || typ.Kind() == reflect.Struct {
		if names, ok := goSchemaName[typ.Name()]; ok {
			assert.Contains(t, names, refName, "%s: Go %s", where, typ.Name())
			return
		}
		if typ.Kind() == reflect.Struct {
			_, isCarrier := carriers[refName]
			assert.True(t, isCarrier, "%s: Go %s must reference a carrier, got %q", where, typ.Name(), refName)
			if refName != "QuoteResponseInfo" && refName != typ.Name() {
				t.Errorf("%s: Go %s described by %s", where, typ.Name(), refName)
			}
			return
		}
	}
	switch typ.Kind() {
	case reflect.String:
		assert.True(t, s.Type.Is("string"), "%s: string", where)
	case reflect.Bool:
		assert.True(t, s.Type.Is("boolean"), "%s: boolean", where)
	case reflect.Int, reflect.Int32, reflect.Int64:
		assert.True(t, s.Type.Is("integer"), "%s: integer", where)
	case reflect.Float32, reflect.Float64:
		assert.True(t, s.Type.Is("number"), "%s: number", where)
	case reflect.Slice:
		require.True(t, s.Type.Is("array"), "%s: array", where)
		checkType(t, where+"[]", s.Items, typ.Elem(), false)
	case reflect.Map:
		require.True(t, s.Type.Is("object"), "%s: object", where)
		require.NotNil(t, s.AdditionalProperties.Schema, "%s: map values", where)
		checkType(t, where+"{}", s.AdditionalProperties.Schema, typ.Elem(), false)
	default:
		t.Errorf("%s: unhandled Go kind %s", where, typ.Kind())
	}
}

func TestMemberTypesAndNullability(t *testing.T) {
	doc := load(t)
	check := func(schema string, v any) {
		s := doc.Components.Schemas[schema].Value
		for _, f := range jsonFields(reflect.TypeOf(v)) {
			p := s.Properties[f.name]
			if p == nil {
				continue
			}
			// A required member (§4.1 "!") is never null: null is a 400
			// although Go holds a pointer.
			checkType(t, schema+"."+f.name, p, f.typ, slices.Contains(s.Required, f.name))
		}
	}
	for name, v := range carriers {
		if name != "AddressInfo" { // wire form differs from the Go fields
			check(name, v)
		}
	}
	for name, v := range requests {
		check(name+"Request", v)
	}
	for _, p := range doc.Components.Schemas["AddressInfo"].Value.Properties {
		assert.True(t, p.Value.Type.Is("string"))
		assert.False(t, nullable(p))
	}
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func unmarshal[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	return v
}

func TestValidatorAcceptsServiceResponses(t *testing.T) {
	v, err := api.NewValidator()
	require.NoError(t, err)
	jsonCT := http.Header{"Content-Type": {"application/json; charset=utf-8"}}

	line := unmarshal[so.QuoteLineInfo](t, `{"QuoteLineId":7,"Quantity":2,"UserValueOverride":"DiscountPercent","PoNumber":"X-1","IsIncluded":true}`)
	line.Status = so.StatusWarning
	version := unmarshal[so.QuoteVersionInfo](t, `{"State":"SentExpired","ArchivedState":12,"SentDate":"2022-06-16T16:21:12.0877887+02:00","Custom":{"a":[1]}}`)
	version.LastRecalculated = so.NewDate(time.Date(2024, 1, 31, 10, 15, 0, 0, time.UTC))
	alt := &so.QuoteAlternativeWithLinesInfo{CRMAlternative: &so.QuoteAlternativeInfo{Name: "A"}, CRMQuoteLines: []*so.QuoteLineInfo{&line, nil}}
	vr := so.QuoteVersionResponseInfo{
		PluginResponseInfo:       so.PluginResponseInfo{IsOk: true, State: so.StatusOkWithInfo},
		CRMQuote:                 &so.QuoteInfo{QuoteId: 1, Extra: so.Extra{"Foo": json.RawMessage(`"bar"`)}},
		CRMQuoteVersion:          &version,
		CRMAlternativesWithLines: []*so.QuoteAlternativeWithLinesInfo{alt, nil},
	}
	product := so.ProductInfo{ERPProductKey: "logicom:1", InStock: -3, UnitListPrice: 41.1764705882353,
		ExtraInfo: []so.ProductExtraDataFieldInfo{{Name: "Weight", Value: "[F:1.25] kg", Type: so.ExtraURL}}}

	cases := []struct {
		name   string
		method string
		path   string
		status int
		header http.Header
		body   []byte
	}{
		{"products", "POST", "/FindProduct", 200, jsonCT, marshal(t, []so.ProductInfo{{}, product})},
		{"no products", "POST", "/FindProduct", 200, jsonCT, marshal(t, []so.ProductInfo(nil))},
		{"empty products", "POST", "/GetProducts", 200, jsonCT, marshal(t, []so.ProductInfo{})},
		{"null product", "POST", "/GetProduct", 200, jsonCT, []byte("null")},
		{"product, nil header", "POST", "/GetProduct", 200, nil, marshal(t, product)},
		{"plugin response", "POST", "/TestConnection", 200, jsonCT, marshal(t, so.PluginResponseInfo{IsOk: false, State: so.StatusError, UserExplanation: `US:"x"`})},
		{"zero plugin response", "POST", "/TestConnection", 200, jsonCT, marshal(t, so.PluginResponseInfo{})},
		{"capabilities", "POST", "/GetCapabilities", 200, jsonCT, marshal(t, map[string]bool{"iproductprovider_provide_cost": true})},
		{"config fields", "POST", "/GetConfigurationFields", 200, jsonCT, marshal(t, map[string]so.FieldMetadataInfo{"logicom.enabled": {FieldKey: "logicom.enabled", FieldType: so.FieldDate}})},
		{"quote list", "POST", "/GetQuoteList", 200, jsonCT, marshal(t, []so.QuoteListItemInfo{{ERPQuoteListItemKey: "a"}})},
		{"no quote list", "POST", "/GetQuoteList", 200, jsonCT, []byte("[]")},
		{"count", "POST", "/GetNumberOfActivePriceLists", 200, jsonCT, []byte("3")},
		{"zero images", "POST", "/GetNumberOfProductImages", 200, jsonCT, []byte("0\n")},
		{"price lists", "POST", "/GetActivePriceLists", 200, jsonCT, marshal(t, []so.PriceListInfo{{ERPPriceListKey: "best:EUR", ValidTo: so.OpenEnd(), IsActive: true}, {}})},
		{"addresses", "POST", "/GetAddresses", 200, jsonCT, marshal(t, []*so.AddressInfo{{Line1: "Street 1", CountryCode: "NO"}, nil})},
		{"no addresses", "POST", "/GetAddresses", 200, jsonCT, []byte("null")},
		{"image", "POST", "/GetProductImage", 200, jsonCT, []byte(`"https://img.example/1.png"`)},
		{"no image", "POST", "/GetProductImage", 200, jsonCT, []byte("null")},
		{"line", "POST", "/OnQuoteLineChanged", 200, jsonCT, marshal(t, &line)},
		{"default calculation", "POST", "/OnQuoteLineChanged", 200, jsonCT, []byte("null")},
		{"lines", "POST", "/GetQuoteLinesFromProduct", 200, jsonCT, marshal(t, []*so.QuoteLineInfo{&line})},
		{"searchable", "POST", "/GetSearchableFields", 200, jsonCT, marshal(t, []so.FieldMetadataInfo{{FieldKey: "ERPPriceListKey"}})},
		{"recalculated", "POST", "/RecalculateQuoteAlternative", 200, jsonCT, marshal(t, alt)},
		{"empty alternative", "POST", "/RecalculateQuoteAlternative", 200, jsonCT, marshal(t, so.QuoteAlternativeWithLinesInfo{})},
		{"validated", "POST", "/ValidateQuoteVersion", 200, jsonCT, marshal(t, vr)},
		{"zero version response", "POST", "/UpdateQuoteVersionPrices", 200, jsonCT, marshal(t, so.QuoteVersionResponseInfo{})},
		{"created", "POST", "/OnBeforeCreateQuote", 200, jsonCT, marshal(t, so.QuoteResponseInfo{})},
		{"alternative created", "POST", "/OnBeforeCreateQuoteAlternative", 200, jsonCT, marshal(t, so.QuoteAlternativeResponseInfo{CRMAlternativeWithLines: alt, CRMAlternativesWithLines: []*so.QuoteAlternativeWithLinesInfo{alt}})},
		{"sent", "POST", "/OnAfterSentQuoteVersion", 200, jsonCT, marshal(t, so.QuoteSentResponseInfo{VersionResponse: &vr, QuoteData: &vr})},
		{"zero sent", "POST", "/OnAfterSentQuoteVersion", 200, jsonCT, marshal(t, so.QuoteSentResponseInfo{})},
		{"ordered", "POST", "/PlaceOrder", 200, jsonCT, marshal(t, so.PlaceOrderResponseInfo{Url: "soprotocol:x"})},
		{"order state", "POST", "/GetOrderState", 200, jsonCT, marshal(t, so.OrderResponseInfo{CRMAlternativeWithLines: alt})},
		{"order unchanged", "POST", "/GetOrderState", 200, jsonCT, []byte("null")},
		{"approved", "POST", "/OnQuoteVersionApproved", 200, jsonCT, marshal(t, so.QuoteVersionResponseInfo{})},
		{"saved", "POST", "/OnAfterSaveQuote", 204, http.Header{}, nil},
		{"deleted", "POST", "/OnBeforeDeleteQuote", 204, nil, []byte{}},
		{"bad request", "POST", "/GetProduct", 400, jsonCT, []byte(`{"Error":"ErpProductKey: required (missing, null or empty)"}` + "\n")},
		{"unauthorized", "POST", "/GetCapabilities", 401, http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Www-Authenticate": {`Basic realm="quoteconnector"`}}, []byte(`{"Error":"unauthorized"}`)},
		{"too large", "POST", "/PlaceOrder", 413, jsonCT, []byte(`{"Error":"too large"}`)},
		{"upstream", "POST", "/GetAllPriceLists", 502, jsonCT, []byte(`{"Error":"logicom: timeout"}`)},
		{"healthz", "GET", "/healthz", 200, jsonCT, []byte(`{"status":"ok"}`)},
		{"not ready", "GET", "/readyz", 503, jsonCT, []byte(`{"Error":"not ready"}`)},
		{"metrics", "GET", "/metrics", 200, http.Header{"Content-Type": {"text/plain; version=0.0.4; charset=utf-8"}}, []byte("# HELP x y\nx 1\n")},
	}
	for _, c := range cases {
		err := v.ValidateResponse(c.method, c.path, c.status, c.header, c.body)
		assert.NoError(t, err, c.name)
	}
	// 405 on a protocol path documents the POST operation's answer.
	assert.NoError(t, v.ValidateResponse("POST", "/FindProduct", 405,
		http.Header{"Allow": {"POST"}, "Content-Type": {"application/json"}}, []byte(`{"Error":"method GET not allowed; use POST"}`)))
}

func TestValidatorRejectsWrongResponses(t *testing.T) {
	v, err := api.NewValidator()
	require.NoError(t, err)
	product := marshal(t, so.ProductInfo{})
	cases := []struct {
		name   string
		method string
		path   string
		status int
		header http.Header
		body   string
	}{
		{"wrong type", "POST", "/TestConnection", 200, nil, `{"IsOk":"yes"}`},
		{"enum name emitted", "POST", "/TestConnection", 200, nil, `{"IsOk":true,"State":"Ok","UserExplanation":"","TechExplanation":"","ErrorCode":""}`},
		{"enum out of range", "POST", "/TestConnection", 200, nil, `{"IsOk":true,"State":4,"UserExplanation":"","TechExplanation":"","ErrorCode":""}`},
		{"unknown member", "POST", "/GetProduct", 200, nil, strings.Replace(string(product), "{", `{"Bogus":1,`, 1)},
		{"docs spelling emitted", "POST", "/GetProduct", 200, nil, strings.Replace(string(product), "InAssortment", "InAssortement", 1)},
		{"null where [] is due", "POST", "/GetAllPriceLists", 200, nil, `null`},
		{"null capabilities", "POST", "/GetCapabilities", 200, nil, `null`},
		{"null quote list", "POST", "/GetQuoteList", 200, nil, `null`},
		{"capability not boolean", "POST", "/GetCapabilities", 200, nil, `{"iproductprovider_provide_cost":1}`},
		{"fraction for integer", "POST", "/GetNumberOfProductImages", 200, nil, `1.5`},
		{"string for integer", "POST", "/GetNumberOfProductImages", 200, nil, `"1"`},
		{"one address", "POST", "/GetAddresses", 200, nil, `[null]`},
		{"bad date", "POST", "/GetActivePriceLists", 200, nil, `[{"ERPPriceListKey":"","QuoteConnectionId":0,"Name":"","Description":"","Currency":"","CurrencyName":"","ValidFrom":"31.01.2024","ValidTo":"0001-01-01T00:00:00","IsActive":true}]`},
		{"empty 200", "POST", "/GetProduct", 200, nil, ``},
		{"malformed", "POST", "/GetProduct", 200, nil, `{`},
		{"body on 204", "POST", "/OnAfterSaveQuote", 204, nil, `null`},
		{"200 for void", "POST", "/OnAfterSaveQuote", 200, nil, `null`},
		{"404 on protocol path", "POST", "/FindProduct", 404, nil, `{"Error":"not found"}`},
		{"bad error body", "POST", "/FindProduct", 400, nil, `{"error":"lower case"}`},
		{"401 without challenge", "POST", "/FindProduct", 401, nil, `{"Error":"unauthorized"}`},
		{"wrong content type", "POST", "/GetProduct", 200, http.Header{"Content-Type": {"text/html"}}, `null`},
		{"unknown path", "POST", "/Nope", 200, nil, `null`},
		{"path case", "POST", "/findproduct", 200, nil, `null`},
		{"wrong method", "GET", "/FindProduct", 200, nil, `null`},
		{"probe method", "POST", "/healthz", 200, nil, `{"status":"ok"}`},
	}
	for _, c := range cases {
		err := v.ValidateResponse(c.method, c.path, c.status, c.header, []byte(c.body))
		assert.Error(t, err, c.name)
		if err != nil {
			t.Logf("%s: %v", c.name, err)
			assert.Less(t, len(err.Error()), 2000, "%s: error message stays short: %s", c.name, err)
		}
	}
}

// TestSuperOfficeCopyUnchanged: the copy of SuperOffice's document is the
// one api/superoffice/README.md names by hash; edits for its flaws happen
// in the test helper, never in the file.
func TestSuperOfficeCopyUnchanged(t *testing.T) {
	sum := sha256.Sum256(api.SuperOfficeJSON())
	readme, err := os.ReadFile("superoffice/README.md")
	require.NoError(t, err)
	assert.Contains(t, string(readme), hex.EncodeToString(sum[:]))
}
