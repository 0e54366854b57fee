// Package fxsim is the sandbox's exchange-rate feed: the ECB's daily
// reference-rate document (configuration.md, QC_FX_URL) with fixed rates
// dated today, so the sandbox quotes in NOK, SEK or DKK without network.
// Faults are set like on the distributor simulators, at /_control/faults
// (a 503 burst, errors, a hang, or a garbage body), to show what the
// service does when its rate source fails.
package fxsim

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
)

// Path is where the document is served, as on the ECB's site.
const Path = "/eurofxref-daily.xml"

// Rate is one currency's fixed sandbox rate, units per 1 EUR.
type Rate struct{ Currency, Rate string }

// Rates are the sandbox's rates: plausible, fixed, so that docs and tests
// can show converted prices computed by hand.
var Rates = []Rate{
	{"USD", "1.0823"}, {"JPY", "161.25"}, {"CZK", "24.785"}, {"DKK", "7.4560"}, {"GBP", "0.8541"},
	{"PLN", "4.3250"}, {"SEK", "11.0480"}, {"CHF", "0.9390"}, {"NOK", "11.7215"},
}

// Server serves the document.
type Server struct {
	now func() time.Time
	inj *faults.Injector
}

// New returns a feed whose rates are dated now's day (UTC).
func New(now func() time.Time) *Server {
	if now == nil {
		now = time.Now
	}
	return &Server{now: now, inj: faults.New()}
}

// Faults is the feed's fault injector.
func (s *Server) Faults() *faults.Injector { return s.inj }

// Handler serves Path and /_control/faults.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+Path, s.inj.Wrap(http.HandlerFunc(s.serveRates)))
	mux.Handle("/_control/faults", s.inj)
	return mux
}

func (s *Server) serveRates(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write([]byte(Document(s.now())))
}

// Document is the ECB's daily file with the sandbox rates of day: its
// layout (two namespaces, single-quoted attributes) as the ECB publishes
// it.
func Document(day time.Time) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>quoteconnector sandbox (fixed rates, not the European Central Bank's)</gesmes:name>
	</gesmes:Sender>
	<Cube>
`)
	fmt.Fprintf(&b, "\t\t<Cube time='%s'>\n", day.UTC().Format("2006-01-02"))
	for _, r := range Rates {
		fmt.Fprintf(&b, "\t\t\t<Cube currency='%s' rate='%s'/>\n", r.Currency, r.Rate)
	}
	b.WriteString("\t\t</Cube>\n\t</Cube>\n</gesmes:Envelope>\n")
	return b.String()
}
