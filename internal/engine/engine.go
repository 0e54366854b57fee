// Package engine answers SuperOffice's calls: it picks the enabled
// distributors of a connection, asks them concurrently with a deadline each,
// merges what they say, applies the pricing policy and the calculation rules
// (internal/quote), and turns distributor trouble into the Status, Reason and
// IsOk values SuperOffice shows. Handlers decode, call the engine, encode.
package engine

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// FailureRecorder counts a distributor failing inside an operation.
type FailureRecorder interface {
	DistributorFailed(distributor, operation string)
}

// Options configure an Engine.
type Options struct {
	Registry *distributors.Registry
	// Now is the clock for special-price windows and LastRecalculated.
	Now func() time.Time
	// DistributorTimeout bounds one distributor's part of a fan-out.
	DistributorTimeout time.Duration
	// LineTimeout bounds a distributor call on the OnQuoteLineChanged path
	// (protocol §2.1: at most 1 s).
	LineTimeout time.Duration
	// ProductCacheTTL is how long fetched price and stock serve line edits.
	ProductCacheTTL time.Duration
	// Ledger records every order before it leaves, so a retry, a restart
	// or a second replica never places one twice.
	Ledger   *ledger.Ledger
	Failures FailureRecorder
	// Rates are the reference exchange rates (nil: only a connection's
	// fixed rates convert).
	Rates RateSource
	// RateMaxAge is QC_FX_MAX_AGE: older rates still convert, and the
	// line warns.
	RateMaxAge time.Duration
	// Calls, Orders and Cache observe the engine for the operator (the
	// console, metrics); each may be nil.
	Calls  CallObserver
	Orders OrderCounter
	Cache  CacheCounter
}

// Engine is safe for concurrent use.
type Engine struct {
	o        Options
	products *productCache
}

// New returns an Engine.
func New(o Options) *Engine {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.DistributorTimeout <= 0 {
		o.DistributorTimeout = 10 * time.Second
	}
	if o.LineTimeout <= 0 || o.LineTimeout > time.Second {
		o.LineTimeout = time.Second
	}
	if o.ProductCacheTTL <= 0 {
		o.ProductCacheTTL = 15 * time.Second
	}
	if o.RateMaxAge <= 0 {
		o.RateMaxAge = DefaultRateMaxAge
	}
	return &Engine{o: o, products: newProductCache(o.ProductCacheTTL, 50000, o.Cache)}
}

// Call is one SuperOffice request as the engine sees it.
type Call struct {
	Tenant       string
	ConnectionID int
	Conn         settings.Connection
	Problems     []settings.Problem
	// Lang is the user's culture (UserLanguageCode), e.g. "nb-NO".
	Lang string
	// NoSettings: the call carried no settings and none were stored for
	// its connection; answers say so instead of only "nothing enabled".
	NoSettings bool
	// Accounts are the enabled distributors' account ids, by name (cache
	// keys).
	Accounts map[string]string
}

// Registry is the registered distributors the engine serves: what the
// handlers and the console ask about connection settings (sandbox
// defaults, titles) without naming a distributor.
func (e *Engine) Registry() *distributors.Registry { return e.o.Registry }

// NewCall reads a call's settings into the engine's view of it.
func (e *Engine) NewCall(tenant string, connectionID int, values map[string]string, lang string, noSettings bool) Call {
	conn, problems := e.o.Registry.Parse(values)
	return Call{Tenant: tenant, ConnectionID: connectionID, Conn: conn, Problems: problems, Lang: lang,
		NoSettings: noSettings, Accounts: e.o.Registry.Accounts(conn)}
}

// UnavailableError means every distributor an operation needed failed and
// the answer type has no status slot: the handler answers 502.
type UnavailableError struct {
	Operation string
	Failures  map[string]error
}

func (e *UnavailableError) Error() string {
	if len(e.Failures) == 0 {
		return e.Operation + ": no distributor available"
	}
	return e.Operation + ": every distributor failed: " + describeFailures(e.Failures)
}

func describeFailures(f map[string]error) string {
	names := make([]string, 0, len(f))
	for n := range f {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = userMessage(f[n])
		if !strings.HasPrefix(parts[i], n) {
			parts[i] = n + ": " + parts[i]
		}
	}
	return strings.Join(parts, "; ")
}

// enabled returns the adapters the connection enables, each observed (see
// observed); those with unusable settings are in failed.
func (e *Engine) enabled(c Call) ([]distributors.Distributor, map[string]error) {
	ds, failed := e.o.Registry.Enabled(c.Conn)
	for i, d := range ds {
		ds[i] = observed{Distributor: d, e: e, call: c}
	}
	return ds, failed
}

// byName returns the enabled adapter with the name, or an error saying why
// there is none.
func (e *Engine) byName(c Call, name string) (distributors.Distributor, error) {
	ds, failed := e.enabled(c)
	for _, d := range ds {
		if d.Name() == name {
			return d, nil
		}
	}
	if err, ok := failed[name]; ok {
		return nil, err
	}
	if c.NoSettings {
		return nil, &distributors.Error{Distributor: name, Kind: distributors.KindConfig, Message: "no connection settings received yet (run Test connection in SuperOffice's quote connection settings)"}
	}
	return nil, &distributors.Error{Distributor: name, Kind: distributors.KindConfig, Message: "not enabled in this connection"}
}

// fanOut runs fn for every distributor concurrently, each under its own
// deadline, and collects results and failures by distributor name. One slow
// or failing distributor never holds up or spoils the others' results.
func fanOut[T any](ctx context.Context, e *Engine, op string, ds []distributors.Distributor, fn func(context.Context, distributors.Distributor) (T, error)) (map[string]T, map[string]error) {
	var mu sync.Mutex
	results := make(map[string]T, len(ds))
	var failures map[string]error
	var wg sync.WaitGroup
	for _, d := range ds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dctx, cancel := context.WithTimeout(ctx, e.o.DistributorTimeout)
			defer cancel()
			v, err := fn(dctx, d)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if failures == nil {
					failures = map[string]error{}
				}
				failures[d.Name()] = err
				if e.o.Failures != nil {
					e.o.Failures.DistributorFailed(d.Name(), op)
				}
				zerolog.Ctx(ctx).Warn().Str("distributor", d.Name()).Str("operation", op).Err(err).Msg("distributor failed")
				return
			}
			results[d.Name()] = v
		}()
	}
	wg.Wait()
	return results, failures
}

// merge joins two failure maps.
func merge(a, b map[string]error) map[string]error {
	if len(b) == 0 {
		return a
	}
	if a == nil {
		a = map[string]error{}
	}
	for k, v := range b {
		a[k] = v
	}
	return a
}

// isUserFacing reports whether err's text may be shown to a user as is.
func isUserFacing(err error) bool {
	var de *distributors.Error
	return errors.As(err, &de)
}

// userMessage is err's text for users: distributor errors are safe by
// construction; a bare deadline (a call cut off before the adapter could
// wrap it, e.g. while waiting for a token) reads as the transport's own
// "no answer in time"; anything else is summarised.
func userMessage(err error) string {
	switch {
	case isUserFacing(err):
		return err.Error()
	case distributors.IsTimeout(err):
		return "no answer in time"
	case errors.Is(err, context.Canceled):
		return "request cancelled"
	}
	return fmt.Sprintf("unexpected failure (%T)", err)
}
