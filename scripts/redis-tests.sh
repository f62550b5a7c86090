#!/usr/bin/env bash
# Redis 7.0.15's own TCL test suite as redlua's conformance gate (Redis counterpart: ./runtest); see docs/CONFORMANCE.md.
#
# Usage:
#   scripts/redis-tests.sh [options] [unit/X ...]           external mode (default): one fresh server per file, --clients 1
#   scripts/redis-tests.sh --full [options] [unit/X ...]    full mode: the harness starts its own servers from src/redis-server
#   scripts/redis-tests.sh --prepare                        only fetch, verify, unpack and install the wrappers
#
# Options:
#   --servers redlua,redis   which servers to run (default: redlua, plus redis-server when it is installed)
#   --base-port N            first port of a private range (100 ports per job; default 30000)
#   --jobs N                 files run in parallel (default 1)
#   --timeout SEC            per-file limit; a hang is reported as a timeout (default 300)
#   --update                 regenerate the must-pass list from this run's redlua passes (for the files run)
#   --no-check               do not compare with the must-pass list
#   --retries N              files with a must-pass miss run again up to N times (default 1: timing-sensitive tests)
#   --harness-args "..."     extra test_helper.tcl options (e.g. "--tags -slow")
# Without file arguments: external mode runs test/redis-suite/files.txt, full mode every file ./runtest runs.
# Environment: REDLUA_SUITE_DIR (default .tmp/redis-suite) holds the fetched sources, the trees and the results.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FETCH="$ROOT/native/.fetch"
SUITE="${REDLUA_SUITE_DIR:-$ROOT/.tmp/redis-suite}"
log() { echo "[redis-tests] $*" >&2; }
die() { echo "[redis-tests] ERROR: $*" >&2; exit 1; }
# shellcheck source=lib/fetch-sources.sh
. "$ROOT/scripts/lib/fetch-sources.sh"

MODE=external PREPARE_ONLY=0 CHECK=1 UPDATE=0
PASS=() FILES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) MODE=full ;;
    --external) MODE=external ;;
    --prepare) PREPARE_ONLY=1 ;;
    --update) UPDATE=1 ;;
    --no-check) CHECK=0 ;;
    --servers|--base-port|--jobs|--timeout|--retries|--harness-args) [ $# -ge 2 ] || die "$1 needs a value"; PASS+=("$1" "$2"); shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) FILES+=("$1") ;;
  esac
  shift
done

command -v tclsh >/dev/null || die "tclsh is not installed (apt-get install tcl)"
[ -f "$ROOT/dist/src/cli.js" ] || die "dist/src/cli.js is missing: run npx tsc -p tsconfig.json first"

# src/redis-server and friends inside a tree: the harness runs these by relative path.
install_wrappers() { # install_wrappers <tree> <redlua|redis>
  local src="$1/src" b
  mkdir -p "$src"
  if [ "$2" = redlua ]; then
    # exec keeps the PID the harness spawned: it waits for " PID: <pid>" in the logo
    printf '#!/bin/sh\n# redlua in place of redis-server, with the harness'"'"'s arguments (config file, then options)\nexec "%s" "%s" "$@"\n' \
      "$(command -v node)" "$ROOT/dist/src/cli.js" > "$src/redis-server"
  else
    printf '#!/bin/sh\nexec redis-server "$@"\n' > "$src/redis-server"
  fi
  for b in redis-cli redis-benchmark redis-check-aof redis-check-rdb; do
    if command -v "$b" >/dev/null; then
      printf '#!/bin/sh\nexec %s "$@"\n' "$(command -v "$b")" > "$src/$b"
    else
      printf '#!/bin/sh\necho "%s is not installed (apt-get install redis-tools): this test needs it" >&2\nexit 127\n' "$b" > "$src/$b"
    fi
  done
  chmod +x "$src"/redis-*
}

prepare() {
  local stamp="$SUITE/.prepared"
  local want
  want="$(redis_source_lines | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d "$SUITE/redlua/redis-7.0.15/tests" ] || [ ! -d "$SUITE/redis/redis-7.0.15/tests" ]; then
    fetch_verified "$(redis_source_lines)"
    log "unpacking the test trees into $SUITE"
    rm -rf "$SUITE/redlua" "$SUITE/redis"
    unpack_redis "$SUITE/redlua"
    mkdir -p "$SUITE/redis"
    cp -a "$SUITE/redlua/redis-7.0.15" "$SUITE/redis/"
    echo "$want" > "$stamp"
  fi
  install_wrappers "$SUITE/redlua/redis-7.0.15" redlua
  install_wrappers "$SUITE/redis/redis-7.0.15" redis
}

prepare
[ "$PREPARE_ONLY" = 1 ] && { log "trees ready: $SUITE/redlua/redis-7.0.15 (redlua) and $SUITE/redis/redis-7.0.15 (redis-server)"; exit 0; }

if [ ${#FILES[@]} -eq 0 ] && [ "$MODE" = external ]; then
  mapfile -t FILES < <(grep -v '^\s*#' "$ROOT/test/redis-suite/files.txt" | grep -v '^\s*$')
fi
MUST=("--must-pass" "$ROOT/test/redis-suite/must-pass-$MODE.txt")
[ "$CHECK" = 1 ] || [ "$UPDATE" = 1 ] || MUST=()
[ "$UPDATE" = 1 ] && MUST+=("--update")
exec node "$ROOT/scripts/lib/redis-suite.mjs" --mode "$MODE" --tree "$SUITE/redlua/redis-7.0.15" --redis-tree "$SUITE/redis/redis-7.0.15" \
  --redlua "$ROOT/dist/src/cli.js" --out "$SUITE/results" --base-port 30000 "${PASS[@]}" "${MUST[@]}" "${FILES[@]}"
