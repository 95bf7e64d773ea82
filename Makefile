# prescale's developer entry points. `make test` is the one command that runs
# the whole test suite on a fresh machine; .ci/run calls it.

GO        ?= go
BIN       ?= bin/prescale
PKGS      ?= ./...
FUZZTIME  ?= 30s
BENCHTIME ?= 1x
# VERSION is read once: a commit landing during a long build must not give
# the binary and the image two different versions.
ifeq ($(origin VERSION),undefined)
VERSION   := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
endif
LDFLAGS   := -X github.com/prescale-dev/prescale/cmd/prescale/cli.Version=$(VERSION)

.PHONY: all build static image image-check image-push test test-short bench soak evidence evidence-check evidence-update fuzz lint demo clean

all: lint test build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/prescale

# The container image (see Dockerfile): the static binary, built as the
# Dockerfile builds it, and the host's CA certificates on an empty base,
# assembled as an OCI image layout in IMAGE_DIR with umoci (Debian package
# umoci), no container engine needed. image-check runs `prescale version`
# from the image's unpacked root file system as the image's user.
STATIC_BIN ?= bin/static/prescale
IMAGE      ?= ghcr.io/prescale-dev/prescale
IMAGE_TAG  ?= $(VERSION)
IMAGE_DIR  ?= bin/image
CA_CERTS   ?= /etc/ssl/certs/ca-certificates.crt
UMOCI      := umoci$(if $(filter 0,$(shell id -u)),, --rootless)

static:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w $(LDFLAGS)" -o $(STATIC_BIN) ./cmd/prescale

image: static
	@command -v umoci >/dev/null || { echo "image: umoci is missing (Debian: apt-get install umoci)"; exit 1; }
	rm -rf $(IMAGE_DIR) $(IMAGE_DIR).rootfs $(IMAGE_DIR).bundle
	mkdir -p $(IMAGE_DIR).rootfs/etc/ssl/certs
	cp $(STATIC_BIN) $(IMAGE_DIR).rootfs/prescale
	cp $(CA_CERTS) $(IMAGE_DIR).rootfs/etc/ssl/certs/ca-certificates.crt
	umoci init --layout $(IMAGE_DIR)
	umoci new --image $(IMAGE_DIR):$(IMAGE_TAG)
	$(UMOCI) insert --history.created_by "make image" --image $(IMAGE_DIR):$(IMAGE_TAG) $(IMAGE_DIR).rootfs /
	umoci config --image $(IMAGE_DIR):$(IMAGE_TAG) --author prescale \
		--config.user 65532:65532 --config.entrypoint /prescale --config.cmd serve \
		--config.label org.opencontainers.image.source=https://github.com/prescale-dev/prescale \
		--config.label org.opencontainers.image.version=$(VERSION)
	rm -rf $(IMAGE_DIR).rootfs
	@echo "image: $(IMAGE_DIR):$(IMAGE_TAG) (OCI layout); push with: make image-push"

image-check: image
	$(UMOCI) unpack --image $(IMAGE_DIR):$(IMAGE_TAG) $(IMAGE_DIR).bundle
	PRESCALE_IMAGE_BUNDLE=$(abspath $(IMAGE_DIR).bundle) PRESCALE_IMAGE_VERSION=$(VERSION) \
		$(GO) test -count=1 -run 'TestDockerfile|TestImage' ./cmd/prescale

image-push:
	skopeo copy oci:$(IMAGE_DIR):$(IMAGE_TAG) docker://$(IMAGE):$(IMAGE_TAG)

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

# The README's evidence, rerun: NASA's single operating points (with and
# without a behavior), the frontier of every shipped per-minute
# and 5-minute trace at three start-ups (NASA also against the HPA with a
# behavior), the tune example, the M4 and Wikipedia backtests, and the logs
# of the M4 accuracy test and of the simulator's event-traffic and
# rate-oracle tests, and the example capacity plans, written to bench/evidence/ (JSON where the command
# has it). About 9 minutes on two quiet cores. The README's generated
# blocks (<!-- evidence:NAME -->) are rendered from these files:
# evidence-check fails when one is stale, evidence-update rewrites them.
EVIDENCE   ?= bench/evidence
NASA       := --trace datasets/nasa_http_1995/nasa_requests_per_minute_edt.csv.gz --time-col minute_start_edt \
	--value-col count --tz America/New_York --calendar datasets/calendars/nasa-1995.yaml
FRONTIER   := --startup 2m,5m,10m --frontier --output json

evidence: build
	mkdir -p $(EVIDENCE)
	$(BIN) simulate $(NASA) --event-types launch --capacity-per-pod 10 --burn-in 7d $(FRONTIER) > $(EVIDENCE)/frontier-nasa.json
	$(BIN) simulate $(NASA) --event-types launch --capacity-per-pod 10 --burn-in 7d --hpa-behavior default $(FRONTIER) > $(EVIDENCE)/frontier-nasa-behavior.json
	$(BIN) simulate $(NASA) --capacity-per-pod 10 --burn-in 7d --startup 2m,5m,10m --policies reactive,cron,predictive,oracle \
		--output json > $(EVIDENCE)/single-nasa.json
	$(BIN) simulate $(NASA) --capacity-per-pod 10 --burn-in 7d --startup 2m,5m,10m --policies reactive,cron,predictive,oracle \
		--hpa-behavior default --output json > $(EVIDENCE)/single-nasa-behavior.json
	$(BIN) simulate --trace datasets/nab/elb_request_count_8c0756.csv --step 5m --aggregate mean --capacity-per-pod 10 \
		--burn-in 3d --forecast-step 5m $(FRONTIER) > $(EVIDENCE)/frontier-elb.json
	$(BIN) simulate --trace datasets/nab/Twitter_volume_AAPL.csv --step 5m --aggregate mean \
		--calendar datasets/calendars/nab-tweets-aapl.yaml --capacity-per-pod 20 --max-replicas 1000 --burn-in 7d \
		--forecast-step 5m $(FRONTIER) > $(EVIDENCE)/frontier-aapl.json
	$(BIN) simulate --trace datasets/alibaba_genai_2026/system_qps_per_minute.csv --time-col time_unix --value-col qps \
		--capacity-per-pod 0.5 --burn-in 6h $(FRONTIER) > $(EVIDENCE)/frontier-genai.json
	$(BIN) tune $(NASA) --capacity-per-pod 10 --burn-in 7d --startup 5m > $(EVIDENCE)/tune-nasa.txt
	$(BIN) tune $(NASA) --capacity-per-pod 10 --burn-in 7d --startup 5m --slo 0.002 > $(EVIDENCE)/tune-nasa-slo0.002.txt
	$(BIN) backtest --trace datasets/m4_hourly/Hourly-train.csv.gz --format m4 --start 2000-01-01 --step 1h \
		--horizon 48 --folds 1 --models mseasonal,auto --output json > $(EVIDENCE)/backtest-m4.json
	$(BIN) backtest --trace datasets/wikipedia_pageviews/example_wp_log_peyton_manning.csv --time-col ds --value-col y \
		--calendar datasets/calendars/wikipedia-peyton-manning.yaml --horizon 14 \
		--origins 2013-01-05,2014-01-05,2014-01-12,2014-01-26,2015-01-04,2016-01-10,2016-01-17,2016-01-31 \
		--models mseasonal,auto --output json > $(EVIDENCE)/backtest-wikipedia.json
	$(GO) test -run '^TestM4HourlyAccuracy$$' -count=1 -v ./forecast/ > $(EVIDENCE)/m4-test.txt
	$(GO) test -run '^(TestRiskPolicyDominatesHPAOnEvents|TestRiskPolicyHoldsLateEvents|TestFrontierOnEventTraffic|TestToleranceWorkaroundOnEventTraffic)$$' \
		-count=1 -v ./simulator/ > $(EVIDENCE)/event-tests.txt
	$(GO) test -run '^TestRateOracleOnNASA$$' -count=1 -v ./simulator/ > $(EVIDENCE)/rate-oracle-test.txt
	$(BIN) plan --config deploy/examples/capacity/ecommerce.yaml --output json > $(EVIDENCE)/plan-ecommerce.json
	$(BIN) plan --config deploy/examples/capacity/staffing.yaml --output json > $(EVIDENCE)/plan-staffing.json
	$(BIN) plan --config deploy/examples/capacity/nasa-forecast.yaml --output json > $(EVIDENCE)/plan-nasa.json

evidence-check: evidence
	PRESCALE_EVIDENCE_DIR=$(CURDIR)/$(EVIDENCE) $(GO) test -count=1 -run '^TestReadmeCurrent$$' ./pkg/evidence/

evidence-update: evidence
	PRESCALE_EVIDENCE_DIR=$(CURDIR)/$(EVIDENCE) $(GO) test -count=1 -run '^TestReadmeCurrent$$' ./pkg/evidence/ -update

# The soak test, opt-in and on loopback only (about 5 minutes, 4 GB of
# disk): 1k and 10k triggers over gRPC against a real Prometheus (calls/s,
# p99, RSS, store size), then the restart of a 10k-trigger, four-week
# store out of the page cache. Written to bench/soak.txt; BENCHMARKS.md
# quotes it. PRESCALE_SOAK_TRIGGERS, _DURATION and _STORE change the sizes.
soak:
	mkdir -p bench
	PRESCALE_SOAK=1 $(GO) test -run '^TestSoak$$' -count=1 -v -timeout 30m ./scaler/ | tee bench/soak.txt

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
