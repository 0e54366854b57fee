# quoteconnector: `make run` starts the service with its built-in sandbox
# distributors on :8080; `make test` runs every test with the race detector.
SHELL   := bash
GO      ?= go
BIN     ?= bin
IMAGE   ?= quoteconnector:dev
PKGS    := ./...
MODULE  := github.com/quoteconnector/quoteconnector
# Stamped into the binary (quoteconnector --version, qc_build_info, the
# console); without git the binary falls back to what Go recorded.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X $(MODULE)/internal/buildinfo.version=$(VERSION) -X $(MODULE)/internal/buildinfo.commit=$(COMMIT)
CHROMIUM := $(shell command -v chromium || command -v chromium-browser || command -v google-chrome || true)

.PHONY: run test build lint lint-openapi bench bench-speed bench-find fuzz docker distsim clean

run:
	QC_SANDBOX=true QC_ADDR=$${QC_ADDR:-:8080} $(GO) run -ldflags "$(LDFLAGS)" ./cmd/quoteconnector

# PostgreSQL store tests use QC_TEST_DATABASE_URL, else the local default
# server; the console's browser tests use Chromium (QC_CHROMIUM, else
# chromium on the PATH). Without them those tests are skipped, and this says
# so (go test hides the skip messages of packages that pass).
test:
	@if [ -z "$$QC_TEST_DATABASE_URL" ] && ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
		echo "NOTE: no PostgreSQL at 127.0.0.1:5432 and QC_TEST_DATABASE_URL unset: the PostgreSQL store tests are SKIPPED"; \
	fi
	@if [ -z "$$QC_CHROMIUM" ] && [ -z "$(CHROMIUM)" ]; then \
		echo "NOTE: no Chromium (apt-get install chromium, or set QC_CHROMIUM): the console's browser tests are SKIPPED"; \
	fi
	$(GO) test -race -count=1 $(PKGS)

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/quoteconnector ./cmd/quoteconnector
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN)/distsim ./cmd/distsim

lint:
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# The OpenAPI document through Redocly's linter (needs Node.js and the npm
# registry, so it is not part of lint or test).
lint-openapi:
	npx --yes @redocly/cli@2.77.0 lint api/QuoteConnector-swagger.json

# Every benchmark, then the speed pair summed up.
bench:
	$(GO) test -run '^$$' -bench . -skip SpeedPair -benchmem $(PKGS)
	@$(MAKE) --no-print-directory bench-speed

# The speed pair (internal/app/speed_test.go): the full router and the bare
# generic handler (decode into map[string]any, re-encode the answered
# member) on the same bodies, one request each per iteration so machine
# noise hits both alike. "ratio" is the service's throughput relative to
# the bare handler's (bare time / service time; 1 or more is faster).
# SPEED_COUNT runs, summed up by benchstat (median and 95 % interval); without
# benchstat (offline) the raw lines above are the result.
BENCHSTAT   ?= $(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
SPEED_COUNT ?= 6

bench-speed:
	@set -o pipefail; out=$$(mktemp); trap 'rm -f $$out' EXIT; \
	$(GO) test -run '^$$' -bench SpeedPair -benchtime 300x -count $(SPEED_COUNT) ./internal/app/ | tee $$out && \
	{ echo; $(BENCHSTAT) $$out || echo "benchstat not available: see the runs above"; }

# FindProduct under load (internal/app/findload_bench_test.go): the service
# and cmd/distsim built and run as processes of their own, 50 callers at
# 200 ms simulated upstream latency (p50, p99, p99 against the chain of two
# sequential upstream calls, upstream calls and CPU per search), then 200
# callers mixing FindProduct with line calls, simulators inside the service
# and out of it. FIND_COUNT runs of FIND_CALLS calls each, summed up by
# benchstat (medians); QC_BENCH_LATENCY and QC_BENCH_CONC change the load.
FIND_COUNT ?= 5
FIND_CALLS ?= 3000

bench-find:
	@set -o pipefail; out=$$(mktemp); trap 'rm -f $$out' EXIT; \
	$(GO) test -run '^$$' -bench 'FindProductLoad|MixedLoad' -benchtime $(FIND_CALLS)x -count $(FIND_COUNT) ./internal/app/ | tee $$out && \
	{ echo; $(BENCHSTAT) $$out || echo "benchstat not available: see the runs above"; }

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzCalculateLine -fuzztime 30s ./internal/quote

distsim:
	$(GO) run ./cmd/distsim

docker:
	docker build --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) -t $(IMAGE) .

clean:
	rm -rf $(BIN)
