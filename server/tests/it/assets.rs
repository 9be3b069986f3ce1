//! Static files and compression: the wasm, JS and CSS go out as their precompressed copy to a
//! browser that accepts it, content-hashed names are cached for good, and pages are
//! compressed on the fly.

use crate::common::*;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use reqwest::StatusCode;
use sqlx::PgPool;
use std::io::Read;

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams::default();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// A built site as cargo-leptos leaves it after a release build: hashed names, each with a
/// `.br` copy.
fn site() -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("jangteo-site-{}", uuid::Uuid::new_v4()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for (name, body) in files() {
        std::fs::write(pkg.join(name), &body).unwrap();
        std::fs::write(pkg.join(format!("{name}.br")), brotli(&body)).unwrap();
    }
    root
}

fn files() -> [(&'static str, Vec<u8>); 3] {
    let repeat = |s: &str| s.repeat(400).into_bytes();
    [
        ("jangteo.0a1b2c.wasm", {
            let mut w = b"\0asm\x01\0\0\0".to_vec();
            w.extend(repeat("wasm body "));
            w
        }),
        ("jangteo.0a1b2c.js", repeat("export function hydrate() {} ")),
        ("jangteo.0a1b2c.css", repeat(":root { --space: 8px; } ")),
    ]
}

#[sqlx::test(migrations = "../migrations")]
async fn assets_go_out_precompressed_and_pages_compressed(db: PgPool) {
    let root = site();
    // cargo-leptos leaves the names' hashes beside the server binary; here, the test binary.
    let hashes = "it-assets-hash.txt";
    let exe_dir = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_owned();
    std::fs::write(
        exe_dir.join(hashes),
        "js: 0a1b2c\nwasm: 0a1b2c\ncss: 0a1b2c\n",
    )
    .unwrap();
    let options = leptos::config::LeptosOptions::builder()
        .output_name("jangteo")
        .site_root(root.to_string_lossy().to_string())
        .hash_files(true)
        .hash_file(std::sync::Arc::from(hashes))
        .build();
    let redis = app::platform::testing::test_redis().await;
    let base = spawn_site(db, redis, config(), options).await;
    let http = raw_client();
    for (name, body) in files() {
        let url = format!("{base}/pkg/{name}");
        // A browser that takes brotli gets the brotli copy, labelled as such.
        let res = http
            .get(&url)
            .header(ACCEPT_ENCODING, "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{name}");
        assert_eq!(res.headers()[CONTENT_ENCODING], "br", "{name}");
        assert!(
            res.headers()[VARY]
                .to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "{name}"
        );
        assert_eq!(
            res.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let expected_type = match name.rsplit('.').next().unwrap() {
            "wasm" => "application/wasm",
            "js" => "text/javascript",
            _ => "text/css",
        };
        assert!(
            res.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(expected_type),
            "{name}: {:?}",
            res.headers()[CONTENT_TYPE]
        );
        let sent = res.bytes().await.unwrap();
        assert!(sent.len() < body.len() / 4, "{name} was not compressed");
        assert_eq!(unbrotli(&sent), body, "{name}");
        // Without Accept-Encoding: the file itself.
        let res = http.get(&url).send().await.unwrap();
        assert!(res.headers().get(CONTENT_ENCODING).is_none(), "{name}");
        assert_eq!(res.bytes().await.unwrap(), body, "{name}");
    }
    // The site's own files are never compressed per request (a debug build has no copies).
    std::fs::write(root.join("pkg/plain.js"), "let x = 1; ".repeat(400)).unwrap();
    let res = http
        .get(format!("{base}/pkg/plain.js"))
        .header(ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get(CONTENT_ENCODING).is_none());
    // A name that is not there is not cached.
    let res = http
        .get(format!("{base}/pkg/jangteo.ffffff.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res
        .headers()
        .get(CACHE_CONTROL)
        .is_none_or(|v| v != "public, max-age=31536000, immutable"));

    // Pages are compressed on the fly for a browser that accepts it, and only then: with
    // gzip, also when the browser would take brotli (brotli costs too much per response).
    let res = http
        .get(format!("{base}/login"))
        .header(ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert!(
        res.headers().get(CONTENT_ENCODING).is_none(),
        "no brotli on the fly"
    );
    let res = http
        .get(format!("{base}/login"))
        .header(ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_ENCODING], "gzip");
    let mut html = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&res.bytes().await.unwrap()[..]),
        &mut html,
    )
    .unwrap();
    assert!(
        html.contains("<!DOCTYPE html>") && html.contains("로그인"),
        "{html}"
    );
    // The page names the hashed files.
    for name in [
        "jangteo.0a1b2c.js",
        "jangteo.0a1b2c.wasm",
        "jangteo.0a1b2c.css",
    ] {
        assert!(
            html.contains(&format!("/pkg/{name}")),
            "{name} not in {html}"
        );
    }
    // Search engines get the page's own description.
    assert!(
        html.contains(r#"name="description""#) && html.contains("장터에 로그인하고"),
        "{html}"
    );
    let res = http.get(format!("{base}/login")).send().await.unwrap();
    assert!(res.headers().get(CONTENT_ENCODING).is_none());
    assert!(res.text().await.unwrap().contains("로그인"));
    let _ = std::fs::remove_dir_all(root);
}
