#!/usr/bin/env bash
# install.sh: create (once) a Python virtual environment holding LNbits 1.6.2.
#
# Usage: install.sh
# Env:   T4G_LNBITS_VENV    venv path (default $T4G_CACHE_DIR/lnbits-1.6.2-venv); the
#                           other scripts call install.sh, so set it for them alike
#        T4G_CACHE_DIR      the test caches' folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/t4gd)
#        T4G_LNBITS_PYTHON  interpreter to use instead of searching for one
#        T4G_INSTALL_WAIT   seconds to wait for another process's install (default 900)
# Out:   stdout: the venv path, on one line (progress and warnings go to stderr).
#
# The lnbits 1.6.2 wheel declares Requires-Python ">=3.10,<3.13". Interpreters are tried
# in this order, the first that runs, has the right version and has venv + ensurepip wins:
#   1. $T4G_LNBITS_PYTHON (3.10, 3.11 or 3.12);
#   2. pyenv's 3.12.x, called by full path (the pyenv `python3.12` shim refuses to run
#      unless 3.12 is the selected pyenv version), newest first;
#   3. `python3.12` on PATH;
#   4. fallback, with a warning: pyenv's 3.11.x, then `python3.11` on PATH, which is
#      Debian 12's system Python (needs the python3.11-venv package). LNbits 1.6.2 was
#      checked to install, start and pay on Debian's 3.11.2 as well.
# Debian 12 (bookworm) has no python3.12 package and Debian 13 (trixie) has 3.13, which
# LNbits 1.6.2 does not accept; so without pyenv, bookworm's 3.11 is the choice.
#
# `bitstring<5` is pinned because bitstring 5 breaks `import bolt11`, which LNbits uses
# to decode invoices.
#
# The install is atomic and serialised (../install-once.sh): one process builds the venv in
# a temporary folder under a lock and renames it into place when complete; any other waits
# for it (bounded by T4G_INSTALL_WAIT) or finds it done; a half-made venv left by a killed
# install is removed and rebuilt. Once the venv is complete the script only prints the path.
# The venv's bin/ scripts keep the temporary path in their #! line: run them through
# $VENV/bin/python (start.sh does).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../install-once.sh"

# lnbits_imports VENV: whether LNbits and bolt11 import from VENV. Importing LNbits writes an auth key into its
# data folder, ./data by default, which in a checkout is the daemon's own data directory (t4gd then refuses it:
# open to other users): a throwaway folder here.
lnbits_imports() {
    local data status=0
    data=$(mktemp -d)
    LNBITS_DATA_FOLDER="$data" "$1/bin/python" -c 'import bolt11, lnbits' || status=$?
    rm -rf "$data"
    return "$status"
}

readonly LNBITS_VERSION=1.6.2
readonly VENV="${T4G_LNBITS_VENV:-${T4G_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/t4gd}/lnbits-${LNBITS_VERSION}-venv}"

# A venv made by the install.sh before the lock (unlocked, marked when done) is kept when LNbits imports
# from it, so machines that have one do not rebuild it while their tests may be using it.
if ! install_once_complete "$VENV" && [[ -f "$VENV/.t4gd-lnbits-${LNBITS_VERSION}-installed" ]] \
    && lnbits_imports "$VENV" 2>/dev/null; then
    touch "$VENV/$INSTALL_ONCE_MARKER"
fi
if install_once_complete "$VENV"; then
    echo "$VENV"
    exit 0
fi

# python_minor PATH: print "3.N" if PATH runs a Python with venv and ensurepip, else fail.
python_minor() {
    [[ -n "$1" && -x "$1" ]] \
        && "$1" -c 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

# pyenv_interpreters MINOR: pyenv's 3.MINOR.x interpreters, newest first.
pyenv_interpreters() {
    local root="${PYENV_ROOT:-}"
    if [[ -z "$root" ]] && command -v pyenv >/dev/null; then root="$(pyenv root)"; fi
    root="${root:-$HOME/.pyenv}"
    local dir
    for dir in "$root/versions/3.$1".*; do
        if [[ -d "$dir" ]]; then echo "$dir/bin/python3"; fi
    done | sort -r -V
}

find_python() {
    local candidate
    if [[ -n "${T4G_LNBITS_PYTHON:-}" ]]; then
        if [[ "$(python_minor "$T4G_LNBITS_PYTHON" || true)" =~ ^3\.1[012]$ ]]; then
            echo "$T4G_LNBITS_PYTHON"
            return 0
        fi
        echo "install.sh: T4G_LNBITS_PYTHON=$T4G_LNBITS_PYTHON is not a Python 3.10-3.12 with venv" >&2
        return 1
    fi
    for candidate in $(pyenv_interpreters 12) "$(command -v python3.12 || true)"; do
        if [[ "$(python_minor "$candidate" || true)" == 3.12 ]]; then echo "$candidate"; return 0; fi
    done
    for candidate in $(pyenv_interpreters 11) "$(command -v python3.11 || true)"; do
        if [[ "$(python_minor "$candidate" || true)" == 3.11 ]]; then
            echo "install.sh: WARNING: no Python 3.12 found; using 3.11 at $candidate" >&2
            echo "$candidate"
            return 0
        fi
    done
    cat >&2 <<'MSG'
install.sh: no usable Python for LNbits 1.6.2 (it needs 3.10-3.12 with the venv module).
  Looked at: pyenv's 3.12.x and 3.11.x, python3.12 and python3.11 on PATH.
  On Debian 12: apt-get install python3.11-venv. With pyenv: pyenv install 3.12.
  Or set T4G_LNBITS_PYTHON to such an interpreter.
MSG
    return 1
}

# build_venv DIR PYTHON: the LNbits venv in DIR (empty).
build_venv() {
    echo "install.sh: creating the LNbits venv with $2 ($("$2" -V 2>&1)); takes 1.5-6 min" >&2
    "$2" -m venv "$1"
    "$1/bin/python" -m pip install -q --disable-pip-version-check "lnbits==${LNBITS_VERSION}" 'bitstring<5' >&2
    # Fail here, not at server start, if the bolt11 import is broken.
    lnbits_imports "$1" >&2
}

install_once "LNbits ${LNBITS_VERSION}" "$VENV" build_venv "$(find_python)"
echo "$VENV"
