#!/usr/bin/env bash
# Make a Docker engine available (for `make test`, `make docker_build` and the docker tests).
#
#   bash scripts/docker/ensure-dockerd.sh
#
# - If `docker info` already answers, do nothing (an engine you run yourself is always preferred).
# - Else, if `dockerd` is missing and we are root: `apt-get update && apt-get install -y docker.io`
#   (Debian's package brings dockerd, containerd and runc). Not root: fail with what to install.
# - Start `dockerd --bridge=none --iptables=false` in the background (no bridge, no NAT rules:
#   containers use the host network and talk to 127.0.0.1), log in .build/dockerd.log, pid in
#   .build/dockerd.pid, and wait until `docker info` answers (DOCKERD_TIMEOUT seconds, default 30).
#   On timeout: print the tail of the log and exit 1.
# - scripts/docker/stop-dockerd.sh stops only the dockerd started here (by that pid file).
#
# Env: DOCKERD_TIMEOUT (seconds, default 30), DOCKERD_EXTRA_ARGS (appended to dockerd's arguments).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="$ROOT/.build"
LOG="$BUILD_DIR/dockerd.log"
PIDFILE="$BUILD_DIR/dockerd.pid"
TIMEOUT="${DOCKERD_TIMEOUT:-30}"

say() { echo "ensure-dockerd: $*" >&2; }

if docker info >/dev/null 2>&1; then
  say "a Docker engine already answers ($(docker info --format '{{.ServerVersion}}' 2>/dev/null)); nothing to do"
  exit 0
fi

if ! command -v docker >/dev/null 2>&1 || ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    say "no Docker engine answers and dockerd is not installed; as root run: apt-get install -y docker.io"
    exit 1
  fi
  say "dockerd not found: running 'apt-get update' and 'apt-get install -y docker.io'"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q docker.io >&2
  command -v dockerd >/dev/null 2>&1 || { say "apt-get installed docker.io but dockerd is still not on PATH"; exit 1; }
  say "installed $(dockerd --version)"
fi

if [ "$(id -u)" != 0 ]; then
  say "no Docker engine answers; starting dockerd needs root (or start your own engine / rootless docker)"
  exit 1
fi

mkdir -p "$BUILD_DIR"

# A dockerd we started earlier may still be starting up (or hung): reuse it if alive.
if [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  say "dockerd started earlier (pid $(cat "$PIDFILE")) is alive; waiting for it"
else
  # A stale socket/pid from a dead daemon would stop a new one from starting.
  if [ -e /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid 2>/dev/null)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  say "starting: dockerd --bridge=none --iptables=false ${DOCKERD_EXTRA_ARGS:-} (log: $LOG)"
  # setsid: its own session, so it outlives this script and a Ctrl-C in the caller's terminal.
  # shellcheck disable=SC2086
  setsid dockerd --bridge=none --iptables=false ${DOCKERD_EXTRA_ARGS:-} >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
fi

pid="$(cat "$PIDFILE")"
deadline=$(( $(date +%s) + TIMEOUT ))
until docker info >/dev/null 2>&1; do
  if ! kill -0 "$pid" 2>/dev/null; then
    say "dockerd (pid $pid) exited before answering; last lines of $LOG:"
    tail -n 30 "$LOG" >&2 || true
    rm -f "$PIDFILE"
    exit 1
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    say "dockerd (pid $pid) did not answer 'docker info' within ${TIMEOUT}s; last lines of $LOG:"
    tail -n 30 "$LOG" >&2 || true
    exit 1
  fi
  sleep 0.5
done
say "dockerd is up (pid $pid, server $(docker info --format '{{.ServerVersion}}'), storage driver $(docker info --format '{{.Driver}}'))"
