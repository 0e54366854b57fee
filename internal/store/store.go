// Package store is the service's durable state: the connection settings
// SuperOffice sent (remembered, because most calls arrive without them) and
// the order ledger (so no order is placed twice, across restarts and
// replicas). It defines one interface in its own record types; the
// implementations live in store/sqlite (embedded default, one replica) and
// store/postgres (shared by any number of replicas). Nothing here knows
// SuperOffice carriers or distributors: callers seal secrets and decide
// what an order's content is before a record reaches the store. It also
// keeps the last good exchange rates (rates.go).
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("store: not found")

// Store is the durable state. Implementations are safe for concurrent use.
type Store interface {
	Connections
	Ledger
	Rates
	Replicas
	// Ping checks that the store answers (GET /readyz).
	Ping(ctx context.Context) error
	// Describe names the backend for logs and the operator: the SQLite
	// file, or the PostgreSQL host and database (never a password).
	Describe() string
	Close() error
}

// ConnectionRecord is one SuperOffice quote connection's settings.
type ConnectionRecord struct {
	Tenant       string
	ConnectionID int
	// Values are the ConfigValues as stored: Password-type values sealed by
	// the caller, SuperOffice's own keys already removed.
	Values map[string]string
	// Fingerprint identifies the plaintext settings (a keyed hash), so an
	// unchanged set is not written again.
	Fingerprint string
	UpdatedAt   time.Time
}

// Connections stores settings per tenant and connection id.
type Connections interface {
	// PutConnection stores the record, replacing what the same tenant and
	// connection id had.
	PutConnection(ctx context.Context, c ConnectionRecord) error
	// GetConnection returns ErrNotFound when nothing is stored.
	GetConnection(ctx context.Context, tenant string, connectionID int) (ConnectionRecord, error)
	// ListConnections returns a tenant's connections, or every tenant's
	// when tenant is "" (the operator's view), ordered by tenant and id.
	ListConnections(ctx context.Context, tenant string) ([]ConnectionRecord, error)
}

// OrderState is where one distributor order of one quote alternative
// stands (configuration.md, "Orders").
type OrderState string

const (
	// OrderPlacing: recorded before the request left; a request may be in
	// flight.
	OrderPlacing OrderState = "placing"
	// OrderPlaced: the distributor confirmed; OrderID is set.
	OrderPlaced OrderState = "placed"
	// OrderFailed: the distributor answered that nothing was created.
	OrderFailed OrderState = "failed"
	// OrderUncertain: no answer, a timeout or a 5xx after sending; the
	// order may exist.
	OrderUncertain OrderState = "uncertain"
)

// OrderKey is the ledger key: one distributor's order for one alternative
// of one quote version of one connection.
type OrderKey struct {
	Tenant        string
	ConnectionID  int
	QuoteID       int
	VersionID     int
	AlternativeID int
	Distributor   string
}

// OrderRecord is one ledger row.
type OrderRecord struct {
	Key OrderKey
	// Content is what was sent (canonical JSON of the lines) and
	// ContentHash its digest: a retry with other content is refused once
	// an order is placed.
	Content     string
	ContentHash string
	// Reference is the order reference sent to the distributor, by which
	// an uncertain order is looked up again.
	Reference string
	State     OrderState
	OrderID   string
	// Message says why an order failed or is uncertain, or who resolved it.
	Message string
	// Attempt counts the times the key was claimed for sending; every state
	// change names the attempt it expects, so two replicas cannot both act.
	Attempt int
	// Owner is the instance that holds the current attempt.
	Owner string
	// CheckedAt is when an operator last looked this attempt's uncertain
	// order up at the distributor without finding it (zero: not yet). Only
	// then may the operator mark it as not placed.
	CheckedAt time.Time
	// ResolvedBy names the operator (console user) who last settled or
	// checked the row by hand; empty for the service's own steps.
	ResolvedBy string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// OrderFilter selects ledger rows for listing; zero fields match all.
type OrderFilter struct {
	Tenant string
	State  OrderState
	Limit  int // default 100
}

// Ledger is the order ledger's storage. The state machine lives in
// internal/ledger; these are its atomic steps.
type Ledger interface {
	// ClaimOrder records rec (state placing, attempt 1) if its key has no
	// row yet and reports true; otherwise it returns the existing row and
	// false. The key is unique, so exactly one caller anywhere wins.
	ClaimOrder(ctx context.Context, rec OrderRecord) (OrderRecord, bool, error)
	// ReclaimOrder moves the row from state from at attempt to placing at
	// attempt+1 with rec's content, reference and owner. It reports false
	// when the row is no longer in that state at that attempt.
	ReclaimOrder(ctx context.Context, key OrderKey, from OrderState, attempt int, rec OrderRecord) (bool, error)
	// FinishOrder sets the outcome of an attempt: the row must be at attempt
	// in state from. It reports false when it was not.
	FinishOrder(ctx context.Context, key OrderKey, from OrderState, attempt int, to OrderState, orderID, message string) (bool, error)
	// GetOrder returns ErrNotFound when the key has no row.
	GetOrder(ctx context.Context, key OrderKey) (OrderRecord, error)
	// ListOrders returns rows newest first.
	ListOrders(ctx context.Context, f OrderFilter) ([]OrderRecord, error)
	// DeleteOrdersBefore removes rows last changed before t (retention).
	DeleteOrdersBefore(ctx context.Context, t time.Time) (int64, error)
	// ReviewOrder records an operator's step on the row at attempt in
	// state from (the console's check and "mark as not placed"). It
	// reports false when the row is no longer in that state at that
	// attempt.
	ReviewOrder(ctx context.Context, key OrderKey, from OrderState, attempt int, r OrderReview) (bool, error)
}

// OrderReview is an operator's step on one ledger row.
type OrderReview struct {
	To      OrderState
	OrderID string
	Message string
	// By is the console user; it is kept in ResolvedBy.
	By string
	// Checked: the step was a look-up that found nothing; CheckedAt is set
	// to now. Otherwise CheckedAt is kept.
	Checked bool
}

// ReplicaRecord is one running instance of the service, as its last
// heartbeat described it.
type ReplicaRecord struct {
	// Instance names the process (host/pid/random), as in OrderRecord.Owner.
	Instance  string
	Version   string
	Commit    string
	StartedAt time.Time
	SeenAt    time.Time
}

// Replicas are the instances' heartbeats: each replica writes its own
// every few seconds, so the operator sees which replicas share the store.
type Replicas interface {
	// Heartbeat records r with SeenAt = now, replacing the instance's
	// previous heartbeat.
	Heartbeat(ctx context.Context, r ReplicaRecord) error
	// ListReplicas returns the instances seen at or after since, most
	// recently started first.
	ListReplicas(ctx context.Context, since time.Time) ([]ReplicaRecord, error)
	// DeleteReplicasBefore removes heartbeats older than t.
	DeleteReplicasBefore(ctx context.Context, t time.Time) (int64, error)
}
