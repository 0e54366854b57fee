package buildinfo

import (
	"os"
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStampedValuesWin(t *testing.T) {
	bi := func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "v0.0.1"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "fromvcs"}}}, true
	}
	i := read("v1.2.3", "abc123", bi)
	assert.Equal(t, "v1.2.3", i.Version)
	assert.Equal(t, "abc123", i.Commit)
	assert.Equal(t, "quoteconnector v1.2.3 (commit abc123, "+runtime.Version()+")", i.String())
}

func TestBuildInfoFallback(t *testing.T) {
	bi := func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.modified", Value: "true"}}}, true
	}
	i := read("", "", bi)
	assert.Equal(t, "dev", i.Version, "(devel) is no version")
	assert.Equal(t, "0123abcd-dirty", i.Commit)

	i = read("", "", func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, true
	})
	assert.Equal(t, "v1.4.0", i.Version, "go install ...@v1.4.0")
	assert.Equal(t, "unknown", i.Commit)

	i = read("", "", func() (*debug.BuildInfo, bool) { return nil, false })
	assert.Equal(t, Info{Version: "dev", Commit: "unknown", GoVersion: runtime.Version()}, i)
}

// The Makefile and the Dockerfile stamp this package's variables: a typo in
// an -X path would silently stamp nothing.
func TestBuildFilesStampThisPackage(t *testing.T) {
	pkg := reflect.TypeOf(Info{}).PkgPath()
	mk, err := os.ReadFile("../../Makefile")
	require.NoError(t, err)
	module := regexp.MustCompile(`(?m)^MODULE\s*:=\s*(\S+)`).FindSubmatch(mk)
	require.NotNil(t, module, "Makefile: MODULE := ...")
	expanded := strings.ReplaceAll(string(mk), "$(MODULE)", string(module[1]))
	assert.Contains(t, expanded, "-X "+pkg+".version=$(VERSION)")
	assert.Contains(t, expanded, "-X "+pkg+".commit=$(COMMIT)")

	df, err := os.ReadFile("../../Dockerfile")
	require.NoError(t, err)
	assert.Contains(t, string(df), "-X "+pkg+".version=${VERSION}")
	assert.Contains(t, string(df), "-X "+pkg+".commit=${COMMIT}")
}
