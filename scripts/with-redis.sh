#!/usr/bin/env bash
# Runs a command with a private redis-server on loopback, then stops it whatever the command did.
# The command sees FOLIO_TEST_REDIS_URL (TCP) and FOLIO_TEST_REDIS_SOCKET (the same server's Unix socket), and
# FOLIO_TEST_REDIS_SERVER/FOLIO_TEST_REDIS_DIR for tests that restart Redis.
set -euo pipefail
dir=$(mktemp -d /tmp/folio-redis.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
redis-server --bind 127.0.0.1 --port "$port" --unixsocket "$dir/redis.sock" --unixsocketperm 700 --dir "$dir" --appendonly yes --appendfsync everysec \
  --save "" --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
stop() {
  if [ -f "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
  sleep 0.2; rm -rf "$dir"
}
trap stop EXIT
for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
export FOLIO_TEST_REDIS_URL="redis://127.0.0.1:$port/0"
export FOLIO_TEST_REDIS_SOCKET="$dir/redis.sock"
export FOLIO_TEST_REDIS_SERVER="$(command -v redis-server)"
export FOLIO_TEST_REDIS_PORT="$port"
export FOLIO_TEST_REDIS_DIR="$dir"
"$@"
