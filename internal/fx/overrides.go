package fx

import (
	"context"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/settings"
	"github.com/quoteconnector/quoteconnector/internal/store"
)

// ConnectionRates is one remembered connection's own currency settings, as
// an operator sees them beside the reference rates.
type ConnectionRates struct {
	Tenant       string
	ConnectionID int
	// Fixed is pricing.fxRates as read, "NOK=11.7215,SEK=11.048"; empty
	// when the connection uses the reference rates only.
	Fixed string
	// MarginPercent is pricing.fxMarginPercent.
	MarginPercent float64
	// Currencies is pricing.currencies; empty = every currency the rates
	// know.
	Currencies []string
	// Problems are the currency settings that could not be read (left out).
	Problems []string
}

// ConnectionOverrides lists the remembered connections that set any of
// pricing.fxRates, pricing.fxMarginPercent or pricing.currencies, ordered
// by tenant and connection id. It reads only those keys: stored
// credentials stay sealed.
func ConnectionOverrides(ctx context.Context, st store.Connections) ([]ConnectionRates, error) {
	recs, err := st.ListConnections(ctx, "")
	if err != nil {
		return nil, err
	}
	var out []ConnectionRates
	for _, rec := range recs {
		values := map[string]string{}
		for k, v := range rec.Values {
			for _, want := range []string{settings.KeyPricingFXRates, settings.KeyPricingFXMarginPercent, settings.KeyPricingCurrencies} {
				if strings.EqualFold(k, want) {
					values[want] = v
				}
			}
		}
		if len(values) == 0 {
			continue
		}
		conn, problems := settings.Parse(values) // the general settings only
		cr := ConnectionRates{Tenant: rec.Tenant, ConnectionID: rec.ConnectionID, Fixed: settings.FXRatesText(conn.Pricing.FXRates),
			MarginPercent: conn.Pricing.FXMarginPercent, Currencies: conn.Pricing.Currencies}
		for _, p := range problems {
			cr.Problems = append(cr.Problems, p.Error())
		}
		out = append(out, cr)
	}
	return out, nil
}
