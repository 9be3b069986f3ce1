# shellcheck shell=bash
# Environment for running the release server against the benchmark database. Source it:
#   source "$ROOT/scripts/bench-env.sh" PORT
# Needs the release build; exports DATABASE_URL (database `jangteo_bench`), REDIS_URL and the
# LEPTOS_* settings, with the server on 127.0.0.1:PORT.
[[ -x "$ROOT/target/release/server" ]] || die "no release build; run: cargo leptos build --release --precompress"
source "$ROOT/scripts/services.sh" dev
export DATABASE_URL="${DATABASE_URL%/*}/jangteo_bench?sslmode=disable"
site_env
export LEPTOS_SITE_ADDR="127.0.0.1:$1" JANGTEO_REDIS_PREFIX="bench:" LOG_FORMAT=json RUST_LOG=warn
