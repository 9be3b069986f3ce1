//! Helpers for tests that need real services. Tests use Redis db 1 (unless `REDIS_URL` says
//! otherwise) and a fresh key prefix each, so they never see a running app's keys or each other's.

use crate::platform::redis::Redis;

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/1".into())
}

pub async fn test_redis() -> Redis {
    let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
    Redis::connect(&redis_url(), &prefix, 2)
        .await
        .expect("tests need Redis; set REDIS_URL")
}
