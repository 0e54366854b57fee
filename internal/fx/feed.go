package fx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/shopspring/decimal"

	"github.com/quoteconnector/quoteconnector/internal/store"
)

// StoreName is the name the reference rates are kept under in the store.
// It names the role, not the address: the rates of a feed that moved (the
// sandbox's port changes every run) are still found after a restart.
const StoreName = "reference"

// Fetch outcomes, as counted by an Observer.
const (
	OutcomeOK          = "ok"          // new rates held
	OutcomeUnavailable = "unavailable" // no answer, a transport error or a status other than 200
	OutcomeInvalid     = "invalid"     // an answer that is not a valid rate document
	OutcomeOutdated    = "outdated"    // valid rates, but older than those held
)

// Observer is told about every fetch (metrics).
type Observer interface {
	// RatesFetched reports a fetch's outcome and the reference day of the
	// rates held afterwards (zero when none).
	RatesFetched(outcome string, held time.Time)
}

// FeedOptions configure a Feed.
type FeedOptions struct {
	// URL is the rate document (QC_FX_URL); empty means no rate source:
	// only rates kept in the store and fixed rates convert.
	URL string
	// HTTP fetches the document; default a client with Timeout.
	HTTP *http.Client
	// Timeout bounds one fetch; default 10 s.
	Timeout  time.Duration
	Store    store.Rates
	Observer Observer
	Logger   zerolog.Logger
	Now      func() time.Time
}

// Status is what an operator sees of the rates (the console's Rates page).
type Status struct {
	// Source is the rate document's address without credentials or query;
	// empty when no rate source is configured.
	Source string
	// Table is the rates every conversion uses now (zero: none yet).
	Table Table
	// FromStore: the rates were read from the store, not fetched by this
	// process (a restart without network, or another replica's fetch).
	FromStore   bool
	LastAttempt time.Time
	LastSuccess time.Time
	// LastError is why the last fetch did not bring new rates; empty after
	// a good one. It names the source by its sanitised address only.
	LastError string
	// Failures counts fetches in a row that did not bring new rates.
	Failures int
}

// Feed holds the current reference rates: loaded from the store, fetched
// from the rate source, and stored again after every good fetch. A fetch
// that fails or brings garbage keeps the last good rates and says why in
// the log, the Observer and Status. It is safe for concurrent use.
type Feed struct {
	o      FeedOptions
	source string

	mu     sync.RWMutex
	status Status
}

// NewFeed returns a feed without rates; Load and Refresh fill it.
func NewFeed(o FeedOptions) *Feed {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: o.Timeout}
	}
	f := &Feed{o: o, source: sanitize(o.URL)}
	f.status.Source = f.source
	return f
}

// sanitize drops credentials, query and fragment from an address, so it
// can be logged and shown.
func sanitize(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable address)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// Table returns the rates conversions use now.
func (f *Feed) Table() Table {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.status.Table
}

// Status returns the rates, their origin and the last fetch's outcome.
func (f *Feed) Status() Status {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.status
}

// Load reads the last good rates from the store and holds them when they
// are newer than those held. Nothing stored is not an error.
func (f *Feed) Load(ctx context.Context) error {
	if f.o.Store == nil {
		return nil
	}
	rec, err := f.o.Store.GetRates(ctx, StoreName)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("stored exchange rates: %w", err)
	}
	t := Table{Date: rec.Date, Source: rec.Source, FetchedAt: rec.FetchedAt, Rates: map[string]decimal.Decimal{}}
	for cur, s := range rec.Rates {
		r, err := decimal.NewFromString(s)
		if err != nil || !r.IsPositive() || !isoCode.MatchString(cur) {
			return fmt.Errorf("stored exchange rates: rate %q of %q is unusable", s, cur)
		}
		t.Rates[cur] = r
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !t.IsZero() && (f.status.Table.IsZero() || t.Date.After(f.status.Table.Date)) {
		f.status.Table, f.status.FromStore = t, true
	}
	return nil
}

// Refresh fetches the rate document once. New valid rates are held and
// stored; otherwise the rates held stay, and the returned error says why.
// After a failed fetch the store is read again: another replica may have
// fetched newer rates.
func (f *Feed) Refresh(ctx context.Context) error {
	if f.o.URL == "" {
		return nil
	}
	now := f.o.Now()
	t, outcome, err := f.fetch(ctx, now)
	if err == nil && f.held().Date.After(t.Date) {
		outcome, err = OutcomeOutdated, fmt.Errorf("the rates of %s are older than those held (%s)", t.Date.Format("2006-01-02"), f.held().Date.Format("2006-01-02"))
	}
	log := f.o.Logger
	if err != nil {
		err = fmt.Errorf("exchange rates from %s: %w", f.source, err)
		if lerr := f.Load(ctx); lerr != nil {
			log.Warn().Err(lerr).Msg("exchange rates: the store could not be read either")
		}
		f.mu.Lock()
		f.status.LastAttempt, f.status.LastError = now, err.Error()
		f.status.Failures++
		held := f.status.Table.Date
		f.mu.Unlock()
		ev := log.Warn().Err(err).Str("outcome", outcome)
		if held.IsZero() {
			ev.Msg("exchange rates not refreshed and none held: converted prices cannot be computed until a fetch succeeds or fixed rates are set")
		} else {
			ev.Str("rates_date", held.Format("2006-01-02")).Msg("exchange rates not refreshed: keeping the last good rates")
		}
		f.observe(outcome)
		return err
	}
	t.Source, t.FetchedAt = f.source, now
	f.mu.Lock()
	f.status.Table, f.status.FromStore = t, false
	f.status.LastAttempt, f.status.LastSuccess, f.status.LastError, f.status.Failures = now, now, "", 0
	f.mu.Unlock()
	log.Info().Str("rates_date", t.Date.Format("2006-01-02")).Int("currencies", len(t.Rates)).Msg("exchange rates refreshed")
	if f.o.Store != nil {
		rec := store.RateRecord{Name: StoreName, Source: t.Source, Date: t.Date, FetchedAt: now, Rates: make(map[string]string, len(t.Rates))}
		for cur, r := range t.Rates {
			rec.Rates[cur] = r.String()
		}
		if _, err := f.o.Store.PutRates(ctx, rec); err != nil {
			// Held in memory all the same; only a restart without network
			// would miss them.
			log.Warn().Err(err).Msg("exchange rates could not be stored")
		}
	}
	f.observe(OutcomeOK)
	return nil
}

func (f *Feed) held() Table { return f.Table() }

func (f *Feed) observe(outcome string) {
	if f.o.Observer != nil {
		f.o.Observer.RatesFetched(outcome, f.held().Date)
	}
}

// fetch gets and parses the document under the fetch deadline.
func (f *Feed) fetch(ctx context.Context, now time.Time) (Table, string, error) {
	ctx, cancel := context.WithTimeout(ctx, f.o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.o.URL, nil)
	if err != nil {
		return Table{}, OutcomeUnavailable, errors.New("the address is not a valid URL")
	}
	req.Header.Set("Accept", "application/xml, text/xml")
	resp, err := f.o.HTTP.Do(req)
	if err != nil {
		// url.Error repeats the full address; the caller names the
		// sanitised one.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if ctx.Err() != nil {
			err = errors.New("no answer in time")
		}
		return Table{}, OutcomeUnavailable, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Table{}, OutcomeUnavailable, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	t, err := ParseECB(resp.Body, now)
	if err != nil {
		return Table{}, OutcomeInvalid, err
	}
	return t, OutcomeOK, nil
}

// Run refreshes the rates every interval until ctx ends. After a failed
// fetch it tries again sooner (RetryAfterFailure), so an outage at start
// does not leave the service without rates for a whole interval.
func (f *Feed) Run(ctx context.Context, interval time.Duration) {
	if f.o.URL == "" || interval <= 0 {
		return
	}
	wait := interval
	if f.Status().Failures > 0 {
		wait = min(interval, RetryAfterFailure)
	}
	for {
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		wait = interval
		if f.Refresh(ctx) != nil {
			wait = min(interval, RetryAfterFailure)
		}
	}
}

// RetryAfterFailure is how soon Run tries again after a failed fetch.
const RetryAfterFailure = 10 * time.Minute
