//! Image uploads over HTTP: the seller console's plain form (redirects back with a message),
//! REST v1 (JSON), who may upload, and how stored files are served.

use crate::common::*;
use app::platform::config::Configs;
use app::platform::testing::test_redis;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE, LOCATION};
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

#[sqlx::test(migrations = "../migrations")]
async fn sellers_upload_images_by_form_and_rest(db: PgPool) {
    let redis = test_redis().await;
    let configs = Configs::new(db.clone(), redis.clone());
    let base = spawn(db.clone(), redis).await;
    let cookie = approved_seller_cookie(&db, &base, &configs, "img-seller@example.com").await;
    let other = approved_seller_cookie(&db, &base, &configs, "img-other@example.com").await;
    create_user(&db, "img-shopper@example.com").await;
    let shopper = login(&base, "img-shopper@example.com", None).await;
    let mut conn = db.acquire().await.unwrap();
    let category =
        app::catalog::service::seed_category(&mut conn, None, "패션", "Fashion", "fashion", 1)
            .await
            .unwrap();
    drop(conn);
    let created: Value = raw_client()
        .post(format!("{base}/api/v1/products"))
        .header(COOKIE, &cookie)
        .json(&json!({ "name": "셔츠", "price": "10000", "categoryIds": [category] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let page = format!("/seller/products/{id}");
    let post_form = |cookie: &str, form: Form| {
        raw_client()
            .post(format!("{base}{page}/images"))
            .header(COOKIE, cookie)
            .header("Sec-Fetch-Site", "same-origin")
            .multipart(form)
            .send()
    };

    // The plain form: stored, then back to the edit page.
    let res = post_form(&cookie, form(png(), "shirt.png")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], format!("{page}#images").as_str());

    // Bad files come back with the reason, and nothing is stored.
    let res = post_form(
        &cookie,
        form(b"<html>not an image</html>".to_vec(), "x.png"),
    )
    .await
    .unwrap();
    assert_eq!(
        res.headers()[LOCATION],
        format!("{page}?image_error=ErrImageType#images").as_str()
    );
    let res = post_form(&cookie, form(vec![0x89; 3 << 20], "big.png"))
        .await
        .unwrap();
    assert_eq!(
        res.headers()[LOCATION],
        format!("{page}?image_error=ErrImageTooLarge#images").as_str()
    );
    let res = post_form(&cookie, Form::new().text("alt_text", "없음"))
        .await
        .unwrap();
    assert_eq!(
        res.headers()[LOCATION],
        format!("{page}?image_error=ErrImageMissing#images").as_str()
    );

    // Someone else's product does not exist for them; shoppers are not sellers.
    let res = post_form(&other, form(png(), "x.png")).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = post_form(&shopper, form(png(), "x.png")).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // And a cross-site post is refused before anything is read.
    let res = raw_client()
        .post(format!("{base}{page}/images"))
        .header(COOKIE, &cookie)
        .header("Sec-Fetch-Site", "cross-site")
        .multipart(form(png(), "x.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // REST: the same upload, answered with the image.
    let res = raw_client()
        .post(format!("{base}/api/v1/products/{id}/images"))
        .header(COOKIE, &cookie)
        .multipart(form(png(), "second.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let image: Value = res.json().await.unwrap();
    assert_eq!(image["is_primary"], false);
    let res = raw_client()
        .post(format!("{base}/api/v1/products/{id}/images"))
        .header(COOKIE, &other)
        .multipart(form(png(), "x.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Stored files are served with their real type and cached for good; misses are not.
    let product: Value =
        get_json_with_cookie(format!("{base}/api/v1/products/{id}"), &cookie).await;
    let images = product["images"].as_array().unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(images[0]["alt_text"], "빨간 셔츠");
    assert_eq!(images[0]["is_primary"], true);
    let url = images[0]["url"].as_str().unwrap();
    let res = raw_client()
        .get(format!("{base}{url}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "image/png");
    assert!(res.headers()[CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert_eq!(res.bytes().await.unwrap().len(), png().len());
    let thumb = images[0]["thumbnail_url"].as_str().unwrap();
    let res = raw_client()
        .get(format!("{base}{thumb}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[CONTENT_TYPE], "image/jpeg");
    let res = raw_client()
        .get(format!("{base}/media/product/nope.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res
        .headers()
        .get(CACHE_CONTROL)
        .is_none_or(|v| !v.to_str().unwrap().contains("immutable")));
}
