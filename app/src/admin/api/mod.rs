//! Server functions of the admin context: notices, configs, users and the audit log.

mod audit;
mod configs;
mod dashboard;
mod notices;
mod users;

pub use audit::*;
pub use configs::*;
pub use dashboard::*;
pub use notices::*;
pub use users::*;
