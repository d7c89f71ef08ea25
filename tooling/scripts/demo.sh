#!/usr/bin/env bash
# The demo command: toolchain, dependencies, services, a build of the packages,
# then the demo order service (apps/demo) started on a free port, every probe of
# apps/demo/probe.config.ts run against it, and the service stopped again.
# Reports land in probe-report/: run.ndjson, junit.xml, checklist.md, report.html, and the service's log.
#
#   npm run demo                      the healthy service: exit 0
#   npm run demo -- --defects         the service with its five defects: see what failures look like
#   npm run demo -- --only 'db.*'     any other argument goes to `probe run`
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
started_ns=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - $1) / 1000000 ))"; }
seconds() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }

defects=0
probe_args=()
for argument in "$@"; do
  if [ "$argument" = --defects ]; then defects=1; else probe_args+=("$argument"); fi
done
if [ "${DEMO_DEFECTS:-}" = 1 ] || [ "${DEMO_DEFECTS:-}" = true ]; then defects=1; fi

. tooling/scripts/install.sh
. tooling/scripts/services-env.sh
pnpm exec turbo run build --filter=@probe/demo... --output-logs=errors-only >/tmp/probe-demo-build.log 2>&1 || { cat /tmp/probe-demo-build.log >&2; exit 1; }
prepared_ms=$(elapsed "$started_ns")

# The service, a canary instance of it whose Redis goes through a fault proxy (as a Toxiproxy
# sidecar would be: the cache experiment injects its fault there, away from the main instance),
# and the proxy: child processes on free ports, stopped on any exit (also Ctrl-C).
mkdir -p probe-report
service_log=probe-report/service.log   # the instances' own log, kept beside the reports
scratch=$(mktemp -d -t probe-demo.XXXXXX)
service_pid=
canary_pid=
proxy_pid=
stop_process() {  # PID: SIGTERM, up to 5 s, then SIGKILL
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
  fi
}
stop_all() {
  stop_process "$canary_pid"; canary_pid=
  stop_process "$service_pid"; service_pid=
  stop_process "$proxy_pid"; proxy_pid=
  rm -rf "$scratch"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
wait_for() {  # FILE PATTERN PID WHAT: until FILE has a line matching PATTERN (30 s), or PID died
  for _ in $(seq 1 300); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    if ! kill -0 "$3" 2>/dev/null; then cat "$1" "$service_log" 2>/dev/null >&2; echo "probe: $4 did not start (output above)" >&2; exit 1; fi
    sleep 0.1
  done
  cat "$1" >&2
  echo "probe: $4 was not ready within 30 s" >&2
  exit 1
}
start_instance() {  # ENV-FILE REDIS-URL: an instance of the service in the background
  PROBE_REDIS_URL=$2 DEMO_DEFECTS=$defects \
    node --conditions=@probe/source --disable-warning=TimeoutNegativeWarning apps/demo/src/main.ts --port 0 >"$1" 2>>"$service_log" &
}
: >"$service_log"

service_started_ns=$(date +%s%N)
start_instance "$scratch/service.env" "$PROBE_REDIS_URL"
service_pid=$!
node -e 'const u = new URL(process.env.PROBE_REDIS_URL); process.stdout.write(JSON.stringify([{ name: "demo_redis", listen: "127.0.0.1:0", upstream: `${u.hostname}:${u.port || 6379}` }]))' >"$scratch/proxies.json"
node apps/runner/dist/cli.js proxy --api 127.0.0.1:0 --config "$scratch/proxies.json" >"$scratch/proxy.out" 2>&1 &
proxy_pid=$!
wait_for "$scratch/proxy.out" '^probe: fault proxy .* on http' "$proxy_pid" 'the fault proxy'
DEMO_TOXIPROXY_URL=$(sed -n 's/^probe: fault proxy .* on \(http[^;]*\);.*/\1/p' "$scratch/proxy.out")
export DEMO_TOXIPROXY_URL
canary_redis_url=$(node -e 'fetch(`${process.env.DEMO_TOXIPROXY_URL}/proxies/demo_redis`).then((r) => r.json()).then((proxy) => {
  const url = new URL(process.env.PROBE_REDIS_URL); url.host = proxy.listen; process.stdout.write(url.toString()); })')
start_instance "$scratch/canary.env" "$canary_redis_url"   # the two start together: migrations and seeding take a lock
canary_pid=$!
wait_for "$scratch/service.env" '^DEMO_DEFECTS=' "$service_pid" 'the demo service'
wait_for "$scratch/canary.env" '^DEMO_DEFECTS=' "$canary_pid" 'the canary instance'
service_ms=$(elapsed "$service_started_ns")
set -a
. "$scratch/service.env"
DEMO_CANARY_URL=$(sed -n 's/^DEMO_URL=//p' "$scratch/canary.env")
set +a
sed -n '/^demo: order service/p' "$service_log" | head -n 1

# Every probe, with live progress and the summary; the runner's peak memory where GNU time is there.
measure=()
peak_file="$scratch/runner-peak-kib"
if /usr/bin/time -f '' true >/dev/null 2>&1; then measure=(/usr/bin/time -f '%M' -o "$peak_file"); fi
probes_started_ns=$(date +%s%N)
status=0
(cd apps/demo && ${measure[@]+"${measure[@]}"} node --disable-warning=TimeoutNegativeWarning ../runner/dist/cli.js run --config probe.config.ts \
  --ndjson ../../probe-report/run.ndjson --junit ../../probe-report/junit.xml --checklist ../../probe-report/checklist.md \
  --html ../../probe-report/report.html ${probe_args[@]+"${probe_args[@]}"}) || status=$?
probes_ms=$(elapsed "$probes_started_ns")
peak=
if [ -s "$peak_file" ]; then peak=", runner peak memory $(( $(tail -n 1 "$peak_file") / 1024 )) MiB"; fi
stop_all
echo
echo "probe: demo took $(seconds "$(elapsed "$started_ns")") (setup $(seconds "$prepared_ms"), service start $(seconds "$service_ms"), probes $(seconds "$probes_ms")${peak})"
echo "probe: reports in probe-report/: run.ndjson, junit.xml, checklist.md, report.html (open it in a browser), service.log"
if [ "$defects" = 0 ]; then
  echo "probe: see what failures look like: npm run demo -- --defects"
else
  echo "probe: the service ran with its defects (apps/demo/README.md lists them and the checks that catch each)"
fi
exit $status
