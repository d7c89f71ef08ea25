#!/usr/bin/env bash
# Makes sure headless Chromium is at /usr/bin/chromium for the HTML report's browser test
# (apps/runner/test/html-report.test.ts drives it with playwright-core; Playwright's own
# browser downloads are never used). Idempotent: does nothing when it is already there.
# Installs Debian's `chromium` package when run as root; otherwise says what to run.
# Usage: bash tooling/scripts/ensure-chromium.sh   (exit 0 when Chromium is there afterwards)
set -euo pipefail
chromium="${PROBE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "probe: no Chromium at $chromium, and not root to install it: run 'sudo apt-get install -y chromium' (or set PROBE_CHROMIUM to a Chromium binary); the HTML report's browser test needs it under CI" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "probe: no Chromium at $chromium and no apt-get to install it: install Chromium and set PROBE_CHROMIUM to its binary" >&2
  exit 1
fi
echo "probe: installing Debian's chromium for the HTML report's browser test (once; a minute or two)" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq chromium; } >/tmp/probe-chromium-install.log 2>&1; then
  tail -n 20 /tmp/probe-chromium-install.log >&2
  echo "probe: installing chromium failed (log above, whole log in /tmp/probe-chromium-install.log)" >&2
  exit 1
fi
if [ ! -x "$chromium" ]; then
  echo "probe: chromium was installed but $chromium is not there; set PROBE_CHROMIUM to its binary" >&2
  exit 1
fi
echo "probe: $("$chromium" --version 2>/dev/null || echo chromium) installed" >&2
