// Package logicom is the adapter for Logicom's QuickConnect REST API (seed
// logicom-rest-api.txt; decisions in distributors.md → Logicom). A Factory,
// created once per process, owns the HTTP plumbing, the token cache keyed by
// credentials and each account's bounded local catalog; a Client is one
// connection's view of them.
package logicom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/quoteconnector/quoteconnector/internal/catalog"
	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/upstream"
)

// Name is the key prefix; Title is how users see the distributor.
const (
	Name  = "logicom"
	Title = "Logicom"
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

// maxAccounts bounds the accounts (token, local catalog) one factory keeps.
const maxAccounts = 1000

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
	// Retries and Backoff tune the retry policy (0 = its defaults).
	Retries int
	Backoff time.Duration
	// Catalog keeps each account's products synced and searchable; nil
	// searches live (GetProducts by brand, category and SKU).
	Catalog *catalog.Catalog
}

// Factory builds Logicom clients (distributors.Factory). It is created once
// per process: tokens, local catalogs and cached lists outlive requests.
type Factory struct {
	o        Options
	up       *upstream.Client
	accounts *upstream.Accounts[*account]
	memo     *upstream.Memo // brands, categories, account details per account
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
		up: upstream.New(upstream.Options{Distributor: Name, HTTP: o.HTTP, Observer: o.Observer,
			Timeout: o.Timeout, Retries: o.Retries, Backoff: o.Backoff}),
		accounts: upstream.NewAccounts[*account](maxAccounts),
		memo:     upstream.NewMemo(Name, 3*maxAccounts, listTTL, o.Timeout),
	}
}

// Name is "logicom".
func (f *Factory) Name() string { return Name }

// Title is "Logicom".
func (f *Factory) Title() string { return Title }

// Enabled reports logicom.enabled of s, the connection's Settings.
func (f *Factory) Enabled(s any) bool { return s.(Settings).Enabled }

var digits = regexp.MustCompile(`^[0-9]+$`)

// New validates the connection's Logicom Settings and returns its client.
// Missing or malformed credentials are a KindConfig error naming the setting
// (never its value).
func (f *Factory) New(s any) (distributors.Distributor, error) {
	return f.NewClient(s.(Settings))
}

// NewClient is New with the Settings typed.
func (f *Factory) NewClient(s Settings) (*Client, error) {
	cfg := func(format string, args ...any) error {
		return distributors.Errorf(Name, "settings", distributors.KindConfig, format, args...)
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
	if s.SyncConcurrency <= 0 {
		s.SyncConcurrency = catalog.DefaultConcurrency
	}
	cl := &Client{f: f, s: s, base: base, sign: sg, now: f.o.Now}
	cl.account = distributors.AccountID(Name, base, s.CustomerID, s.ConsumerKey.Reveal())
	// Everything the token depends on keys the account, the signature
	// variant included, so two connections share a token only when they
	// would fetch the same one.
	variant := "signature with CustomerId"
	if s.SignatureOmitsCustomerID {
		variant = "signature without CustomerId"
	}
	cl.acct = f.accounts.Get(func(key string) *account {
		a := newAccount(key, f.o.CatalogSize)
		a.tokens = f.up.NewTokens(upstream.TokenOptions{Distributor: Name, Call: callToken, Account: cl.Account(), Fetch: cl.fetchToken,
			Margin: tokenMargin, FetchTimeout: f.o.Timeout, Now: f.o.Now})
		return a
	}, base, s.CustomerID, s.ConsumerKey.Reveal(), s.ConsumerSecret.Reveal(), s.AccessTokenKey.Reveal(), variant)
	cl.up = f.up.WithAuth(&upstream.Auth{Tokens: cl.acct.tokens,
		Secrets: []string{s.ConsumerKey.Reveal(), s.ConsumerSecret.Reveal(), s.AccessTokenKey.Reveal(), strings.TrimSpace(s.AccessTokenKey.Reveal())},
		Apply:   cl.sign.apply(s.CustomerID, f.o.Now)})
	return cl, nil
}

// Client is one connection's Logicom account. It is safe for concurrent use.
type Client struct {
	f       *Factory
	s       Settings
	account string // Account()
	base    string
	up      *upstream.Client // with this connection's credentials
	sign    *signer
	acct    *account
	now     func() time.Time
}

var _ distributors.Distributor = (*Client)(nil)

// Name is "logicom".
func (c *Client) Name() string { return Name }

// Capabilities: catalog with volume prices and images, ordering, order
// state, addresses, categories and brands as quote lists.
func (c *Client) Capabilities() distributors.Capabilities {
	return distributors.Capabilities{Catalog: true, VolumePrice: true, Images: true, PlaceOrder: true,
		FindOrder: true, OrderStatus: true, Addresses: true,
		// StockVerification makes PostOrder refuse a line above stock.
		RejectsOverStock: c.s.StockVerification,
		// PostOrder's ShopAccountEmail gets Logicom's order confirmation.
		ConfirmsOrders: c.s.ShopAccountEmail != "",
		Lists:          []distributors.ListKind{distributors.ListProductCategory, distributors.ListProductFamily}}
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
	return distributors.Errorf(Name, call, kind, format, args...)
}

// callToken names GenerateAccessToken in errors and metrics.
const callToken = "GenerateAccessToken"

// fetchToken is GenerateAccessToken (seed, "Acquire Access Token"; headers
// CustomerId, Timestamp, BCode, GenerateSignature), sent through the
// factory's client: it carries the consumer credentials, not a token. The
// body is the token, as raw text or a JSON string (or, tolerated, an
// envelope around it).
func (c *Client) fetchToken(ctx context.Context) (*oauth2.Token, error) {
	up := c.f.up
	issued := c.now()
	ts := timestamp(issued)
	h := http.Header{}
	h.Set("CustomerId", c.s.CustomerID)
	h.Set("Timestamp", ts)
	h.Set("BCode", c.sign.bcode(c.s.ConsumerKey.Reveal(), c.s.ConsumerSecret.Reveal()))
	h.Set("GenerateSignature", c.sign.generateSignature(c.s.ConsumerKey.Reveal(), c.signedCustomerID(), ts, c.s.ConsumerSecret.Reveal()))
	h.Set("Accept", "application/json, text/plain")
	resp, err := up.Do(ctx, upstream.Request{Call: callToken, Method: http.MethodGet, URL: c.base + "/GenerateAccessToken", Header: h})
	if err != nil {
		return nil, err
	}
	body := strings.TrimSpace(string(resp.Body))
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		msg := "credentials rejected"
		if env, err := decodeEnvelope(resp.Body); err == nil && env.text() != "" {
			msg = "credentials rejected: " + env.text()
		}
		return nil, &distributors.Error{Distributor: Name, Call: callToken, Kind: distributors.KindAuth, StatusCode: resp.StatusCode, Message: msg}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := ""
		if env, err := decodeEnvelope(resp.Body); err == nil {
			msg = env.text()
		}
		return nil, up.StatusError(callToken, resp, msg)
	}
	tok := body
	switch {
	case strings.HasPrefix(body, `"`):
		if err := json.Unmarshal([]byte(body), &tok); err != nil {
			return nil, up.DecodeError(callToken, err)
		}
	case strings.HasPrefix(body, "{"):
		env, err := decodeEnvelope(resp.Body)
		if err != nil {
			return nil, up.DecodeError(callToken, err)
		}
		if !env.ok() {
			return nil, errorf(callToken, distributors.KindAuth, "credentials rejected: %s", env.text())
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
		return nil, up.DecodeError(callToken, errors.New("no access token in answer"))
	}
	return &oauth2.Token{AccessToken: tok, Expiry: issued.Add(tokenLifetime)}, nil
}

// signedCustomerID is the CustomerId part of GenerateSignature. The seed's
// table includes it, its worked example leaves it out; the connection
// setting logicom.signatureIncludesCustomerId chooses (default: included).
func (c *Client) signedCustomerID() string {
	if c.s.SignatureOmitsCustomerID {
		return ""
	}
	return c.s.CustomerID
}

// request is one signed API call.
type request struct {
	call     string // e.g. "GetPrice"
	method   string
	path     string // "/GetPrice"
	rawQuery string // already encoded
	body     []byte
}

// do sends r with the access token and signature headers (the transport
// adds them, and refreshes the token once and retries once on a 401,
// distributors.md → Headers), and unwraps the envelope. A StatusCode other
// than 1 or a Status other than OK is a KindRejected error carrying Message
// (KindNotFound when the message says the document is unknown).
func (c *Client) do(ctx context.Context, r request) (*envelope, error) {
	u := c.base + r.path
	if r.rawQuery != "" {
		u += "?" + r.rawQuery
	}
	h := http.Header{"Accept": {"application/json"}}
	if r.body != nil {
		h.Set("Content-Type", "application/json")
	}
	resp, err := c.up.Do(ctx, upstream.Request{Call: r.call, Method: r.method, URL: u, Header: h, Body: r.body})
	if err != nil {
		return nil, err
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
		return nil, c.up.Scrub(&distributors.Error{Distributor: Name, Call: r.call, Kind: kind, Message: msg})
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
	if _, err := c.acct.tokens.Token(ctx); err != nil {
		return "", stepError("access token (GenerateAccessToken)", c.up.Scrub(err))
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
	return &distributors.Error{Distributor: Name, Call: "Test", Kind: distributors.KindUnavailable,
		Message: step + " failed", Err: err}
}
