#!/usr/bin/env bash
# Stop the lnd-sim started by start.sh DIR: SIGTERM to its process group, SIGKILL after 10 s.
set -euo pipefail

dir="${1:?usage: stop.sh DIR}"
pidfile="$dir/lnd-sim.pid"
[ -f "$pidfile" ] || exit 0
pid="$(cat "$pidfile")"
kill -TERM -- "-$pid" 2>/dev/null || true
for _ in $(seq 1 40); do  # at most 10 s
  pgrep -g "$pid" >/dev/null || break
  sleep 0.25
done
if pgrep -g "$pid" >/dev/null; then
  kill -KILL -- "-$pid" 2>/dev/null || true
fi
rm -f "$pidfile"
