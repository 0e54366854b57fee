// Package ledger makes sure no order is placed twice (configuration.md,
// "Orders"). Before an order leaves, its key is claimed in the store as
// placing (the key is unique, so two replicas cannot both send it);
// afterwards the attempt is recorded as placed, failed or uncertain. A retry
// with the same content gets the recorded result; other content after a
// placed order is refused; an uncertain order is looked up at the
// distributor before anything is sent again.
package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/store"
)

// Line is one product of an order's content.
type Line struct {
	ProductKey string  `json:"key"` // ERPProductKey
	Quantity   float64 `json:"qty"`
}

// Content is the canonical form of an order's lines: sorted, as JSON, and
// its digest. Line order in the quote does not make content different.
func Content(lines []Line) (content, hash string) {
	sorted := append([]Line(nil), lines...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].ProductKey != sorted[j].ProductKey {
			return sorted[i].ProductKey < sorted[j].ProductKey
		}
		return sorted[i].Quantity < sorted[j].Quantity
	})
	b, _ := json.Marshal(sorted)
	sum := sha256.Sum256(b)
	return string(b), hex.EncodeToString(sum[:])
}

// Lines reads content made by Content.
func Lines(content string) ([]Line, error) {
	var out []Line
	err := json.Unmarshal([]byte(content), &out)
	return out, err
}

// Finder looks an order up at its distributor. The engine implements it for
// one distributor of one connection.
type Finder interface {
	// Find looks the order recorded by an uncertain attempt up at the
	// distributor by its reference and lines, placed since the given time.
	Find(ctx context.Context, reference string, lines []Line, since time.Time) (orderID string, found bool, err error)
}

// Sender places one order and finds it again. The engine implements it for
// one distributor and one alternative.
type Sender interface {
	// Send places the order. Its error says whether the distributor
	// created nothing (see Options.IsUncertain).
	Send(ctx context.Context) (orderID string, err error)
	Finder
}

// Request is one distributor's part of a PlaceOrder.
type Request struct {
	Key   store.OrderKey
	Lines []Line
	// Reference is what Find needs to look the order up again (the
	// engine's own encoding; the ledger only keeps it).
	Reference string
}

// Outcome is what became of a request.
type Outcome int

const (
	// Placed: the order exists; OrderID names it.
	Placed Outcome = iota
	// Conflict: an order with other content was placed under the key;
	// nothing was sent; OrderID names the existing order.
	Conflict
	// Failed: the distributor created nothing (this attempt or, for a
	// ledger failure, nothing was sent at all).
	Failed
	// Uncertain: the order may exist; nothing will be sent until it has
	// been looked up.
	Uncertain
	// Busy: another request is placing the same order and did not finish
	// within this request's deadline.
	Busy
)

func (o Outcome) String() string {
	return [...]string{"placed", "conflict", "failed", "uncertain", "busy"}[o]
}

// Outcome labels of Result.Label: the Outcome's name, except that a placed
// order is told apart by how the answer came about.
const (
	// LabelReplayed: the recorded result answered; nothing was sent.
	LabelReplayed = "replayed"
	// LabelReconciled: an uncertain order was found at the distributor.
	LabelReconciled = "reconciled"
)

// Label names the result for metrics (qc_orders_total's outcome): placed
// (sent now), replayed, reconciled, conflict, failed, uncertain or busy.
func (r Result) Label() string {
	if r.Outcome == Placed {
		switch {
		case r.Reconciled:
			return LabelReconciled
		case !r.Sent:
			return LabelReplayed
		}
	}
	return r.Outcome.String()
}

// Result is the outcome of Place.
type Result struct {
	Outcome Outcome
	OrderID string
	// Sent: this call sent the order (as opposed to a recorded result).
	Sent bool
	// Reconciled: an uncertain order was found at the distributor.
	Reconciled bool
	// Err is the cause of Failed or Uncertain: the distributor's error or
	// the ledger's own.
	Err error
}

// Options configure a Ledger.
type Options struct {
	Store store.Ledger
	// Owner names this instance in the rows it claims.
	Owner string
	// IsUncertain tells an error after which the order may exist from a
	// definite refusal.
	IsUncertain func(error) bool
	// StaleAfter: a placing row not finished for this long belongs to an
	// attempt that died (a crash between claim and outcome) and counts as
	// uncertain.
	StaleAfter time.Duration
	// FinishTimeout bounds the write of an outcome; it runs detached from
	// the request, so a caller hanging up cannot lose a placed order.
	FinishTimeout time.Duration
	// PollInterval is how often a request waiting for another replica's
	// attempt looks again.
	PollInterval time.Duration
	Now          func() time.Time
}

// Ledger is safe for concurrent use.
type Ledger struct {
	o     Options
	local keyLocks
}

// New returns a Ledger.
func New(o Options) *Ledger {
	if o.StaleAfter <= 0 {
		o.StaleAfter = 2 * time.Minute
	}
	if o.FinishTimeout <= 0 {
		o.FinishTimeout = 10 * time.Second
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 100 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.IsUncertain == nil {
		o.IsUncertain = func(error) bool { return true }
	}
	return &Ledger{o: o}
}

// Place sends req's order unless the ledger already knows its outcome. A
// request for a key that is being placed waits for that attempt, within
// ctx's deadline.
func (l *Ledger) Place(ctx context.Context, req Request, s Sender) Result {
	// Requests in this process queue here; other replicas are seen
	// through the store's placing rows.
	unlock, err := l.local.lock(ctx, fmt.Sprint(req.Key))
	if err != nil {
		return Result{Outcome: Busy, Err: err}
	}
	defer unlock()

	content, hash := Content(req.Lines)
	rec := store.OrderRecord{Key: req.Key, Content: content, ContentHash: hash, Reference: req.Reference, Owner: l.o.Owner}
	wait := l.o.PollInterval
	for {
		cur, won, err := l.o.Store.ClaimOrder(ctx, rec)
		if err != nil {
			return l.storeFailed(ctx, err)
		}
		if won {
			return l.send(ctx, req.Key, 1, s)
		}
		switch cur.State {
		case store.OrderPlaced:
			if cur.ContentHash == hash {
				return Result{Outcome: Placed, OrderID: cur.OrderID}
			}
			return Result{Outcome: Conflict, OrderID: cur.OrderID}

		case store.OrderFailed:
			if ok, err := l.o.Store.ReclaimOrder(ctx, req.Key, store.OrderFailed, cur.Attempt, rec); err != nil {
				return l.storeFailed(ctx, err)
			} else if ok {
				return l.send(ctx, req.Key, cur.Attempt+1, s)
			}

		case store.OrderUncertain:
			if r, done := l.reconcile(ctx, cur, rec, s); done {
				return r
			}

		case store.OrderPlacing:
			if l.Stale(cur) {
				// The attempt's owner never recorded an outcome: it may have
				// sent the order. Treat it as uncertain and look it up.
				_, err := l.o.Store.FinishOrder(ctx, req.Key, store.OrderPlacing, cur.Attempt, store.OrderUncertain, "", "the attempt did not record its outcome")
				if err != nil {
					return l.storeFailed(ctx, err)
				}
				continue
			}
			select {
			case <-ctx.Done():
				return Result{Outcome: Busy, Err: errors.New("another request is placing this order")}
			case <-time.After(wait):
			}
			wait = min(wait*2, time.Second)
		}
	}
}

// storeFailed is the result of a ledger step that failed before anything
// was sent: Busy when the request's own deadline ended it, else Failed.
func (l *Ledger) storeFailed(ctx context.Context, err error) Result {
	if ctx.Err() != nil {
		return Result{Outcome: Busy, Err: fmt.Errorf("the order could not be checked in time, nothing sent: %w", ctx.Err())}
	}
	return Result{Outcome: Failed, Err: fmt.Errorf("order ledger unavailable, nothing sent: %w", err)}
}

// reconcile resolves an uncertain row: found at the distributor means
// placed; not found means the order may be sent, and it is. done is false
// when another request changed the row meanwhile.
func (l *Ledger) reconcile(ctx context.Context, cur, rec store.OrderRecord, s Sender) (Result, bool) {
	lines, err := Lines(cur.Content)
	if err != nil {
		return Result{Outcome: Uncertain, Err: fmt.Errorf("recorded content unreadable: %w", err)}, true
	}
	// A day before the attempt: distributors filter by order date, and
	// their day may not be ours.
	since := cur.CreatedAt.Add(-24 * time.Hour)
	id, found, err := s.Find(ctx, cur.Reference, lines, since)
	if err != nil {
		return Result{Outcome: Uncertain, Err: err}, true
	}
	log := zerolog.Ctx(ctx).With().Str("distributor", cur.Key.Distributor).Int("quote", cur.Key.QuoteID).Logger()
	if found {
		ok, err := l.o.Store.FinishOrder(ctx, cur.Key, store.OrderUncertain, cur.Attempt, store.OrderPlaced, id, "found at the distributor by its reference")
		if err != nil {
			return Result{Outcome: Uncertain, Err: fmt.Errorf("order ledger unavailable: %w", err)}, true
		}
		if !ok {
			return Result{}, false
		}
		log.Info().Str("order", id).Msg("uncertain order found at the distributor: recorded as placed")
		if cur.ContentHash != rec.ContentHash {
			return Result{Outcome: Conflict, OrderID: id, Reconciled: true}, true
		}
		return Result{Outcome: Placed, OrderID: id, Reconciled: true}, true
	}
	ok, err := l.o.Store.ReclaimOrder(ctx, cur.Key, store.OrderUncertain, cur.Attempt, rec)
	if err != nil {
		return Result{Outcome: Uncertain, Err: fmt.Errorf("order ledger unavailable: %w", err)}, true
	}
	if !ok {
		return Result{}, false
	}
	log.Info().Msg("uncertain order not found at the distributor: sending it")
	return l.send(ctx, cur.Key, cur.Attempt+1, s), true
}

// send places the order of a claimed attempt and records the outcome with
// a context of its own: once the distributor has answered, the answer is
// kept even if the caller has gone.
func (l *Ledger) send(ctx context.Context, key store.OrderKey, attempt int, s Sender) Result {
	id, err := s.Send(ctx)
	r := Result{Outcome: Placed, OrderID: id, Sent: true, Err: err}
	state, msg := store.OrderPlaced, ""
	if err != nil {
		r.Outcome, state, msg = Failed, store.OrderFailed, err.Error()
		if l.o.IsUncertain(err) {
			r.Outcome, state = Uncertain, store.OrderUncertain
		}
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.o.FinishTimeout)
	defer cancel()
	ok, ferr := l.o.Store.FinishOrder(fctx, key, store.OrderPlacing, attempt, state, id, msg)
	if ferr != nil || !ok {
		// The row stays placing; after StaleAfter it counts as uncertain
		// and the next attempt looks the order up before sending.
		zerolog.Ctx(ctx).Error().Err(ferr).Bool("row_changed", !ok).Str("distributor", key.Distributor).
			Str("order", id).Str("outcome", string(state)).Msg("order outcome not recorded in the ledger")
	}
	return r
}

// Operators' steps (the console). An uncertain order that SuperOffice does
// not ask for again stays uncertain; an operator can look it up at the
// distributor (Check) and, when it is not there, record that it was not
// placed (MarkNotPlaced), so the next PlaceOrder sends it. Neither ever
// sends an order.

// ErrChanged: the row is no longer in the state and attempt the operator
// saw; nothing was changed.
var ErrChanged = errors.New("the order changed meanwhile; look again")

// ErrNotChecked: only an uncertain order looked up at the distributor and
// not found there may be marked as not placed.
var ErrNotChecked = errors.New("check the order with the distributor first")

// Stale reports whether rec is a placing row whose attempt died: it never
// recorded an outcome within StaleAfter, so it counts as uncertain.
func (l *Ledger) Stale(rec store.OrderRecord) bool {
	return rec.State == store.OrderPlacing && l.o.Now().Sub(rec.UpdatedAt) > l.o.StaleAfter
}

// Check looks the uncertain order under key, at attempt, up at the
// distributor by its reference. Found: it is recorded as placed, with the
// operator's name. Not found: it stays uncertain, marked as checked (see
// MarkNotPlaced). A placing row whose attempt died (older than
// StaleAfter) counts as uncertain.
func (l *Ledger) Check(ctx context.Context, key store.OrderKey, attempt int, f Finder, by string) (Result, error) {
	cur, err := l.o.Store.GetOrder(ctx, key)
	if err != nil {
		return Result{}, err
	}
	if l.Stale(cur) && cur.Attempt == attempt {
		if _, err := l.o.Store.FinishOrder(ctx, key, store.OrderPlacing, attempt, store.OrderUncertain, "", "the attempt did not record its outcome"); err != nil {
			return Result{}, err
		}
		cur.State = store.OrderUncertain
	}
	if cur.State != store.OrderUncertain || cur.Attempt != attempt {
		return Result{}, ErrChanged
	}
	lines, err := Lines(cur.Content)
	if err != nil {
		return Result{}, fmt.Errorf("recorded content unreadable: %w", err)
	}
	id, found, err := f.Find(ctx, cur.Reference, lines, cur.CreatedAt.Add(-24*time.Hour))
	if err != nil {
		return Result{Outcome: Uncertain, Err: err}, nil
	}
	review := store.OrderReview{To: store.OrderUncertain, Message: "not found at the distributor by its reference (checked by " + by + ")", By: by, Checked: true}
	r := Result{Outcome: Uncertain}
	if found {
		review = store.OrderReview{To: store.OrderPlaced, OrderID: id, Message: "found at the distributor by its reference (checked by " + by + ")", By: by}
		r = Result{Outcome: Placed, OrderID: id, Reconciled: true}
	}
	ok, err := l.o.Store.ReviewOrder(ctx, key, store.OrderUncertain, attempt, review)
	if err != nil {
		return Result{}, err
	}
	if !ok {
		return Result{}, ErrChanged
	}
	zerolog.Ctx(ctx).Info().Str("distributor", key.Distributor).Str("tenant", key.Tenant).Int("quote", key.QuoteID).
		Bool("found", found).Str("order", id).Str("operator", by).Msg("uncertain order checked at the distributor")
	return r, nil
}

// MarkNotPlaced records that the uncertain order under key, at attempt,
// was not placed: the operator checked it (Check found nothing) and says
// so. It becomes failed, so the next PlaceOrder of the alternative sends
// it again.
func (l *Ledger) MarkNotPlaced(ctx context.Context, key store.OrderKey, attempt int, by string) error {
	cur, err := l.o.Store.GetOrder(ctx, key)
	if err != nil {
		return err
	}
	if cur.State != store.OrderUncertain || cur.Attempt != attempt {
		return ErrChanged
	}
	if cur.CheckedAt.IsZero() {
		return ErrNotChecked
	}
	ok, err := l.o.Store.ReviewOrder(ctx, key, store.OrderUncertain, attempt, store.OrderReview{
		To: store.OrderFailed, Message: "marked as not placed by " + by + " after the distributor had no such order", By: by})
	if err != nil {
		return err
	}
	if !ok {
		return ErrChanged
	}
	zerolog.Ctx(ctx).Info().Str("distributor", key.Distributor).Str("tenant", key.Tenant).Int("quote", key.QuoteID).
		Str("operator", by).Msg("uncertain order marked as not placed")
	return nil
}

// keyLocks serialises this process's requests per key; a waiter gives up
// when its context ends.
type keyLocks struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	ch   chan struct{}
	refs int
}

func (k *keyLocks) lock(ctx context.Context, key string) (func(), error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyLock{ch: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.refs++
	k.mu.Unlock()
	release := func() {
		k.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
	select {
	case l.ch <- struct{}{}:
		return func() { <-l.ch; release() }, nil
	case <-ctx.Done():
		release()
		return nil, errors.New("another request is placing this order")
	}
}

// Existing answers for an order the quote already names (its ERPOrderKey):
// it is never sent again. When the ledger recorded that order with other
// content, the request is a Conflict; otherwise the named order stands.
func (l *Ledger) Existing(ctx context.Context, req Request, orderID string) Result {
	_, hash := Content(req.Lines)
	cur, err := l.o.Store.GetOrder(ctx, req.Key)
	if err == nil && cur.State == store.OrderPlaced && cur.ContentHash != hash {
		return Result{Outcome: Conflict, OrderID: cur.OrderID}
	}
	return Result{Outcome: Placed, OrderID: orderID}
}
