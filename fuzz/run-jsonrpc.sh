#!/usr/bin/env bash
# Builds the JSON-RPC request-path fuzz target (NDJSON framing + JSON parser + JSON-RPC request reader)
# with libFuzzer and AddressSanitizer, seeds a corpus from the JSON-RPC tests, and fuzzes for SECONDS
# (default 600).
#
#   fuzz/run-jsonrpc.sh [SECONDS]
#
# Environment: FUZZ_JOBS (parallel workers, default 1), FUZZ_BUILD_ONLY=1 (build and stop).
# Sources/JSONRPC and Sources/RPCServer/LineFramer.swift are compiled instrumented; NIOCore (for
# ByteBuffer) comes uninstrumented from the package's release build, which the script runs first.
# Crashes land in fuzz/work/jsonrpc/artifacts/; copy the ones that matter into fuzz/jsonrpc/regressions/
# (they seed every later run) and add a test to Tests/JSONRPCTests. Replay: .build-fuzz/jsonrpc/fuzz-jsonrpc FILE...
set -euo pipefail

seconds="${1:-600}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$root/.build-fuzz/jsonrpc"
work="$root/fuzz/work/jsonrpc"
mkdir -p "$out" "$work/corpus" "$work/seeds" "$work/artifacts"

echo "== building NIOCore (release, via SwiftPM)"
swift build -c release --target NIOCore >/dev/null
bin="$(swift build -c release --show-bin-path)"
nio=(NIOCore NIOConcurrencyHelpers _NIOBase64 _NIODataStructures DequeModule ContainersPreview InternalCollectionsUtilities Atomics
    _AtomicsShims CNIOAtomics CNIOLinux CNIODarwin CNIOWindows CNIOWASI CNIOFreeBSD CNIOOpenBSD)
objects=()
module_maps=()
for target in "${nio[@]}"; do
    while IFS= read -r object; do objects+=("$object"); done < <(find "$bin/$target.build" -name "*.o")
    if [[ -f "$bin/$target.build/module.modulemap" ]]; then
        module_maps+=(-Xcc "-fmodule-map-file=$bin/$target.build/module.modulemap")
    fi
done
while IFS= read -r map; do
    module_maps+=(-Xcc "-fmodule-map-file=$map" -Xcc -I -Xcc "$(dirname "$map")")
done < <(find .build/checkouts/swift-nio/Sources .build/checkouts/swift-atomics/Sources -path '*/include/module.modulemap')

flags=(-O -swift-version 6 -parse-as-library -sanitize=fuzzer,address -g -I "$out")
echo "== building the target"
swiftc "${flags[@]}" -module-name JSONRPC -wmo -emit-module -emit-module-path "$out/JSONRPC.swiftmodule" \
    -c Sources/JSONRPC/*.swift -o "$out/JSONRPC.o"
swiftc "${flags[@]}" -I "$bin/Modules" "${module_maps[@]}" -module-name FuzzJSONRPC \
    fuzz/jsonrpc/FuzzTarget.swift Sources/RPCServer/LineFramer.swift "$out/JSONRPC.o" "${objects[@]}" \
    -use-ld=lld -o "$out/fuzz-jsonrpc"
echo "built $out/fuzz-jsonrpc"
[[ "${FUZZ_BUILD_ONLY:-0}" == 1 ]] && exit 0

echo "== seeding $work/seeds from the JSON-RPC tests and fuzz/jsonrpc/regressions"
python3 - "$work/seeds" Tests/JSONRPCTests/*.swift Tests/RPCServerTests/LineFramerTests.swift <<'PY'
import hashlib, pathlib, re, sys
out = pathlib.Path(sys.argv[1])
texts = []
for name in sys.argv[2:]:
    source = pathlib.Path(name).read_text()
    texts += [m.group(1) for m in re.finditer(r'#"(.*?)"#', source)]
    for m in re.finditer(r'(?<!#)"((?:[^"\\\n]|\\.)*)"', source):
        literal = m.group(1)
        if "\\(" in literal:
            continue  # interpolation
        simple = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "\\": "\\", "'": "'"}
        texts.append(re.sub(r'\\u\{([0-9a-fA-F]+)\}|\\(.)',
                            lambda e: chr(int(e.group(1), 16)) if e.group(1) else simple.get(e.group(2), e.group(2)),
                            literal))
lines = sorted({t for t in texts if t.lstrip()[:1] in ("{", "[", '"') or t in ("null", "true", "1")})
def seed(params, body):
    data = params + body.encode("utf-8", "surrogatepass")
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
for line in lines:
    seed(b"\x3f\x20", line + "\n")   # line limit 4048, depth 32
    seed(b"\x00\x03", line + "\n")   # line limit 16, depth 3
seed(b"\x3f\x3f", "\n".join(lines) + "\n")
print(f"{len(lines)} JSON texts from the tests")
PY
if compgen -G "fuzz/jsonrpc/regressions/*" >/dev/null; then cp fuzz/jsonrpc/regressions/* "$work/seeds/"; fi

source fuzz/run-fuzzer.sh
run_fuzzer "$out/fuzz-jsonrpc" "$work" fuzz/jsonrpc.dict 8192 "$seconds"
