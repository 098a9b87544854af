#!/usr/bin/env bash
# `make test`: the one test command, on a fresh machine as on a developer's.
# 1. installs what is missing: npm packages (npm ci); redis-server and docker.io through apt when
#    absent and running as root (otherwise it prints the command to run);
# 2. starts dockerd (--bridge=none --iptables=false) when no Docker engine answers;
# 3. builds every workspace and runs every test; vitest's global setup starts a private
#    redis-server on a free port for the run;
# 4. stops what it started, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib/apt.sh

# No image registry is reachable where tests run: build images on the local node base directly.
export LOCAL_BASE_IMAGE="${LOCAL_BASE_IMAGE:-1}"

bash scripts/ensure-npm.sh
apt_install redis-server redis-server

started_dockerd=""
if ! docker info >/dev/null 2>&1; then
  bash scripts/docker/ensure-dockerd.sh
  started_dockerd=1
fi
cleanup() { if [ -n "$started_dockerd" ]; then bash scripts/docker/stop-dockerd.sh || true; fi; }
trap cleanup EXIT

npx tsc -b
npx tsc -p tsconfig.test.json   # type-check the tests too
# The service images, once, before the tests that run them (they would otherwise race to build them).
echo "building the service images (scripts/docker/build.sh)"
bash scripts/docker/build.sh >/dev/null
npx vitest run "$@"
