#!/usr/bin/env bash
# Catalog load test: category page and product page with N products seeded, against a minimal
# axum + sqlx handler serving the same 24 rows. Prints req/s and latency percentiles.
#
# Usage: scripts/bench.sh [N]   (default 100000 products; uses a separate database)
#   BENCH_SKIP_SEED=1 reuses the database of the previous run instead of seeding it again.
#   BENCH_ROUNDS (3), BENCH_SECONDS (15 per run), BENCH_CONNECTIONS (64).
#   BENCH_ENCODING ("br, gzip"): the pages' Accept-Encoding, as a browser sends it, so the
#   page is compressed on the fly; empty measures it uncompressed. The baseline never is.
# Needs the release build (scripts/run.sh or `cargo leptos build --release --precompress`) and wrk.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
n="${1:-100000}"
conns="${BENCH_CONNECTIONS:-64}"
secs="${BENCH_SECONDS:-15}"
rounds="${BENCH_ROUNDS:-3}"
encoding="${BENCH_ENCODING-br, gzip}"

have_cmd wrk || as_root apt-get install -y wrk >/dev/null
source "$ROOT/scripts/bench-env.sh" 3300
if [[ "${BENCH_SKIP_SEED:-0}" != 1 ]]; then
    jangteo_recreate_db "$DATABASE_URL"
    # Cached entries of the previous database (the category tree with its ids) would outlive it.
    redis-cli -u "$REDIS_URL" --scan --pattern "${JANGTEO_REDIS_PREFIX}*" |
        xargs -r redis-cli -u "$REDIS_URL" del >/dev/null
    step "Seeding $n products"
    target/release/server seed --demo --scale "$n" >/dev/null
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
target/release/server serve >target/bench-server.log 2>&1 & pids+=($!)
target/release/server bench-baseline --addr 127.0.0.1:3301 >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 120); do curl -fsS -o /dev/null http://127.0.0.1:3300/health 2>/dev/null && break; sleep 0.5; done
for _ in $(seq 40); do curl -fsS -o /dev/null http://127.0.0.1:3301/c/fashion 2>/dev/null && break; sleep 0.5; done

slug=$(psql "$DATABASE_URL" -Atc "SELECT slug FROM products WHERE slug LIKE 'scale-%' ORDER BY created_at DESC LIMIT 1")
category="fashion"
# run KEY LABEL URL [HEADER]: wrk output in target/bench-KEY.txt, one summary line on stdout,
# and "rps p99-in-ms" in target/bench-KEY.rps.
run() {
    local key="$1" label="$2" url="$3" header=()
    [[ -n "${4:-}" ]] && header=(-H "$4")
    curl -fsS -o /dev/null "${header[@]}" "$url" || die "$url does not answer"
    wrk -t2 -c"$conns" -d"${secs}s" --latency "${header[@]}" "$url" >"target/bench-$key.txt"
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' "target/bench-$key.txt")
    p50=$(awk '$1 == "50%" {print $2}' "target/bench-$key.txt")
    p99=$(awk '$1 == "99%" {print $2}' "target/bench-$key.txt")
    printf '%-36s %10s req/s   p50 %8s   p99 %8s\n' "$label" "$rps" "$p50" "$p99"
    echo "$rps $(to_ms "$p99")" >"target/bench-$key.rps"
}
# wrk prints latencies as 812.00us, 46.28ms or 1.02s.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) printf "%.2f", v / 1000
        else if (v ~ /ms$/) printf "%.2f", v + 0
        else printf "%.2f", v * 1000
    }'
}

# The machine's speed drifts by ±10 % from minute to minute, so the two are measured in
# alternating rounds and the ratio is taken per round; the median round is the result.
step "wrk: $conns connections, ${secs}s per run, $rounds rounds, $n products"
: >target/bench-rounds.txt
for r in $(seq "$rounds"); do
    run baseline "round $r: baseline (axum+sqlx) /c/$category" "http://127.0.0.1:3301/c/$category"
    run category "round $r: category page /shop/c/$category" "http://127.0.0.1:3300/shop/c/$category" \
        "${encoding:+Accept-Encoding: $encoding}"
    read -r base_rps _ <target/bench-baseline.rps
    read -r page_rps page_p99 <target/bench-category.rps
    echo "$(awk -v a="$page_rps" -v b="$base_rps" 'BEGIN { printf "%.1f", a * 100 / b }') $page_p99" >>target/bench-rounds.txt
done
run product "product page /p/<slug>" "http://127.0.0.1:3300/p/$slug" "${encoding:+Accept-Encoding: $encoding}"
ratios=$(cut -d' ' -f1 target/bench-rounds.txt | paste -sd' ' | sed 's/ /%, /g')
echo "category page = $(cut -d' ' -f1 target/bench-rounds.txt | median)% of the baseline's req/s (median of rounds: ${ratios}%)"
echo "category page p99 = $(cut -d' ' -f2 target/bench-rounds.txt | median) ms (median of rounds)"
