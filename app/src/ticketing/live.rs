//! Live seat maps: every instance listens to one Redis channel of seat changes and hands
//! each change to the browsers it serves for that concert (Server-Sent Events). A change made
//! through any instance reaches every instance's browsers.

use super::service::SeatEvent;
use super::ConcertId;
use crate::platform::redis::Redis;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// The Redis channel (under the key prefix) that carries every concert's seat changes.
pub const CHANNEL: &str = "tickets:seats:changes";

/// What crosses the channel: a concert's change.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Published {
    pub concert: ConcertId,
    #[serde(flatten)]
    pub event: SeatEvent,
}

/// This instance's listeners per concert.
#[derive(Clone, Default)]
pub struct SeatFeed(Arc<Mutex<HashMap<ConcertId, broadcast::Sender<Arc<SeatEvent>>>>>);

impl SeatFeed {
    /// Changes of `concert` from now on. Take it before reading the snapshot, so nothing
    /// falls between the two.
    pub fn subscribe(&self, concert: ConcertId) -> broadcast::Receiver<Arc<SeatEvent>> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(concert)
            .or_insert_with(|| broadcast::channel(256).0)
            .subscribe()
    }

    fn deliver(&self, concert: ConcertId, event: SeatEvent) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = map.get(&concert) {
            if tx.send(Arc::new(event)).is_err() {
                // Nobody watches this concert here any more.
                map.remove(&concert);
            }
        }
    }

    /// Messages were missed: end every stream, so each browser reconnects and starts again
    /// from a fresh snapshot.
    fn reset(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

/// Starts this instance's listener. Runs until the process ends.
pub async fn spawn(redis: &Redis, feed: SeatFeed) -> Result<(), fred::error::Error> {
    redis
        .listen(CHANNEL, move |msg| match msg {
            Some(text) => match serde_json::from_str::<Published>(text) {
                Ok(p) => feed.deliver(p.concert, p.event),
                Err(e) => tracing::warn!(error = %e, "unreadable seat change"),
            },
            None => feed.reset(),
        })
        .await
}
