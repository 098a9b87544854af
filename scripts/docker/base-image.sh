#!/usr/bin/env bash
# Decide which base image the service images are built FROM, making a local one if needed.
# Prints the chosen image reference as the last line of stdout; everything else goes to stderr.
#
#   bash scripts/docker/base-image.sh            # -> e.g. node:20-bookworm-slim
#                                                #    or multichain-node-base:20.20.2
# How the base is chosen (first rule that applies wins):
#   1. BASE_IMAGE=<ref> given explicitly: use it as is (docker build pulls it if it is not local).
#   2. LOCAL_BASE_IMAGE=1: use the local base image (below), never touch a registry.
#      LOCAL_BASE_IMAGE=0: use the public default even if it cannot be pulled (the build fails).
#   3. Otherwise (auto): the public default node:20-bookworm-slim if it is already in the local
#      image store; else try `docker pull node:20-bookworm-slim` with a short timeout
#      (PULL_TIMEOUT seconds, default 20); if that fails (no registry reachable, as on this
#      project's dev machines and CI), fall back to the local base image.
#
# The local base image `multichain-node-base:<node version>` is made from this machine's own
# `node` (no registry needed): a root filesystem with
#   - the node binary (as /usr/local/bin/node), every shared library `ldd` lists, the dynamic loader;
#   - /etc/passwd and /etc/group with root and node (uid/gid 1000, home /home/node owned by it),
#     /etc/nsswitch.conf (hosts: files dns, so `localhost` never goes to DNS), /tmp (1777);
#   - /etc/ssl/certs/ca-certificates.crt when the machine has it;
# packed with tar and loaded with `docker import`. No shell, no package manager: the service
# Dockerfiles use no RUN step. It is reused while the node binary is unchanged (a label records
# its sha256); REBUILD_BASE=1 forces a rebuild. Both bases run the services as 1000:1000.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEFAULT_BASE="node:20-bookworm-slim"
PULL_TIMEOUT="${PULL_TIMEOUT:-20}"

say() { echo "base-image: $*" >&2; }

if [ -n "${BASE_IMAGE:-}" ]; then
  say "using BASE_IMAGE=$BASE_IMAGE (given explicitly)"
  echo "$BASE_IMAGE"
  exit 0
fi

case "${LOCAL_BASE_IMAGE:-}" in
  1|true|yes) say "LOCAL_BASE_IMAGE=1: using a base image made from this machine's node" ;;
  0|false|no) say "LOCAL_BASE_IMAGE=0: using $DEFAULT_BASE"; echo "$DEFAULT_BASE"; exit 0 ;;
  "")
    if docker image inspect "$DEFAULT_BASE" >/dev/null 2>&1; then
      say "$DEFAULT_BASE is in the local image store; using it"
      echo "$DEFAULT_BASE"; exit 0
    fi
    say "trying: docker pull $DEFAULT_BASE (timeout ${PULL_TIMEOUT}s)"
    if out="$(timeout "$PULL_TIMEOUT" docker pull -q "$DEFAULT_BASE" 2>&1)"; then
      say "pulled $DEFAULT_BASE; using it"
      echo "$DEFAULT_BASE"; exit 0
    fi
    say "could not pull $DEFAULT_BASE: ${out:-timed out after ${PULL_TIMEOUT}s}"
    say "no registry reachable: falling back to a local base image (LOCAL_BASE_IMAGE=1 skips this try)"
    ;;
  *) say "LOCAL_BASE_IMAGE must be 1 or 0 (got '$LOCAL_BASE_IMAGE')"; exit 2 ;;
esac

# ---- local base image from this machine's node ------------------------------------------------
NODE_BIN="$(command -v node || true)"
[ -n "$NODE_BIN" ] || { say "no 'node' on PATH to build a local base image from"; exit 1; }
NODE_BIN="$(readlink -f "$NODE_BIN")"
NODE_VERSION="$("$NODE_BIN" -p 'process.versions.node')"
NODE_SHA="$(sha256sum "$NODE_BIN" | cut -c1-64)"
IMAGE="multichain-node-base:$NODE_VERSION"

if [ -z "${REBUILD_BASE:-}" ] \
   && [ "$(docker image inspect -f '{{index .Config.Labels "org.mlb.node-sha256"}}' "$IMAGE" 2>/dev/null || true)" = "$NODE_SHA" ]; then
  say "$IMAGE already exists for this node binary; reusing it"
  echo "$IMAGE"; exit 0
fi

command -v ldd >/dev/null 2>&1 || { say "ldd is needed to find node's shared libraries"; exit 1; }
WORK="$ROOT/.build/base-rootfs"
rm -rf "$WORK"
mkdir -p "$WORK"
RFS="$WORK/rootfs"
mkdir -p "$RFS"/{usr/local/bin,etc/ssl/certs,tmp,home/node,app}
chmod 1777 "$RFS/tmp"
chmod 0755 "$RFS/home/node" "$RFS/app"

cp "$NODE_BIN" "$RFS/usr/local/bin/node"
chmod 0755 "$RFS/usr/local/bin/node"

# Shared libraries and the loader, at the paths ldd prints (symlinks followed: real file contents).
libs="$(ldd "$NODE_BIN" | awk '/=> \//{print $3} /^[[:space:]]*\/[^ ]+ \(/{print $1}')"
for lib in $libs; do
  mkdir -p "$RFS$(dirname "$lib")"
  cp -L "$lib" "$RFS$lib"
done
say "node $NODE_VERSION from $NODE_BIN with $(echo "$libs" | wc -w) libraries: $(echo "$libs" | tr '\n' ' ')"

cat >"$RFS/etc/passwd" <<'P'
root:x:0:0:root:/root:/usr/sbin/nologin
node:x:1000:1000::/home/node:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
P
cat >"$RFS/etc/group" <<'G'
root:x:0:
node:x:1000:
nogroup:x:65534:
G
cat >"$RFS/etc/nsswitch.conf" <<'N'
passwd: files
group:  files
hosts:  files dns
N
# Docker bind-mounts /etc/hosts, /etc/resolv.conf and /etc/hostname over these.
: >"$RFS/etc/hosts"; : >"$RFS/etc/resolv.conf"; : >"$RFS/etc/hostname"
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  cp -L /etc/ssl/certs/ca-certificates.crt "$RFS/etc/ssl/certs/ca-certificates.crt"
else
  say "no /etc/ssl/certs/ca-certificates.crt on this machine; node's bundled CA list still applies"
fi

# The image must run: check that the copied node starts from the new root (needs no root rights).
"$RFS$(echo "$libs" | grep -m1 'ld-linux' || echo /lib64/ld-linux-x86-64.so.2)" --library-path \
  "$(echo "$libs" | xargs -n1 dirname | sort -u | sed "s|^|$RFS|" | paste -sd:)" \
  "$RFS/usr/local/bin/node" -e 'process.exit(0)' \
  || { say "the copied node does not start with the copied libraries"; exit 1; }

# Everything root-owned except /home/node (the service user's home).
TAR="$WORK/rootfs.tar"
tar --numeric-owner --owner=0 --group=0 --exclude=./home/node -cf "$TAR" -C "$RFS" .
tar --numeric-owner --owner=1000 --group=1000 -rf "$TAR" -C "$RFS" ./home/node

docker import \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=$NODE_VERSION" \
  --change "LABEL org.mlb.node-sha256=$NODE_SHA" \
  --change "LABEL org.opencontainers.image.description=\"node $NODE_VERSION copied from the build machine by scripts/docker/base-image.sh\"" \
  --change 'CMD ["node"]' \
  --message "local node base from $NODE_BIN" \
  "$TAR" "$IMAGE" >&2
rm -rf "$WORK"
say "imported $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.1f MB", $1/1e6}'))"
echo "$IMAGE"
