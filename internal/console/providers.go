package console

import (
	"context"
	"time"
)

// The catalog sync and the exchange rates are other parts of the service;
// the console reads them through these two interfaces and shows each
// section only when a provider is wired (Options.Catalog, Options.Rates)
// and has something to show.

// CatalogProvider reports the catalog sync: one CatalogStatus per
// distributor account the service indexes itself.
type CatalogProvider interface {
	CatalogStatus(ctx context.Context) ([]CatalogStatus, error)
}

// CatalogStatus is one distributor account's local catalog.
type CatalogStatus struct {
	Distributor string // "logicom"
	Account     string // distributors.Distributor.Account(): never a credential
	Items       int    // items in the local index
	// LastFull and LastIncremental are when the last full and incremental
	// syncs finished; zero: never.
	LastFull, LastIncremental time.Time
	// Syncing: a sync runs now, Full or incremental, started at Started,
	// Done of Total items so far (Total 0: not known yet).
	Syncing     bool
	Full        bool
	Started     time.Time
	Done, Total int
	// LastError is the last failed sync's error, free of secrets; "" when
	// the last sync succeeded.
	LastError   string
	LastErrorAt time.Time
}

// Percent is the running sync's progress, 0..100.
func (c CatalogStatus) Percent() int {
	if c.Total <= 0 {
		return 0
	}
	return min(100, c.Done*100/c.Total)
}

// ETA estimates the time left of the running sync from its pace so far;
// 0 when it cannot tell yet.
func (c CatalogStatus) ETA(now time.Time) time.Duration {
	if !c.Syncing || c.Done <= 0 || c.Total <= c.Done || c.Started.IsZero() {
		return 0
	}
	elapsed := now.Sub(c.Started)
	return time.Duration(float64(elapsed) * float64(c.Total-c.Done) / float64(c.Done)).Round(time.Second)
}

// RatesProvider reports the exchange rates in use.
type RatesProvider interface {
	Rates(ctx context.Context) (Rates, error)
}

// Rates are the current exchange rates.
type Rates struct {
	Base   string    // "EUR": rates are units of a currency per 1 Base
	Date   time.Time // the rates' own date (the source's)
	Source string    // where they come from, e.g. the feed's URL without its query
	// FetchedAt is when they were last fetched; zero when they come from
	// the store after a restart and were not fetched since.
	FetchedAt time.Time
	Rates     []Rate
	// LastError is the last failed fetch's error; "" when it succeeded.
	LastError   string
	LastErrorAt time.Time
}

// Rate is one currency's rate.
type Rate struct {
	Currency string
	Rate     float64 // units per 1 Base
}
