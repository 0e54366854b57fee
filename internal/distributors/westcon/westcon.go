// Package westcon is the Westcon-Comstor adapter. Westcon offers order
// status only (seed westcon-order-status-api.txt, distributors.md →
// Westcon): an Azure AD client-credentials token, then
// POST /Orders/orderStatus with the token and an API Management
// subscription key. Every other Distributor method answers NotSupported
// through the embedded distributors.Unsupported.
package westcon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/upstream"
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// Service-setting defaults (configuration.md).
const (
	DefaultBaseURL  = "https://api.westconcomstor.com"
	DefaultTokenURL = "https://login.microsoftonline.com/{tenant}/oauth2/token"
)

// tenantPlaceholder is replaced by the connection's westcon.tenantId.
const tenantPlaceholder = "{tenant}"

const (
	pathOrderStatus = "/Orders/orderStatus"

	callToken       = "token"
	callOrderStatus = "orderStatus"

	// tokenMargin: reuse a token until expires_in minus 60 s
	// (distributors.md → Westcon).
	tokenMargin = 60 * time.Second
	maxTokens   = 1000

	// Order types of the orderStatus request (seed: W Westcon order number,
	// C the customer's own order number).
	orderTypeWestcon  = "W"
	orderTypeCustomer = "C"

	// testOrder is the order number Test asks for: it exists nowhere, so an
	// empty answer proves token, subscription key and partner key.
	testOrder = "0000000000"
)

// Options configure a Factory. They come from service settings only: a
// tenant can change neither where the token is fetched nor where orders are
// read (configuration.md).
type Options struct {
	BaseURL  string // QC_WESTCON_URL; DefaultBaseURL when empty
	TokenURL string // QC_WESTCON_TOKEN_URL with {tenant}; DefaultTokenURL when empty
	HTTP     *http.Client
	Observer upstream.Observer
	Timeout  time.Duration // QC_UPSTREAM_TIMEOUT, per operation
	Now      func() time.Time
}

// Factory builds Westcon adapters and holds their tokens, keyed by
// credentials. Create one per process.
type Factory struct {
	base, tokenURL string
	up             *upstream.Client
	now            func() time.Time
	timeout        time.Duration
	tokens         *upstream.TokenCache
}

var _ distributors.Factory = (*Factory)(nil)

// NewFactory returns a factory with an empty token cache.
func NewFactory(o Options) *Factory {
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if o.TokenURL == "" {
		o.TokenURL = DefaultTokenURL
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Factory{
		base:     strings.TrimRight(o.BaseURL, "/"),
		tokenURL: o.TokenURL,
		up:       &upstream.Client{Distributor: distributors.Westcon, HTTP: o.HTTP, Observer: o.Observer, Timeout: o.Timeout},
		now:      o.Now,
		timeout:  o.Timeout,
		tokens:   upstream.NewTokenCache(maxTokens),
	}
}

// Name is "westcon".
func (f *Factory) Name() string { return distributors.Westcon }

// Enabled reports whether the connection uses Westcon.
func (f *Factory) Enabled(c settings.Connection) bool { return c.Westcon.Enabled }

// New returns the adapter for the connection's Westcon credentials; every
// credential is required.
func (f *Factory) New(c settings.Connection) (distributors.Distributor, error) {
	s := c.Westcon
	var missing []string
	for _, x := range []struct{ key, val string }{
		{settings.KeyWestconTenantID, s.TenantID},
		{settings.KeyWestconClientID, s.ClientID},
		{settings.KeyWestconClientSecret, s.ClientSecret.Reveal()},
		{settings.KeyWestconResource, s.Resource},
		{settings.KeyWestconSubscriptionKey, s.SubscriptionKey.Reveal()},
		{settings.KeyWestconPartnerKey, s.PartnerKey},
	} {
		if strings.TrimSpace(x.val) == "" {
			missing = append(missing, x.key)
		}
	}
	if len(missing) > 0 {
		return nil, distributors.Errorf(distributors.Westcon, "settings", distributors.KindConfig, "missing %s", strings.Join(missing, ", "))
	}
	if strings.TrimSpace(s.Language) == "" {
		s.Language = "EN"
	}
	cl := &Client{
		Unsupported: distributors.Unsupported{Distributor: distributors.Westcon},
		f:           f,
		settings:    s,
		// The tenant is escaped as one path segment, so it cannot change
		// the token URL's host or path.
		tokenURL: strings.ReplaceAll(f.tokenURL, tenantPlaceholder, url.PathEscape(strings.TrimSpace(s.TenantID))),
	}
	cl.tokens = f.tokens.Source(func() *upstream.TokenSource {
		return upstream.NewTokenSource(cl.fetchToken, tokenMargin, f.timeout, f.now)
	}, cl.tokenURL, s.ClientID, s.ClientSecret.Reveal(), s.Resource)
	return cl, nil
}

// Client is one connection's Westcon account. It is safe for concurrent use.
type Client struct {
	distributors.Unsupported
	f        *Factory
	settings settings.Westcon
	tokenURL string
	tokens   *upstream.TokenSource
}

var _ distributors.Distributor = (*Client)(nil)

// Name is "westcon".
func (c *Client) Name() string { return distributors.Westcon }

// Capabilities: order status only.
func (c *Client) Capabilities() distributors.Capabilities {
	return distributors.Capabilities{OrderStatus: true}
}

// ---- token ----

// tokenAnswer is the Azure AD v1 token answer, or its error.
type tokenAnswer struct {
	AccessToken      string          `json:"access_token"`
	ExpiresIn        json.RawMessage `json:"expires_in"` // a number; a numeric string accepted
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
}

// fetchToken is POST {token URL} with the client credentials and resource
// as a form (seed; distributors.md → Westcon).
func (c *Client) fetchToken(ctx context.Context) (upstream.Token, error) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.settings.ClientID},
		"client_secret": {c.settings.ClientSecret.Reveal()},
		"resource":      {c.settings.Resource},
	}.Encode()
	resp, err := c.f.up.Do(ctx, callToken, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.tokenURL, strings.NewReader(form))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		return req, nil
	})
	if err != nil {
		return upstream.Token{}, c.clean(readOnly(err))
	}
	var a tokenAnswer
	jsonErr := json.Unmarshal(resp.Body, &a)
	if resp.StatusCode < 200 || resp.StatusCode > 299 || a.Error != "" {
		if resp.StatusCode >= 500 || resp.StatusCode == 429 {
			return upstream.Token{}, c.clean(c.f.up.StatusError(callToken, resp, aadMessage(a)))
		}
		msg := aadMessage(a)
		if msg == "" {
			msg = "token refused"
		}
		return upstream.Token{}, c.clean(&distributors.Error{Distributor: distributors.Westcon, Call: callToken, Kind: distributors.KindAuth, StatusCode: resp.StatusCode, Message: msg})
	}
	if jsonErr != nil || a.AccessToken == "" {
		if jsonErr == nil {
			jsonErr = errors.New("no access_token")
		}
		return upstream.Token{}, c.f.up.DecodeError(callToken, jsonErr)
	}
	secs, err := seconds(a.ExpiresIn)
	if err != nil {
		return upstream.Token{}, c.f.up.DecodeError(callToken, err)
	}
	if secs <= 0 {
		secs = 3599 // absent: the seed's lifetime
	}
	return upstream.Token{Value: a.AccessToken, Expires: c.f.now().Add(time.Duration(secs * float64(time.Second)))}, nil
}

// aadMessage is the first line of error_description (Azure AD appends
// "Timestamp: … Trace ID: …" lines), else the error code.
func aadMessage(a tokenAnswer) string {
	d := strings.TrimSpace(a.ErrorDescription)
	if i := strings.IndexAny(d, "\r\n"); i >= 0 {
		d = strings.TrimSpace(d[:i])
	}
	if d == "" {
		d = strings.TrimSpace(a.Error)
	}
	return clip(d)
}

// seconds reads expires_in as a number or a numeric string.
func seconds(raw json.RawMessage) (float64, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return 0, nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("expires_in %q is not a number", clip(s))
	}
	return f, nil
}

// ---- orderStatus ----

// statusRequest is the orderStatus body; member names exactly as
// distributors.md → Westcon, "Decided details".
type statusRequest struct {
	Req statusRequestBody `json:"mT_OrderStatus_API_REQ"`
}

type statusRequestBody struct {
	PartnerKey string   `json:"partnerKey"`
	OrderType  string   `json:"orderType"`
	Language   string   `json:"language"`
	Order      []string `json:"order"`
}

// send is POST /Orders/orderStatus with the bearer token and subscription
// key. orderStatus is a POST but a pure read, so unlike an order POST it is
// retried: once more on a network error, 429 or 5xx (upstream.Client only
// retries GETs by itself), and once with a fresh token after a 401.
func (c *Client) send(ctx context.Context, body statusRequest) (*upstream.Response, error) {
	payload, err := json.Marshal(body)
	if err != nil {
		return nil, &distributors.Error{Distributor: distributors.Westcon, Call: callOrderStatus, Kind: distributors.KindInvalid, Message: "cannot encode request", Err: err}
	}
	authRetried, transientRetried := false, false
	for {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return nil, c.clean(tokenError(err))
		}
		resp, err := c.f.up.Do(ctx, callOrderStatus, func(ctx context.Context) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.f.base+pathOrderStatus, bytes.NewReader(payload))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Ocp-Apim-Subscription-Key", c.settings.SubscriptionKey.Reveal())
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			return req, nil
		})
		if err != nil {
			if !transientRetried && ctx.Err() == nil {
				transientRetried = true
				wait := 100 * time.Millisecond
				if resp != nil {
					if s, e := strconv.Atoi(resp.Header.Get("Retry-After")); e == nil && s >= 0 {
						wait = min(time.Duration(s)*time.Second, 5*time.Second)
					}
				}
				select {
				case <-time.After(wait):
					continue
				case <-ctx.Done():
				}
			}
			return nil, c.clean(readOnly(err))
		}
		if resp.StatusCode == http.StatusUnauthorized && !authRetried {
			authRetried = true
			c.tokens.Invalidate(tok)
			continue
		}
		return resp, nil
	}
}

// readOnly clears Uncertain, which upstream sets on any failed POST: these
// POSTs change nothing.
func readOnly(err error) error {
	var de *distributors.Error
	if errors.As(err, &de) {
		de.Uncertain = false
	}
	return err
}

func tokenError(err error) error {
	var de *distributors.Error
	if errors.As(err, &de) {
		return err
	}
	e := &distributors.Error{Distributor: distributors.Westcon, Call: callToken, Kind: distributors.KindUnavailable, Message: "no token", Err: err}
	if errors.Is(err, context.DeadlineExceeded) {
		e.Message = "no answer in time"
	}
	return e
}

// query asks for the orders of one type in one call and returns the lines.
func (c *Client) query(ctx context.Context, orderType string, orders []string) ([]line, error) {
	resp, err := c.send(ctx, statusRequest{Req: statusRequestBody{
		PartnerKey: c.settings.PartnerKey, OrderType: orderType, Language: c.settings.Language, Order: orders,
	}})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.clean(c.f.up.StatusError(callOrderStatus, resp, apimMessage(resp.Body)))
	}
	var ans statusResponse
	if err := json.Unmarshal(resp.Body, &ans); err != nil {
		return nil, c.f.up.DecodeError(callOrderStatus, err)
	}
	return ans.Lines, nil
}

// apimMessage reads Azure API Management's {"statusCode", "message"} or a
// backend's {"message"} / {"error": …}.
func apimMessage(body []byte) string {
	var m struct {
		Message string `json:"message"`
		Error   any    `json:"error"`
	}
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	if s := strings.TrimSpace(m.Message); s != "" {
		return clip(s)
	}
	switch e := m.Error.(type) {
	case string:
		return clip(e)
	case map[string]any:
		if s, ok := e["message"].(string); ok {
			return clip(s)
		}
	}
	return ""
}

func clip(s string) string {
	if len(s) > 500 {
		s = s[:500] + "…"
	}
	return s
}

// clean removes the connection's secrets from an error's message, should
// an upstream answer ever echo one (style.md §3.10).
func (c *Client) clean(err error) error {
	var de *distributors.Error
	if err == nil || !errors.As(err, &de) {
		return err
	}
	for _, s := range []string{c.settings.ClientSecret.Reveal(), c.settings.SubscriptionKey.Reveal()} {
		if s != "" {
			de.Message = strings.ReplaceAll(de.Message, s, "[redacted]")
		}
	}
	return err
}

// Test obtains a token and asks for an order that does not exist
// ("0000000000", type W): an empty answer proves the token, the
// subscription key and the partner key.
func (c *Client) Test(ctx context.Context) (string, error) {
	ctx, cancel := c.f.up.WithTimeout(ctx)
	defer cancel()
	if _, err := c.tokens.Token(ctx); err != nil {
		return "", c.clean(tokenError(err))
	}
	if _, err := c.query(ctx, orderTypeWestcon, []string{testOrder}); err != nil {
		return "", err
	}
	return fmt.Sprintf("Westcon order status for partner %s (tenant %s)", c.settings.PartnerKey, c.settings.TenantID), nil
}

// Account identifies the Westcon account: API base, Azure AD tenant,
// client id and partner key, digested.
func (f *Factory) Account(c settings.Connection) string {
	s := c.Westcon
	return distributors.AccountID(distributors.Westcon, f.base, strings.TrimSpace(s.TenantID), strings.TrimSpace(s.ClientID), strings.TrimSpace(s.PartnerKey))
}

// Account is the factory's Account of this client's settings.
func (c *Client) Account() string {
	return c.f.Account(settings.Connection{Westcon: c.settings})
}
