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

test: deps
	./scripts/with-redis.sh $(SWIFT) test

bench: build
	$(BIN) bench render

clean:
	rm -rf .build $(OUT)
