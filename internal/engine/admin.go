package engine

import (
	"context"
	"sort"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/dialog"
	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/mapping"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// Capability names (protocol §7).
const (
	CapCost             = "iproductprovider_provide_cost"
	CapMinimumPrice     = "iproductprovider_provide_minimumprice"
	CapStockData        = "iproductprovider_provide_stockdata"
	CapExtraData        = "iproductprovider_provide_extradata"
	CapThumbnails       = "iproductprovider_provide_thumbnails"
	CapPicture          = "iproductprovider_provide_picture"
	CapComputePrice     = "ipriceprovider_compute_price"
	CapPlaceOrder       = "iorderconsumer_place_order"
	CapSendOrderConfirm = "iorderconsumer_send_order_confirm"
	CapOrderState       = "iorderconsumer_provide_orderstate"
	CapComplexSearch    = "iconnector_perform_complexsearch"
	CapAddresses        = "iaddressprovider_provide_addresses"
	CapCachePriceLists  = "cache-pricelists"
	CapNoCacheLists     = "no-cache-quotelists"
)

// ListCapability is the capability of a quote list (protocol §8).
func ListCapability(k distributors.ListKind) string {
	return "ilistprovider_provide_" + strings.ToLower(string(k)) + "list"
}

// Capabilities follow from what the enabled distributors can do
// (distributors.md, Across distributors → Capabilities).
func (e *Engine) Capabilities(c Call) map[string]bool {
	ds, _ := e.enabled(c)
	var catalog, images, order, state, addresses bool
	lists := map[distributors.ListKind]bool{}
	confirm := true
	for _, d := range ds {
		caps := d.Capabilities()
		catalog = catalog || caps.Catalog
		images = images || caps.Images
		state = state || caps.OrderStatus
		addresses = addresses || caps.Addresses
		if caps.PlaceOrder {
			order = true
			// The connector confirms orders only when every ordering
			// distributor mails its own confirmation; otherwise
			// SuperOffice's own e-mail step stays.
			confirm = confirm && caps.ConfirmsOrders
		}
		for _, k := range caps.Lists {
			lists[k] = true
		}
	}
	out := map[string]bool{
		CapCost: catalog, CapMinimumPrice: catalog, CapStockData: catalog, CapExtraData: catalog,
		CapThumbnails: catalog && images, CapPicture: catalog && images, CapComputePrice: catalog,
		CapPlaceOrder: order, CapSendOrderConfirm: order && confirm, CapOrderState: state,
		CapComplexSearch: catalog, CapAddresses: addresses,
		CapCachePriceLists: true, CapNoCacheLists: false,
	}
	for _, k := range distributors.AllLists {
		out[ListCapability(k)] = lists[k]
	}
	return out
}

// ConfigurationFields is the admin dialog: the general settings and every
// registered distributor's.
func (e *Engine) ConfigurationFields() map[string]so.FieldMetadataInfo {
	return dialog.Fields(e.o.Registry.Dialog())
}

// TestConnection checks every enabled distributor's credentials and reports
// per distributor what works (protocol §4.2 #2).
func (e *Engine) TestConnection(ctx context.Context, c Call) so.PluginResponseInfo {
	ds, failed := e.enabled(c)
	var ok, bad []so.Text
	var tech []string
	for _, p := range c.Problems {
		bad = append(bad, so.Textf(msgBadSetting, p.Key, p.Error()))
		tech = append(tech, p.Error())
	}
	if c.NoSettings {
		return so.PluginResponseInfo{IsOk: false, State: so.StatusError, UserExplanation: msgNoSettings.String(),
			TechExplanation: "no connection settings received yet", ErrorCode: "no-settings"}
	}
	if len(ds) == 0 && len(failed) == 0 {
		return so.PluginResponseInfo{IsOk: false, State: so.StatusError, UserExplanation: so.JoinTexts(" ", append(bad, so.Textf(msgNoDistributor, strings.Join(e.o.Registry.Titles(), ", ")))...).String(),
			TechExplanation: "no distributor enabled", ErrorCode: "no-distributor"}
	}
	results, failures := fanOut(ctx, e, "TestConnection", ds, func(ctx context.Context, d distributors.Distributor) (string, error) {
		return d.Test(ctx)
	})
	failures = merge(failures, failed)
	for _, name := range e.o.Registry.Names() {
		if msg, found := results[name]; found {
			ok = append(ok, so.Textf(msgConnectionOK, e.displayName(name), msg))
		}
		if err, found := failures[name]; found {
			bad = append(bad, so.Textf(msgConnectionKO, e.displayName(name), userMessage(err)))
			tech = append(tech, userMessage(err))
		}
	}
	r := so.PluginResponseInfo{IsOk: len(bad) == 0, UserExplanation: so.JoinTexts(" ", append(bad, ok...)...).String(), TechExplanation: strings.Join(tech, "; ")}
	if !r.IsOk {
		r.State = so.StatusError
		r.ErrorCode = "connection-failed"
	}
	return r
}

// QuoteList answers GetQuoteList: the dialog's own lists, or the merged list
// of the distributors that provide the kind; an empty list for a name no
// distributor provides or the protocol does not know. Never nil:
// SuperOffice's OpenAPI document types the answer as an array.
func (e *Engine) QuoteList(ctx context.Context, c Call, name string) ([]so.QuoteListItemInfo, error) {
	if l, ok := e.o.Registry.DialogList(name); ok {
		return dialog.Items(l), nil
	}
	var kind distributors.ListKind
	for _, k := range distributors.AllLists {
		if strings.EqualFold(string(k), strings.TrimSpace(name)) {
			kind = k
		}
	}
	if kind == "" {
		return []so.QuoteListItemInfo{}, nil
	}
	ds, _ := e.enabled(c)
	var providers []distributors.Distributor
	for _, d := range ds {
		if d.Capabilities().HasList(kind) {
			providers = append(providers, d)
		}
	}
	if len(providers) == 0 {
		return []so.QuoteListItemInfo{}, nil
	}
	results, failures := fanOut(ctx, e, "GetQuoteList", providers, func(ctx context.Context, d distributors.Distributor) ([]distributors.ListItem, error) {
		return d.List(ctx, kind)
	})
	if len(results) == 0 {
		return nil, &UnavailableError{Operation: "GetQuoteList " + string(kind), Failures: failures}
	}
	seen := map[string]bool{}
	items := []so.QuoteListItemInfo{}
	for _, d := range providers {
		for _, it := range mapping.ListItems(results[d.Name()]) {
			if !seen[strings.ToLower(it.ERPQuoteListItemKey)] {
				seen[strings.ToLower(it.ERPQuoteListItemKey)] = true
				items = append(items, it)
			}
		}
	}
	return items, nil
}

// currencyNames for PriceListInfo.CurrencyName.
var currencyNames = map[string]string{
	"EUR": "Euro", "USD": "US dollar", "GBP": "Pound sterling", "NOK": "Norwegian krone", "SEK": "Swedish krona",
	"DKK": "Danish krone", "CHF": "Swiss franc", "AED": "UAE dirham", "PLN": "Polish zloty", "JPY": "Japanese yen",
	"CZK": "Czech koruna", "HUF": "Hungarian forint", "ISK": "Icelandic krona", "RON": "Romanian leu", "TRY": "Turkish lira",
	"AUD": "Australian dollar", "CAD": "Canadian dollar", "CNY": "Chinese yuan renminbi", "HKD": "Hong Kong dollar",
	"SGD": "Singapore dollar", "ZAR": "South African rand", "NZD": "New Zealand dollar", "INR": "Indian rupee",
	"BRL": "Brazilian real", "MXN": "Mexican peso", "KRW": "South Korean won", "ILS": "Israeli shekel",
	"IDR": "Indonesian rupiah", "MYR": "Malaysian ringgit", "PHP": "Philippine peso", "THB": "Thai baht", "BGN": "Bulgarian lev",
}

// PriceLists answers GetAllPriceLists and GetActivePriceLists (all lists
// are active): `<distributor>:<currency>` for each catalog distributor and
// its own currencies, the same for each currency its prices are converted
// into (pricing.currencies, or every currency the rates know), named so
// the salesperson sees it is converted ("Logicom EUR→NOK"), and
// `best:<currency>` when two or more catalog distributors are enabled. An
// empty currency means all.
func (e *Engine) PriceLists(ctx context.Context, c Call, currency string) ([]so.PriceListInfo, error) {
	currencies, failures := e.catalogCurrencies(ctx, c)
	if len(currencies) == 0 && len(failures) > 0 {
		return nil, &UnavailableError{Operation: "price lists", Failures: failures}
	}
	currency = strings.ToUpper(strings.TrimSpace(currency))
	b := e.book(c)
	lists := []so.PriceListInfo{}
	union := map[string]bool{}
	var names []string
	for name := range currencies {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		own := currencies[name]
		for _, cur := range own {
			union[cur] = true
			if currency == "" || currency == cur {
				lists = append(lists, e.priceList(name, cur))
			}
		}
		for _, cur := range e.convertedTargets(c, b, own) {
			union[cur] = true
			if currency == "" || currency == cur {
				lists = append(lists, e.convertedPriceList(name, own[0], cur))
			}
		}
	}
	if len(currencies) >= 2 {
		var curs []string
		for cur := range union {
			curs = append(curs, cur)
		}
		sort.Strings(curs)
		for _, cur := range curs {
			if currency == "" || currency == cur {
				lists = append(lists, e.priceList(distributors.Best, cur))
			}
		}
	}
	return lists, nil
}

func (e *Engine) priceList(name, cur string) so.PriceListInfo {
	desc := so.Text{US: e.displayName(name) + " prices in " + cur, NO: e.displayName(name) + " priser i " + cur, GE: e.displayName(name) + " Preise in " + cur}
	if name == distributors.Best {
		desc = so.Text{US: "Cheapest source in stock across all distributors, " + cur, NO: "Billigste kilde på lager hos alle distributører, " + cur, GE: "Günstigste verfügbare Quelle aller Distributoren, " + cur}
	}
	return so.PriceListInfo{
		ERPPriceListKey: distributors.Key(name, cur), Name: e.displayName(name) + " " + cur, Description: desc.String(),
		Currency: cur, CurrencyName: currencyNames[cur], ValidTo: so.OpenEnd(), IsActive: true,
	}
}

// convertedPriceList is a distributor's list in a currency its prices in
// source are converted into.
func (e *Engine) convertedPriceList(name, source, cur string) so.PriceListInfo {
	l := e.priceList(name, cur)
	l.Name = e.displayName(name) + " " + source + "→" + cur
	l.Description = so.Text{
		US: e.displayName(name) + " prices in " + source + ", converted to " + cur + " at the current exchange rate",
		NO: e.displayName(name) + " priser i " + source + ", omregnet til " + cur + " etter gjeldende valutakurs",
		GE: e.displayName(name) + " Preise in " + source + ", umgerechnet in " + cur + " zum aktuellen Wechselkurs",
	}.String()
	return l
}

// catalogCurrencies asks each catalog distributor for its currencies.
func (e *Engine) catalogCurrencies(ctx context.Context, c Call) (map[string][]string, map[string]error) {
	ds, failed := e.enabled(c)
	cat := catalogOnly(ds)
	res, failures := fanOut(ctx, e, "Currencies", cat, func(ctx context.Context, d distributors.Distributor) ([]string, error) {
		return d.Currencies(ctx)
	})
	for name := range failed {
		delete(failed, name) // misconfigured: not a catalog we can offer
	}
	return res, failures
}

func catalogOnly(ds []distributors.Distributor) []distributors.Distributor {
	var out []distributors.Distributor
	for _, d := range ds {
		if d.Capabilities().Catalog {
			out = append(out, d)
		}
	}
	return out
}

// Addresses answers GetAddresses from the first enabled distributor that
// knows the account's addresses: [billing, shipping], nil when none.
func (e *Engine) Addresses(ctx context.Context, c Call) ([]*so.AddressInfo, error) {
	ds, _ := e.enabled(c)
	var failures map[string]error
	for _, d := range ds {
		if !d.Capabilities().Addresses {
			continue
		}
		actx, cancel := context.WithTimeout(ctx, e.o.DistributorTimeout)
		a, err := d.Addresses(actx)
		cancel()
		if err != nil {
			failures = merge(failures, map[string]error{d.Name(): err})
			continue
		}
		if a.Billing == nil && a.Shipping == nil {
			continue
		}
		out := []*so.AddressInfo{nil, nil}
		if a.Billing != nil {
			out[0] = mapping.Address(*a.Billing)
		}
		if a.Shipping != nil {
			out[1] = mapping.Address(*a.Shipping)
		}
		return out, nil
	}
	if len(failures) > 0 {
		return nil, &UnavailableError{Operation: "GetAddresses", Failures: failures}
	}
	return nil, nil
}
