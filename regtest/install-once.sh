# install-once.sh: build a folder once, atomically and serialised (sourced, not run).
# shellcheck shell=bash
#
# install_once WHAT DEST BUILDER [ARG...]
#   Prints nothing and returns at once when DEST is complete (it holds DEST/.t4gd-complete).
#   Otherwise takes the lock DEST.lock (flock; the kernel drops it when its holder dies, so a killed install
#   never leaves it held), waiting at most $T4G_INSTALL_WAIT seconds (default 900) with a message naming the
#   holder, then fails with a clear message. Holding the lock, it checks DEST again (another process may have
#   finished meanwhile), removes what a killed install left (DEST without its marker, as the earlier
#   unlocked installs left it, and DEST.tmp.* folders), runs `BUILDER TMP [ARG...]` to fill the new empty
#   folder TMP (= DEST.tmp.PID), marks TMP complete and renames it to DEST. DEST therefore appears whole or
#   not at all. Progress and the build's duration go to stderr.
#   A BUILDER must not depend on TMP's path after the rename (a venv's bin/ scripts keep TMP in their #!
#   line: run them as `DEST/bin/python DEST/bin/SCRIPT`, or `python -m`).
# Needs flock (util-linux, scripts/setup.sh).

readonly INSTALL_ONCE_MARKER=.t4gd-complete

# install_once_complete DEST: true when DEST holds a complete build.
install_once_complete() {
    [[ -f "$1/$INSTALL_ONCE_MARKER" ]]
}

install_once() {
    local what="$1" dest="$2" builder="$3"
    shift 3
    install_once_complete "$dest" && return 0
    local wait="${T4G_INSTALL_WAIT:-900}" lock="$dest.lock" lock_fd
    mkdir -p "$(dirname "$dest")"
    exec {lock_fd}<>"$lock"
    if ! flock -n "$lock_fd"; then
        echo "install: waiting up to $wait s for another process (pid $(head -c 20 "$lock" || true)) that is" \
            "installing $what into $dest" >&2
        if ! flock -w "$wait" "$lock_fd"; then
            exec {lock_fd}<&-
            echo "install: gave up on $what after $wait s: pid $(head -c 20 "$lock" || true) still holds $lock." \
                "Let it finish (or stop it) and run again; T4G_INSTALL_WAIT sets the wait." >&2
            return 1
        fi
    fi
    echo "$$" >"$lock"
    if install_once_complete "$dest"; then
        echo "install: $what was installed by another process meanwhile" >&2
        exec {lock_fd}<&-
        return 0
    fi
    local leftover
    for leftover in "$dest" "$dest".tmp.*; do
        if [[ -e "$leftover" || -L "$leftover" ]]; then
            echo "install: removing the half-made $leftover (an install that did not finish)" >&2
            rm -rf "$leftover"
        fi
    done
    local tmp="$dest.tmp.$$" started=$SECONDS status errexit=""
    mkdir "$tmp"
    echo "install: installing $what into $dest" >&2
    # The builder runs with errexit in a subshell of its own (under `||` bash would ignore errexit in it).
    [[ $- == *e* ]] && errexit=1
    set +e
    (
        set -e
        "$builder" "$tmp" "$@"
    )
    status=$?
    [[ -z "$errexit" ]] || set -e
    if ((status == 0)); then
        touch "$tmp/$INSTALL_ONCE_MARKER"
        mv -T "$tmp" "$dest"
        echo "install: $what installed in $((SECONDS - started)) s" >&2
    else
        echo "install: installing $what failed (exit $status) after $((SECONDS - started)) s" >&2
        rm -rf "$tmp"
    fi
    exec {lock_fd}<&-
    return "$status"
}
