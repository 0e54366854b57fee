package logicomsim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
)

// Client is a minimal signed client for the simulator's own tests and for
// manual exploration. It is NOT the service's adapter: no caching, no
// retries. Headers follow distributors.md exactly.
type Client struct {
	BaseURL string // e.g. http://127.0.0.1:8081/api
	Account catalog.LogicomAccount
	HTTP    *http.Client     // default http.DefaultClient
	Now     func() time.Time // default time.Now
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// TokenHeaders are the GenerateAccessToken headers signed at ts.
func TokenHeaders(a catalog.LogicomAccount, ts time.Time) (http.Header, error) {
	key, err := DecodeKey(a.AccessTokenKey)
	if err != nil {
		return nil, err
	}
	t := strconv.FormatInt(ts.Unix(), 10)
	bc, err := BCode(key, a.ConsumerKey, a.ConsumerSecret)
	if err != nil {
		return nil, err
	}
	gs, err := GenerateSignature(key, a.ConsumerKey, a.CustomerID, t, a.ConsumerSecret)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	h.Set("CustomerId", strconv.Itoa(a.CustomerID))
	h.Set("Timestamp", t)
	h.Set("BCode", bc)
	h.Set("GenerateSignature", gs)
	return h, nil
}

// CallHeaders are the headers of a regular call with token signed at ts.
func CallHeaders(a catalog.LogicomAccount, token string, ts time.Time) (http.Header, error) {
	key, err := DecodeKey(a.AccessTokenKey)
	if err != nil {
		return nil, err
	}
	t := strconv.FormatInt(ts.Unix(), 10)
	sig, err := Signature(key, token, t)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	h.Set("Authorization", token)
	h.Set("Timestamp", t)
	h.Set("Signature", sig)
	h.Set("CustomerId", strconv.Itoa(a.CustomerID))
	return h, nil
}

// Token calls GenerateAccessToken; the body may be a JSON string or raw text.
func (c *Client) Token(ctx context.Context) (string, error) {
	h, err := TokenHeaders(c.Account, c.now())
	if err != nil {
		return "", err
	}
	code, body, err := c.send(ctx, http.MethodGet, "GenerateAccessToken", "", h, nil)
	if err != nil {
		return "", err
	}
	if code != http.StatusOK {
		return "", fmt.Errorf("GenerateAccessToken: HTTP %d: %s", code, body)
	}
	var tok string
	if json.Unmarshal(body, &tok) != nil {
		tok = strings.TrimSpace(string(body))
	}
	return tok, nil
}

// Call sends a signed call. rawQuery is sent as is (encode '#' as %23);
// body, when not nil, is sent as JSON.
func (c *Client) Call(ctx context.Context, token, method, call, rawQuery string, body any) (int, []byte, error) {
	h, err := CallHeaders(c.Account, token, c.now())
	if err != nil {
		return 0, nil, err
	}
	return c.send(ctx, method, call, rawQuery, h, body)
}

func (c *Client) send(ctx context.Context, method, call, rawQuery string, h http.Header, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
		h.Set("Content-Type", "application/json")
	}
	u := strings.TrimRight(c.BaseURL, "/") + "/" + call
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header = h
	resp, err := c.http().Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}
