package app_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// upstreamCalls counts every call the three simulators received.
func upstreamCalls(env *apptest.Env) int {
	n := 0
	for _, c := range []string{"GenerateAccessToken", "GetProducts", "GetPrice", "GetInventory", "GetProductCategories", "GetBrands", "GetAccountDetails", "GetDocuments", "GetDocumentDetails", "PostOrder"} {
		n += env.Sandbox.Logicom.CallCount(c)
	}
	for _, c := range []string{"token", "me", "addresses", "products", "product", "vendors", "shipping-types", "create-order", "order"} {
		n += env.Sandbox.Nuvias.CallCount(c)
	}
	for _, c := range []string{"token", "orderStatus"} {
		n += env.Sandbox.Westcon.CallCount(c)
	}
	return n
}

// serve sends one request straight into the router (no TCP), as the
// benchmark measures the service, not the loopback stack.
func serve(b *testing.B, h http.Handler, endpoint string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/"+endpoint, bytes.NewReader(body))
	req.SetBasicAuth(apptest.Tenant, apptest.Secret)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: %d %s", endpoint, rec.Code, rec.Body.String())
	}
	return rec
}

// twentyLines builds an alternative of 20 lines of real sandbox products.
func twentyLines(b *testing.B, env *apptest.Env) []*so.QuoteLineInfo {
	var lines []*so.QuoteLineInfo
	for _, it := range env.Sandbox.Catalog.Logicom.Items {
		if len(lines) == 20 {
			break
		}
		if it.Discontinued || it.ESD || it.EndUserForm || it.Stock < 5 {
			continue
		}
		rec := serve(b, env.Main.Handler, "GetQuoteLinesFromProduct", []byte(`{"ErpProductKey":"logicom:`+it.SKU+`"}`))
		var ls []*so.QuoteLineInfo
		if err := json.Unmarshal(rec.Body.Bytes(), &ls); err != nil || len(ls) != 1 {
			b.Fatalf("line for %s: %s", it.SKU, rec.Body.String())
		}
		ls[0].Quantity = 3
		lines = append(lines, ls[0])
	}
	return lines
}

func BenchmarkOnQuoteLineChanged20LineContext(b *testing.B) {
	env := apptest.Start(b, apptest.Options{})
	lines := twentyLines(b, env)
	body, _ := json.Marshal(map[string]any{
		"Context":       alternativeContext(quoteContext(lines...)),
		"QuoteLine":     lines[7],
		"ChangedFields": []string{"QuoteLine.Quantity"},
	})
	b.SetBytes(int64(len(body)))
	before := upstreamCalls(env)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		serve(b, env.Main.Handler, "OnQuoteLineChanged", body)
	}
	b.ReportMetric(float64(upstreamCalls(env)-before)/float64(b.N), "upstream/op")
}

func BenchmarkFindProductThreeDistributors(b *testing.B) {
	env := apptest.Start(b, apptest.Options{})
	queries := [][]byte{
		[]byte(`{"UserInput":"dell monitor"}`),
		[]byte(`{"UserInput":"logitech"}`),
		[]byte(`{"UserInput":"` + env.Example.SharedLogicomCheaper + `"}`),
		[]byte(`{"UserInput":"ubiquiti","PriceListKey":"best:EUR"}`),
	}
	for _, q := range queries { // warm tokens and list caches
		serve(b, env.Main.Handler, "FindProduct", q)
	}
	before := upstreamCalls(env)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		serve(b, env.Main.Handler, "FindProduct", queries[i%len(queries)])
	}
	b.ReportMetric(float64(upstreamCalls(env)-before)/float64(b.N), "upstream/op")
}

func BenchmarkValidateQuoteVersion3x20(b *testing.B) {
	env := apptest.Start(b, apptest.Options{})
	lines := twentyLines(b, env)
	qc := quoteContext(lines...)
	alts := qc["CRMAlternativesWithLines"].([]any)
	for i := 0; i < 2; i++ { // three alternatives of the same 20 products
		alts = append(alts, alts[0])
	}
	qc["CRMAlternativesWithLines"] = alts
	body, _ := json.Marshal(map[string]any{"QuoteContext": qc, "Action": "Validate"})
	for _, name := range []string{"cached", "cold"} {
		b.Run(name, func(b *testing.B) {
			before := upstreamCalls(env)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if name == "cold" {
					b.StopTimer()
					env.Main.Engine.DropCachedProducts()
					b.StartTimer()
				}
				serve(b, env.Main.Handler, "ValidateQuoteVersion", body)
			}
			b.ReportMetric(float64(upstreamCalls(env)-before)/float64(b.N), "upstream/op")
		})
	}
}
