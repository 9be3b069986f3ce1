//! Tickets pages. All of them render on the server and work without JavaScript: the seat
//! map is a form of seat checkboxes.

mod concert;
mod concerts;
mod console;
mod edit;
mod hold;
mod live;
mod mine;
mod queue;

pub use concert::ConcertPage;
pub use concerts::ConcertsPage;
pub use console::ConcertConsolePage;
pub use edit::ConcertEditPage;
pub use hold::HoldPage;
pub use mine::MyTicketsPage;
pub use queue::{AdmissionsPage, QueuePage};

use crate::platform::i18n::Locale;
use crate::ui::format::local;
use chrono::{DateTime, Utc};

/// "2026-12-24 (목) 19:00", Seoul time.
pub(crate) fn show_time(at: DateTime<Utc>, locale: Locale) -> String {
    let pattern = match locale {
        Locale::Ko => "%Y-%m-%d %H:%M",
        Locale::En => "%b %-d, %Y %H:%M",
    };
    local(at, pattern)
}
