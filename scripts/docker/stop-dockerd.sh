#!/usr/bin/env bash
# Stop the dockerd that scripts/docker/ensure-dockerd.sh started (pid in .build/dockerd.pid).
# Never touches an engine this repo did not start. Waits up to 20 s, then SIGKILL.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PIDFILE="$ROOT/.build/dockerd.pid"

if [ ! -s "$PIDFILE" ]; then
  echo "stop-dockerd: no $PIDFILE; nothing started by ensure-dockerd.sh" >&2
  exit 0
fi
pid="$(cat "$PIDFILE")"
# Only signal it if that pid is still a dockerd (a recycled pid must not be killed).
if ! kill -0 "$pid" 2>/dev/null || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ]; then
  echo "stop-dockerd: pid $pid is not a running dockerd; removing stale $PIDFILE" >&2
  rm -f "$PIDFILE"
  exit 0
fi
echo "stop-dockerd: stopping dockerd (pid $pid)" >&2
kill -TERM "$pid"
for _ in $(seq 1 40); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; echo "stop-dockerd: stopped" >&2; exit 0; }
  sleep 0.5
done
echo "stop-dockerd: dockerd (pid $pid) still running after 20 s; sending SIGKILL" >&2
kill -KILL "$pid" 2>/dev/null || true
rm -f "$PIDFILE"
