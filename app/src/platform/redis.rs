//! Redis: one connection pool for commands plus a key prefix, so that several apps (or the
//! test suite) can share one server without touching each other's keys.

use fred::clients::SubscriberClient;
use fred::prelude::*;
use std::sync::Arc;
use std::time::Duration;

pub use fred;

#[derive(Clone)]
pub struct Redis {
    pub pool: Pool,
    /// This instance's copies of hot cache entries (see `local_cache`).
    pub local: crate::platform::local_cache::LocalCache,
    /// This instance's copies of who tokens and sessions belong to (see `principals`).
    pub principals: crate::platform::principals::Principals,
    url: Arc<str>,
    prefix: Arc<str>,
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redis")
            .field("prefix", &self.prefix)
            .finish()
    }
}

fn builder(url: &str) -> Result<Builder, Error> {
    let config = Config::from_url(url)?;
    let mut builder = Builder::from_config(config);
    builder
        .with_connection_config(|c| {
            c.connection_timeout = Duration::from_secs(2);
            c.internal_command_timeout = Duration::from_secs(2);
        })
        .with_performance_config(|p| {
            p.default_command_timeout = Duration::from_secs(3);
        })
        .set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2));
    Ok(builder)
}

impl Redis {
    /// Connects and waits for the first connection; errors if Redis does not answer.
    pub async fn connect(url: &str, prefix: &str, size: usize) -> Result<Self, Error> {
        let pool = builder(url)?.build_pool(size)?;
        pool.init().await?;
        Ok(Self {
            pool,
            local: Default::default(),
            principals: Default::default(),
            url: url.into(),
            prefix: prefix.into(),
        })
    }

    /// Starts connecting in the background without waiting (the app still boots and `/ready`
    /// reports Redis as down until it answers).
    pub fn lazy(url: &str, prefix: &str, size: usize) -> Result<Self, Error> {
        let pool = builder(url)?.build_pool(size)?;
        pool.connect();
        Ok(Self {
            pool,
            local: Default::default(),
            principals: Default::default(),
            url: url.into(),
            prefix: prefix.into(),
        })
    }

    /// A dedicated client for SUBSCRIBE, which cannot share a connection with commands.
    pub async fn subscriber(&self) -> Result<SubscriberClient, Error> {
        let client = builder(&self.url)?.build_subscriber_client()?;
        client.init().await?;
        Ok(client)
    }

    /// Calls `on` with each message published on `channel` (under the prefix), and with
    /// `None` when messages were missed because the listener fell behind. Runs until the
    /// process ends; the subscription is renewed after a reconnect.
    pub async fn listen(
        &self,
        channel: &str,
        on: impl Fn(Option<&str>) + Send + 'static,
    ) -> Result<(), Error> {
        use tokio::sync::broadcast::error::RecvError;
        let subscriber = self.subscriber().await?;
        subscriber.manage_subscriptions();
        subscriber.subscribe(self.key(channel)).await?;
        let mut rx = subscriber.message_rx();
        tokio::spawn(async move {
            let _keep_alive = subscriber;
            loop {
                match rx.recv().await {
                    Ok(msg) => {
                        if let Some(text) = msg.value.as_str() {
                            on(Some(&text));
                        }
                    }
                    Err(RecvError::Lagged(_)) => on(None),
                    Err(RecvError::Closed) => break,
                }
            }
        });
        Ok(())
    }

    /// A dedicated client for blocking reads (XREADGROUP BLOCK) so they never stall the pool.
    pub async fn dedicated(&self) -> Result<Client, Error> {
        let client = builder(&self.url)?.build()?;
        client.init().await?;
        Ok(client)
    }

    pub fn key(&self, suffix: &str) -> String {
        format!("{}{}", self.prefix, suffix)
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub async fn ping(&self) -> Result<(), Error> {
        let _: String = self.pool.ping(None).await?;
        Ok(())
    }
}
