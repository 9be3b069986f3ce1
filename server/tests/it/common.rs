//! The test harness: app instances started by `startup::serve` on a random port, `TestApp`
//! with a client per role, and helpers for tests that handle cookies themselves.

use app::platform::redis::Redis;
use reqwest::header::{HeaderMap, COOKIE, SET_COOKIE};
use reqwest::{Client, StatusCode};
use serde_json::json;
use server::config::{Config, LogFormat};
use sqlx::PgPool;

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
        checkout_concurrency: app::ordering::service::DEFAULT_CONCURRENT_CHECKOUTS,
        jobs_enabled: true,
        storage_dir: std::env::temp_dir().join("jangteo-http-tests"),
        max_upload_mb: 1,
        // Nothing listens on port 9: tests that need KOS start a simulator (`start_kos`).
        kos_base_url: "http://127.0.0.1:9".into(),
        kos_api_key: KOS_KEY.into(),
        kos_timeout_ms: 300,
        // Every call reads the shared breaker row, so instances agree at once.
        kos_breaker_cache_ms: 0,
        // Nothing listens on port 9 either: tests that pay start a gateway (`start_pg`).
        pg_base_url: "http://127.0.0.1:9".into(),
        pg_secret_key: PG_KEY.into(),
        pg_timeout_ms: 300,
        trusted_proxies: Vec::new(),
        metrics_token: None,
    }
}

pub const PG_KEY: &str = "test_sk_http";

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

/// A running instance: its address, and its task, stopped (with its jobs and consumers)
/// when this is dropped, so a finished test leaves no task holding its database.
pub struct Instance {
    base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl std::ops::Deref for Instance {
    type Target = str;

    fn deref(&self) -> &str {
        &self.base
    }
}

impl std::fmt::Display for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.base)
    }
}

/// Starts one app instance; several may share a database and Redis.
pub async fn spawn(db: PgPool, redis: Redis) -> Instance {
    spawn_with(db, redis, config()).await
}

/// Starts one app instance with its own configuration (a KOS URL, say), through
/// `startup::serve`: the same listeners, jobs and consumers as production.
pub async fn spawn_with(db: PgPool, redis: Redis, cfg: Config) -> Instance {
    let options = leptos::config::LeptosOptions::builder()
        .output_name("jangteo")
        .site_root("target/site")
        .build();
    spawn_site(db, redis, cfg, options).await
}

/// Starts one app instance serving the site described by `options`.
pub async fn spawn_site(
    db: PgPool,
    redis: Redis,
    cfg: Config,
    options: leptos::config::LeptosOptions,
) -> Instance {
    // Warnings and errors of the app show with a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter(std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()))
        .try_init();
    let state = server::startup::build_state(options, db, redis, &cfg);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        server::startup::serve(state, &cfg, listener, std::future::pending())
            .await
            .unwrap();
    });
    Instance {
        base: format!("http://{addr}"),
        task,
    }
}

/// A request that hangs fails its test (naming the request) instead of the whole run.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A client without a cookie jar, so tests can see and swap cookies themselves.
pub fn raw_client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
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
    app::platform::testing::user_with(db, email, PASSWORD).await;
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

/// GETs `url` with a session cookie and reads the JSON body.
pub async fn get_json_with_cookie(url: String, cookie: &str) -> serde_json::Value {
    raw_client()
        .get(url)
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
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

/// One app instance with a client per role, after crates.io's `RequestHelper`: tests talk
/// HTTP to what `serve` runs, as an anonymous visitor, a customer, two approved sellers and an
/// admin.
pub struct TestApp {
    pub base: String,
    instances: std::sync::Mutex<Vec<Instance>>,
    pub db: PgPool,
    pub redis: Redis,
    pub configs: app::platform::config::Configs,
    pub anon: TestClient,
    pub customer: TestClient,
    pub seller: TestClient,
    pub seller2: TestClient,
    pub admin: TestClient,
}

/// A signed-in (or anonymous) client with its own cookie jar.
pub struct TestClient {
    pub http: Client,
    pub base: String,
    pub user_id: Option<app::identity::UserId>,
    /// The `sellers.id` of an approved seller client.
    pub seller_id: Option<app::seller::SellerId>,
    pub email: String,
}

impl TestApp {
    /// The admin client's account as the actor of a service call.
    pub fn admin_actor(&self) -> app::platform::audit::Actor {
        app::platform::testing::admin_actor(self.admin.user_id.expect("admin"))
    }

    pub async fn spawn(db: PgPool) -> Self {
        Self::spawn_with(db, config()).await
    }

    pub async fn spawn_with(db: PgPool, cfg: Config) -> Self {
        let redis = app::platform::testing::test_redis().await;
        let configs = app::platform::config::Configs::new(db.clone(), redis.clone());
        let instance = spawn_with(db.clone(), redis.clone(), cfg).await;
        let base = instance.base.clone();
        let admin = TestClient::signed_in(&db, &base, "admin@example.com", "admin").await;
        let customer = TestClient::signed_in(&db, &base, "customer@example.com", "customer").await;
        let mut seller = TestClient::signed_in(&db, &base, "seller@example.com", "customer").await;
        let mut seller2 =
            TestClient::signed_in(&db, &base, "seller2@example.com", "customer").await;
        for s in [&mut seller, &mut seller2] {
            s.seller_id = Some(approve_seller(&db, &configs, s, admin.user_id.unwrap()).await);
        }
        Self {
            anon: TestClient::anonymous(&base),
            base,
            instances: std::sync::Mutex::new(vec![instance]),
            db,
            redis,
            configs,
            customer,
            seller,
            seller2,
            admin,
        }
    }

    /// A second instance on the same database and Redis, with its own connections and
    /// in-process caches, started the same way.
    pub async fn another_instance(&self) -> String {
        let redis = Redis::connect(&app::platform::testing::redis_url(), self.redis.prefix(), 2)
            .await
            .unwrap();
        let instance = spawn_with(self.db.clone(), redis, config()).await;
        let base = instance.base.clone();
        self.instances.lock().unwrap().push(instance);
        base
    }

    /// A new anonymous client of `base` (another instance, say).
    pub fn client_of(&self, base: &str) -> TestClient {
        TestClient::anonymous(base)
    }
}

/// One argon2 hash per test process: users are inserted with it instead of signing up.
fn password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        std::thread::spawn(|| {
            tokio::runtime::Runtime::new()
                .unwrap()
                .block_on(app::identity::password::hash(PASSWORD.into()))
                .unwrap()
        })
        .join()
        .unwrap()
    })
}

async fn approve_seller(
    db: &PgPool,
    configs: &app::platform::config::Configs,
    client: &TestClient,
    admin: app::identity::UserId,
) -> app::seller::SellerId {
    let name = format!("{} shop", client.email);
    app::platform::testing::approve_seller(db, configs, client.user_id.unwrap(), admin, &name).await
}

impl TestClient {
    pub fn anonymous(base: &str) -> Self {
        Self {
            http: Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(REQUEST_TIMEOUT)
                .build()
                .unwrap(),
            base: base.to_owned(),
            user_id: None,
            seller_id: None,
            email: String::new(),
        }
    }

    /// Inserts a user with `role` and signs in through REST.
    pub async fn signed_in(db: &PgPool, base: &str, email: &str, role: &str) -> Self {
        let id: app::identity::UserId = sqlx::query_scalar(
            "INSERT INTO users (email, password_hash, name, role) VALUES ($1, $2, '테스터', $3)
             RETURNING id",
        )
        .bind(email)
        .bind(password_hash())
        .bind(role)
        .fetch_one(db)
        .await
        .unwrap();
        let mut client = Self::anonymous(base);
        client.user_id = Some(id);
        client.email = email.to_owned();
        client.login().await;
        client
    }

    pub async fn login(&self) {
        let body = json!({ "email": self.email, "password": PASSWORD });
        let mut res = self.post_json("/api/v1/auth/login", &body).await;
        // Tests in parallel share one process's password-hashing permits.
        for _ in 0..5 {
            if res.status() != StatusCode::SERVICE_UNAVAILABLE {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            res = self.post_json("/api/v1/auth/login", &body).await;
        }
        assert_eq!(res.status(), StatusCode::OK, "login as {}", self.email);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    /// The status and the JSON body (`Value::Null` when the body is not JSON).
    pub async fn get_json(&self, path: &str) -> (StatusCode, serde_json::Value) {
        json_of(self.get(path).await).await
    }

    pub async fn post_json(&self, path: &str, body: &impl serde::Serialize) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// A form posted as a browser without JavaScript posts it, from the page at `referer`
    /// (where the server sends it back on failure).
    pub async fn post_plain_form(
        &self,
        path: &str,
        referer: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("accept", "text/html")
            .header("referer", referer)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// The page's HTML with its status.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let res = self.get(path).await;
        (res.status(), res.text().await.unwrap())
    }
}

pub async fn json_of(res: reqwest::Response) -> (StatusCode, serde_json::Value) {
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_default())
}

/// A product made by a seller client's service calls, for tests that need one.
pub struct TestProduct {
    pub id: app::catalog::ProductId,
    pub slug: String,
    pub variant: app::catalog::VariantId,
    pub sku: app::inventory::SkuId,
    pub category: app::catalog::CategoryId,
}

impl TestApp {
    /// A category under the root (created once per slug).
    pub async fn category(&self, slug: &str, name: &str) -> app::catalog::CategoryId {
        if let Some(id) = sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.db)
            .await
            .unwrap()
        {
            return id;
        }
        let mut conn = self.db.acquire().await.unwrap();
        app::catalog::service::seed_category(&mut conn, None, name, name, slug, 1)
            .await
            .unwrap()
    }

    /// A one-variant product of `seller` with `stock` units, approved when `on_sale`.
    pub async fn product(
        &self,
        seller: &TestClient,
        name: &str,
        stock: i32,
        on_sale: bool,
    ) -> TestProduct {
        use app::catalog::service as catalog;
        let category = self.category("test-goods", "테스트 상품").await;
        let seller_id = seller.seller_id.expect("an approved seller client");
        let id = catalog::create_product(
            &self.db,
            seller_id,
            seller.user_id,
            catalog::ProductInput {
                name: name.into(),
                description: String::new(),
                price: "10000".into(),
                original_price: None,
                category_id: Some(category),
                options: vec![],
                initial_stock: stock,
                product_type: catalog::ProductType::Normal,
            },
        )
        .await
        .unwrap();
        if on_sale {
            app::platform::testing::picture(&self.db, id).await;
            catalog::submit(&self.db, seller_id, id).await.unwrap();
            catalog::review(&self.db, &self.admin_actor(), id, true, None)
                .await
                .unwrap();
        }
        let (slug, variant, sku): (String, app::catalog::VariantId, app::inventory::SkuId) =
            sqlx::query_as(
                "SELECT p.slug, v.id, m.sku_id FROM products p
             JOIN product_variants v ON v.product_id = p.id
             JOIN sku_mappings m ON m.variant_id = v.id WHERE p.id = $1",
            )
            .bind(id)
            .fetch_one(&self.db)
            .await
            .unwrap();
        TestProduct {
            id,
            slug,
            variant,
            sku,
            category,
        }
    }
}

/// Polls `check` until it holds, for at most three seconds ("within a second or two", with
/// room for a loaded CI machine); returns how long it took.
pub async fn within_seconds<F, Fut>(what: &str, mut check: F) -> std::time::Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = std::time::Instant::now();
    while !check().await {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(3),
            "{what}: not visible after 3 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    start.elapsed()
}

/// A payment gateway simulator on a random port; "timed out" calls hang for 2 s (the client
/// gives up after 300 ms) and webhook retries start 50 ms apart.
pub async fn start_pg() -> (server::pg_sim::Sim, String) {
    let sim = server::pg_sim::Sim::new(PG_KEY, None, Default::default()).with_timing(
        std::time::Duration::from_secs(2),
        std::time::Duration::from_millis(50),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = server::pg_sim::router(sim.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (sim, format!("http://{addr}"))
}

/// Grants `amount` points to `user` (once per user: the cause is the user id).
pub async fn points(db: &PgPool, user: app::identity::UserId, amount: i64) {
    app::wallet::service::grant(
        db,
        user,
        rust_decimal::Decimal::from(amount),
        &format!("t:{user}"),
        "test",
    )
    .await
    .unwrap();
}
