# Folio: the two commands a new user needs are `make run` and `make test`.
SWIFT ?= swift
BIN := .build/release/folio
OUT ?= out

.PHONY: deps build run test bench bench-http preview clean

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product folio

## Starts the service on the embedded engine (no Redis, auth off, loopback only) at http://127.0.0.1:8080.
run: build
	$(BIN) serve

## Renders every template's sample to out/ as PDF and PNG.
preview: build
	$(BIN) preview --all --out $(OUT)

## Tests run one at a time: CPU-bound render tests would otherwise starve the queue's time-based scenarios
## (leases, rate windows) on a 2-core machine. The whole suite, schemathesis included, takes about 7 minutes on 2 cores.
test: deps
	./scripts/with-redis.sh $(SWIFT) test --no-parallel
	./scripts/schemathesis.sh

## Measurements, not tests: render throughput, then the queue on the embedded driver and on a private Redis.
bench: build
	$(BIN) bench render
	./scripts/with-redis.sh sh -c '$(BIN) bench queue --redis-url "$$FOLIO_TEST_REDIS_URL"'

## HTTP accept and end-to-end throughput with wrk (embedded engine, then Redis): see benchmarks/README.md.
bench-http: build
	./benchmarks/http.sh --seconds 10
	./benchmarks/http.sh --redis --seconds 10

clean:
	rm -rf .build $(OUT)
