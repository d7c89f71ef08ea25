#!/usr/bin/env bash
# Source it: brings up the services tests and the demo need, and exports their URLs (PROBE_*).
probe_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
probe_services_out="$(node "$probe_root/tooling/services/src/cli.ts" up)" || {
  echo "probe: the services could not be brought up (see above); 'pnpm services:up' retries and 'tooling/services/README.md' explains" >&2
  return 1
}
set -a
eval "$probe_services_out"
set +a
