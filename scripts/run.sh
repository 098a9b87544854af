#!/usr/bin/env bash
# `make run`: the operator's command on a VPS with Docker. Validates $ENV_FILE (default .env), then
# starts Redis (a container, when REDIS_ENDPOINT is the local default and nothing answers there) and
# the manager container with ORCHESTRATOR=docker, which starts and scales the other services as
# containers of the same images. Run it again to upgrade: the manager container is replaced and
# adopts the running fleet. `make stop` stops the manager (its services scale to zero).
set -euo pipefail
cd "$(dirname "$0")/.."
ENV_FILE="${ENV_FILE:-.env}"
if [ ! -f "$ENV_FILE" ]; then
  echo "no $ENV_FILE: 'cp .env.example $ENV_FILE', fill in the endpoints and the mnemonic file, then make run" >&2
  exit 2
fi
node manager/dist/cli.js check --env-file "$ENV_FILE"

value() { sed -n "s/^$1=//p" "$ENV_FILE" | tail -1; }
chain="$(value CHAIN_NAME)"; product="$(value PRODUCT)"
name="mlb-manager-${chain:-osmosis}-${product:-redbank}"
redis="$(value REDIS_ENDPOINT)"

if [ -z "$redis" ] || [ "$redis" = "redis://127.0.0.1:6379" ]; then
  if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
    echo "starting Redis (container mlb-redis, ${REDIS_IMAGE:-redis:7}, 127.0.0.1:6379, append-only file in volume mlb-redis-data)"
    docker rm -f mlb-redis >/dev/null 2>&1 || true
    docker run -d --name mlb-redis --network host --restart unless-stopped -v mlb-redis-data:/data \
      "${REDIS_IMAGE:-redis:7}" redis-server --port 6379 --bind 127.0.0.1 --appendonly yes >/dev/null
  fi
fi

mounts=(-v /var/run/docker.sock:/var/run/docker.sock --group-add "$(stat -c %g /var/run/docker.sock)")
secret="$(value WALLET_MNEMONIC_FILE)"
if [ -n "$secret" ]; then
  [ -r "$secret" ] || { echo "WALLET_MNEMONIC_FILE=$secret is not readable here" >&2; exit 2; }
  if [ "$(stat -c %u "$secret")" != 1000 ]; then
    echo "WALLET_MNEMONIC_FILE=$secret: the manager's container runs as uid 1000 and must own it: sudo chown 1000:1000 $secret && sudo chmod 400 $secret" >&2
    exit 2
  fi
  mounts+=(-v "$(realpath "$secret"):$secret:ro")
fi
docker rm -f "$name" >/dev/null 2>&1 || true
docker run -d --name "$name" --label io.mlb.role=manager --network host --init --restart unless-stopped \
  --stop-timeout 60 --env-file "$ENV_FILE" -e ORCHESTRATOR=docker "${mounts[@]}" \
  "${MANAGER_IMAGE:-multichain-manager:latest}" >/dev/null
echo "manager $name started; 'make logs' tails the fleet, 'make status' shows queues and block reports, 'make stop' stops it"
