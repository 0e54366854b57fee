package upstream

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/sync/singleflight"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

// FetchFunc obtains a new access token from the distributor. Every token,
// OAuth2 or Logicom's signed one, has the shape of an *oauth2.Token.
type FetchFunc func(ctx context.Context) (*oauth2.Token, error)

// TokenObserver learns of every access token fetched: its distributor, the
// account it is for (distributors.Distributor.Account) and its expiry, never
// the token itself (metrics, the operator console).
type TokenObserver interface {
	ObserveToken(distributor, account string, expiry time.Time)
}

// TokenOptions configure Tokens.
type TokenOptions struct {
	Distributor, Call string // for errors: "nuvias", "token"
	// Account is the account id the token is for, told to Observer.
	Account  string
	Observer TokenObserver // may be nil
	Fetch    FetchFunc
	// Margin: a token is reused while it has more than Margin left.
	Margin time.Duration
	// FetchTimeout bounds a shared refresh, which runs detached from any
	// one caller's context so that caller's cancellation does not fail the
	// others (default 10 s).
	FetchTimeout time.Duration
	Now          func() time.Time
}

// Tokens caches one credential set's access token: it is reused while it
// has more than Margin left, concurrent callers share one refresh, and
// Invalidate drops a token the distributor refused (so a 401 leads to one
// refresh). It is the token source behind every adapter's authTransport.
type Tokens struct {
	o  TokenOptions
	sf singleflight.Group

	mu  sync.Mutex
	cur *oauth2.Token
}

// NewTokens returns an empty token cache.
func NewTokens(o TokenOptions) *Tokens {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FetchTimeout <= 0 {
		o.FetchTimeout = 10 * time.Second
	}
	return &Tokens{o: o}
}

func (s *Tokens) valid() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil || s.cur.AccessToken == "" || !s.o.Now().Add(s.o.Margin).Before(s.cur.Expiry) {
		return "", false
	}
	return s.cur.AccessToken, true
}

// current is the cached token, even an expired one, for scrubbing.
func (s *Tokens) current() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return ""
	}
	return s.cur.AccessToken
}

// Token returns a valid access token, fetching one when needed. Its error
// is always a *distributors.Error naming the token call.
func (s *Tokens) Token(ctx context.Context) (string, error) {
	if tok, ok := s.valid(); ok {
		return tok, nil
	}
	ch := s.sf.DoChan("token", func() (any, error) {
		// A flight that ended between our check and DoChan filled it.
		if tok, ok := s.valid(); ok {
			return tok, nil
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.o.FetchTimeout)
		defer cancel()
		t, err := s.o.Fetch(fctx)
		if err != nil {
			return "", s.wrap(err)
		}
		s.mu.Lock()
		s.cur = t
		s.mu.Unlock()
		if s.o.Observer != nil {
			s.o.Observer.ObserveToken(s.o.Distributor, s.o.Account, t.Expiry)
		}
		return t.AccessToken, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return "", r.Err
		}
		return r.Val.(string), nil
	case <-ctx.Done():
		return "", s.wrap(ctx.Err())
	}
}

// wrap keeps a distributors.Error and turns anything else into one.
func (s *Tokens) wrap(err error) error {
	var de *distributors.Error
	if errors.As(err, &de) {
		return err
	}
	e := &distributors.Error{Distributor: s.o.Distributor, Call: s.o.Call, Kind: distributors.KindUnavailable, Message: "no token", Err: err}
	if errors.Is(err, context.DeadlineExceeded) {
		e.Message = "no answer in time"
	}
	return e
}

// NewTokens returns an empty token cache whose fetches are told to the
// client's Observer when it is also a TokenObserver.
func (c *Client) NewTokens(o TokenOptions) *Tokens {
	if o.Observer == nil {
		o.Observer = c.tokenObserver
	}
	return NewTokens(o)
}

// Invalidate drops the cached token if it is still bad (another caller may
// already have replaced it).
func (s *Tokens) Invalidate(bad string) {
	s.mu.Lock()
	if s.cur != nil && s.cur.AccessToken == bad {
		s.cur = nil
	}
	s.mu.Unlock()
}

// ClientCredentials is a FetchFunc for OAuth2 client credentials (Nuvias,
// Westcon): golang.org/x/oauth2/clientcredentials sends the form through
// this client (metrics, the read retry policy) and parses the answer,
// expires_in as a number or a numeric string alike; this maps its errors
// to distributor errors that never carry the answer's body. lifetime
// applies when the answer has no expires_in.
func (c *Client) ClientCredentials(call string, cfg *clientcredentials.Config, lifetime time.Duration, now func() time.Time) FetchFunc {
	if now == nil {
		now = time.Now
	}
	return func(ctx context.Context) (*oauth2.Token, error) {
		// A token request creates nothing: retried like a read.
		ctx = context.WithValue(asRead(withCall(ctx, call)), oauth2.HTTPClient, c.http)
		tok, err := cfg.Token(ctx)
		if err != nil {
			return nil, c.tokenError(ctx, call, cfg.TokenURL, err)
		}
		// x/oauth2 stamps Expiry with the wall clock; zero means the answer
		// had no expires_in.
		if tok.Expiry.IsZero() {
			tok.Expiry = now().Add(lifetime)
		}
		return tok, nil
	}
}

func (c *Client) tokenError(ctx context.Context, call, tokenURL string, err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		msg := tokenMessage(re)
		if status >= 500 || status == 429 {
			return c.StatusError(call, &Response{StatusCode: status}, msg)
		}
		if msg == "" {
			msg = "token refused"
		}
		return c.Scrub(&distributors.Error{Distributor: c.Distributor, Call: call, Kind: distributors.KindAuth, StatusCode: status, Message: msg})
	}
	var ue *url.Error
	if errors.As(err, &ue) || ctx.Err() != nil {
		u, _ := url.Parse(tokenURL)
		return c.transportError(ctx, Request{Call: call, Method: "POST", Read: true}, u, err)
	}
	// The answer was not a token: x/oauth2's text only names the parse
	// failure, never the body.
	return c.DecodeError(call, err)
}

// tokenMessage is the human text of a token error: the first line of
// error_description (Azure AD appends "Timestamp: … Trace ID: …" lines),
// else a JSON "message", else the error code.
func tokenMessage(re *oauth2.RetrieveError) string {
	d := strings.TrimSpace(re.ErrorDescription)
	if i := strings.IndexAny(d, "\r\n"); i >= 0 {
		d = strings.TrimSpace(d[:i])
	}
	if d == "" {
		d = MessageOf(re.Body)
	}
	if d == "" {
		d = strings.TrimSpace(re.ErrorCode)
	}
	return Clip(d)
}
