//! Password hashing: argon2id, m = 19 MiB, t = 2, p = 1 (OWASP's minimum), run on the
//! blocking pool so a login never stalls the async workers.
//!
//! Each hash holds 19 MiB, and the blocking pool has hundreds of threads: unbounded, a burst
//! of sign-ups could take gigabytes. A semaphore lets `MAX_CONCURRENT` run at once; a request
//! that cannot get a permit within `WAIT` is told to come back (`Busy`).

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Hashes running at once: enough to keep both cores busy, at most 4 × 19 MiB.
pub const MAX_CONCURRENT: usize = 4;
/// How long a request waits for a turn before it is told to retry.
pub const WAIT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("too many password hashes in progress")]
    Busy,
    #[error("{0}")]
    Failed(String),
}

fn permits() -> &'static Semaphore {
    static PERMITS: Semaphore = Semaphore::const_new(MAX_CONCURRENT);
    &PERMITS
}

static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The most hashes that ever ran at once in this process.
pub fn peak_in_flight() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Runs `f` on the blocking pool once a permit is free.
async fn bounded<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, HashError> {
    let _permit = tokio::time::timeout(WAIT, permits().acquire())
        .await
        .map_err(|_| HashError::Busy)?
        .map_err(|e| HashError::Failed(e.to_string()))?;
    let now = IN_FLIGHT.fetch_add(1, Ordering::Relaxed) + 1;
    PEAK.fetch_max(now, Ordering::Relaxed);
    let result = tokio::task::spawn_blocking(f).await;
    IN_FLIGHT.fetch_sub(1, Ordering::Relaxed);
    result
        .map_err(|e| HashError::Failed(e.to_string()))?
        .map_err(HashError::Failed)
}

pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params =
        Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(password: String) -> Result<String, HashError> {
    bounded(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
}

/// Verifies against a stored PHC string. A missing hash still costs one verification, so
/// response time does not tell whether an account exists.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, HashError> {
    let stored = match stored {
        Some(s) => s,
        None => dummy_hash().to_owned(),
    };
    let real = stored != dummy_hash();
    bounded(move || {
        let parsed = PasswordHash::new(&stored).map_err(|e| e.to_string())?;
        Ok(hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && real)
    })
    .await
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(b"not-a-real-password", &salt)
            .expect("dummy hash")
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_required_cost() {
        let h = hash("correct horse battery".into()).await.unwrap();
        let parsed = PasswordHash::new(&h).unwrap();
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        let m: u32 = parsed.params.get_decimal("m").unwrap();
        let t: u32 = parsed.params.get_decimal("t").unwrap();
        assert!(m >= 19 * 1024, "memory {m} KiB");
        assert!(t >= 2, "iterations {t}");
        assert!(verify("correct horse battery".into(), Some(h.clone()))
            .await
            .unwrap());
        assert!(!verify("wrong horse battery".into(), Some(h)).await.unwrap());
        assert!(!verify("not-a-real-password".into(), None).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_burst_of_hashes_runs_a_few_at_a_time() {
        let burst = (0..40).map(|i| tokio::spawn(hash(format!("password number {i}"))));
        let mut busy = 0;
        for r in futures::future::join_all(burst).await {
            match r.unwrap() {
                Ok(h) => assert!(h.starts_with("$argon2id$")),
                Err(HashError::Busy) => busy += 1,
                Err(e) => panic!("{e}"),
            }
        }
        assert!(peak_in_flight() <= MAX_CONCURRENT, "{}", peak_in_flight());
        assert!(busy < 40);
    }
}
