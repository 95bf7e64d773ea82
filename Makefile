# prescale's developer entry points. `make test` is the one command that runs
# the whole test suite on a fresh machine; .ci/run calls it.

GO        ?= go
BIN       ?= bin/prescale
PKGS      ?= ./...
FUZZTIME  ?= 30s
BENCHTIME ?= 1x
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X github.com/prescale-dev/prescale/cmd/prescale/cli.Version=$(VERSION)

.PHONY: all build test test-short bench fuzz lint demo clean

all: lint test build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/prescale

# The whole suite: the main module with the race detector and a real
# Prometheus, then the nested modules: KEDA's own client against the real
# binary (KEDA's dependency graph is too large and too old for the main
# module), the Helm chart rendered with Helm's engine, and Kubernetes' own
# HPA controller run against the simulator (k8s.io/kubernetes is too large
# for the main module).
test:
	./.ci/test-deps
	PRESCALE_REQUIRE_PROMETHEUS=1 PRESCALE_REQUIRE_CHROMIUM=1 $(GO) test -race -count=1 -timeout 45m $(PKGS)
	cd e2e/kedacompat && $(GO) test -vet=off -count=1 -timeout 30m ./...
	cd e2e/chart && $(GO) test -count=1 ./...
	cd e2e/hpacompat && $(GO) test -count=1 ./...

test-short:
	$(GO) test -short -count=1 $(PKGS)

# Benchmarks, written to bench/report.txt; BENCHMARKS.md quotes it.
bench:
	mkdir -p bench
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -timeout 30m $(PKGS) | tee bench/report.txt

# Runs every fuzz target for FUZZTIME each.
fuzz:
	./.ci/fuzz-all $(FUZZTIME)

lint:
	@out=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go')); \
	if [ -n "$$out" ]; then echo "not gofmt-clean:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

demo: build
	$(BIN) demo

clean:
	rm -rf bin bench
