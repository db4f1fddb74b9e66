#!/usr/bin/env bash
# HTTP benchmark with wrk: accepted renders/s and accept latency at 1, 64 and 1000 connections, each sending as fast as
# answers come back (HTTP only, no workers, so accepting is measured alone); accept latency at a fixed offered rate on 64
# connections (open loop, --rate requests/s); then end-to-end documents/s through HTTP + queue + render (POST ?wait=30
# with workers), paired round by round with the raw `folio bench render` figure for the same template, all in one run.
# Prints a table and writes JSON.
#
#   benchmarks/http.sh [--redis [--redis-socket]] [--seconds 10] [--warmup 3] [--rate 5000] [--rounds 3] [--e2e-connections 64]
#                      [--e2e-warmup 15] [--template invoice] [--out FILE.json]
#
# Every step starts a fresh server and first runs its own load for --warmup seconds (end to end: --e2e-warmup), unrecorded,
# so that the figures are the steady state (connections made, templates' shape plans compiled, render threads' font
# caches filled), as the raw render figure is. End to end is given longer: in one check in 5 s windows after a start, a one-core
# server's documents/s rose by about 20 % over the first 20 s (213, 199, 213, 216, 226, 226, then 245–264).
#
# Closed-loop latency at 64 connections is queueing, not service time: 64 requests always in flight at N requests/s wait
# 64/N s on average (Little's law). The open-loop line is the latency a client sees at that load.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=10; TEMPLATE=invoice; REDIS=0; SOCKET=0; OUT=""; RATE=5000; WARMUP=3; ROUNDS=3; E2E_CONNS=64; E2E_WARMUP=15
while [ $# -gt 0 ]; do case "$1" in
  --seconds) SECONDS_PER=$2; shift 2;; --warmup) WARMUP=$2; shift 2;; --rate) RATE=$2; shift 2;; --rounds) ROUNDS=$2; shift 2;;
  --e2e-connections) E2E_CONNS=$2; shift 2;; --e2e-warmup) E2E_WARMUP=$2; shift 2;;
  --template) TEMPLATE=$2; shift 2;; --redis) REDIS=1; shift;; --redis-socket) SOCKET=1; shift;;
  --out) OUT=$2; shift 2;; *) echo "unknown option $1" >&2; exit 2;; esac; done
BIN=${FOLIO_BIN:-.build/release/folio}
[ -x "$BIN" ] || swift build -c release --product folio
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n 4096 || true
dir=$(mktemp -d /tmp/folio-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
            [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
redis_args=(); BIN_PREFIX=()
if [ "$REDIS" = 1 ]; then
  rport=$(freeport)
  redis-server --bind 127.0.0.1 --port "$rport" --unixsocket "$dir/redis.sock" --unixsocketperm 700 --dir "$dir" \
    --save "" --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  for _ in $(seq 1 50); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done
  # --redis-socket: the service reaches the same Redis through its Unix socket (a Redis on the same host), not TCP.
  redis_args=(--redis-url "redis://127.0.0.1:$rport/0")
  [ "$SOCKET" = 1 ] && redis_args=(--redis-url "unix://$dir/redis.sock")
fi
python3 - "$TEMPLATE" > "$dir/body.json" <<'PY'
import json, sys
t = sys.argv[1]
print(json.dumps({"template": t, "data": json.load(open(f"templates/{t}/sample.json"))}))
PY
export FOLIO_BENCH_BODY="$dir/body.json"
start_serve() { # $1 = extra flags; sets $port and appends the server's pid to $pids
  port=$(freeport)
  "${BIN_PREFIX[@]}" "$BIN" serve --port "$port" "${redis_args[@]}" --set results_dir="$dir/results" --set log_level=error \
    --set max_queue_depth=100000000 --set result_ttl=600 $1 >"$dir/serve-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
}
results="[]"
add() { results=$(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r.append(json.loads(sys.argv[2])); print(json.dumps(r))' "$results" "$1"); }

# Each step starts a fresh server on an empty Redis: a backlog of the earlier steps' accepted jobs (hundreds of thousands
# of 4 KB payloads) would slow the later ones and say nothing about accepting.
fresh_serve() { # $1 = extra flags
  [ ${#pids[@]} -gt 0 ] && { kill "${pids[-1]}" 2>/dev/null || true; wait "${pids[-1]}" 2>/dev/null || true; }
  [ "$REDIS" = 1 ] && redis-cli -p "$rport" FLUSHALL >/dev/null
  rm -rf "$dir/results"
  start_serve "$1"
}

# 1. Accept: HTTP only, as fast as answers come back.
for c in 1 64 1000; do
  fresh_serve "--no-workers"
  threads=$(( c < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$c" -d"${WARMUP}s" --timeout 10s -s benchmarks/post-render.lua "http://127.0.0.1:$port/v1/renders" >/dev/null
  line=$(wrk -t"$threads" -c"$c" -d"${SECONDS_PER}s" --timeout 10s -s benchmarks/post-render.lua "http://127.0.0.1:$port/v1/renders" | tail -1)
  add "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(kind="accept", connections=int(sys.argv[2])); print(json.dumps(d))' "$line" "$c")"
done
# Open loop: 64 connections, sending at a fixed rate whatever the answers do.
fresh_serve "--no-workers"
FOLIO_BENCH_RATE=$RATE FOLIO_BENCH_THREADS=1 wrk -t1 -c64 -d"${WARMUP}s" --timeout 10s \
  -s benchmarks/post-render-paced.lua "http://127.0.0.1:$port/v1/renders" >/dev/null
line=$(FOLIO_BENCH_RATE=$RATE FOLIO_BENCH_THREADS=1 wrk -t1 -c64 -d"${SECONDS_PER}s" --timeout 10s \
  -s benchmarks/post-render-paced.lua "http://127.0.0.1:$port/v1/renders" | tail -1)
add "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(kind="accept_at_rate", connections=64); print(json.dumps(d))' "$line")"

# 2. End to end (POST ?wait=30 with workers; each 200 is one finished document), paired with 3. the raw render figure
# (`folio bench render`, all cores, the same template): --rounds rounds of one then the other, each --seconds long, so
# that both figures of a round see the same machine. A shared machine's speed drifts by tens of percent within minutes;
# one end-to-end run against one raw run minutes apart measured that drift as much as the service.
# CPU per document is read too (server and Redis from /proc, wrk from its rusage): it says what the ratio would be with
# wrk and Redis on other machines. Both figures are throughputs at saturation; end to end uses 64 connections by default
# (the accept bar's count), which keeps a queue of waiting jobs that workers lease in batches. With 16 connections the
# server is as busy but each document costs it more (fewer jobs per Redis call): about 6 % fewer documents/s, at 40 ms
# instead of 150 ms median latency.
tick=$(getconf CLK_TCK)
cpu_of() { awk -v t="$tick" '{print ($14+$15)/t}' "/proc/$1/stat"; }
wrk_timed() { # a wrk command line, with its CPU seconds (user + system) appended to $dir/wrk.cpu
  python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[2:], check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "a").write("%f\n" % (r.ru_utime + r.ru_stime))' "$dir/wrk.cpu" "$@"; }
# The rounds run twice: first with server, Redis and wrk sharing every core ("shared"); then, on a machine with 2 cores
# or more, with the server alone on all cores but the first and Redis and wrk on the first ("server alone"), where the raw
# render runs on the server's cores too. The second placement measures what the CPU-per-document ratio only estimates:
# the service's own cost, as with a load generator and a Redis on other machines.
ncpu=$(nproc)
run_e2e() { # $1 = placement, $2 = the server's CPU list ("" = any), $3 = the CPU list of Redis and wrk ("" = any)
  local placement=$1 server_cpus=$2 client_cpus=$3 pin_server=() pin_client=()
  [ -n "$server_cpus" ] && pin_server=(taskset -c "$server_cpus")
  [ -n "$client_cpus" ] && pin_client=(taskset -c "$client_cpus")
  BIN_PREFIX=("${pin_server[@]}"); fresh_serve ""; BIN_PREFIX=()
  local serve_pid=${pids[-1]} redis_pid=""
  [ "$REDIS" = 1 ] && redis_pid=$(cat "$dir/redis.pid")
  if [ -n "$client_cpus" ] && [ -n "$redis_pid" ]; then taskset -a -cp "$client_cpus" "$redis_pid" >/dev/null; fi
  "${pin_client[@]}" wrk -t2 -c"$E2E_CONNS" -d"${E2E_WARMUP}s" --timeout 40s -s benchmarks/post-render.lua \
    "http://127.0.0.1:$port/v1/renders?wait=30" >/dev/null
  for round in $(seq 1 "$ROUNDS"); do
    s0=$(cpu_of "$serve_pid"); r0=0; [ -n "$redis_pid" ] && r0=$(cpu_of "$redis_pid")
    rm -f "$dir/wrk.cpu"
    line=$(wrk_timed "${pin_client[@]}" wrk -t2 -c"$E2E_CONNS" -d"${SECONDS_PER}s" --timeout 40s -s benchmarks/post-render.lua \
           "http://127.0.0.1:$port/v1/renders?wait=30" | tail -1)
    s1=$(cpu_of "$serve_pid"); r1=0; [ -n "$redis_pid" ] && r1=$(cpu_of "$redis_pid")
    add "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(kind="end_to_end", placement=sys.argv[7], connections=int(sys.argv[6]), round=int(sys.argv[2]), server_cpu_s=float(sys.argv[3]), redis_cpu_s=float(sys.argv[4]), wrk_cpu_s=float(sys.argv[5])); print(json.dumps(d))' \
          "$line" "$round" "$(awk -v a="$s1" -v b="$s0" 'BEGIN{print a-b}')" "$(awk -v a="$r1" -v b="$r0" 'BEGIN{print a-b}')" "$(cat "$dir/wrk.cpu")" "$E2E_CONNS" "$placement")"
    raw=$("${pin_server[@]}" "$BIN" bench render --only "$TEMPLATE" --exact --all-cores-only --seconds "$SECONDS_PER" --json)
    raws=$(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); x=json.loads(sys.argv[2])["results"][0]; x["placement"]=sys.argv[3]; r.append(x); print(json.dumps(r))' "$raws" "$raw" "$placement")
  done
  if [ -n "$client_cpus" ] && [ -n "$redis_pid" ]; then taskset -a -cp "0-$((ncpu - 1))" "$redis_pid" >/dev/null; fi
}
raws="[]"
run_e2e shared "" ""
[ "$ncpu" -ge 2 ] && run_e2e server_alone "1-$((ncpu - 1))" "0"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

python3 - "$results" "$raws" "$TEMPLATE" "$REDIS" "${OUT}" "$("$BIN" --version 2>/dev/null || true)" "$SOCKET" <<'PY'
import json, sys, os, datetime, statistics
results, raws, template, redis, out = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3], sys.argv[4] == "1", sys.argv[5]
def paired(placement):
    e2es = [r for r in results if r["kind"] == "end_to_end" and r["placement"] == placement]
    rounds = []
    for e, raw in zip(e2es, [r for r in raws if r["placement"] == placement]):
        docs = e["requests"] - e["non_2xx"]
        dps = docs / e["seconds"]
        rounds.append({"end_to_end_documents_per_second": round(dps, 1), "raw_documents_per_second": round(raw["documentsPerSecond"], 1),
                       "raw_threads": raw["threads"],
                       "ratio": round(dps / raw["documentsPerSecond"], 3) if raw["documentsPerSecond"] else None,
                       "server_cpu_ms_per_document": round(e["server_cpu_s"] * 1000 / docs, 3) if docs else None,
                       "redis_cpu_ms_per_document": round(e["redis_cpu_s"] * 1000 / docs, 3) if docs and redis else None,
                       "wrk_cpu_ms_per_document": round(e["wrk_cpu_s"] * 1000 / docs, 3) if docs else None,
                       "raw_cpu_ms_per_document": round(raw["cpuMillisecondsPerDocument"], 3)})
    def med(k):
        values = [r[k] for r in rounds if r[k] is not None]
        return statistics.median(values) if values else None
    cpu = {k: med(k + "_cpu_ms_per_document") for k in ("server", "redis", "wrk", "raw")}
    raw_values = [r["raw_documents_per_second"] for r in rounds if r["raw_documents_per_second"]]
    return {"paired_rounds": rounds, "raw_render_documents_per_second": med("raw_documents_per_second"),
            "end_to_end_vs_raw": med("ratio"), "cpu_ms_per_document": cpu,
            "end_to_end_vs_raw_by_server_cpu": round(cpu["raw"] / cpu["server"], 3) if cpu["raw"] and cpu["server"] else None,
            "raw_spread": round(max(raw_values) / min(raw_values), 3) if raw_values and min(raw_values) > 0 else None}
shared = paired("shared")
alone = paired("server_alone") if any(r.get("placement") == "server_alone" for r in results) else None
engine = ("redis over its unix socket" if sys.argv[7] == "1" else "redis") if redis else "embedded"
report = {"date": datetime.datetime.utcnow().isoformat() + "Z", "engine": engine, "template": template,
          "cores": os.cpu_count(), "version": sys.argv[6], "results": results, **shared}
if alone: report["server_alone"] = alone
print(f"engine: {report['engine']}, template: {template}, cores: {report['cores']}")
print(f"{'case':<30}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'errors':>8}")
for r in results:
    errs = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
    kind = f"accept at {r['target_rps']}/s" if r["kind"] == "accept_at_rate" else r["kind"]
    if r["kind"] == "end_to_end": kind = f"end to end, {r['placement'].replace('_', ' ')}, {r['round']}"
    print(f"{kind:<30}{r['connections']:>6}{r['rps']:>10.0f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}{r['non_2xx']:>9}{errs:>8}")
    if r["kind"] == "accept_at_rate":
        print(f"{'':<30}sends fell behind the schedule by up to {r['lag_ms']:.1f} ms (near 0: the rate was really offered)")
for name, part in (("all sharing every core", shared), ("server alone on its cores, Redis and wrk on CPU 0", alone)):
    if not part: continue
    print(f"paired rounds, {name} (end to end, then raw render on the same cores, each as long as the other):")
    for i, r in enumerate(part["paired_rounds"], 1):
        print(f"  round {i}: end to end {r['end_to_end_documents_per_second']:.0f} docs/s, raw {r['raw_documents_per_second']:.0f} docs/s "
              f"({r['raw_threads']} threads), ratio {r['ratio']}")
    print(f"  end to end / raw, median of the rounds: {part['end_to_end_vs_raw']}")
    if part["raw_spread"] and part["raw_spread"] > 1.15:
        print(f"  warning: the raw render figure moved by {100 * (part['raw_spread'] - 1):.0f} % between rounds: the machine's "
              f"speed changed during the run (another load on its cores), so the ratios disagree; run again")
    cpu = part["cpu_ms_per_document"]
    redis_part = f"Redis {cpu['redis']:.2f} ms, " if cpu["redis"] is not None else ""
    print(f"  CPU per document (medians): raw render {cpu['raw']:.2f} ms; end to end: server {cpu['server']:.2f} ms, "
          f"{redis_part}wrk {cpu['wrk']:.2f} ms; ratio by the server's CPU alone: {part['end_to_end_vs_raw_by_server_cpu']}")
if out:
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    json.dump(report, open(out, "w"), indent=2)
PY
