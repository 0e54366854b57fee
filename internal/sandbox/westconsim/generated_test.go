package westconsim

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
)

// TestGeneratedCatalog runs the simulator on the catalog of `make run`.
func TestGeneratedCatalog(t *testing.T) {
	cat := catalog.Generate(catalog.DefaultSeed, day)
	ex := cat.Example()
	if ex.WestconOrder == "" || ex.WestconCustomer == "" {
		t.Fatalf("catalog example lacks Westcon orders: %+v", ex)
	}
	clock := &fakeClock{t: time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)}
	s := New(cat, Options{Now: clock.Now})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	e := &env{t: t, s: s, ts: ts, clock: clock}

	c := cat.Westcon.Credentials
	resp, m := e.tokenForm(c.TenantID, map[string][]string{
		"grant_type": {"client_credentials"}, "client_id": {c.ClientID}, "client_secret": {c.ClientSecret}, "resource": {c.Resource},
	})
	if resp.StatusCode != 200 {
		t.Fatalf("token %d %v", resp.StatusCode, m)
	}
	tok := m["access_token"].(string)
	body := func(typ string, orders ...string) map[string]any {
		return map[string]any{"mT_OrderStatus_API_REQ": map[string]any{
			"partnerKey": c.PartnerKey, "orderType": typ, "language": "EN", "order": orders,
		}}
	}
	code, data := e.orderStatus(tok, c.SubscriptionKey, body("W", ex.WestconOrder))
	byW := lines(t, data)
	if code != 200 || len(byW) == 0 {
		t.Fatalf("W %s: %d %s", ex.WestconOrder, code, data)
	}
	_, data = e.orderStatus(tok, c.SubscriptionKey, body("C", ex.WestconCustomer))
	byC := lines(t, data)
	if len(byC) < len(byW) {
		t.Fatalf("C %s: %s", ex.WestconCustomer, data)
	}
	for _, l := range byW {
		if len(l.LineQuantity) < 6 || l.LineQuantity[len(l.LineQuantity)-4] != '.' || len(l.StatusDate) != 8 {
			t.Fatalf("line format %+v", l)
		}
	}
	// every order answers and advancing twice invoices everything
	var all []string
	for _, o := range cat.Westcon.Orders {
		all = append(all, o.WestconNumber)
		if err := s.AdvanceOrder(o.WestconNumber); err != nil {
			t.Fatal(err)
		}
		if err := s.AdvanceOrder(o.WestconNumber); err != nil {
			t.Fatal(err)
		}
	}
	_, data = e.orderStatus(tok, c.SubscriptionKey, body("W", all...))
	n := 0
	for _, o := range cat.Westcon.Orders {
		n += len(o.Lines)
	}
	got := lines(t, data)
	if len(got) != n {
		t.Fatalf("%d lines, want %d", len(got), n)
	}
	for _, l := range got {
		if l.LineStatusCode != StatusInvoiced || l.BillingDocument == "" || l.ShipDate == "" {
			t.Fatalf("not invoiced after two advances: %+v", l)
		}
	}
}
