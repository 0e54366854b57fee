package upstream

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

const ccSecret = "cc-s3cret-value"

// tokenServer is an OAuth2 client-credentials endpoint answering expires_in
// as expires (a JSON number or string), and an API at /api that accepts
// only the latest token.
type tokenServer struct {
	srv     *httptest.Server
	expires any
	issued  atomic.Int32
	api     atomic.Int32
}

func newTokenServer(t *testing.T, expires any) *tokenServer {
	ts := &tokenServer{expires: expires}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("client_secret") != ccSecret || r.PostForm.Get("grant_type") != "client_credentials" ||
			r.PostForm.Get("resource") != "res" {
			w.WriteHeader(401)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client",
				"error_description": "AADSTS7000215: Invalid client secret provided: " + r.PostForm.Get("client_secret") + "\r\nTrace ID: x"})
			return
		}
		n := ts.issued.Add(1)
		body := map[string]any{"access_token": "tok-" + strconv.Itoa(int(n)), "token_type": "Bearer"}
		if ts.expires != nil {
			body["expires_in"] = ts.expires
		}
		_ = json.NewEncoder(w).Encode(body)
	})
	mux.HandleFunc("/api", func(w http.ResponseWriter, r *http.Request) {
		ts.api.Add(1)
		if r.Header.Get("Authorization") != "Bearer tok-"+strconv.Itoa(int(ts.issued.Load())) {
			w.WriteHeader(401)
			fmt.Fprintf(w, `{"message":"token %s refused"}`, r.Header.Get("Authorization"))
			return
		}
		fmt.Fprint(w, "ok")
	})
	ts.srv = httptest.NewServer(mux)
	t.Cleanup(ts.srv.Close)
	return ts
}

func (ts *tokenServer) client(secret string, now func() time.Time) (*Client, *Tokens) {
	c := New(Options{Distributor: "westcon", HTTP: ts.srv.Client(), Backoff: time.Millisecond})
	cfg := &clientcredentials.Config{ClientID: "cid", ClientSecret: secret, TokenURL: ts.srv.URL + "/token",
		EndpointParams: map[string][]string{"resource": {"res"}}, AuthStyle: oauth2.AuthStyleInParams}
	tokens := NewTokens(TokenOptions{Distributor: "westcon", Call: "token", Margin: 60 * time.Second, Now: now,
		Fetch: c.ClientCredentials("token", cfg, 3599*time.Second, now)})
	return c.WithAuth(&Auth{Tokens: tokens, Secrets: []string{secret},
		Apply: func(r *http.Request, tok string) { r.Header.Set("Authorization", "Bearer "+tok) }}), tokens
}

// Westcon's token endpoint answers expires_in as a number in one
// environment and as a numeric string in another (Azure AD v1): both give
// a token reused until 60 s before its end.
func TestClientCredentialsExpiresInNumberOrString(t *testing.T) {
	for name, tc := range map[string]struct {
		expires any
		life    time.Duration
	}{
		"number":  {3599, 3599 * time.Second},
		"string":  {"3599", 3599 * time.Second},
		"missing": {nil, 3599 * time.Second},
		"short":   {"120", 120 * time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			ts := newTokenServer(t, tc.expires)
			c, tokens := ts.client(ccSecret, nil)
			resp, err := c.Do(context.Background(), Request{Call: "orderStatus", Method: "POST", URL: ts.srv.URL + "/api", Read: true})
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
			tokens.mu.Lock()
			left := time.Until(tokens.cur.Expiry)
			tokens.mu.Unlock()
			assert.InDelta(t, tc.life.Seconds(), left.Seconds(), 5)

			// Reused while more than the margin is left, refreshed after.
			_, err = c.Do(context.Background(), Request{Call: "orderStatus", Method: "GET", URL: ts.srv.URL + "/api"})
			require.NoError(t, err)
			assert.Equal(t, int32(1), ts.issued.Load())
			later := func() time.Time { return time.Now().Add(tc.life - 59*time.Second) }
			tokens.o.Now = later
			_, err = c.Do(context.Background(), Request{Call: "orderStatus", Method: "GET", URL: ts.srv.URL + "/api"})
			require.NoError(t, err)
			assert.Equal(t, int32(2), ts.issued.Load(), "refreshed inside the margin")
		})
	}
}

func TestUnauthorizedRefreshesOnceRetriesOnce(t *testing.T) {
	ts := newTokenServer(t, 3600)
	c, _ := ts.client(ccSecret, nil)
	ctx := context.Background()
	_, err := c.Do(ctx, Request{Call: "x", Method: "GET", URL: ts.srv.URL + "/api"})
	require.NoError(t, err)
	ts.issued.Add(1) // the API forgets the token
	// A write too: a 401 means the request was refused unread.
	resp, err := c.Do(ctx, Request{Call: "PostOrder", Method: "POST", URL: ts.srv.URL + "/api", Body: []byte(`{"a":1}`)})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, int32(3), ts.issued.Load(), "one refresh")
	assert.Equal(t, int32(3), ts.api.Load(), "one retry")
}

func TestTokenErrorsAreScrubbed(t *testing.T) {
	ts := newTokenServer(t, 3600)
	wrong := ccSecret + "-wrong"
	c, tokens := ts.client(wrong, nil)
	_, err := tokens.Token(context.Background())
	assert.Equal(t, distributors.KindAuth, distributors.KindOf(err))
	_, err = c.Do(context.Background(), Request{Call: "orderStatus", Method: "POST", URL: ts.srv.URL + "/api"})
	require.Error(t, err)
	assert.Equal(t, distributors.KindAuth, distributors.KindOf(err))
	assert.False(t, distributors.IsUncertain(err), "the write never left: no token")
	assert.Equal(t, "westcon token: AADSTS7000215: Invalid client secret provided: [redacted] (HTTP 401)", err.Error())
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		assert.NotContains(t, s, wrong)
	}

	// An answer echoing the access token loses it too.
	c, tokens = ts.client(ccSecret, nil)
	ts.srv.Config.Handler.(*http.ServeMux).HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		fmt.Fprintf(w, `{"message":"bad header %s"}`, r.Header.Get("Authorization"))
	})
	resp, err := c.Do(context.Background(), Request{Call: "x", Method: "GET", URL: ts.srv.URL + "/echo"})
	require.NoError(t, err)
	err = c.StatusError("x", resp, MessageOf(resp.Body))
	tok, _ := tokens.Token(context.Background())
	assert.NotContains(t, err.Error(), tok)
	assert.Equal(t, "westcon x: bad header Bearer [redacted] (HTTP 400)", err.Error())
}

func TestTokenEndpointDown(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	defer srv.Close()
	c := New(Options{Distributor: "nuvias", HTTP: srv.Client(), Backoff: time.Millisecond})
	fetch := c.ClientCredentials("token", &clientcredentials.Config{ClientID: "a", ClientSecret: "b", TokenURL: srv.URL, AuthStyle: oauth2.AuthStyleInParams}, time.Hour, nil)
	_, err := fetch(context.Background())
	assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
	assert.Equal(t, "nuvias token: Service Unavailable (HTTP 503)", err.Error())

	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>") }))
	defer garbage.Close()
	fetch = c.ClientCredentials("token", &clientcredentials.Config{ClientID: "a", ClientSecret: "b", TokenURL: garbage.URL, AuthStyle: oauth2.AuthStyleInParams}, time.Hour, nil)
	_, err = fetch(context.Background())
	assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
	assert.Equal(t, "nuvias token: unreadable answer", err.Error())
}
