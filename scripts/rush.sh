#!/usr/bin/env bash
# Rush benchmarks, each beside its raw baseline measured in the same run:
#   - coupon: CLAIMS shoppers claim one 100-coupon at once (`server rush coupon`), against
#     `redis-benchmark` running the same check-and-decrement Lua script by EVALSHA;
#   - hot-SKU checkout paid with points (`server rush checkout`), against `pgbench` updating
#     one hot row (`UPDATE inventory SET stock = stock - 1` of one SKU).
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
echo "coupon rush = $(cut -d' ' -f1 target/rush-rounds.txt | median)% of the raw Lua rate (median of $rounds rounds)"
echo "hot-SKU checkout = $(cut -d' ' -f2 target/rush-rounds.txt | median)x the one-row UPDATE rate (median of $rounds rounds)"
