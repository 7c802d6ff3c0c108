#!/usr/bin/env bash
# install-once-test.sh: proves that first-use installs (install-once.sh) are atomic and serialised.
#
# Usage: install-once-test.sh          the lock, the atomic rename and the half-made detection, with a stand-in
#                                      builder that waits for the test's signal (a few seconds; scripts/test.sh)
#        install-once-test.sh --real   the same for the real installs, from nothing: regtest/lnbits/install.sh
#                                      and regtest/lnd-sim/setup_test_venv.sh, each killed during its build, then
#                                      run twice at once (needs PyPI; minutes; .ci/run). They install into
#                                      $T4G_CACHE_DIR when it is set (a folder without them), else a temp folder.
# Out:   one line per check, the durations, then "N passed, N failed"; exit 1 when any check failed.
# Every wait polls a condition with a bound; nothing sleeps a fixed time to let something happen.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d /tmp/t4g-install-test.XXXXXX)"
passed=0
failed=0
background=()

cleanup() {
    local pid
    for pid in "${background[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# check NAME COMMAND...: run the command, count and print the result.
check() {
    local name="$1"
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "ok    $name"
    else
        failed=$((failed + 1))
        echo "FAIL  $name"
    fi
}

# wait_for SECONDS COMMAND...: poll until the command succeeds; false after SECONDS.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

# start_background OUT COMMAND...: start the command as the leader of a new process group (so killing the group
# kills its builder too), stdout to OUT.out and stderr to OUT.err; sets $started_pid.
start_background() {
    local out="$1"
    shift
    setsid "$@" >"$out.out" 2>"$out.err" </dev/null &
    started_pid=$!
    background+=("$started_pid")
}

# finish PID: wait for a background install; its exit status (bash's "Killed" notice silenced).
finish() {
    local status=0
    { wait "$1"; } 2>/dev/null || status=$?
    return "$status"
}

# quietly ERR COMMAND...: run the command, stdout discarded, stderr into ERR.err.
quietly() { "${@:2}" >/dev/null 2>"$1.err"; }

grep_count() { grep -c -- "$1" "${@:2}" 2>/dev/null | awk -F: '{ total += $NF } END { print total + 0 }'; }
no_leftovers() { ! compgen -G "$1.tmp.*" >/dev/null; }
has_file() { [[ -f "$1" ]]; }
has_glob() { compgen -G "$1" >/dev/null; }
absent() { [[ ! -e "$1" ]]; }
equal() { [[ "$1" == "$2" ]]; }
stderr_says() { grep -qs -- "$2" "$1.err"; }

# The stand-in installer: install_once with a builder that records each build in $work/builds and blocks until
# $work/release exists (at most 60 s), so the test decides when a build ends.
cat >"$work/fake-install.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
source "$here/install-once.sh"
build() {
    echo "\$\$" >>"$work/builds"
    touch "\$1/building"
    for _ in \$(seq 600); do [[ -f "$work/release" ]] && break; sleep 0.1; done
    [[ -f "$work/release" ]]
    echo built >"\$1/payload"
}
install_once "the stand-in" "\$1" build
echo "\$1"
EOF
chmod +x "$work/fake-install.sh"
builds() { grep_count . "$work/builds"; }

fake_tests() {
    local dest="$work/cache/thing" a b c
    echo "== install-once.sh with a stand-in builder"

    touch "$work/release"
    check "a fresh install succeeds" quietly "$work/e" "$work/fake-install.sh" "$dest"
    check "the result is complete and in place" has_file "$dest/payload"
    check "no temporary folder is left" no_leftovers "$dest"
    check "a second run succeeds" quietly "$work/e" "$work/fake-install.sh" "$dest"
    check "a second run finds it done and builds nothing" equal "$(builds)" 1

    rm -f "$work/release"
    dest="$work/cache/concurrent"
    start_background "$work/a" "$work/fake-install.sh" "$dest"
    a=$started_pid
    check "the first install is building" wait_for 30 has_glob "$dest.tmp.*/building"
    start_background "$work/b" "$work/fake-install.sh" "$dest"
    b=$started_pid
    check "a second install at the same time waits on the lock" wait_for 30 stderr_says "$work/b" "waiting up to"
    check "the unfinished install is not visible" absent "$dest"
    touch "$work/release"
    check "the first install succeeds" finish "$a"
    check "the waiting install succeeds" finish "$b"
    check "the waiting install found it done" stderr_says "$work/b" "installed by another process meanwhile"
    check "two concurrent installs built once" equal "$(builds)" 2
    check "both printed the same path" equal "$(cat "$work/a.out")" "$(cat "$work/b.out")"

    rm -f "$work/release"
    dest="$work/cache/killed"
    start_background "$work/a" "$work/fake-install.sh" "$dest"
    a=$started_pid
    check "an install to be killed is building" wait_for 30 has_glob "$dest.tmp.*/building"
    start_background "$work/c" env T4G_INSTALL_WAIT=1 "$work/fake-install.sh" "$dest"
    c=$started_pid
    check "a waiter gives up after its bounded wait" eval "! finish $c"
    check "its message names the holder and the setting" \
        stderr_says "$work/c" "gave up on the stand-in after 1 s: pid $a still holds .*T4G_INSTALL_WAIT"
    kill -KILL -- "-$a" 2>/dev/null || true
    finish "$a" || true
    check "the killed install left only its temporary folder" absent "$dest"
    check "its temporary folder is there" has_glob "$dest.tmp.*"
    touch "$work/release"
    check "the next run after the kill succeeds" quietly "$work/d" "$work/fake-install.sh" "$dest"
    check "it removed the half-made folder" stderr_says "$work/d" "removing the half-made $dest.tmp.$a"
    check "the rerun's result is complete" has_file "$dest/payload"
    check "no temporary folder is left after the rerun" no_leftovers "$dest"

    dest="$work/cache/old-style"
    mkdir -p "$dest"
    touch "$dest/half-installed"
    check "a folder without the completion marker is rebuilt" quietly "$work/e" "$work/fake-install.sh" "$dest"
    check "the rebuilt folder holds only the new build" absent "$dest/half-installed"
    check "it was built again" equal "$(builds)" 5

    dest="$work/cache/failing"
    cat >"$work/failing-install.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
source "$here/install-once.sh"
build() { touch "\$1/partial"; false; echo "not reached" >"\$1/payload"; }
install_once "a failing build" "\$1" build
EOF
    check "a failed build fails the install" eval "! quietly '$work/e' bash '$work/failing-install.sh' '$dest'"
    check "it says so" stderr_says "$work/e" "installing a failing build failed (exit 1)"
    check "a failed build leaves nothing" absent "$dest"
    check "nor a temporary folder" no_leftovers "$dest"
}

# real_test NAME SCRIPT DEST: SCRIPT (which installs into DEST) from nothing: killed during its build,
# then run twice at once.
real_test() {
    local name="$1" script="$2" dest="$3" started=$SECONDS a b c
    echo "== $name, from nothing, into $dest"
    check "$name: nothing installed before the test" absent "$dest"
    start_background "$work/a" "$script"
    a=$started_pid
    check "$name: the install to be killed builds" wait_for 300 has_glob "$dest.tmp.*/bin/python"
    kill -KILL -- "-$a" 2>/dev/null || true
    finish "$a" || true
    check "$name: the killed install left no venv in place" absent "$dest"
    start_background "$work/b" "$script"
    b=$started_pid
    start_background "$work/c" "$script"
    c=$started_pid
    check "$name: install 1 of 2 concurrent ones succeeds" finish "$b"
    check "$name: install 2 of 2 concurrent ones succeeds" finish "$c"
    check "$name: exactly one of them built" equal "$(grep_count "install: installing" "$work/b.err" "$work/c.err")" 1
    check "$name: the other waited for it" \
        equal "$(grep_count "installed by another process meanwhile" "$work/b.err" "$work/c.err")" 1
    check "$name: the killed install's half-made venv was removed" \
        equal "$(grep_count "removing the half-made $dest.tmp.$a" "$work/b.err" "$work/c.err")" 1
    check "$name: both printed the same path" equal "$(cat "$work/b.out")" "$(cat "$work/c.out")"
    check "$name: no temporary folder is left" no_leftovers "$dest"
    check "$name: the venv's python runs from its final place" "$dest/bin/python" -c 'import sys; sys.exit(0)'
    grep -h "installed in" "$work/b.err" "$work/c.err" | sed "s/^/   $name: /" || true
    echo "   $name: killed install, then two concurrent ones, in $((SECONDS - started)) s"
}

if [[ "${1:-}" == --real ]]; then
    cache="${T4G_CACHE_DIR:-$work/real-cache}"
    export T4G_CACHE_DIR="$cache" PIP_CACHE_DIR="${PIP_CACHE_DIR:-$work/pip-cache}"
    unset T4G_LNBITS_VENV LND_SIM_TEST_VENV
    # From an empty working directory, to see that nothing is written into the caller's (./data is t4gd's).
    mkdir "$work/cwd"
    cd "$work/cwd"
    real_test "LNbits" "$here/lnbits/install.sh" "$cache/lnbits-1.6.2-venv"
    mkdir "$work/lnbits-data"
    check "LNbits imports from the venv" \
        env LNBITS_DATA_FOLDER="$work/lnbits-data" "$cache/lnbits-1.6.2-venv/bin/python" -c 'import bolt11, lnbits'
    check "the LNbits install wrote nothing into the working directory" equal "$(ls -A "$work/cwd")" ""
    cd - >/dev/null
    real_test "lnd-sim test venv" "$here/lnd-sim/setup_test_venv.sh" "$cache/lnd-sim-test-venv"
else
    started=$SECONDS
    fake_tests
    echo "   in $((SECONDS - started)) s"
fi
echo "$passed passed, $failed failed"
((failed == 0))
