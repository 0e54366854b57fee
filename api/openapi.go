// Package api holds the OpenAPI 3.0 description of the service
// (QuoteConnector-swagger.json, embedded), a copy of SuperOffice's own
// published document for REST quote connectors (superoffice/, see its
// README), and a validator that checks HTTP requests and responses against
// either, for use in other packages' tests.
package api

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

//go:embed QuoteConnector-swagger.json
var spec []byte

//go:embed superoffice/superoffice-openapi.json
var superOfficeSpec []byte

// JSON returns a copy of the embedded OpenAPI document.
func JSON() []byte { return append([]byte(nil), spec...) }

// SuperOfficeJSON returns a copy of SuperOffice's published OpenAPI document
// for REST quote connectors ("SuperOffice.RestQuoteServer"), unchanged.
func SuperOfficeJSON() []byte { return append([]byte(nil), superOfficeSpec...) }

// Load parses the embedded document, resolves its references and validates
// it as OpenAPI 3.0.
func Load() (*openapi3.T, error) { return LoadData(spec) }

// LoadData parses an OpenAPI 3.0 document, resolves its references and
// validates it.
func LoadData(data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load OpenAPI document: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("validate OpenAPI document: %w", err)
	}
	return doc, nil
}

// Validator checks responses against the document. It is safe for
// concurrent use.
type Validator struct {
	doc *openapi3.T
}

// NewValidator loads the service's document (see Load) and returns a
// validator for it.
func NewValidator() (*Validator, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	return &Validator{doc: doc}, nil
}

// NewValidatorFor returns a validator for a loaded document, e.g. an edited
// copy of SuperOffice's; format validators set on doc
// (SetStringFormatValidator) apply.
func NewValidatorFor(doc *openapi3.T) *Validator { return &Validator{doc: doc} }

// Doc returns the loaded document.
func (v *Validator) Doc() *openapi3.T { return v.doc }

// ValidateResponse checks one response of method on path (exact, e.g.
// "/FindProduct"; a query string is ignored) with the given status, headers
// and body against the document:
//
//   - the path, method and status must be documented (an undocumented status
//     is an error);
//   - a response documented without content (204) must have an empty body;
//   - otherwise the body must decode as the documented media type (the
//     literal null included) and match its schema; documented response
//     headers (WWW-Authenticate on 401, Allow on 405) must be present.
//
// When header has no Content-Type, the response's only (or JSON) media type
// is assumed, so tests may pass a nil header.
func (v *Validator) ValidateResponse(method, path string, status int, header http.Header, body []byte) error {
	method = strings.ToUpper(method)
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	item := v.doc.Paths.Value(path)
	if item == nil {
		return fmt.Errorf("%s %s: path not in the OpenAPI document", method, path)
	}
	op := item.GetOperation(method)
	if op == nil {
		return fmt.Errorf("%s %s: method not in the OpenAPI document", method, path)
	}
	resp := op.Responses.Status(status)
	if resp == nil || resp.Value == nil {
		return fmt.Errorf("%s %s: status %d not documented (documented: %s)", method, path, status, strings.Join(statuses(op), ", "))
	}
	if len(resp.Value.Content) == 0 && len(bytes.TrimSpace(body)) > 0 {
		return fmt.Errorf("%s %s: status %d is documented without a body, got %d bytes", method, path, status, len(body))
	}

	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if h.Get("Content-Type") == "" && len(resp.Value.Content) > 0 {
		h.Set("Content-Type", defaultMediaType(resp.Value.Content))
	}
	req, err := http.NewRequest(method, path, nil)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, SchemaValidationOptions: v.doc.GetSchemaValidationOptions()}
	opts.WithCustomSchemaErrorFunc(schemaError)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req,
			Route: &routers.Route{
				Spec: v.doc, Path: path, PathItem: item, Method: method, Operation: op,
			},
		},
		Status:  status,
		Header:  h,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("%s %s (status %d): %w", method, path, status, err)
	}
	return nil
}

// ValidateRequest checks a request body sent to method on path against the
// operation's request body schema (documented JSON content only; the
// security requirements are not checked). An operation documented without
// a request body accepts only an empty body.
func (v *Validator) ValidateRequest(method, path string, body []byte) error {
	method = strings.ToUpper(method)
	item := v.doc.Paths.Value(path)
	if item == nil {
		return fmt.Errorf("%s %s: path not in the OpenAPI document", method, path)
	}
	op := item.GetOperation(method)
	if op == nil {
		return fmt.Errorf("%s %s: method not in the OpenAPI document", method, path)
	}
	if op.RequestBody == nil {
		if len(bytes.TrimSpace(body)) > 0 {
			return fmt.Errorf("%s %s: documented without a request body, got %d bytes", method, path, len(body))
		}
		return nil
	}
	req, err := http.NewRequest(method, path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	opts := &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions: v.doc.GetSchemaValidationOptions()}
	opts.WithCustomSchemaErrorFunc(schemaError)
	in := &openapi3filter.RequestValidationInput{
		Request: req,
		Route:   &routers.Route{Spec: v.doc, Path: path, PathItem: item, Method: method, Operation: op},
		Options: opts,
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return fmt.Errorf("%s %s request: %w", method, path, err)
	}
	return nil
}

// schemaError names the member and the rule, without dumping the schema.
func schemaError(err *openapi3.SchemaError) string {
	msg := "at /" + strings.Join(err.JSONPointer(), "/") + ": " + err.Reason
	switch val := err.Value.(type) {
	case nil:
		msg += " (got null)"
	case json.Number:
		msg += " (got " + val.String() + ")"
	case string, bool, float64:
		msg += fmt.Sprintf(" (got %#v)", val)
	}
	if err.Origin != nil && !strings.Contains(msg, err.Origin.Error()) {
		msg += ": " + err.Origin.Error()
	}
	return msg
}

// defaultMediaType is application/json when offered, else the first media
// type in name order.
func defaultMediaType(c openapi3.Content) string {
	if _, ok := c["application/json"]; ok {
		return "application/json"
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys[0]
}

func statuses(op *openapi3.Operation) []string {
	var out []string
	for code := range op.Responses.Map() {
		out = append(out, code)
	}
	sort.Strings(out)
	return out
}
