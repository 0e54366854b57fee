package app_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/config"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// The load benchmarks below measure FindProduct as SuperOffice sees it:
// over HTTP, many callers at once, against distributors that take their
// time. The simulators run out of process (cmd/distsim), so their own CPU
// is not the service's, and a latency fault on every simulated API call
// stands in for the distance to a real distributor. `make bench-find` runs
// them; the figures they report:
//
//	p50-ms, p99-ms   latency of the calls, closed loop (each caller sends
//	                 its next call when the last one answered)
//	chain-ms         2 × the simulated latency: the longest chain of
//	                 sequential upstream calls a search may make (a search,
//	                 then one price and one stock batch in parallel)
//	p99/chain        the target is ≤ 1.3
//	<dist>/search    upstream calls per search by distributor (the
//	                 service's qc_upstream_requests_total), token fetches
//	                 included, so their amortised share shows
//
// QC_BENCH_SERVICE=test runs the service inside the benchmark's process
// instead of as its own, so -cpuprofile, -mutexprofile and -blockprofile
// see it (the simulators stay out of process either way).

// findQueries are the free-text searches of the load: words, brands, part
// numbers, and a best-price search across distributors.
var findQueries = []map[string]any{
	{"UserInput": "dell monitor"},
	{"UserInput": "logitech"},
	{"UserInput": "27 monitor"},
	{"UserInput": "ubiquiti", "PriceListKey": "best:EUR"},
	{"UserInput": "cisco switch"},
	{"UserInput": "usb-c headset"},
	{"UserInput": "notebook i7"},
	{"UserInput": "2 tb ssd", "PriceListKey": "best:EUR"},
}

// BenchmarkFindProductLoad is the target of the speed issue: FindProduct
// with three distributors at 200 ms simulated upstream latency, 50
// concurrent callers, simulators out of process. QC_BENCH_LATENCY and
// QC_BENCH_CONC change the latency and the number of callers.
func BenchmarkFindProductLoad(b *testing.B) {
	latency := envDuration(b, "QC_BENCH_LATENCY", 200*time.Millisecond)
	conc := envInt(b, "QC_BENCH_CONC", 50)
	t := startLoadTarget(b, false)
	t.setLatency(b, latency)
	t.warmUp(b)

	before, cpuBefore := t.upstreamCalls(b), t.cpuTimes(b)
	lat := t.drive(b, conc, func(i int) (string, any) { return "FindProduct", t.findBody(i) })
	after, cpuAfter := t.upstreamCalls(b), t.cpuTimes(b)
	reportCPU(b, cpuBefore, cpuAfter, count(lat))

	p50, p99 := percentile(lat["FindProduct"], 50), percentile(lat["FindProduct"], 99)
	chain := 2 * latency
	b.ReportMetric(ms(p50), "p50-ms")
	b.ReportMetric(ms(p99), "p99-ms")
	b.ReportMetric(ms(chain), "chain-ms")
	b.ReportMetric(float64(p99)/float64(chain), "p99/chain")
	t.reportCalls(b, before, after, len(lat["FindProduct"]))
}

// BenchmarkMixedLoad reproduces the second finding: 200 concurrent
// callers mixing FindProduct with line calls, no added latency, the
// simulators inside the service (QC_SANDBOX=true, "sandbox") and in a
// process of their own ("distsim"). The difference between the two is
// what the simulators themselves cost the service's two cores.
func BenchmarkMixedLoad(b *testing.B) {
	conc := envInt(b, "QC_BENCH_CONC", 200)
	for _, mode := range []string{"sandbox", "distsim"} {
		b.Run(mode, func(b *testing.B) {
			t := startLoadTarget(b, mode == "sandbox")
			t.warmUp(b)
			keys := t.keys
			if len(keys) == 0 {
				b.Fatal("the warm-up found no products")
			}
			lineEdit := t.lineEditBody(b)
			mix := func(i int) (string, any) {
				key := keys[i%len(keys)]
				switch i % 4 {
				case 0:
					return "FindProduct", t.findBody(i / 4)
				case 1:
					return "GetProduct", t.withConn(map[string]any{"ERPProductKey": key})
				case 2:
					return "GetQuoteLinesFromProduct", t.withConn(map[string]any{"ErpProductKey": key})
				default:
					return "OnQuoteLineChanged", lineEdit
				}
			}
			before, cpuBefore := t.upstreamCalls(b), t.cpuTimes(b)
			lat := t.drive(b, conc, mix)
			after, cpuAfter := t.upstreamCalls(b), t.cpuTimes(b)
			reportCPU(b, cpuBefore, cpuAfter, count(lat))
			for _, ep := range slices.Sorted(maps.Keys(lat)) {
				b.ReportMetric(ms(percentile(lat[ep], 50)), ep+"-p50-ms")
				b.ReportMetric(ms(percentile(lat[ep], 99)), ep+"-p99-ms")
			}
			t.reportCalls(b, before, after, len(lat["FindProduct"]))
		})
	}
}

// loadTarget is a running service and its simulators.
type loadTarget struct {
	base   string
	client *http.Client
	// sims are the simulators' control roots (where /_control/faults is);
	// empty for the in-process sandbox, which has no latency to set.
	sims []string
	// conn is the ConnectionInfo every call names; values are the
	// settings, sent once with TestConnection (none in sandbox mode).
	conn   map[string]any
	values map[string]string
	// keys are product keys the warm-up found.
	keys []string
	// procs are the processes whose CPU time is reported per call, by
	// name ("service", "distsim"); none when the service runs here.
	procs map[string]int
}

// startLoadTarget builds and starts the service, either with the
// simulators inside it (sandbox) or against cmd/distsim out of process,
// connects it and waits until the Logicom catalog is synced.
func startLoadTarget(b *testing.B, sandbox bool) *loadTarget {
	dir := buildCommands(b)
	t := &loadTarget{client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1024}}, conn: map[string]any{"CRMConnectionId": 1},
		procs: map[string]int{}}
	env := map[string]string{"QC_LOG_LEVEL": "warn", "QC_STORE_KEY": apptest.StoreKey}
	if sandbox {
		env["QC_SANDBOX"] = "true"
		t.conn = map[string]any{}
	} else {
		printed, pid := startDistsim(b, dir)
		t.procs["distsim"] = pid
		for _, k := range []string{"QC_LOGICOM_URL", "QC_LOGICOM_STAGING_URL", "QC_NUVIAS_URL", "QC_WESTCON_URL", "QC_WESTCON_TOKEN_URL", "QC_FX_URL"} {
			env[k] = printedSetting(b, printed, k)
		}
		for _, m := range regexp.MustCompile(`control: (\S+)/_control/`).FindAllStringSubmatch(printed, -1) {
			t.sims = append(t.sims, m[1])
		}
		start, end := strings.Index(printed, "\n{\n"), strings.Index(printed, "\n}\n")
		if err := json.Unmarshal([]byte(printed[start+1:end+2]), &t.values); err != nil {
			b.Fatalf("distsim's ConfigValues: %v", err)
		}
	}
	if os.Getenv("QC_BENCH_SERVICE") == "test" {
		t.base = startServiceHere(b, env)
		delete(t.procs, "distsim") // the service's share is not known
	} else {
		t.base, t.procs["service"] = startServiceProcess(b, dir, env)
	}
	if t.values != nil {
		t.post(b, "TestConnection", map[string]any{"ConnectionData": t.values, "ConnectionInfo": t.conn})
	}
	// The first search registers the Logicom account with the catalog;
	// until its first sync completes, searches page GetProducts live.
	t.post(b, "FindProduct", t.withConn(map[string]any{"UserInput": "monitor"}))
	waitFor(b, 5*time.Minute, func() bool {
		return bytes.Contains(t.get(b, "/metrics"), []byte(`qc_catalog_sync_last_success_timestamp_seconds{account=`))
	})
	return t
}

var buildOnce struct {
	sync.Once
	dir string
	err error
}

// buildCommands builds quoteconnector and distsim once per benchmark
// process.
func buildCommands(b *testing.B) string {
	buildOnce.Do(func() {
		buildOnce.dir, buildOnce.err = os.MkdirTemp("", "qc-bench-")
		for _, cmd := range []string{"quoteconnector", "distsim"} {
			if buildOnce.err != nil {
				return
			}
			build := exec.Command("go", "build", "-o", filepath.Join(buildOnce.dir, cmd), "./cmd/"+cmd)
			build.Dir = "../.."
			if out, err := build.CombinedOutput(); err != nil {
				buildOnce.err = fmt.Errorf("build %s: %v\n%s", cmd, err, out)
			}
		}
	})
	if buildOnce.err != nil {
		b.Fatal(buildOnce.err)
	}
	return buildOnce.dir
}

// startDistsim runs the simulators on free ports until the benchmark ends
// and returns what they printed (URLs, settings, ConfigValues) and their
// process id.
func startDistsim(b *testing.B, dir string) (string, int) {
	sim := exec.Command(filepath.Join(dir, "distsim"), "-logicom-port", "0", "-nuvias-port", "0", "-westcon-port", "0",
		"-fx-port", "0", "-auto-advance", "0")
	out, err := sim.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := sim.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stop(sim) })
	printed := readUntil(b, out, "distsim: running")
	go io.Copy(io.Discard, out)
	return printed, sim.Process.Pid
}

func printedSetting(b *testing.B, printed, name string) string {
	m := regexp.MustCompile(`(?m)^` + name + `=(\S+)$`).FindStringSubmatch(printed)
	if m == nil {
		b.Fatalf("distsim printed no %s:\n%s", name, printed)
	}
	return m[1]
}

// startServiceProcess runs cmd/quoteconnector with env until the benchmark
// ends and returns its URL and process id.
func startServiceProcess(b *testing.B, dir string, env map[string]string) (string, int) {
	addr := freeAddr(b)
	svc := exec.Command(filepath.Join(dir, "quoteconnector"))
	svc.Env = append(os.Environ(), "QC_ADDR="+addr, "QC_SHARED_SECRET="+apptest.Secret, "QC_DATA_DIR="+filepath.Join(b.TempDir(), "data"))
	for k, v := range env {
		svc.Env = append(svc.Env, k+"="+v)
	}
	var logs bytes.Buffer
	svc.Stdout, svc.Stderr = &logs, &logs
	if err := svc.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stop(svc)
		if b.Failed() {
			b.Logf("service output:\n%s", logs.String())
		}
	})
	base := "http://" + addr
	waitFor(b, 30*time.Second, func() bool {
		r, err := http.Get(base + "/healthz")
		return err == nil && r.Body.Close() == nil && r.StatusCode == http.StatusOK
	})
	return base, svc.Process.Pid
}

// startServiceHere runs the service in this process (QC_BENCH_SERVICE=test,
// for profiles) with the same settings.
func startServiceHere(b *testing.B, env map[string]string) string {
	nop := zerolog.Nop()
	e := apptest.Start(b, apptest.Options{NoSandbox: env["QC_SANDBOX"] != "true", SkipDocumentCheck: true, Logger: &nop,
		Configure: func(c *config.Config) {
			c.LogLevel = "warn"
			if env["QC_SANDBOX"] == "true" {
				return
			}
			c.LogicomURL, c.LogicomStagingURL, c.NuviasURL = env["QC_LOGICOM_URL"], env["QC_LOGICOM_STAGING_URL"], env["QC_NUVIAS_URL"]
			c.WestconURL, c.WestconTokenURL, c.FXURL = env["QC_WESTCON_URL"], env["QC_WESTCON_TOKEN_URL"], env["QC_FX_URL"]
		}})
	e.Main.StartCatalog() // as Run does
	return e.Server.URL
}

// setLatency makes every simulated API call take d (the simulators'
// fault injector).
func (t *loadTarget) setLatency(b *testing.B, d time.Duration) {
	if len(t.sims) == 0 {
		b.Fatal("no simulators out of process to slow down")
	}
	for _, root := range t.sims {
		body := fmt.Sprintf(`{"latency":%q}`, d.String())
		req, _ := http.NewRequest(http.MethodPut, root+"/_control/faults", strings.NewReader(body))
		resp, err := t.client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s/_control/faults: %d", root, resp.StatusCode)
		}
	}
}

// warmUp sends each query a few times (tokens, cached lists, connections)
// and keeps the product keys found.
func (t *loadTarget) warmUp(b *testing.B) {
	seen := map[string]bool{}
	for i := range 2 * len(findQueries) {
		var ps []so.ProductInfo
		if err := json.Unmarshal(t.post(b, "FindProduct", t.findBody(i)), &ps); err != nil {
			b.Fatal(err)
		}
		for _, p := range ps {
			if p.ERPProductKey != "" && !seen[p.ERPProductKey] && !strings.HasPrefix(p.ERPPriceListKey, "best:") {
				seen[p.ERPProductKey] = true
				t.keys = append(t.keys, p.ERPProductKey)
			}
		}
	}
}

func (t *loadTarget) findBody(i int) any {
	return t.withConn(findQueries[i%len(findQueries)])
}

// withConn adds the call's ConnectionInfo to a body.
func (t *loadTarget) withConn(body map[string]any) map[string]any {
	out := make(map[string]any, len(body)+1)
	for k, v := range body {
		out[k] = v
	}
	if len(t.conn) > 0 {
		out["ConnectionInfo"] = t.conn
	}
	return out
}

// lineEditBody is an OnQuoteLineChanged of a 20-line alternative built
// from the warm-up's products.
func (t *loadTarget) lineEditBody(b *testing.B) any {
	var lines []*so.QuoteLineInfo
	for _, k := range t.keys {
		if len(lines) == 20 {
			break
		}
		var ls []*so.QuoteLineInfo
		if err := json.Unmarshal(t.post(b, "GetQuoteLinesFromProduct", t.withConn(map[string]any{"ErpProductKey": k})), &ls); err != nil || len(ls) != 1 {
			continue
		}
		ls[0].Quantity = 2
		lines = append(lines, ls[0])
	}
	if len(lines) == 0 {
		b.Fatal("no quote lines for the line edits")
	}
	return t.withConn(map[string]any{
		"Context":       alternativeContext(quoteContext(lines...)),
		"QuoteLine":     lines[len(lines)/2],
		"ChangedFields": []string{"QuoteLine.Quantity"},
	})
}

// drive runs b.Loop's iterations through conc callers, each sending the
// call next(i) for iteration i, and returns the latencies by endpoint.
func (t *loadTarget) drive(b *testing.B, conc int, next func(i int) (string, any)) map[string][]time.Duration {
	type call struct {
		endpoint string
		body     []byte
	}
	jobs := make(chan call)
	var mu sync.Mutex
	lat := map[string][]time.Duration{}
	var failures []string
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				began := time.Now()
				status, got, err := t.send(c.endpoint, c.body)
				took := time.Since(began)
				mu.Lock()
				if err != nil || status != http.StatusOK {
					failures = append(failures, fmt.Sprintf("%s: %d %v %.200s", c.endpoint, status, err, got))
				} else {
					lat[c.endpoint] = append(lat[c.endpoint], took)
				}
				mu.Unlock()
			}
		}()
	}
	i := 0
	for b.Loop() {
		ep, body := next(i)
		data, _ := json.Marshal(body)
		jobs <- call{ep, data}
		i++
	}
	close(jobs)
	wg.Wait()
	if len(failures) > 0 {
		b.Fatalf("%d of %d calls failed, first: %s", len(failures), i, failures[0])
	}
	return lat
}

// send posts one call with the test tenant's Basic credentials.
func (t *loadTarget) send(endpoint string, body []byte) (int, []byte, error) {
	req, _ := http.NewRequest(http.MethodPost, t.base+"/"+endpoint, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(apptest.Tenant, apptest.Secret)
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	return resp.StatusCode, got, err
}

func (t *loadTarget) post(b *testing.B, endpoint string, body any) []byte {
	data, _ := json.Marshal(body)
	status, got, err := t.send(endpoint, data)
	if err != nil || status != http.StatusOK {
		b.Fatalf("%s: %d %v %s", endpoint, status, err, got)
	}
	return got
}

func (t *loadTarget) get(b *testing.B, path string) []byte {
	resp, err := t.client.Get(t.base + path)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	return got
}

var upstreamLine = regexp.MustCompile(`^qc_upstream_requests_total\{call="([^"]*)",distributor="([^"]*)",outcome="[^"]*"\} (\S+)$`)

// upstreamCalls reads the service's count of distributor calls, by
// distributor and by "<distributor> <call>".
func (t *loadTarget) upstreamCalls(b *testing.B) map[string]float64 {
	out := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(t.get(b, "/metrics")))
	for sc.Scan() {
		m := upstreamLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n, _ := strconv.ParseFloat(m[3], 64)
		out[m[2]] += n
		out[m[2]+" "+m[1]] += n
	}
	return out
}

// reportCalls reports upstream calls per search by distributor, and logs
// them by call.
func (t *loadTarget) reportCalls(b *testing.B, before, after map[string]float64, searches int) {
	if searches == 0 {
		return
	}
	var detail []string
	for _, k := range slices.Sorted(maps.Keys(after)) {
		d := (after[k] - before[k]) / float64(searches)
		if !strings.Contains(k, " ") {
			b.ReportMetric(d, k+"/search")
		} else if d > 0 {
			detail = append(detail, fmt.Sprintf("%s %.3f", k, d))
		}
	}
	b.Logf("upstream calls per search (%d searches): %s", searches, strings.Join(detail, ", "))
}

// cpuTimes reads the CPU time (user + system) of each process.
func (t *loadTarget) cpuTimes(b *testing.B) map[string]time.Duration {
	out := map[string]time.Duration{}
	for name, pid := range t.procs {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			b.Fatal(err)
		}
		// The command name in parentheses may hold spaces: fields count
		// from after it. utime and stime are fields 14 and 15, in clock
		// ticks of 1/100 s (USER_HZ on Linux).
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		out[name] = time.Duration(utime+stime) * 10 * time.Millisecond
	}
	return out
}

// reportCPU reports each process's CPU time per call.
func reportCPU(b *testing.B, before, after map[string]time.Duration, calls int) {
	for name, d := range after {
		b.ReportMetric(ms(d-before[name])/float64(calls), name+"-cpu-ms/call")
	}
}

func count(lat map[string][]time.Duration) int {
	n := 0
	for _, l := range lat {
		n += len(l)
	}
	return n
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

func envDuration(b *testing.B, name string, def time.Duration) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		b.Fatalf("%s=%q: want a duration", name, v)
	}
	return d
}
