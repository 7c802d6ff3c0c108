#!/usr/bin/env bash
# Runs the whole test suite: unit, property, CLI and integration tests (Swift Testing).
# Lints first: `swift format lint --strict` (the toolchain's own) with the repository's .swift-format over every
# Swift file of the package, its benchmarks and fuzzers; a finding fails the run before anything is built.
# Installs missing system packages first (scripts/setup.sh), then, once, what the tests use on first use (the
# LNbits venv, regtest/lnbits/install.sh, atomic and serialised; a test that starts LNbits finds it done) after
# checking that such installs are serialised (regtest/install-once-test.sh). Each step prints its wall-clock
# duration. Warnings are errors (see Package.swift). After the build, scripts/check-release-fault-points.sh
# checks that release builds carry no fault points (from the release build plan, not a release build).
# Then scans every log the run wrote (daemons, LND simulator, LNbits, PostgreSQL) for every secret the run
# created or learned (macaroons, LNbits keys, seeds, preimages of unpaid invoices, the test PostgreSQL
# password); a secret in a log fails the run, naming the file, line, kind and encoding but never the secret
# (only on a full run: with test filters or other arguments the scan is skipped, as a partial run may write no
# log at all). The run's record stays in
# $T4G_TEST_RUN_DIR (default: a new /tmp/t4g-run.* folder, removed when the scan passes).
set -euo pipefail
cd "$(dirname "$0")/.."

# timed NAME COMMAND...: run a step and print its wall-clock duration; the step's exit status.
timed() {
    local started=$SECONDS status=0
    echo "== $1" >&2
    "${@:2}" || status=$?
    echo "== $1: $((SECONDS - started)) s" >&2
    return "$status"
}

# install_once_test: the install lock's self-test, its failures and summary only.
install_once_test() {
    regtest/install-once-test.sh | grep -v '^ok '
}

# lint: swift format lint --strict over the package's Swift files, with the repository's configuration.
lint() {
    swift format lint --strict --parallel --configuration .swift-format --recursive \
        Package.swift Sources Tests Benchmarks fuzz
}

total_started=$SECONDS
timed "lint (swift format lint --strict)" lint || {
    echo "== scripts/test.sh: lint findings above (swift format -i FILE fixes most); $((SECONDS - total_started)) s," \
        "exit 1" >&2
    exit 1
}
timed "apt packages (scripts/setup.sh)" scripts/setup.sh
timed "first-use installs are serialised (regtest/install-once-test.sh)" install_once_test
timed "LNbits venv (regtest/lnbits/install.sh; 1.5-6 min the first time)" regtest/lnbits/install.sh >/dev/null
timed "build (swift build --build-tests)" swift build --build-tests
timed "release builds carry no fault points (scripts/check-release-fault-points.sh)" \
    scripts/check-release-fault-points.sh
run_dir="${T4G_TEST_RUN_DIR:-$(mktemp -d /tmp/t4g-run.XXXXXX)}"
mkdir -p "$run_dir"
status=0
# Suites whose wall-clock bounds (a socket's idle timeout, a 2 s fault window, LNbits' push reconnect, a
# leader hand-over, a health probe's recovery) must not share two cores with the rest of the suite, which
# saturates them (daemon processes, fuzzing, kill -9 cycles): a second process runs them on a quiet machine.
readonly TIMED_SUITES='RPCServerTests|LNDFaultTests|LNDRealNodeTests|LNbitsPushTests|SharedStoreTests|FullDiskHealthTests'
# The suites of several daemons on one PostgreSQL database (MultiInstanceTests, up to six daemons; AccountRaceTests,
# 50 concurrent debits of one account through 3 daemons) run last, alone, so their load does not stretch the
# wall-clock bounds of other suites (LNDFaultTests' 3-5 s window was missed once at load 10 beside them).
readonly SHARED_STORE_SUITES='MultiInstanceTests|AccountRaceTests'
if (($# == 0)); then
    T4G_TEST_RUN_DIR="$run_dir" timed "tests but the shared-store and the timed suites" \
        swift test --skip-build --skip "$SHARED_STORE_SUITES" --skip "$TIMED_SUITES" || status=$?
    T4G_TEST_RUN_DIR="$run_dir" timed "the timed suites ($TIMED_SUITES)" \
        swift test --skip-build --filter "$TIMED_SUITES" || status=$?
    T4G_TEST_RUN_DIR="$run_dir" timed "the shared-store suites ($SHARED_STORE_SUITES)" \
        swift test --skip-build --filter "$SHARED_STORE_SUITES" || status=$?
else
    T4G_TEST_RUN_DIR="$run_dir" timed "tests $*" swift test --skip-build "$@" || status=$?
fi
if (($# == 0)); then
    echo "== scanning the logs in $run_dir/logs for recorded secrets"
    T4G_SCAN_RUN_DIR="$run_dir" swift test --skip-build \
        --filter 'SecretScannerTests.noLogOfTheTestRunHoldsASecret' || status=$?
fi
if [[ "$status" == 0 && -z "${T4G_TEST_RUN_DIR:-}" ]]; then rm -rf "$run_dir"; fi
echo "== scripts/test.sh: $((SECONDS - total_started)) s in all, exit $status" >&2
exit "$status"
