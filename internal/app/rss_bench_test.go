package app_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
)

// BenchmarkServiceRSS measures the resident memory of the service process
// with a synced 100,000-SKU Logicom catalog (QC_BENCH_CATALOG_SIZE to
// change): the simulators run in a process of their own (cmd/distsim), so
// their generated catalog is not counted; the service stores in SQLite.
// It builds both commands, connects the service to the simulators with
// TestConnection, lets the first search start the sync, waits for it, runs
// searches, and reports VmRSS and VmHWM (the peak) from /proc.
func BenchmarkServiceRSS(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs /proc")
	}
	size := 100_000
	if n, err := strconv.Atoi(os.Getenv("QC_BENCH_CATALOG_SIZE")); err == nil && n > 0 {
		size = n
	}
	dir := b.TempDir()
	for _, cmd := range []string{"quoteconnector", "distsim"} {
		build := exec.Command("go", "build", "-o", filepath.Join(dir, cmd), "./cmd/"+cmd)
		build.Dir = "../.."
		if out, err := build.CombinedOutput(); err != nil {
			b.Fatalf("build %s: %v\n%s", cmd, err, out)
		}
	}
	for i := 0; i < b.N; i++ {
		rss, hwm, took := serviceRSS(b, dir, size)
		b.ReportMetric(rss, "RSS-MB")
		b.ReportMetric(hwm, "peak-RSS-MB")
		b.ReportMetric(took.Seconds(), "sync-s")
	}
}

func serviceRSS(b *testing.B, dir string, size int) (rss, hwm float64, took time.Duration) {
	sim := exec.Command(filepath.Join(dir, "distsim"), "-logicom-port", "0", "-nuvias-port", "0", "-westcon-port", "0",
		"-auto-advance", "0", "-catalog-size", strconv.Itoa(size))
	out, err := sim.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := sim.Start(); err != nil {
		b.Fatal(err)
	}
	defer stop(sim)
	printed := readUntil(b, out, "distsim: running")
	go io.Copy(io.Discard, out)
	url := func(name string) string {
		m := regexp.MustCompile(`(?m)^` + name + `=(\S+)$`).FindStringSubmatch(printed)
		if m == nil {
			b.Fatalf("distsim printed no %s:\n%s", name, printed)
		}
		return m[1]
	}
	var values map[string]string
	start, end := strings.Index(printed, "\n{\n"), strings.Index(printed, "\n}\n")
	if err := json.Unmarshal([]byte(printed[start+1:end+2]), &values); err != nil {
		b.Fatalf("distsim's ConfigValues: %v", err)
	}

	addr := freeAddr(b)
	svc := exec.Command(filepath.Join(dir, "quoteconnector"))
	svc.Env = append(os.Environ(), "QC_ADDR="+addr, "QC_SHARED_SECRET=bench", "QC_STORE_KEY="+apptest.StoreKey,
		"QC_DATA_DIR="+filepath.Join(b.TempDir(), "data"), "QC_LOG_LEVEL=warn",
		"QC_LOGICOM_URL="+url("QC_LOGICOM_URL"), "QC_LOGICOM_STAGING_URL="+url("QC_LOGICOM_STAGING_URL"),
		"QC_NUVIAS_URL="+url("QC_NUVIAS_URL"), "QC_WESTCON_URL="+url("QC_WESTCON_URL"), "QC_WESTCON_TOKEN_URL="+url("QC_WESTCON_TOKEN_URL"))
	var logs bytes.Buffer
	svc.Stdout, svc.Stderr = &logs, &logs
	if err := svc.Start(); err != nil {
		b.Fatal(err)
	}
	defer stop(svc)
	base := "http://" + addr
	waitFor(b, 30*time.Second, func() bool { r, err := http.Get(base + "/healthz"); return err == nil && r.Body.Close() == nil })

	post := func(endpoint string, body any) []byte {
		data, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, base+"/"+endpoint, bytes.NewReader(data))
		req.SetBasicAuth("acme", "bench")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		got, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d %s", endpoint, resp.StatusCode, got)
		}
		return got
	}
	conn := map[string]any{"CRMConnectionId": 1}
	post("TestConnection", map[string]any{"ConnectionData": values, "ConnectionInfo": conn})
	began := time.Now()
	post("FindProduct", map[string]any{"UserInput": "27 monitor", "ConnectionInfo": conn})
	waitFor(b, 15*time.Minute, func() bool {
		r, err := http.Get(base + "/metrics")
		if err != nil {
			return false
		}
		defer r.Body.Close()
		m, _ := io.ReadAll(r.Body)
		return bytes.Contains(m, []byte(`qc_catalog_sync_last_success_timestamp_seconds{account=`))
	})
	took = time.Since(began)
	for _, q := range []string{"wireless nordic", `27" monitor`, "dell", "E2447", "usb-c headset", "2 tb ssd", "cisco switch", "notebook i7"} {
		for range 5 {
			post("FindProduct", map[string]any{"UserInput": q, "ConnectionInfo": conn})
		}
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", svc.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	kb := func(field string) float64 {
		m := regexp.MustCompile(`(?m)^` + field + `:\s+(\d+) kB`).FindSubmatch(status)
		if m == nil {
			b.Fatalf("no %s in /proc status", field)
		}
		n, _ := strconv.ParseFloat(string(m[1]), 64)
		return n / 1024
	}
	return kb("VmRSS"), kb("VmHWM"), took
}

func readUntil(b *testing.B, r io.Reader, marker string) string {
	var sb strings.Builder
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		sb.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), marker) {
			return sb.String()
		}
	}
	b.Fatalf("distsim ended before %q:\n%s", marker, sb.String())
	return ""
}

func freeAddr(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitFor(b *testing.B, limit time.Duration, ok func() bool) {
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			b.Fatalf("not ready after %s", limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends a process this benchmark started.
func stop(c *exec.Cmd) {
	_ = c.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = c.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = c.Process.Kill()
		<-done
	}
}
