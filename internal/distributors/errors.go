package distributors

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Kind classifies a distributor failure for the caller.
type Kind int

const (
	// KindUnavailable: network error, timeout, 5xx, garbage answer.
	KindUnavailable Kind = iota
	// KindAuth: the distributor rejected the credentials.
	KindAuth
	// KindConfig: the connection's settings are incomplete or malformed.
	KindConfig
	// KindRejected: a business refusal (no stock, form missing, validation).
	KindRejected
	// KindInvalid: the service refused to send a request that the
	// distributor would reject; Problems name the lines.
	KindInvalid
	// KindNotSupported: the distributor cannot do this at all.
	KindNotSupported
	// KindNotFound: the distributor does not know the object.
	KindNotFound
)

func (k Kind) String() string {
	return [...]string{"unavailable", "auth", "config", "rejected", "invalid", "not supported", "not found"}[k]
}

// Error is a failure of one distributor call. Message is safe to show to a
// user: it never holds a header, token, signature or secret.
type Error struct {
	Distributor string
	Call        string
	Kind        Kind
	StatusCode  int    // HTTP status, 0 when none
	Message     string // upstream's message or our own description
	// Problems are per-line reasons for KindInvalid and KindRejected.
	Problems []LineProblem
	// Uncertain is set on an order POST whose outcome is unknown (timeout
	// after sending); the order may exist.
	Uncertain bool
	Err       error // cause, for logs; never shown to users
}

// LineProblem is a reason one order line cannot be ordered.
type LineProblem struct {
	LineID    int
	ProductID string
	Message   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Distributor)
	if e.Call != "" {
		b.WriteString(" ")
		b.WriteString(e.Call)
	}
	b.WriteString(": ")
	if e.Message != "" {
		b.WriteString(e.Message)
	} else {
		b.WriteString(e.Kind.String())
	}
	// A step cut off by its deadline says so; the transport's own timeout
	// message already does.
	if errors.Is(e.Err, context.DeadlineExceeded) && !strings.Contains(e.Message, "in time") {
		b.WriteString(" (no answer in time)")
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error.
func Errorf(distributor, call string, kind Kind, format string, args ...any) *Error {
	return &Error{Distributor: distributor, Call: call, Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// NotSupported is the error of a method outside the distributor's
// Capabilities.
func NotSupported(distributor, call string) error {
	return &Error{Distributor: distributor, Call: call, Kind: KindNotSupported, Message: "not offered by this distributor"}
}

// KindOf returns the kind of err: a distributor Error's own, KindUnavailable
// for a context deadline or any other error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnavailable
}

// IsNotSupported reports whether err says the distributor cannot do this.
func IsNotSupported(err error) bool { return err != nil && KindOf(err) == KindNotSupported }

// IsUncertain reports whether an order POST may have been placed despite err.
func IsUncertain(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Uncertain
}

// IsTimeout reports whether err is a deadline (ours or the caller's).
func IsTimeout(err error) bool {
	return errors.Is(err, context.DeadlineExceeded)
}

// SanitizeURL removes the query string, which may carry credentials, from a
// URL before it can appear in an error or a log line.
func SanitizeURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.RawQuery, c.User, c.Fragment = "", nil, ""
	return c.String()
}
