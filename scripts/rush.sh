#!/usr/bin/env bash
# Rush benchmarks, each beside its raw baseline measured in the same run:
#   - coupon: CLAIMS shoppers claim one 100-coupon at once (`server rush coupon`), against
#     `redis-benchmark` running the same check-and-decrement Lua script by EVALSHA;
#   - hot-SKU checkout paid with points (`server rush checkout`), against `pgbench` updating
#     one hot row (`UPDATE inventory SET stock = stock - 1` of one SKU);
#   - ticket rush (`server rush tickets`): TICKET_USERS shoppers make TICKET_ATTEMPTS seat holds
#     on a TICKET_SEATS-seat concert over HTTP through two app instances, against the same
#     one-hot-row `pgbench` UPDATE (the goal's baseline), and beside `pgbench` updating one
#     random row of TICKET_SEATS (a stricter reference: no lock queue at all).
# Both use the same concurrency. Prints each rate, its ratio to the baseline, and the invariant
# (exactly 100 issued; nothing oversold).
#
# Usage: scripts/rush.sh
#   RUSH_ROUNDS (3), RUSH_CLAIMS (10000), RUSH_BUYERS (2000), RUSH_STOCK (1500),
#   RUSH_CONCURRENCY (64). Needs the release server (scripts/run.sh, or
#   `cargo build --release -p server`); uses its own database, jangteo_rush.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
rounds="${RUSH_ROUNDS:-3}"
only="${RUSH_ONLY:-}" # "tickets" runs only the ticket rush
ticket_users="${TICKET_USERS:-2000}"
ticket_attempts="${TICKET_ATTEMPTS:-20000}"
ticket_seats="${TICKET_SEATS:-2000}"
claims="${RUSH_CLAIMS:-10000}"
buyers="${RUSH_BUYERS:-2000}"
stock="${RUSH_STOCK:-1500}"
conc="${RUSH_CONCURRENCY:-64}"

[[ -x target/release/server ]] || die "no release build; run: cargo build --release -p server"
have_cmd pgbench || die "pgbench is missing (Debian: postgresql-contrib or postgresql-client)"
have_cmd redis-benchmark || die "redis-benchmark is missing (Debian: redis-tools)"
source "$ROOT/scripts/services.sh" dev
export DATABASE_URL="${DATABASE_URL%/*}/jangteo_rush?sslmode=disable"
export JANGTEO_REDIS_PREFIX="rush:" LOG_FORMAT=json RUST_LOG=error
jangteo_recreate_db "$DATABASE_URL"
step "Seeding the demo data into jangteo_rush"
target/release/server seed --demo >/dev/null

# The Lua script the coupon claim runs, loaded once; redis-benchmark calls it by its SHA on a
# counter that never runs out (so every call takes the decrement path) and a fresh claimant.
script=$(sed -n '/^pub const COUNTER_SCRIPT: &str = r#"$/,/^"#;$/p' app/src/promotion/service/claim.rs | sed '1d;$d')
[[ -n "$script" ]] || die "could not read COUNTER_SCRIPT from app/src/promotion/service/claim.rs"
redis_cli() { redis-cli -u "$REDIS_URL" "$@"; }
sha=$(redis_cli script load "$script")
redis_host=$(sed -E 's#^redis://([^:/]+).*#\1#' <<<"$REDIS_URL")
redis_port=$(sed -E 's#^redis://[^:/]+:([0-9]+).*#\1#' <<<"$REDIS_URL")
redis_db=$(sed -E 's#.*/([0-9]+)$#\1#' <<<"$REDIS_URL")
[[ "$redis_db" =~ ^[0-9]+$ ]] || redis_db=0
redis_raw() {
    redis_cli set rush:raw:left 1000000000 >/dev/null
    redis_cli del rush:raw:claimants >/dev/null
    redis-benchmark -h "$redis_host" -p "$redis_port" --dbnum "$redis_db" -c "$conc" -n "$claims" -r 100000000 -q \
        evalsha "$sha" 2 rush:raw:left rush:raw:claimants __rand_int__ |
        tr '\r' '\n' | sed -E -n 's/.*: ([0-9.]+) requests per second.*/\1/p' | tail -1 | cut -d. -f1
}

# One hot row, updated by every client: what a single-row lock allows at this concurrency.
sku=$(psql "$DATABASE_URL" -Atc "SELECT sku_id FROM inventory ORDER BY sku_id LIMIT 1")
bench_sql="$ROOT/target/rush-hot-row.sql"
mkdir -p "$ROOT/target"
printf "UPDATE inventory SET stock = stock - 1 WHERE sku_id = '%s';\n" "$sku" >"$bench_sql"
pg_raw() {
    psql "$DATABASE_URL" -qc "UPDATE inventory SET stock = 1000000000 WHERE sku_id = '$sku'"
    pgbench -n -c "$conc" -j 2 -T 10 -f "$bench_sql" "$DATABASE_URL" 2>/dev/null |
        awk '/^tps/ { print int($3) }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a * 100 / b }'; }

: >target/rush-rounds.txt
for r in $(seq "$rounds"); do
    [[ "$only" == tickets ]] && break
    step "round $r"
    raw=$(redis_raw)
    echo "redis-benchmark EVALSHA (the claim's Lua script): $raw calls/s"
    out=$(target/release/server rush coupon --claims "$claims" --total 100 --concurrency "$conc")
    echo "$out"
    got=$(sed -E -n 's/.*: ([0-9]+) claims\/s.*/\1/p' <<<"$out" | head -1)
    echo "  = $(ratio "$got" "$raw")% of the raw Lua rate"

    hot=$(pg_raw)
    echo "pgbench one-row UPDATE: $hot tps"
    out=$(target/release/server rush checkout --buyers "$buyers" --stock "$stock" --concurrency "$conc")
    echo "$out"
    orders=$(sed -E -n 's/.*: ([0-9]+) orders\/s.*/\1/p' <<<"$out" | head -1)
    echo "  = $(awk -v a="$orders" -v b="$hot" 'BEGIN { printf "%.2f", a / b }')x the one-row UPDATE rate"
    echo "$(ratio "$got" "$raw") $(awk -v a="$orders" -v b="$hot" 'BEGIN { printf "%.2f", a / b }')" >>target/rush-rounds.txt
done
if [[ "$only" != tickets ]]; then
    echo "coupon rush = $(cut -d' ' -f1 target/rush-rounds.txt | median)% of the raw Lua rate (median of $rounds rounds)"
    echo "hot-SKU checkout = $(cut -d' ' -f2 target/rush-rounds.txt | median)x the one-row UPDATE rate (median of $rounds rounds)"
fi

# The ticket rush: two instances of the release server on this database and Redis, started
# after each round's pgbench (together they would pass Postgres' connection limit).
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
site_env
psql "$DATABASE_URL" -qc "DROP TABLE IF EXISTS rush_rows; CREATE TABLE rush_rows (id INT PRIMARY KEY, n BIGINT NOT NULL DEFAULT 0);
    INSERT INTO rush_rows (id) SELECT generate_series(1, $ticket_seats)"
rows_sql="$ROOT/target/rush-random-row.sql"
printf '\\set id random(1, %s)\nUPDATE rush_rows SET n = n + 1 WHERE id = :id;\n' "$ticket_seats" >"$rows_sql"
: >target/rush-tickets.txt
for r in $(seq "$rounds"); do
    step "tickets round $r"
    hot=$(pg_raw)
    echo "pgbench one-row UPDATE (one hot row, as for the checkout): $hot tps"
    rows=$(pgbench -n -c "$conc" -j 2 -T 10 -f "$rows_sql" "$DATABASE_URL" 2>/dev/null | awk '/^tps/ { print int($3) }')
    echo "pgbench random-row UPDATE of $ticket_seats rows: $rows tps"
    pids=()
    for port in 3310 3311; do
        LEPTOS_SITE_ADDR="127.0.0.1:$port" target/release/server serve >"target/rush-server-$port.log" 2>&1 &
        pids+=($!)
    done
    for port in 3310 3311; do
        for _ in $(seq 120); do curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null && break; sleep 0.5; done
    done
    out=$(target/release/server rush tickets --base http://127.0.0.1:3310,http://127.0.0.1:3311 \
        --users "$ticket_users" --attempts "$ticket_attempts" --seats "$ticket_seats" --concurrency "$conc")
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    echo "$out"
    holds=$(sed -E -n 's/.*: ([0-9]+) holds\/s.*/\1/p' <<<"$out" | head -1)
    echo "  = $(awk -v a="$holds" -v b="$hot" 'BEGIN { printf "%.2f", a / b }')x the one-row (hot row) UPDATE rate"
    echo "  = $(awk -v a="$holds" -v b="$rows" 'BEGIN { printf "%.2f", a / b }')x the random-row UPDATE rate"
    bare=$(sed -E -n 's/.*GET \/health: ([0-9]+) req\/s.*/\1/p' <<<"$out" | head -1)
    me=$(sed -E -n 's/.*GET \/api\/v1\/me: ([0-9]+) req\/s.*/\1/p' <<<"$out" | head -1)
    echo "  (through the same instances, GET /health: $bare req/s = $(awk -v a="$bare" -v b="$rows" 'BEGIN { printf "%.2f", a / b }')x the UPDATE rate;"
    echo "   an authenticated GET: $me req/s = $(awk -v a="$me" -v b="$rows" 'BEGIN { printf "%.2f", a / b }')x)"
    awk -v a="$holds" -v h="$hot" -v b="$rows" 'BEGIN { printf "%.2f %.2f\n", a / h, a / b }' >>target/rush-tickets.txt
done
echo "ticket rush = $(cut -d' ' -f1 target/rush-tickets.txt | median)x the one-row (hot row) UPDATE rate," \
    "$(cut -d' ' -f2 target/rush-tickets.txt | median)x the random-row UPDATE rate (medians of $rounds rounds)"
