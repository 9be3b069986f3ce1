//! Shared harness for the HTTP tests: the real router on a random port, a cookie-less client
//! (tests handle cookies themselves), and helpers to create and log in users.
#![allow(dead_code)]

use app::identity::service;
use app::platform::redis::Redis;
use reqwest::header::{HeaderMap, COOKIE, SET_COOKIE};
use reqwest::{Client, StatusCode};
use serde_json::json;
use server::config::{Config, LogFormat};
use sqlx::PgPool;
use std::net::SocketAddr;

pub const PASSWORD: &str = "spring market 2026";

pub fn config() -> Config {
    Config {
        database_url: String::new(),
        redis_url: String::new(),
        redis_prefix: String::new(),
        cookie_secure: false,
        log_format: LogFormat::Pretty,
        demo_password: "jangteo-demo".into(),
        database_max_connections: 5,
        jobs_enabled: false,
        storage_dir: std::env::temp_dir().join("jangteo-http-tests"),
        max_upload_mb: 1,
        // Nothing listens on port 9: tests that need KOS start a simulator (`start_kos`).
        kos_base_url: "http://127.0.0.1:9".into(),
        kos_api_key: KOS_KEY.into(),
        kos_timeout_ms: 300,
        // Every call reads the shared breaker row, so instances agree at once.
        kos_breaker_cache_ms: 0,
    }
}

pub const KOS_KEY: &str = "kos-test-key";

/// A KOS simulator on a random port; "timed out" calls hang for 2 s (the client gives up
/// after 300 ms).
pub async fn start_kos() -> (server::kos_sim::Sim, String) {
    let sim = server::kos_sim::Sim::new(KOS_KEY, Default::default())
        .with_hang(std::time::Duration::from_secs(2));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = server::kos_sim::router(sim.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (sim, format!("http://{addr}"))
}

/// Starts one app instance; several may share a database and Redis.
pub async fn spawn(db: PgPool, redis: Redis) -> String {
    spawn_with(db, redis, config()).await
}

/// Starts one app instance with its own configuration (a KOS URL, say).
pub async fn spawn_with(db: PgPool, redis: Redis, cfg: Config) -> String {
    let options = leptos::config::LeptosOptions::builder()
        .output_name("jangteo")
        .site_root("target/site")
        .build();
    let state = server::startup::build_state(options, db, redis, &cfg);
    let router = server::startup::router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    format!("http://{addr}")
}

/// A client without a cookie jar, so tests can see and swap cookies themselves.
pub fn raw_client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("jangteo_sid="))
        .map(|c| c.split(';').next().unwrap().to_owned())
}

pub async fn create_user(db: &PgPool, email: &str) {
    service::signup(
        db,
        service::SignupInput {
            email: email.into(),
            password: PASSWORD.into(),
            name: "테스터".into(),
            phone: None,
        },
    )
    .await
    .unwrap();
}

/// Logs in through REST and returns the session cookie ("jangteo_sid=...").
pub async fn login(base: &str, email: &str, cookie: Option<&str>) -> String {
    let mut req = raw_client()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": PASSWORD }));
    if let Some(c) = cookie {
        req = req.header(COOKIE, c);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    session_cookie(res.headers()).expect("login sets a session cookie")
}

pub async fn me_status(base: &str, cookie: &str) -> StatusCode {
    raw_client()
        .get(format!("{base}/api/v1/me"))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .status()
}

/// Signs up `email`, approves it as a seller and logs in; returns the session cookie.
pub async fn approved_seller_cookie(
    db: &PgPool,
    base: &str,
    configs: &app::platform::config::Configs,
    email: &str,
) -> String {
    create_user(db, email).await;
    let user: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(db)
        .await
        .unwrap();
    let s = app::seller::service::apply(
        db,
        user,
        app::seller::service::Application {
            business_name: "REST shop".into(),
            business_number: app::platform::testing::business_number(),
            business_type: "corporation".into(),
            representative_name: "Lee".into(),
            business_address: "Busan".into(),
            business_phone: "051-123-4567".into(),
            bank_name: "Shinhan".into(),
            bank_account_holder: "Lee".into(),
            bank_account_number: "110-123-456789".into(),
        },
    )
    .await
    .unwrap();
    app::seller::service::approve(db, configs, s.id, user, None)
        .await
        .unwrap();
    login(base, email, None).await
}
