# Shared by scripts/build-wasm.sh and scripts/redis-tests.sh: fetch the pinned Debian source packages with apt-get
# source, verify their sha256, and unpack Redis 7.0.15 with Debian's patch series applied (as dpkg-source would).
# Source this file after setting ROOT (the repository) and FETCH (the download dir) and defining log() and die().

# mf <manifest.json> <js expression over m>: prints the value, one line per array element
# (node is always present: this is a Node project)
mf() {
  node -e 'const m=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const r=('"$2"'); console.log(Array.isArray(r)?r.join("\n"):String(r));' "$1"
}

# The pinned Redis source package (orig tarball + Debian tarball) as "tarball sha256 apt-spec" lines, from the one place
# that pins it: the native/ manifests.
redis_source_lines() {
  mf "$ROOT/native/lua51/manifest.json" 'm.sources.filter(s=>s.tarball.startsWith("redis_")).map(s=>s.tarball+" "+s.sha256+" "+s.apt)'
}

ensure_deb_src() {
  if apt-get indextargets --format '$(IDENTIFIER)' 2>/dev/null | grep -qx 'Sources'; then return 0; fi
  [ "$(id -u)" = 0 ] || die "deb-src is not enabled and we are not root; enable deb-src or pre-fill $FETCH"
  log "enabling deb-src"
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/debian-src.sources
  elif [ -f /etc/apt/sources.list ]; then
    grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > /etc/apt/sources.list.d/debian-src.list
  else
    die "cannot find apt sources to derive deb-src from"
  fi
  apt-get update -qq
}

# fetch_verified <lines>: downloads into $FETCH every "tarball sha256 apt-spec" line whose tarball is missing or has the
# wrong hash, then checks every sha256.
fetch_verified() {
  local lines="$1"
  mkdir -p "$FETCH"
  local missing=()
  while read -r tb sha apt; do
    if [ -f "$FETCH/$tb" ] && [ "$(sha256sum "$FETCH/$tb" | cut -d' ' -f1)" = "$sha" ]; then continue; fi
    missing+=("$apt")
  done <<< "$lines"
  if [ ${#missing[@]} -gt 0 ]; then
    ensure_deb_src
    local specs
    specs="$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
    log "apt-get source --download-only $specs"
    if ! (cd "$FETCH" && apt-get source --download-only $specs >&2); then
      # deb-src may be configured but its index never downloaded
      [ "$(id -u)" = 0 ] || die "apt-get source failed"
      apt-get update -qq
      (cd "$FETCH" && apt-get source --download-only $specs >&2) || die "apt-get source failed"
    fi
  fi
  while read -r tb sha apt; do
    [ -f "$FETCH/$tb" ] || die "missing $tb after fetch"
    local got
    got="$(sha256sum "$FETCH/$tb" | cut -d' ' -f1)"
    [ "$got" = "$sha" ] || die "sha256 mismatch for $tb: got $got want $sha"
  done <<< "$lines"
  log "sources verified"
}

# unpack_redis <dir>: creates <dir>/redis-7.0.15 from the verified tarballs, Debian's patches applied in series order.
unpack_redis() {
  local work="$1"
  mkdir -p "$work"
  rm -rf "$work/redis-7.0.15"
  tar -C "$work" -xzf "$FETCH/redis_7.0.15.orig.tar.gz"
  tar -C "$work/redis-7.0.15" -xJf "$FETCH/redis_7.0.15-1~deb12u10.debian.tar.xz"
  local p
  while read -r p; do
    p="${p%%#*}"; p="$(echo "$p" | xargs)"; [ -n "$p" ] || continue
    patch -s -p1 -d "$work/redis-7.0.15" < "$work/redis-7.0.15/debian/patches/$p" || die "debian patch $p failed"
  done < "$work/redis-7.0.15/debian/patches/series"
}
