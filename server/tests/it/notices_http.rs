//! Notices over HTTP: the admin console's server functions, the readers' pages and REST.

use crate::common::*;
use reqwest::StatusCode;
use sqlx::PgPool;

/// The form as the console posts it, with a fresh form token.
fn notice(title: &str, target: &str, publish: &str, at: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[once]", uuid::Uuid::new_v4().to_string()),
        ("form[title]", title.into()),
        (
            "form[content]",
            "**중요** <script>alert('x')</script>".into(),
        ),
        ("form[notice_type]", "urgent".into()),
        ("form[target]", target.into()),
        ("form[publish]", publish.into()),
        ("form[publish_at]", at.into()),
    ]
}

async fn create(client: &TestClient, form: &[(&'static str, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_form("/fn/admin/notices/create", &pairs).await
}

fn titles(body: &serde_json::Value) -> Vec<String> {
    body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["title"].as_str().map(str::to_owned))
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_publish_notices_that_each_audience_reads(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    // Only admins write notices.
    let form = notice("판매자가 쓴 공지", "all", "now", "");
    let res = create(&app.seller, &form).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let form = notice("구매자 공지", "customers", "now", "");
    let (status, body) = json_of(create(&app.admin, &form).await).await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status} {body}"
    );
    let form = notice("판매자 공지", "sellers", "now", "");
    create(&app.admin, &form).await;
    let form = notice("예약 공지", "all", "later", "2099-01-01T09:00");
    create(&app.admin, &form).await;
    // A bad form names its field and keeps nothing.
    let form = notice("", "all", "later", "2001-01-01T09:00");
    let (status, body) = json_of(create(&app.admin, &form).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM notices")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(rows, 3);

    let (_, anon) = app.anon.get_json("/api/v1/notices").await;
    assert_eq!(titles(&anon), ["구매자 공지"]);
    let (_, seller) = app.seller.get_json("/api/v1/notices").await;
    assert_eq!(titles(&seller), ["판매자 공지"]);

    // The page renders the Markdown and no script.
    let id = anon["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, page) = app.anon.page(&format!("/notices/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<strong>중요</strong>"), "{page}");
    assert!(!page.contains("<script>alert"), "the script survived");
    let (status, _) = app.seller.page(&format!("/notices/{id}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a shoppers' notice is not the sellers'"
    );

    // Each action is in the audit log, with who did it and from where.
    let (actions, ips): (Vec<String>, Vec<String>) = sqlx::query_as::<_, (String, String)>(
        "SELECT action, actor_ip FROM audit_logs WHERE resource_type = 'notice' ORDER BY created_at",
    )
    .fetch_all(&db)
    .await
    .unwrap()
    .into_iter()
    .unzip();
    assert_eq!(actions, ["CREATE", "CREATE", "CREATE"]);
    assert!(ips.iter().all(|ip| ip == "127.0.0.1"), "{ips:?}");

    // An urgent notice is a banner on every page of its audience until it is dismissed; the
    // dismissal is a cookie, so it works without an account or JavaScript.
    let (_, home) = app.anon.page("/").await;
    assert!(
        home.contains("data-testid=\"banner\"") && home.contains("구매자 공지"),
        "no banner"
    );
    let (_, seller_home) = app.seller.page("/").await;
    assert!(
        !seller_home.contains("구매자 공지"),
        "a shoppers' banner shown to a seller"
    );
    let res = app
        .anon
        .post_plain_form(
            "/fn/notices/banners/dismiss",
            "/",
            &[("id", &id), ("back", "/shop")],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.starts_with(&format!("jt_dismissed={id}")),
        "{cookie}"
    );
    let (_, shop) = app.anon.page("/shop").await;
    assert!(
        !shop.contains("data-testid=\"banner\""),
        "dismissed, still shown"
    );
}
