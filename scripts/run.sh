#!/usr/bin/env bash
# Build and start Jangteo with demo data: the README's "Run" command.
#
# Usage: scripts/run.sh [--dev]
#   (default)  release build, then migrate, seed the demo data and serve
#   --dev      debug build, then `cargo leptos watch` (rebuilds on change)
#
# Reads (all optional): .env in the repo root, DATABASE_URL, REDIS_URL,
# LEPTOS_SITE_ADDR (default 127.0.0.1:3000), COOKIE_SECURE (default false,
# since the local site is plain http) and anything else the server reads.
# A Postgres and a Redis are found or started by scripts/services.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dev=0
for arg in "$@"; do
    case "$arg" in
        --dev) dev=1 ;;
        -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
        *) die "unknown option: $arg (see --help)" ;;
    esac
done
cd "$ROOT"

"$ROOT/scripts/bootstrap.sh" --no-browser

# A developer's .env wins over the defaults below, and services.sh only
# detects or starts servers when DATABASE_URL / REDIS_URL are still unset.
if [[ -f "$ROOT/.env" ]]; then
    set -a
    # shellcheck disable=SC1091
    source "$ROOT/.env"
    set +a
fi
source "$ROOT/scripts/services.sh" dev

# cargo-leptos writes the site (wasm, js, css, public/) to target/site.
site_env
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export COOKIE_SECURE="${COOKIE_SECURE:-false}"

# ---- additional services ---------------------------------------------------
# The KOS simulator (the carrier's core system for Mobile) and the payment gateway
# simulator, unless KOS_BASE_URL / PG_BASE_URL point at real ones. Their PIDs go to
# extra_pids so they stop with this script.
extra_pids=()
start_additional_services() {
    local bin="$1"
    if [[ -z "${KOS_BASE_URL:-}" ]]; then
        local addr="${KOS_SIM_ADDR:-127.0.0.1:3400}"
        "$bin" kos-sim --addr "$addr" >"$ROOT/target/kos-sim.log" 2>&1 &
        extra_pids+=($!)
        export KOS_BASE_URL="http://$addr"
        info "KOS simulator on $KOS_BASE_URL (faults: PUT $KOS_BASE_URL/control/faults)"
    fi
    # The payment gateway simulator, unless PG_BASE_URL points at a real gateway. Deposit
    # webhooks come back to this app.
    if [[ -z "${PG_BASE_URL:-}" ]]; then
        local pg_addr="${PG_SIM_ADDR:-127.0.0.1:3500}"
        "$bin" pg-sim --addr "$pg_addr" --webhook-url "http://$LEPTOS_SITE_ADDR/api/v1/webhooks/pg" \
            >"$ROOT/target/pg-sim.log" 2>&1 &
        extra_pids+=($!)
        export PG_BASE_URL="http://$pg_addr"
        info "Payment gateway simulator on $PG_BASE_URL (deposit: POST $PG_BASE_URL/control/deposit/{orderId})"
    fi
}
stop_additional_services() {
    local pid
    for pid in "${extra_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
}
trap stop_additional_services EXIT
# -----------------------------------------------------------------------------

if ((dev)); then
    step "Building (debug; ~4 min cold)"
    cargo leptos build
    step "Migrating and seeding demo data"
    target/debug/server migrate
    target/debug/server seed --demo
    start_additional_services target/debug/server
    step "Watching on http://$LEPTOS_SITE_ADDR (Ctrl-C to stop)"
    # Arguments after `--` are passed to the server binary.
    cargo leptos watch -- serve
else
    step "Building (release; ~6 min cold)"
    # --precompress writes the .br/.gz copies of the wasm, JS and CSS that /pkg serves.
    cargo leptos build --release --precompress
    step "Migrating and seeding demo data"
    target/release/server migrate
    target/release/server seed --demo
    start_additional_services target/release/server
    step "Serving on http://$LEPTOS_SITE_ADDR (Ctrl-C to stop)"
    export LEPTOS_ENV=PROD
    target/release/server serve
fi
