#!/usr/bin/env bash
# Checks that a release build of t4gd has no fault points: the module holding FaultInjection.swift must be
# compiled without T4G_FAULT_INJECTION in release (so `FaultInjection.hit` is empty and T4GD_FAULT_POINTS is
# never read) and with it in debug (the builds `swift test` runs, where the crash harness needs the points).
#
# Reads SwiftPM's build plans (.build/debug.yaml and .build/release.yaml) rather than building t4gd in release:
# `swift build -c release --target TOML` (one small target, seconds once cached) writes the release plan of
# every target, the exact compiler arguments a release build of t4gd uses. A whole release build would cost
# minutes of CI for the same answer. Needs a debug build first (scripts/test.sh builds one before it runs this).
set -euo pipefail
cd "$(dirname "$0")/.."

# defines PLAN: the -D flags of the compile command whose sources include FaultInjection.swift, one a line.
defines() {
    awk '/^  "/ { found = 0 }
        /^    inputs: .*\/FaultInjection\.swift"/ { found = 1 }
        found && /^    args: .*"-module-name"/ { print; exit }' "$1" \
        | tr ',' '\n' | grep -o '"-D[A-Za-z0-9_]*"' | tr -d '"' || true
}

[[ -f .build/debug.yaml ]] || { echo "no .build/debug.yaml: run swift build first" >&2; exit 2; }
swift build -c release --target TOML >/dev/null
debug="$(defines .build/debug.yaml)"
release="$(defines .build/release.yaml)"
if [[ -z "$debug" || -z "$release" ]]; then
    echo "FaultInjection.swift's compile command is missing from a build plan (debug: ${debug:-none}," \
        "release: ${release:-none})" >&2
    exit 1
fi
if ! grep -qx -- -DT4G_FAULT_INJECTION <<<"$debug"; then
    echo "debug builds lack T4G_FAULT_INJECTION: the crash harness's fault points would do nothing" >&2
    exit 1
fi
if grep -qx -- -DT4G_FAULT_INJECTION <<<"$release"; then
    echo "release builds define T4G_FAULT_INJECTION: T4GD_FAULT_POINTS could SIGKILL a production daemon" >&2
    exit 1
fi
echo "fault points: compiled into debug builds, absent from release builds"
