#!/usr/bin/env bash
# Run a command with the project's toolchain on PATH (Node 22+ and pnpm; see bootstrap.sh).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec "$@"
