# Sourced by fuzz/run-*.sh: runs a built libFuzzer target over WORK/corpus and WORK/seeds and prints a summary.
#
#   run_fuzzer BINARY WORK DICTIONARY MAX_LEN SECONDS
#
# FUZZ_JOBS > 1 runs that many workers. The log goes to WORK/fuzz-<UTC time>.log, crashes to WORK/artifacts/.
# Returns the fuzzer's exit status.
run_fuzzer() {
    local binary="$1" work="$2" dictionary="$3" max_len="$4" seconds="$5"
    echo "== fuzzing for ${seconds}s with ${FUZZ_JOBS:-1} job(s); corpus $work/corpus"
    local log
    log="$work/fuzz-$(date -u +%Y%m%dT%H%M%SZ).log"
    local jobs=()
    if [[ "${FUZZ_JOBS:-1}" -gt 1 ]]; then jobs=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS"); fi
    set +e
    # The Swift runtime's backtracer reads the stack in a way ASan reports; libFuzzer's own report suffices.
    SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$binary" "${jobs[@]}" \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -print_final_stats=1 \
        -dict="$dictionary" -artifact_prefix="$work/artifacts/" \
        "$work/corpus" "$work/seeds" 2>&1 | tee "$log"
    local status=${PIPESTATUS[0]}
    set -e

    echo "== summary (log: $log)"
    grep -E "^(#[0-9]+.*(DONE|INITED)|stat::)" "$log" | tail -n 12 || true
    echo "corpus files: $(find "$work/corpus" -type f | wc -l)"
    echo "artifacts: $(find "$work/artifacts" -type f | wc -l)"
    return "$status"
}
