//! The site's wasm, JS and CSS under `/pkg`. cargo-leptos names each after its content
//! (`hash-files`), so a name never comes back with other bytes and browsers may keep them for
//! good. Release builds also write `.br` and `.gz` copies (`precompress`), sent to browsers
//! that accept them; without a copy, the compression layer compresses on the fly.

use app::platform::state::AppState;
use axum::http::{header, HeaderValue, Response};
use axum::Router;
use leptos::config::LeptosOptions;
use std::path::PathBuf;
use tower::ServiceBuilder;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router(options: &LeptosOptions) -> Router<AppState> {
    let dir: PathBuf = [&*options.site_root, &*options.site_pkg_dir]
        .iter()
        .collect();
    // Unhashed names (a build without `hash-files`) are asked about again every time.
    let cache = if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let files = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            move |res: &Response<_>| {
                res.status()
                    .is_success()
                    .then(|| HeaderValue::from_static(cache))
            },
        ))
        // The same URL has several encodings: caches must keep them apart.
        .layer(SetResponseHeaderLayer::appending(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
        .service(ServeDir::new(dir).precompressed_br().precompressed_gzip());
    Router::new().nest_service(&format!("/{}", options.site_pkg_dir), files)
}

/// What the compression layer compresses per request: the default (not images, not tiny
/// bodies), but not the site's own files, which a release build precompresses.
pub fn compress_on_the_fly() -> impl Predicate {
    DefaultPredicate::new()
        .and(NotForContentType::const_new("application/wasm"))
        .and(NotForContentType::const_new("text/javascript"))
        .and(NotForContentType::const_new("application/javascript"))
        .and(NotForContentType::const_new("text/css"))
}

/// The stylesheet's URL, with its content hash when the build has one (`hash.txt` beside the
/// server binary, as `HashedStylesheet` reads it). For pages written outside Leptos.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    let mut name = options.output_name.to_string();
    if options.hash_files {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.join(&*options.hash_file)))
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        if let Some(hash) = hashes
            .lines()
            .filter_map(|l| l.trim().split_once(':'))
            .find_map(|(file, hash)| (file == "css").then(|| hash.trim()))
        {
            name.push('.');
            name.push_str(hash);
        }
    }
    format!("/{}/{name}.css", options.site_pkg_dir)
}
