#!/usr/bin/env bash
# Install whatever this project needs to build, run and test, and skip what is
# already there, so running it again is cheap.
#
# Usage: scripts/bootstrap.sh [--no-browser] [--dry-run]
#   --no-browser  skip Chromium (only the end-to-end tests need it)
#   --dry-run     only report what is missing; exit 1 if anything is
#
# Only the package registries are reachable (no GitHub downloads), so:
#   - cargo-leptos is built with `no_downloads` and takes wasm-bindgen and
#     wasm-opt from PATH; it does no version check, so we pin both here;
#   - wasm-opt comes from the npm `binaryen` package (Debian's is too old);
#   - Playwright cannot download browsers: we use Debian's Chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.129 # must equal the `wasm-bindgen = "=…"` pin in Cargo.toml
SCHEMATHESIS_VERSION=4.32.5 # checks the REST API against its OpenAPI document

want_browser=1
dry_run=0
for arg in "$@"; do
    case "$arg" in
        --no-browser) want_browser=0 ;;
        --dry-run) dry_run=1 ;;
        -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
        *) die "unknown option: $arg (see --help)" ;;
    esac
done

missing=() # what --dry-run reports

# ---------------------------------------------------------------- Debian ----
# Collect every missing package first so `apt-get update` runs at most once.
apt_pkgs=()
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if ((want_browser)) && [[ ! -x "$chromium_path" ]]; then
    apt_pkgs+=(chromium)
fi
# initdb/pg_ctl are needed to start a project-local cluster when no server answers.
if ! have_cmd psql || ! have_cmd pg_isready || ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    apt_pkgs+=(postgresql)
fi
if ! have_cmd redis-server || ! have_cmd redis-cli; then
    apt_pkgs+=(redis-server)
fi
have_cmd curl || apt_pkgs+=(curl) # test.sh polls /health with it

if ((${#apt_pkgs[@]})); then
    if ((dry_run)); then
        missing+=("apt: ${apt_pkgs[*]}")
    else
        if ! is_root && ! have_cmd sudo; then
            die "missing Debian packages: ${apt_pkgs[*]}. Install them as root: apt-get install -y ${apt_pkgs[*]}"
        fi
        step "Installing Debian packages: ${apt_pkgs[*]} (~1-3 min)"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}"
    fi
else
    ok "Debian packages present"
fi

# ------------------------------------------------------------------ Rust ----
# rustup itself cannot be installed offline; the machines come with it.
need_cmd cargo "Install Rust (rustup, cargo 1.95) first."
need_cmd rustup "Install Rust via rustup first."

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    ok "wasm32-unknown-unknown target present"
elif ((dry_run)); then
    missing+=("rustup target wasm32-unknown-unknown")
else
    step "Adding rustup target wasm32-unknown-unknown (~1 min)"
    rustup target add wasm32-unknown-unknown
fi

for comp in rustfmt clippy; do
    if rustup component list --installed | grep -q "^$comp"; then
        ok "$comp present"
    elif ((dry_run)); then
        missing+=("rustup component $comp")
    else
        step "Adding rustup component $comp"
        rustup component add "$comp"
    fi
done

if cargo leptos --version 2>/dev/null | grep -qF "$CARGO_LEPTOS_VERSION"; then
    ok "cargo-leptos $CARGO_LEPTOS_VERSION present"
elif ((dry_run)); then
    missing+=("cargo-leptos $CARGO_LEPTOS_VERSION")
else
    step "Installing cargo-leptos $CARGO_LEPTOS_VERSION (~16 min cold on 2 cores)"
    start=$(now_s)
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
    info "took $(($(now_s) - start))s"
fi

if wasm-bindgen --version 2>/dev/null | grep -qF "$WASM_BINDGEN_VERSION"; then
    ok "wasm-bindgen $WASM_BINDGEN_VERSION present"
elif ((dry_run)); then
    missing+=("wasm-bindgen-cli $WASM_BINDGEN_VERSION")
else
    step "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (~3 min cold)"
    start=$(now_s)
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked
    info "took $(($(now_s) - start))s"
fi

# ------------------------------------------------------------------- npm ----
# end2end/ holds @playwright/test and binaryen (wasm-opt for release builds).
need_cmd npm "Install Node.js 20+ and npm first."
e2e="$ROOT/end2end"
stamp="$e2e/node_modules/.jangteo-install-stamp"
# The stamp records the manifests node_modules was installed from; any change
# to package.json or the lock file triggers a reinstall.
npm_hash() { cat "$e2e/package.json" "$e2e/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1; }
if [[ -f "$stamp" && -f "$e2e/package-lock.json" && "$(cat "$stamp")" == "$(npm_hash)" ]]; then
    ok "end2end/node_modules up to date"
elif ((dry_run)); then
    missing+=("npm packages in end2end/")
else
    step "Installing npm packages in end2end/ (~1 min)"
    # Browsers come from Debian; a download attempt would fail offline.
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    if [[ -f "$e2e/package-lock.json" ]]; then
        (cd "$e2e" && npm ci --no-audit --no-fund)
    else
        (cd "$e2e" && npm install --no-audit --no-fund)
    fi
    npm_hash >"$stamp"
fi

# ------------------------------------------------------------ schemathesis ----
# The REST API is checked against its own OpenAPI document (scripts/api-check.sh). It lives
# in a virtualenv of its own, so the machine's Python stays as it was.
st_venv="$ROOT/.tools/schemathesis"
if ((want_browser)); then
    if [[ -x "$st_venv/bin/st" ]] && "$st_venv/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
        ok "schemathesis $SCHEMATHESIS_VERSION present"
    elif ((dry_run)); then
        missing+=("schemathesis $SCHEMATHESIS_VERSION")
    else
        need_cmd python3 "Install Python 3.9+ first."
        step "Installing schemathesis $SCHEMATHESIS_VERSION into .tools/ (~1 min)"
        python3 -m venv "$st_venv"
        "$st_venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
    fi
fi

if ((dry_run)); then
    if ((${#missing[@]})); then
        warn "missing:"
        printf '    - %s\n' "${missing[@]}" >&2
        exit 1
    fi
    ok "nothing missing"
fi
