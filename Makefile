# Folio: the two commands a new user needs are `make run` and `make test`.
SWIFT ?= swift
BIN := .build/release/folio
OUT ?= out

.PHONY: deps build run test bench preview clean

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product folio

## Renders every template's sample to out/ as PDF and PNG (until the HTTP service lands, this is what `run` starts).
run: build
	$(BIN) preview --all --out $(OUT)

## Tests run one at a time: CPU-bound render tests would otherwise starve the queue's time-based scenarios
## (leases, rate windows) on a 2-core machine. The whole suite takes well under a minute this way.
test: deps
	./scripts/with-redis.sh $(SWIFT) test --no-parallel

## Measurements, not tests: render throughput, then the queue on the embedded driver and on a private Redis.
bench: build
	$(BIN) bench render
	./scripts/with-redis.sh sh -c '$(BIN) bench queue --redis-url "$$FOLIO_TEST_REDIS_URL"'

clean:
	rm -rf .build $(OUT)
