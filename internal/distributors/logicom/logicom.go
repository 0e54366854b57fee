// Package logicom is the adapter for Logicom's QuickConnect REST API (seed
// logicom-rest-api.txt; decisions in distributors.md → Logicom). A Factory,
// created once per process, owns the HTTP plumbing, the token cache keyed by
// credentials and each account's bounded local catalog; a Client is one
// connection's view of them.
package logicom

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/upstream"
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// Service endpoints (seed, "Service EndPoints"); QC_LOGICOM_URL and
// QC_LOGICOM_STAGING_URL override them.
const (
	DefaultProductionURL = "https://quickconnect.logicompartners.com/api"
	DefaultStagingURL    = "https://dev-quickconnect.logicompartners.com/api"
)

// Token timing (distributors.md → Headers): a token lives one minute and is
// reused while it has more than 5 s left.
const (
	tokenLifetime = time.Minute
	tokenMargin   = 5 * time.Second
)

// DefaultCatalogSize bounds each account's local catalog.
const DefaultCatalogSize = 20000

// listTTL is how long brands, categories and account details are reused.
const listTTL = 10 * time.Minute

// Options configure a Factory. Only ProductionURL/StagingURL decide where
// traffic goes; they come from service settings, never from a connection.
type Options struct {
	ProductionURL, StagingURL string
	HTTP                      *http.Client
	Observer                  upstream.Observer
	// Timeout bounds one operation including its retries (QC_UPSTREAM_TIMEOUT).
	Timeout time.Duration
	// Now is the clock for Timestamp headers, token expiry and special
	// price windows; default time.Now.
	Now func() time.Time
	// IV is the AES-CBC IV; default 16 zero bytes (distributors.md → Crypto).
	IV []byte
	// CatalogSize bounds the local catalog per account (default 20000).
	CatalogSize int
	// Retries and Backoff tune upstream.Client (0 = its defaults).
	Retries int
	Backoff time.Duration
}

// Factory builds Logicom clients (distributors.Factory). It is created once
// per process: token sources and local catalogs outlive requests.
type Factory struct {
	o      Options
	up     *upstream.Client
	tokens *upstream.TokenCache

	mu       sync.Mutex
	accounts map[string]*account
}

var _ distributors.Factory = (*Factory)(nil)

// NewFactory returns a factory with o's defaults filled in.
func NewFactory(o Options) *Factory {
	if o.ProductionURL == "" {
		o.ProductionURL = DefaultProductionURL
	}
	if o.StagingURL == "" {
		o.StagingURL = DefaultStagingURL
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{}
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.IV == nil {
		o.IV = DefaultIV
	}
	if o.CatalogSize <= 0 {
		o.CatalogSize = DefaultCatalogSize
	}
	return &Factory{
		o: o,
		up: &upstream.Client{Distributor: distributors.Logicom, HTTP: o.HTTP, Observer: o.Observer,
			Timeout: o.Timeout, Retries: o.Retries, Backoff: o.Backoff},
		tokens:   upstream.NewTokenCache(1000),
		accounts: map[string]*account{},
	}
}

// Name is "logicom".
func (f *Factory) Name() string { return distributors.Logicom }

// Enabled reports logicom.enabled.
func (f *Factory) Enabled(c settings.Connection) bool { return c.Logicom.Enabled }

var digits = regexp.MustCompile(`^[0-9]+$`)

// New validates the connection's Logicom settings and returns its client.
// Missing or malformed credentials are a KindConfig error naming the setting
// (never its value).
func (f *Factory) New(c settings.Connection) (distributors.Distributor, error) {
	return f.NewClient(c.Logicom)
}

// NewClient is New for the Logicom settings alone.
func (f *Factory) NewClient(s settings.Logicom) (*Client, error) {
	cfg := func(format string, args ...any) error {
		return distributors.Errorf(distributors.Logicom, "settings", distributors.KindConfig, format, args...)
	}
	s.CustomerID = strings.TrimSpace(s.CustomerID)
	switch {
	case s.CustomerID == "":
		return nil, cfg("logicom.customerId is missing")
	case !digits.MatchString(s.CustomerID):
		return nil, cfg("logicom.customerId must be a number")
	case s.ConsumerKey.Reveal() == "":
		return nil, cfg("logicom.consumerKey is missing")
	case s.ConsumerSecret.Reveal() == "":
		return nil, cfg("logicom.consumerSecret is missing")
	case s.AccessTokenKey.Reveal() == "":
		return nil, cfg("logicom.accessTokenKey is missing")
	}
	sg, err := newSigner(strings.TrimSpace(s.AccessTokenKey.Reveal()), f.o.IV)
	if err != nil {
		return nil, cfg("logicom.accessTokenKey: %v", err)
	}
	base := f.o.ProductionURL
	if strings.EqualFold(s.Environment, "staging") {
		base = f.o.StagingURL
	}
	base = strings.TrimRight(base, "/")
	if s.ShipToAddressID == "" {
		s.ShipToAddressID = "DEFAULT"
	}
	if s.DeliveryMethod == "" {
		s.DeliveryMethod = "Default"
	}
	if len(s.Currencies) == 0 {
		s.Currencies = []string{"EUR"}
	}
	cl := &Client{s: s, base: base, up: f.up, sign: sg, now: f.o.Now, timeout: f.o.Timeout}
	creds := []string{base, s.CustomerID, s.ConsumerKey.Reveal(), s.ConsumerSecret.Reveal(), s.AccessTokenKey.Reveal()}
	cl.tokens = f.tokens.Source(func() *upstream.TokenSource {
		return upstream.NewTokenSource(cl.fetchToken, tokenMargin, f.o.Timeout, f.o.Now)
	}, creds...)
	cl.acct = f.account(creds)
	return cl, nil
}

// account returns the per-account state, creating it; at most 1000 accounts
// are kept, the least recently used dropped.
func (f *Factory) account(creds []string) *account {
	h := sha256.New()
	for _, c := range creds {
		h.Write([]byte(c))
		h.Write([]byte{0})
	}
	key := hex.EncodeToString(h.Sum(nil))
	f.mu.Lock()
	defer f.mu.Unlock()
	if a, ok := f.accounts[key]; ok {
		a.used = time.Now()
		return a
	}
	if len(f.accounts) >= 1000 {
		var oldKey string
		var old time.Time
		for k, a := range f.accounts {
			if oldKey == "" || a.used.Before(old) {
				oldKey, old = k, a.used
			}
		}
		delete(f.accounts, oldKey)
	}
	a := newAccount(f.o.CatalogSize)
	a.used = time.Now()
	f.accounts[key] = a
	return a
}

// Client is one connection's Logicom account. It is safe for concurrent use.
type Client struct {
	s       settings.Logicom
	base    string
	up      *upstream.Client
	sign    *signer
	tokens  *upstream.TokenSource
	acct    *account
	now     func() time.Time
	timeout time.Duration
}

var _ distributors.Distributor = (*Client)(nil)

// Name is "logicom".
func (c *Client) Name() string { return distributors.Logicom }

// Capabilities: catalog with volume prices and images, ordering, order
// state, addresses, categories and brands as quote lists.
func (c *Client) Capabilities() distributors.Capabilities {
	return distributors.Capabilities{Catalog: true, VolumePrice: true, Images: true, PlaceOrder: true,
		FindOrder: true, OrderStatus: true, Addresses: true,
		// StockVerification makes PostOrder refuse a line above stock.
		RejectsOverStock: c.s.StockVerification,
		Lists:            []distributors.ListKind{distributors.ListProductCategory, distributors.ListProductFamily}}
}

// Currencies are logicom.currencies (GetPrice accepts a Currency each).
func (c *Client) Currencies(context.Context) ([]string, error) {
	return append([]string(nil), c.s.Currencies...), nil
}

func (c *Client) currency(cur string) string {
	if cur = strings.ToUpper(strings.TrimSpace(cur)); cur != "" {
		return cur
	}
	return c.s.Currencies[0]
}

// withTimeout applies QC_UPSTREAM_TIMEOUT to one operation.
func (c *Client) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return c.up.WithTimeout(ctx)
}

// errorf builds a Logicom error.
func errorf(call string, kind distributors.Kind, format string, args ...any) *distributors.Error {
	return distributors.Errorf(distributors.Logicom, call, kind, format, args...)
}

// fetchToken is GenerateAccessToken (seed, "Acquire Access Token"; headers
// CustomerId, Timestamp, BCode, GenerateSignature). The body is the token,
// as raw text or a JSON string (or, tolerated, an envelope around it).
func (c *Client) fetchToken(ctx context.Context) (upstream.Token, error) {
	const call = "GenerateAccessToken"
	var issued time.Time
	resp, err := c.up.Do(ctx, call, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/GenerateAccessToken", nil)
		if err != nil {
			return nil, err
		}
		issued = c.now()
		ts := timestamp(issued)
		req.Header.Set("CustomerId", c.s.CustomerID)
		req.Header.Set("Timestamp", ts)
		req.Header.Set("BCode", c.sign.bcode(c.s.ConsumerKey.Reveal(), c.s.ConsumerSecret.Reveal()))
		req.Header.Set("GenerateSignature", c.sign.generateSignature(c.s.ConsumerKey.Reveal(), c.s.CustomerID, ts, c.s.ConsumerSecret.Reveal()))
		req.Header.Set("Accept", "application/json, text/plain")
		return req, nil
	})
	if err != nil {
		return upstream.Token{}, err
	}
	body := strings.TrimSpace(string(resp.Body))
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		msg := "credentials rejected"
		if env, err := decodeEnvelope(resp.Body); err == nil && env.text() != "" {
			msg = "credentials rejected: " + env.text()
		}
		return upstream.Token{}, &distributors.Error{Distributor: distributors.Logicom, Call: call,
			Kind: distributors.KindAuth, StatusCode: resp.StatusCode, Message: msg}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := ""
		if env, err := decodeEnvelope(resp.Body); err == nil {
			msg = env.text()
		}
		return upstream.Token{}, c.up.StatusError(call, resp, msg)
	}
	tok := body
	switch {
	case strings.HasPrefix(body, `"`):
		if err := json.Unmarshal([]byte(body), &tok); err != nil {
			return upstream.Token{}, c.up.DecodeError(call, err)
		}
	case strings.HasPrefix(body, "{"):
		env, err := decodeEnvelope(resp.Body)
		if err != nil {
			return upstream.Token{}, c.up.DecodeError(call, err)
		}
		if !env.ok() {
			return upstream.Token{}, errorf(call, distributors.KindAuth, "credentials rejected: %s", env.text())
		}
		tok = rawString(env.Message)
		if tok == "" { // {"AccessToken": "..."}
			if o, err := parseObject(env.Message); err == nil {
				tok = o.str("accesstoken", "token")
			}
		}
	}
	tok = strings.TrimSpace(tok)
	if tok == "" || strings.ContainsAny(tok, " \r\n<>") {
		return upstream.Token{}, c.up.DecodeError(call, errors.New("no access token in answer"))
	}
	return upstream.Token{Value: tok, Expires: issued.Add(tokenLifetime)}, nil
}

// request is one signed API call.
type request struct {
	call     string // e.g. "GetPrice"
	method   string
	path     string // "/GetPrice"
	rawQuery string // already encoded
	body     []byte
}

// do sends r with the access token and signature headers, refreshing the
// token once and retrying once on a 401 (distributors.md → Headers), and
// unwraps the envelope. A StatusCode other than 1 or a Status other than OK
// is a KindRejected error carrying Message (KindNotFound when the message
// says the document is unknown).
func (c *Client) do(ctx context.Context, r request) (*envelope, error) {
	var resp *upstream.Response
	for attempt := 0; ; attempt++ {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return nil, err
		}
		resp, err = c.up.Do(ctx, r.call, func(ctx context.Context) (*http.Request, error) {
			u := c.base + r.path
			if r.rawQuery != "" {
				u += "?" + r.rawQuery
			}
			var body *strings.Reader
			if r.body != nil {
				body = strings.NewReader(string(r.body))
			}
			var req *http.Request
			var err error
			if body != nil {
				req, err = http.NewRequestWithContext(ctx, r.method, u, body)
			} else {
				req, err = http.NewRequestWithContext(ctx, r.method, u, nil)
			}
			if err != nil {
				return nil, err
			}
			ts := timestamp(c.now())
			req.Header.Set("Authorization", tok)
			req.Header.Set("Timestamp", ts)
			req.Header.Set("Signature", c.sign.signature(tok, ts))
			req.Header.Set("CustomerId", c.s.CustomerID)
			req.Header.Set("Accept", "application/json")
			if r.body != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			return req, nil
		})
		if err != nil {
			return nil, err
		}
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 {
			c.tokens.Invalidate(tok)
			continue
		}
		break
	}
	post := r.method != http.MethodGet
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := ""
		if env, err := decodeEnvelope(resp.Body); err == nil {
			msg = env.text()
		}
		err := c.up.StatusError(r.call, resp, msg)
		var de *distributors.Error
		if post && errors.As(err, &de) && resp.StatusCode >= 500 {
			de.Uncertain = true
		}
		return nil, err
	}
	env, err := decodeEnvelope(resp.Body)
	if err != nil {
		err := c.up.DecodeError(r.call, err)
		var de *distributors.Error
		if post && errors.As(err, &de) {
			de.Uncertain = true // the order may exist
		}
		return nil, err
	}
	if !env.ok() {
		msg := env.text()
		if msg == "" {
			msg = fmt.Sprintf("refused (StatusCode %d, Status %q)", env.StatusCode, env.Status)
		}
		kind := distributors.KindRejected
		if isNotFound(msg) {
			kind = distributors.KindNotFound
		}
		if strings.EqualFold(env.Status, "Unauthorized") {
			kind = distributors.KindAuth
		}
		return nil, &distributors.Error{Distributor: distributors.Logicom, Call: r.call, Kind: kind, Message: msg}
	}
	return env, nil
}

var notFoundRE = regexp.MustCompile(`(?i)(not found|unknown|does not exist|doesn't exist|no (document|order|product|item)s? (was |were )?found|no such|invalid document)`)

func isNotFound(msg string) bool { return notFoundRE.MatchString(msg) }

// Test proves the credentials: GenerateAccessToken, then
// GetAccountDetails. The error names the failing step.
func (c *Client) Test(ctx context.Context) (string, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	if _, err := c.tokens.Token(ctx); err != nil {
		return "", stepError("access token (GenerateAccessToken)", err)
	}
	acc, err := c.accountDetails(ctx, true)
	if err != nil {
		return "", stepError("account details (GetAccountDetails)", err)
	}
	name := acc.Name
	if name == "" {
		name = "(no name)"
	}
	return fmt.Sprintf("Logicom account %q (customer %s)", name, c.s.CustomerID), nil
}

// stepError prefixes the step to a distributors error's message.
func stepError(step string, err error) error {
	var de *distributors.Error
	if errors.As(err, &de) {
		cp := *de
		cp.Message = step + " failed: " + de.Message
		return &cp
	}
	return &distributors.Error{Distributor: distributors.Logicom, Call: "Test", Kind: distributors.KindUnavailable,
		Message: step + " failed", Err: err}
}
