package logicom

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

// Account identifies the Logicom account: the base URL (production or
// staging), the customer id and the consumer key, digested. s is the
// connection's Settings.
func (f *Factory) Account(s any) string { return f.account(s.(Settings)) }

func (f *Factory) account(s Settings) string {
	base := f.o.ProductionURL
	if strings.EqualFold(s.Environment, "staging") {
		base = f.o.StagingURL
	}
	return distributors.AccountID(Name, strings.TrimRight(base, "/"), strings.TrimSpace(s.CustomerID), s.ConsumerKey.Reveal())
}

// Account is the factory's Account of this client's settings.
func (c *Client) Account() string { return c.account }

// findOrderPages bounds a lookup: ten documents a page (the seed's page
// size), at most this many pages since the attempt.
const findOrderPages = 10

// FindOrder looks an order up by its reference (distributors.md → Logicom
// orders; configuration.md → Orders): GetDocuments (DocumentType=Order,
// DateFrom = since) lists the orders since the attempt, and GetDocumentDetails
// of each shows its ExternalDocumentNo (our ReferenceNo) and lines. An order
// matches when both equal what was sent. When more orders exist than are
// checked, the answer is an error: "not found" must be certain.
func (c *Client) FindOrder(ctx context.Context, o distributors.Order, since time.Time) (distributors.OrderReceipt, bool, error) {
	const call = "GetDocuments"
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	ref := ReferenceNo(o.Reference)
	want := lineSet(o.Lines)
	var candidates []string
	for page := 0; ; page++ {
		if page == findOrderPages {
			return distributors.OrderReceipt{}, false, errorf(call, distributors.KindUnavailable,
				"more than %d orders since %s: the order cannot be looked up reliably", findOrderPages*10, since.Format("2006-01-02"))
		}
		q := "DocumentType=Order&PageIndex=" + strconv.Itoa(page) + "&DateFrom=" + url.QueryEscape(since.UTC().Format("02-01-2006"))
		env, err := c.do(ctx, request{call: call, method: "GET", path: "/GetDocuments", rawQuery: q})
		if err != nil {
			return distributors.OrderReceipt{}, false, err
		}
		docs, err := list[wireDocument](env.Message)
		if err != nil {
			return distributors.OrderReceipt{}, false, c.up.DecodeError(call, err)
		}
		for _, d := range docs {
			if d.DocumentNo != "" {
				candidates = append(candidates, d.DocumentNo)
			}
		}
		if len(docs) < 10 {
			break
		}
	}

	found := make([]string, len(candidates))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, no := range candidates {
		g.Go(func() error {
			env, err := c.do(gctx, request{call: "GetDocumentDetails", method: "GET", path: "/GetDocumentDetails",
				rawQuery: "DocumentType=Order&DocumentId=" + url.QueryEscape(no)})
			if err != nil {
				return err
			}
			var d wireDocumentDetails
			if err := unmarshal(env.Message, &d); err != nil {
				return c.up.DecodeError("GetDocumentDetails", err)
			}
			if strings.EqualFold(strings.TrimSpace(d.Header.ExternalNo), ref) && lineSetOf(d.Items) == want {
				found[i] = no
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return distributors.OrderReceipt{}, false, err
	}
	for _, no := range found {
		if no != "" {
			return distributors.OrderReceipt{OrderID: no, Message: "Logicom order " + no}, true, nil
		}
	}
	return distributors.OrderReceipt{}, false, nil
}

// lineSet is a canonical text of order lines: SKU[/variant] and quantity,
// sorted, so two orders with the same products compare equal.
func lineSet(lines []distributors.OrderLine) string {
	parts := make([]string, 0, len(lines))
	for _, l := range lines {
		parts = append(parts, lineText(l.ProductID, l.VariantID, l.Quantity))
	}
	return joinSorted(parts)
}

func lineSetOf(items []wireDocumentItem) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		parts = append(parts, lineText(it.ItemNo, it.Variant, it.Quantity))
	}
	return joinSorted(parts)
}

func lineText(sku, variant string, qty float64) string {
	s := strings.ToUpper(strings.TrimSpace(sku))
	if v := strings.TrimSpace(variant); v != "" {
		s += "/" + strings.ToUpper(v)
	}
	return fmt.Sprintf("%s×%g", s, qty)
}

func joinSorted(parts []string) string {
	sort.Strings(parts)
	return strings.Join(parts, ";")
}
