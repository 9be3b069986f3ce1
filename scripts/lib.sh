# shellcheck shell=bash
# Shared helpers for the scripts in this folder. Source it; do not run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# It sets ROOT (the repository root), puts the tools our builds need on PATH
# and defines the logging helpers (step, info, warn, die) and need_cmd.

# Guard against double sourcing (services.sh sources it too).
if [[ -n "${JANGTEO_LIB_SOURCED:-}" ]]; then
    return 0
fi
JANGTEO_LIB_SOURCED=1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

# cargo-installed tools (cargo-leptos, wasm-bindgen) and the npm-installed
# wasm-opt (binaryen) must be found by cargo-leptos, which takes them from PATH
# because it is built with `no_downloads`.
case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) PATH="$HOME/.cargo/bin:$PATH" ;; esac
case ":$PATH:" in *":$ROOT/end2end/node_modules/.bin:"*) ;; *) PATH="$ROOT/end2end/node_modules/.bin:$PATH" ;; esac
export PATH

# sqlx's query! macros check SQL against DATABASE_URL at compile time, and our
# scripts point DATABASE_URL at databases without the schema (e.g. the
# sqlx::test base). If prepared query data is committed (`cargo sqlx prepare`
# writes .sqlx/), compile against it instead.
if [[ -d "$ROOT/.sqlx" ]]; then
    export SQLX_OFFLINE="${SQLX_OFFLINE:-true}"
fi

# Colours only when writing to a terminal, so CI logs stay clean.
if [[ -t 2 && -z "${NO_COLOR:-}" ]]; then
    _C_BOLD=$'\e[1m' _C_BLUE=$'\e[34m' _C_YELLOW=$'\e[33m' _C_RED=$'\e[31m' _C_GREEN=$'\e[32m' _C_OFF=$'\e[0m'
else
    _C_BOLD='' _C_BLUE='' _C_YELLOW='' _C_RED='' _C_GREEN='' _C_OFF=''
fi

# All log output goes to stderr: stdout of services.sh is reserved for
# `export ...` lines that callers may eval.
step() { printf '%s==> %s%s\n' "$_C_BOLD$_C_BLUE" "$*" "$_C_OFF" >&2; }
info() { printf '    %s\n' "$*" >&2; }
ok()   { printf '%s    %s%s\n' "$_C_GREEN" "$*" "$_C_OFF" >&2; }
warn() { printf '%swarning: %s%s\n' "$_C_YELLOW" "$*" "$_C_OFF" >&2; }
die()  { printf '%serror: %s%s\n' "$_C_BOLD$_C_RED" "$*" "$_C_OFF" >&2; exit 1; }

# need_cmd CMD [HINT]: fail early with a fix instead of a cryptic error later.
need_cmd() {
    command -v "$1" >/dev/null 2>&1 || die "'$1' not found. ${2:-Run scripts/bootstrap.sh first.}"
}

have_cmd() { command -v "$1" >/dev/null 2>&1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# as_root CMD...: run with root rights; sudo only when needed and available.
as_root() {
    if is_root; then
        "$@"
    elif have_cmd sudo; then
        sudo "$@"
    else
        die "need root to run: $*  (re-run as root or install sudo)"
    fi
}

# now_s: whole seconds since the epoch, for step timings.
now_s() { date +%s; }

# Where the server finds the site cargo-leptos built (wasm, JS, CSS in target/site/pkg, named
# after their content; hash.txt beside the binary gives the names).
site_env() {
    export LEPTOS_OUTPUT_NAME=jangteo LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
    export LEPTOS_HASH_FILES=true
}

# median: the median of the numbers on stdin, one per line (the benchmark scripts' rounds).
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# ------------------------------------------------------------- URL helpers --
# _url_with_path URL PATH: replace the path (database name / Redis db index)
# of a URL and keep its query string.
_url_with_path() {
    local url="$1" path="$2" rest query=""
    local scheme="${url%%://*}://"
    rest="${url#*://}"
    if [[ "$rest" == *\?* ]]; then
        query="?${rest#*\?}"
        rest="${rest%%\?*}"
    fi
    printf '%s%s/%s%s\n' "$scheme" "${rest%%/*}" "$path" "$query"
}

# _url_path URL: the database name of a Postgres URL.
_url_path() {
    local rest="${1#*://}"
    rest="${rest%%\?*}"
    [[ "$rest" == */* ]] && printf '%s\n' "${rest#*/}" || printf '\n'
}

# _redact URL: hide a password before printing a URL.
_redact() { printf '%s\n' "$1" | sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#'; }
