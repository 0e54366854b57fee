// Package settings reads a connection's ConfigValues (configuration.md,
// "Connection settings") into a typed struct, once per request. It knows
// nothing of SuperOffice's carriers: the admin dialog that edits these
// values is package dialog.
package settings

import (
	"errors"
	"fmt"
	"math"
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

type Logicom struct {
	Enabled           bool
	CustomerID        string
	ConsumerKey       Secret
	ConsumerSecret    Secret
	AccessTokenKey    Secret
	Environment       string // "production" or "staging"
	Currencies        []string
	ShopAccountEmail  string
	StockVerification bool
	DeliveryMethod    string
	ShipToAddressID   string
	InvoiceType       string
	// SignatureOmitsCustomerID leaves CustomerId out of GenerateSignature,
	// as the seed's worked example does (its table puts it in; the zero
	// value keeps it, the default). logicom.signatureIncludesCustomerId.
	SignatureOmitsCustomerID bool
}

type Westcon struct {
	Enabled         bool
	TenantID        string
	ClientID        string
	ClientSecret    Secret
	Resource        string
	SubscriptionKey Secret
	PartnerKey      string
	Language        string
}

type Nuvias struct {
	Enabled      bool
	ClientID     string
	ClientSecret Secret
	ShippingType int
	PartShip     bool
}

// Connection is one quote connection's settings.
type Connection struct {
	Pricing    Pricing
	MaxResults int
	Logicom    Logicom
	Westcon    Westcon
	Nuvias     Nuvias
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

// Parse reads ConfigValues. Culture markers are stripped, unknown keys
// ignored; a value that cannot be read falls back to the default and is
// reported as a Problem (the caller shows it, e.g. in TestConnection).
func Parse(values map[string]string) (Connection, []Problem) {
	r := reader{values: values}
	c := Connection{
		Pricing: Pricing{
			ListPrice:        r.choice(KeyPricingListPrice, "markup", "rrp", "markup"),
			MarkupPercent:    r.floatIn(KeyPricingMarkupPercent, 20, 0, maxPercent),
			MinMarginPercent: r.floatIn(KeyPricingMinMarginPercent, 5, minMarginFloor, maxPercent),
			Currencies:       r.currencies(KeyPricingCurrencies),
			FXMarginPercent:  r.floatIn(KeyPricingFXMarginPercent, 0, 0, maxFXMarginPercent),
			FXRates:          r.rates(KeyPricingFXRates),
		},
		MaxResults: r.maxResults(),
		Logicom: Logicom{
			Enabled:           r.bool(KeyLogicomEnabled, false),
			CustomerID:        r.str(KeyLogicomCustomerID, ""),
			ConsumerKey:       Secret(r.str(KeyLogicomConsumerKey, "")),
			ConsumerSecret:    Secret(r.str(KeyLogicomConsumerSecret, "")),
			AccessTokenKey:    Secret(r.str(KeyLogicomAccessTokenKey, "")),
			Environment:       r.choice(KeyLogicomEnvironment, "production", "production", "staging"),
			Currencies:        r.list(KeyLogicomCurrencies, []string{"EUR"}),
			ShopAccountEmail:  r.str(KeyLogicomShopAccountEmail, ""),
			StockVerification: r.bool(KeyLogicomStockVerification, true),
			DeliveryMethod:    r.str(KeyLogicomDeliveryMethod, "Default"),
			ShipToAddressID:   r.str(KeyLogicomShipToAddressID, "DEFAULT"),
			InvoiceType:       r.str(KeyLogicomInvoiceType, ""),
			// Zero value = included, so a struct built by hand signs as
			// before.
			SignatureOmitsCustomerID: !r.bool(KeyLogicomSignatureIncludesCustomerID, true),
		},
		Westcon: Westcon{
			Enabled:         r.bool(KeyWestconEnabled, false),
			TenantID:        r.str(KeyWestconTenantID, ""),
			ClientID:        r.str(KeyWestconClientID, ""),
			ClientSecret:    Secret(r.str(KeyWestconClientSecret, "")),
			Resource:        r.str(KeyWestconResource, ""),
			SubscriptionKey: Secret(r.str(KeyWestconSubscriptionKey, "")),
			PartnerKey:      r.str(KeyWestconPartnerKey, ""),
			Language:        r.str(KeyWestconLanguage, "EN"),
		},
		Nuvias: Nuvias{
			Enabled:      r.bool(KeyNuviasEnabled, false),
			ClientID:     r.str(KeyNuviasClientID, ""),
			ClientSecret: Secret(r.str(KeyNuviasClientSecret, "")),
			ShippingType: r.intIn(KeyNuviasShippingType, 0, 0, math.MaxInt32),
			PartShip:     r.bool(KeyNuviasPartShip, true),
		},
	}
	return c, r.problems
}

// HasDistributorKeys reports whether values configure any distributor; the
// sandbox fills in its own accounts for calls that carry none.
func HasDistributorKeys(values map[string]string) bool {
	for k := range values {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "logicom.") || strings.HasPrefix(lk, "westcon.") || strings.HasPrefix(lk, "nuvias.") {
			return true
		}
	}
	return false
}

// WithDefaults is values with defaults filled in when values configure no
// distributor (sandbox mode: the simulators' accounts); used reports
// whether the defaults were used. values wins where both set a key.
func WithDefaults(values, defaults map[string]string) (merged map[string]string, used bool) {
	if defaults == nil || HasDistributorKeys(values) {
		return values, false
	}
	merged = make(map[string]string, len(defaults)+len(values))
	for k, v := range defaults {
		merged[k] = v
	}
	for k, v := range values {
		merged[k] = v
	}
	return merged, true
}

type reader struct {
	values   map[string]string
	problems []Problem
}

// get finds a key case-insensitively (SuperOffice may change the case) and
// strips a culture marker.
func (r *reader) get(key string) (string, bool) {
	v, ok := r.values[key]
	if !ok {
		for k, val := range r.values {
			if strings.EqualFold(k, key) {
				v, ok = val, true
				break
			}
		}
	}
	if !ok {
		return "", false
	}
	v = stripMarker(v)
	return v, v != ""
}

// cultureMarker is one SuperOffice culture marker around a whole value
// ("[I:1]", "[F:20]", "[DT:…]"; protocol §10.3), which configuration.md
// says to strip before reading.
var cultureMarker = regexp.MustCompile(`^\[(DT|D|F|I|M|B):([^\[\]]*)\]$`)

func stripMarker(s string) string {
	s = strings.TrimSpace(s)
	if m := cultureMarker.FindStringSubmatch(s); m != nil {
		return m[2]
	}
	return s
}

func (r *reader) str(key, def string) string {
	if v, ok := r.get(key); ok {
		return v
	}
	return def
}

func (r *reader) bool(key string, def bool) bool {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	r.problems = append(r.problems, Problem{Key: key, Value: v, Want: "a checkbox value (1/0)"})
	return def
}

// intIn reads an integer and clamps it to [lo, hi]; a value too long for an
// int counts as out of range, not unreadable.
func (r *reader) intIn(key string, def, lo, hi int) int {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		r.problems = append(r.problems, Problem{Key: key, Value: v, Want: "an integer"})
		return def
	}
	return clamp(r, key, v, n, lo, hi)
}

// maxResults is search.maxResults: 1 to MaxSearchResults; zero or less
// keeps the default 50.
func (r *reader) maxResults() int {
	const def = 50
	v, ok := r.get(KeySearchMaxResults)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		r.problems = append(r.problems, Problem{Key: KeySearchMaxResults, Value: v, Want: "an integer"})
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
	r.problems = append(r.problems, Problem{Key: KeySearchMaxResults, Value: v, Want: fmt.Sprintf("between 1 and %d", MaxSearchResults), Used: strconv.Itoa(used)})
	return used
}

// floatIn reads a number and clamps it to [lo, hi].
func (r *reader) floatIn(key string, def, lo, hi float64) float64 {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	// "Inf" and "NaN" parse without error but would make every price
	// infinite or NaN, which JSON cannot carry (protocol §1.2).
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		r.problems = append(r.problems, Problem{Key: key, Value: v, Want: "a number"})
		return def
	}
	return clamp(r, key, v, f, lo, hi)
}

func clamp[N int | float64](r *reader, key, raw string, n, lo, hi N) N {
	used := n
	switch {
	case n < lo:
		used = lo
	case n > hi:
		used = hi
	default:
		return n
	}
	r.problems = append(r.problems, Problem{Key: key, Value: raw, Want: fmt.Sprintf("between %v and %v", lo, hi), Used: fmt.Sprint(used)})
	return used
}

func (r *reader) choice(key, def string, allowed ...string) string {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	for _, a := range allowed {
		if strings.EqualFold(a, v) {
			return a
		}
	}
	r.problems = append(r.problems, Problem{Key: key, Value: v, Want: "one of " + strings.Join(allowed, ", ")})
	return def
}

func (r *reader) list(key string, def []string) []string {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.ToUpper(strings.TrimSpace(p)); p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return def
	}
	return out
}

// currencyCode is an ISO 4217 code as the service writes it.
var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// currencies reads a comma list of ISO codes, upper-cased, without
// repeats; an entry that is no code is reported and left out.
func (r *reader) currencies(key string) []string {
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
			r.problems = append(r.problems, Problem{Key: key, Value: p, Want: "an ISO currency code such as NOK"})
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
func (r *reader) rates(key string) map[string]decimal.Decimal {
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
			r.problems = append(r.problems, Problem{Key: key, Value: item, Want: "CODE=rate, units of the currency per 1 EUR, e.g. NOK=11.7215"})
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
