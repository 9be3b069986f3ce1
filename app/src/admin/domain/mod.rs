//! Admin input as it is typed, parsed once into types: notices, config values, user actions
//! and audit log filters.

mod audit;
mod configs;
mod notices;
mod users;

pub use audit::*;
pub use configs::*;
pub use notices::*;
pub use users::*;
