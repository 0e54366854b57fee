package faults

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoseResponseOnOnePath(t *testing.T) {
	var served atomic.Int32
	f := New()
	srv := httptest.NewServer(f.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.WriteHeader(http.StatusCreated)
	})))
	defer srv.Close()
	f.Set(Config{LoseResponse: true, Path: "POST /orders"})

	// Other calls are untouched.
	resp, err := http.Get(srv.URL + "/orders")
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("GET: %v %v", resp, err)
	}
	resp.Body.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/orders", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("the POST got an answer")
	}
	if served.Load() != 2 {
		t.Fatalf("served %d calls, want 2: the lost answer's call is still served", served.Load())
	}
}
