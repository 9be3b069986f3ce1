//! Image uploads over HTTP: the seller console's plain form (redirects back with a message),
//! REST v1 (JSON), who may upload, and how stored files are served.

use crate::common::*;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::io::Cursor;

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn form(bytes: Vec<u8>, name: &str) -> Form {
    Form::new()
        .part(
            "image",
            Part::bytes(bytes)
                .file_name(name.to_owned())
                .mime_str("image/png")
                .unwrap(),
        )
        .text("alt_text", "빨간 셔츠")
}

/// A multipart post to `path` as `client`; `site` is the browser's `Sec-Fetch-Site` (none for
/// an API client).
async fn post_multipart(
    client: &TestClient,
    path: &str,
    site: Option<&str>,
    form: Form,
) -> reqwest::Response {
    let mut req = client.http.post(client.url(path)).multipart(form);
    if let Some(site) = site {
        req = req.header("Sec-Fetch-Site", site);
    }
    req.send().await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn sellers_upload_images_by_form_and_rest(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let mut conn = db.acquire().await.unwrap();
    let category =
        app::catalog::service::seed_category(&mut conn, None, "패션", "Fashion", "fashion", 1)
            .await
            .unwrap();
    drop(conn);
    let product = json!({ "name": "셔츠", "price": "10000", "categoryIds": [category] });
    let (_, created) = json_of(app.seller.post_json("/api/v1/products", &product).await).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let page = format!("/seller/products/{id}");
    let images = format!("{page}/images");
    let same = Some("same-origin");

    // The plain form: stored, then back to the edit page.
    let res = post_multipart(&app.seller, &images, same, form(png(), "shirt.png")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], format!("{page}#images").as_str());

    // Bad files come back with the reason, and nothing is stored.
    let not_image = form(b"<html>not an image</html>".to_vec(), "x.png");
    let res = post_multipart(&app.seller, &images, same, not_image).await;
    assert_eq!(
        res.headers()[LOCATION],
        format!("{page}?image_error=ErrImageType#images").as_str()
    );
    let res = post_multipart(
        &app.seller,
        &images,
        same,
        form(vec![0x89; 3 << 20], "big.png"),
    )
    .await;
    assert_eq!(
        res.headers()[LOCATION],
        format!("{page}?image_error=ErrImageTooLarge#images").as_str()
    );
    let res = post_multipart(
        &app.seller,
        &images,
        same,
        Form::new().text("alt_text", "없음"),
    )
    .await;
    assert_eq!(
        res.headers()[LOCATION],
        format!("{page}?image_error=ErrImageMissing#images").as_str()
    );

    // Someone else's product does not exist for them; shoppers are not sellers.
    let res = post_multipart(&app.seller2, &images, same, form(png(), "x.png")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = post_multipart(&app.customer, &images, same, form(png(), "x.png")).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // And a cross-site post is refused before anything is read.
    let res = post_multipart(
        &app.seller,
        &images,
        Some("cross-site"),
        form(png(), "x.png"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // REST: the same upload, answered with the image.
    let rest = format!("/api/v1/products/{id}/images");
    let res = post_multipart(&app.seller, &rest, None, form(png(), "second.png")).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let image: Value = res.json().await.unwrap();
    assert_eq!(image["is_primary"], false);
    let res = post_multipart(&app.seller2, &rest, None, form(png(), "x.png")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Stored files are served with their real type and cached for good; misses are not.
    let (_, product) = app.seller.get_json(&format!("/api/v1/products/{id}")).await;
    let images = product["images"].as_array().unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(images[0]["alt_text"], "빨간 셔츠");
    assert_eq!(images[0]["is_primary"], true);
    let res = app.anon.get(images[0]["url"].as_str().unwrap()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "image/png");
    assert!(res.headers()[CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert_eq!(res.bytes().await.unwrap().len(), png().len());
    let res = app
        .anon
        .get(images[0]["thumbnail_url"].as_str().unwrap())
        .await;
    assert_eq!(res.headers()[CONTENT_TYPE], "image/jpeg");
    let res = app.anon.get("/media/product/nope.png").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res
        .headers()
        .get(CACHE_CONTROL)
        .is_none_or(|v| !v.to_str().unwrap().contains("immutable")));
}
