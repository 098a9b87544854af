#!/usr/bin/env bash
# Build the service images (what `make docker_build` runs).
#
#   bash scripts/docker/build.sh [service ...]     # default: collector health-checker liquidator manager
#
# Each image is multichain-<service>, tagged `latest` and `<branch>-<short sha>` (`dev` outside a
# git repository or before the first commit; IMAGE_TAG overrides; see image-tag.sh). Steps:
#   1. needs a Docker engine (`docker info`); none: run `bash scripts/docker/ensure-dockerd.sh`.
#   2. scripts/docker/stage-context.sh: tsc -b, then .build/image-context/ with each workspace's
#      run-time files and a production node_modules (SKIP_STAGE=1 uses the context as it is;
#      SKIP_TSC=1 skips tsc).
#   3. scripts/docker/base-image.sh picks the base: BASE_IMAGE if given, else node:20-bookworm-slim
#      when it is local or can be pulled, else (no registry reachable, LOCAL_BASE_IMAGE=1 forces it)
#      multichain-node-base:<node version>, made from this machine's node. See that script.
#   4. docker build -f <service>/Dockerfile --build-arg BASE_IMAGE=... .build/image-context
#      (DOCKER_BUILD_ARGS adds options, e.g. --no-cache); its output goes to
#      .build/docker-build-<service>.log (DOCKER_BUILD_VERBOSE=1 also prints it), its tail on failure.
#      The first image is built alone (it fills the cache with the shared layers), the rest in
#      parallel. Images that lost their last tag to this build are removed afterwards.
#   5. prints each image's id and size (stdout; everything else goes to stderr).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/scripts/docker"
CTX="$ROOT/.build/image-context"
ALL_SERVICES=(collector health-checker liquidator manager)

say() { echo "docker-build: $*" >&2; }

services=("$@")
[ ${#services[@]} -gt 0 ] || services=("${ALL_SERVICES[@]}")
for s in "${services[@]}"; do
  [[ " ${ALL_SERVICES[*]} " == *" $s "* ]] || { say "unknown service '$s' (one of: ${ALL_SERVICES[*]})"; exit 2; }
done

if ! docker info >/dev/null 2>&1; then
  say "no Docker engine answers 'docker info'. Start one with: bash scripts/docker/ensure-dockerd.sh"
  exit 1
fi

# One build at a time per checkout (two test runs would otherwise restage the same context).
mkdir -p "$ROOT/.build"
exec 9>"$ROOT/.build/docker-build.lock"
if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
  say "another docker build of this checkout is running; waiting for it"
  flock 9
fi

start=$(date +%s)
if [ -z "${SKIP_STAGE:-}" ]; then
  bash "$HERE/stage-context.sh"
else
  [ -d "$CTX/node_modules" ] || { say "SKIP_STAGE=1 but $CTX has no node_modules"; exit 1; }
  say "SKIP_STAGE=1: using $CTX as it is"
fi

base="$(bash "$HERE/base-image.sh" | tail -n 1)"
tag="$(bash "$HERE/image-tag.sh")"
revision="$(git -C "$ROOT" rev-parse --verify -q HEAD 2>/dev/null || echo none)"
say "base image $base; tags latest and $tag"

build_one() { # build_one <service>: docker build, output in .build/docker-build-<service>.log
  local s="$1" image="multichain-$1" log="$ROOT/.build/docker-build-$1.log"
  # shellcheck disable=SC2086
  docker build \
    -f "$ROOT/$s/Dockerfile" \
    --build-arg "BASE_IMAGE=$base" \
    --build-arg "VERSION=$tag" \
    --build-arg "REVISION=$revision" \
    -t "$image:latest" -t "$image:$tag" \
    ${DOCKER_BUILD_ARGS:-} \
    "$CTX" >"$log" 2>&1
}
report() { # report <service> <exit code>
  local log="$ROOT/.build/docker-build-$1.log"
  if [ "$2" != 0 ]; then
    say "docker build of multichain-$1 failed; last lines of ${log#"$ROOT/"}:"
    tail -n 40 "$log" >&2
    return 1
  fi
  [ -z "${DOCKER_BUILD_VERBOSE:-}" ] || cat "$log" >&2
}

# Images these tags pointed to before; removed afterwards once nothing else names them.
previous=()
for s in "${services[@]}"; do
  for t in latest "$tag"; do
    id="$(docker image inspect -f '{{.Id}}' "multichain-$s:$t" 2>/dev/null || true)"
    [ -z "$id" ] || previous+=("$id")
  done
done

# The first image alone fills the layer cache with the shared layers (node_modules, shared/);
# the others then only add their own few kB, in parallel (each mostly waits on its context upload).
first="${services[0]}"
say "building multichain-$first (log: .build/docker-build-$first.log)"
rc=0; build_one "$first" || rc=$?
report "$first" "$rc" || exit 1
pids=()
for s in "${services[@]:1}"; do
  say "building multichain-$s (log: .build/docker-build-$s.log)"
  build_one "$s" & pids+=("$!")
done
failed=0
for i in "${!pids[@]}"; do
  rc=0; wait "${pids[$i]}" || rc=$?
  report "${services[$((i + 1))]}" "$rc" || failed=1
done
[ "$failed" = 0 ] || exit 1

for id in $(printf '%s\n' "${previous[@]}" | sort -u); do
  if [ "$(docker image inspect -f '{{len .RepoTags}}' "$id" 2>/dev/null || echo x)" = 0 ]; then
    docker rmi "$id" >/dev/null 2>&1 || true   # still used by a container: keep it
  fi
done

say "built in $(( $(date +%s) - start ))s:"
printf '%-40s %-12s %10s  %s\n' IMAGE ID SIZE BASE
for s in "${services[@]}"; do
  read -r id size < <(docker image inspect -f '{{.Id}} {{.Size}}' "multichain-$s:$tag")
  id="${id#sha256:}"
  printf '%-40s %-12s %7.1f MB  %s\n' "multichain-$s:$tag" "${id:0:12}" "$(awk "BEGIN{print $size/1e6}")" "$base"
done
