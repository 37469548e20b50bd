#!/usr/bin/env bash
# Prints the path of a moto_server (moto's stand-alone S3-compatible server), installing it once
# into ~/.cache/gpu-campus/moto-<version> from PyPI with pip. The state-locking e2e test runs it
# on loopback: moto honours `If-None-Match: *` on PutObject (PreconditionFailed on an existing key),
# which OpenTofu's S3 `use_lockfile` locking relies on.
# Exits 1 with one line saying why when Python, venv or the package cannot be had.
set -euo pipefail
MOTO_VERSION=5.2.5
cache=${GPU_CAMPUS_CACHE:-$HOME/.cache/gpu-campus}
venv=$cache/moto-$MOTO_VERSION
server=$venv/bin/moto_server

# A venv cannot be moved once made (its scripts name their interpreter by path), so it is built in
# place and marked complete last; a half-built one is removed and built again.
if [[ ! -f $venv/.complete ]]; then
  python=$(command -v python3 || true)
  if [[ -z $python ]]; then
    echo "moto-server: no python3 on PATH" >&2
    exit 1
  fi
  rm -rf "$venv"
  mkdir -p "$cache"
  if ! "$python" -m venv "$venv" >&2; then
    echo "moto-server: python3 -m venv failed (install the python3-venv package)" >&2
    exit 1
  fi
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2; then
    rm -rf "$venv"
    echo "moto-server: pip could not install moto[server]==$MOTO_VERSION (no package index reachable?)" >&2
    exit 1
  fi
  touch "$venv/.complete"
fi
echo "$server"
