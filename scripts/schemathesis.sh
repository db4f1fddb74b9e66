#!/usr/bin/env bash
# Fuzzes the running API from its own OpenAPI document with schemathesis (PyPI): no 5xx, no response that breaks the schema.
# Starts `folio serve` on a free loopback port (embedded engine, auth off: every request is the local operator), bounded by
# --max-examples per operation, and stops it afterwards. One worker: with two, CPython 3.11 can fail inside schemathesis
# ("AST constructor recursion depth mismatch"), a fault of the tool, not of the API.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(pwd)/${FOLIO_BIN:-.build/debug/folio}
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-20}
command -v schemathesis >/dev/null || command -v st >/dev/null || pip install --quiet schemathesis
ST=$(command -v schemathesis || command -v st)
[ -x "$BIN" ] || swift build --product folio
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
dir=$(mktemp -d /tmp/folio-st.XXXXXX)
"$BIN" serve --port "$port" --set results_dir="$dir/results" --set log_level=warning >"$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
# From the temporary folder, so schemathesis keeps its example database out of the repository.
(cd "$dir" && "$ST" run "http://127.0.0.1:$port/openapi.json" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "$EXAMPLES" --workers 1 --request-timeout 30 --seed 1 \
  --suppress-health-check all --exclude-path-regex '/(pause|resume|clean)$' "$@")
echo "schemathesis: no server errors and no schema violations"
