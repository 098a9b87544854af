#!/usr/bin/env bash
# `make logs`: follows the logs of the managers (label io.mlb.role=manager) and of every container
# they run (label io.mlb.managed=true), each line prefixed with its container name. Containers the
# managers start later are not followed: run it again. TAIL lines of history each (default 20).
set -euo pipefail
names="$( (docker ps --filter label=io.mlb.role=manager --format '{{.Names}}'; docker ps --filter label=io.mlb.managed=true --format '{{.Names}}') | sort -u)"
if [ -z "$names" ]; then echo "no manager or fleet container is running ('make run' starts them)" >&2; exit 1; fi
trap 'kill $(jobs -p) 2>/dev/null; exit 0' INT TERM
for n in $names; do
  docker logs -f --tail "${TAIL:-20}" "$n" 2>&1 | sed -u "s/^/[$n] /" &
done
wait
