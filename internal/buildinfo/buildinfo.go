// Package buildinfo says which build is running: the version and commit
// stamped at build time (-ldflags, see the Makefile and the Dockerfile), else
// what the Go toolchain recorded in the binary (runtime/debug.ReadBuildInfo:
// the module version of `go install ...@v1.2.3`, the VCS revision of a build
// inside a git checkout).
package buildinfo

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// Set with -ldflags "-X github.com/quoteconnector/quoteconnector/internal/buildinfo.version=v1.2.3
// -X github.com/quoteconnector/quoteconnector/internal/buildinfo.commit=<sha>".
var (
	version string
	commit  string
)

// Info is the running build.
type Info struct {
	Version   string // "v1.2.3", "v1.2.3-4-gabcdef0-dirty", or "dev"
	Commit    string // full or short commit id, or "unknown"
	GoVersion string
}

var (
	once   sync.Once
	cached Info
)

// Get returns the running build's Info.
func Get() Info {
	once.Do(func() { cached = read(version, commit, debug.ReadBuildInfo) })
	return cached
}

func read(version, commit string, buildInfo func() (*debug.BuildInfo, bool)) Info {
	i := Info{Version: version, Commit: commit, GoVersion: runtime.Version()}
	if bi, ok := buildInfo(); ok {
		if i.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			i.Version = bi.Main.Version
		}
		var modified bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if i.Commit == "" {
					i.Commit = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if commit == "" && modified && i.Commit != "" {
			i.Commit += "-dirty"
		}
	}
	if i.Version == "" {
		i.Version = "dev"
	}
	if i.Commit == "" {
		i.Commit = "unknown"
	}
	return i
}

// String is the one line `quoteconnector --version` prints.
func (i Info) String() string {
	return "quoteconnector " + i.Version + " (commit " + i.Commit + ", " + i.GoVersion + ")"
}
