# common.sh: definitions shared by start.sh, wallet.sh, stop.sh and selftest.sh (sourced, not run).
# shellcheck shell=bash
#
# JSON is handled with the LNbits venv's own Python, so the scripts need no jq.

LNBITS_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly LNBITS_SCRIPTS

# lnbits_python: print the venv's Python (install.sh is instant once the venv exists).
lnbits_python() {
    echo "$("$LNBITS_SCRIPTS/install.sh")/bin/python"
}

# json_field PYTHON PATH: read JSON on stdin and print the value at PATH, a dotted list
# of object keys (e.g. "details.amount"); strings unquoted, anything else as JSON.
json_field() {
    "$1" -c '
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1].split("."):
    if not isinstance(value, dict) or key not in value:
        sys.exit("json_field: no %r in the JSON" % sys.argv[1])
    value = value[key]
print(value if isinstance(value, str) else json.dumps(value))' "$2"
}

# json_object PYTHON KEY=VALUE... KEY:=JSON...: print a JSON object; KEY=VALUE gives a
# string, KEY:=JSON a raw JSON value such as a number.
json_object() {
    "$1" - "${@:2}" <<'PY'
import json, sys
out = {}
for pair in sys.argv[1:]:
    key, _, value = pair.partition("=")
    if key.endswith(":"):
        out[key[:-1]] = json.loads(value)
    else:
        out[key] = value
print(json.dumps(out))
PY
}

# group_alive PGID: true while any process of the group exists.
group_alive() {
    kill -0 -- "-$1" 2>/dev/null
}

# http OUT METHOD URL DATA [HEADER...]: send one request (DATA "" = no body), write the
# response body to OUT and print the HTTP status code ("000" when nothing answered).
http() {
    local out="$1" method="$2" url="$3" data="$4" header
    shift 4
    local args=(-s --max-time 30 -o "$out" -w '%{http_code}' -X "$method")
    if [[ -n "$data" ]]; then args+=(-H 'Content-Type: application/json' --data "$data"); fi
    for header in "$@"; do args+=(-H "$header"); done
    curl "${args[@]}" "$url" 2>/dev/null || true
}
