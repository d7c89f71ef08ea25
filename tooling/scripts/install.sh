#!/usr/bin/env bash
# Source it: toolchain on PATH, then the workspace's dependencies installed from the lockfile
# (a no-op in well under a second when nothing changed).
. "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" || return 1
probe_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! (cd "$probe_root" && pnpm install --frozen-lockfile --reporter=append-only >/tmp/probe-install.log 2>&1); then
  cat /tmp/probe-install.log >&2
  echo "probe: 'pnpm install --frozen-lockfile' failed (log above); if you changed a package.json, run 'pnpm install' and commit pnpm-lock.yaml" >&2
  return 1
fi
