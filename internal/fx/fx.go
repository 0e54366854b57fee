// Package fx converts distributor prices into the quote's currency: the
// reference rates (ECB daily format, units per 1 EUR) fetched from
// QC_FX_URL and kept in the store as the last good set (feed.go), a
// connection's fixed rates laid over them (Book), and the conversion itself
// in decimal arithmetic with one rounding rule (RoundMoney). Carriers keep
// float64: a converted amount leaves this package rounded to the target
// currency's minor unit, so the float carries exactly the money it means.
package fx

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Base is the currency every reference rate is quoted against.
const Base = "EUR"

var hundred = decimal.NewFromInt(100)

// Rate is one currency's rate: units of Currency per 1 EUR.
type Rate struct {
	Currency string
	PerEUR   decimal.Decimal
	// Date is the reference day of a rate from the rate source; zero for
	// the euro itself and for a connection's fixed rate.
	Date time.Time
	// Fixed: set by the connection (pricing.fxRates), not the rate source.
	Fixed bool
}

// Table is one day's reference rates from the rate source.
type Table struct {
	// Date is the rates' reference day (ECB: the Cube's time), 00:00 UTC.
	Date time.Time
	// Rates are units per 1 EUR by ISO code; EUR itself is not listed.
	Rates map[string]decimal.Decimal
	// Source is where they came from (a URL without credentials or query).
	Source    string
	FetchedAt time.Time
}

// IsZero reports whether the table holds no rate.
func (t Table) IsZero() bool { return len(t.Rates) == 0 }

// Currencies lists the table's currencies, sorted, EUR not included.
func (t Table) Currencies() []string {
	out := make([]string, 0, len(t.Rates))
	for c := range t.Rates {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Book is the rates one connection converts with: the rate source's table,
// the connection's fixed rates over it (pricing.fxRates) and its currency
// margin (pricing.fxMarginPercent).
type Book struct {
	Table         Table
	Fixed         map[string]decimal.Decimal
	MarginPercent decimal.Decimal
}

// NewBook returns the book of a connection. A margin that is not a finite
// number counts as none.
func NewBook(t Table, fixed map[string]decimal.Decimal, marginPercent float64) Book {
	b := Book{Table: t, Fixed: fixed}
	if !math.IsNaN(marginPercent) && !math.IsInf(marginPercent, 0) {
		b.MarginPercent = decimal.NewFromFloat(marginPercent)
	}
	return b
}

// Rate returns cur's rate against the euro: a fixed rate of the connection
// before the rate source's.
func (b Book) Rate(cur string) (Rate, bool) {
	cur = strings.ToUpper(strings.TrimSpace(cur))
	if cur == Base {
		return Rate{Currency: Base, PerEUR: decimal.NewFromInt(1)}, true
	}
	if r, ok := b.Fixed[cur]; ok && r.IsPositive() {
		return Rate{Currency: cur, PerEUR: r, Fixed: true}, true
	}
	if r, ok := b.Table.Rates[cur]; ok && r.IsPositive() {
		return Rate{Currency: cur, PerEUR: r, Date: b.Table.Date}, true
	}
	return Rate{}, false
}

// Knows reports whether the book has a rate for cur.
func (b Book) Knows(cur string) bool {
	_, ok := b.Rate(cur)
	return ok
}

// Currencies lists every currency the book can convert between, sorted:
// the euro, the rate source's and the fixed ones. Empty when the book
// holds no rate at all (the euro alone converts nothing).
func (b Book) Currencies() []string {
	set := map[string]bool{}
	for c := range b.Table.Rates {
		set[c] = true
	}
	for c := range b.Fixed {
		set[c] = true
	}
	if len(set) == 0 {
		return nil
	}
	set[Base] = true
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// MissingRateError says that a conversion needs a rate the book does not
// have: the amount is not converted at all, never with a guessed rate.
type MissingRateError struct {
	From, To string
	// Missing lists the currencies without a rate.
	Missing []string
}

func (e *MissingRateError) Error() string {
	return fmt.Sprintf("no exchange rate for %s (converting %s to %s)", strings.Join(e.Missing, " and "), e.From, e.To)
}

// IsMissingRate reports whether err is a *MissingRateError.
func IsMissingRate(err error) bool {
	var m *MissingRateError
	return errors.As(err, &m)
}

// Conversion returns how to convert from one currency into another:
// through the euro (cross rate = to/EUR ÷ from/EUR), with the book's
// margin.
func (b Book) Conversion(from, to string) (Conversion, error) {
	from, to = strings.ToUpper(strings.TrimSpace(from)), strings.ToUpper(strings.TrimSpace(to))
	fr, okFrom := b.Rate(from)
	tr, okTo := b.Rate(to)
	if !okFrom || !okTo {
		e := &MissingRateError{From: from, To: to}
		if !okFrom {
			e.Missing = append(e.Missing, from)
		}
		if !okTo {
			e.Missing = append(e.Missing, to)
		}
		return Conversion{}, e
	}
	return Conversion{From: fr, To: tr, MarginPercent: b.MarginPercent}, nil
}

// Conversion converts amounts from one currency into another.
type Conversion struct {
	From, To      Rate
	MarginPercent decimal.Decimal
}

// Cost converts a distributor's cost: amount × to/EUR ÷ from/EUR × (1 +
// margin/100), rounded by RoundMoney's rule to the target currency.
func (c Conversion) Cost(amount float64) float64 { return c.convert(amount, c.MarginPercent) }

// Price converts an amount that is no cost of the reseller (a recommended
// retail price): at the rate, without the currency margin.
func (c Conversion) Price(amount float64) float64 { return c.convert(amount, decimal.Zero) }

// convert is the one formula: the numerator and the denominator are exact
// decimals and the quotient is rounded once, to the target's minor unit.
func (c Conversion) convert(amount float64, margin decimal.Decimal) float64 {
	if amount == 0 || math.IsNaN(amount) || math.IsInf(amount, 0) {
		return 0
	}
	num := decimal.NewFromFloat(amount).Mul(c.To.PerEUR).Mul(hundred.Add(margin))
	den := c.From.PerEUR.Mul(hundred)
	return roundedQuotient(num, den, c.To.Currency).InexactFloat64()
}

// Factor is the cross rate, units of To per 1 From, to 6 decimals (for
// display: amounts are converted with the full rates).
func (c Conversion) Factor() decimal.Decimal {
	return c.To.PerEUR.DivRound(c.From.PerEUR, 6)
}

// Date is the reference day of the oldest rate-source rate the conversion
// uses; zero when it uses only fixed rates and the euro.
func (c Conversion) Date() time.Time {
	var d time.Time
	for _, r := range []Rate{c.From, c.To} {
		if !r.Date.IsZero() && (d.IsZero() || r.Date.Before(d)) {
			d = r.Date
		}
	}
	return d
}

// Fixed reports whether a connection's fixed rate is part of the
// conversion.
func (c Conversion) Fixed() bool { return c.From.Fixed || c.To.Fixed }

// OlderThan reports whether a rate-source rate of the conversion is older
// than maxAge at now (QC_FX_MAX_AGE). Fixed rates never age.
func (c Conversion) OlderThan(maxAge time.Duration, now time.Time) bool {
	d := c.Date()
	return maxAge > 0 && !d.IsZero() && now.Sub(d) > maxAge
}

// Cross reports whether the conversion goes through the euro between two
// other currencies.
func (c Conversion) Cross() bool { return c.From.Currency != Base && c.To.Currency != Base }

// RoundMoney is the service's one rounding rule for money it computes
// itself: half away from zero, to the currency's minor unit (ISO 4217;
// 2 decimals unless listed in minorUnits). Converted amounts are rounded
// once, by this rule (convert), never twice.
func RoundMoney(d decimal.Decimal, currency string) decimal.Decimal {
	return d.Round(MinorUnits(currency))
}

// roundedQuotient is num ÷ den rounded by RoundMoney's rule.
// decimal.DivRound rounds half away from zero, as Round does.
func roundedQuotient(num, den decimal.Decimal, currency string) decimal.Decimal {
	return num.DivRound(den, MinorUnits(currency))
}

// minorUnits lists the currencies (of those the ECB publishes, and a few
// more) whose minor unit is not the cent.
var minorUnits = map[string]int32{"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "TND": 3}

// MinorUnits is the number of decimals of currency's minor unit.
func MinorUnits(currency string) int32 {
	if n, ok := minorUnits[strings.ToUpper(currency)]; ok {
		return n
	}
	return 2
}
