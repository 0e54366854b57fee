package app

import (
	"context"
	"sort"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/catalog"
	"github.com/quoteconnector/quoteconnector/internal/console"
	"github.com/quoteconnector/quoteconnector/internal/fx"
)

// consoleCatalog shows the catalog syncs on the console's Catalog page.
type consoleCatalog struct{ c *catalog.Catalog }

func (p consoleCatalog) CatalogStatus(ctx context.Context) ([]console.CatalogStatus, error) {
	list, err := p.c.Status(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]console.CatalogStatus, len(list))
	for i, s := range list {
		cs := console.CatalogStatus{Distributor: s.Distributor, Account: s.Account, Items: s.Items,
			LastFull: s.LastFull, LastIncremental: s.LastIncremental, LastError: s.LastError, LastErrorAt: s.LastErrorAt,
			Syncing: s.Running != "" || s.FullRunning, Full: s.Running == catalog.KindFull || s.FullRunning,
			Started: s.Started, Done: s.Done, Total: s.Expected}
		if cs.Full && !s.FullStarted.IsZero() {
			cs.Started = s.FullStarted
		}
		if cs.Full && s.Running == "" {
			// Another replica syncs (or the sync resumes later): its own
			// pace is not known here, so no ETA.
			cs.Started = time.Time{}
		}
		out[i] = cs
	}
	return out, nil
}

// consoleRates shows the exchange-rate feed on the console's Rates page.
type consoleRates struct{ feed *fx.Feed }

func (r consoleRates) Rates(context.Context) (console.Rates, error) {
	st := r.feed.Status()
	out := console.Rates{Base: "EUR", Date: st.Table.Date, Source: st.Table.Source, LastError: st.LastError}
	if out.Source == "" {
		out.Source = st.Source
	}
	if !st.FromStore {
		out.FetchedAt = st.Table.FetchedAt
	}
	if st.LastError != "" {
		out.LastErrorAt = st.LastAttempt
	}
	for cur, rate := range st.Table.Rates {
		f, _ := rate.Float64()
		out.Rates = append(out.Rates, console.Rate{Currency: cur, Rate: f})
	}
	sort.Slice(out.Rates, func(i, j int) bool { return out.Rates[i].Currency < out.Rates[j].Currency })
	return out, nil
}
