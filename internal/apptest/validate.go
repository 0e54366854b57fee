package apptest

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/quoteconnector/quoteconnector/api"
	"github.com/quoteconnector/quoteconnector/internal/handlers"
)

var (
	validatorOnce sync.Once
	validator     *api.Validator
	validatorErr  error
)

// ValidateAgainstDocument fails the test when the response does not match
// the schema api/QuoteConnector-swagger.json gives for the operation and
// status, so the document cannot drift from the code.
func ValidateAgainstDocument(tb testing.TB, method, path string, r Response) {
	tb.Helper()
	validatorOnce.Do(func() { validator, validatorErr = api.NewValidator() })
	if validatorErr != nil {
		tb.Fatalf("OpenAPI document: %v", validatorErr)
	}
	if err := validator.ValidateResponse(method, path, r.Status, r.Header, r.Body); err != nil {
		tb.Errorf("%s %s: response does not match api/QuoteConnector-swagger.json: %v\nbody: %.500s", method, path, err, r.Body)
	}
}

// check validates r against our document and, for a protocol endpoint, also
// against SuperOffice's (superoffice.go). Routing answers (404 unknown
// path, 405 wrong method) have no operation to check; endpoint names are
// matched case-insensitively like the router does.
func (e *Env) check(tb testing.TB, method, path string, request []byte, r Response) {
	tb.Helper()
	if !e.validate || r.Status == http.StatusNotFound || r.Status == http.StatusMethodNotAllowed {
		return
	}
	if strings.HasPrefix(path, handlers.ConsolePath) {
		return // HTML for people, not part of the API document
	}
	protocol := false
	for _, name := range handlers.EndpointNames() {
		if strings.EqualFold(path, "/"+name) {
			path, protocol = "/"+name, true
		}
	}
	ValidateAgainstDocument(tb, method, path, r)
	if protocol {
		ValidateAgainstSuperOffice(tb, method, path, request, r)
	}
}
