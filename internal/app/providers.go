package app

import (
	"context"
	"sort"

	"github.com/quoteconnector/quoteconnector/internal/console"
	"github.com/quoteconnector/quoteconnector/internal/fx"
)

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
