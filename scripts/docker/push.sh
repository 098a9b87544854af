#!/usr/bin/env bash
# Push the service images to a registry (what `make docker_push` runs).
#
#   IMAGE_REGISTRY=123456789012.dkr.ecr.us-east-1.amazonaws.com/mars bash scripts/docker/push.sh [service ...]
#
# For each service (default: all four) and each tag (`latest` and `<branch>-<short sha>`, see
# image-tag.sh), tags multichain-<service>:<tag> as $IMAGE_REGISTRY/multichain-<service>:<tag>
# and pushes it. The images must have been built by `make docker_build` from the same commit.
# Log in to the registry first (`docker login ...`); this script never handles credentials.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ALL_SERVICES=(collector health-checker liquidator manager)

say() { echo "docker-push: $*" >&2; }

if [ -z "${IMAGE_REGISTRY:-}" ]; then
  say "IMAGE_REGISTRY is not set. Give the registry (and optional path) to push to, e.g."
  say "  make docker_push IMAGE_REGISTRY=123456789012.dkr.ecr.us-east-1.amazonaws.com/mars"
  exit 1
fi
registry="${IMAGE_REGISTRY%/}"

services=("$@")
[ ${#services[@]} -gt 0 ] || services=("${ALL_SERVICES[@]}")
for s in "${services[@]}"; do
  [[ " ${ALL_SERVICES[*]} " == *" $s "* ]] || { say "unknown service '$s' (one of: ${ALL_SERVICES[*]})"; exit 2; }
done

docker info >/dev/null 2>&1 || { say "no Docker engine answers 'docker info' (bash scripts/docker/ensure-dockerd.sh starts one)"; exit 1; }

tag="$(bash "$ROOT/scripts/docker/image-tag.sh")"
for s in "${services[@]}"; do
  docker image inspect "multichain-$s:$tag" >/dev/null 2>&1 \
    || { say "multichain-$s:$tag does not exist: run 'make docker_build' first"; exit 1; }
done

for s in "${services[@]}"; do
  for t in "$tag" latest; do
    src="multichain-$s:$t"
    dst="$registry/multichain-$s:$t"
    say "$src -> $dst"
    docker tag "$src" "$dst"
    docker push "$dst"
  done
done
say "pushed ${#services[@]} image(s) with tags $tag and latest to $registry"
