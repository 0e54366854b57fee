package settings

import "strings"

// The general ConfigValues keys; a fixed contract (configuration.md).
// Never rename. Each distributor's own keys are constants of its package.
const (
	KeyPricingListPrice        = "pricing.listPrice"
	KeyPricingMarkupPercent    = "pricing.markupPercent"
	KeyPricingMinMarginPercent = "pricing.minMarginPercent"
	KeySearchMaxResults        = "search.maxResults"
	KeyPricingCurrencies       = "pricing.currencies"
	KeyPricingFXMarginPercent  = "pricing.fxMarginPercent"
	KeyPricingFXRates          = "pricing.fxRates"
)

// generalNamespaces are the prefixes of the general ConfigValues keys
// ("general." holds the dialog's label). A distributor's keys start with
// its name and a dot. SuperOffice adds keys of its own without either
// (SharedSecret, ApplicationId, QuoteConnectorUrl): those are never
// remembered.
var generalNamespaces = []string{"general.", "pricing.", "search."}

// IsGeneralKey reports whether a ConfigValues key is one of the general
// settings' (whatever its case).
func IsGeneralKey(key string) bool {
	lk := strings.ToLower(key)
	for _, ns := range generalNamespaces {
		if strings.HasPrefix(lk, ns) {
			return true
		}
	}
	return false
}
