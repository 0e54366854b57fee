// Package faults injects failures into a sandbox simulator so tests can show
// how the service behaves when a distributor is slow, flaky or broken.
// Every simulator wraps its API in one Injector; tests set faults through Set
// (or the simulator's control endpoint), and Reset clears them.
package faults

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Config is one set of faults. The zero value injects nothing.
type Config struct {
	// Latency is added before every API response.
	Latency time.Duration `json:"latency"`
	// ErrorRate is the share of API calls (0..1) answered 500.
	ErrorRate float64 `json:"errorRate"`
	// Burst503 answers the next N API calls with 503 and Retry-After: 0.
	Burst503 int `json:"burst503"`
	// Hang makes API calls block until the client gives up (its context ends).
	Hang bool `json:"hang"`
	// MalformedJSON answers API calls 200 with a truncated JSON body.
	MalformedJSON bool `json:"malformedJSON"`
	// LoseResponse serves the call (an order is created) and then never
	// answers until the client gives up: a timeout after the distributor
	// acted.
	LoseResponse bool `json:"loseResponse"`
	// Path, when set, limits every fault to calls whose method and path
	// contain it, e.g. "POST /api/PostOrder" or "/orders".
	Path string `json:"path"`
}

// Injector holds the active faults of one simulator. It is safe for
// concurrent use.
type Injector struct {
	mu  sync.Mutex
	cfg Config
	rnd *rand.Rand
}

// New returns an Injector with no faults.
func New() *Injector {
	return &Injector{rnd: rand.New(rand.NewPCG(1, 2))}
}

// Set replaces the active faults.
func (f *Injector) Set(c Config) {
	f.mu.Lock()
	f.cfg = c
	f.mu.Unlock()
}

// Get returns the active faults.
func (f *Injector) Get() Config {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfg
}

// Reset clears every fault.
func (f *Injector) Reset() { f.Set(Config{}) }

// decide picks the fault for one call and consumes one unit of a burst.
func (f *Injector) decide(r *http.Request) (latency time.Duration, status int, hang, malformed, lose bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := &f.cfg
	if c.Path != "" && !strings.Contains(r.Method+" "+r.URL.Path, c.Path) {
		return
	}
	latency, hang, malformed, lose = c.Latency, c.Hang, c.MalformedJSON, c.LoseResponse
	switch {
	case c.Burst503 > 0:
		c.Burst503--
		status = http.StatusServiceUnavailable
	case c.ErrorRate > 0 && f.rnd.Float64() < c.ErrorRate:
		status = http.StatusInternalServerError
	}
	return
}

// Wrap applies the active faults in front of next.
func (f *Injector) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		latency, status, hang, malformed, lose := f.decide(r)
		if latency > 0 {
			select {
			case <-time.After(latency):
			case <-r.Context().Done():
				return
			}
		}
		if hang {
			<-r.Context().Done()
			return
		}
		if status != 0 {
			w.Header().Set("Content-Type", "application/json")
			if status == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", "0")
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"error":"injected fault"}`))
			return
		}
		if malformed {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"StatusCode": 1, "Status": "OK", "Message": [{"ItemNo": "trunc`))
			return
		}
		if lose {
			next.ServeHTTP(discard{}, r)
			<-r.Context().Done()
			return
		}
		next.ServeHTTP(w, r)
	})
}

// discard is a response that goes nowhere (LoseResponse).
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// ServeHTTP is the control endpoint: GET shows the active faults, PUT or POST
// a Config JSON replaces them, DELETE clears them. Durations are JSON
// nanoseconds or Go duration strings ("250ms").
func (f *Injector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPut, http.MethodPost:
		var in struct {
			Config
			Latency any `json:"latency"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil {
			http.Error(w, `{"error":"bad fault config"}`, http.StatusBadRequest)
			return
		}
		c := in.Config
		switch v := in.Latency.(type) {
		case float64:
			c.Latency = time.Duration(v)
		case string:
			d, err := time.ParseDuration(v)
			if err != nil {
				http.Error(w, `{"error":"bad latency"}`, http.StatusBadRequest)
				return
			}
			c.Latency = d
		}
		f.Set(c)
	case http.MethodDelete:
		f.Reset()
	default:
		w.Header().Set("Allow", "GET, PUT, POST, DELETE")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(f.Get())
}
