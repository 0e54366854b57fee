package engine

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/quote"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// earliestSpecialEnd finds the soonest end of a special price that applies
// today to a line of the alternatives, and the distributor offering it.
func (e *Engine) earliestSpecialEnd(ctx context.Context, c Call, alts []*so.QuoteAlternativeWithLinesInfo) (time.Time, string, map[string]error) {
	products, failures := e.versionProducts(ctx, c, alts, true)
	today := e.o.Now()
	var end time.Time
	var who string
	for _, a := range alts {
		if a == nil {
			continue
		}
		for _, l := range a.CRMQuoteLines {
			if l == nil {
				continue
			}
			ref, ok := lineRef(l)
			if !ok {
				continue
			}
			p, found := lookup(products, ref)
			if !found || p.Offer == nil || !p.Offer.SpecialActive(today) || p.Offer.Special.To.IsZero() {
				continue
			}
			// Only a special price that actually sets the line's cost binds
			// the quote's validity.
			if p.Offer.CostAt(l.Quantity, today) != p.Offer.Special.Price {
				continue
			}
			if end.IsZero() || p.Offer.Special.To.Before(end) {
				end, who = p.Offer.Special.To, p.Distributor
			}
		}
	}
	return end, who, failures
}

// limitExpiration moves the version's ExpirationDate to the earliest
// special-price end when that is sooner than the date SuperOffice proposed,
// and says so in the version's Reason.
func (e *Engine) limitExpiration(ctx context.Context, c Call, v *so.QuoteVersionInfo, alts []*so.QuoteAlternativeWithLinesInfo) (so.Text, map[string]error) {
	end, who, failures := e.earliestSpecialEnd(ctx, c, alts)
	if end.IsZero() || v == nil {
		return so.Text{}, failures
	}
	if !v.ExpirationDate.IsZero() && !end.Before(v.ExpirationDate.Time()) {
		return so.Text{}, failures
	}
	v.ExpirationDate = so.NewDate(time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC))
	msg := so.Textf(msgSpecialExpiry, so.DateMarker(end), e.displayName(who))
	quote.AddProblem(v, so.StatusOkWithInfo, msg)
	return msg, failures
}

// createResponse fills the response of the OnBeforeCreate events: never
// IsOk=false because of an outage (that would abort creating the quote).
func createResponse(r *so.PluginResponseInfo, note so.Text, failures map[string]error) {
	r.IsOk, r.State = true, so.StatusOk
	if note.US != "" {
		r.State, r.UserExplanation = so.StatusOkWithInfo, note.String()
	}
	if len(failures) > 0 {
		r.State = so.StatusWarning
		r.TechExplanation = describeFailures(failures)
	}
}

// OnBeforeCreateQuote (protocol §4.2 #9).
func (e *Engine) OnBeforeCreateQuote(ctx context.Context, c Call, actx *so.QuoteAlternativeContextInfo) *so.QuoteResponseInfo {
	var alts []*so.QuoteAlternativeWithLinesInfo
	if actx.CRMAlternativeWithLines != nil {
		alts = append(alts, actx.CRMAlternativeWithLines)
	}
	note, failures := e.limitExpiration(ctx, c, actx.CRMQuoteVersion, alts)
	r := &so.QuoteResponseInfo{CRMQuote: actx.CRMQuote, CRMQuoteVersion: actx.CRMQuoteVersion, CRMAlternativesWithLines: alts}
	createResponse(&r.PluginResponseInfo, note, failures)
	return r
}

// OnBeforeCreateQuoteVersion (protocol §4.2 #10).
func (e *Engine) OnBeforeCreateQuoteVersion(ctx context.Context, c Call, qctx *so.QuoteVersionContextInfo) *so.QuoteVersionResponseInfo {
	alts := qctx.Alternatives()
	note, failures := e.limitExpiration(ctx, c, qctx.CRMQuoteVersion, alts)
	r := &so.QuoteVersionResponseInfo{CRMQuote: qctx.CRMQuote, CRMQuoteVersion: qctx.CRMQuoteVersion, CRMAlternativesWithLines: alts}
	createResponse(&r.PluginResponseInfo, note, failures)
	return r
}

// OnBeforeCreateQuoteAlternative (protocol §4.2 #11). Only the alternative
// is writable here, so a binding special-price end is reported on it.
func (e *Engine) OnBeforeCreateQuoteAlternative(ctx context.Context, c Call, actx *so.QuoteAlternativeContextInfo) *so.QuoteAlternativeResponseInfo {
	alt := actx.CRMAlternativeWithLines
	if alt == nil {
		alt = &so.QuoteAlternativeWithLinesInfo{CRMAlternative: &so.QuoteAlternativeInfo{}}
	}
	var note so.Text
	end, who, failures := e.earliestSpecialEnd(ctx, c, []*so.QuoteAlternativeWithLinesInfo{alt})
	v := actx.CRMQuoteVersion
	if !end.IsZero() && (v == nil || v.ExpirationDate.IsZero() || end.Before(v.ExpirationDate.Time())) {
		note = so.Textf(msgSpecialExpiry, so.DateMarker(end), e.displayName(who))
		if alt.CRMAlternative != nil {
			quote.AddProblem(alt.CRMAlternative, so.StatusOkWithInfo, note)
		}
	}
	r := &so.QuoteAlternativeResponseInfo{CRMAlternativeWithLines: alt, CRMAlternativesWithLines: []*so.QuoteAlternativeWithLinesInfo{alt}}
	createResponse(&r.PluginResponseInfo, note, failures)
	return r
}

// OnAfterSaveQuote (#12): nothing to push to the distributors.
func (e *Engine) OnAfterSaveQuote(ctx context.Context, c Call, actx *so.QuoteAlternativeContextInfo) {
	ev := zerolog.Ctx(ctx).Info()
	if actx != nil && actx.CRMQuote != nil {
		ev = ev.Int("quote_id", actx.CRMQuote.QuoteId)
	}
	ev.Msg("quote saved")
}

// OnBeforeDeleteQuote (#13): orders already placed stay at the distributors;
// the log says which, so an operator can follow up.
func (e *Engine) OnBeforeDeleteQuote(ctx context.Context, c Call, q *so.QuoteInfo) {
	ev := zerolog.Ctx(ctx).Info()
	if q != nil {
		ev = ev.Int("quote_id", q.QuoteId)
		if keys := distributors.SplitOrderKeys(q.ERPOrderKey); len(keys) > 0 {
			ev = ev.Strs("orders_kept", keys)
		}
	}
	ev.Msg("quote deleted in SuperOffice")
}

// OnAfterSentQuoteVersion (#14): sending cannot be undone; the version is
// returned as it is.
func (e *Engine) OnAfterSentQuoteVersion(ctx context.Context, c Call, qctx *so.QuoteVersionContextInfo) *so.QuoteSentResponseInfo {
	vr := &so.QuoteVersionResponseInfo{PluginResponseInfo: so.PluginResponseInfo{IsOk: true}, CRMQuote: qctx.CRMQuote, CRMQuoteVersion: qctx.CRMQuoteVersion, CRMAlternativesWithLines: qctx.Alternatives()}
	ev := zerolog.Ctx(ctx).Info()
	if qctx.CRMQuoteVersion != nil {
		ev = ev.Int("version_id", qctx.CRMQuoteVersion.QuoteVersionId)
	}
	ev.Msg("quote version sent")
	return &so.QuoteSentResponseInfo{PluginResponseInfo: so.PluginResponseInfo{IsOk: true}, VersionResponse: vr, QuoteData: vr}
}

// ApprovalEvent answers #29–#31: the version is returned unchanged and the
// event logged (SuperOffice sets the approval state itself).
func (e *Engine) ApprovalEvent(ctx context.Context, c Call, event string, qctx *so.QuoteVersionContextInfo) *so.QuoteVersionResponseInfo {
	ev := zerolog.Ctx(ctx).Info().Str("event", event)
	if v := qctx.CRMQuoteVersion; v != nil {
		ev = ev.Int("version_id", v.QuoteVersionId).Str("state", v.State.Code().String())
		if v.RequestAssociateId != 0 {
			ev = ev.Int("approver_id", v.RequestAssociateId)
		}
	}
	ev.Msg("approval event")
	return &so.QuoteVersionResponseInfo{PluginResponseInfo: so.PluginResponseInfo{IsOk: true}, CRMQuote: qctx.CRMQuote, CRMQuoteVersion: qctx.CRMQuoteVersion, CRMAlternativesWithLines: qctx.Alternatives()}
}
