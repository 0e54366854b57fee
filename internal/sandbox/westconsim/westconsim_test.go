package westconsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var creds = catalog.WestconCredentials{
	TenantID:        "ec8933c6-cfb2-4dd9-bfc9-621cde1dea8f",
	ClientID:        "3a000048-2007-400f-b008-100005d00009",
	ClientSecret:    "GpR-secret",
	Resource:        "e40000f9-b00f-4007-a00b-e000000e6004",
	SubscriptionKey: "bb00000000000000000000000000068",
	PartnerKey:      "0100000000000003",
}

var day = time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)

func testCatalog() *catalog.Catalog {
	return &catalog.Catalog{
		Today: day,
		Westcon: catalog.WestconData{
			Credentials: creds,
			Orders: []catalog.WestconOrder{
				{
					WestconNumber: "0600000004", CustomerNumber: "Rb1234-03",
					Lines: []catalog.WestconLine{
						{LineNumber: "000010", ProductNumber: "TP-1", Quantity: 2, UnitOfMeasure: "EA", StatusCode: "OPN", StatusDescription: "Open", StatusDate: day, ParentLine: "000000"},
						{LineNumber: "000020", ProductNumber: "TP-2", Quantity: 10, UnitOfMeasure: "EA", StatusCode: "BCK", StatusDescription: "Backorder", StatusDate: day, ParentLine: "000000"},
					},
				},
				{
					WestconNumber: "0600000009", CustomerNumber: "VC REGULAR MFR SN",
					Lines: []catalog.WestconLine{
						{LineNumber: "000010", ProductNumber: "UX-9", Quantity: 1, UnitOfMeasure: "EA", StatusCode: "SHI", StatusDescription: "Shipped", StatusDate: day, ShipDate: day, ParentLine: "000000"},
					},
				},
			},
		},
	}
}

type env struct {
	t     *testing.T
	s     *Server
	ts    *httptest.Server
	clock *fakeClock
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	clock := &fakeClock{t: time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	s := New(testCatalog(), opts)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, s: s, ts: ts, clock: clock}
}

func (e *env) tokenForm(tenant string, f url.Values) (*http.Response, map[string]any) {
	e.t.Helper()
	resp, err := http.PostForm(e.ts.URL+"/"+tenant+"/oauth2/token", f)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		e.t.Fatalf("decode token response: %v", err)
	}
	return resp, m
}

func goodForm() url.Values {
	return url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {creds.ClientID},
		"client_secret": {creds.ClientSecret},
		"resource":      {creds.Resource},
	}
}

func (e *env) token() string {
	e.t.Helper()
	resp, m := e.tokenForm(creds.TenantID, goodForm())
	if resp.StatusCode != 200 {
		e.t.Fatalf("token: %d %v", resp.StatusCode, m)
	}
	return m["access_token"].(string)
}

func (e *env) orderStatus(token, key string, body any) (int, []byte) {
	e.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/Orders/orderStatus", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Ocp-Apim-Subscription-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

func reqBody(typ string, orders ...string) map[string]any {
	return map[string]any{"mT_OrderStatus_API_REQ": map[string]any{
		"partnerKey": creds.PartnerKey, "orderType": typ, "language": "EN", "order": orders,
	}}
}

func lines(t *testing.T, data []byte) []Line {
	t.Helper()
	var r struct {
		Lines *[]Line `json:"MT_OrderStatus_Response"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("decode: %v: %s", err, data)
	}
	if r.Lines == nil {
		t.Fatalf("no MT_OrderStatus_Response array in %s", data)
	}
	return *r.Lines
}

func TestTokenHappyPath(t *testing.T) {
	e := newEnv(t, Options{})
	resp, m := e.tokenForm(creds.TenantID, goodForm())
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %v", resp.StatusCode, m)
	}
	if m["token_type"] != "Bearer" || m["expires_in"] != float64(3599) || m["ext_expires_in"] != float64(3599) {
		t.Fatalf("unexpected token response %v", m)
	}
	if tok, _ := m["access_token"].(string); tok == "" {
		t.Fatal("empty access_token")
	}
	if e.s.CallCount(CallToken) != 1 {
		t.Fatalf("CallCount(token) = %d", e.s.CallCount(CallToken))
	}
	e.s.ResetCounts()
	if e.s.CallCount(CallToken) != 0 {
		t.Fatal("ResetCounts did not reset")
	}
}

func TestTokenErrors(t *testing.T) {
	e := newEnv(t, Options{})
	cases := []struct {
		name, tenant, field, value string
		status                     int
		code                       string
	}{
		{"wrong secret", creds.TenantID, "client_secret", "nope", 401, "invalid_client"},
		{"wrong resource", creds.TenantID, "resource", "other", 400, "invalid_resource"},
		{"missing resource", creds.TenantID, "resource", "", 400, "invalid_request"},
		{"wrong client", creds.TenantID, "client_id", "x", 400, "unauthorized_client"},
		{"wrong grant", creds.TenantID, "grant_type", "password", 400, "unsupported_grant_type"},
		{"wrong tenant", "other-tenant", "", "", 400, "invalid_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := goodForm()
			if c.field != "" {
				f.Set(c.field, c.value)
			}
			resp, m := e.tokenForm(c.tenant, f)
			if resp.StatusCode != c.status || m["error"] != c.code {
				t.Fatalf("got %d %v, want %d %s", resp.StatusCode, m, c.status, c.code)
			}
			if d, _ := m["error_description"].(string); !strings.HasPrefix(d, "AADSTS") {
				t.Fatalf("error_description %q", d)
			}
		})
	}
}

func TestOrderStatusAuth(t *testing.T) {
	e := newEnv(t, Options{TokenTTL: 10 * time.Minute})
	tok := e.token()

	code, data := e.orderStatus(tok, "", reqBody("W", "600000004"))
	if code != 401 || !strings.Contains(string(data), "missing subscription key") {
		t.Fatalf("missing key: %d %s", code, data)
	}
	code, data = e.orderStatus(tok, "wrong", reqBody("W", "600000004"))
	var apim struct {
		StatusCode int    `json:"statusCode"`
		Message    string `json:"message"`
	}
	_ = json.Unmarshal(data, &apim)
	if code != 401 || apim.StatusCode != 401 || !strings.HasPrefix(apim.Message, "Access denied due to invalid subscription key") {
		t.Fatalf("wrong key: %d %s", code, data)
	}
	if code, data = e.orderStatus("", creds.SubscriptionKey, reqBody("W", "600000004")); code != 401 {
		t.Fatalf("no bearer: %d %s", code, data)
	}
	if code, data = e.orderStatus("garbage", creds.SubscriptionKey, reqBody("W", "600000004")); code != 401 {
		t.Fatalf("bad bearer: %d %s", code, data)
	}
	if code, data = e.orderStatus(tok, creds.SubscriptionKey, reqBody("W", "600000004")); code != 200 {
		t.Fatalf("valid: %d %s", code, data)
	}

	// expired (fake clock)
	e.clock.Add(10*time.Minute + time.Second)
	if code, data = e.orderStatus(tok, creds.SubscriptionKey, reqBody("W", "600000004")); code != 401 {
		t.Fatalf("expired: %d %s", code, data)
	}

	// revoked
	tok = e.token()
	e.s.RevokeTokens()
	if code, data = e.orderStatus(tok, creds.SubscriptionKey, reqBody("W", "600000004")); code != 401 {
		t.Fatalf("revoked: %d %s", code, data)
	}
	// revoke via control endpoint
	tok = e.token()
	resp, err := http.Post(e.ts.URL+"/_control/revoke-tokens", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("control revoke: %v %v", err, resp)
	}
	resp.Body.Close()
	if code, _ = e.orderStatus(tok, creds.SubscriptionKey, reqBody("W", "600000004")); code != 401 {
		t.Fatalf("revoked via control: %d", code)
	}
	if n := e.s.CallCount(CallOrderStatus); n != 8 {
		t.Fatalf("CallCount(orderStatus) = %d, want 8", n)
	}
}

func TestOrderStatusBodyErrors(t *testing.T) {
	e := newEnv(t, Options{})
	tok := e.token()
	bad := reqBody("W", "600000004")
	bad["mT_OrderStatus_API_REQ"].(map[string]any)["partnerKey"] = "nope"
	if code, data := e.orderStatus(tok, creds.SubscriptionKey, bad); code != 400 || !strings.Contains(string(data), "partnerKey") {
		t.Fatalf("wrong partnerKey: %d %s", code, data)
	}
	wrongCase := map[string]any{"MT_OrderStatus_API_REQ": reqBody("W", "1")["mT_OrderStatus_API_REQ"]}
	if code, data := e.orderStatus(tok, creds.SubscriptionKey, wrongCase); code != 400 {
		t.Fatalf("wrong member case: %d %s", code, data)
	}
	if code, data := e.orderStatus(tok, creds.SubscriptionKey, reqBody("X", "1")); code != 400 {
		t.Fatalf("wrong orderType: %d %s", code, data)
	}
}

func TestOrderStatusLookups(t *testing.T) {
	e := newEnv(t, Options{})
	tok := e.token()

	// W, number without leading zeros as in the seed's request
	code, data := e.orderStatus(tok, creds.SubscriptionKey, reqBody("W", "600000004"))
	if code != 200 {
		t.Fatalf("%d %s", code, data)
	}
	ls := lines(t, data)
	if len(ls) != 2 {
		t.Fatalf("want 2 lines, got %+v", ls)
	}
	want := Line{
		ERPOrderNumber: "0600000004", ERPOrderLineNumber: "000010", CustomerOrderNumber: "Rb1234-03",
		ERPProductNumber: "TP-1", LineQuantity: " 2.000", UnitOfMeasure: "EA", LineStatusCode: "OPN",
		LineStatusDescription: "Open", StatusDate: "20250310", ShipDate: "", BillingDocument: "", ParentERPLine: "000000",
	}
	if ls[0] != want {
		t.Fatalf("line 0 = %+v\nwant %+v", ls[0], want)
	}
	if ls[1].LineQuantity != "10.000" {
		t.Fatalf("quantity %q", ls[1].LineQuantity)
	}

	// C lookup
	_, data = e.orderStatus(tok, creds.SubscriptionKey, reqBody("C", "VC REGULAR MFR SN"))
	ls = lines(t, data)
	if len(ls) != 1 || ls[0].ERPOrderNumber != "0600000009" || ls[0].ShipDate != "20250310" {
		t.Fatalf("C lookup: %+v", ls)
	}
	// C does not match a Westcon number, W does not match a customer number
	if _, data = e.orderStatus(tok, creds.SubscriptionKey, reqBody("C", "0600000009")); len(lines(t, data)) != 0 {
		t.Fatalf("C matched W number: %s", data)
	}
	if _, data = e.orderStatus(tok, creds.SubscriptionKey, reqBody("W", "Rb1234-03")); len(lines(t, data)) != 0 {
		t.Fatalf("W matched C number: %s", data)
	}

	// multiple orders in one call, unknown ignored
	_, data = e.orderStatus(tok, creds.SubscriptionKey, reqBody("W", "0600000004", "600000009", "777"))
	if ls = lines(t, data); len(ls) != 3 {
		t.Fatalf("multi: %+v", ls)
	}
	// unknown → empty array
	_, data = e.orderStatus(tok, creds.SubscriptionKey, reqBody("W", "123"))
	if !strings.Contains(string(data), `"MT_OrderStatus_Response":[]`) {
		t.Fatalf("unknown: %s", data)
	}
}

func TestAdvance(t *testing.T) {
	e := newEnv(t, Options{TokenTTL: 100 * time.Hour})
	tok := e.token()
	e.clock.Add(24 * time.Hour)
	if err := e.s.AdvanceOrder("600000004"); err != nil {
		t.Fatal(err)
	}
	_, data := e.orderStatus(tok, creds.SubscriptionKey, reqBody("W", "0600000004"))
	for _, l := range lines(t, data) {
		if l.LineStatusCode != "SHI" || l.LineStatusDescription != "Shipped" || l.ShipDate != "20250311" || l.StatusDate != "20250311" || l.BillingDocument != "" {
			t.Fatalf("after 1st advance: %+v", l)
		}
	}
	e.clock.Add(24 * time.Hour)
	resp, err := http.Post(e.ts.URL+"/_control/orders/0600000004/advance", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("control advance: %v %v", err, resp)
	}
	ctl := lines(t, mustRead(t, resp))
	_, data = e.orderStatus(tok, creds.SubscriptionKey, reqBody("W", "0600000004"))
	ls := lines(t, data)
	if len(ctl) != 2 || ctl[0] != ls[0] {
		t.Fatalf("control response %+v vs %+v", ctl, ls)
	}
	for _, l := range ls {
		if l.LineStatusCode != "INV" || l.LineStatusDescription != "Invoiced" || l.BillingDocument == "" || l.StatusDate != "20250312" || l.ShipDate != "20250311" {
			t.Fatalf("after 2nd advance: %+v", l)
		}
	}
	// stays invoiced
	if err := e.s.AdvanceOrder("0600000004"); err != nil {
		t.Fatal(err)
	}
	if o, _ := e.s.Order("0600000004"); o.Lines[0].StatusCode != "INV" {
		t.Fatalf("%+v", o)
	}
	if err := e.s.AdvanceOrder("nope"); err == nil {
		t.Fatal("want error for unknown order")
	}
	resp, _ = http.Post(e.ts.URL+"/_control/orders/nope/advance", "", nil)
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("control advance unknown: %d", resp.StatusCode)
	}
}

func TestAutoAdvance(t *testing.T) {
	e := newEnv(t, Options{AutoAdvance: time.Hour})
	o, _ := e.s.Order("0600000004")
	if o.Lines[0].StatusCode != "OPN" {
		t.Fatalf("%+v", o.Lines[0])
	}
	e.clock.Add(time.Hour)
	if o, _ = e.s.Order("0600000004"); o.Lines[0].StatusCode != "SHI" {
		t.Fatalf("after 1h: %+v", o.Lines[0])
	}
	e.clock.Add(5 * time.Hour)
	if o, _ = e.s.Order("0600000004"); o.Lines[0].StatusCode != "INV" {
		t.Fatalf("after 6h: %+v", o.Lines[0])
	}
}

func TestFaultsAndControl(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.Faults().Set(faults.Config{Burst503: 1})
	resp, err := http.PostForm(e.ts.URL+"/"+creds.TenantID+"/oauth2/token", goodForm())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Fatalf("want 503, got %d", resp.StatusCode)
	}
	// control endpoints are not faulted
	e.s.Faults().Set(faults.Config{Burst503: 5})
	resp, err = http.Get(e.ts.URL + "/_control/info")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("info: %v %v", err, resp)
	}
	var info map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&info)
	resp.Body.Close()
	if info["distributor"] != "westcon" || info["tokenPath"] != "/"+creds.TenantID+"/oauth2/token" {
		t.Fatalf("info %v", info)
	}
	req, _ := http.NewRequest(http.MethodDelete, e.ts.URL+"/_control/faults", nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("clear faults: %v %v", err, resp)
	}
	resp.Body.Close()
	e.token()
	if got := e.s.CallCount(CallToken); got != 2 {
		t.Fatalf("token calls %d (faulted calls count too)", got)
	}
}

func TestConcurrentTokens(t *testing.T) {
	e := newEnv(t, Options{})
	tok := e.token()
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, _ := json.Marshal(reqBody("W", "600000004"))
			req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/Orders/orderStatus", bytes.NewReader(b))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Ocp-Apim-Subscription-Key", creds.SubscriptionKey)
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			_ = e.s.AdvanceOrder("600000009")
		}()
	}
	wg.Wait()
	if e.s.CallCount(CallOrderStatus) != 50 || e.s.CallCount(CallToken) != 1 {
		t.Fatalf("counts %d %d", e.s.CallCount(CallOrderStatus), e.s.CallCount(CallToken))
	}
}

func TestCatalogNotMutated(t *testing.T) {
	cat := testCatalog()
	s := New(cat, Options{})
	if err := s.AdvanceOrder("0600000004"); err != nil {
		t.Fatal(err)
	}
	if cat.Westcon.Orders[0].Lines[0].StatusCode != "OPN" {
		t.Fatal("simulator mutated the catalog")
	}
}

func mustRead(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
