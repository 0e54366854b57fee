package handlers

import (
	"net/http"
	"strings"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/auth"
	"github.com/quoteconnector/quoteconnector/internal/connections"
	"github.com/quoteconnector/quoteconnector/internal/engine"
	"github.com/quoteconnector/quoteconnector/internal/settings"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// call turns the request's envelope into the engine's view of the call:
// tenant, the connection's settings (sent, else remembered, see
// internal/connections), the user's language.
func (h *Handlers) call(r *http.Request, env so.Envelope, s scope) engine.Call {
	ctx := r.Context()
	id, _ := auth.FromContext(ctx)
	ids := connections.IDs{Quote: s.quoteConnectionID, EIS: s.eisConnectionID}
	if env.ConnectionInfo != nil {
		ids.CRM = env.ConnectionInfo.CRMConnectionId
	}
	found, err := h.d.Connections.Resolve(ctx, id.Tenant, ids, env.ConfigValues)
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Int("connection", ids.ID()).Msg("stored connection settings unreadable; the call has none")
	}
	values, noSettings := found.Values, found.Source == connections.None
	if merged, used := h.d.Engine.Registry().WithDefaults(values, h.d.DefaultConfig); used {
		values, noSettings = merged, false
	}
	if noSettings {
		zerolog.Ctx(ctx).Warn().Int("connection", ids.ID()).Msg("no connection settings sent or stored: no distributor is used")
	}
	c := h.d.Engine.NewCall(id.Tenant, found.ConnectionID, values, s.lang, noSettings)
	logSettingProblems(r, c.Problems)
	return c
}

// logSettingProblems writes one line per connection setting that could not
// be read or was clamped to its range. Problems carry no secrets: Password
// settings are never parsed as numbers, checkboxes or choices.
func logSettingProblems(r *http.Request, problems []settings.Problem) {
	for _, p := range problems {
		zerolog.Ctx(r.Context()).Warn().Str("setting", p.Key).Str("problem", p.Error()).Msg("connection setting adjusted")
	}
}

// scope is what a request's context says about the call: the user's
// language and the connection ids SuperOffice puts there.
type scope struct {
	lang                               string
	quoteConnectionID, eisConnectionID int
}

func altScope(c *so.QuoteAlternativeContextInfo) scope {
	if c == nil {
		return scope{}
	}
	s := scope{lang: c.UserLanguageCode, eisConnectionID: c.EISConnectionId}
	if c.CRMQuote != nil {
		s.quoteConnectionID = c.CRMQuote.QuoteConnectionId
	}
	return s
}

func verScope(c *so.QuoteVersionContextInfo) scope {
	if c == nil {
		return scope{}
	}
	s := scope{lang: c.UserLanguageCode, eisConnectionID: c.EISConnectionId}
	if c.CRMQuote != nil {
		s.quoteConnectionID = c.CRMQuote.QuoteConnectionId
	}
	return s
}

func quoteScope(q *so.QuoteInfo) scope {
	if q == nil {
		return scope{}
	}
	return scope{quoteConnectionID: q.QuoteConnectionId}
}

// missing is the 400 for a required member (protocol §4.1 "!").
func missing(member string) error {
	return badRequest("%s: required (missing, null or empty)", member)
}

// decodeOr400 decodes the body; on failure it answers and returns false.
func decodeOr400(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := decode(r, v); err != nil {
		writeError(w, r, err)
		return false
	}
	return true
}

func (h *Handlers) getConfigurationFields(w http.ResponseWriter, r *http.Request) {
	var req so.Envelope
	if !decodeOr400(w, r, &req) {
		return
	}
	writeJSON(w, h.d.Engine.ConfigurationFields())
}

func (h *Handlers) testConnection(w http.ResponseWriter, r *http.Request) {
	var req so.TestConnectionRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	env := req.Envelope
	if len(req.ConnectionData) > 0 {
		env.ConfigValues = req.ConnectionData
	}
	writeJSON(w, h.d.Engine.TestConnection(r.Context(), h.call(r, env, scope{})))
}

func (h *Handlers) getCapabilities(w http.ResponseWriter, r *http.Request) {
	var req so.Envelope
	if !decodeOr400(w, r, &req) {
		return
	}
	writeJSON(w, h.d.Engine.Capabilities(h.call(r, req, scope{})))
}

func (h *Handlers) getQuoteList(w http.ResponseWriter, r *http.Request) {
	var req so.QuoteListRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.QuoteListType) == "" {
		writeError(w, r, missing("QuoteListType"))
		return
	}
	items, err := h.d.Engine.QuoteList(r.Context(), h.call(r, req.Envelope, scope{}), req.QuoteListType)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, items)
}

func (h *Handlers) priceLists(w http.ResponseWriter, r *http.Request, answer func([]so.PriceListInfo) any) {
	var req so.PriceListRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	lists, err := h.d.Engine.PriceLists(r.Context(), h.call(r, req.Envelope, scope{}), req.IsoCurrencyCode)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, answer(lists))
}

func (h *Handlers) getNumberOfActivePriceLists(w http.ResponseWriter, r *http.Request) {
	h.priceLists(w, r, func(l []so.PriceListInfo) any { return len(l) })
}

func (h *Handlers) getAllPriceLists(w http.ResponseWriter, r *http.Request) {
	h.priceLists(w, r, func(l []so.PriceListInfo) any { return l })
}

// getActivePriceLists: every list the service offers is active.
func (h *Handlers) getActivePriceLists(w http.ResponseWriter, r *http.Request) {
	h.priceLists(w, r, func(l []so.PriceListInfo) any { return l })
}

func (h *Handlers) getAddresses(w http.ResponseWriter, r *http.Request) {
	var req so.AlternativeContextRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	addrs, err := h.d.Engine.Addresses(r.Context(), h.call(r, req.Envelope, altScope(req.Context)))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, addrs)
}

func (h *Handlers) onBeforeCreateQuote(w http.ResponseWriter, r *http.Request) {
	var req so.AlternativeContextRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if req.Context == nil {
		writeError(w, r, missing("Context"))
		return
	}
	writeJSON(w, h.d.Engine.OnBeforeCreateQuote(r.Context(), h.call(r, req.Envelope, altScope(req.Context)), req.Context))
}

func (h *Handlers) onBeforeCreateQuoteVersion(w http.ResponseWriter, r *http.Request) {
	var req so.VersionContextRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if req.QuoteContext == nil {
		writeError(w, r, missing("QuoteContext"))
		return
	}
	writeJSON(w, h.d.Engine.OnBeforeCreateQuoteVersion(r.Context(), h.call(r, req.Envelope, verScope(req.QuoteContext)), req.QuoteContext))
}

func (h *Handlers) onBeforeCreateQuoteAlternative(w http.ResponseWriter, r *http.Request) {
	var req so.AlternativeContextRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if req.Context == nil {
		writeError(w, r, missing("Context"))
		return
	}
	writeJSON(w, h.d.Engine.OnBeforeCreateQuoteAlternative(r.Context(), h.call(r, req.Envelope, altScope(req.Context)), req.Context))
}

func (h *Handlers) onAfterSaveQuote(w http.ResponseWriter, r *http.Request) {
	var req so.AlternativeContextRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	h.d.Engine.OnAfterSaveQuote(r.Context(), h.call(r, req.Envelope, altScope(req.Context)), req.Context)
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handlers) onBeforeDeleteQuote(w http.ResponseWriter, r *http.Request) {
	var req so.DeleteQuoteRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	h.d.Engine.OnBeforeDeleteQuote(r.Context(), h.call(r, req.Envelope, quoteScope(req.Quote)), req.Quote)
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handlers) onAfterSentQuoteVersion(w http.ResponseWriter, r *http.Request) {
	var req so.VersionContextRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if req.QuoteContext == nil {
		writeError(w, r, missing("QuoteContext"))
		return
	}
	writeJSON(w, h.d.Engine.OnAfterSentQuoteVersion(r.Context(), h.call(r, req.Envelope, verScope(req.QuoteContext)), req.QuoteContext))
}

func (h *Handlers) onQuoteLineChanged(w http.ResponseWriter, r *http.Request) {
	var req so.QuoteLineChangedRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if req.QuoteLine == nil {
		writeError(w, r, missing("QuoteLine"))
		return
	}
	c := h.call(r, req.Envelope, altScope(req.Context))
	writeJSON(w, h.d.Engine.OnQuoteLineChanged(r.Context(), c, req.QuoteLine, req.ChangedFields, req.Context))
}

func (h *Handlers) findProduct(w http.ResponseWriter, r *http.Request) {
	var req so.FindProductRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	input := ""
	if req.UserInput != nil {
		input = *req.UserInput
	}
	c := h.call(r, req.Envelope, altScope(req.Context))
	products, err := h.d.Engine.FindProduct(r.Context(), c, req.CurrencyCode, input, req.PriceListKey)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, products)
}

func (h *Handlers) getProduct(w http.ResponseWriter, r *http.Request) {
	var req so.ProductRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.ErpProductKey) == "" {
		writeError(w, r, missing("ErpProductKey"))
		return
	}
	p, err := h.d.Engine.GetProduct(r.Context(), h.call(r, req.Envelope, altScope(req.Context)), req.ErpProductKey, req.Context)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, p)
}

func (h *Handlers) getProducts(w http.ResponseWriter, r *http.Request) {
	var req so.ProductsRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if n := len(engine.DistinctKeys(req.ErpProductKeys)); n > engine.MaxProductKeys {
		writeError(w, r, badRequest("ErpProductKeys: %d distinct keys; at most %d per call", n, engine.MaxProductKeys))
		return
	}
	ps, err := h.d.Engine.GetProducts(r.Context(), h.call(r, req.Envelope, altScope(req.Context)), req.ErpProductKeys, req.Context)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, ps)
}

func (h *Handlers) getQuoteLinesFromProduct(w http.ResponseWriter, r *http.Request) {
	var req so.ProductRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.ErpProductKey) == "" {
		writeError(w, r, missing("ErpProductKey"))
		return
	}
	lines, err := h.d.Engine.QuoteLinesFromProduct(r.Context(), h.call(r, req.Envelope, altScope(req.Context)), req.ErpProductKey, req.Context)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, lines)
}

func (h *Handlers) getNumberOfProductImages(w http.ResponseWriter, r *http.Request) {
	var req so.ProductImageRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.ErpProductKey) == "" {
		writeError(w, r, missing("ErpProductKey"))
		return
	}
	imgs, err := h.d.Engine.ProductImages(r.Context(), h.call(r, req.Envelope, scope{}), req.ErpProductKey)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, len(imgs))
}

// getProductImage: Rank 0 or 1 is the first image, n the n-th (protocol
// §4.2 #21); null when there is none.
func (h *Handlers) getProductImage(w http.ResponseWriter, r *http.Request) {
	var req so.ProductImageRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.ErpProductKey) == "" {
		writeError(w, r, missing("ErpProductKey"))
		return
	}
	imgs, err := h.d.Engine.ProductImages(r.Context(), h.call(r, req.Envelope, scope{}), req.ErpProductKey)
	if err != nil {
		writeError(w, r, err)
		return
	}
	i := req.Rank - 1
	if i < 0 {
		i = 0
	}
	if i >= len(imgs) {
		writeJSON(w, nil)
		return
	}
	writeJSON(w, imgs[i])
}

func (h *Handlers) getSearchableFields(w http.ResponseWriter, r *http.Request) {
	var req so.Envelope
	if !decodeOr400(w, r, &req) {
		return
	}
	writeJSON(w, h.d.Engine.SearchableFields())
}

func (h *Handlers) getSearchResults(w http.ResponseWriter, r *http.Request) {
	var req so.SearchResultsRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if n := engine.RestrictionValues(req.Restrictions); n > engine.MaxRestrictionValues {
		writeError(w, r, badRequest("Restrictions: %d values; at most %d per call", n, engine.MaxRestrictionValues))
		return
	}
	ps, err := h.d.Engine.SearchResults(r.Context(), h.call(r, req.Envelope, scope{}), req.Restrictions)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, ps)
}

func (h *Handlers) recalculateQuoteAlternative(w http.ResponseWriter, r *http.Request) {
	var req so.AlternativeContextRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if req.Context == nil {
		writeError(w, r, missing("Context"))
		return
	}
	c := h.call(r, req.Envelope, altScope(req.Context))
	writeJSON(w, h.d.Engine.RecalculateAlternative(r.Context(), c, req.Context.CRMAlternativeWithLines))
}

func (h *Handlers) validateQuoteVersion(w http.ResponseWriter, r *http.Request) {
	var req so.ValidateRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if req.QuoteContext == nil {
		writeError(w, r, missing("QuoteContext"))
		return
	}
	c := h.call(r, req.Envelope, verScope(req.QuoteContext))
	writeJSON(w, h.d.Engine.ValidateQuoteVersion(r.Context(), c, req.QuoteContext, req.Action))
}

func (h *Handlers) updateQuoteVersionPrices(w http.ResponseWriter, r *http.Request) {
	var req so.UpdatePricesRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if req.QuoteContext == nil {
		writeError(w, r, missing("QuoteContext"))
		return
	}
	c := h.call(r, req.Envelope, verScope(req.QuoteContext))
	writeJSON(w, h.d.Engine.UpdateQuoteVersionPrices(r.Context(), c, req.QuoteContext, req.WriteableFields))
}

func (h *Handlers) placeOrder(w http.ResponseWriter, r *http.Request) {
	var req so.AlternativeContextRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if req.Context == nil {
		writeError(w, r, missing("Context"))
		return
	}
	c := h.call(r, req.Envelope, altScope(req.Context))
	writeJSON(w, h.d.Engine.PlaceOrder(r.Context(), c, req.Context))
}

func (h *Handlers) getOrderState(w http.ResponseWriter, r *http.Request) {
	var req so.AlternativeContextRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if req.Context == nil {
		writeError(w, r, missing("Context"))
		return
	}
	res, err := h.d.Engine.GetOrderState(r.Context(), h.call(r, req.Envelope, altScope(req.Context)), req.Context)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, res)
}

func (h *Handlers) approval(w http.ResponseWriter, r *http.Request, event string) {
	var req so.VersionContextRequest
	if !decodeOr400(w, r, &req) {
		return
	}
	if req.QuoteContext == nil {
		writeError(w, r, missing("QuoteContext"))
		return
	}
	c := h.call(r, req.Envelope, verScope(req.QuoteContext))
	writeJSON(w, h.d.Engine.ApprovalEvent(r.Context(), c, event, req.QuoteContext))
}

func (h *Handlers) onQuoteVersionRequestApproval(w http.ResponseWriter, r *http.Request) {
	h.approval(w, r, "OnQuoteVersionRequestApproval")
}

func (h *Handlers) onQuoteVersionApproved(w http.ResponseWriter, r *http.Request) {
	h.approval(w, r, "OnQuoteVersionApproved")
}

func (h *Handlers) onQuoteVersionRejected(w http.ResponseWriter, r *http.Request) {
	h.approval(w, r, "OnQuoteVersionRejected")
}
