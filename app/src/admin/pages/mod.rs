//! Pages of the notices: the readers' list and notice, and the admin console's.

mod console;
mod notices;

pub use console::{AdminNoticeEditPage, AdminNoticesPage};
pub use notices::{NoticePage, NoticesPage};
