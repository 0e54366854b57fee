package nuviassim

import (
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
)

// TestGeneratedCatalog runs the simulator on the catalog of `make run`.
func TestGeneratedCatalog(t *testing.T) {
	today := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	cat := catalog.Generate(catalog.DefaultSeed, today)
	ex := cat.Example()
	clock := &fakeClock{t: today.Add(9 * time.Hour)}
	s := New(cat, Options{Now: clock.Now})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	e := &env{t: t, s: s, ts: ts, clock: clock}

	c := cat.Nuvias.Credentials
	code, m := e.postToken(url.Values{"client_id": {c.ClientID}, "client_secret": {c.ClientSecret}, "grant_type": {"client_credentials"}})
	if code != 200 {
		t.Fatalf("token %d %v", code, m)
	}
	e.tok = m["access_token"].(string)

	_, data := e.do("GET", BasePath+"/me", nil)
	me := decode[Me](t, data)
	if me.Currency != cat.Nuvias.Me.Currency || me.Organisation != cat.Nuvias.Me.OrganisationID {
		t.Fatalf("me %s", data)
	}
	resp, data := e.do("GET", BasePath+"/organisations/"+strconv.Itoa(me.Organisation)+"/addresses", nil)
	if addrs := decode[[]Address](t, data); resp.StatusCode != 200 || len(addrs) != len(cat.Nuvias.Addresses) {
		t.Fatalf("addresses %s", data)
	}

	// paging covers every product exactly once
	seen := map[int]bool{}
	for page := 1; ; page++ {
		resp, data := e.do("GET", BasePath+"/products?per_page=250&page="+strconv.Itoa(page), nil)
		ps := decode[[]Product](t, data)
		if resp.Header.Get("X-Total-Count") != strconv.Itoa(len(cat.Nuvias.Products)) {
			t.Fatalf("X-Total-Count %s", resp.Header.Get("X-Total-Count"))
		}
		for _, p := range ps {
			if seen[p.ID] {
				t.Fatalf("product %d twice", p.ID)
			}
			seen[p.ID] = true
		}
		if tp, _ := strconv.Atoi(resp.Header.Get("X-Total-Pages")); page >= tp {
			break
		}
	}
	if len(seen) != len(cat.Nuvias.Products) {
		t.Fatalf("paged %d of %d", len(seen), len(cat.Nuvias.Products))
	}

	// search by a shared part number finds its Nuvias id
	for code, id := range ex.NuviasIDOf {
		_, data := e.do("GET", BasePath+"/products?text="+url.QueryEscape(code), nil)
		found := false
		for _, p := range decode[[]Product](t, data) {
			found = found || p.ID == id
		}
		if !found {
			t.Fatalf("text=%s did not find %d: %s", code, id, data)
		}
	}
	if ex.NuviasSubscripID != 0 {
		_, data = e.do("GET", BasePath+"/products/"+strconv.Itoa(ex.NuviasSubscripID), nil)
		if p := decode[Product](t, data); len(p.RatePlans) == 0 {
			t.Fatalf("subscription without rate plans: %s", data)
		}
	}

	// order the first in-stock hardware product
	var pick catalog.NuviasProduct
	for _, p := range cat.Nuvias.Products {
		if p.ProductType == "Hardware" && p.Stock >= 2 && !p.Discontinued {
			pick = p
			break
		}
	}
	resp, data = e.do("POST", BasePath+"/orders", map[string]any{
		"purchase_order_number": "1001", "shipping_address": cat.Nuvias.Addresses[0].ID,
		"shipping_type": cat.Nuvias.ShippingTypes[0].ID, "part_ship": false, "end_user": map[string]any{"name": "Acme"},
		"line_items": []any{map[string]any{"product": pick.ID, "quantity": 2}},
	})
	if resp.StatusCode != 201 {
		t.Fatalf("order %d %s", resp.StatusCode, data)
	}
	o := decode[Order](t, data)
	if p, _ := s.Product(pick.ID); p.Stock != pick.Stock-2 {
		t.Fatalf("stock %d, want %d", p.Stock, pick.Stock-2)
	}
	for _, want := range []string{StatusProcessing, StatusAccepted, StatusShipped, StatusComplete} {
		if err := s.AdvanceOrder(o.ID); err != nil {
			t.Fatal(err)
		}
		_, data = e.do("GET", BasePath+"/orders/"+strconv.Itoa(o.ID), nil)
		if got := decode[Order](t, data); got.Status != want {
			t.Fatalf("status %s want %s", got.Status, want)
		}
	}
}
