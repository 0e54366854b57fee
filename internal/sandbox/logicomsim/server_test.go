package logicomsim

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
)

var testDay = time.Date(2025, 3, 14, 10, 0, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type env struct {
	cat *catalog.Catalog
	ex  catalog.Example
	sim *Server
	srv *httptest.Server
	clk *clock
	cl  *Client
	tok string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	cat := catalog.Generate(catalog.DefaultSeed, testDay)
	clk := &clock{t: testDay}
	sim := New(cat, Options{Now: clk.Now})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { srv.Close(); sim.Close() })
	e := &env{cat: cat, ex: cat.Example(), sim: sim, srv: srv, clk: clk,
		cl: &Client{BaseURL: srv.URL + "/api", Account: cat.Logicom.Account, Now: clk.Now}}
	tok, err := e.cl.Token(context.Background())
	require.NoError(t, err)
	e.tok = tok
	return e
}

type envl struct {
	StatusCode int
	Status     string
	Message    json.RawMessage
	NextItemNo *string
}

func (e *env) get(t *testing.T, call, rawQuery string) (int, envl) {
	t.Helper()
	code, body, err := e.cl.Call(context.Background(), e.tok, http.MethodGet, call, rawQuery, nil)
	require.NoError(t, err)
	var out envl
	require.NoError(t, json.Unmarshal(body, &out), string(body))
	return code, out
}

func (e *env) post(t *testing.T, body any) envl {
	t.Helper()
	code, b, err := e.cl.Call(context.Background(), e.tok, http.MethodPost, "PostOrder", "", body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code, string(b))
	var out envl
	require.NoError(t, json.Unmarshal(b, &out), string(b))
	return out
}

func msgString(t *testing.T, m json.RawMessage) string {
	var s string
	require.NoError(t, json.Unmarshal(m, &s), string(m))
	return s
}

func TestTokenHappyPathAndFailures(t *testing.T) {
	e := newEnv(t)
	raw, _ := base64.StdEncoding.DecodeString(e.tok)
	assert.Len(t, raw, 32)
	assert.Equal(t, 1, e.sim.CallCount("GenerateAccessToken"))

	acct := e.cat.Logicom.Account
	try := func(mut func(h http.Header)) (int, envl) {
		h, err := TokenHeaders(acct, e.clk.Now())
		require.NoError(t, err)
		mut(h)
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/GenerateAccessToken", nil)
		req.Header = h
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var out envl
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return resp.StatusCode, out
	}
	key, _ := DecodeKey(acct.AccessTokenKey)
	badB, _ := BCode(key, acct.ConsumerKey, "wrong")
	code, out := try(func(h http.Header) { h.Set("BCode", badB) })
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Equal(t, "Unauthorized", out.Status)
	assert.Equal(t, 0, out.StatusCode)

	badG, _ := GenerateSignature(key, acct.ConsumerKey, acct.CustomerID, "1600000000", acct.ConsumerSecret)
	code, _ = try(func(h http.Header) { h.Set("GenerateSignature", badG) })
	assert.Equal(t, http.StatusUnauthorized, code)

	code, _ = try(func(h http.Header) { h.Set("GenerateSignature", "garbage!") })
	assert.Equal(t, http.StatusUnauthorized, code)

	// Stale timestamp (signature consistent with it).
	old := e.clk.Now().Add(-6 * time.Minute)
	oh, _ := TokenHeaders(acct, old)
	code, out = try(func(h http.Header) {
		for k := range oh {
			h.Set(k, oh.Get(k))
		}
	})
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, msgString(t, out.Message), "Timestamp")

	code, _ = try(func(h http.Header) { h.Set("CustomerId", "9999") })
	assert.Equal(t, http.StatusUnauthorized, code)
}

func TestCallAuth(t *testing.T) {
	e := newEnv(t)
	code, out := e.get(t, "GetBrands", "")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, 1, out.StatusCode)

	acct := e.cat.Logicom.Account
	do := func(h http.Header) int {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/GetBrands", nil)
		req.Header = h
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	// Wrong signature.
	h, _ := CallHeaders(acct, e.tok, e.clk.Now())
	key, _ := DecodeKey(acct.AccessTokenKey)
	bad, _ := Signature(key, e.tok, "1234567890")
	h.Set("Signature", bad)
	assert.Equal(t, http.StatusUnauthorized, do(h))
	// Single base64 (not doubled) is rejected too.
	inner, _ := Encrypt(key, e.tok+h.Get("Timestamp"))
	h.Set("Signature", inner)
	assert.Equal(t, http.StatusUnauthorized, do(h))
	// CustomerId mismatch.
	h, _ = CallHeaders(acct, e.tok, e.clk.Now())
	h.Set("CustomerId", "1423")
	assert.Equal(t, http.StatusUnauthorized, do(h))
	// Bearer scheme is not accepted.
	h, _ = CallHeaders(acct, e.tok, e.clk.Now())
	h.Set("Authorization", "Bearer "+e.tok)
	assert.Equal(t, http.StatusUnauthorized, do(h))

	// Expiry with the fake clock.
	e.clk.Advance(59 * time.Second)
	code, _ = e.get(t, "GetBrands", "")
	assert.Equal(t, http.StatusOK, code)
	e.clk.Advance(2 * time.Second)
	code, out = e.get(t, "GetBrands", "")
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Equal(t, "Unauthorized", out.Status)

	// Revocation.
	tok, err := e.cl.Token(context.Background())
	require.NoError(t, err)
	e.tok = tok
	code, _ = e.get(t, "GetBrands", "")
	assert.Equal(t, http.StatusOK, code)
	resp, err := http.Post(e.srv.URL+"/_control/revoke-tokens", "", nil)
	require.NoError(t, err)
	resp.Body.Close()
	code, _ = e.get(t, "GetBrands", "")
	assert.Equal(t, http.StatusUnauthorized, code)
}

type product struct {
	SKU          string
	Manufacturer string
	Category     string
	Price        map[string]any
	Inventory    map[string]any
}

func TestGetProductsPaging(t *testing.T) {
	e := newEnv(t)
	seen := map[string]bool{}
	prev := ""
	pages := 0
	for {
		q := url.Values{"Currency": {"EUR"}, "Brand": {"cisco"}, "PreviousItemNo": {prev}}.Encode()
		code, out := e.get(t, "GetProducts", q)
		require.Equal(t, http.StatusOK, code)
		var ps []product
		require.NoError(t, json.Unmarshal(out.Message, &ps))
		pages++
		for _, p := range ps {
			assert.Equal(t, "CISCO", p.Manufacturer)
			assert.False(t, seen[p.SKU])
			seen[p.SKU] = true
		}
		if out.NextItemNo == nil {
			assert.LessOrEqual(t, len(ps), PageSize)
			break
		}
		require.Len(t, ps, PageSize)
		assert.Equal(t, ps[len(ps)-1].SKU, *out.NextItemNo)
		prev = *out.NextItemNo
	}
	want := 0
	for _, it := range e.cat.Logicom.Items {
		if it.Brand == "CISCO" && !it.Discontinued {
			want++
		}
	}
	assert.Equal(t, want, len(seen))
	assert.Greater(t, pages, 3)
	assert.Equal(t, pages, e.sim.CallCount("GetProducts"))
}

func TestGetProductsFilters(t *testing.T) {
	e := newEnv(t)
	// Category prefix.
	_, out := e.get(t, "GetProducts", "Category=100")
	var ps []product
	require.NoError(t, json.Unmarshal(out.Message, &ps))
	require.Len(t, ps, PageSize)
	require.NotNil(t, out.NextItemNo)
	for _, p := range ps {
		it, _ := e.cat.Logicom.Item(p.SKU)
		assert.True(t, strings.HasPrefix(it.CategoryID, "100-"))
	}
	// ProductId exact, case-insensitive, with '#'.
	sku := e.ex.HashSKU
	_, out = e.get(t, "GetProducts", "ProductId="+url.QueryEscape(strings.ToLower(sku)))
	require.NoError(t, json.Unmarshal(out.Message, &ps))
	require.Len(t, ps, 1)
	assert.Equal(t, sku, ps[0].SKU)
	assert.Nil(t, out.NextItemNo)
	// A discontinued item has left the catalog, also by ProductId.
	_, out = e.get(t, "GetProducts", "ProductId="+url.QueryEscape(e.ex.DiscontinuedSKU))
	require.NoError(t, json.Unmarshal(out.Message, &ps))
	require.Len(t, ps, 0)
	// Date window.
	from := testDay.AddDate(0, 0, -3)
	_, out = e.get(t, "GetProducts", url.Values{"DateFrom": {from.Format("02-01-2006 15:04:05")}}.Encode())
	require.NoError(t, json.Unmarshal(out.Message, &ps))
	for _, p := range ps {
		it, _ := e.cat.Logicom.Item(p.SKU)
		assert.False(t, it.Modified.Before(from))
	}
	// Unknown currency → business error.
	code, out := e.get(t, "GetProducts", "Currency=RON")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, 0, out.StatusCode)
	assert.Equal(t, "Error", out.Status)
	// Unknown PreviousItemNo → business error.
	_, out = e.get(t, "GetProducts", "PreviousItemNo=NOPE-1")
	assert.Equal(t, "Error", out.Status)
}

func TestLooseShapesOccur(t *testing.T) {
	e := newEnv(t)
	var raw strings.Builder
	prev := ""
	for i := 0; i < 40; i++ {
		_, out := e.get(t, "GetProducts", url.Values{"PreviousItemNo": {prev}}.Encode())
		raw.Write(out.Message)
		if out.NextItemNo == nil {
			break
		}
		prev = *out.NextItemNo
	}
	s := raw.String()
	for _, k := range []string{`" IsESD "`, `"IsESD"`, `"Recycle Tax"`, `"RecycleTax"`, `"PO Delivery Date "`, `"Discount %"`, `"VolumePrice":{`, `"VolumePrice":[`, `"PO":{`, `"Specifications":{`, `"Specifications":[`} {
		assert.Contains(t, s, k)
	}
}

func TestGetPriceAndInventoryBatch(t *testing.T) {
	e := newEnv(t)
	skus := []string{e.ex.VolumeSKU, e.ex.HashSKU, e.ex.SpecialSKU, e.ex.ZeroStockPOSKU, "UNKNOWN-SKU"}
	// '#' as %23, ';' raw.
	var parts []string
	for _, s := range skus {
		parts = append(parts, strings.ReplaceAll(url.QueryEscape(s), "%3B", ";"))
	}
	code, out := e.get(t, "GetPrice", "ProductId="+strings.Join(parts, ";")+"&Currency=usd")
	require.Equal(t, http.StatusOK, code)
	var prices []map[string]any
	require.NoError(t, json.Unmarshal(out.Message, &prices), string(out.Message))
	require.Len(t, prices, 4)
	assert.Equal(t, e.ex.HashSKU, prices[1]["SKU"])
	assert.Equal(t, "USD", prices[0]["Currency"])
	it, _ := e.cat.Logicom.Item(e.ex.VolumeSKU)
	assert.Equal(t, money(it.Prices["USD"].Price), prices[0]["PriceExclVAT"])
	_, isArr := prices[0]["VolumePrice"].([]any)
	assert.True(t, isArr)
	assert.NotEmpty(t, prices[2]["SpecialPrice"])
	assert.Equal(t, 1, e.sim.CallCount("GetPrice"))

	// %3B separators.
	_, out = e.get(t, "GetPrice", url.Values{"ProductId": {e.ex.VolumeSKU + ";" + e.ex.HashSKU}}.Encode())
	require.NoError(t, json.Unmarshal(out.Message, &prices))
	assert.Len(t, prices, 2)

	_, out = e.get(t, "GetPrice", "ProductId=x&Currency=GBP")
	assert.Equal(t, "Error", out.Status)

	_, out = e.get(t, "GetInventory", url.Values{"ProductId": {e.ex.ZeroStockPOSKU + "; " + e.ex.InStockSKU}}.Encode())
	var inv []map[string]any
	require.NoError(t, json.Unmarshal(out.Message, &inv))
	require.Len(t, inv, 2)
	assert.Equal(t, "0", inv[0]["Inventory"])
	assert.NotNil(t, inv[0]["PO"])
}

func TestMetadataCalls(t *testing.T) {
	e := newEnv(t)
	_, out := e.get(t, "GetProductCategories", "")
	var cats []struct {
		Id, Name      string
		Subcategories []struct{ Id, Name string }
	}
	require.NoError(t, json.Unmarshal(out.Message, &cats))
	require.NotEmpty(t, cats)
	assert.Equal(t, "100", cats[0].Id)
	assert.Equal(t, "Personal Computing Systems", cats[0].Name)
	assert.NotEmpty(t, cats[0].Subcategories)

	_, out = e.get(t, "GetAccountDetails", "")
	var acc struct {
		Addresses struct {
			Address           map[string]string
			ShippingAddresses []map[string]string
		}
		Ecommerce map[string]string
	}
	require.NoError(t, json.Unmarshal(out.Message, &acc))
	assert.Equal(t, "Sandbox Reseller AS", acc.Ecommerce["Name"])
	assert.Equal(t, "Billing Address", acc.Addresses.Address["Type"])
	assert.Equal(t, "DEFAULT", acc.Addresses.ShippingAddresses[0]["Id"])
	assert.Equal(t, "WH-OSLO", acc.Addresses.ShippingAddresses[1]["Id"])

	_, out = e.get(t, "GetDocuments", "DocumentType=Invoice&PageIndex=0")
	var docs []map[string]string
	require.NoError(t, json.Unmarshal(out.Message, &docs))
	assert.NotEmpty(t, docs)
	_, out = e.get(t, "GetDocuments", "")
	assert.Equal(t, "Error", out.Status)
}

func validOrder(sku string, qty any) map[string]any {
	return map[string]any{
		"StockVerification":     "1",
		"ReferenceNo":           "SO-1001, v2_a.b",
		"RequestedDeliveryDate": "",
		"ShipToAddress":         map[string]any{"Id": ""},
		"DeliveryMethod":        "",
		"ShopAccountEmail":      "orders@sandbox-reseller.example",
		"Comments":              "Quote 1001. Contact ola@example.com",
		"Items":                 []any{map[string]any{"SKU": sku, "Quantity": qty}},
	}
}

func TestPostOrderValidation(t *testing.T) {
	e := newEnv(t)
	sku := e.ex.InStockSKU
	cases := []struct {
		name string
		mut  func(m map[string]any)
		want string
	}{
		{"ref charset", func(m map[string]any) { m["ReferenceNo"] = "SO#1" }, "ReferenceNo"},
		{"email", func(m map[string]any) { m["ShopAccountEmail"] = "nope" }, "ShopAccountEmail"},
		{"shipto", func(m map[string]any) { m["ShipToAddress"] = map[string]any{"Id": "WH-MARS"} }, "WH-MARS"},
		{"date", func(m map[string]any) { m["RequestedDeliveryDate"] = "2025-12-31" }, "RequestedDeliveryDate"},
		{"sv", func(m map[string]any) { m["StockVerification"] = "yes" }, "StockVerification"},
		{"qty", func(m map[string]any) { m["Items"] = []any{map[string]any{"SKU": sku, "Quantity": "two"}} }, "Invalid Quantity"},
		{"unknown", func(m map[string]any) { m["Items"] = []any{map[string]any{"SKU": "NOPE-1", "Quantity": 1}} }, "NOPE-1 not found"},
		{"disc", func(m map[string]any) { m["Items"] = []any{map[string]any{"SKU": e.ex.DiscontinuedSKU, "Quantity": 1}} }, "discontinued"},
		{"comments", func(m map[string]any) { m["Comments"] = "line1\nline2!" }, "Comments"},
		{"stock", func(m map[string]any) {
			m["Items"] = []any{map[string]any{"SKU": e.ex.ZeroStockPOSKU, "Quantity": 16}}
		}, "Item " + e.ex.ZeroStockPOSKU + " has availability of 0 instead of requested 16."},
		{"esd", func(m map[string]any) {
			m["Items"] = []any{map[string]any{"SKU": e.ex.ESDSKU, "Quantity": 1}}
			m["PONumber"], m["FirstName"], m["LastName"] = "PO1", "Ola", "Nordmann"
		}, "Error: Item " + e.ex.ESDSKU + " - Please Complete the ESD Form - Email Missing"},
		{"euf", func(m map[string]any) {
			m["Items"] = []any{map[string]any{"SKU": e.ex.EndUserFormSKU, "Quantity": 1}}
		}, "Error: Item " + e.ex.EndUserFormSKU + " - Please Complete the End User Form - User Company Missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := validOrder(sku, 1)
			c.mut(m)
			out := e.post(t, m)
			assert.Equal(t, 0, out.StatusCode)
			assert.Equal(t, "Error", out.Status)
			assert.Contains(t, msgString(t, out.Message), c.want)
		})
	}
	// StockVerification 0 lets an out-of-stock order through.
	m := validOrder(e.ex.ZeroStockPOSKU, 3)
	m["StockVerification"] = 0
	out := e.post(t, m)
	assert.Equal(t, "OK", out.Status)
	assert.Equal(t, 0, e.sim.Stock(e.ex.ZeroStockPOSKU))
}

func TestPostOrderLifecycle(t *testing.T) {
	e := newEnv(t)
	sku := e.ex.InStockSKU
	before := e.sim.Stock(sku)
	m := validOrder(sku, json.Number("4"))
	m["ShipToAddress"] = map[string]any{"Id": "WH-OSLO"}
	m["RequestedDeliveryDate"] = "31-03-2025"
	esd := e.ex.ESDSKU
	m["Items"] = append(m["Items"].([]any), map[string]any{"SKU": esd, "Quantity": "2"})
	m["PONumber"], m["FirstName"], m["LastName"], m["Email"] = "PO1", "Ola", "Nordmann", "ola@example.com"
	out := e.post(t, m)
	require.Equal(t, 1, out.StatusCode, string(out.Message))
	var res struct{ DocumentNo, Status string }
	require.NoError(t, json.Unmarshal(out.Message, &res))
	assert.Equal(t, "O7100001", res.DocumentNo)
	assert.Equal(t, "Open", res.Status)
	assert.Equal(t, before-4, e.sim.Stock(sku))

	details := func() (hdr map[string]string, items []map[string]string) {
		_, out := e.get(t, "GetDocumentDetails", "DocumentType=Order&DocumentId="+res.DocumentNo)
		require.Equal(t, 1, out.StatusCode, string(out.Message))
		var d struct {
			OrderHeader map[string]string
			OrderItems  []map[string]string
		}
		require.NoError(t, json.Unmarshal(out.Message, &d))
		return d.OrderHeader, d.OrderItems
	}
	hdr, items := details()
	assert.Equal(t, "Open", hdr["OrderStatus"])
	assert.Equal(t, "31-03-2025", hdr["RequestedDeliveryDate"])
	require.Len(t, items, 2)
	assert.Equal(t, "4", items[0]["Outst"])

	_, out2 := e.get(t, "GetDocuments", "DocumentType=Order&DocumentId="+res.DocumentNo)
	var docs []map[string]string
	require.NoError(t, json.Unmarshal(out2.Message, &docs))
	require.Len(t, docs, 1)

	require.NoError(t, e.sim.AdvanceOrder(res.DocumentNo))
	hdr, _ = details()
	assert.Equal(t, "Processing", hdr["OrderStatus"])
	require.NoError(t, e.sim.AdvanceOrder(res.DocumentNo))
	hdr, items = details()
	assert.Equal(t, "Partially Shipped", hdr["OrderStatus"])
	assert.Equal(t, "2", items[0]["Outst"])
	assert.Equal(t, "1", items[1]["Outst"])
	// Through the control endpoint.
	resp, err := http.Post(e.srv.URL+"/_control/orders/"+res.DocumentNo+"/advance", "", nil)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	hdr, items = details()
	assert.Equal(t, "Shipped", hdr["OrderStatus"])
	assert.Equal(t, "0", items[0]["Outst"])
	assert.Equal(t, "Shipped", items[0]["Status"])
	require.NoError(t, e.sim.AdvanceOrder(res.DocumentNo))
	hdr, _ = details()
	assert.Equal(t, "Invoiced", hdr["OrderStatus"])
	assert.Error(t, e.sim.AdvanceOrder(res.DocumentNo))
	inv, ok := e.sim.InvoiceOf(res.DocumentNo)
	require.True(t, ok)
	_, out2 = e.get(t, "GetDocuments", "DocumentType=Invoice&DocumentId="+inv)
	require.NoError(t, json.Unmarshal(out2.Message, &docs))
	require.Len(t, docs, 1)
	assert.Equal(t, "Released", docs[0]["Status"])
	_, out2 = e.get(t, "GetDocumentDetails", "DocumentType=Invoice&DocumentId="+inv)
	assert.Equal(t, 1, out2.StatusCode)

	resp, err = http.Post(e.srv.URL+"/_control/orders/O0000000/advance", "", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	_, out2 = e.get(t, "GetDocumentDetails", "DocumentType=Order&DocumentId=O0000000")
	assert.Equal(t, "Error", out2.Status)
}

func TestFaultsAndCounters(t *testing.T) {
	e := newEnv(t)
	e.sim.ResetCounts()
	e.sim.Faults().Set(faults.Config{Burst503: 2})
	code, _, err := e.cl.Call(context.Background(), e.tok, http.MethodGet, "GetBrands", "", nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, code)
	code, _, _ = e.cl.Call(context.Background(), e.tok, http.MethodGet, "GetBrands", "", nil)
	assert.Equal(t, http.StatusServiceUnavailable, code)
	code, _, _ = e.cl.Call(context.Background(), e.tok, http.MethodGet, "GetBrands", "", nil)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, 3, e.sim.CallCount("getbrands"))

	// Malformed JSON via the control endpoint.
	req, _ := http.NewRequest(http.MethodPut, e.srv.URL+"/_control/faults", strings.NewReader(`{"malformedJSON":true}`))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	code, body, _ := e.cl.Call(context.Background(), e.tok, http.MethodGet, "GetBrands", "", nil)
	assert.Equal(t, http.StatusOK, code)
	var v any
	assert.Error(t, json.Unmarshal(body, &v))
	e.sim.Faults().Reset()

	// Concurrency: many calls, one token.
	e.sim.ResetCounts()
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, _, err := e.cl.Call(context.Background(), e.tok, http.MethodGet, "GetInventory", "ProductId="+url.QueryEscape(e.ex.InStockSKU), nil)
			assert.NoError(t, err)
			assert.Equal(t, http.StatusOK, c)
		}(i)
	}
	wg.Wait()
	assert.Equal(t, 50, e.sim.CallCount("GetInventory"))
	assert.Equal(t, 0, e.sim.CallCount("GenerateAccessToken"))

	resp, err = http.Get(e.srv.URL + "/_control/info")
	require.NoError(t, err)
	var info map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&info))
	resp.Body.Close()
	assert.EqualValues(t, 1422, info["customerId"])
	assert.Equal(t, strconv.Itoa(50), strconv.Itoa(int(info["calls"].(map[string]any)["GetInventory"].(float64))))
}

func TestAutoAdvance(t *testing.T) {
	cat := catalog.Generate(catalog.DefaultSeed, testDay)
	sim := New(cat, Options{AutoAdvance: 5 * time.Millisecond})
	defer sim.Close()
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	cl := &Client{BaseURL: srv.URL + "/api", Account: cat.Logicom.Account}
	tok, err := cl.Token(context.Background())
	require.NoError(t, err)
	_, body, err := cl.Call(context.Background(), tok, http.MethodPost, "PostOrder", "", validOrder(cat.Example().InStockSKU, 2))
	require.NoError(t, err)
	require.Contains(t, string(body), "O7100001")
	require.Eventually(t, func() bool {
		st, _ := sim.OrderStatus("O7100001")
		return st == StatusInvoiced
	}, 2*time.Second, 5*time.Millisecond)
}
