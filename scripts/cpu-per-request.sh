#!/usr/bin/env bash
# CPU time per request of every process on the machine during one wrk run: shows how the
# app server, Postgres and Redis share the cores under load.
#
# Usage: scripts/cpu-per-request.sh URL [SECONDS] [CONNECTIONS]   (default 10 s, 64)
# Start the servers first (for example as scripts/bench.sh does).
set -euo pipefail
url="$1"
secs="${2:-10}"
conns="${3:-64}"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
hz=$(getconf CLK_TCK)
# Seconds of CPU (user + system) per command name, summed over its processes.
snapshot() {
    for stat in /proc/[0-9]*/stat; do
        cat "$stat" 2>/dev/null || true
    done | awk -v hz="$hz" '{
        # The command name is in parentheses and may itself contain spaces or parentheses.
        lp = index($0, "("); rp = 0
        for (i = length($0); i > lp; i--) if (substr($0, i, 1) == ")") { rp = i; break }
        name = substr($0, lp + 1, rp - lp - 1)
        split(substr($0, rp + 2), f, " ")
        cpu[name] += (f[12] + f[13]) / hz
    }
    END { for (n in cpu) printf "%s\t%.2f\n", n, cpu[n] }' | sort
}
before=$(mktemp); after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT
snapshot >"$before"
out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$url")
snapshot >"$after"
requests=$(awk '/requests in/ {print $1}' <<<"$out")
awk '/Requests\/sec/ {r = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
     END {printf "%s req/s, p50 %s, p99 %s\n", r, p50, p99}' <<<"$out"
join -t $'\t' "$before" "$after" | awk -F '\t' -v n="$requests" '{
    d = $3 - $2
    if (d >= 0.05) printf "  %-16s %7.2f s CPU  %7.1f us/request\n", $1, d, d * 1e6 / n
}'
