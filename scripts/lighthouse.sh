#!/usr/bin/env bash
# Lighthouse 12 (mobile preset, simulated throttling) over the storefront pages: prints each
# page's scores, LCP, TBT and bytes transferred. A benchmark, not part of the test command.
#
# Usage: scripts/lighthouse.sh [BASE_URL]
#   BASE_URL  a running site with the demo data (default http://127.0.0.1:3000, as started
#             by scripts/run.sh, which serves the release build)
#
# Reads: CHROMIUM_PATH (default /usr/bin/chromium), LIGHTHOUSE_RUNS (runs per page, default
# 1; the median run by performance score is printed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

base="${1:-http://127.0.0.1:3000}"
runs="${LIGHTHOUSE_RUNS:-1}"
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[[ -x "$chromium" ]] || die "no Chromium at $chromium (scripts/bootstrap.sh installs it)"
need_cmd node
need_cmd python3
curl -fsS "$base/health" >/dev/null || die "nothing answers at $base/health (start it: scripts/run.sh)"

# Kept out of end2end/, so the browser tests' lockfile stays as it is.
tool="$ROOT/.tools/lighthouse"
if [[ ! -x "$tool/node_modules/.bin/lighthouse" ]]; then
    step "Installing lighthouse 12.2.3 into .tools/lighthouse (~1 min)"
    mkdir -p "$tool"
    npm install --prefix "$tool" --no-audit --no-fund --silent -E lighthouse@12.2.3
fi

# One product and one category from the demo data.
slug="$(curl -fsS "$base/api/v1/products?size=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["slug"])')"
pages=("/" "/shop/c/fashion" "/p/$slug" "/login")

out="$ROOT/target/lighthouse"
mkdir -p "$out"
printf '%-34s %5s %5s %5s %5s %8s %8s %10s\n' page perf a11y bp seo "LCP s" "TBT ms" "KiB sent"
for page in "${pages[@]}"; do
    name="$(echo "$page" | tr -c 'a-zA-Z0-9\n' '_')"
    for ((i = 1; i <= runs; i++)); do
        CHROME_PATH="$chromium" "$tool/node_modules/.bin/lighthouse" "$base$page" \
            --quiet --output=json --output-path="$out/$name.$i.json" \
            --only-categories=performance,accessibility,best-practices,seo \
            --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>"$out/$name.$i.log" ||
            die "lighthouse failed on $page (see $out/$name.$i.log)"
    done
    python3 - "$page" "$out" "$name" "$runs" <<'PY'
import json, sys
page, out, name, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
reports = [json.load(open(f"{out}/{name}.{i}.json")) for i in range(1, runs + 1)]
reports.sort(key=lambda r: r["categories"]["performance"]["score"] or 0)
r = reports[len(reports) // 2]
score = lambda c: round((r["categories"][c]["score"] or 0) * 100)
audit = lambda a: r["audits"][a].get("numericValue") or 0
print(f'{page:<34} {score("performance"):>5} {score("accessibility"):>5} {score("best-practices"):>5} '
      f'{score("seo"):>5} {audit("largest-contentful-paint") / 1000:>8.1f} {audit("total-blocking-time"):>8.0f} '
      f'{audit("total-byte-weight") / 1024:>10.0f}')
PY
done

# What a storefront page makes the browser download to run: its wasm and JS, compressed.
total=0
echo
for asset in $(curl -fsS "$base/" | grep -oE '/pkg/[^"]+\.(wasm|js)' | sort -u); do
    sent="$(curl -fsS -H 'Accept-Encoding: br, gzip' -o /dev/null -w '%{size_download}' "$base$asset")"
    raw="$(curl -fsS -o /dev/null -w '%{size_download}' "$base$asset")"
    printf '%-40s %9s B sent (%s B raw)\n' "$asset" "$sent" "$raw"
    total=$((total + sent))
done
printf '%-40s %9s B sent\n' "wasm + JS" "$total"
