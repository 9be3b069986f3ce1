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
    /// `None` when messages may have been missed: the listener fell behind, or the connection
    /// dropped (Redis does not keep what it published meanwhile). Runs until the process
    /// ends; the subscription is renewed after a reconnect.
    pub async fn listen(
        &self,
        channel: &str,
        on: impl Fn(Option<&str>) + Send + 'static,
    ) -> Result<(), Error> {
        self.listener(channel, on).await.map(drop)
    }

    /// `listen`, answering with the Redis client id of the listening connection.
    async fn listener(
        &self,
        channel: &str,
        on: impl Fn(Option<&str>) + Send + 'static,
    ) -> Result<i64, Error> {
        use tokio::sync::broadcast::error::RecvError;
        let subscriber = self.subscriber().await?;
        // Asked before subscribing: a subscribed connection takes no other command.
        let id: i64 = subscriber.custom(client_command(), vec!["ID"]).await?;
        let channel = self.key(channel);
        subscriber.subscribe(channel.as_str()).await?;
        let mut rx = subscriber.message_rx();
        let mut reconnects = Some(subscriber.reconnect_rx());
        tokio::spawn(async move {
            loop {
                let reconnected = async {
                    match reconnects.as_mut() {
                        Some(r) => r.recv().await.map(|_| ()),
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    msg = rx.recv() => match msg {
                        Ok(msg) => {
                            if let Some(text) = msg.value.as_str() {
                                on(Some(&text));
                            }
                        }
                        Err(RecvError::Lagged(_)) => on(None),
                        Err(RecvError::Closed) => break,
                    },
                    r = reconnected => match r {
                        Ok(()) | Err(RecvError::Lagged(_)) => {
                            // Subscribed again first, then everything forgotten: a change
                            // published in between is then heard, not lost. A failure here
                            // is followed by another reconnect.
                            if let Err(e) = subscriber.subscribe(channel.as_str()).await {
                                tracing::warn!(error = %e, %channel, "not subscribed again yet");
                            }
                            on(None);
                        }
                        Err(RecvError::Closed) => reconnects = None,
                    },
                }
            }
        });
        Ok(id)
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

/// `CLIENT …` (fred's typed client commands are behind a feature this app does not need).
fn client_command() -> fred::types::CustomCommand {
    fred::types::CustomCommand::new_static("CLIENT", None, false)
}

#[cfg(test)]
mod tests {
    use super::client_command;
    use crate::platform::testing::test_redis;
    use fred::prelude::*;
    use std::time::Duration;
    use tokio::sync::mpsc;

    async fn next(rx: &mut mpsc::UnboundedReceiver<Option<String>>) -> Option<String> {
        tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("the listener answers")
            .expect("the listener is running")
    }

    /// What was published while the connection was down is lost: the listener says so
    /// (caches built on it then forget everything), and hears new messages once back.
    #[tokio::test]
    async fn a_dropped_connection_counts_as_missed_messages() {
        let redis = test_redis().await;
        let channel = format!("listen:{}", uuid::Uuid::new_v4().simple());
        let (tx, mut rx) = mpsc::unbounded_channel();
        let id = redis
            .listener(&channel, move |m| {
                let _ = tx.send(m.map(str::to_owned));
            })
            .await
            .unwrap();
        let publish = |text: &'static str| {
            let (redis, channel) = (redis.clone(), redis.key(&channel));
            async move {
                let _: i64 = redis.pool.next().publish(channel, text).await.unwrap();
            }
        };
        publish("one").await;
        assert_eq!(next(&mut rx).await.as_deref(), Some("one"));
        let _: i64 = redis
            .pool
            .next()
            .custom(
                client_command(),
                vec!["KILL".to_owned(), "ID".into(), id.to_string()],
            )
            .await
            .unwrap();
        assert_eq!(next(&mut rx).await, None, "told of the reconnect");
        // Subscribed again: a message published now arrives (retried until the renewed
        // subscription is in place).
        let heard = async {
            loop {
                publish("two").await;
                if let Ok(Some(m)) =
                    tokio::time::timeout(Duration::from_millis(200), rx.recv()).await
                {
                    if m.as_deref() == Some("two") {
                        return;
                    }
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(10), heard)
            .await
            .expect("messages arrive again after the reconnect");
    }
}
