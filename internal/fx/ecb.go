package fx

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// MaxFeedBytes bounds a rate document: the ECB's daily file is about 2 KB
// and its 90-day history about 100 KB.
const MaxFeedBytes = 1 << 20

// ecbEnvelope is the ECB's reference-rate document (configuration.md,
// QC_FX_URL): <gesmes:Envelope><Cube><Cube time="YYYY-MM-DD"><Cube
// currency="USD" rate="1.0823"/>…. Element names match without their
// namespace, as the ECB's own files use two.
type ecbEnvelope struct {
	XMLName xml.Name `xml:"Envelope"`
	Days    []struct {
		Time  string `xml:"time,attr"`
		Rates []struct {
			Currency string `xml:"currency,attr"`
			Rate     string `xml:"rate,attr"`
		} `xml:"Cube"`
	} `xml:"Cube>Cube"`
}

var isoCode = regexp.MustCompile(`^[A-Z]{3}$`)

// ParseECB reads a document in the ECB's reference-rate format and returns
// its newest day (the daily file has one, the history files many). It is
// strict, because a wrong rate prices every converted line wrongly: a
// document that is not that format, a day without rates, a rate that is
// not a positive number, a currency that is not an ISO code or appears
// twice, or a day after now plus a day (time zones aside, the ECB
// publishes no rate in advance) is an error, and nothing of it is used.
func ParseECB(r io.Reader, now time.Time) (Table, error) {
	var env ecbEnvelope
	dec := xml.NewDecoder(io.LimitReader(r, MaxFeedBytes))
	if err := dec.Decode(&env); err != nil {
		return Table{}, fmt.Errorf("not an ECB reference-rate document: %w", err)
	}
	if len(env.Days) == 0 {
		return Table{}, errors.New("no <Cube time=...> day in the document")
	}
	newest := -1
	var newestDay time.Time
	for i, d := range env.Days {
		day, err := time.Parse("2006-01-02", strings.TrimSpace(d.Time))
		if err != nil {
			return Table{}, fmt.Errorf("day %q is not YYYY-MM-DD", d.Time)
		}
		if newest < 0 || day.After(newestDay) {
			newest, newestDay = i, day
		}
	}
	if newestDay.After(now.Add(24 * time.Hour)) {
		return Table{}, fmt.Errorf("rates dated %s, in the future", newestDay.Format("2006-01-02"))
	}
	t := Table{Date: newestDay, Rates: map[string]decimal.Decimal{}}
	for _, r := range env.Days[newest].Rates {
		cur := strings.TrimSpace(r.Currency)
		if !isoCode.MatchString(cur) || cur == Base {
			return Table{}, fmt.Errorf("currency %q is not an ISO code of a currency other than EUR", r.Currency)
		}
		if _, dup := t.Rates[cur]; dup {
			return Table{}, fmt.Errorf("currency %s appears twice", cur)
		}
		rate, err := decimal.NewFromString(strings.TrimSpace(r.Rate))
		if err != nil || !rate.IsPositive() {
			return Table{}, fmt.Errorf("rate %q of %s is not a positive number", r.Rate, cur)
		}
		t.Rates[cur] = rate
	}
	if len(t.Rates) == 0 {
		return Table{}, fmt.Errorf("no rate on %s", newestDay.Format("2006-01-02"))
	}
	return t, nil
}
