#!/usr/bin/env bash
# Instructions and allocations per request of one page, counted by valgrind's callgrind. Unlike
# req/s on a shared 2-core machine, the counts repeat from run to run, so they show whether a
# change made the server do less work.
#
# Usage: scripts/callgrind.sh [PATH] [N]   (default /shop/c/fashion, 200 requests)
# Needs the release build and the bench database that scripts/bench.sh seeds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
path="${1:-/shop/c/fashion}"
n="${2:-200}"
have_cmd valgrind || as_root apt-get install -y valgrind >/dev/null
source "$ROOT/scripts/bench-env.sh" 3302
export JOBS_ENABLED=false
out="target/callgrind.out"
rm -f "$out"*
# Instrumentation starts after the warm-up requests, so start-up is not counted.
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
    target/release/server serve >target/callgrind-server.log 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
url="http://127.0.0.1:3302$path"
for _ in $(seq 600); do curl -fsS -o /dev/null http://127.0.0.1:3302/health 2>/dev/null && break; sleep 0.5; done
for _ in $(seq 20); do curl -fsS -o /dev/null "$url"; done
callgrind_control -i on "$pid" >/dev/null
for _ in $(seq "$n"); do curl -fsS -o /dev/null "$url"; done
callgrind_control -i off "$pid" >/dev/null
callgrind_control -d "$pid" >/dev/null
sleep 1
dump=$(ls "$out".* | head -1)
total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
calls() {
    callgrind_annotate --tree=caller "$dump" 2>/dev/null | awk -v fn="$1" '
        BEGIN { RS = "" }
        $0 ~ ("\\*  [^ ]*:" fn " ") {
            n = split($0, lines, "\n")
            for (i = 1; i <= n; i++) if (match(lines[i], /\(([0-9,]+)x\)/)) {
                c = substr(lines[i], RSTART + 1, RLENGTH - 3); gsub(",", "", c); sum += c
            }
        }
        END { print sum + 0 }'
}
per() { awk -v a="$1" -v n="$n" 'BEGIN { printf "%.0f", a / n }'; }
printf '%s: %d requests\n' "$path" "$n"
printf '  instructions per request  %12s\n' "$(per "$total")"
printf '  malloc calls per request  %12s\n' "$(per "$(calls mi_malloc_aligned)")"
printf '  realloc calls per request %12s\n' "$(per "$(calls mi_realloc_aligned)")"
echo "  profile: $dump (callgrind_annotate --inclusive=yes $dump | less)"
