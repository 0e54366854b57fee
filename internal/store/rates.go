package store

import (
	"context"
	"time"
)

// RateRecord is the last good set of exchange rates of one rate source
// (configuration.md: QC_FX_URL, "the last good rates are kept in the
// store"), so that a restart without network still converts.
type RateRecord struct {
	// Name identifies the rate source in the service ("reference"), not its
	// address: a feed that moves (the sandbox's port changes every run)
	// still finds the rates it left.
	Name string
	// Source is where the rates came from, for the operator (a URL without
	// credentials).
	Source string
	// Date is the rates' reference day.
	Date time.Time
	// Rates are units of each currency per 1 EUR, as decimal text exactly
	// as received (the store does no arithmetic on money).
	Rates     map[string]string
	FetchedAt time.Time
}

// Rates stores the last good exchange rates.
type Rates interface {
	// PutRates stores rec under its name unless the record already stored
	// there has a later Date (two replicas fetching at once never move the
	// rates back a day). It reports whether rec was stored.
	PutRates(ctx context.Context, rec RateRecord) (bool, error)
	// GetRates returns ErrNotFound when nothing is stored under name.
	GetRates(ctx context.Context, name string) (RateRecord, error)
}
