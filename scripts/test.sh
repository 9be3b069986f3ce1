#!/usr/bin/env bash
# Run every check: the README's "Test" command, and what CI runs (.ci/run).
#
# Usage: scripts/test.sh [--fast] [--only lint|unit|e2e]
#   --fast        skip the end-to-end tests
#   --only GROUP  run one group: lint (fmt, clippy), unit (cargo test), e2e
#
# Setup failures stop the run at once. After that every step runs even if an
# earlier one failed, so one report shows all problems; the exit code is
# non-zero if any step failed, and the summary names the failed steps.
#
# Reads: DATABASE_URL / REDIS_URL / TEST_DATABASE_URL / TEST_REDIS_URL /
# PLAYWRIGHT_ARGS (extra arguments, e.g. a spec file to run alone), API_CHECK=0
# (skip the schemathesis run of the REST API after the browser tests),
# E2E_DATABASE_URL (see scripts/services.sh), E2E_SITE_ADDR (default
# 127.0.0.1:3100), CHROMIUM_PATH (default /usr/bin/chromium).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

groups="lint unit e2e"
while (($#)); do
    case "$1" in
        --fast) groups="lint unit" ;;
        --only)
            [[ $# -ge 2 ]] || die "--only needs a group: lint, unit or e2e"
            groups="$2"
            shift
            ;;
        --only=*) groups="${1#--only=}" ;;
        -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
        *) die "unknown option: $1 (see --help)" ;;
    esac
    shift
done
case "$groups" in lint | unit | e2e | "lint unit" | "lint unit e2e") ;; *) die "unknown group '$groups' (lint, unit or e2e)" ;; esac
wants() { [[ " $groups " == *" $1 "* ]]; }
cd "$ROOT"

# cargo-leptos debug builds compile with `--cfg erase_components` and append it
# to the RUSTFLAGS they inherit. Every other cargo call here uses the same
# flags so that all of them share one build cache instead of rebuilding the
# world; `cargo leptos build` itself gets the caller's original RUSTFLAGS,
# otherwise the flag would be there twice and the cache would differ again.
user_rustflags="${RUSTFLAGS:-}"
export RUSTFLAGS="${user_rustflags:+$user_rustflags }--cfg erase_components"

# ------------------------------------------------------ step bookkeeping ----
results=()   # "name|result|seconds"
failed=()
t_total=$(now_s)
current=""   # the setup step running now, reported if the script dies in it
t_step=0

summary() {
    local rc=$? row name res secs
    if [[ -n "$current" ]]; then
        results+=("$current|FAILED|$(($(now_s) - t_step))")
        failed+=("$current")
    fi
    step "Summary"
    printf '    %-14s %-8s %6s\n' step result time >&2
    for row in "${results[@]}"; do
        IFS='|' read -r name res secs <<<"$row"
        printf '    %-14s %-8s %5ss\n' "$name" "$res" "$secs" >&2
    done
    printf '    %-14s %-8s %5ss\n' total "" "$(($(now_s) - t_total))" >&2
    if ((${#failed[@]})); then
        printf '%sFAILED: %s%s\n' "$_C_BOLD$_C_RED" "${failed[*]}" "$_C_OFF" >&2
        ((rc)) || rc=1
    elif ((rc == 0)); then
        ok "all steps passed"
    fi
    exit "$rc"
}
trap summary EXIT

# setup NAME CMD...: run in this shell (services.sh must export here); any
# failure ends the script, and the EXIT trap reports the step.
setup() {
    current="$1"
    shift
    step "[$current] $*"
    t_step=$(now_s)
    "$@"
    results+=("$current|ok|$(($(now_s) - t_step))")
    current=""
}

# check NAME CMD...: run in a subshell with errexit on, record the result and
# go on. (errexit is ignored inside `if cmd`, hence the subshell and set +e.)
check() {
    local name="$1" t rc
    shift
    step "[$name] $*"
    t=$(now_s)
    set +e
    (
        set -e
        "$@"
    )
    rc=$?
    set -e
    if ((rc == 0)); then
        results+=("$name|ok|$(($(now_s) - t))")
    else
        results+=("$name|FAILED|$(($(now_s) - t))")
        failed+=("$name")
        warn "step '$name' failed (exit $rc)"
    fi
}

skip() { results+=("$1|skipped|0"); }

# ----------------------------------------------------------------- e2e ------
E2E_SITE_ADDR="${E2E_SITE_ADDR:-127.0.0.1:3100}"
e2e_log="$ROOT/target/e2e-server.log"

# Runs in check's subshell, so its EXIT trap only stops this server.
# server_pid is global: the trap runs after run_e2e has returned.
server_pid=""
kos_pid=""
pg_pid=""
run_e2e() {
    local i
    # shellcheck disable=SC2317 # called by the EXIT trap
    stop_server() {
        local rc=$?
        if [[ -n "$server_pid" ]]; then
            kill "$server_pid" 2>/dev/null || true
            wait "$server_pid" 2>/dev/null || true
        fi
        local pid
        for pid in "$kos_pid" "$pg_pid"; do
            if [[ -n "$pid" ]]; then
                kill "$pid" 2>/dev/null || true
                wait "$pid" 2>/dev/null || true
            fi
        done
        if ((rc)) && [[ -f "$e2e_log" ]]; then
            warn "last 100 lines of $e2e_log:"
            tail -n 100 "$e2e_log" >&2
        fi
    }
    trap stop_server EXIT
    trap 'exit 130' INT TERM
    mkdir -p "$ROOT/target"
    : >"$e2e_log" # so a failure never shows an older run's log

    if curl -fsS -o /dev/null "http://$E2E_SITE_ADDR/health" 2>/dev/null; then
        die "something already answers on $E2E_SITE_ADDR; stop it or set E2E_SITE_ADDR"
    fi

    info "recreating the e2e database and flushing the test Redis db"
    jangteo_recreate_db "$E2E_DATABASE_URL"
    redis-cli -u "$REDIS_URL" flushdb >/dev/null

    info "cargo leptos build (debug)"
    if [[ -n "$user_rustflags" ]]; then
        RUSTFLAGS="$user_rustflags" cargo leptos build
    else
        env -u RUSTFLAGS cargo leptos build
    fi

    export DATABASE_URL="$E2E_DATABASE_URL"
    site_env
    export LEPTOS_SITE_ADDR="$E2E_SITE_ADDR" COOKIE_SECURE=false
    # Uploads of this run only; the database they belong to was just recreated.
    export STORAGE_DIR="$ROOT/target/e2e-storage"
    rm -rf "$STORAGE_DIR"
    target/debug/server migrate
    # The browser tests sign in as the demo admin and seller.
    target/debug/server seed --demo >/dev/null
    # The browser tests sign up and sign in many times from one address; raise those limits
    # here only.
    psql "$E2E_DATABASE_URL" -qc "INSERT INTO system_configs (key, value, description, category)
        VALUES ('identity.signups_per_ip_per_hour', '1000', 'raised for the browser tests', 'security'),
               ('identity.logins_per_ip_per_10min', '1000', 'raised for the browser tests', 'security')
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
    # The KOS simulator for the Mobile tests; they switch its faults at run time.
    local kos_addr="${E2E_KOS_ADDR:-127.0.0.1:3401}"
    target/debug/server kos-sim --addr "$kos_addr" >"$ROOT/target/e2e-kos.log" 2>&1 &
    kos_pid=$!
    export KOS_BASE_URL="http://$kos_addr"
    # A short KOS limit, so a change whose answer is lost is reconciled within a test's wait.
    export KOS_TIMEOUT_MS=2500
    # The payment gateway simulator; its deposit webhooks come back to this server.
    local pg_addr="${E2E_PG_ADDR:-127.0.0.1:3501}"
    target/debug/server pg-sim --addr "$pg_addr" \
        --webhook-url "http://$E2E_SITE_ADDR/api/v1/webhooks/pg" >"$ROOT/target/e2e-pg.log" 2>&1 &
    pg_pid=$!
    export PG_BASE_URL="http://$pg_addr"
    info "starting the server on $E2E_SITE_ADDR (log: $e2e_log)"
    target/debug/server serve >"$e2e_log" 2>&1 &
    server_pid=$!

    for i in $(seq 120); do
        curl -fsS -o /dev/null "http://$E2E_SITE_ADDR/health" 2>/dev/null && break
        kill -0 "$server_pid" 2>/dev/null || die "the server exited during startup"
        ((i < 120)) || die "no answer from http://$E2E_SITE_ADDR/health after 60s"
        sleep 0.5
    done

    local rc=0
    (cd "$ROOT/end2end" && BASE_URL="http://$E2E_SITE_ADDR" KOS_URL="$KOS_BASE_URL" PG_URL="$PG_BASE_URL" npx --no-install playwright test ${PLAYWRIGHT_ARGS:-}) || rc=$?
    # The REST API against its OpenAPI document, on the same server and data.
    if [[ "${API_CHECK:-1}" != 0 ]]; then
        info "schemathesis: the REST API against /api/v1/openapi.json"
        "$ROOT/scripts/api-check.sh" "http://$E2E_SITE_ADDR" || rc=$?
    fi
    return "$rc"
}

# ----------------------------------------------------------------- main -----
if wants e2e; then
    setup bootstrap "$ROOT/scripts/bootstrap.sh"
else
    setup bootstrap "$ROOT/scripts/bootstrap.sh" --no-browser
fi
setup services source "$ROOT/scripts/services.sh" test

if wants lint; then
    check fmt cargo fmt --all -- --check
    # The server crate enables app/ssr; the wasm side enables app/hydrate.
    check clippy-ssr cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
    check clippy-wasm cargo clippy -p frontend -p app --target wasm32-unknown-unknown --features app/hydrate -- -D warnings
else
    skip fmt; skip clippy-ssr; skip clippy-wasm
fi

if wants unit; then
    # DATABASE_URL is the sqlx::test base URL; REDIS_URL points at db 1.
    check test-app cargo test -p app --features ssr
    check test-server cargo test -p server
else
    skip test-app; skip test-server
fi

if wants e2e; then
    check e2e run_e2e
    # The server has stopped: back up the browser tests' database, restore it into a new one
    # and prove the copy whole (docs/runbook.md, "Backup and restore").
    check backup-drill "$ROOT/scripts/backup-drill.sh" "$E2E_DATABASE_URL"
else
    skip e2e
    skip backup-drill
fi
