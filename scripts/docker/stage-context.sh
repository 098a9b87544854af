#!/usr/bin/env bash
# Build the Docker build context for the service images in .build/image-context/.
#
#   bash scripts/docker/stage-context.sh
#
# Nothing is installed inside a container (no registry, no shell in the local base image), so the
# context holds everything already built and installed, in the repository's own layout:
#   package.json, package-lock.json          the root workspace manifest and lock
#   <ws>/package.json                        every workspace listed in the root package.json
#                                            (npm ci needs them all to match the lock)
#   <ws>/dist/, <ws>/...                     for shared and the four services: what the workspace
#                                            ships at run time: the paths in its package.json
#                                            "files" list or, without one, everything at its root
#                                            but src/, test/, node_modules/, *.md, tsconfig*.json,
#                                            Dockerfile, Makefile; never .d.ts, compiled tests or
#                                            .tsbuildinfo (so e.g. shared/lua/ ships next to dist/)
#   node_modules/                            production dependencies only, from
#       npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund
#     run inside the context; workspace links (node_modules/@mlb/shared -> ../../shared) are
#     relative, so they resolve the same way under /app in the image. Type declarations, source
#     maps and *.md files are then deleted from it (PRUNE_NODE_MODULES=0 keeps them). npm ci is
#     skipped when the lock, the manifests, node and npm are unchanged since the last run
#     (stamp file).
# Every file gets the same fixed mtime (1980-01-01), so Docker's layer cache hits whenever the
# content is unchanged.
# Before staging, `npx tsc -b` brings every dist/ up to date (SKIP_TSC=1 skips it); a missing
# <service>/dist/main.js is an error.
#
# Env: SKIP_TSC=1, FORCE_NPM_CI=1 (reinstall node_modules even if the stamp matches),
#      PRUNE_NODE_MODULES=0.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CTX="$ROOT/.build/image-context"
SERVICES=(collector health-checker liquidator manager)
IMAGE_WORKSPACES=(shared "${SERVICES[@]}")

say() { echo "stage-context: $*" >&2; }

cd "$ROOT"
if [ -z "${SKIP_TSC:-}" ]; then
  say "npx tsc -b"
  npx --no-install tsc -b
fi
for ws in "${IMAGE_WORKSPACES[@]}"; do
  [ -d "$ws/dist" ] || { say "$ws/dist is missing: build with 'npx tsc -b' first"; exit 1; }
done
for s in "${SERVICES[@]}"; do
  [ -f "$s/dist/main.js" ] || { say "$s/dist/main.js is missing: every service must build to <service>/dist/main.js"; exit 1; }
done

mkdir -p "$CTX"
cp package.json package-lock.json "$CTX/"

# Every workspace's manifest (including devnet and bench, which no image contains: npm ci refuses
# a lock whose workspaces are missing).
mapfile -t ALL_WS < <(node -e 'for (const w of require("./package.json").workspaces ?? []) console.log(w)')
for ws in "${ALL_WS[@]}"; do
  mkdir -p "$CTX/$ws"
  cp "$ws/package.json" "$CTX/$ws/package.json"
done

# What a workspace ships, as top-level paths inside it: its package.json "files" list (npm's own
# rule; globs allowed) or, without one, everything at its root but sources, tests and dev files.
runtime_entries() { # runtime_entries <workspace>
  local ws="$1" listed
  if listed="$(node -e 'const f = require(process.argv[1]).files; if (!Array.isArray(f)) process.exit(3); for (const e of f) console.log(e)' "$ROOT/$ws/package.json")"; then
    (cd "$ws" && shopt -s globstar nullglob && while IFS= read -r pat; do
      pat="${pat#./}"; pat="${pat#/}"
      case "$pat" in ""|"!"*) continue ;; esac
      # shellcheck disable=SC2086
      for p in $pat; do echo "$p"; done
    done <<<"$listed")
  else
    (cd "$ws" && for e in *; do
      case "$e" in
        src|test|tests|__tests__|node_modules|coverage|Dockerfile|Makefile|*.md|tsconfig*.json|vitest.config.*|*.tsbuildinfo|package.json) ;;
        *) echo "$e" ;;
      esac
    done)
  fi
}

# Fresh copies of the image workspaces: package.json and their runtime files, without type
# declarations, compiled tests and build info.
for ws in "${IMAGE_WORKSPACES[@]}"; do
  rm -rf "${CTX:?}/$ws"
  mkdir -p "$CTX/$ws"
  cp "$ws/package.json" "$CTX/$ws/package.json"
  shipped=()
  while IFS= read -r entry; do
    [ -e "$ws/$entry" ] || continue
    shipped+=("$entry")
    (cd "$ws" && find "$entry" -type f \
        ! -name '*.d.ts' ! -name '*.d.ts.map' ! -name '*.d.mts' ! -name '*.d.cts' ! -name '*.tsbuildinfo' \
        ! -name '.tsbuildinfo' ! -name '*.test.js' ! -name '*.test.js.map' ! -path '*/__tests__/*' -print0 \
      | xargs -0 -r cp --parents -t "$CTX/$ws")
  done < <(runtime_entries "$ws")
  say "$ws ships: package.json ${shipped[*]}"
done

# Production node_modules, reinstalled only when its inputs change.
stamp_inputs() {
  cat "$CTX/package.json" "$CTX/package-lock.json"
  for ws in "${ALL_WS[@]}"; do cat "$CTX/$ws/package.json"; done
  node --version; npm --version; echo "prune=${PRUNE_NODE_MODULES:-1}"
}
want="$(stamp_inputs | sha256sum | cut -c1-64)"
have="$(cat "$CTX/.node_modules.stamp" 2>/dev/null || true)"
if [ -n "${FORCE_NPM_CI:-}" ] || [ "$want" != "$have" ] || [ ! -d "$CTX/node_modules" ]; then
  say "npm ci --omit=dev in $CTX"
  rm -f "$CTX/.node_modules.stamp"
  (cd "$CTX" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error >&2)
  # Never loaded at run time: type declarations, source maps and docs (about a third of the bytes
  # and half of the files). PRUNE_NODE_MODULES=0 keeps them.
  if [ "${PRUNE_NODE_MODULES:-1}" != 0 ]; then
    find "$CTX/node_modules" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
      -o -name '*.map' -o -name '*.md' -o -name '*.markdown' \) -delete
  fi
  echo "$want" >"$CTX/.node_modules.stamp"
else
  say "node_modules is up to date (stamp matches); skipping npm ci"
fi
# node_modules/.package-lock.json changes on every npm ci; it is not needed at run time.
rm -f "$CTX/node_modules/.package-lock.json"

# Workspace links must be relative and point inside the context.
for link in "$CTX"/node_modules/@mlb/*; do
  [ -L "$link" ] || continue
  target="$(readlink "$link")"
  case "$target" in
    /*) say "node_modules/@mlb/$(basename "$link") is an absolute link ($target); images need relative ones"; exit 1 ;;
  esac
done

# Fixed timestamps: the classic builder's COPY cache keys on file metadata as well as content, so
# unchanged files must look unchanged even when copied or reinstalled afresh.
find "$CTX" -exec touch -h -d @315532800 {} +

say "staged $CTX: node_modules $(du -sh "$CTX/node_modules" | cut -f1), $(for ws in "${IMAGE_WORKSPACES[@]}"; do printf '%s %s ' "$ws" "$(du -sh "$CTX/$ws" | cut -f1)"; done)"
