//! Configuration from the environment (and an optional `.env`). Every variable is listed in
//! README.md.

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Postgres connection URL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://127.0.0.1:5432/jangteo"
    )]
    pub database_url: String,
    /// Redis connection URL (the db index selects the logical database).
    #[arg(long, env = "REDIS_URL", default_value = "redis://127.0.0.1:6379/0")]
    pub redis_url: String,
    /// Prefix of every Redis key the app writes (except session records).
    #[arg(long, env = "JANGTEO_REDIS_PREFIX", default_value = "jangteo:")]
    pub redis_prefix: String,
    /// Mark cookies Secure; turn on behind HTTPS.
    #[arg(long, env = "COOKIE_SECURE", default_value_t = false, action = clap::ArgAction::Set)]
    pub cookie_secure: bool,
    /// Log output: pretty (for people) or json (for log shippers).
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value = "pretty")]
    pub log_format: LogFormat,
    /// Password of the demo accounts created by `seed --demo`.
    #[arg(long, env = "DEMO_PASSWORD", default_value = "jangteo-demo")]
    pub demo_password: String,
    /// Maximum Postgres connections in the pool.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 20)]
    pub database_max_connections: u32,
    /// Checkouts this instance writes at once (its checkout pool's connections); others wait
    /// their turn. About twice the database host's cores, divided among the instances.
    #[arg(long, env = "CHECKOUT_CONCURRENCY", default_value_t = app::ordering::service::DEFAULT_CONCURRENT_CHECKOUTS)]
    pub checkout_concurrency: u32,
    /// Folder for uploaded files (created when needed), served under /media.
    #[arg(long, env = "STORAGE_DIR", default_value = "storage")]
    pub storage_dir: std::path::PathBuf,
    /// Largest accepted upload, in MiB.
    #[arg(long, env = "MAX_UPLOAD_MB", default_value_t = 10)]
    pub max_upload_mb: usize,
    /// Run the periodic jobs in this process (turn off for extra web-only instances).
    #[arg(long, env = "JOBS_ENABLED", default_value_t = true, action = clap::ArgAction::Set)]
    pub jobs_enabled: bool,
    /// Base URL of the carrier's core system (KOS); `server kos-sim` serves one.
    #[arg(long, env = "KOS_BASE_URL", default_value = "http://127.0.0.1:3400")]
    pub kos_base_url: String,
    /// API key sent to KOS (masked in the integration log).
    #[arg(long, env = "KOS_API_KEY", default_value = "kos-demo-key")]
    pub kos_api_key: String,
    /// Time limit of one KOS call, in milliseconds.
    #[arg(long, env = "KOS_TIMEOUT_MS", default_value_t = 5000)]
    pub kos_timeout_ms: u64,
    /// How long an instance may trust its copy of a breaker's state, in milliseconds.
    #[arg(long, env = "KOS_BREAKER_CACHE_MS", default_value_t = 1000)]
    pub kos_breaker_cache_ms: u64,
    /// Base URL of the payment gateway's API; `server pg-sim` serves one.
    #[arg(long, env = "PG_BASE_URL", default_value = "http://127.0.0.1:3500")]
    pub pg_base_url: String,
    /// Time limit of one gateway call, in milliseconds.
    #[arg(long, env = "PG_TIMEOUT_MS", default_value_t = 5000)]
    pub pg_timeout_ms: u64,
    /// The gateway's secret key (sent as Basic auth, masked in the integration log).
    #[arg(long, env = "PG_SECRET_KEY", default_value = "test_sk_jangteo_demo")]
    pub pg_secret_key: String,
    /// Proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed.
    /// Empty: the socket's peer is the client.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<app::platform::client_ip::Cidr>,
    /// Bearer token that `/metrics` requires; unset, `/metrics` is a 404.
    #[arg(long, env = "METRICS_TOKEN")]
    pub metrics_token: Option<String>,
}

impl Config {
    pub fn pg_settings(&self) -> app::payment::pg::PgSettings {
        app::payment::pg::PgSettings {
            base_url: self.pg_base_url.clone(),
            public_url: self.pg_base_url.clone(),
            secret_key: self.pg_secret_key.clone(),
            read_timeout: std::time::Duration::from_millis(self.pg_timeout_ms),
            breaker_cache: std::time::Duration::from_millis(self.kos_breaker_cache_ms),
        }
    }

    pub fn kos_settings(&self) -> app::plan_change::kos::KosSettings {
        use std::time::Duration;
        app::plan_change::kos::KosSettings {
            base_url: self.kos_base_url.clone(),
            api_key: self.kos_api_key.clone(),
            connect_timeout: Duration::from_secs(2),
            read_timeout: Duration::from_millis(self.kos_timeout_ms),
            breaker_cache: Duration::from_millis(self.kos_breaker_cache_ms),
        }
    }
}
