#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, from Debian's postgresql package (scripts/setup.sh).
#   postgres.sh start DIR PORT WATCH_PID [durable|tls]   initdb in DIR/data (user t4g, password from
#       DIR/password, scram-sha-256), serve on 127.0.0.1:PORT only; a supervisor in its own process group stops
#       the cluster and removes DIR when WATCH_PID exits (so a test run that dies still leaves nothing running).
#       Without `durable`, fsync is off (tests); with it, PostgreSQL's defaults (benchmarks). With `tls`, as
#       tests but TLS only (`hostssl`; plain TCP is refused): a throwaway CA signs a server certificate for
#       DNS:localhost only (no IP, so only that name verifies), in DIR/tls (ca.pem; other-ca.pem is an
#       unrelated CA). As root, the cluster runs as the `postgres` user (PostgreSQL refuses root).
#   postgres.sh createdb DIR PORT NAME   creates database NAME.
#   postgres.sh stop DIR                 stops the cluster and its supervisor, removes DIR.
# The server log goes to DIR/postgres.log, or to $T4G_TEST_RUN_DIR/logs/ for the test run's secret scan.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
command=$1
dir=$2

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A CA (DIR/tls/ca.pem), an unrelated one (other-ca.pem) and a server certificate from the first for
# DNS:localhost (server.pem, server.key), all P-256, valid for 2 days.
make_certificates() {
    local tls=$dir/tls name
    mkdir -p "$tls"
    for name in ca other-ca; do
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=t4g test $name" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
            -keyout "$tls/$name.key" -out "$tls/$name.pem" >>"$dir/openssl.out" 2>&1
    done
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
        -keyout "$tls/server.key" -out "$tls/server.csr" >>"$dir/openssl.out" 2>&1
    printf 'subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' \
        >"$tls/server.ext"
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
        -extfile "$tls/server.ext" -out "$tls/server.pem" >>"$dir/openssl.out" 2>&1
    chmod 600 "$tls"/*.key
}

# Prints the reason on stderr and exits 1.
fail() {
    echo "postgres.sh: $1" >&2
    exit 1
}

# Fails unless the postgres user can enter every folder from / down to $1 (it runs initdb and the server there).
check_reachable() {
    local path folder=""
    path=$(cd "$1" && pwd -P)
    local parts
    IFS=/ read -ra parts <<<"${path#/}"
    for part in "${parts[@]}"; do
        folder="$folder/$part"
        runuser -u postgres -- test -x "$folder" ||
            fail "the postgres user cannot enter $folder (a parent of $path): make it searchable (chmod o+x $folder) or use a DIR elsewhere"
    done
}

stop_cluster() {
    if [ -f "$dir/data/postmaster.pid" ]; then
        kill -QUIT "$(head -1 "$dir/data/postmaster.pid")" 2>/dev/null || true
        for _ in $(seq 50); do [ -f "$dir/data/postmaster.pid" ] || break; sleep 0.1; done
    fi
}

case "$command" in
start)
    port=$3 watch=$4 mode=${5:-test}
    [ -d "$dir" ] || fail "$dir is not a directory"
    [ -f "$dir/password" ] || fail "$dir/password is missing: write the password of the user t4g there (one line)"
    chmod 700 "$dir"
    if [ "$mode" = tls ]; then make_certificates; fi
    if [ "$(id -u)" = 0 ]; then
        chown -R postgres:postgres "$dir"
        check_reachable "$dir"
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U t4g --pwfile="$dir/password" --auth=scram-sha-256 --locale=C \
        -E UTF8 >"$dir/initdb.out" 2>&1 || fail "initdb failed ($dir/initdb.out):
$(tail -20 "$dir/initdb.out")"
    if [ "$mode" = tls ]; then sed -i 's/^host /hostssl /' "$dir/data/pg_hba.conf"; fi
    log="$dir/postgres.log"
    if [ -n "${T4G_TEST_RUN_DIR:-}" ]; then
        mkdir -p "$T4G_TEST_RUN_DIR/logs"
        log="$T4G_TEST_RUN_DIR/logs/postgres-$port.log"
        touch "$log"
        [ "$(id -u)" = 0 ] && chown postgres "$log"
    fi
    options=(-c listen_addresses=127.0.0.1 -p "$port" -c unix_socket_directories="$dir" -c max_connections=400)
    [ "$mode" = durable ] || options+=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
    if [ "$mode" = tls ]; then
        options+=(-c ssl=on -c ssl_cert_file="$dir/tls/server.pem" -c ssl_key_file="$dir/tls/server.key")
    fi
    setsid "$0" supervise "$dir" "$watch" "$log" "${options[@]}" </dev/null >/dev/null 2>&1 &
    for _ in $(seq 300); do
        "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && exit 0
        sleep 0.1
    done
    echo "postgres did not start on port $port; see $log" >&2
    exit 1
    ;;
supervise)
    watch=$3 log=$4
    shift 4
    echo $$ >"$dir/supervisor.pid"
    as_owner "$bin/postgres" -D "$dir/data" "$@" >>"$log" 2>&1 &
    while kill -0 "$watch" 2>/dev/null && kill -0 $! 2>/dev/null; do sleep 1; done
    stop_cluster
    rm -rf "$dir"
    kill -KILL -- -$$ 2>/dev/null || true
    ;;
createdb)
    port=$3 name=$4
    PGPASSWORD=$(cat "$dir/password") "$bin/psql" -q -h 127.0.0.1 -p "$port" -U t4g -d postgres \
        -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$name\""
    ;;
stop)
    stop_cluster
    supervisor=$(cat "$dir/supervisor.pid" 2>/dev/null || true)
    rm -rf "$dir"
    [ -n "$supervisor" ] && kill -KILL -- -"$supervisor" 2>/dev/null || true
    ;;
*)
    echo "usage: $0 start|createdb|stop DIR ..." >&2
    exit 2
    ;;
esac
