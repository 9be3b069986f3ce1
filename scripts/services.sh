#!/usr/bin/env bash
# Make sure a Postgres and a Redis answer, and export their URLs.
#
# Usage (always pass the mode when sourcing; otherwise the caller's own
# arguments would be taken as the mode):
#   source scripts/services.sh dev     # what run.sh does; exports into the caller
#   source scripts/services.sh test    # what test.sh does
#   eval "$(scripts/services.sh dev)"  # same from an interactive shell: when run
#                                      # (not sourced) it prints `export` lines
#   scripts/services.sh stop           # stop the project-local Postgres/Redis
#
# Exports:
#   dev:  DATABASE_URL (database `jangteo`), REDIS_URL (db 0)
#   test: DATABASE_URL (database `jangteo_test`, the base URL for #[sqlx::test],
#         which creates its own per-test databases), E2E_DATABASE_URL
#         (database `jangteo_e2e`, recreated by test.sh on each run) and
#         REDIS_URL (db 1), so tests never touch the developer's running app.
#
# Where the servers come from, first match wins:
#   1. DATABASE_URL / REDIS_URL from the environment, used as they are (in test
#      mode TEST_DATABASE_URL / TEST_REDIS_URL win; otherwise the database name
#      and Redis db index of DATABASE_URL / REDIS_URL are swapped for the test ones);
#   2. a server on the default port (127.0.0.1:5432 as the current OS user with
#      the right to create databases; 127.0.0.1:6379);
#   3. project-local servers started here: Postgres on 55432 with its data in
#      .data/postgres, Redis on 56379 without persistence. They keep running
#      until `scripts/services.sh stop`.
# JANGTEO_FORCE_LOCAL=1 skips step 2 (to test step 3 on a machine that has both).
# JANGTEO_PG_PORT / JANGTEO_REDIS_PORT change the local ports.
#
# When sourced it also defines jangteo_recreate_db URL (drop and create).

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JANGTEO_PG_PORT="${JANGTEO_PG_PORT:-55432}"
JANGTEO_REDIS_PORT="${JANGTEO_REDIS_PORT:-56379}"

# URL helpers (_url_with_path, _url_path, _redact) are in lib.sh.

# --------------------------------------------------------------- Postgres ---
_pg_ok() { psql "$1" -XAtqc 'select 1' >/dev/null 2>&1; }

# _pg_ensure_db URL: create the URL's database if missing, through the
# `postgres` maintenance database of the same server.
_pg_ensure_db() {
    local url="$1" db admin
    _pg_ok "$url" && return 0
    db="$(_url_path "$url")"
    [[ -n "$db" ]] || die "no database name in $(_redact "$url")"
    admin="$(_url_with_path "$url" postgres)"
    _pg_ok "$admin" || die "cannot connect to $(_redact "$admin") to create database '$db'. Check the URL and the server's auth, or create '$db' yourself."
    info "creating database $db"
    psql "$admin" -XqAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\"" >/dev/null
}

# jangteo_recreate_db URL: start from an empty database (used for e2e runs).
jangteo_recreate_db() {
    local url="$1" db admin
    db="$(_url_path "$url")"
    admin="$(_url_with_path "$url" postgres)"
    # WITH (FORCE) drops lingering connections, e.g. from a killed e2e server.
    psql "$admin" -XqAt -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" \
        -c "CREATE DATABASE \"$db\"" >/dev/null
}

_pg_bindir() {
    local d
    d="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
    [[ -n "$d" && -x "$d/initdb" ]] || die "initdb not found under /usr/lib/postgresql. Run scripts/bootstrap.sh (installs postgresql)."
    printf '%s\n' "$d"
}

# Postgres refuses to run as root, so as root the local cluster runs as the
# `postgres` OS user (created by the Debian package).
_pg_as_owner() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# _pg_local_base: the folder holding the local cluster (data, log, socket).
# It is $ROOT/.data unless we are root and the postgres user cannot reach it
# (e.g. a clone under /root); then a folder in /var/tmp keyed by $ROOT.
_pg_local_base() {
    local alt
    alt="/var/tmp/jangteo-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
    if [[ -f "$alt/postgres/PG_VERSION" ]]; then
        printf '%s\n' "$alt"
        return
    fi
    mkdir -p "$ROOT/.data"
    if is_root && ! runuser -u postgres -- test -x "$ROOT/.data" 2>/dev/null; then
        mkdir -p "$alt"
        printf '%s\n' "$alt"
    else
        printf '%s\n' "$ROOT/.data"
    fi
}

_pg_start_local() {
    local port="$JANGTEO_PG_PORT" base bindir data sock log url
    url="postgres://jangteo@127.0.0.1:$port/postgres"
    if _pg_ok "$url"; then
        printf 'postgres://jangteo@127.0.0.1:%s\n' "$port"
        return
    fi
    bindir="$(_pg_bindir)"
    base="$(_pg_local_base)"
    data="$base/postgres"
    log="$base/postgres.log"
    sock="$base/pg-run"
    # Unix socket paths are limited to ~107 bytes.
    ((${#sock} < 80)) || sock="/tmp"
    mkdir -p "$data" "$sock"
    touch "$log"
    if is_root; then
        id postgres >/dev/null 2>&1 || die "OS user 'postgres' missing. Run scripts/bootstrap.sh (installs postgresql)."
        chown postgres:postgres "$data" "$log"
        [[ "$sock" == /tmp ]] || chown postgres:postgres "$sock"
    fi
    chmod 700 "$data"
    if [[ ! -f "$data/PG_VERSION" ]]; then
        step "Creating a project-local Postgres cluster in $data"
        _pg_as_owner "$bindir/initdb" -D "$data" -U jangteo --auth=trust \
            -E UTF8 --locale=C.UTF-8 --no-sync >>"$log" 2>&1 ||
            die "initdb failed, see $log"
    fi
    step "Starting project-local Postgres on 127.0.0.1:$port (log: $log)"
    # fsync off: this cluster only holds dev/test data and the tests create
    # many databases; losing it on an OS crash is acceptable.
    _pg_as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 \
        -o "-p $port -k '$sock' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null ||
        die "Postgres did not start on port $port, see $log (port taken? set JANGTEO_PG_PORT)"
    _pg_ok "$url" || die "local Postgres on port $port does not accept user 'jangteo', see $log"
    printf 'postgres://jangteo@127.0.0.1:%s\n' "$port"
}

# _pg_server: print a server URL without database, e.g. postgres://u@h:p
_pg_server() {
    local user
    user="${USER:-$(id -un)}"
    if [[ -z "${JANGTEO_FORCE_LOCAL:-}" ]] && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
        local url="postgres://$user@127.0.0.1:5432"
        if [[ "$(psql "$url/postgres" -XAtqc 'select rolcreatedb or rolsuper from pg_roles where rolname = current_user' 2>/dev/null)" == t ]]; then
            printf '%s\n' "$url"
            return
        fi
        info "Postgres on 127.0.0.1:5432 does not let '$user' create databases; using a project-local one"
    fi
    _pg_start_local
}

# ------------------------------------------------------------------ Redis ---
_redis_ok() { [[ "$(redis-cli -u "$1" ping 2>/dev/null)" == PONG ]]; }

_redis_server() {
    local port="$JANGTEO_REDIS_PORT" log="$ROOT/.data/redis.log" i
    if [[ -z "${JANGTEO_FORCE_LOCAL:-}" ]] && _redis_ok "redis://127.0.0.1:6379"; then
        printf 'redis://127.0.0.1:6379\n'
        return
    fi
    if ! _redis_ok "redis://127.0.0.1:$port"; then
        need_cmd redis-server
        mkdir -p "$ROOT/.data"
        step "Starting project-local Redis on 127.0.0.1:$port (log: $log)"
        # No persistence: sessions and caches may be lost on restart.
        redis-server --port "$port" --bind 127.0.0.1 --daemonize yes \
            --dir "$ROOT/.data" --pidfile "$ROOT/.data/redis.pid" \
            --save "" --appendonly no --logfile "$log" >/dev/null ||
            die "redis-server failed to start, see $log"
        for i in $(seq 50); do
            _redis_ok "redis://127.0.0.1:$port" && break
            ((i < 50)) || die "Redis did not answer on port $port, see $log (port taken? set JANGTEO_REDIS_PORT)"
            sleep 0.2
        done
    fi
    printf 'redis://127.0.0.1:%s\n' "$port"
}

# ------------------------------------------------------------------- main ---
jangteo_services() {
    local mode="$1" server db_url e2e_url redis_url
    case "$mode" in dev | test) ;; *) die "services.sh: unknown mode '$mode' (dev, test or stop)" ;; esac
    need_cmd psql "Run scripts/bootstrap.sh (installs postgresql)."
    need_cmd pg_isready "Run scripts/bootstrap.sh (installs postgresql)."
    need_cmd redis-cli "Run scripts/bootstrap.sh (installs redis-server)."

    # Postgres
    if [[ "$mode" == test && -n "${TEST_DATABASE_URL:-}" ]]; then
        db_url="$TEST_DATABASE_URL"
    elif [[ -n "${DATABASE_URL:-}" ]]; then
        db_url="$DATABASE_URL"
        [[ "$mode" == dev ]] || db_url="$(_url_with_path "$DATABASE_URL" jangteo_test)"
    else
        # `|| exit 1`: errexit is off when the caller runs us inside `if`/`||`.
        server="$(_pg_server)" || exit 1
        db_url="$server/jangteo"
        [[ "$mode" == dev ]] || db_url="$server/jangteo_test"
    fi
    pg_isready -q -d "$db_url" ||
        die "Postgres at $(_redact "$db_url") does not answer. Start it, fix DATABASE_URL (or TEST_DATABASE_URL), or unset it to let scripts/services.sh start a local one."
    _pg_ensure_db "$db_url"
    DATABASE_URL="$db_url"
    export DATABASE_URL
    if [[ "$mode" == test ]]; then
        e2e_url="${E2E_DATABASE_URL:-$(_url_with_path "$db_url" jangteo_e2e)}"
        _pg_ensure_db "$e2e_url"
        E2E_DATABASE_URL="$e2e_url"
        export E2E_DATABASE_URL
    fi

    # Redis
    if [[ "$mode" == test && -n "${TEST_REDIS_URL:-}" ]]; then
        redis_url="$TEST_REDIS_URL"
    elif [[ -n "${REDIS_URL:-}" ]]; then
        redis_url="$REDIS_URL"
        [[ "$mode" == dev ]] || redis_url="$(_url_with_path "$REDIS_URL" 1)"
    else
        redis_url="$(_redis_server)" || exit 1
        redis_url="$redis_url/0"
        [[ "$mode" == dev ]] || redis_url="$(_url_with_path "$redis_url" 1)"
    fi
    _redis_ok "$redis_url" ||
        die "Redis at $(_redact "$redis_url") does not answer. Start it, fix REDIS_URL (or TEST_REDIS_URL), or unset it to let scripts/services.sh start a local one."
    REDIS_URL="$redis_url"
    export REDIS_URL

    ok "Postgres: $(_redact "$DATABASE_URL")"
    [[ "$mode" == dev ]] || ok "Postgres (e2e): $(_redact "$E2E_DATABASE_URL")"
    ok "Redis:    $(_redact "$REDIS_URL")"
}

# jangteo_services_stop: stop only what _pg_start_local/_redis_server started.
jangteo_services_stop() {
    local base bindir
    for base in "$ROOT/.data" "/var/tmp/jangteo-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"; do
        if [[ -f "$base/postgres/postmaster.pid" ]]; then
            bindir="$(_pg_bindir)"
            step "Stopping project-local Postgres ($base/postgres)"
            _pg_as_owner "$bindir/pg_ctl" -D "$base/postgres" -m fast -w stop >/dev/null
        fi
    done
    if _redis_ok "redis://127.0.0.1:$JANGTEO_REDIS_PORT"; then
        step "Stopping project-local Redis (port $JANGTEO_REDIS_PORT)"
        redis-cli -p "$JANGTEO_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    # Run as a command: print export lines for eval.
    case "${1:-dev}" in
        stop) jangteo_services_stop ;;
        -h | --help) sed -n '2,31p' "$0" ;;
        *)
            jangteo_services "${1:-dev}"
            for v in DATABASE_URL E2E_DATABASE_URL REDIS_URL; do
                if [[ -n "${!v:-}" ]]; then printf 'export %s=%q\n' "$v" "${!v}"; fi
            done
            ;;
    esac
else
    [[ $# -ge 1 ]] || die "source scripts/services.sh dev|test  (the mode is required when sourcing)"
    jangteo_services "$1"
fi
