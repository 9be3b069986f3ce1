//! Pages of the admin context: the readers' notices, and the admin console's notices, configs,
//! users and audit log.

mod audit;
mod configs;
mod console;
pub mod dashboard;
pub mod history;
mod notices;
mod users;

pub use audit::AdminAuditPage;
pub use configs::AdminConfigsPage;
pub use users::{AdminUserPage, AdminUsersPage};

pub use console::{AdminNoticeEditPage, AdminNoticesPage};
pub use notices::{NoticePage, NoticesPage};
