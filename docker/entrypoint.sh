#!/bin/sh
# The image's entrypoint (redis:7's docker-entrypoint.sh): `docker run redlua [redis.conf] [--directive value ...]`.
# Arguments that start with "-" or a config file are redlua-server's; the image's defaults (docker/redlua.conf) are
# read first and the user's config file is included after them, so that it and the arguments override the defaults.
set -e

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redlua-server "$@"
fi

if [ "$1" = 'redlua-server' ]; then
  shift
  defaults="${REDLUA_IMAGE_CONF:-/etc/redlua/redlua.conf}"
  if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then
    # a config file first: include it after the image's defaults (its path must exist, as redis-server checks)
    conf="$1"
    shift
    set -- --include "$conf" "$@"
  fi
  # exec: node becomes PID 1 and gets SIGTERM/SIGINT itself (redlua-server handles both)
  exec redlua-server "$defaults" "$@"
fi

exec "$@"
