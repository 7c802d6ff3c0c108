#!/usr/bin/env bash
# stop.sh: stop the LNbits that start.sh started; idempotent.
#
# Usage: stop.sh DATA_DIR      stop the instance recorded in DATA_DIR/lnbits.json
#        stop.sh --pgid PGID   stop one process group (start.sh uses this on failure)
# Sends TERM to the whole process group (launcher and uvicorn child), waits up to 10 s,
# then KILLs and waits up to 5 s more. With DATA_DIR, lnbits.json is removed once the
# group is gone, so a later call does nothing; DATA_DIR/lnbits.log and the database stay.
# A recorded pgid whose group no longer runs `lnbits` (stale file, reused id) is not
# signalled.
# Out:   stderr: what was done. Exit non-zero only if the group survives KILL.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# wait_gone PGID TENTHS: poll until the group is gone; false if it outlives TENTHS/10 s.
wait_gone() {
    local i
    for ((i = 0; i < $2; i++)); do
        group_alive "$1" || return 0
        sleep 0.1
    done
    ! group_alive "$1"
}

# stop_group PGID: TERM, bounded wait, KILL, bounded wait.
stop_group() {
    group_alive "$1" || return 0
    kill -TERM -- "-$1" 2>/dev/null || true
    wait_gone "$1" 100 && return 0
    echo "stop.sh: process group $1 ignored TERM for 10 s; sending KILL" >&2
    kill -KILL -- "-$1" 2>/dev/null || true
    wait_gone "$1" 50 || { echo "stop.sh: process group $1 still alive after KILL" >&2; return 1; }
}

case "${1:-}" in
    --pgid)
        [[ $# -eq 2 ]] || { echo "usage: stop.sh DATA_DIR | --pgid PGID" >&2; exit 2; }
        stop_group "$2"
        ;;
    "")
        echo "usage: stop.sh DATA_DIR | --pgid PGID" >&2
        exit 2
        ;;
    *)
        STATE="$1/lnbits.json"
        if [[ ! -f "$STATE" ]]; then
            echo "stop.sh: no $STATE; nothing to stop" >&2
            exit 0
        fi
        PGID="$(json_field "$(lnbits_python)" pgid <"$STATE")"
        if pgrep -g "$PGID" -f 'bin/lnbits' >/dev/null; then
            stop_group "$PGID"
            echo "stop.sh: stopped LNbits (process group $PGID)" >&2
        else
            echo "stop.sh: process group $PGID no longer runs LNbits; nothing to stop" >&2
        fi
        rm -f "$STATE"
        ;;
esac
