#!/usr/bin/env bash
# `make demo`: the newcomer's first command. Installs what is missing (npm packages; redis-server
# through apt when running as root, else prints the command), builds, and runs demo/dist/main.js:
# a private Redis, a local Mars chain with a crash scenario and the whole fleet under one manager
# per product, with a live per-block table and a summary. Exit 0 when every liquidatable position
# was liquidated. ORCHESTRATOR=docker runs the services as containers of the images
# `make docker_build` built (a Docker engine is started when none answers and we are root).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/apt.sh

bash scripts/ensure-npm.sh
apt_install redis-server redis-server

started_dockerd=""
if [ "${ORCHESTRATOR:-process}" = docker ]; then
  if ! docker info >/dev/null 2>&1; then
    bash scripts/docker/ensure-dockerd.sh
    started_dockerd=1
  fi
  for image in multichain-collector multichain-health-checker multichain-liquidator; do
    if ! docker image inspect "$image:latest" >/dev/null 2>&1; then
      echo "the image $image:latest is missing: run 'make docker_build' first, then ORCHESTRATOR=docker make demo again" >&2
      [ -n "$started_dockerd" ] && bash scripts/docker/stop-dockerd.sh
      exit 1
    fi
  done
fi
cleanup() { if [ -n "$started_dockerd" ]; then bash scripts/docker/stop-dockerd.sh || true; fi; }
trap cleanup EXIT

npx --no-install tsc -b
# Not exec: the trap above stops a dockerd started here. Ctrl-C reaches node, which stops its fleet.
node demo/dist/main.js "$@"
