package console_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/config"
	"github.com/quoteconnector/quoteconnector/internal/console"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
)

// The console in a real headless Chromium, driven over the DevTools
// protocol (chromedp): what an operator sees and clicks.
//
// Chromium is QC_CHROMIUM, else chromium (Debian's package) on the PATH.
// Without it these tests are skipped, unless QC_REQUIRE_CHROMIUM is set (CI
// sets it), when they fail. Screenshots of every page go to
// QC_TEST_ARTIFACTS (default: a folder in the temp dir, logged);
// QC_UPDATE_README_SCREENSHOTS=1 also writes the README's pictures to
// docs/.

func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("QC_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("QC_REQUIRE_CHROMIUM") != "" {
		t.Fatal("QC_REQUIRE_CHROMIUM is set but no Chromium was found (apt-get install chromium, or set QC_CHROMIUM)")
	}
	t.Skip("browser tests skipped: no Chromium (apt-get install chromium, or set QC_CHROMIUM)")
	return ""
}

// browser is one Chromium tab signed in (or not) to a test service.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// newBrowser starts Chromium with a fresh profile. It answers the
// console's Basic challenge with user and password as a person typing them
// into the browser's dialog would; an empty user cancels the dialog.
func newBrowser(t *testing.T, env *apptest.Env, user, password string) *browser {
	t.Helper()
	// The flags keep Chromium off the network: this machine has none
	// beyond loopback, and Chromium hangs trying.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first action starts the browser; it must not carry a deadline.
	require.NoError(t, chromedp.Do(ctx), "start Chromium")

	paused := chromedp.Events(ctx, fetch.RequestPaused)
	challenges := chromedp.Events(ctx, fetch.AuthRequired)
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
		}
	}()
	go func() {
		for ev, err := range challenges {
			if err != nil {
				return
			}
			answer := &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseCancelAuth}
			if user != "" {
				answer = &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseProvideCredentials, Username: user, Password: password}
			}
			_, _ = chromedp.Call(ctx, fetch.ContinueWithAuth, fetch.ContinueWithAuthParams{RequestID: ev.RequestID, AuthChallengeResponse: answer})
		}
	}()
	handle := true
	_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{HandleAuthRequests: &handle})
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
	return &browser{t: t, ctx: ctx, base: env.Server.URL}
}

// do runs actions with a deadline of their own.
func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	require.NoError(b.t, chromedp.Do(ctx, actions...))
}

func (b *browser) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("main")))
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	require.NoError(b.t, err, sel)
	return s
}

func eval[T any](b *browser, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	require.NoError(b.t, err, js)
	return v
}

// waitFor polls a JavaScript predicate until it holds (the page reloads
// itself, or a click leads to a new page). An evaluation that fails because
// the page is being replaced is tried again.
func (b *browser) waitFor(predicate string) {
	b.t.Helper()
	deadline := time.Now().Add(50 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+predicate+`)`))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("waiting for %s: never true (last error: %v)", predicate, last)
}

// click clicks the button or link with the text and waits for the page
// it leads to: the old document is marked, so the wait is for a new one.
func (b *browser) click(text string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](`window.qcOldPage = true`),
		chromedp.Click(chromedp.Search(fmt.Sprintf(`//*[self::button or self::a][contains(., %q)]`, text))))
	b.waitFor(`!window.qcOldPage && document.readyState === "complete" && document.querySelector("main") !== null`)
}

// screenshot saves the page as a test artifact and returns the PNG.
func (b *browser) screenshot(name string) []byte {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(b.t, err)
	dir := os.Getenv("QC_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "quoteconnector-console-screenshots")
	}
	require.NoError(b.t, os.MkdirAll(dir, 0o755))
	path := filepath.Join(dir, name+".png")
	require.NoError(b.t, os.WriteFile(path, png, 0o644))
	b.t.Logf("screenshot: %s", path)
	return png
}

func startForBrowser(t *testing.T, refresh time.Duration) *apptest.Env {
	return apptest.Start(t, apptest.Options{Configure: func(c *config.Config) {
		c.ConsoleRefresh = refresh
		c.UpstreamTimeout = 3 * time.Second // a lost answer becomes uncertain after one deadline
	}})
}

// An operator signs in, a sandbox order placed meanwhile appears on the
// open orders page by itself; without credentials the console stays shut.
func TestBrowserSignInAndSeeAnOrderAppear(t *testing.T) {
	env := startForBrowser(t, time.Second)

	out := newBrowser(t, env, "", "")
	out.do(chromedp.Navigate(env.Server.URL + "/console/"))
	assert.Contains(t, out.text("main"), "Sign in with a console user")
	assert.Equal(t, "Unauthorized", eval[string](out, "document.querySelector('h1').textContent"))

	b := newBrowser(t, env, apptest.ConsoleUser, apptest.ConsolePassword)
	b.open("/console/")
	assert.Equal(t, "Overview", b.text("h1"))
	assert.Contains(t, b.text("header"), "Signed in as ops")
	b.click("Orders")
	assert.Contains(t, b.text("main table"), "No orders")

	r := placeOrder(t, env, 1042)
	require.True(t, r.IsOk, r.UserExplanation)
	order := strings.TrimPrefix(r.CRMQuote.ERPOrderKey, "logicom:")
	b.waitFor(fmt.Sprintf(`document.querySelector("main table").textContent.includes(%q)`, order))
	row := b.text("main tbody tr")
	assert.Contains(t, row, "Logicom")
	assert.Contains(t, row, "placed")
	assert.Contains(t, row, "Q-1042")
}

// Uncertain orders made by the simulator's fault control are settled from
// the console: one the distributor has (its answer was lost) is found, one
// it never got (a 503) is marked as not placed after a confirmation.
func TestBrowserReconcileUncertainOrders(t *testing.T) {
	env := startForBrowser(t, time.Hour)
	b := newBrowser(t, env, apptest.ConsoleUser, apptest.ConsolePassword)

	env.Sandbox.Logicom.Faults().Set(faults.Config{LoseResponse: true, Path: "PostOrder"})
	require.False(t, placeOrder(t, env, 701).IsOk)
	env.Sandbox.Logicom.Faults().Reset()
	created := env.Sandbox.Logicom.OrdersWithReference("Q-701")
	require.Len(t, created, 1)

	b.open("/console/orders?state=uncertain")
	assert.Contains(t, b.text("main tbody"), "uncertain")
	b.screenshot("orders-uncertain")
	b.click("Check with Logicom")
	assert.Contains(t, b.text(".flash"), "Logicom has the order as "+created[0]+": it is recorded as placed")
	assert.Contains(t, b.text("main tbody"), "No orders match the filter", "the filter is kept")

	env.Sandbox.Logicom.Faults().Set(faults.Config{Burst503: 1, Path: "PostOrder"})
	require.False(t, placeOrder(t, env, 702).IsOk)
	b.open("/console/orders?state=uncertain")
	b.click("Check with Logicom")
	assert.Contains(t, b.text(".flash"), "Logicom has no order with this reference")
	b.click("Mark as not placed")
	assert.Equal(t, "Mark the order as not placed?", b.text("h1"))
	b.screenshot("orders-confirm-not-placed")
	b.click("Yes, mark as not placed")
	assert.Contains(t, b.text(".flash"), "marked as not placed by ops")
	b.open("/console/orders")
	assert.Contains(t, b.text("main tbody"), "marked as not placed by ops")
	assert.Empty(t, env.Sandbox.Logicom.OrdersWithReference("Q-702"), "nothing was sent")
}

// The catalog's progress bar moves while the page is open (a fake sync
// here; the real one is wired in by the catalog work).
func TestBrowserSyncProgressBarMoves(t *testing.T) {
	env := startForBrowser(t, time.Second)
	cat := syncing(time.Now().Add(-time.Minute))
	env.Main.Console.SetCatalog(cat)
	b := newBrowser(t, env, apptest.ConsoleUser, apptest.ConsolePassword)
	b.open("/console/catalog")
	const value = `document.querySelector("progress").value`
	assert.Equal(t, 250, eval[int](b, value))
	cat.advance(500)
	b.waitFor(value + ` >= 750`)
	assert.Contains(t, b.text(".progress-text"), "750 of 1000 (75 %)")
	cat.advance(250)
	b.waitFor(value + ` == 1000`)
}

// accessibilityProblems checks the page in the browser: a language, one
// h1, a label for every field, a name for every link and button, captions
// and header scopes on tables, and a contrast of at least 4.5:1 (3:1 for
// large text) for every piece of text (WCAG 2 AA).
const accessibilityProblems = `(() => {
  const problems = [];
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(",").map((s) => parseFloat(s));
    const lin = p.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return { l: 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2], a: p.length > 3 ? p[3] : 1 };
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor, x = parse(c);
      if (x && x.a > 0) return c;
    }
    return "rgb(255, 255, 255)";
  };
  if (!document.documentElement.lang) problems.push("html has no lang");
  if (!document.title) problems.push("no title");
  if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one h1");
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    if (!(el.labels && el.labels.length) && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby")) problems.push("no label: " + el.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll("a, button")) {
    if (!el.textContent.trim() && !el.getAttribute("aria-label")) problems.push("no name: " + el.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll("img")) if (!el.hasAttribute("alt")) problems.push("img without alt");
  for (const t of document.querySelectorAll("table")) {
    if (!t.querySelector("caption") && !t.getAttribute("aria-label")) problems.push("table without caption");
    for (const th of t.querySelectorAll("thead th")) if (!th.getAttribute("scope")) problems.push("th without scope: " + th.textContent);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!n.textContent.trim() || !el || seen.has(el)) continue;
    seen.add(el);
    const cs = getComputedStyle(el);
    if (cs.display === "none" || cs.visibility === "hidden" || el.tagName === "PROGRESS") continue;
    const fg = parse(cs.color), bg = parse(background(el));
    const ratio = (Math.max(fg.l, bg.l) + 0.05) / (Math.min(fg.l, bg.l) + 0.05);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) problems.push("contrast " + ratio.toFixed(2) + " < " + need + ": " + JSON.stringify(n.textContent.trim().slice(0, 40)) + " " + cs.color + " on " + background(el));
  }
  return problems;
})()`

// focusables are the elements Tab reaches, in document order.
const focusables = `Array.from(document.querySelectorAll('a[href], button, select, input:not([type=hidden]), textarea, [tabindex]:not([tabindex="-1"])'))`

// describeFocus names the focused element and whether it shows a focus
// ring.
const describeFocus = `(() => {
  const el = document.activeElement;
  const all = ` + focusables + `;
  const cs = getComputedStyle(el);
  return { index: all.indexOf(el), ring: cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2, tag: el.tagName, text: el.textContent.trim().slice(0, 40) };
})()`

type focus struct {
	Index int    `json:"index"`
	Ring  bool   `json:"ring"`
	Tag   string `json:"tag"`
	Text  string `json:"text"`
}

// checkKeyboard tabs through the page: the skip link comes first, every
// control is reached once in document order with a visible focus ring, and
// the skip link takes the focus to the content.
func checkKeyboard(t *testing.T, b *browser, page string) {
	n := eval[int](b, focusables+".length")
	require.Positive(t, n, page)
	b.do(chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)`))
	for i := 0; i < n; i++ {
		b.do(chromedp.KeyEvent(kb.Tab))
		f := eval[focus](b, describeFocus)
		if !assert.Equal(t, i, f.Index, "%s: Tab %d reached %s %q", page, i+1, f.Tag, f.Text) {
			return
		}
		assert.True(t, f.Ring, "%s: %s %q shows no focus ring", page, f.Tag, f.Text)
		if i == 0 {
			assert.Equal(t, "Skip to content", f.Text, "%s: the skip link comes first", page)
		}
	}
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector(".skip").focus()`), chromedp.KeyEvent(kb.Enter))
	assert.Equal(t, "main", eval[string](b, "document.activeElement.id"), "%s: the skip link moves the focus to the content", page)
}

// Every page, with every section shown: no accessibility problem, works
// from the keyboard, and its screenshot is kept.
func TestBrowserEveryPageIsAccessible(t *testing.T) {
	env := startForBrowser(t, time.Hour)
	// The walk-through of the README, an uncertain order checked once, a
	// catalog syncing and exchange rates.
	env.Post(t, "FindProduct", map[string]any{"UserInput": env.Example.SharedPart})
	require.True(t, placeOrder(t, env, 1042).IsOk)
	env.Sandbox.Logicom.Faults().Set(faults.Config{Burst503: 1, Path: "PostOrder"})
	require.False(t, placeOrder(t, env, 1043).IsOk)
	rec := uncertainRow(t, env)
	r := env.Console(t, http.MethodPost, "/console/orders/check", keyForm(rec, csrf(t, env)), nil)
	require.Equal(t, http.StatusSeeOther, r.Status)
	get(t, env, "/console/orders") // shows the check's result, so the browser does not
	env.Main.Console.SetCatalog(syncing(time.Now().Add(-time.Minute)))
	day := time.Now().UTC().Truncate(24 * time.Hour)
	env.Main.Console.SetRates(fakeRates{r: console.Rates{Base: "EUR", Date: day, Source: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml",
		FetchedAt: day.Add(15 * time.Hour), Rates: []console.Rate{{Currency: "USD", Rate: 1.0823}, {Currency: "NOK", Rate: 11.6905}, {Currency: "SEK", Rate: 11.048}}}})

	b := newBrowser(t, env, apptest.ConsoleUser, apptest.ConsolePassword)
	readme := map[string]string{"overview": "console-overview.png", "orders": "console-orders.png"}
	for _, p := range []struct{ name, path, h1 string }{
		{"overview", "/console/", "Overview"},
		{"tenants", "/console/tenants", "Tenants and connections"},
		{"orders", "/console/orders", "Orders"},
		{"catalog", "/console/catalog", "Catalog"},
		{"rates", "/console/rates", "Exchange rates"},
		{"confirm", "", "Mark the order as not placed?"},
	} {
		t.Run(p.name, func(t *testing.T) {
			b.t = t
			if p.path != "" {
				b.open(p.path)
			} else {
				b.open("/console/orders?state=uncertain")
				b.click("Mark as not placed")
			}
			require.Equal(t, p.h1, b.text("h1"))
			assert.Empty(t, eval[[]string](b, accessibilityProblems))
			checkKeyboard(t, b, p.name)
			png := b.screenshot(p.name)
			if name, ok := readme[p.name]; ok && os.Getenv("QC_UPDATE_README_SCREENSHOTS") != "" {
				require.NoError(t, os.WriteFile(filepath.Join("..", "..", "docs", name), png, 0o644))
			}
		})
	}
}
