#!/usr/bin/env bash
# Builds the BOLT #11 decoder fuzz target with libFuzzer and AddressSanitizer, seeds a corpus from the
# spec vectors, and fuzzes for SECONDS (default 600).
#
#   fuzz/run-bolt11.sh [SECONDS]
#
# Environment: FUZZ_JOBS (parallel workers, default 1), FUZZ_BUILD_ONLY=1 (build and stop),
# FUZZ_SOURCES (folder holding Secp256k1/ and BOLT11/, default Sources; point it at a scratch copy
# to fuzz a patched decoder; it then builds into .build-fuzz/bolt11-custom/).
# Crashes land in fuzz/work/bolt11/artifacts/; copy the ones that matter into fuzz/regressions/
# (they seed every later run). Replay inputs: .build-fuzz/bolt11/fuzz-bolt11 FILE...
# Outcome counts over a corpus: FUZZ_STATS=1 .build-fuzz/bolt11/fuzz-bolt11 -runs=0 fuzz/work/bolt11/corpus
set -euo pipefail

seconds="${1:-600}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
sources="${FUZZ_SOURCES:-Sources}"
out="$root/.build-fuzz/bolt11${FUZZ_SOURCES:+-custom}"
work="$root/fuzz/work/bolt11"
vectors="${BOLT11_VECTORS:-/work/shared/testdata/bolt11/spec-vectors.json}"
mkdir -p "$out" "$work/corpus" "$work/seeds" "$work/artifacts"

flags=(-O -swift-version 6 -parse-as-library -sanitize=fuzzer,address -g
    -I Sources/CSecp256k1 -I Sources/CHashShim -I "$out")

echo "== building (sources: $sources)"
swiftc "${flags[@]}" -module-name Secp256k1 -wmo -emit-module -emit-module-path "$out/Secp256k1.swiftmodule" \
    -c "$sources"/Secp256k1/*.swift -o "$out/Secp256k1.o"
swiftc "${flags[@]}" -module-name BOLT11 -wmo -emit-module -emit-module-path "$out/BOLT11.swiftmodule" \
    -c "$sources"/BOLT11/*.swift -o "$out/BOLT11.o"
swiftc "${flags[@]}" -module-name FuzzBOLT11 fuzz/bolt11/FuzzTarget.swift "$out/Secp256k1.o" "$out/BOLT11.o" \
    -lsecp256k1 -lcrypto -use-ld=lld -o "$out/fuzz-bolt11"
echo "built $out/fuzz-bolt11"
[[ "${FUZZ_BUILD_ONLY:-0}" == 1 ]] && exit 0

echo "== seeding $work/seeds from $vectors and fuzz/regressions"
python3 - "$vectors" "$work/seeds" <<'EOF'
import hashlib, json, pathlib, sys
vectors = json.load(open(sys.argv[1]))
out = pathlib.Path(sys.argv[2])
invoices = [v["invoice"] for v in vectors["valid"] + vectors["invalid"]]
for invoice in invoices + [i.upper() for i in invoices] + [i.lower() for i in invoices]:
    data = invoice.encode()
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
EOF
if compgen -G "fuzz/regressions/*" >/dev/null; then cp fuzz/regressions/* "$work/seeds/"; fi

source fuzz/run-fuzzer.sh
run_fuzzer "$out/fuzz-bolt11" "$work" fuzz/bolt11.dict 4096 "$seconds"
