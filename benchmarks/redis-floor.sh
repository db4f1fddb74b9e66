#!/usr/bin/env bash
# The least Redis CPU a rendered document can cost with Redis as its queue and store: the job's data in (SET 4 KB), out
# to a worker (GET 4 KB) and the document in (SET 33 KB), each its own round trip as in the service, with no state
# machine, events or expiry. Compare with the service's Redis CPU per document (`http.sh --redis`, end to end).
#
#   benchmarks/redis-floor.sh [--requests 20000] [--payload 4096] [--document 33000]
set -euo pipefail
N=20000; PAYLOAD=4096; DOC=33000
while [ $# -gt 0 ]; do case "$1" in
  --requests) N=$2; shift 2;; --payload) PAYLOAD=$2; shift 2;; --document) DOC=$2; shift 2;;
  *) echo "unknown option $1" >&2; exit 2;; esac; done
dir=$(mktemp -d /tmp/folio-redis-floor.XXXXXX)
trap '[ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --daemonize yes --dir "$dir" \
  --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
cpu() { redis-cli -p "$port" info cpu | awk -F: '/^used_cpu_(user|sys):/{s+=$2} END{printf "%.6f", s}'; }
run() { # $1 = label, rest = redis-benchmark arguments; prints Redis CPU µs per request
  local c0 c1; c0=$(cpu)
  redis-benchmark -p "$port" -c 1 -P 1 -n "$N" -r 1000000 -q "${@:2}" >/dev/null
  c1=$(cpu)
  python3 -c 'import sys; print("%.1f" % ((float(sys.argv[2]) - float(sys.argv[1])) * 1e6 / int(sys.argv[3])))' "$c0" "$c1" "$N"
}
set_payload=$(run "SET payload" -t set -d "$PAYLOAD")
get_payload=$(run "GET payload" -t get -d "$PAYLOAD")
set_document=$(run "SET document" -t set -d "$DOC")
python3 - "$set_payload" "$get_payload" "$set_document" "$PAYLOAD" "$DOC" <<'PY'
import sys
s, g, d = map(float, sys.argv[1:4])
print(f"Redis CPU per request, one client, one command per round trip:")
print(f"  SET {sys.argv[4]} B  {s:6.1f} µs")
print(f"  GET {sys.argv[4]} B  {g:6.1f} µs")
print(f"  SET {sys.argv[5]} B {d:6.1f} µs")
print(f"  a document's least traffic (the three): {s + g + d:.1f} µs = {(s + g + d) / 1000:.3f} ms")
PY
