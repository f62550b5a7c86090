#!/usr/bin/env bash
# Builds wasm/redlua.wasm (Lua 5.1.5 + cjson/cmsgpack/struct/bit + shim) from pinned Debian sources; Redis counterpart: deps/Makefile "lua" target.
#
# Usage:
#   scripts/build-wasm.sh            fetch + verify + unpack + patch sources, build, update wasm/ (artifact + BUILDINFO.json)
#   scripts/build-wasm.sh --check    same, but build into a temp dir and fail if the bytes differ from the committed wasm/redlua.wasm
#   scripts/build-wasm.sh --fetch    only fetch/verify/unpack/patch sources into native/<lib>/src/
#
# Environment:
#   REDLUA_WASM_VARIANT  sjlj mode: "wasm-sjlj" (default, -sSUPPORT_LONGJMP=wasm) or "js-sjlj" (emscripten invoke_* glue; bench only)
#   REDLUA_WASM_OPT      optimisation flags, default "-O3 -flto"
#   REDLUA_WASM_MALLOC   dlmalloc (default) or emmalloc
#   REDLUA_WASM_OUT      output dir (default: wasm/)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NATIVE="$ROOT/native"
FETCH="$NATIVE/.fetch"
LIBS=(lua51 cjson cmsgpack struct bit)
MODE=build
case "${1:-}" in
  --check) MODE=check ;;
  --fetch) MODE=fetch ;;
  "") ;;
  *) echo "usage: $0 [--check|--fetch]" >&2; exit 2 ;;
esac

VARIANT="${REDLUA_WASM_VARIANT:-wasm-sjlj}"
OPT="${REDLUA_WASM_OPT:--O3 -flto}"
MALLOC="${REDLUA_WASM_MALLOC:-dlmalloc}"

export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"   # Debian's emcc finds acorn there
export SOURCE_DATE_EPOCH=0
export LC_ALL=C
export TZ=UTC

log() { echo "[build-wasm] $*" >&2; }
die() { echo "[build-wasm] ERROR: $*" >&2; exit 1; }

# --- fetch (shared with scripts/redis-tests.sh) -------------------------------------------------
# shellcheck source=lib/fetch-sources.sh
. "$ROOT/scripts/lib/fetch-sources.sh"
lmf() { mf "$NATIVE/$1/manifest.json" "$2"; }   # lmf <lib> <js expression over m>

fetch_sources() {
  fetch_verified "$(for l in "${LIBS[@]}"; do lmf "$l" 'm.sources.map(s=>s.tarball+" "+s.sha256+" "+s.apt)'; done | sort -u)"
}

unpack_sources() {
  local work="$FETCH/work"
  rm -rf "$work"
  unpack_redis "$work"
  # Pristine stock Lua 5.1.5: reference for native/README.md's deviation list only.
  tar -C "$work" -xzf "$FETCH/lua5.1_5.1.5.orig.tar.gz"
  for l in "${LIBS[@]}"; do
    local from dst
    from="$work/$(lmf "$l" 'm.from')"
    dst="$NATIVE/$l/src"
    rm -rf "$dst"; mkdir -p "$dst"
    while read -r f; do cp "$from/$f" "$dst/$f"; done < <(lmf "$l" 'm.files')
    while read -r p; do
      [ -n "$p" ] || continue
      patch -s -p1 -d "$dst" < "$NATIVE/$l/$p" || die "patch $l/$p failed"
    done < <(lmf "$l" 'm.patches')
  done
  log "sources unpacked and patched into native/<lib>/src/"
}

# --- compile ------------------------------------------------------------------------------------
emcc_version() { emcc --version 2>/dev/null | head -1 || true; }

cflags_common() {
  echo "$OPT -std=gnu99 -DLUA_ANSI -DENABLE_CJSON_GLOBAL -DREDIS_STATIC= -DLUA_USE_MKSTEMP -DLUA_USELONGLONG -DNDEBUG"
  echo "-fno-strict-aliasing -ffp-contract=off -Wno-everything"
  if [ "$VARIANT" = wasm-sjlj ]; then echo "-sSUPPORT_LONGJMP=wasm"; fi
}

ldflags() {
  local exports
  exports="$(grep -v '^\s*#' "$NATIVE/exports.txt" | grep -v '^\s*$' | sed 's/^/_/' | paste -sd, -)"
  if [ "$VARIANT" = js-sjlj ]; then exports="$exports,_setThrew"; fi
  echo "$OPT -sSTANDALONE_WASM=1 --no-entry -sFILESYSTEM=0 -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16777216 -sMAXIMUM_MEMORY=4294967296"
  echo "-sTOTAL_STACK=2097152 -sWASM_BIGINT=1 -sMALLOC=$MALLOC -sERROR_ON_UNDEFINED_SYMBOLS=0 -sEXPORTED_FUNCTIONS=$exports"
  if [ "$VARIANT" = wasm-sjlj ]; then echo "-sSUPPORT_LONGJMP=wasm"; else echo "-sSUPPORT_LONGJMP=emscripten"; fi
}

build_into() { # build_into <outdir>
  local out="$1" obj="$1/obj"
  mkdir -p "$obj"
  local inc="-I$NATIVE/lua51/src -I$NATIVE/cjson/src"
  local cf; cf="$(cflags_common | tr '\n' ' ')"
  local objs=()
  for l in "${LIBS[@]}"; do
    while read -r f; do
      [ -n "$f" ] || continue
      local o="$obj/$l-${f%.c}.o"
      # -ffile-prefix-map keeps absolute paths out of the objects: the --check build runs elsewhere.
      emcc $cf $inc -ffile-prefix-map="$ROOT"=. -c "$NATIVE/$l/src/$f" -o "$o"
      objs+=("$o")
    done < <(lmf "$l" 'm.compile')
  done
  emcc $cf $inc -ffile-prefix-map="$ROOT"=. -Wall -c "$NATIVE/shim/redlua.c" -o "$obj/shim-redlua.o"
  objs+=("$obj/shim-redlua.o")
  # shellcheck disable=SC2046
  emcc $(ldflags | tr '\n' ' ') "${objs[@]}" -o "$out/redlua.wasm"
  rm -f "$out/redlua.js"
}

inputs_json() { # describes every input of the artifact, with sha256s
  {
    echo "{"
    echo "  \"emcc\": \"$(emcc_version)\","
    echo "  \"variant\": \"$VARIANT\","
    echo "  \"cflags\": \"$(cflags_common | tr '\n' ' ' | sed 's/ *$//')\","
    echo "  \"ldflags\": \"$(ldflags | tr '\n' ' ' | sed 's/ *$//')\","
    echo "  \"tarballs\": {"
    for l in "${LIBS[@]}"; do lmf "$l" 'm.sources.map(s=>"    \""+s.tarball+"\": \""+s.sha256+"\"")'; done | sort -u | sed '$!s/$/,/'
    echo "  },"
    echo "  \"files\": {"
    (cd "$ROOT" && for f in native/*/manifest.json native/*/patches/*.patch native/shim/* native/exports.txt scripts/build-wasm.sh scripts/lib/fetch-sources.sh native/*/src/*; do
       echo "    \"$f\": \"$(sha256sum "$f" | cut -d' ' -f1)\""; done) | sed '$!s/$/,/'
    echo "  }"
    echo "}"
  }
}

# --- main ---------------------------------------------------------------------------------------
fetch_sources
unpack_sources
[ "$MODE" = fetch ] && exit 0
if ! command -v emcc >/dev/null; then
  # Fresh CI machine: Debian's emscripten 3.1.6 is the pinned compiler.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing emscripten"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq emscripten >&2 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq emscripten >&2; }
  fi
  command -v emcc >/dev/null || die "emcc not found (apt-get install -y emscripten)"
fi

if [ "$MODE" = check ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  build_into "$tmp"
  want="$(sha256sum "$ROOT/wasm/redlua.wasm" | cut -d' ' -f1)"
  got="$(sha256sum "$tmp/redlua.wasm" | cut -d' ' -f1)"
  if [ "$want" != "$got" ]; then
    die "rebuilt wasm differs from committed wasm/redlua.wasm (committed $want, rebuilt $got)"
  fi
  log "OK: rebuilt bytes match wasm/redlua.wasm ($got)"
  exit 0
fi

OUT="${REDLUA_WASM_OUT:-$ROOT/wasm}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
build_into "$tmp"
mkdir -p "$OUT"
cp "$tmp/redlua.wasm" "$OUT/redlua.wasm"
cp "$NATIVE/exports.txt" "$OUT/exports.txt"   # shipped copy of the one export list (npm packages carry wasm/, not native/)
{
  inputs_json | sed '$d'
  echo "  ,\"artifact\": { \"wasm/redlua.wasm\": \"$(sha256sum "$OUT/redlua.wasm" | cut -d' ' -f1)\", \"bytes\": $(stat -c %s "$OUT/redlua.wasm") }"
  echo "}"
} > "$OUT/BUILDINFO.json"
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"))' "$OUT/BUILDINFO.json" || die "BUILDINFO.json is not valid JSON"
log "built $OUT/redlua.wasm ($(stat -c %s "$OUT/redlua.wasm") bytes)"
