package logicom

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

func BenchmarkSignature(b *testing.B) {
	s, err := newSigner(kaKey, nil)
	if err != nil {
		b.Fatal(err)
	}
	tok := strings.Repeat("wlgkdOPMglk/NkK2RQyHt9W0LLL5E4hC6Swfkv", 3)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.signature(tok, "1654677984")
	}
}

// tenProductPage is the seed's GetProducts example with its one product
// repeated ten times; loose keeps the seed's broken syntax (repair path),
// otherwise the page is valid JSON with the seed's loose keys and values.
func tenProductPage(b *testing.B, loose bool) []byte {
	raw, err := os.ReadFile("testdata/getproducts.json")
	if err != nil {
		b.Fatal(err)
	}
	if !loose {
		raw, _ = repairJSON(raw)
	}
	start := bytes.Index(raw, []byte(`"Message"`))
	open := start + bytes.IndexByte(raw[start:], '[')
	end := bytes.LastIndexByte(raw, ']')
	item := bytes.TrimSpace(raw[open+1 : end])
	item = bytes.TrimSuffix(item, []byte(","))
	var page bytes.Buffer
	page.Write(raw[:open+1])
	for i := 0; i < 10; i++ {
		if i > 0 {
			page.WriteByte(',')
		}
		page.Write(item)
	}
	page.Write(raw[end:])
	if !loose && !json.Valid(page.Bytes()) {
		b.Fatal("page is not valid JSON")
	}
	return page.Bytes()
}

func benchDecodePage(b *testing.B, loose bool) {
	page := tenProductPage(b, loose)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		env, err := decodeEnvelope(page)
		if err != nil {
			b.Fatal(err)
		}
		ps, err := list[wireProduct](env.Message)
		if err != nil || len(ps) != 10 {
			b.Fatal(err, len(ps))
		}
	}
}

func BenchmarkDecodeProductsPage(b *testing.B)      { benchDecodePage(b, false) }
func BenchmarkDecodeProductsPageLoose(b *testing.B) { benchDecodePage(b, true) }

// BenchmarkSimSearch searches the simulator for a brand word (limit 50),
// and reports the upstream calls per search. Brands and categories are
// cached per account after the first search, as in the service.
func BenchmarkSimSearch(b *testing.B) {
	e := setupSim(b)
	brand := strings.ToLower(e.item(b, e.ex.InStockSKU).Brand)
	ctx := context.Background()
	if _, err := e.c.Search(ctx, distributors.Query{Text: brand, Limit: 50}); err != nil {
		b.Fatal(err)
	}
	e.sim.ResetCounts()
	n := 0
	for b.Loop() {
		ps, err := e.c.Search(ctx, distributors.Query{Text: brand, Limit: 50})
		if err != nil || len(ps) == 0 {
			b.Fatal(err)
		}
		n++
	}
	total := 0
	for _, v := range e.sim.Calls() {
		total += v
	}
	b.ReportMetric(float64(total)/float64(n), "upstream-calls/op")
	b.ReportMetric(float64(e.sim.CallCount("GetProducts"))/float64(n), "GetProducts/op")
}

// BenchmarkSimSearchSKU is an exact-SKU search (cached after the first).
func BenchmarkSimSearchSKU(b *testing.B) {
	e := setupSim(b)
	ctx := context.Background()
	e.sim.ResetCounts()
	n := 0
	for b.Loop() {
		ps, err := e.c.Search(ctx, distributors.Query{Text: e.ex.HashSKU, Limit: 50})
		if err != nil || len(ps) == 0 {
			b.Fatal(err)
		}
		n++
	}
	total := 0
	for _, v := range e.sim.Calls() {
		total += v
	}
	b.ReportMetric(float64(total)/float64(n), "upstream-calls/op")
}
