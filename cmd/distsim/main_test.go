package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for run's goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunPrintsURLsServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-host", "127.0.0.1", "-logicom-port", "0", "-nuvias-port", "0", "-westcon-port", "0", "-fx-port", "0", "-auto-advance", "0"}, &out)
	}()

	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "distsim: running") {
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no startup output:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}

	env := map[string]string{}
	for _, line := range strings.Split(out.String(), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && strings.HasPrefix(k, "QC_") {
			env[k] = v
		}
	}
	for k, suffix := range map[string]string{
		"QC_LOGICOM_URL": "/api", "QC_NUVIAS_URL": "/api/v1", "QC_WESTCON_TOKEN_URL": "/{tenant}/oauth2/token",
		"QC_FX_URL": "/eurofxref-daily.xml",
	} {
		if v := env[k]; !strings.HasPrefix(v, "http://127.0.0.1:") || !strings.HasSuffix(v, suffix) {
			t.Errorf("%s = %q, want http://127.0.0.1:<port>...%s", k, v, suffix)
		}
	}
	if !strings.Contains(out.String(), `"logicom.consumerKey"`) {
		t.Errorf("ConfigValues JSON missing:\n%s", out.String())
	}
	for _, k := range []string{"QC_LOGICOM_URL", "QC_NUVIAS_URL", "QC_WESTCON_URL"} {
		resp, err := http.Get(root(env[k]) + "/_control/info")
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s /_control/info: status %d", k, resp.StatusCode)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	if !strings.Contains(out.String(), "distsim: stopped") {
		t.Errorf("no stop message:\n%s", out.String())
	}
}

func TestAdvertised(t *testing.T) {
	got := advertised("http://0.0.0.0:9103/{tenant}/oauth2/token", "distsim")
	if want := "http://distsim:9103/{tenant}/oauth2/token"; got != want {
		t.Errorf("advertised = %q, want %q", got, want)
	}
	o, err := parseFlags([]string{"-host", "0.0.0.0"}, &bytes.Buffer{})
	if err != nil || o.advertise != "localhost" {
		t.Errorf("advertise for 0.0.0.0 = %q, %v; want localhost", o.advertise, err)
	}
}

func TestEnvFallbackAndFlagPrecedence(t *testing.T) {
	t.Setenv("DISTSIM_LOGICOM_PORT", "9201")
	t.Setenv("DISTSIM_SEED", "7")
	o, err := parseFlags([]string{"-seed", "3"}, &bytes.Buffer{})
	if err != nil || o.logicomPort != 9201 || o.seed != 3 {
		t.Errorf("got port %d seed %d err %v; want 9201, 3 (flag wins)", o.logicomPort, o.seed, err)
	}
	t.Setenv("DISTSIM_AUTO_ADVANCE", "soon")
	if _, err := parseFlags(nil, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "DISTSIM_AUTO_ADVANCE") {
		t.Errorf("bad env value: err %v, want one naming DISTSIM_AUTO_ADVANCE", err)
	}
}
