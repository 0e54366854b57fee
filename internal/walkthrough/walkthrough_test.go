// Package walkthrough_test runs the README's walk-through against a freshly
// started sandbox, the way `make run` starts it, and fails when an answer the
// README shows is not what the service prints. It also keeps the README's
// settings tables complete and its links inside the repository.
//
// The walk-through's shell steps are executed by a small interpreter for
// exactly what they use (curl, jq through gojq, tee, variables, > and |), so
// the check needs nothing but Go.
package walkthrough_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/itchyny/gojq"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/app"
	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/config"
	"github.com/quoteconnector/quoteconnector/internal/settings"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

const readmePath = "../../README.md"

func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(readmePath)
	require.NoError(t, err)
	return string(b)
}

// section returns the README text under the heading that starts with
// title, up to the next heading of the same level.
func section(t *testing.T, doc, title string) string {
	t.Helper()
	i := strings.Index(doc, "\n## "+title)
	require.GreaterOrEqual(t, i, 0, "README has no section %q", title)
	rest := doc[i+1:]
	if j := strings.Index(rest[3:], "\n## "); j >= 0 {
		rest = rest[:j+3]
	}
	return rest
}

// block is one fenced code block.
type block struct {
	lang, text string
	// follows is true when only blank lines separate it from the block
	// before.
	follows bool
}

var fence = regexp.MustCompile("(?m)^```([a-z]*)\n")

func blocks(text string) []block {
	var out []block
	pos := 0
	lastEnd := -1
	for {
		loc := fence.FindStringSubmatchIndex(text[pos:])
		if loc == nil {
			return out
		}
		start := pos + loc[1]
		end := strings.Index(text[start:], "```")
		if end < 0 {
			return out
		}
		between := ""
		if lastEnd >= 0 {
			between = text[lastEnd : pos+loc[0]]
		}
		out = append(out, block{lang: text[pos+loc[2] : pos+loc[3]], text: text[start : start+end], follows: lastEnd >= 0 && strings.TrimSpace(between) == ""})
		pos = start + end + 3
		lastEnd = pos
	}
}

// TestWalkthrough starts the service as `make run` does (QC_SANDBOX=true, the
// default seed, the open sandbox tenant) and runs every shell step of the
// walk-through in order, in an empty folder; each answer block must be what
// the step before it printed.
func TestWalkthrough(t *testing.T) {
	doc := readme(t)
	walk := section(t, doc, "Walk-through")

	t.Setenv("QC_SANDBOX", "true")
	t.Setenv("QC_ADDR", "127.0.0.1:0")
	// make run keeps its SQLite store in ./data; the check keeps its own.
	t.Setenv("QC_DATA_DIR", t.TempDir())
	cfg, err := config.Load()
	require.NoError(t, err)
	m, err := app.New(cfg, zerolog.Nop())
	require.NoError(t, err)
	require.NoError(t, m.Open())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})

	sh := &shell{
		t: t, dir: t.TempDir(), base: m.URL(),
		vars:      map[string]string{},
		overrides: map[string]string{"LOGICOM": strings.TrimSuffix(m.Sandbox.LogicomURL, "/api")},
	}
	bs := blocks(walk)
	require.NotEmpty(t, bs)
	var printed []byte // what the commands of the last shell block printed
	steps, checked := 0, 0
	for i, b := range bs {
		switch b.lang {
		case "sh":
			printed = nil
			for _, cmd := range commands(b.text) {
				printed = append(printed, sh.run(cmd)...)
				steps++
			}
		case "json":
			require.True(t, i > 0 && bs[i-1].lang == "sh" && b.follows, "answer block %d must follow a shell block directly", i)
			ps, err := parsePatterns(b.text)
			require.NoError(t, err, "answer block:\n%s", b.text)
			got, err := decodeAnswers(printed)
			require.NoError(t, err, "the steps before answer block %d printed no JSON: %.300s", i, printed)
			require.Len(t, got, len(ps), "answer block %d shows %d answers, the steps printed %d: %.300s", i, len(ps), len(got), printed)
			for k, p := range ps {
				if why := p.match(got[k], "answer"); why != "" {
					t.Errorf("README answer block %d drifted: %s\nshown:\n%s\nprinted:\n%.1500s", i, why, b.text, printed)
				}
			}
			checked++
		default:
			t.Fatalf("walk-through block %d: unknown language %q", i, b.lang)
		}
	}
	t.Logf("%d steps run, %d answers checked", steps, checked)
	assert.GreaterOrEqual(t, checked, 10)
}

// commands splits a shell block into commands: a command goes on while a
// single quote is open; # starts a comment line.
func commands(text string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if cur.Len() == 0 && (strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#")) {
			continue
		}
		if cur.Len() > 0 {
			cur.WriteByte('\n')
		}
		cur.WriteString(line)
		if strings.Count(cur.String(), "'")%2 == 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// shell runs the walk-through's commands.
type shell struct {
	t         *testing.T
	dir, base string
	vars      map[string]string
	// overrides replace what the README assigns a variable (an address the
	// reader copies from the startup log).
	overrides map[string]string
}

// words splits a command into words and operators (| and >), removing
// quotes and expanding $VAR outside single quotes.
func (s *shell) words(cmd string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			out = append(out, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(cmd[i+1:], '\'')
			require.GreaterOrEqual(s.t, j, 0, "unbalanced quote in %s", cmd)
			cur.WriteString(cmd[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case c == '"':
			j := strings.IndexByte(cmd[i+1:], '"')
			require.GreaterOrEqual(s.t, j, 0, "unbalanced quote in %s", cmd)
			cur.WriteString(s.expand(cmd[i+1 : i+1+j]))
			inWord = true
			i += j + 1
		case c == '$':
			j := i + 1
			for j < len(cmd) && (cmd[j] == '_' || cmd[j] >= 'A' && cmd[j] <= 'Z' || cmd[j] >= 'a' && cmd[j] <= 'z' || cmd[j] >= '0' && cmd[j] <= '9') {
				j++
			}
			v, ok := s.vars[cmd[i+1:j]]
			require.True(s.t, ok, "$%s is not set", cmd[i+1:j])
			cur.WriteString(v)
			inWord = true
			i = j - 1
		case c == ' ' || c == '\t' || c == '\n':
			flush()
		case c == '|' || c == '>':
			flush()
			out = append(out, string(c))
		case c == '\\' && i+1 < len(cmd) && cmd[i+1] == '\n':
			i++
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return out
}

func (s *shell) expand(text string) string {
	return regexp.MustCompile(`\$[A-Za-z_][A-Za-z0-9_]*`).ReplaceAllStringFunc(text, func(v string) string {
		val, ok := s.vars[v[1:]]
		require.True(s.t, ok, "%s is not set", v)
		return val
	})
}

// run runs one command and returns what it printed.
func (s *shell) run(cmd string) []byte {
	s.t.Helper()
	if name, value, ok := strings.Cut(cmd, "="); ok && regexp.MustCompile(`^[A-Z_]+$`).MatchString(name) && !strings.Contains(value, " ") {
		if o, ok := s.overrides[name]; ok {
			value = o
		}
		s.vars[name] = value
		return nil
	}
	ws := s.words(cmd)
	var out []byte
	var stage []string
	redirect := ""
	flushStage := func() {
		require.NotEmpty(s.t, stage, "empty stage in %s", cmd)
		out = s.program(stage, out, cmd)
		stage = nil
	}
	for i := 0; i < len(ws); i++ {
		switch ws[i] {
		case "|":
			flushStage()
		case ">":
			require.Less(s.t, i+1, len(ws), "> without a file in %s", cmd)
			redirect = ws[i+1]
			i++
		default:
			stage = append(stage, ws[i])
		}
	}
	flushStage()
	if redirect != "" {
		require.NoError(s.t, os.WriteFile(s.path(redirect), out, 0o600))
		return nil
	}
	return out
}

func (s *shell) path(name string) string {
	require.False(s.t, filepath.IsAbs(name) || strings.Contains(name, ".."), "files stay in the walk-through's folder: %s", name)
	return filepath.Join(s.dir, name)
}

func (s *shell) program(args []string, stdin []byte, cmd string) []byte {
	s.t.Helper()
	switch args[0] {
	case "curl":
		return s.curl(args[1:], cmd)
	case "jq":
		return s.jq(args[1:], stdin, cmd)
	case "tee":
		require.Len(s.t, args, 2, "tee FILE: %s", cmd)
		require.NoError(s.t, os.WriteFile(s.path(args[1]), stdin, 0o600))
		return stdin
	}
	s.t.Fatalf("the walk-through uses %q, which this check does not know: %s", args[0], cmd)
	return nil
}

// curl does what `curl -s [-u user:pass] [-X METHOD] URL [-d DATA|@FILE]`
// does; localhost:8080 is the service under test.
func (s *shell) curl(args []string, cmd string) []byte {
	s.t.Helper()
	method, url, user := "GET", "", ""
	var body []byte
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-s":
		case "-u":
			i++
			user = args[i]
		case "-X":
			i++
			method = args[i]
		case "-d":
			i++
			if name, ok := strings.CutPrefix(args[i], "@"); ok {
				data, err := os.ReadFile(s.path(name))
				require.NoError(s.t, err, cmd)
				// curl -d @file drops carriage returns and newlines.
				body = bytes.NewBuffer(nil).Bytes()
				for _, c := range data {
					if c != '\n' && c != '\r' {
						body = append(body, c)
					}
				}
			} else {
				body = []byte(args[i])
			}
			if method == "GET" {
				method = "POST"
			}
		default:
			require.Empty(s.t, url, "curl: unknown argument %q in %s", args[i], cmd)
			url = args[i]
		}
	}
	if rest, ok := strings.CutPrefix(url, "localhost:8080"); ok {
		url = s.base + rest
	}
	require.True(s.t, strings.HasPrefix(url, "http://"), "curl: %q is no address the check can reach: %s", url, cmd)
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	require.NoError(s.t, err)
	if body == nil {
		req.Body = http.NoBody
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded") // what curl -d sends
	}
	if u, p, ok := strings.Cut(user, ":"); ok {
		req.SetBasicAuth(u, p)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	require.NoError(s.t, err, cmd)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return out
}

// jq does what `jq [-s] [-c] FILTER [FILE...]` does (pretty printing aside:
// its output only goes into files that curl reads).
func (s *shell) jq(args []string, stdin []byte, cmd string) []byte {
	s.t.Helper()
	slurp, compact := false, false
	var filter string
	var files []string
	for _, a := range args {
		switch {
		case a == "-s":
			slurp = true
		case a == "-c":
			compact = true
		case filter == "":
			filter = a
		default:
			files = append(files, a)
		}
	}
	var inputs []any
	read := func(data []byte) {
		dec := json.NewDecoder(bytes.NewReader(data))
		for {
			var v any
			if err := dec.Decode(&v); err == io.EOF {
				return
			} else {
				require.NoError(s.t, err, cmd)
			}
			inputs = append(inputs, v)
		}
	}
	if len(files) == 0 {
		read(stdin)
	}
	for _, f := range files {
		data, err := os.ReadFile(s.path(f))
		require.NoError(s.t, err, cmd)
		read(data)
	}
	if slurp {
		inputs = []any{inputs}
	}
	q, err := gojq.Parse(filter)
	require.NoError(s.t, err, cmd)
	var out bytes.Buffer
	for _, in := range inputs {
		it := q.Run(in)
		for {
			v, ok := it.Next()
			if !ok {
				break
			}
			require.NotImplements(s.t, (*error)(nil), v, "jq: %v in %s", v, cmd)
			enc := json.NewEncoder(&out)
			enc.SetEscapeHTML(false)
			if !compact {
				enc.SetIndent("", "  ")
			}
			require.NoError(s.t, enc.Encode(v))
		}
	}
	return out.Bytes()
}

// envVars lists the QC_ variables config.Config reads.
func envVars() []string {
	var out []string
	t := reflect.TypeOf(config.Config{})
	for i := 0; i < t.NumField(); i++ {
		if name := t.Field(i).Tag.Get("envconfig"); name != "" {
			out = append(out, "QC_"+name)
		}
	}
	return out
}

// TestSettingsTablesComplete: the README lists every environment variable
// the service reads and every connection setting of the dialog.
func TestSettingsTablesComplete(t *testing.T) {
	settingsText := section(t, readme(t), "Settings")
	for _, v := range envVars() {
		assert.True(t, strings.Contains(settingsText, "| `"+v+"` |"), "README settings table lacks %s", v)
	}
	// The dialog of the service as it registers its distributors.
	fields := apptest.Start(t, apptest.Options{NoSandbox: true}).Main.Engine.ConfigurationFields()
	for key, f := range fields {
		if f.FieldType == so.FieldLabel {
			continue
		}
		assert.True(t, strings.Contains(settingsText, "`"+key+"`"), "README lacks the connection setting %s", key)
	}
	assert.Contains(t, settingsText, fmt.Sprintf("Integer, 1 to %d", settings.MaxSearchResults))
}

// TestReadmeLinksStayInTheRepository: every relative link resolves to a file
// of the repository, and the README points at nothing outside it.
func TestReadmeLinksStayInTheRepository(t *testing.T) {
	doc := readme(t)
	links := regexp.MustCompile(`\]\(([^)]+)\)`).FindAllStringSubmatch(doc, -1)
	for _, l := range links {
		target := l[1]
		if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "#") {
			continue
		}
		assert.False(t, strings.HasPrefix(target, "../") || strings.HasPrefix(target, "/"), "link %s leaves the repository", target)
		_, err := os.Stat(filepath.Join("../..", target))
		assert.NoError(t, err, "link %s", target)
	}
	assert.NotContains(t, doc, "shared/", "the README names files outside the repository")
}
