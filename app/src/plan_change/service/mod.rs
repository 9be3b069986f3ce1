//! Plan-change rules. Their tests need the KOS simulator, which lives in the server crate, so
//! they are in `server/tests/plan_change.rs` (real Postgres, real HTTP).

pub mod changes;
pub mod lines;
pub mod monitoring;
pub mod reconcile;
pub mod upkeep;

pub use changes::{change_for, history, submit};
pub use lines::{line_plans, lines_of, link_line, link_line_limited, unlink_line, LINK_LIMIT};
pub use reconcile::reconcile;
