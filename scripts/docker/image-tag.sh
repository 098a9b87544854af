#!/usr/bin/env bash
# Print the version tag of the service images: <branch>-<short sha> of the repository's HEAD
# (branch sanitised to a valid tag: [A-Za-z0-9_.-], '/' becomes '-'; a detached HEAD is
# 'detached'), or `dev` outside a git repository or before the first commit.
# IMAGE_TAG=<tag> overrides it. Used by build.sh and push.sh so both agree.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

if [ -n "${IMAGE_TAG:-}" ]; then
  tag="$IMAGE_TAG"
elif sha="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)"; then
  branch="$(git -C "$ROOT" rev-parse --abbrev-ref HEAD 2>/dev/null || echo detached)"
  [ "$branch" = HEAD ] && branch=detached
  branch="$(printf '%s' "$branch" | tr '/' '-' | tr -c 'A-Za-z0-9_.-' '-' | sed 's/^[.-]*//')"
  tag="${branch:-detached}-$sha"
else
  tag=dev
fi
tag="${tag:0:128}"
if ! [[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
  echo "image-tag: '$tag' is not a valid image tag" >&2
  exit 1
fi
echo "$tag"
