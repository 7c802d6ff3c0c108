#!/usr/bin/env bash
# Start lnd-sim in its own process group and print the path of DIR/nodes.json once it exists.
# Usage: start.sh DIR [lnd_sim.py options, e.g. --nodes alice,bob --channel alice:bob:1000000]
# Stop it with stop.sh DIR. The process-group id is written to DIR/lnd-sim.pid, the log to DIR/lnd-sim.log.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${1:?usage: start.sh DIR [lnd_sim.py options]}"
shift
python="${PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
  || { echo "lnd-sim needs Python >= 3.10 (set PYTHON=...)" >&2; exit 1; }

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
if [ -f "$dir/lnd-sim.pid" ] && kill -0 "$(cat "$dir/lnd-sim.pid")" 2>/dev/null; then
  echo "lnd-sim already running for $dir (pid $(cat "$dir/lnd-sim.pid"))" >&2
  exit 1
fi
rm -f "$dir/nodes.json"

# setsid makes the simulator the leader of a new process group (pid == pgid).
setsid "$python" "$here/lnd_sim.py" --dir "$dir" "$@" >"$dir/lnd-sim.log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$dir/lnd-sim.pid"

for _ in $(seq 1 240); do  # at most 60 s
  if [ -f "$dir/nodes.json" ]; then
    echo "$dir/nodes.json"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "lnd-sim exited during start-up:" >&2
    cat "$dir/lnd-sim.log" >&2
    rm -f "$dir/lnd-sim.pid"
    exit 1
  fi
  sleep 0.25
done
echo "lnd-sim did not write $dir/nodes.json within 60 s" >&2
kill -TERM -- "-$pid" 2>/dev/null || true
exit 1
