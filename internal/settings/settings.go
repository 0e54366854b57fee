// Package settings reads a connection's ConfigValues (configuration.md,
// "Connection settings"), once per request: the general settings
// (pricing.*, search.*) here, each distributor's own with the Reader in the
// distributor's package. It also describes the general settings for the
// admin dialog in neutral terms (Field), as each distributor describes its
// own; package dialog turns the descriptions into SuperOffice's carriers,
// which this package knows nothing of.
package settings

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Secret is a credential from ConfigValues. It prints as a redaction marker so
// that logging a settings struct can never leak it.
type Secret string

func (s Secret) String() string { return redact(s) }

// GoString keeps %#v from printing the value too.
func (s Secret) GoString() string { return redact(s) }

// MarshalJSON redacts the value in JSON output.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redact(s) + `"`), nil }

// Reveal returns the credential for the one place that sends it upstream.
func (s Secret) Reveal() string { return string(s) }

func redact(s Secret) string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// Pricing is how UnitListPrice and UnitMinimumPrice follow from cost, and
// which other currencies are quoted by conversion.
type Pricing struct {
	ListPrice        string  // "rrp" or "markup"
	MarkupPercent    float64 // markup on cost
	MinMarginPercent float64 // UnitMinimumPrice = cost × (1 + this/100)
	// Currencies are offered as converted price lists besides each
	// distributor's own (pricing.currencies); empty = every currency the
	// rates know.
	Currencies []string
	// FXMarginPercent is added to a converted cost (currency risk).
	FXMarginPercent float64
	// FXRates are the connection's fixed rates, units per 1 EUR by ISO
	// code (pricing.fxRates); they override the rate source.
	FXRates map[string]decimal.Decimal
}

// Connection is one quote connection's settings: the general ones, read
// here, and each registered distributor's own, read by its factory
// (distributors.Registry.Parse fills both, once per call).
type Connection struct {
	Pricing    Pricing
	MaxResults int
	// Distributors are the distributors' own settings by distributor name,
	// each as its factory's Parse returned it. Nil when only the general
	// settings were read (Parse).
	Distributors map[string]any
}

// Problem is a setting whose value could not be read (the default was
// used) or was out of range (Used says what was used instead).
type Problem struct {
	Key, Value, Want string
	Used             string
}

func (p Problem) Error() string {
	if p.Used != "" {
		return fmt.Sprintf("setting %s: %q is not %s (using %s)", p.Key, p.Value, p.Want, p.Used)
	}
	return fmt.Sprintf("setting %s: %q is not %s", p.Key, p.Value, p.Want)
}

// Sane ranges of the number settings. A value outside is clamped to the
// range and reported, so a typo can neither crash a call (1e300 % markup
// makes prices infinite, which JSON cannot carry) nor ask a distributor for
// two billion products.
const (
	MaxSearchResults = 500 // configuration.md: search.maxResults "at most 500"
	maxPercent       = 1000
	// maxFXMarginPercent bounds the currency margin: a risk surcharge, not
	// a markup (that is pricing.markupPercent).
	maxFXMarginPercent = 100
	minMarginFloor     = -100 // below, the minimum price would be negative
)

// Parse reads the general settings of ConfigValues (pricing.*, search.*).
// Culture markers are stripped, unknown keys ignored; a value that cannot
// be read falls back to the default and is reported as a Problem (the
// caller shows it, e.g. in TestConnection). The distributors' own settings
// are their factories' to read: distributors.Registry.Parse reads both.
func Parse(values map[string]string) (Connection, []Problem) {
	r := NewReader(values)
	c := ReadGeneral(r)
	return c, r.Problems()
}

// ReadGeneral reads the general settings with r, which collects their
// problems.
func ReadGeneral(r *Reader) Connection {
	return Connection{
		Pricing: Pricing{
			ListPrice:        r.Choice(KeyPricingListPrice, "markup", "rrp", "markup"),
			MarkupPercent:    r.Float(KeyPricingMarkupPercent, 20, 0, maxPercent),
			MinMarginPercent: r.Float(KeyPricingMinMarginPercent, 5, minMarginFloor, maxPercent),
			Currencies:       r.currencies(KeyPricingCurrencies),
			FXMarginPercent:  r.Float(KeyPricingFXMarginPercent, 0, 0, maxFXMarginPercent),
			FXRates:          r.rates(KeyPricingFXRates),
		},
		MaxResults: r.maxResults(),
	}
}

// maxResults is search.maxResults: 1 to MaxSearchResults; zero or less
// keeps the default 50.
func (r *Reader) maxResults() int {
	const def = 50
	v, ok := r.get(KeySearchMaxResults)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		r.report(Problem{Key: KeySearchMaxResults, Value: v, Want: "an integer"})
		return def
	}
	used := n
	switch {
	case n < 1:
		used = def
	case n > MaxSearchResults:
		used = MaxSearchResults
	default:
		return n
	}
	r.report(Problem{Key: KeySearchMaxResults, Value: v, Want: fmt.Sprintf("between 1 and %d", MaxSearchResults), Used: strconv.Itoa(used)})
	return used
}

// currencyCode is an ISO 4217 code as the service writes it.
var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// currencies reads a comma list of ISO codes, upper-cased, without
// repeats; an entry that is no code is reported and left out.
func (r *Reader) currencies(key string) []string {
	v, ok := r.get(key)
	if !ok {
		return nil
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.ToUpper(strings.TrimSpace(p))
		switch {
		case p == "":
		case !currencyCode.MatchString(p):
			r.report(Problem{Key: key, Value: p, Want: "an ISO currency code such as NOK"})
		case !containsString(out, p):
			out = append(out, p)
		}
	}
	return out
}

// rates reads fixed exchange rates, "NOK=11.7215,SEK=11.0480": units per
// 1 EUR. An item that is not CODE=positive number is reported and left
// out; the others still apply. EUR itself is 1 by definition and cannot
// be set.
func (r *Reader) rates(key string) map[string]decimal.Decimal {
	v, ok := r.get(key)
	if !ok {
		return nil
	}
	out := map[string]decimal.Decimal{}
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		code, num, found := strings.Cut(item, "=")
		code = strings.ToUpper(strings.TrimSpace(code))
		rate, err := decimal.NewFromString(strings.TrimSpace(num))
		if !found || !currencyCode.MatchString(code) || code == "EUR" || err != nil || !rate.IsPositive() {
			r.report(Problem{Key: key, Value: item, Want: "CODE=rate, units of the currency per 1 EUR, e.g. NOK=11.7215"})
			continue
		}
		out[code] = rate
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// FXRatesText writes fixed rates back in the pricing.fxRates form, sorted
// by code (for the operator's view).
func FXRatesText(rates map[string]decimal.Decimal) string {
	codes := make([]string, 0, len(rates))
	for c := range rates {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = c + "=" + rates[c].String()
	}
	return strings.Join(parts, ",")
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
