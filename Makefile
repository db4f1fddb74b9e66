# Folio: the two commands a new user needs are `make run` and `make test`.
SWIFT ?= swift
BIN := .build/release/folio
OUT ?= out

.PHONY: deps build run test bench preview clean

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

test: deps
	./scripts/with-redis.sh $(SWIFT) test
	./scripts/schemathesis.sh

bench: build
	$(BIN) bench render

clean:
	rm -rf .build $(OUT)
